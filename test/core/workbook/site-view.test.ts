/**
 * The site sheet's computed parts (core/workbook/site-view.ts): the Cost (computed) column and the
 * allocated / planned / remaining summary, written with validation and never read as input.
 */
import {
  MemoryPort,
  operations,
  readSiteSheet,
  readWorkbook,
  runOperation,
  SITE_HEADER,
  type CellValue,
  type OperationOptions,
  type PortUser,
} from '../../../core';
import { contentLines } from '../../../core/workbook/read';
import { siteTableGrid } from '../../../core/workbook/site-view';
import { seedDistrict } from '../../fixtures/district';

const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };
const SHEET = 'Lincoln Elementary';
const options: OperationOptions = { now: () => '2026-11-28T09:30:00.000Z' };

const row = (o: Partial<Record<(typeof SITE_HEADER)[number], CellValue>>): CellValue[] =>
  SITE_HEADER.map((h) => o[h] ?? null);

const ROWS: CellValue[][] = [
  [...SITE_HEADER],
  row({
    Type: 'Line',
    Account: '100-1000-610-100-001',
    Description: 'Paper',
    Quantity: 12,
    'Unit cost': 4.25,
  }),
  row({ Type: 'Line', Account: '100-1000-640-100-001', Description: 'Books', Amount: 450 }),
  // A teacher at the job type's average salary (60,000) with 10% retirement: 66,000 for 1.0 FTE.
  row({ Type: 'Position', 'Job type': 'TCH', Employee: 'Ortiz', FTE: 1, Account: '100-1000-111-100-001' }),
  // Half time, split over two accounts: 33,000 in all (16,500 each).
  row({
    Type: 'Position',
    'Job type': 'TCH',
    Employee: 'Lee',
    FTE: 0.5,
    Account: '100-1000-111-100-001',
    Percent: '50%',
    'Account 2': '100-2220-111-100-001',
    'Percent 2': '50%',
  }),
];
const COST = SITE_HEADER.indexOf('Cost (computed)');
const COST_LETTER = String.fromCharCode(65 + COST);
const PIECE2 = SITE_HEADER.indexOf('Cost, Account 2 (computed)');
const PIECE2_LETTER = String.fromCharCode(65 + PIECE2);

async function district(rows: CellValue[][] = ROWS): Promise<MemoryPort> {
  const port = new MemoryPort({ user: CFO });
  await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD' },
    options,
  );
  seedDistrict(port, { cfo: CFO.email, builder: 'b@district.k12.us', approver: 'a@district.k12.us' });
  port.setSheet(SHEET, rows);
  return port;
}

const validate = (port: MemoryPort) => runOperation(port, operations.validateSites, {}, options);

/** The cells a person typed: the site table without the computed column. */
const userCells = (grid: readonly (readonly CellValue[])[]): CellValue[][] =>
  siteTableGrid(grid)
    .map((r) => r.map((v) => (v === undefined ? null : v)))
    .map((r) => {
      let end = r.length;
      while (end > 0 && (r[end - 1] === null || r[end - 1] === '')) end--;
      return r.slice(0, end);
    })
    .filter((r, i) => i === 0 || r.length > 0);

describe('site sheets show what each row costs and what remains', () => {
  it('writes each row’s cost (quantity × unit cost, salary and benefits × FTE) in one write with the marks', async () => {
    const port = await district();
    port.resetCounts();
    const r = await validate(port);
    expect(r.ok).toBe(true);
    expect(port.roundTrips).toEqual({ reads: 1, writes: 1 });
    const grid = port.sheet(SHEET) ?? [];
    expect(grid.slice(0, 5).map((x) => x[COST])).toEqual(['Cost (computed)', 51, 450, 66000, 33000]);
    expect(port.numberFormat(SHEET, `${COST_LETTER}2`)).toBe('#,##0.00');
  });

  it('shows allocated, planned and remaining per funding source and for the site, in $ and FTE', async () => {
    const port = await district();
    await validate(port);
    const grid = port.sheet(SHEET) ?? [];
    const at = (grid[0] ?? []).indexOf('Funding source (computed)');
    expect(at).toBe(PIECE2 + 2);
    expect(grid.slice(0, 3).map((x) => x.slice(at, at + 7))).toEqual([
      [
        'Funding source (computed)',
        'Allocated',
        'Planned',
        'Remaining',
        'FTE allocated',
        'FTE planned',
        'FTE remaining',
      ],
      ['General fund', 100000, 99501, 499, null, 1.5, null],
      ['Site total', 100000, 99501, 499, 0, 1.5, -1.5],
    ]);
  });

  it('reads a sheet with its computed parts exactly as without them: nothing typed moved or changed', async () => {
    const port = await district();
    const before = port.sheet(SHEET) ?? [];
    const snap0 = await port.read({ sheets: 'all', state: true });
    const wb = readWorkbook(snap0);
    const site = wb.sites[0];
    if (!site) throw new Error('no site');
    const read0 = readSiteSheet(wb, site, snap0.sheets[SHEET]);
    await validate(port);
    const after = port.sheet(SHEET) ?? [];
    expect(userCells(after)).toEqual(userCells(before));
    const snap1 = await port.read({ sheets: 'all', state: true });
    const wb1 = readWorkbook(snap1);
    const read1 = readSiteSheet(wb1, wb1.sites[0] ?? site, snap1.sheets[SHEET]);
    expect(contentLines(read1.ledger)).toEqual(contentLines(read0.ledger));
    expect(read1.diagnostics).toEqual(read0.diagnostics);
    // Validating again changes nothing and finds nothing new.
    const again = await validate(port);
    expect(again.diagnostics.map((d) => d.code)).not.toContain('BL430');
    expect(port.sheet(SHEET)).toEqual(after);
  });

  it('replaces a value typed into the cost column, saying what it was (BL430), and never reads it', async () => {
    const port = await district();
    await validate(port);
    port.setCell(SHEET, `${COST_LETTER}2`, 999);
    // A cost typed on an empty row is not a line (no blank-account finding) and is cleared with BL430.
    port.setCell(SHEET, `${COST_LETTER}9`, 125);
    const r = await validate(port);
    const bl430 = r.diagnostics.filter((d) => d.code === 'BL430');
    expect(bl430.map((d) => [d.cell, d.severity])).toEqual([
      [`${COST_LETTER}2`, 'warning'],
      [`${COST_LETTER}9`, 'warning'],
    ]);
    expect(bl430[0]?.message).toContain('$999.00');
    expect(bl430[0]?.message).toContain('$51.00');
    expect(r.diagnostics.filter((d) => d.severity === 'fatal')).toEqual([]);
    expect(port.cell(SHEET, `${COST_LETTER}2`)).toBe(51);
    expect(port.cell(SHEET, `${COST_LETTER}9`)).toBeNull();
    expect(port.marks(SHEET).map((m) => m.cell)).toEqual([`${COST_LETTER}2`, `${COST_LETTER}9`]);
  });

  it('live validation rewrites the edited rows’ cost only', async () => {
    const port = await district();
    await validate(port);
    // The quantity (column D) edited: the cost follows without a finding.
    port.setCell(SHEET, 'D2', 20);
    const edit = { sheet: SHEET, from: 1, to: 1, columns: { from: 3, to: 3 } };
    const live = await runOperation(port, operations.validateRows, edit, options);
    expect(live.diagnostics).toEqual([]);
    expect(port.cell(SHEET, `${COST_LETTER}2`)).toBe(85);
    // The cost cell itself typed over: replaced, and said so.
    port.setCell(SHEET, `${COST_LETTER}2`, 10);
    const typed = { sheet: SHEET, from: 1, to: 1, columns: { from: COST, to: COST } };
    const told = await runOperation(port, operations.validateRows, typed, options);
    expect(told.diagnostics.map((d) => [d.code, d.cell])).toEqual([['BL430', `${COST_LETTER}2`]]);
    expect(port.cell(SHEET, `${COST_LETTER}2`)).toBe(85);
    // A row made wrong loses its cost without a second finding: its own finding says why.
    port.setCell(SHEET, 'B3', '100-1000-999-100-001');
    const wrong = await runOperation(
      port,
      operations.validateRows,
      { sheet: SHEET, from: 2, to: 2 },
      options,
    );
    expect(wrong.diagnostics.map((d) => d.code)).not.toContain('BL430');
    expect(wrong.diagnostics.some((d) => d.cell === 'B3' && d.severity === 'fatal')).toBe(true);
    expect(port.cell(SHEET, `${COST_LETTER}3`)).toBeNull();
  });

  it('never writes over a cell of the user’s: a column without room is left alone with BL431', async () => {
    const header = SITE_HEADER.slice(0, COST);
    const rows = ROWS.map((r, i) => [...r.slice(0, COST), i === 2 ? 'see memo' : null]);
    rows[0] = [...header];
    const port = await district(rows);
    const r = await validate(port);
    expect(r.diagnostics.filter((d) => d.code === 'BL431').map((d) => d.cell)).toEqual([`${COST_LETTER}3`]);
    expect(port.cell(SHEET, `${COST_LETTER}3`)).toBe('see memo');
    expect(port.cell(SHEET, `${COST_LETTER}1`)).toBeNull();
  });

  it('puts dropdowns and number rules on the whole table, found by header name', async () => {
    // A district's own order: Notes first, FTE before Type.
    const header = ['Notes', 'FTE', ...SITE_HEADER.filter((h) => h !== 'Notes' && h !== 'FTE')];
    const port = await district([header]);
    await validate(port);
    const col = (h: string): string => String.fromCharCode(65 + header.indexOf(h));
    const range = (h: string): string => `${col(h)}2:${col(h)}`;
    expect(port.dropdowns().filter((d) => d.sheet === SHEET)).toEqual([
      { sheet: SHEET, range: range('Type'), values: ['Line', 'Position'] },
      { sheet: SHEET, range: range('One-time'), values: ['Yes', 'No'] },
      { sheet: SHEET, range: range('Job type'), source: { sheet: 'Job Types', range: 'A2:A' } },
      { sheet: SHEET, range: range('Benefits package'), values: ['CERT'] },
      {
        sheet: SHEET,
        range: range('FTE'),
        number: { min: 0, max: 1 },
        message: expect.stringMatching(/0 to 1/),
      },
      {
        sheet: SHEET,
        range: range('Percent'),
        number: { min: 0, max: 1 },
        message: expect.stringMatching(/0% to 100%/),
      },
      {
        sheet: SHEET,
        range: range('Percent 2'),
        number: { min: 0, max: 1 },
        message: expect.stringMatching(/0% to 100%/),
      },
    ]);
  });

  it('makes the site sheet and the reference tables Excel tables, each over every row it holds', async () => {
    const port = await district();
    await validate(port);
    const tables = port.tables();
    expect(tables).toContainEqual({
      sheet: SHEET,
      name: 'Site_Lincoln_Elementary',
      range: `A1:${PIECE2_LETTER}5`,
    });
    // Sites was made by createWorkbook over its header; the district's row added since is inside it now.
    expect(tables).toContainEqual({ sheet: 'Sites', name: 'Sites', range: 'A1:F2' });
    expect(tables).toContainEqual({ sheet: 'Job Types', name: 'Job_Types', range: 'A1:D2' });
    expect(tables.filter((t) => t.sheet === SHEET)).toHaveLength(1);
    // The summary block is outside the table, and a line added later widens it on the next validation.
    port.setCell(SHEET, 'A6', 'Line');
    port.setCell(SHEET, 'B6', '100-1000-610-100-001');
    port.setCell(SHEET, 'F6', 5);
    await validate(port);
    expect(port.tables().filter((t) => t.sheet === SHEET)).toEqual([
      { sheet: SHEET, name: 'Site_Lincoln_Elementary', range: `A1:${PIECE2_LETTER}6` },
    ]);
  });

  it('adds the cost column to a sheet made before it existed, right of its last header', async () => {
    const rows = ROWS.map((r) => r.slice(0, COST));
    const port = await district(rows);
    await validate(port);
    expect((port.sheet(SHEET) ?? []).slice(0, 3).map((x) => x[COST])).toEqual(['Cost (computed)', 51, 450]);
  });
});
