/**
 * Budgetline's Excel tables where the user's tables already are (core/port/tables.ts): the plan every
 * adapter follows, and the one finding (BL826) validation and allocate report when a user's table is in
 * the way. The adapters' side is in the port contract suite (test/port/contract.ts, "Excel tables").
 */
import {
  MemoryPort,
  SITE_HEADER,
  operations,
  planTable,
  runOperation,
  type CellValue,
  type OperationOptions,
  type PortUser,
  type TableSpec,
} from '../../../core';
import { seedDistrict } from '../../fixtures/district';

const want: TableSpec = { sheet: 'Lincoln', name: 'Site_Lincoln', range: 'A1:E10' };
const user = (range: string, name = 'Staff', sheet = 'Lincoln'): TableSpec => ({ sheet, name, range });

describe('planTable', () => {
  it.each([
    ['no table anywhere', [], { kind: 'add' }],
    ["a user's table on another sheet", [user('A1:E10', 'Staff', 'Other')], { kind: 'add' }],
    ["a user's table beside the block", [user('G1:H4')], { kind: 'add' }],
    ["a user's table under the block", [user('A12:E14')], { kind: 'add' }],
    ['ours, the same extent', [user('A1:E10', 'Site_Lincoln')], { kind: 'keep', table: 'Site_Lincoln' }],
    [
      'ours (renamed with a suffix), fewer rows',
      [user('A1:E6', 'Site_Lincoln_2')],
      { kind: 'resize', table: 'Site_Lincoln_2', range: 'A1:E10', own: true },
    ],
    [
      "the user's, exactly the block's columns, fewer rows",
      [user('A1:E6')],
      { kind: 'resize', table: 'Staff', range: 'A1:E10', own: false },
    ],
    [
      "the user's, exactly the block's columns, more rows",
      [user('$A$1:$E$40')],
      { kind: 'keep', table: 'Staff' },
    ],
  ] as const)('%s', (_, existing, plan) => {
    expect(planTable(want, existing)).toEqual(plan);
  });

  it.each([
    ["a user's table across the block's last column", [user('D1:G5')], 'Staff'],
    ["a user's table at A1 with fewer columns", [user('A1:C10')], 'Staff'],
    ["a user's table at A1 with more columns", [user('A1:F10')], 'Staff'],
    ["a user's table under the header row", [user('A2:E10')], 'Staff'],
    ["ours would grow into a user's table", [user('A1:E4', 'Site_Lincoln'), user('A8:C9', 'Notes')], 'Notes'],
    ["the user's covering table would grow into another", [user('A1:E4'), user('A8:C9', 'Notes')], 'Notes'],
  ] as const)('%s: nothing is made or changed', (_, existing, table) => {
    const plan = planTable(want, existing);
    expect(plan.kind).toBe('skip');
    expect(plan.kind === 'skip' && plan.user.name).toBe(table);
  });
});

describe('planTable with merged cells', () => {
  const merged = [{ sheet: 'Lincoln', range: 'A11:E11' }];
  it('adds a table clear of them, and none over them', () => {
    expect(planTable(want, [], merged)).toEqual({ kind: 'add' });
    expect(planTable({ ...want, range: 'A1:E11' }, [], merged)).toEqual({
      kind: 'merged',
      cells: 'A11:E11',
      wanted: 'A1:E11',
    });
    expect(planTable(want, [], [{ sheet: 'Other', range: 'A2:B2' }])).toEqual({ kind: 'add' });
  });
  it("grows no table into them, ours or the user's, and keeps one that needs no change", () => {
    const grown = { ...want, range: 'A1:E12' };
    expect(planTable(grown, [user('A1:E10', 'Site_Lincoln')], merged).kind).toBe('merged');
    expect(planTable(grown, [user('A1:E10')], merged).kind).toBe('merged');
    expect(planTable(want, [user('A1:E10', 'Site_Lincoln')], merged)).toEqual({
      kind: 'keep',
      table: 'Site_Lincoln',
    });
  });
});

describe("validation and allocate with a user's table on a site sheet", () => {
  const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };
  const options: OperationOptions = { now: () => '2026-11-28T09:30:00.000Z' };
  const row = (o: Partial<Record<(typeof SITE_HEADER)[number], CellValue>>): CellValue[] =>
    SITE_HEADER.map((h) => o[h] ?? null);

  async function district(): Promise<MemoryPort> {
    const port = new MemoryPort({ user: CFO });
    const made = await runOperation(
      port,
      operations.createWorkbook,
      { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD' },
      options,
    );
    expect(made.ok).toBe(true);
    seedDistrict(port, {
      cfo: CFO.email,
      builder: 'principal@district.k12.us',
      approver: 'approver@district.k12.us',
    });
    port.setSheet('Lincoln Elementary', [
      [...SITE_HEADER],
      row({ Type: 'Line', Account: '100-1000-610-100-001', Description: 'Supplies', Amount: 3500 }),
      row({ Type: 'Line', Account: '100-1000-640-100-001', Description: 'Books', Amount: 2750 }),
    ]);
    return port;
  }

  it("says once, naming the sheet and the user's table, and leaves the table as it is", async () => {
    const port = await district();
    // The user made a table over part of the sheet's table columns (B:D of rows 1–3).
    await port.write({ tables: [{ sheet: 'Lincoln Elementary', name: 'My_Accounts', range: 'B1:D3' }] });
    for (const op of [operations.validateSites, operations.computeAllocations] as const) {
      const r = await runOperation(port, op, {}, options);
      const found = r.diagnostics.filter((d) => d.code === 'BL826');
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ sheet: 'Lincoln Elementary', severity: 'warning' });
      expect(found[0]?.message).toContain('"My_Accounts" (B1:D3)');
      expect(found[0]?.remedy).toContain('Resize Table');
    }
    const onSheet = port.tables().filter((t) => t.sheet === 'Lincoln Elementary');
    expect(onSheet).toEqual([{ sheet: 'Lincoln Elementary', name: 'My_Accounts', range: 'B1:D3' }]);
  });

  it('says once where merged cells stop the site table, and makes none', async () => {
    const port = await district();
    port.mergeCells('Lincoln Elementary', 'B2:C2');
    const r = await runOperation(port, operations.validateSites, {}, options);
    const found = r.diagnostics.filter((d) => d.code === 'BL827');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ sheet: 'Lincoln Elementary', severity: 'warning' });
    expect(found[0]?.message).toContain('B2:C2 are merged');
    expect(found[0]?.remedy).toContain('Unmerge');
    expect(port.tables().filter((t) => t.sheet === 'Lincoln Elementary')).toEqual([]);
  });

  it("keeps a user's table over the site table as the table, extended to the rows, without a finding", async () => {
    const port = await district();
    const first = await runOperation(port, operations.validateSites, {}, options);
    expect(first.diagnostics.filter((d) => d.code === 'BL826')).toEqual([]);
    const ours = port.tables().find((t) => t.sheet === 'Lincoln Elementary');
    expect(ours?.name).toBe('Site_Lincoln_Elementary');
    // The same block as a user's own table of another name, two rows short.
    const mine = new MemoryPort({ user: CFO });
    for (const name of port.sheetNames()) mine.setSheet(name, port.sheet(name) ?? []);
    const short = (ours?.range ?? '').replace(/\d+$/, '2');
    await mine.write({ tables: [{ sheet: 'Lincoln Elementary', name: 'Budget_Lines', range: short }] });
    const r = await runOperation(mine, operations.validateSites, {}, options);
    expect(r.diagnostics.filter((d) => d.code === 'BL826')).toEqual([]);
    expect(mine.tables().filter((t) => t.sheet === 'Lincoln Elementary')).toEqual([
      { sheet: 'Lincoln Elementary', name: 'Budget_Lines', range: ours?.range },
    ]);
  });
});
