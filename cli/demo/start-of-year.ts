/**
 * The demo's first act: the start of the year, as a district lives it. The current year is FY2026
 * (the year before the demo's budget year); the district starts from its accounting system:
 *
 *   A1 extract      last year's budget for all the schools in ONE file, in the accounting system's
 *                   layout (Org, Line Type, GL Account, FY26 Budget, Job Class …), and the year-to-date
 *                   actuals as of March 31 (some lines over budget, a refund, open encumbrances);
 *   A2 import       `import --by-site`: every school's lines into its sheet, all or nothing;
 *   A3 actuals      `actuals --as-of 2026-03-31`: budget vs actual vs encumbered per site and fund;
 *   A4 forecast     the rest of the year per line (salaries by pay periods left, the rest straight-line);
 *   A5 roll-forward next year's starting budget (FY2027) with the known cost changes as their own
 *                   lines, the forecast's estimated ending balances as its beginning balances.
 *
 * Each step runs the operation its command runs; the extracts are written as files and read back by
 * the command line's own CSV reader. Leaves <dir>/start-of-year/: the two extracts, the current
 * year's workbook and next year's starting budget.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BENEFITS_TABLE,
  cellText,
  COST_CHANGES_TABLE,
  csvField,
  FORECAST_METHODS_TABLE,
  forecast,
  formatCents,
  formatsFor,
  formatsOf,
  FORMULA_TABLE,
  FUND_BALANCES_TABLE,
  gridOf,
  importActuals,
  indexOfColumn,
  JOB_TYPES_TABLE,
  operations,
  readWorkbook,
  REVENUES_TABLE,
  ROLES_TABLE,
  runOperation,
  SETUP_HEADER,
  SETUP_TABLE,
  SHEETS,
  SITE_TABLE,
  SITES_TABLE,
  siteSheetsOf,
  tableWrite,
  type CellValue,
  type ColumnKey,
  type Diagnostic,
  type OperationOptions,
  type SheetWrite,
  type TableDecl,
} from '../../core';
import { explainRollForward } from '../commands/roll-forward';
import { newWorkbook } from '../context';
import { writeFileAtomic } from '../files';
import { readCsvRecords } from '../import-csv';
import { XlsxPort } from '../xlsx-port';
import { rng, type DemoDistrict } from './generate';

export interface StartOfYearStep {
  readonly step: string;
  readonly ok: boolean;
  readonly summary: string;
  readonly details: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface StartOfYear {
  readonly dir: string;
  readonly current: string;
  readonly next: string;
  readonly steps: readonly StartOfYearStep[];
  /** Next year's beginning balance per fund, as written to its Fund Balances, and the forecast's ending. */
  readonly balances: readonly { fund: string; beginningCents: number; forecastEndingCents: number }[];
}

const AS_OF = '2026-03-31';

/** The accounting system's column for each site-sheet column (what `--map` names). */
const ERP: readonly [ColumnKey<typeof SITE_TABLE>, string][] = [
  ['type', 'Line Type'],
  ['account', 'GL Account'],
  ['description', 'Line Description'],
  ['quantity', 'Qty'],
  ['unitCost', 'Unit Price'],
  ['amount', 'FY26 Budget'],
  ['oneTime', 'Non-Recurring'],
  ['jobType', 'Job Class'],
  ['employee', 'Employee Name'],
  ['hrId', 'Position Number'],
  ['fte', 'FTE'],
  ['percent', 'Split Pct'],
  ['notes', 'Comments'],
  // A position paid from two accounts (the demo's split counselors): the second account and its share.
  ['account2', 'GL Account 2'],
  ['percent2', 'Split Pct 2'],
];

const csv = (rows: readonly (readonly CellValue[])[]): string =>
  rows
    .map((r) => r.map((v) => csvField(v === null || v === undefined ? '' : cellText(v))).join(','))
    .join('\r\n') + '\r\n';

/**
 * Last year's budget extract: every school's lines and positions in one file, the site in an "Org"
 * column. The rows are the generated schools' own, without the four deliberate mistakes (the
 * accounting system holds only valid accounts); amounts are plain numbers, as ERP exports write them.
 */
export function budgetExtract(d: DemoDistrict): string {
  const skip = new Set(d.mistakes.map((m) => `${m.sheet}!${Number(/\d+/.exec(m.cell)?.[0] ?? 0)}`));
  const rows: CellValue[][] = [['Org', ...ERP.map(([, h]) => h)]];
  const at = (k: ColumnKey<typeof SITE_TABLE>): number => indexOfColumn(SITE_TABLE, k);
  for (const s of d.sites) {
    let n = 0;
    s.rows.forEach((r, i) => {
      if (skip.has(`${s.name}!${i + 2}`)) return;
      const row = [...r];
      // Position control numbers every position (the sheet's rows leave most of them blank).
      if (row[at('type')] === 'Position' && (row[at('hrId')] ?? '') === '')
        row[at('hrId')] = `PC-${s.code}-${String(++n).padStart(3, '0')}`;
      rows.push([s.code, ...ERP.map(([k]) => row[at(k)] ?? null)]);
    });
  }
  return csv(rows);
}

/**
 * Year-to-date actuals as of March 31 for every site and account of the budget as imported: about
 * two thirds of each line spent, salaries by pay periods (8 of 10 paid), a few lines over budget,
 * one refund (a negative actual), and open purchase orders on the supply lines.
 */
export function actualsExtract(
  ledger: readonly { site: string; account: string; cents: number; object: string }[],
  seed: number,
): { csv: string; over: number; refunds: number; encumbered: number } {
  const r = rng(seed + 3);
  const byKey = new Map<string, { site: string; account: string; cents: number; object: string }>();
  for (const l of ledger) {
    const k = `${l.site} ${l.account}`;
    const e = byKey.get(k);
    if (e) e.cents += l.cents;
    else byKey.set(k, { ...l });
  }
  const rows: CellValue[][] = [['Org', 'GL Account', 'YTD Actual', 'Encumbered', 'Posting Date']];
  let over = 0;
  let refunds = 0;
  let encumbered = 0;
  const lines = [...byKey.values()];
  lines.forEach((l, i) => {
    const salary = /^[12]/.test(l.object);
    // Salaries: 8 of 10 pay periods paid by March 31; the rest a little under the run rate.
    const share = salary ? 0.8 : 0.55 + r() * 0.17;
    let actual = Math.round(l.cents * share);
    let enc = !salary && /^6/.test(l.object) ? Math.round(l.cents * (0.05 + r() * 0.1)) : 0;
    // Every fifteenth supply or service line has run over: spent and ordered beyond its budget.
    if (!salary && i % 15 === 7) {
      actual = Math.round(l.cents * 0.92);
      enc = Math.round(l.cents * 0.16);
      over++;
    }
    // One refund: a vendor credited back more than was spent so far on a repair line.
    if (refunds === 0 && l.object === '430') {
      actual = -Math.round(l.cents * 0.02);
      refunds++;
    }
    if (enc) encumbered++;
    rows.push([l.site, l.account, (actual / 100).toFixed(2), (enc / 100).toFixed(2), AS_OF]);
  });
  return { csv: csv(rows), over, refunds, encumbered };
}

/** The known cost changes the budget office enters for FY2027 (and one for FY2028, not yet due). */
const COST_CHANGES: CellValue[][] = gridOf(
  COST_CHANGES_TABLE,
  ['id', 'change', 'description', 'year', 'appliesTo', 'percent', 'amount', 'sites', 'fund', 'notes'],
  [
    [
      'CC-01',
      'raise',
      'CVTA agreement, year 2 of 3',
      'FY2027',
      'CVTA',
      '3%',
      null,
      null,
      null,
      'Board 2025-11',
    ],
    ['CC-02', 'raise', 'CSEA agreement', 'FY2027', 'CSEA', '2.5%', null, null, null, 'Board 2026-02'],
    [
      'CC-03',
      'step and column',
      'Step and column movement (HR placement run)',
      'FY2027',
      'CVTA',
      null,
      1_150,
      null,
      null,
      'average per 1.0 FTE',
    ],
    [
      'CC-04',
      'benefit rate',
      'Teacher retirement employer rate 12% to 13.1%',
      'FY2027',
      'CERT/Teacher retirement',
      '1.1%',
      null,
      null,
      null,
      'state board',
    ],
    [
      'CC-05',
      'benefit rate',
      'Health insurance renewal',
      'FY2027',
      'Health insurance',
      '6%',
      null,
      null,
      null,
      'carrier renewal',
    ],
    [
      'CC-06',
      'contract',
      'Occupational therapy contract renewal',
      'FY2027',
      'vendor: occupational therapy',
      '4%',
      null,
      null,
      '220',
      null,
    ],
    [
      'CC-07',
      'contract',
      'New student transportation contract: field trips',
      'FY2027',
      '510',
      null,
      12_000,
      null,
      null,
      'spread over the schools by their trips',
    ],
    [
      'CC-08',
      'one-time ends',
      'Title I literacy coaching grant ends',
      'FY2027',
      'vendor: literacy coaching',
      null,
      null,
      null,
      '210',
      null,
    ],
    [
      'CC-09',
      'raise',
      'CVTA agreement, year 3 of 3',
      'FY2028',
      'CVTA',
      '2%',
      null,
      null,
      null,
      'applies next year',
    ],
  ],
);

const table = (decl: TableDecl, grid: CellValue[][]): SheetWrite =>
  tableWrite(decl.sheet, grid, formatsOf(decl) && formatsFor(decl, grid[0] ?? []));

export async function runStartOfYear(
  outDir: string,
  d: DemoDistrict,
  seed: number,
  base: Pick<OperationOptions, 'now' | 'progress'>,
): Promise<StartOfYear> {
  const dir = join(outDir, 'start-of-year');
  await mkdir(dir, { recursive: true });
  const fy = d.fiscalYear - 1;
  const current = join(dir, `fy${fy}-current-year.xlsx`);
  const nextFile = join(dir, `fy${d.fiscalYear}-starting-budget.xlsx`);
  const steps: StartOfYearStep[] = [];
  const cfo: OperationOptions = { ...base, actAs: { email: d.people.cfo, verified: false } };

  // The current year's workbook: the district's tables (no Salary increase in Setup: the raises
  // are known cost changes), then every school's budget from the accounting system.
  const port = await newWorkbook(current, true);
  await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: fy, district: d.district },
    cfo,
  );
  const setup = (await port.read({ sheets: [SHEETS.setup] })).sheets[SHEETS.setup] ?? [[...SETUP_HEADER]];
  const settings = d.settings.map(([k, v]): [string, CellValue] => [k, k === 'Salary increase' ? '0%' : v]);
  const setupRows = setup.map((r) => [...r]);
  for (const [k, v] of settings) {
    const i = setupRows.findIndex((r, n) => n > 0 && cellText(r[0]).trim().toLowerCase() === k.toLowerCase());
    if (i > 0) (setupRows[i] as CellValue[])[1] = v;
    else setupRows.push([k, v]);
  }
  await port.write({
    sheets: [
      tableWrite(SHEETS.setup, setupRows, formatsOf(SETUP_TABLE)),
      table(SITES_TABLE, d.tables.sites),
      table(JOB_TYPES_TABLE, d.tables.jobTypes),
      table(BENEFITS_TABLE, d.tables.benefits),
      table(FORMULA_TABLE, d.tables.formula),
      table(ROLES_TABLE, d.tables.roles),
      table(REVENUES_TABLE, d.tables.revenues),
      table(FUND_BALANCES_TABLE, d.tables.fundBalances),
      table(
        FORECAST_METHODS_TABLE,
        gridOf(
          FORECAST_METHODS_TABLE,
          ['appliesTo', 'method', 'profile', 'notes'],
          [
            ['100-299', 'seasonal', 'pay-10', 'salaries and benefits: ten pay periods, August to May'],
            ['*', 'straight-line', null, 'everything else at its run rate'],
          ],
        ),
      ),
      table(COST_CHANGES_TABLE, COST_CHANGES),
    ],
  });

  // A1: the two extracts, as the accounting system writes them.
  const budgetCsv = join(dir, `erp-budget-fy${fy}-all-sites.csv`);
  await writeFileAtomic(budgetCsv, budgetExtract(d));
  const budget = await readCsvRecords(budgetCsv);

  // A2: import --by-site.
  const imported = await runOperation(
    port,
    operations.importBySite,
    {
      header: budget.header,
      records: budget.records,
      source: 'erp-budget.csv',
      siteColumn: 'Org',
      mapping: ERP.map(([k, source]) => ({ target: SITE_TABLE.columns[k].header, source })),
      replace: true,
    },
    cfo,
  );
  steps.push({
    step: 'extract',
    ok: true,
    summary: `Last year's budget from the accounting system: ${budget.records.length} lines and positions of ${d.sites.length} schools in one file (${budgetCsv}).`,
    details: [],
    diagnostics: [],
  });
  steps.push({
    step: 'import',
    ok: imported.ok,
    summary: imported.ok
      ? `import --by-site: ${imported.lines} lines and positions into ${imported.sites.length} schools' sheets, the whole file checked and written at once.`
      : `import --by-site: ${imported.summary}`,
    details: [],
    diagnostics: imported.diagnostics.filter((x) => x.severity === 'fatal'),
  });
  const stopped = (): StartOfYear => ({ dir, current, next: nextFile, steps, balances: [] });
  if (!imported.ok) return stopped();

  // A3: actuals as of March 31, generated from the budget as imported.
  const snap = await port.read({ sheets: 'all', state: true });
  const wb = readWorkbook(snap);
  const objectAt = wb.validator?.indexOf('object') ?? -1;
  const ledger = siteSheetsOf(wb, snap).flatMap((s) =>
    s.ledger.map((l) => ({
      site: s.site.code,
      account: l.account,
      cents: l.cents,
      object: wb.validator?.split(l.account)?.[objectAt] ?? '',
    })),
  );
  const extract = actualsExtract(ledger, seed);
  const actualsCsv = join(dir, `erp-actuals-${AS_OF}.csv`);
  await writeFileAtomic(actualsCsv, extract.csv);
  const read = await readCsvRecords(actualsCsv);
  const actuals = await runOperation(
    port,
    importActuals,
    { header: read.header, records: read.records, asOf: AS_OF, source: 'erp-actuals.csv' },
    cfo,
  );
  const district = actuals.report?.district;
  steps.push({
    step: 'actuals',
    ok: actuals.ok,
    summary: actuals.summary,
    details: [
      `generated extract ${actualsCsv}: ${read.records.length} rows, ${extract.over} lines run over, ${extract.refunds} refund, ${extract.encumbered} with open orders`,
      ...(district
        ? [
            `district: budget ${formatCents(district.budgetCents)}, actual ${formatCents(district.actualCents)}, encumbered ${formatCents(district.encumberedCents)}, remaining ${formatCents(district.remainingCents)}`,
          ]
        : []),
    ],
    diagnostics: actuals.diagnostics.filter((x) => x.severity === 'fatal' || x.code === 'BL845').slice(0, 3),
  });
  if (!actuals.ok) return stopped();

  // A4: the forecast of the rest of the year.
  const f = await runOperation(port, forecast, {}, cfo);
  steps.push({
    step: 'forecast',
    ok: f.ok,
    summary: f.summary,
    details: (f.funds ?? []).map(
      (x) =>
        `fund ${x.fund} ${x.name.slice(0, 32)}: forecast spending ${formatCents(x.expendituresCents + x.otherUsesCents)}, estimated ending balance ${formatCents(x.endingBalanceCents)}`,
    ),
    diagnostics: f.diagnostics.filter((x) => x.severity === 'fatal'),
  });
  if (!f.ok) return stopped();

  // A5: roll forward into next year's starting budget, a new workbook.
  const rolled = await runOperation(port, operations.rollForward, {}, cfo);
  if (rolled.next) {
    const target = await newWorkbook(nextFile, true);
    await target.write(rolled.next);
  }
  // Next year's Fund Balances as written: each fund begins at the forecast's estimated ending balance.
  const written = rolled.next
    ? ((await (await XlsxPort.open(nextFile, { readOnly: true })).read({ sheets: [SHEETS.fundBalances] }))
        .sheets[SHEETS.fundBalances] ?? [])
    : [];
  const balances = (f.funds ?? []).map((x) => {
    const row = written.find((r) => cellText(r[0]) === x.fund);
    return {
      fund: x.fund,
      forecastEndingCents: x.endingBalanceCents,
      beginningCents: typeof row?.[2] === 'number' ? Math.round(row[2] * 100) : Number.NaN,
    };
  });
  const explained = explainRollForward(rolled);
  // The changes district-wide, then one school in full (`roll-forward --explain` prints every school).
  const first = explained.findIndex((l) => /^\d{3} /.test(l));
  let end = first + 1;
  while (first >= 0 && end < explained.length && explained[end]?.startsWith(' ')) end++;
  steps.push({
    step: 'roll-forward',
    ok: rolled.ok,
    summary: `${rolled.summary} Saved as ${nextFile}.`,
    details: [
      ...explained.slice(0, Math.max(0, first)),
      ...(first >= 0 ? explained.slice(first, end) : []),
      ...balances.map(
        (b) =>
          `fund ${b.fund} begins FY${d.fiscalYear} at ${Number.isNaN(b.beginningCents) ? '(not written)' : formatCents(b.beginningCents)}: the forecast's estimated ending balance ${formatCents(b.forecastEndingCents)}`,
      ),
    ],
    diagnostics: rolled.diagnostics.filter((x) => x.severity === 'fatal'),
  });
  return { dir, current, next: nextFile, steps, balances };
}
