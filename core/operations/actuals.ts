/**
 * importActuals: year-to-date actuals and encumbrances from the accounting system's extract, as of a
 * date, into the Actuals table (one row per site and account) — one read, at most one write — and the
 * budget vs actual vs encumbered vs remaining report per line, site and fund (core/actuals).
 *
 * All or nothing, like importBySite: an account that fails validation, a site not in Sites (BL840),
 * an amount typed as text (BL841), a posting date outside the fiscal year (BL844, also for the as-of
 * date itself) refuse the whole extract, every problem on its row. Refunds (negative actuals) are
 * allowed and flagged "refund" in the report; lines over budget (BL845) and lines with actuals but no
 * budget (BL846) are warnings.
 *
 * actualsReport: the same report from the Actuals table already in the workbook (no write).
 */
import {
  budgetVsActual,
  fiscalYearSpan,
  parseDate,
  readActuals,
  type ActualRow,
  type ActualsReport,
} from '../actuals';
import { a1, cellText, type CellValue } from '../cells';
import { diag, sortDiagnostics, type Diagnostic } from '../diagnostics';
import { centsToDollars, parseMoney } from '../money';
import type { Snapshot } from '../port/types';
import { findColumns, normalizeHeader } from '../tables';
import { tableWrite } from '../workbook/create';
import { readWorkbook, siteSheetsOf, type Workbook } from '../workbook/read';
import { ACTUALS_TABLE, formatsOf, headerOf, SHEETS, specOf } from '../workbook/schema';
import { adoptedFinal, withAmendments } from './final';
import type { Operation, OperationResult } from './api';
import { plural, refuse, result } from './common';
import { lookUp } from './import';
import { siteSegment } from './import-by-site';

export interface ImportActualsArgs {
  readonly header: readonly CellValue[];
  /** Record i is row i + 2 of the extract; blank records are skipped. */
  readonly records: readonly (readonly CellValue[])[];
  /** The date the actuals are as of (YYYY-MM-DD), within the fiscal year. */
  readonly asOf: string;
  readonly source?: string;
}

export interface ActualsResult extends OperationResult {
  /** Absent when refused (or when the workbook has no chart to read accounts by). */
  readonly report?: ActualsReport;
  /** Rows of the Actuals table written (site and account pairs). */
  readonly rows: number;
  /** Site names by code, for showing the report. */
  readonly siteNames?: Readonly<Record<string, string>>;
}

const namesOf = (wb: Workbook): Record<string, string> =>
  Object.fromEntries(wb.sites.map((s) => [s.code, s.name]));

const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const DATE_HEADERS = ['Posting date', 'Date', 'Posted', 'GL date'].map(normalizeHeader);

function fundOf(wb: Workbook): (account: string) => string {
  const v = wb.validator;
  const i = v ? v.indexOf('fund') : -1;
  return (account) => (v && i >= 0 ? (v.split(account)?.[i] ?? '') : '');
}

/**
 * Budget vs actual; after adoption against the final budget (adopted lines + applied amendments, the
 * Master Budget's, final.ts), or `refused` when that budget cannot be trusted as it stands.
 */
function report(
  wb: Workbook,
  snap: Snapshot,
  actuals: readonly ActualRow[],
  asOf: string,
): ActualsReport | { readonly refused: readonly Diagnostic[] } {
  const adopted = adoptedFinal(snap, wb);
  if (adopted.refused) return { refused: adopted.refused };
  const ledger = withAmendments(siteSheetsOf(wb, snap), adopted.final).flatMap((s) => s.ledger);
  return budgetVsActual({ ledger, actuals, fundOf: fundOf(wb), asOf });
}

const UNTRUSTED =
  'the adopted budget and its amendments cannot be trusted as they stand (see below; run verify)';

function summaryOf(r: ActualsReport): string {
  const over = r.lines.filter((l) => l.flags.includes('over budget')).length;
  const none = r.lines.filter((l) => l.flags.includes('no budget')).length;
  const refunds = r.lines.filter((l) => l.flags.includes('refund')).length;
  return `Actuals as of ${r.asOf}: ${plural(r.lines.length, 'line')}, ${plural(over, 'line')} over budget, ${plural(none, 'line')} with actuals and no budget, ${plural(refunds, 'refund')}.`;
}

export const importActuals: Operation<ImportActualsArgs, ActualsResult> = {
  name: 'importActuals',
  reads: () => ({ sheets: 'all', state: true }),
  run(snap, args) {
    const where = args.source ?? 'extract';
    const wb = readWorkbook(snap);
    const problems: Diagnostic[] = [];
    const refused = (count: number): { result: ActualsResult } => ({
      result: {
        ...refuse(
          sortDiagnostics(problems),
          `Nothing was imported: ${plural(problems.length, 'problem')} in ${where} (every one listed with its row). Fix them and import the whole file again.`,
        ),
        rows: count,
      },
    });
    const validator = wb.validator;
    const fy = wb.setup?.fiscalYear;
    if (!validator || fy === undefined) {
      problems.push(...wb.diagnostics.filter((d) => d.severity === 'fatal'));
      return refused(0);
    }
    const span = fiscalYearSpan(fy);
    const year = `FY${fy} (${span.start} to ${span.end})`;
    const asOf = parseDate(args.asOf);
    if (!asOf || asOf < span.start || asOf > span.end)
      problems.push(diag('BL844', { date: args.asOf, year }, { value: args.asOf }));

    const header = args.header.map((h) => cellText(h).trim());
    const { columns } = findColumns(header, specOf(ACTUALS_TABLE), 'extract');
    const dateAt = header.map(normalizeHeader).findIndex((h) => DATE_HEADERS.includes(h));
    const segment = siteSegment(wb);
    const head = { sheet: where, cell: 'A1' };
    if (columns.account < 0)
      problems.push(diag('BL843', { problem: 'the extract has no Account column' }, head));
    if (columns.actual < 0)
      problems.push(
        diag('BL843', { problem: 'the extract has no Actual (YTD Actual, Expended) column' }, head),
      );
    if (columns.site < 0 && segment < 0)
      problems.push(
        diag('BL843', { problem: 'the extract has no Site column and the chart has no site segment' }, head),
      );
    if (problems.length) return refused(0);

    const sums = new Map<string, { site: string; account: string; actual: number; encumbered: number }>();
    let count = 0;
    let refunds = 0;
    args.records.forEach((record, i) => {
      if (record.every((v) => v === null || cellText(v).trim() === '')) return;
      count++;
      const at = (c: number): { sheet: string; cell: string } => ({ sheet: where, cell: a1(i + 1, c) });
      const raw = record[columns.account] ?? null;
      const check = validator.check(raw, at(columns.account));
      const fatal = check.diagnostics.filter((d) => d.severity === 'fatal');
      problems.push(...fatal);
      const account = check.normalized ?? cellText(raw).trim();
      let code =
        columns.site >= 0 ? cellText(record[columns.site] ?? null).trim() : (check.segments?.[segment] ?? '');
      if (!code) {
        problems.push(
          diag(
            'BL843',
            { problem: 'its site is blank' },
            at(columns.site >= 0 ? columns.site : columns.account),
          ),
        );
        return;
      }
      const site = columns.site >= 0 ? lookUp(wb, code) : wb.sites.find((s) => s.code === code);
      if (!site) {
        problems.push(
          diag(
            'BL840',
            { site: code, known: wb.sites.map((s) => s.code) },
            { ...at(columns.site >= 0 ? columns.site : columns.account), value: code },
          ),
        );
        return;
      }
      code = site.code;
      const money = (c: number, what: string): number => {
        const v = c >= 0 ? record[c] : undefined;
        if (v === undefined || v === null || cellText(v).trim() === '') return 0;
        if (typeof v === 'string' && !PLAIN_NUMBER.test(v.trim())) {
          const m = parseMoney(v, at(c), what);
          problems.push(
            m.ok
              ? diag('BL841', { column: what, shown: v.trim() }, { ...at(c), value: v.trim() })
              : m.diagnostic,
          );
          return 0;
        }
        const m = parseMoney(typeof v === 'string' ? Number(v.trim()) : v, at(c), what);
        if (!m.ok) {
          problems.push(m.diagnostic);
          return 0;
        }
        return m.value;
      };
      const actual = money(columns.actual, 'actual');
      const encumbered = money(columns.encumbered, 'encumbered');
      if (actual < 0) refunds++;
      if (dateAt >= 0) {
        const shown = cellText(record[dateAt] ?? null).trim();
        const date = parseDate(shown);
        if (shown && (!date || date < span.start || date > span.end))
          problems.push(diag('BL844', { date: shown, year }, { ...at(dateAt), value: shown }));
      }
      const key = `${code}\u0000${account}`;
      const s = sums.get(key) ?? { site: code, account, actual: 0, encumbered: 0 };
      s.actual += actual;
      s.encumbered += encumbered;
      sums.set(key, s);
    });
    if (problems.length) return refused(count);

    const rows: ActualRow[] = [...sums.values()]
      .sort((x, y) => (x.site === y.site ? (x.account < y.account ? -1 : 1) : x.site < y.site ? -1 : 1))
      .map((s) => ({
        site: s.site,
        account: s.account,
        actualCents: s.actual,
        encumberedCents: s.encumbered,
        asOf: asOf as string,
      }));
    const r = report(wb, snap, rows, asOf as string);
    if ('refused' in r)
      return { result: { ...refuse(r.refused, `Nothing was imported: ${UNTRUSTED}.`), rows: 0 } };
    return {
      result: {
        ...result(
          true,
          r.diagnostics,
          `Imported ${plural(count, 'posting line')}${args.source ? ` from ${args.source}` : ''} into ${SHEETS.actuals} (${plural(rows.length, 'site and account')}; ${plural(refunds, 'refund')}, kept as negative actuals). ${summaryOf(r)}`,
        ),
        report: r,
        rows: rows.length,
        siteNames: namesOf(wb),
      },
      write: {
        sheets: [
          tableWrite(
            SHEETS.actuals,
            [
              headerOf(ACTUALS_TABLE),
              ...rows.map((x) => [
                x.site,
                x.account,
                centsToDollars(x.actualCents),
                centsToDollars(x.encumberedCents),
                x.asOf,
              ]),
            ],
            formatsOf(ACTUALS_TABLE),
          ),
        ],
      },
    };
  },
};

/** The report from the Actuals table already in the workbook (read only). */
export const actualsReport: Operation<Record<string, never>, ActualsResult> = {
  name: 'actualsReport',
  reads: () => ({ sheets: 'all', state: true }),
  run(snap) {
    const wb = readWorkbook(snap);
    const grid = snap.sheets[SHEETS.actuals];
    if (!grid)
      return {
        result: {
          ...refuse(
            [
              diag('BL801', {
                sheet: SHEETS.actuals,
                purpose: 'actuals to date: run budgetline actuals first',
              }),
            ],
            'No actuals yet: import them with budgetline actuals <workbook> <extract> --as-of <date>.',
          ),
          rows: 0,
        },
      };
    const read = readActuals(grid, SHEETS.actuals);
    const asOf = read.rows.find((r) => r.asOf)?.asOf ?? '';
    const r = report(wb, snap, read.rows, asOf);
    if ('refused' in r)
      return { result: { ...refuse(r.refused, `No actuals report: ${UNTRUSTED}.`), rows: 0 } };
    return {
      result: {
        ...result(true, [...read.diagnostics, ...r.diagnostics], summaryOf(r)),
        report: r,
        rows: read.rows.length,
        siteNames: namesOf(wb),
      },
    };
  },
};
