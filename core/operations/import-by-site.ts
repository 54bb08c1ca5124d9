/**
 * importBySite: one extract from the accounting system holding every site's lines (last year's
 * budget, all 40 schools in one file) into each site's sheet — one read, at most one write, a report
 * per site. All or nothing, like an ERP import: a line whose site is not in Sites, a line that fails
 * validation, a submitted or approved site, a repeated line, or an amount typed as text ("$1,200",
 * "(450.00)") refuses the whole file, and every problem is a finding on its row of the extract (the
 * extract's name as the sheet, its cell as the cell), all listed at once: the lines whose site is
 * known are validated even when other lines are wrong. Nothing is written then.
 *
 * The site of a line comes from a column of the extract (`siteColumn`, default a column headed
 * "Site" when there is one), else from the account string's site segment (NCES "site", Texas
 * "organization"). Other columns are matched onto the site sheet's by their headers (synonyms
 * included), or by `mapping`.
 */
import { refusalsFor } from '../approval/permissions';
import { a1, cellText, parseA1, type CellValue, type Grid } from '../cells';
import { diag, sortDiagnostics, type Diagnostic } from '../diagnostics';
import { parseMoney } from '../money';
import type { CellMark, Dropdown, SheetWrite, Snapshot } from '../port/types';
import { findColumns, normalizeHeader } from '../tables';
import { SITE_HEADER } from '../workbook/layout';
import { specOf, SITE_TABLE } from '../workbook/schema';
import { budgetOf, readWorkbook, type SiteEntry, type Workbook } from '../workbook/read';
import type { Operation, OperationResult } from './api';
import { linesWrite, lookUp } from './import';
import { plural, refuse } from './common';
import { validateSites } from './validate';

export interface ImportBySiteArgs {
  /** The extract's header row. */
  readonly header: readonly CellValue[];
  /** Its records, in file order: record i is row i + 2 of the extract. Blank records are skipped. */
  readonly records: readonly (readonly CellValue[])[];
  /** The header of the column holding each line's site (code, sheet name or name). */
  readonly siteColumn?: string;
  /** Site-sheet column → extract header, for columns whose headers differ ("Amount" ← "FY26 Budget"). */
  readonly mapping?: readonly { readonly target: string; readonly source: string }[];
  /** Replace each site's lines (default: add them after the lines already there). */
  readonly replace?: boolean;
  /** The extract's name ("erp.csv"): the sheet of every finding about its rows. */
  readonly source?: string;
}

export interface SiteImport {
  readonly code: string;
  readonly sheet: string;
  readonly imported: number;
  /** Lines added after those already there (false: the sheet's lines were replaced). */
  readonly appended: boolean;
}

export interface ImportBySiteResult extends OperationResult {
  /** One report per site that received lines (empty when refused). */
  readonly sites: readonly SiteImport[];
  /** Lines in the extract (blank rows left out). */
  readonly lines: number;
}

const MONEY = new Set(['Unit cost', 'Amount', 'Salary']);
const NUMERIC = new Set(['Quantity', 'FTE']);
const PERCENT = new Set(['Percent', 'Percent 2']);
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
/** Segment keys that are the site (NCES "site", Texas "organization"). */
const SITE_SEGMENTS = ['site', 'organization', 'location', 'school'];

type Column = (typeof SITE_HEADER)[number];

interface Line {
  /** Row number in the extract (the header is row 1). */
  readonly row: number;
  readonly site: SiteEntry;
  /** In SITE_HEADER order. */
  readonly values: CellValue[];
}

const blank = (v: CellValue | undefined): boolean =>
  v === null || v === undefined || cellText(v).trim() === '';

/** Where each site-sheet column comes from in the extract (-1: not there). */
function columnsOf(
  args: ImportBySiteArgs,
  where: string,
): { from: number[]; site: number; problems: Diagnostic[] } {
  const header = args.header.map((h) => cellText(h).trim());
  const names = header.map(normalizeHeader);
  const problems: Diagnostic[] = [];
  const headerCell = (i: number): { sheet: string; cell: string } => ({ sheet: where, cell: a1(0, i) });
  let site = -1;
  if (args.siteColumn !== undefined) {
    site = names.indexOf(normalizeHeader(args.siteColumn));
    if (site < 0)
      problems.push(
        diag(
          'BL843',
          {
            problem: `the extract has no column "${args.siteColumn}" (its columns are ${header.join(', ')})`,
          },
          { sheet: where, cell: 'A1' },
        ),
      );
  } else site = names.indexOf(normalizeHeader('Site'));
  const { columns } = findColumns(
    header.map((h, i) => (i === site ? '' : h)),
    specOf(SITE_TABLE),
    'extract',
  );
  // SITE_HEADER is the declaration's headers in key order.
  const from = (Object.keys(SITE_TABLE.columns) as (keyof typeof columns)[]).map((k) => columns[k]);
  for (const m of args.mapping ?? []) {
    const target = SITE_HEADER.findIndex((h) => normalizeHeader(h) === normalizeHeader(m.target));
    const at = names.indexOf(normalizeHeader(m.source));
    if (target < 0 || at < 0) {
      problems.push(
        diag(
          'BL843',
          {
            problem: `the mapping ${m.target}=${m.source} names ${target < 0 ? `no site-sheet column "${m.target}"` : `no extract column "${m.source}"`}`,
          },
          headerCell(0),
        ),
      );
      continue;
    }
    from[target] = at;
  }
  return { from, site, problems };
}

/** A cell of the extract converted for the site sheet; amounts typed as text are findings. */
function convert(
  column: Column,
  raw: CellValue | undefined,
  at: { sheet: string; cell: string },
): {
  value: CellValue;
  problem?: Diagnostic;
} {
  if (raw === undefined || blank(raw)) return { value: null };
  if (typeof raw !== 'string') return { value: raw };
  const v = raw.trim();
  if (MONEY.has(column)) {
    if (PLAIN_NUMBER.test(v)) return { value: Number(v) };
    if (parseMoney(v).ok)
      return {
        value: raw,
        problem: diag('BL841', { column: column.toLowerCase(), shown: v }, { ...at, value: v }),
      };
    return { value: raw };
  }
  if (NUMERIC.has(column)) return { value: PLAIN_NUMBER.test(v) ? Number(v) : raw };
  if (PERCENT.has(column)) {
    const p = /^(-?\d+(?:\.\d+)?)\s*%$/.exec(v);
    if (p) return { value: Number(p[1]) / 100 };
    return { value: PLAIN_NUMBER.test(v) ? Number(v) : raw };
  }
  return { value: raw };
}

/** The index of the chart's site segment, or -1. */
export function siteSegment(wb: Workbook): number {
  const segments = wb.validator?.chart.segments ?? [];
  return segments.findIndex((s) => SITE_SEGMENTS.includes(s.key.toLowerCase()));
}

export const importBySite: Operation<ImportBySiteArgs, ImportBySiteResult> = {
  name: 'importBySite',
  reads: () => ({ sheets: 'all', state: true, user: true }),
  run(snap, args, options) {
    const where = args.source ?? 'extract';
    const refused = (problems: readonly Diagnostic[], lines: number): { result: ImportBySiteResult } => ({
      result: {
        ...refuse(
          problems,
          `Nothing was imported: ${plural(problems.length, 'problem')} in ${where} (every one listed with its row). Fix them and import the whole file again.`,
        ),
        sites: [],
        lines,
      },
    });
    const wb = readWorkbook(snap);
    const { from, site: siteAt, problems } = columnsOf(args, where);
    const account = from[SITE_HEADER.indexOf('Account')] ?? -1;
    const segment = siteSegment(wb);
    if (siteAt < 0 && !problems.length && segment < 0)
      problems.push(
        diag(
          'BL843',
          {
            problem: 'the extract has no Site column and the chart has no site segment',
          },
          { sheet: where, cell: 'A1' },
        ),
      );
    if (account < 0)
      problems.push(
        diag('BL843', { problem: 'the extract has no Account column' }, { sheet: where, cell: 'A1' }),
      );
    if (problems.length) return refused(problems, 0);

    const lines: Line[] = [];
    const seen = new Map<string, number>();
    const locked = new Set<string>();
    let count = 0;
    args.records.forEach((record, i) => {
      const row = i + 2;
      if (record.every((v) => blank(v))) return;
      count++;
      const at = (c: number): { sheet: string; cell: string } => ({ sheet: where, cell: a1(i + 1, c) });
      // The site: its column, else the account's site segment.
      let code = '';
      if (siteAt >= 0) code = cellText(record[siteAt] ?? null).trim();
      else {
        const text = cellText(record[account] ?? null).trim();
        code = (text && wb.validator?.split(text)?.[segment]) ?? '';
      }
      const place = at(siteAt >= 0 ? siteAt : account);
      if (!code) {
        problems.push(
          diag(
            'BL843',
            {
              problem:
                siteAt >= 0 ? 'its site cell is blank' : 'its account string has no site segment to read',
            },
            place,
          ),
        );
        return;
      }
      const site = siteAt >= 0 ? lookUp(wb, code) : wb.sites.find((s) => s.code === code);
      if (!site) {
        problems.push(
          diag('BL840', { site: code, known: wb.sites.map((s) => s.code) }, { ...place, value: code }),
        );
        return;
      }
      if (!locked.has(site.code)) {
        const refusals = refusalsFor('', 'import', budgetOf(wb.state, site.code), wb.roles);
        if (refusals.length) {
          locked.add(site.code);
          problems.push(...refusals.map((d) => ({ ...d, ...place })));
        }
      }
      const values: CellValue[] = SITE_HEADER.map(() => null);
      SITE_HEADER.forEach((column, k) => {
        const c = from[k] ?? -1;
        if (c < 0) return;
        const { value, problem } = convert(column, record[c], at(c));
        values[k] = value;
        if (problem) problems.push(problem);
      });
      const typeAt = SITE_HEADER.indexOf('Type');
      const staffing = ['FTE', 'Job type', 'Employee', 'Position ID', 'Salary'].some(
        (h) => (from[SITE_HEADER.indexOf(h as Column)] ?? -1) >= 0,
      );
      if ((from[typeAt] ?? -1) < 0 && !staffing) values[typeAt] = 'Line';
      const key = JSON.stringify([site.code, values.map((v) => cellText(v).trim())]);
      const first = seen.get(key);
      if (first !== undefined) problems.push(diag('BL842', { first }, at(account)));
      else seen.set(key, row);
      lines.push({ row, site, values });
    });
    // Each site's rows, written as importLines writes them; validated as they will be after the write.
    const bySite = new Map<string, { site: SiteEntry; lines: Line[] }>();
    for (const l of lines) {
      const g = bySite.get(l.site.code) ?? { site: l.site, lines: [] };
      g.lines.push(l);
      bySite.set(l.site.code, g);
    }
    const writes: SheetWrite[] = [];
    const dropdowns: Dropdown[] = [];
    const sheets: Record<string, Grid> = { ...snap.sheets };
    const sheetNames = [...snap.sheetNames];
    const reports: SiteImport[] = [];
    /** Site sheet → (sheet row index → extract row, sheet column → extract column). */
    const origin = new Map<string, { firstRow: number; rows: number[]; header: readonly CellValue[] }>();
    for (const { site, lines: ls } of bySite.values()) {
      const existing = snap.sheets[site.sheet];
      const keep = !args.replace && existing !== undefined && existing.length > 1;
      const out = linesWrite(
        wb,
        snap,
        site,
        existing,
        keep,
        ls.map((l) => l.values),
      );
      writes.push(out.write);
      dropdowns.push(...out.dropdowns);
      const grid: Grid = keep ? [...existing, ...out.write.values] : out.write.values;
      sheets[site.sheet] = grid;
      if (!sheetNames.includes(site.sheet)) sheetNames.push(site.sheet);
      origin.set(site.sheet, {
        firstRow: keep ? existing.length : 1,
        rows: ls.map((l) => l.row),
        header: grid[0] ?? [],
      });
      reports.push({ code: site.code, sheet: site.sheet, imported: ls.length, appended: keep });
    }
    const after: Snapshot = { ...snap, sheetNames, sheets };
    const checked = validateSites.run(after, { sites: [...bySite.keys()] }, options);

    // A fatal finding on an imported line refuses the file: it is reported on the extract's row.
    const onExtract: Diagnostic[] = [];
    for (const d of checked.result.diagnostics) {
      if (d.severity !== 'fatal' || !d.sheet || !d.cell) continue;
      const o = origin.get(d.sheet);
      const cell = parseA1(d.cell);
      if (!o || !cell) continue;
      const row = o.rows[cell.row - o.firstRow];
      if (row === undefined) continue;
      const k = SITE_HEADER.findIndex(
        (h) => normalizeHeader(h) === normalizeHeader(o.header[cell.column] ?? ''),
      );
      const c = k >= 0 && (from[k] ?? -1) >= 0 ? (from[k] as number) : account;
      onExtract.push({ ...d, sheet: where, cell: a1(row - 1, c) });
    }
    // Every problem at once: the extract's own, and its lines' validation findings.
    if (problems.length || onExtract.length)
      return refused(sortDiagnostics([...problems, ...onExtract]), count);

    const marks: CellMark[] = checked.write?.marks ? [...checked.write.marks] : [];
    const perSite = reports
      .map((r) => `${r.code} ${plural(r.imported, 'line')}${r.appended ? ' added' : ''}`)
      .join(', ');
    return {
      result: {
        ...checked.result,
        summary: `Imported ${plural(count, 'line')}${args.source ? ` from ${args.source}` : ''} into ${plural(reports.length, 'site')} (${perSite}). ${checked.result.summary}`,
        sites: reports,
        lines: count,
      },
      write: {
        // The imported rows, then each site sheet's computed Cost column and summary over them.
        sheets: [...writes, ...(checked.write?.sheets ?? [])],
        ...(checked.write?.computedHashes ? { computedHashes: checked.write.computedHashes } : {}),
        ...(checked.write?.clearMarks ? { clearMarks: checked.write.clearMarks } : {}),
        ...(marks.length ? { marks } : {}),
        ...(dropdowns.length ? { dropdowns } : {}),
      },
    };
  },
};
