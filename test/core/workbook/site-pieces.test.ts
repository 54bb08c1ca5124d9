/**
 * Each funding piece's cost on a site sheet (core/workbook/site-view.ts): one computed column per
 * Account / Percent pair, holding the very cents the ledger charges each account, summing to the
 * row's Cost (computed), never read, and never part of what is approved, consolidated or exported.
 */
import {
  MemoryPort,
  operations,
  readSiteSheet,
  readWorkbook,
  runOperation,
  SHEETS,
  SITE_HEADER,
  type CellValue,
  type OperationOptions,
  type PortUser,
} from '../../../core';
import { columnLetter } from '../../../core/cells';
import { SITE_TABLE, type ColumnDecl } from '../../../core/workbook/schema';
import { siteTableGrid } from '../../../core/workbook/site-view';
import { seedDistrict } from '../../fixtures/district';

const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };
const BUILDER: PortUser = { email: 'builder@district.k12.us', verified: true };
const APPROVER: PortUser = { email: 'approver@district.k12.us', verified: true };
const SHEET = 'Lincoln Elementary';
const options: OperationOptions = { now: () => '2026-11-28T09:30:00.000Z' };

type Column = (typeof SITE_HEADER)[number];
const row = (o: Readonly<Record<string, CellValue>>, header: readonly string[] = SITE_HEADER): CellValue[] =>
  header.map((h) => o[h] ?? null);

const LINE = {
  Type: 'Line',
  Account: '100-1000-610-100-001',
  Description: 'Paper',
  Quantity: 12,
  'Unit cost': 4.25,
};
// Half time at the teacher's average (60,000 + 10% retirement): 33,000, split a third / two thirds,
// so the largest-remainder split has cents to place.
const SPLIT = {
  Type: 'Position',
  'Job type': 'TCH',
  Employee: 'Lee',
  FTE: 0.5,
  Account: '100-1000-111-100-001',
  Percent: 0.3333,
  'Account 2': '100-2220-111-100-001',
  'Percent 2': 0.6667,
};
const WHOLE = {
  Type: 'Position',
  'Job type': 'TCH',
  Employee: 'Ortiz',
  FTE: 0.3,
  Account: '100-1000-111-100-001',
};
const ROWS: CellValue[][] = [[...SITE_HEADER], row(LINE), row(SPLIT), row(WHOLE)];

const COST = SITE_HEADER.indexOf('Cost (computed)');
const P1 = SITE_HEADER.indexOf('Cost, Account (computed)');
const P2 = SITE_HEADER.indexOf('Cost, Account 2 (computed)');
const cell = (r: number, c: number): string => `${columnLetter(c)}${r + 1}`;

async function district(rows: CellValue[][] = ROWS): Promise<MemoryPort> {
  const port = new MemoryPort({ user: CFO });
  await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD' },
    options,
  );
  seedDistrict(port, { cfo: CFO.email, builder: BUILDER.email, approver: APPROVER.email });
  port.setSheet(SHEET, rows);
  return port;
}

const validate = (port: MemoryPort) => runOperation(port, operations.validateSites, {}, options);

/** The ledger the reader makes of the sheet now. */
async function ledgerOf(port: MemoryPort) {
  const snap = await port.read({ sheets: 'all', state: true });
  const wb = readWorkbook(snap);
  const site = wb.sites[0];
  if (!site) throw new Error('no site');
  return readSiteSheet(wb, site, snap.sheets[SHEET]).ledger;
}

const cents = (v: CellValue | undefined): number | null =>
  typeof v === 'number' ? Math.round(v * 100) : null;

describe('site sheets show what each funding piece costs', () => {
  it('declares the piece columns right after Cost (computed)', () => {
    expect([P1, P2]).toEqual([COST + 1, COST + 2]);
  });

  it('blanks every column declared computed before any reader sees the sheet', () => {
    const computed = Object.values<ColumnDecl>(SITE_TABLE.columns).filter((c) => c.computed);
    expect(computed.map((c) => c.header)).toEqual([
      'Cost (computed)',
      'Cost, Account (computed)',
      'Cost, Account 2 (computed)',
    ]);
    const grid = [[...SITE_HEADER], SITE_HEADER.map(() => 7)];
    const seen = siteTableGrid(grid);
    for (const c of computed) {
      const at = SITE_HEADER.indexOf(c.header as Column);
      expect([seen[0]?.[at], seen[1]?.[at]]).toEqual([null, null]);
    }
    // A third pair's column, named the same way, too; the inputs are left as they are.
    const wider = siteTableGrid([
      [...SITE_HEADER, 'Cost, Account 3 (computed)'],
      [...SITE_HEADER.map(() => 7), 9],
    ]);
    expect(wider[1]?.[SITE_HEADER.length]).toBeNull();
    expect(wider[1]?.[SITE_HEADER.indexOf('FTE')]).toBe(7);
  });

  it('writes each piece’s cents, the very cents of the ledger, and they sum exactly to the row’s Cost', async () => {
    const port = await district();
    const r = await validate(port);
    expect(r.diagnostics.filter((d) => d.severity === 'fatal')).toEqual([]);
    const grid = port.sheet(SHEET) ?? [];
    const view = grid.slice(0, 4).map((x) => [x[COST], x[P1], x[P2]]);
    expect(view[0]).toEqual(['Cost (computed)', 'Cost, Account (computed)', 'Cost, Account 2 (computed)']);
    // A line: its amount under the first account, blank under the second.
    expect(view[1]).toEqual([51, 51, null]);
    // A position on one account: all of it under the first.
    expect(view[3]?.[0]).toBe(view[3]?.[1]);
    expect(view[3]?.[2]).toBeNull();
    // The split position: each piece as the ledger charges it, summing to the cent.
    const ledger = await ledgerOf(port);
    const pieces = ledger.filter((l) => l.cell?.endsWith('3'));
    expect(pieces.map((l) => l.cents)).toEqual([cents(grid[2]?.[P1]), cents(grid[2]?.[P2])]);
    expect((cents(grid[2]?.[P1]) ?? 0) + (cents(grid[2]?.[P2]) ?? 0)).toBe(cents(grid[2]?.[COST]));
    expect(cents(grid[2]?.[COST])).toBe(3_300_000);
    // Not an even share: the split had a remainder to place.
    expect(cents(grid[2]?.[P1])).not.toBe(1_100_000);
    expect(port.numberFormat(SHEET, cell(2, P2))).toBe('#,##0.00');
    // Every row: the pieces sum to the Cost.
    for (const x of grid.slice(1, 4)) expect((cents(x[P1]) ?? 0) + (cents(x[P2]) ?? 0)).toBe(cents(x[COST]));
  });

  it('adds a column for a pair the district added (Account 3) and never reads the computed cells', async () => {
    const header = [...SITE_HEADER, 'Account 3', 'Percent 3'];
    const rows = [
      header,
      row(
        { ...SPLIT, Percent: 0.5, 'Percent 2': 0.25, 'Account 3': '100-1000-111-100-001', 'Percent 3': 0.25 },
        header,
      ),
    ];
    const port = await district(rows);
    const before = await ledgerOf(port);
    const r = await validate(port);
    expect(r.diagnostics.filter((d) => d.code === 'BL431')).toEqual([]);
    const grid = port.sheet(SHEET) ?? [];
    const p3 = (grid[0] ?? []).indexOf('Cost, Account 3 (computed)');
    expect(p3).toBe(header.length);
    expect([grid[1]?.[P1], grid[1]?.[P2], grid[1]?.[p3]]).toEqual([16500, 8250, 8250]);
    // Computed cells typed over are not read: the ledger is the same.
    port.setCell(SHEET, cell(1, p3), 1);
    port.setCell(SHEET, cell(1, P1), 2);
    expect(await ledgerOf(port)).toEqual(before);
  });

  it('gives a sheet without numbered pairs no piece columns', async () => {
    const header = SITE_HEADER.filter((h) => !/2/.test(h) && !/Cost, Account/.test(h));
    const port = await district([header, row(LINE, header), row(WHOLE, header)]);
    await validate(port);
    const grid = port.sheet(SHEET) ?? [];
    expect((grid[0] ?? []).filter((h) => /^Cost/.test(String(h)))).toEqual(['Cost (computed)']);
  });

  it('adds the piece columns to a sheet made before them, moving its summary right, nothing of the user’s changed', async () => {
    // The layout validation wrote before: the table up to Cost, a blank column, the summary block.
    const old = ROWS.map((r) => r.slice(0, COST + 1));
    const port = await district(old);
    port.setSheet(
      SHEET,
      old.map((r, i) => [
        ...r,
        null,
        ...(i === 0
          ? [
              'Funding source (computed)',
              'Allocated',
              'Planned',
              'Remaining',
              'FTE allocated',
              'FTE planned',
              'FTE remaining',
            ]
          : i < 3
            ? [i === 1 ? 'General fund' : 'Site total', 1, 2, 3, 4, 5, 6]
            : []),
      ]),
    );
    const user = (port.sheet(SHEET) ?? []).map((r) => r.slice(0, COST));
    const r = await validate(port);
    expect(r.diagnostics.filter((d) => d.code === 'BL431' || d.code === 'BL430')).toEqual([]);
    const grid = port.sheet(SHEET) ?? [];
    expect((grid[0] ?? []).slice(COST)).toEqual([
      'Cost (computed)',
      'Cost, Account (computed)',
      'Cost, Account 2 (computed)',
      null,
      'Funding source (computed)',
      'Allocated',
      'Planned',
      'Remaining',
      'FTE allocated',
      'FTE planned',
      'FTE remaining',
    ]);
    expect(grid.map((x) => x[P2 + 1] ?? null)).toEqual(grid.map(() => null));
    expect(grid.map((x) => x.slice(0, COST))).toEqual(user);
    expect(port.tables().filter((t) => t.sheet === SHEET)).toEqual([
      { sheet: SHEET, name: 'Site_Lincoln_Elementary', range: `A1:${columnLetter(P2)}4` },
    ]);
    // Validating again changes nothing.
    await validate(port);
    expect(port.sheet(SHEET)).toEqual(grid);
  });

  it('leaves the piece columns out with BL431 when a cell of the user’s is where they would go', async () => {
    const old = ROWS.map((r, i) => [...r.slice(0, COST + 1), i === 3 ? 'see memo' : null]);
    const port = await district(old);
    const r = await validate(port);
    expect(r.diagnostics.filter((d) => d.code === 'BL431').map((d) => [d.cell, d.message])).toEqual([
      [cell(3, COST + 1), expect.stringContaining('"Cost, Account (computed)" column')],
    ]);
    expect(port.cell(SHEET, cell(3, COST + 1))).toBe('see memo');
    expect(port.cell(SHEET, cell(0, COST + 1))).toBeNull();
    expect(port.cell(SHEET, cell(1, COST))).toBe(51);
  });

  it('live validation refreshes the edited rows’ pieces, and says so when a piece cell itself was typed over', async () => {
    const port = await district();
    await validate(port);
    const fte = SITE_HEADER.indexOf('FTE');
    port.setCell(SHEET, cell(2, fte), 1);
    const live = await runOperation(
      port,
      operations.validateRows,
      { sheet: SHEET, from: 2, to: 2, columns: { from: fte, to: fte } },
      options,
    );
    expect(live.diagnostics).toEqual([]);
    const grid = port.sheet(SHEET) ?? [];
    expect(grid[2]?.[COST]).toBe(66000);
    expect((cents(grid[2]?.[P1]) ?? 0) + (cents(grid[2]?.[P2]) ?? 0)).toBe(6_600_000);
    port.setCell(SHEET, cell(2, P2), 5);
    const typed = await runOperation(
      port,
      operations.validateRows,
      { sheet: SHEET, from: 2, to: 2, columns: { from: P2, to: P2 } },
      options,
    );
    expect(typed.diagnostics.map((d) => [d.code, d.cell])).toEqual([['BL430', cell(2, P2)]]);
    expect(port.cell(SHEET, cell(2, P2))).toBe(grid[2]?.[P2]);
  });

  it('keeps computed cells out of what is approved: typed over after approval, verify and consolidate still pass', async () => {
    const port = await district();
    await validate(port);
    port.user = BUILDER;
    expect((await runOperation(port, operations.submit, { site: '001' }, options)).ok).toBe(true);
    port.user = APPROVER;
    expect((await runOperation(port, operations.approve, { site: '001' }, options)).ok).toBe(true);
    port.user = CFO;
    const exported = await runOperation(port, operations.exportBudget, { format: 'generic-csv' }, options);
    // Every computed cell of the approved site changed by hand (Cost, both pieces, on every row).
    for (let r = 1; r < 4; r++) for (const c of [COST, P1, P2]) port.setCell(SHEET, cell(r, c), 123456.78);
    const verify = await runOperation(port, operations.verify, {}, options);
    expect(verify.ok).toBe(true);
    expect(verify.diagnostics).toEqual([]);
    const c = await runOperation(port, operations.consolidate, { unapproved: 'exclude' }, options);
    expect(c.ok).toBe(true);
    expect(c.diagnostics).toEqual([]);
    const master = JSON.stringify(port.sheet(SHEETS.master));
    expect(master).not.toContain('123456.78');
    const again = await runOperation(port, operations.exportBudget, { format: 'generic-csv' }, options);
    expect(again.ok).toBe(true);
    expect(again.content).toBe(exported.content);
    expect(again.content).not.toContain('123456');
  });
});

describe('a stale cost is told from one typed over', () => {
  const QTY = SITE_HEADER.indexOf('Quantity');
  const UNIT = SITE_HEADER.indexOf('Unit cost');
  const codes = (r: { diagnostics: readonly { code: string }[] }): string[] =>
    r.diagnostics.map((d) => d.code).filter((c) => c === 'BL430' || c === 'BL432');

  it('keeps a short hash of each sheet’s computed cells beside the state, in the same write', async () => {
    const port = await district();
    port.resetCounts();
    await validate(port);
    expect(port.roundTrips).toEqual({ reads: 1, writes: 1 });
    expect(port.computedHashes).toEqual({ [SHEET]: expect.stringMatching(/^[0-9a-f]{12}$/) });
    // The approval record is not rewritten by validation.
    expect(port.log.filter((e) => e.kind === 'write' && e.batch.state !== undefined)).toEqual([]);
  });

  it('refreshes costs whose inputs changed outside live validation with one BL432, no BL430', async () => {
    const port = await district();
    await validate(port);
    // Edited while Budgetline was not watching: a quantity and a split's FTE.
    port.setCell(SHEET, cell(1, QTY), 20);
    port.setCell(SHEET, cell(2, SITE_HEADER.indexOf('FTE')), 1);
    const r = await validate(port);
    expect(codes(r)).toEqual(['BL432']);
    const bl432 = r.diagnostics.find((d) => d.code === 'BL432');
    // Line: Cost and its piece; the split: Cost and both pieces.
    expect(bl432).toMatchObject({ sheet: SHEET, severity: 'warning' });
    expect(bl432?.cell).toBeUndefined();
    expect(bl432?.message).toMatch(
      /^5 computed costs were refreshed: their rows changed while live validation/,
    );
    expect(port.cell(SHEET, cell(1, COST))).toBe(85);
    expect(port.cell(SHEET, cell(2, COST))).toBe(66000);
    expect(port.marks(SHEET).filter((m) => m.cell.startsWith(columnLetter(COST)))).toEqual([]);
    // And the next validation has nothing to say.
    expect(codes(await validate(port))).toEqual([]);
  });

  it('says "typed over, or out of date" on every differing cell when a computed cell was typed over', async () => {
    const port = await district();
    await validate(port);
    port.setCell(SHEET, cell(1, UNIT), 5); // an input: stale
    port.setCell(SHEET, cell(3, COST), 1); // typed over
    const r = await validate(port);
    expect(r.diagnostics.filter((d) => d.code === 'BL430').map((d) => d.cell)).toEqual([
      cell(1, COST),
      cell(1, P1),
      cell(3, COST),
    ]);
    expect(codes(r)).not.toContain('BL432');
    expect(r.diagnostics.find((d) => d.code === 'BL430')?.message).toMatch(/typed over, or is out of date/);
    expect(port.cell(SHEET, cell(3, COST))).toBe(port.cell(SHEET, cell(3, P1)));
  });

  it('says the same without a kept hash (a workbook validated before there was one)', async () => {
    const port = await district();
    await validate(port);
    await port.write({ computedHashes: { [SHEET]: '' } });
    expect(port.computedHashes).toEqual({});
    port.setCell(SHEET, cell(1, QTY), 20);
    expect(codes(await validate(port))).toEqual(['BL430', 'BL430']);
  });

  it('live validation carries the hash along, so a later edit elsewhere is still known to be stale', async () => {
    const port = await district();
    await validate(port);
    const kept = port.computedHashes[SHEET];
    port.setCell(SHEET, cell(1, QTY), 20);
    const edit = { sheet: SHEET, from: 1, to: 1, columns: { from: QTY, to: QTY } };
    const live = await runOperation(port, operations.validateRows, edit, options);
    expect(live.diagnostics).toEqual([]);
    expect(port.computedHashes[SHEET]).not.toBe(kept);
    // The add-in closed; the unit cost of row 2 changed in another program.
    port.setCell(SHEET, cell(1, UNIT), 5);
    expect(codes(await validate(port))).toEqual(['BL432']);
    expect(port.cell(SHEET, cell(1, COST))).toBe(100);
  });

  it('live validation of a computed cell typed over drops the hash: what Budgetline wrote there is unknown', async () => {
    const port = await district();
    await validate(port);
    port.setCell(SHEET, cell(1, COST), 7);
    const edit = { sheet: SHEET, from: 1, to: 1, columns: { from: COST, to: COST } };
    const live = await runOperation(port, operations.validateRows, edit, options);
    expect(codes(live)).toEqual(['BL430']);
    expect(port.computedHashes).toEqual({});
    port.setCell(SHEET, cell(1, QTY), 20);
    expect(codes(await validate(port))).toEqual(['BL430', 'BL430']);
  });
});
