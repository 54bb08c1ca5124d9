/**
 * Actuals to date: budget vs actual vs encumbered vs remaining (pure), and importActuals as a plan —
 * all or nothing, every problem on its row of the extract.
 */
import {
  MemoryPort,
  SHEETS,
  budgetVsActual,
  importActuals,
  actualsReport,
  operations,
  parseDate,
  runOperation,
  type ActualRow,
  type CellValue,
  type LedgerLine,
  type OperationOptions,
  type PortUser,
  type Snapshot,
} from '../../../core';
import { seedDistrict, SITE_001_ROWS } from '../../fixtures/district';
import { SITE_HEADER } from '../../../core';

const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };
const options: OperationOptions = { now: () => '2026-11-28T09:30:00.000Z' };

const line = (site: string, account: string, cents: number): LedgerLine => ({
  site,
  account,
  cents,
  description: '',
});
const actual = (site: string, account: string, a: number, e = 0): ActualRow => ({
  site,
  account,
  actualCents: a,
  encumberedCents: e,
  asOf: '2027-03-31',
});

describe('budgetVsActual', () => {
  const fundOf = (account: string): string => account.slice(0, 3);
  it.each([
    {
      what: 'remaining = budget − actual − encumbered; within budget: no flag',
      ledger: [line('001', '100-A', 100_000)],
      actuals: [actual('001', '100-A', 40_000, 10_000)],
      remaining: [50_000],
      flags: [[]],
      codes: [],
    },
    {
      what: 'actual + encumbered over budget is flagged (BL845)',
      ledger: [line('001', '100-A', 100_000)],
      actuals: [actual('001', '100-A', 90_000, 20_000)],
      remaining: [-10_000],
      flags: [['over budget']],
      codes: ['BL845'],
    },
    {
      what: 'actuals on a line with no budget are flagged (BL846)',
      ledger: [],
      actuals: [actual('001', '100-B', 5_000)],
      remaining: [-5_000],
      flags: [['no budget']],
      codes: ['BL846'],
    },
    {
      what: 'a refund (negative actual) is allowed and shown',
      ledger: [line('001', '100-A', 10_000)],
      actuals: [actual('001', '100-A', -2_500)],
      remaining: [12_500],
      flags: [['refund']],
      codes: [],
    },
    {
      what: 'budget lines without actuals stay, with everything remaining',
      ledger: [line('001', '100-A', 10_000), line('001', '100-A', 5_000)],
      actuals: [],
      remaining: [15_000],
      flags: [[]],
      codes: [],
    },
  ])('$what', ({ ledger, actuals, remaining, flags, codes }) => {
    const r = budgetVsActual({ ledger, actuals, fundOf, asOf: '2027-03-31' });
    expect(r.lines.map((l) => l.remainingCents)).toEqual(remaining);
    expect(r.lines.map((l) => l.flags)).toEqual(flags);
    expect(r.diagnostics.map((d) => d.code)).toEqual(codes);
  });

  it('sums per site, per fund and for the district, exactly', () => {
    const r = budgetVsActual({
      ledger: [line('001', '100-A', 1_000), line('002', '100-A', 2_000), line('002', '210-C', 3_000)],
      actuals: [actual('001', '100-A', 1), actual('002', '210-C', 7, 3)],
      fundOf,
      asOf: '2027-03-31',
    });
    expect(r.sites.map((s) => [s.key, s.budgetCents, s.actualCents, s.remainingCents])).toEqual([
      ['001', 1_000, 1, 999],
      ['002', 5_000, 7, 4_990],
    ]);
    expect(r.funds.map((f) => [f.key, f.budgetCents, f.encumberedCents])).toEqual([
      ['100', 3_000, 0],
      ['210', 3_000, 3],
    ]);
    expect(r.district).toEqual({
      key: 'District',
      budgetCents: 6_000,
      actualCents: 8,
      encumberedCents: 3,
      remainingCents: 5_989,
    });
  });

  it('reads ISO and US dates, and refuses dates that do not exist', () => {
    expect(parseDate('2027-03-31')).toBe('2027-03-31');
    expect(parseDate('3/31/2027')).toBe('2027-03-31');
    expect(parseDate('2027-02-30')).toBeUndefined();
    expect(parseDate('March 31')).toBeUndefined();
  });
});

async function snapshot(): Promise<{ port: MemoryPort; snap: Snapshot }> {
  const port = new MemoryPort({ user: CFO });
  await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD' },
    options,
  );
  seedDistrict(port, { cfo: CFO.email, builder: 'b@district.k12.us', approver: 'a@district.k12.us' });
  port.setSheet('Lincoln Elementary', [[...SITE_HEADER], ...SITE_001_ROWS.map((r) => [...r])]);
  return { port, snap: await port.read(importActuals.reads({ header: [], records: [], asOf: '' })) };
}

const HEADER = ['Account', 'YTD Actual', 'Encumbered', 'Posting date'];

describe('importActuals', () => {
  it.each<{
    what: string;
    records: CellValue[][];
    asOf?: string;
    findings: string[];
    ok: boolean;
  }>([
    {
      what: 'an account that fails validation refuses the whole extract',
      records: [
        ['100-1000-610-100-001', '1000.00', '500', '2026-09-15'],
        ['100-1000-610-100-001', '-200', '', '2027-01-10'],
        ['100-2220-641-100-001', '10', '0', '2026-10-01'],
        ['100-1000-610-100-001', '3000', '', '2027-03-01'],
      ],
      findings: ['BL104@actuals.csv!A4'],
      ok: false,
    },
    {
      what: 'a posting date outside the fiscal year, and an amount typed with $',
      records: [
        ['100-1000-610-100-001', '$1,000.00', '', '2026-06-30'],
        ['100-1000-610-100-009', '5', '', '2026-07-01'],
      ],
      findings: ['BL841@actuals.csv!B2', 'BL844@actuals.csv!D2', 'BL840@actuals.csv!A3'],
      ok: false,
    },
    {
      what: 'an as-of date outside the fiscal year',
      records: [['100-1000-610-100-001', '5', '', '2026-07-01']],
      asOf: '2027-07-01',
      findings: ['BL844@!'],
      ok: false,
    },
    {
      what: 'good extract: over budget, no budget and a refund are shown',
      records: [
        ['100-1000-610-100-001', '3000.00', '600', '2026-09-15'],
        ['100-1000-610-100-001', '-25.00', '', '2027-01-10'],
        ['100-2220-640-100-001', '75', '', '2026-10-01'],
      ],
      findings: ['BL845@!', 'BL846@!'],
      ok: true,
    },
  ])('$what', async ({ records, asOf, findings, ok }) => {
    const { snap } = await snapshot();
    const out = importActuals.run(
      snap,
      { header: HEADER, records, asOf: asOf ?? '2027-03-31', source: 'actuals.csv' },
      options,
    );
    expect(out.result.diagnostics.map((d) => `${d.code}@${d.sheet ?? ''}!${d.cell ?? ''}`)).toEqual(findings);
    expect(out.result.ok).toBe(ok);
    expect(out.write !== undefined).toBe(ok);
  });

  it('writes the Actuals table in one write; the report reads it back', async () => {
    const { port } = await snapshot();
    const r = await runOperation(
      port,
      importActuals,
      {
        header: HEADER,
        records: [
          ['100-1000-610-100-001', '3000.00', '600', '2026-09-15'],
          ['100-1000-610-100-001', '-25.00', '', '2027-01-10'],
          ['100-2220-640-100-001', '75', '', '2026-10-01'],
        ],
        asOf: '2027-03-31',
      },
      options,
    );
    expect(r.rows).toBe(2);
    expect(r.summary).toMatch(
      /3 posting lines .*1 refund, kept as negative actuals.*1 line over budget, 1 line with actuals and no budget/,
    );
    expect(port.sheet(SHEETS.actuals)).toEqual([
      ['Site', 'Account', 'Actual', 'Encumbered', 'As of'],
      ['001', '100-1000-610-100-001', 2975, 600, '2027-03-31'],
      ['001', '100-2220-640-100-001', 75, 0, '2027-03-31'],
    ]);
    const line610 = r.report?.lines.find((l) => l.account === '100-1000-610-100-001');
    expect(line610).toMatchObject({
      budgetCents: 350_000,
      actualCents: 297_500,
      encumberedCents: 60_000,
      remainingCents: -7_500,
      flags: ['over budget'],
    });
    const again = await runOperation(port, actualsReport, {}, options);
    expect(again.report).toEqual(r.report);
  });
});
