/**
 * The CFO's views as operations (core/operations/cfo.ts) over a district on a MemoryPort: one read
 * each, one write for a decision, and the tables (core/views/cfo.ts) as the pane and the sidebar show them.
 */
import {
  MemoryPort,
  SHEETS,
  actualsView,
  adoptView,
  decideView,
  proposeView,
  operations,
  proposalsView,
  runOperation,
  scenariosView,
  type OperationOptions,
  type PortUser,
  type ViewTable,
} from '../../../core';
import { once, seedDistrict, SITE_001_ROWS } from '../../fixtures/district';
import { SITE_HEADER } from '../../../core';
import { cfoSheets } from '../../fixtures/cfo-views';

const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };
const BUILDER: PortUser = { email: 'b@district.k12.us', verified: true };
const options: OperationOptions = { now: () => '2027-04-02T09:30:00.000Z' };

async function district(user: PortUser = CFO): Promise<MemoryPort> {
  const port = new MemoryPort({ user });
  await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD' },
    options,
  );
  seedDistrict(port, { cfo: CFO.email, builder: BUILDER.email, approver: 'a@district.k12.us' });
  port.setSheet('Lincoln Elementary', [[...SITE_HEADER], ...SITE_001_ROWS.map((r) => [...r])]);
  for (const [sheet, grid] of Object.entries(cfoSheets())) port.setSheet(sheet, grid);
  return port;
}

const cells = (t: ViewTable | undefined, key: string): string[] =>
  t?.rows.find((r) => r.key === key)?.cells.map((c) => (c.flag ? `[${c.flag}] ${c.text}` : c.text)) ?? [];

describe('proposalsView', () => {
  test('ranked proposals worded as a table, the funding line in a sentence, the CFO may decide', async () => {
    const port = await district();
    const r = await once(port, () => runOperation(port, proposalsView, {}, options), 0);
    expect(r.canDecide).toBe(true);
    const t = r.board?.table;
    expect(t?.columns).toEqual([
      'Rank',
      'ID',
      'Title',
      'Owner',
      'Type',
      'Category',
      'Score',
      'Community input',
      'Cost FY2027',
      'Cost FY2028',
      'Cost FY2029',
      'FTE',
      'Status',
      'Funding line',
    ]);
    expect(t?.rows.map((row) => row.key)).toEqual(['P-01', 'P-02', 'P-04', 'P-03', 'P-05']);
    expect(cells(t, 'P-01')).toEqual([
      '1',
      'P-01',
      'Reading curriculum',
      'Lincoln Elementary',
      'Addition',
      'Student-facing',
      '4.60 (2 reviewers)',
      '140 for, 12 against; Community survey: parents want it; Board: asked for the evidence',
      '$100,000.00',
      '$0.00',
      '$0.00',
      '0',
      'Submitted',
      expect.stringMatching(/Above the line|Below the line/),
    ]);
    // a reduction's saving is negative; a draft is not ranked
    expect(cells(t, 'P-04').slice(8, 11)).toEqual(['-$40,000.00', '-$40,000.00', '-$40,000.00']);
    expect(cells(t, 'P-05')[0]).toBe('—');
    expect(cells(t, 'P-05')[13]).toBe('Not ranked: a draft, not submitted yet');
    expect(cells(t, 'P-01')[13]).toMatch(
      /^\[ok\] Above the line — fits: \$[\d,]+\.\d\d left above the reserve minimum at the tightest \(fund 100 in FY20\d\d\)$/,
    );
    expect(r.board?.fundingLine).toMatch(
      /^Funding line: \$[\d,]+\.\d\d available \(the lowest margin above the reserve minimum, FY2027–FY2029\)\. \d+ proposals? above the line cost -?\$[\d,]+\.\d\d in FY2027 and leave -?\$[\d,]+\.\d\d at the tightest; \d+ proposals? below it\.$/,
    );
    expect(r.board?.choices[0]).toEqual({ id: 'P-01', label: 'P-01 — Reading curriculum' });
  });

  test('a builder sees the same list and may not decide', async () => {
    const port = await district(BUILDER);
    const r = await runOperation(port, proposalsView, {}, options);
    expect(r.canDecide).toBe(false);
    expect(r.board?.table.rows).toHaveLength(5);
  });
});

describe('decideView', () => {
  test('one read, one write, and the list as it stands after the decision', async () => {
    const port = await district();
    const r = await once(
      port,
      () =>
        runOperation(
          port,
          decideView,
          { proposal: 'P-02', decision: 'accept', reason: 'Counselors first' },
          options,
        ),
      1,
    );
    expect(r.ok).toBe(true);
    expect(cells(r.view.board?.table, 'P-02')[12]).toBe('Accepted: Counselors first');
    const again = await runOperation(port, proposalsView, {}, options);
    expect(again.board).toEqual(r.view.board);
  });

  test('without a reason the core refuses (BL904 on the reason cell) and nothing is written', async () => {
    const port = await district();
    const before = JSON.stringify(port.sheet(SHEETS.proposals));
    const r = await once(
      port,
      () => runOperation(port, decideView, { proposal: 'P-02', decision: 'reject', reason: '  ' }, options),
      0,
    );
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'BL904', sheet: SHEETS.proposals })]);
    expect(cells(r.view.board?.table, 'P-02')[12]).toBe('Under review');
    expect(JSON.stringify(port.sheet(SHEETS.proposals))).toBe(before);
  });
});

describe('scenariosView', () => {
  test('per fund, three years, six measures, the scenarios side by side', async () => {
    const port = await district();
    const r = await once(port, () => runOperation(port, scenariosView, {}, options), 0);
    expect(r.ok).toBe(true);
    const all = r.tables?.find((t) => t.caption.startsWith('All funds'));
    expect(all?.columns).toEqual(['Year and measure', 'Base', 'With accepted', 'Lean']);
    expect(all?.rows.map((row) => row.cells[0]?.text).slice(0, 6)).toEqual([
      'FY2027 revenues',
      'FY2027 expenditures',
      'FY2027 ending balance',
      'FY2027 reserve',
      'FY2027 FTE',
      'FY2027 per pupil',
    ]);
    expect(all?.rows).toHaveLength(18);
    expect(r.tables?.[0]?.caption).toMatch(/^100 General Fund: scenarios compared, FY2027–FY2029$/);
  });
});

describe('actualsView', () => {
  test('budget vs actual vs forecast by fund and site, flagged lines in words', async () => {
    const port = await district();
    const r = await once(port, () => runOperation(port, actualsView, {}, options), 0);
    expect(r.ok).toBe(true);
    const b = r.board;
    expect(b?.asOf).toMatch(/^Actuals as of 2027-03-31; forecast to the end of FY2027\.$/);
    expect(b?.bySite.columns).toEqual([
      'Site',
      'Budget',
      'Actual',
      'Encumbered',
      'Remaining',
      'Forecast',
      'Forecast variance',
      'Flags',
      'How forecast',
    ]);
    expect(cells(b?.bySite, '001')[0]).toBe('Lincoln Elementary (001)');
    expect(cells(b?.flagged, '001 100-1000-610-100-001')).toEqual([
      '001',
      '100-1000-610-100-001',
      '$3,500.00',
      '$3,000.00',
      '$900.00',
      '-$400.00',
      expect.stringMatching(/^\$[\d,]+\.\d\d$/),
      expect.stringMatching(/^\[warning\] Over budget by \$400\.00/),
    ]);
    expect(cells(b?.flagged, '001 100-2700-610-100-001')[7]).toMatch(/^\[warning\] Actuals with no budget/);
    expect(b?.byFund.rows.at(-1)?.cells[0]?.text).toBe('All');
  });

  test('a line with no actuals yet is still forecast (the position at its budget), and each total says how it was made', async () => {
    const port = await district();
    const r = await runOperation(port, actualsView, {}, options);
    const budget = (key: string): string | undefined => cells(r.board?.bySite, key)[1];
    // Site 001 holds a teacher's position with no actuals by March 31: its forecast is not far below budget.
    const site = cells(r.board?.bySite, '001');
    const cents = (t: string | undefined): number => Math.round(Number((t ?? '').replace(/[$,]/g, '')) * 100);
    expect(cents(site[5])).toBeGreaterThanOrEqual(cents(budget('001')) - 350_000);
    // The position (no actuals), classroom supplies (actuals) and the line with actuals but no budget.
    expect(site[8]).toBe('3 lines: 3 straight-line (1 with no actuals yet, at its budget)');
    expect(r.board?.byFund.columns.at(-1)).toBe('How forecast');
    expect(cells(r.board?.byFund, 'District')[8]).toMatch(/^3 lines: /);
    expect(r.summary).toMatch(/\(3 straight-line; 1 line with no actuals yet forecast at its budget\)/);
  });

  test('without an Actuals sheet: refused with BL801, no tables', async () => {
    const port = await district();
    port.deleteSheet(SHEETS.actuals);
    const r = await runOperation(port, actualsView, {}, options);
    expect(r.ok).toBe(false);
    expect(r.board).toBeUndefined();
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'BL801' })]);
  });
});

describe('proposeView and adoptView (h15 operations, shown in the hosts)', () => {
  test('a budget owner sees the drafts of their site to submit, and submits one: one read, one write', async () => {
    const port = await district(BUILDER);
    const before = await runOperation(port, proposalsView, {}, options);
    expect(before.proposable.map((p) => p.id)).toEqual(['P-05']);
    const r = await once(port, () => runOperation(port, proposeView, { proposal: 'P-05' }, options), 1);
    expect(r.ok).toBe(true);
    expect(cells(r.view.board?.table, 'P-05')[12]).toBe('Submitted');
    expect(r.view.proposable).toEqual([]);
  });

  test('the CFO may adopt a scenario; a reason is required (BL918) and nothing is written without one', async () => {
    const port = await district();
    const view = await runOperation(port, scenariosView, {}, options);
    expect(view.canAdopt).toBe(true);
    expect(view.names).toEqual(['With accepted', 'Lean']);
    const refused = await once(
      port,
      () => runOperation(port, adoptView, { scenario: 'Lean', reason: '' }, options),
      0,
    );
    expect(refused.ok).toBe(false);
    expect(refused.diagnostics.map((d) => d.code)).toEqual(['BL918']);
    const r = await once(
      port,
      () => runOperation(port, adoptView, { scenario: 'Lean', reason: 'Enrollment is falling' }, options),
      1,
    );
    expect(r.ok).toBe(true);
    expect(r.view.tables?.length).toBeGreaterThan(0);
    const builder = await runOperation(await district(BUILDER), scenariosView, {}, options);
    expect(builder.canAdopt).toBe(false);
  });
});
