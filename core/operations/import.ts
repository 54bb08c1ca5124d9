/**
 * importLines: lines from another system (last year's ERP budget, mapped to the site-sheet columns by
 * the host) into one site's sheet, and that site validated — one read, one write (the lines, then the
 * marks of the validation). A site sheet that holds the account one column per segment gets each
 * account string split into its segments. Refused for an unknown site (BL802) and for a site whose
 * budget is submitted or approved (BL821, the permission predicate's rule for import).
 */
import { detectAccountLayout } from '../accounts/layout';
import type { Chart } from '../accounts/types';
import type { Validator } from '../accounts/api';
import { refusalsFor } from '../approval/permissions';
import { cellText, type CellValue, type Grid } from '../cells';
import type { Dropdown, SheetWrite, Snapshot } from '../port/types';
import { normalizeHeader } from '../tables';
import { segmentDropdowns, siteSheetWrite } from '../workbook/create';
import { SHEETS, SITE_FORMATS, SITE_HEADER } from '../workbook/layout';
import { FORMATS, formatsFor, indexOfColumn, SITE_TABLE } from '../workbook/schema';
import { findSite, readWorkbook, type SiteEntry, type Workbook } from '../workbook/read';
import { chainOf, siteState } from './trust';
import type { ImportArgs, ImportResult, Operation } from './api';
import { plural, refuse } from './common';
import { validateSites } from './validate';

/** The site by code or sheet name, or (any case) by code, sheet or name. */
export function lookUp(wb: Workbook, wanted: string): SiteEntry | undefined {
  const exact = findSite(wb, wanted);
  if (!('severity' in exact)) return exact;
  const w = wanted.trim().toLowerCase();
  return wb.sites.find(
    (s) => s.code.toLowerCase() === w || s.sheet.toLowerCase() === w || s.name.toLowerCase() === w,
  );
}

export const importLines: Operation<ImportArgs, ImportResult> = {
  name: 'importLines',
  reads: () => ({ sheets: 'all', state: true }),
  run(snap, args, options) {
    const wb = readWorkbook(snap);
    const site = lookUp(wb, args.site);
    if (!site) {
      const unknown = findSite(wb, args.site);
      return {
        result: refuse(
          'severity' in unknown ? [unknown] : [],
          `Nothing was imported: there is no site "${args.site}".`,
        ),
      };
    }
    // Locked or not by the audit chain, never by the stored state alone.
    const locked = refusalsFor('', 'import', siteState(chainOf(snap, wb), site.code), wb.roles);
    if (locked.length)
      return {
        result: refuse(locked, `Nothing was imported: ${locked[0]?.message ?? ''}.`),
      };
    const existing = snap.sheets[site.sheet];
    const keep = !args.replace && existing !== undefined && existing.length > 1;
    const { write, dropdowns } = linesWrite(wb, snap, site, existing, keep, args.rows);
    const grid: Grid = keep ? [...existing, ...write.values] : write.values;
    // The site validated as it will be after the write: its marks go in the same write.
    const after: Snapshot = {
      ...snap,
      sheetNames: snap.sheetNames.includes(site.sheet) ? snap.sheetNames : [...snap.sheetNames, site.sheet],
      sheets: { ...snap.sheets, [site.sheet]: grid },
    };
    const checked = validateSites.run(after, { sites: [site.code] }, options);
    const n = args.rows.length;
    return {
      result: {
        ...checked.result,
        summary: `Imported ${plural(n, 'line')}${args.source ? ` from ${args.source}` : ''} into "${site.sheet}" (${keep ? 'after the lines already there' : 'replacing its lines'}). ${checked.result.summary}`,
        sheet: site.sheet,
        imported: n,
        appended: keep,
      },
      write: {
        // The imported rows, then the site sheet's computed Cost column and summary over them.
        sheets: [write, ...(checked.write?.sheets ?? [])],
        ...(checked.write?.computedHashes ? { computedHashes: checked.write.computedHashes } : {}),
        ...(checked.write?.clearMarks ? { clearMarks: checked.write.clearMarks } : {}),
        ...(checked.write?.marks ? { marks: checked.write.marks } : {}),
        ...(dropdowns.length ? { dropdowns } : {}),
      },
    };
  },
};

/** The write of the imported rows: appended under the lines there, or the sheet replaced. */
export function linesWrite(
  wb: Workbook,
  snap: Snapshot,
  site: SiteEntry,
  existing: Grid | undefined,
  keep: boolean,
  rows: readonly (readonly CellValue[])[],
): { write: SheetWrite; dropdowns: Dropdown[] } {
  const chart = wb.validator?.chart;
  const header = existing?.[0];
  // One column per segment: the sheet's own header says so, or (a new sheet) Setup "Account columns".
  const perSegment =
    chart !== undefined &&
    (header && header.some((h) => cellText(h).trim() !== '')
      ? detectAccountLayout(header, chart).layout?.kind === 'segments'
      : wb.setup?.accountColumns === 'per segment');
  const at = `A${(existing?.length ?? 0) + 1}`;
  if (!perSegment || !chart || !wb.validator) {
    const values = rows.map((r) => [...r]);
    return {
      write: keep
        ? { sheet: site.sheet, at, values, columnFormats: SITE_FORMATS }
        : siteSheetWrite(site.sheet, values),
      dropdowns: [],
    };
  }
  const segmentNames = chart.segments.map((s) => s.name);
  const target = keep && header ? header : (siteSheetWrite(site.sheet, [], segmentNames).values[0] ?? []);
  const validator = wb.validator;
  const values = rows.map((r) => toSegmentRow(r, target, chart, validator));
  if (keep)
    return {
      write: { sheet: site.sheet, at, values, columnFormats: appendFormats(target, chart) },
      dropdowns: [],
    };
  return {
    write: siteSheetWrite(site.sheet, values, segmentNames),
    dropdowns: segmentDropdowns(site.sheet, target, chart, snap.sheets[SHEETS.codes] ?? []),
  };
}

/**
 * A row in SITE_HEADER order (the Account a whole string) for a sheet that holds the account one
 * column per segment: the string is split into its segments; a string that cannot be split goes whole
 * into the first segment's cell, where validation reports it, so nothing is lost.
 */
function toSegmentRow(
  row: readonly CellValue[],
  header: readonly CellValue[],
  chart: Chart,
  validator: Validator,
): CellValue[] {
  const layout = detectAccountLayout(header, chart).layout;
  const columns = layout?.kind === 'segments' ? layout.columns : [];
  const account = row[indexOfColumn(SITE_TABLE, 'account')];
  const text = cellText(account).trim();
  const parts = text ? validator.split(text) : undefined;
  return header.map((h, c) => {
    const i = columns.indexOf(c);
    if (i >= 0) return parts ? (parts[i] ?? null) : i === 0 && text ? (account ?? null) : null;
    const k = SITE_HEADER.findIndex((x) => normalizeHeader(x) === normalizeHeader(h));
    return k >= 0 ? (row[k] ?? null) : null;
  });
}

/** Number formats for rows appended under `header`: segment codes as text, other columns as declared (SITE_TABLE). */
function appendFormats(header: readonly CellValue[], chart: Chart): (string | null)[] {
  const layout = detectAccountLayout(header, chart).layout;
  const columns = layout?.kind === 'segments' ? layout.columns : [];
  const declared = formatsFor(SITE_TABLE, header);
  return header.map((_, c) => (columns.includes(c) ? FORMATS.text : (declared[c] ?? null)));
}
