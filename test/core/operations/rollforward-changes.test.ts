/**
 * The rollForward operation with a Cost Changes table and actuals: one read, no write to this year's
 * workbook; next year's site sheet carries each change as its own lines; a bad row refuses the whole
 * roll-forward; the forecast's estimated ending balance becomes next year's beginning balance.
 */
import {
  COST_CHANGES_TABLE,
  forecast,
  gridOf,
  importActuals,
  MemoryPort,
  operations,
  runOperation,
  SHEETS,
  SITE_HEADER,
  type CellValue,
  type ColumnKey,
  type OperationOptions,
  type PortUser,
} from '../../../core';
import { once, seedDistrict } from '../../fixtures/district';

const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };
const options: OperationOptions = { now: () => '2026-11-28T09:30:00.000Z' };
const SHEET = 'Lincoln Elementary';
const row = (fields: Partial<Record<(typeof SITE_HEADER)[number], CellValue>>): CellValue[] =>
  SITE_HEADER.map((h) => fields[h] ?? null);

type Key = ColumnKey<typeof COST_CHANGES_TABLE>;
const KEYS: Key[] = ['id', 'change', 'description', 'year', 'appliesTo', 'percent', 'amount', 'notes'];

async function district(changes?: CellValue[][]): Promise<MemoryPort> {
  const port = new MemoryPort({ user: CFO });
  await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD', sites: [{ code: '001', name: SHEET }] },
    options,
  );
  seedDistrict(port, { cfo: CFO.email, builder: 'b@district.k12.us', approver: 'a@district.k12.us' }, SHEET);
  // The teacher job type's bargaining unit; Setup's salary increase off (the raise is a cost change).
  port.setSheet(SHEETS.jobTypes, [
    ['Code', 'Title', 'Average salary', 'Benefits package', 'Bargaining unit'],
    ['TCH', 'Teacher', 60000, 'CERT', 'SEA'],
  ]);
  port.setSheet(
    SHEETS.setup,
    (port.sheet(SHEETS.setup) ?? []).map((r) => (r[0] === 'Salary increase' ? [r[0], '0%'] : [...r])),
  );
  port.setSheet(SHEET, [
    [...SITE_HEADER],
    row({ Type: 'Line', Account: '100-1000-610-100-001', Description: 'Classroom supplies', Amount: 3500 }),
    row({ Type: 'Line', Account: '100-2600-430-100-001', Description: 'Acme HVAC service', Amount: 12000 }),
    row({ Type: 'Position', 'Job type': 'TCH', Employee: 'Ortiz', FTE: 1, Account: '100-1000-111-100-001' }),
  ]);
  port.setSheet(SHEETS.fundBalances, [
    ['Fund', 'Name', 'Beginning balance'],
    ['100', 'General Fund', 100_000],
  ]);
  port.setSheet(SHEETS.revenues, [
    ['Fund', 'Source', 'Description', 'Basis', 'Estimate'],
    ['100', '1100', 'Property taxes', 'typed', 90_000],
  ]);
  if (changes) port.setSheet(SHEETS.costChanges, gridOf(COST_CHANGES_TABLE, KEYS, changes));
  return port;
}

describe('roll-forward with known cost changes', () => {
  test('each change is its own line on next year’s sheet, naming the change; the typed rows are as they were', async () => {
    const port = await district([
      ['CC-1', 'raise', 'SEA agreement', 2028, 'SEA', '3%', null, null],
      ['CC-2', 'contract', 'Acme renewal', 2028, 'vendor: acme', null, 600, null],
      ['CC-3', 'raise', 'SEA year 3', 2029, 'SEA', '2%', null, 'next year'],
    ]);
    const before = JSON.stringify(port.sheet(SHEET));
    const r = await once(port, () => runOperation(port, operations.rollForward, {}, options), 0);
    expect(r.ok).toBe(true);
    expect(JSON.stringify(port.sheet(SHEET))).toBe(before);
    const next = new MemoryPort({ user: CFO });
    if (r.next) await next.write(r.next);
    const sheet = next.sheet(SHEET) ?? [];
    const col = (h: string): number => (sheet[0] ?? []).indexOf(h);
    const body = sheet
      .slice(1)
      .map((x) => [x[col('Type')], x[col('Account')], x[col('Description')], x[col('Amount')]]);
    // $60,000 × 3% = $1,800 salary; the CERT package's 10% retirement on it: $180.
    expect(body).toEqual([
      ['Line', '100-1000-610-100-001', 'Classroom supplies', 3500],
      ['Line', '100-2600-430-100-001', 'Acme HVAC service', 12000],
      ['Position', '100-1000-111-100-001', null, null],
      ['Line', '100-1000-111-100-001', 'CC-1: SEA agreement', 1980],
      ['Line', '100-2600-430-100-001', 'CC-2: Acme renewal', 600],
    ]);
    expect(sheet[4]?.[col('Notes')]).toBe('Cost change CC-1 (Cost Changes!A2), FY2028: raise +3% on SEA');
    // The table travels with the workbook (CC-3 is next year's), and Job Types keep their unit.
    expect(next.sheet(SHEETS.costChanges)?.length).toBe(4);
    expect(next.sheet(SHEETS.jobTypes)?.[1]).toEqual(['TCH', 'Teacher', 60000, 'CERT', 'SEA']);
    expect(r.costChanges?.map((c) => [c.id, c.cents, c.matched])).toEqual([
      ['CC-1', 198_000, 1],
      ['CC-2', 60_000, 1],
    ]);
    expect(r.sites?.[0]).toMatchObject({ site: '001', carried: 3, changeLines: 2, changeCents: 258_000 });
    expect(r.summary).toBe(
      'FY2028: 3 lines and positions carried forward, 0 one-time lines dropped; 2 known cost changes applied as 2 change lines ($2,580.00). Beginning balances: the projected ending balance of FY2027.',
    );
  });

  test('a salary increase as well as raise cost changes is a warning: the raise would count twice', async () => {
    const port = await district([['CC-1', 'raise', 'SEA agreement', 2028, 'SEA', '3%', null, null]]);
    const r = await runOperation(port, operations.rollForward, { salaryIncrease: 2 }, options);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.message])).toEqual([
      [
        'BL863',
        'warning',
        'the salary increase of 2% raises every salary in place, and the raise cost changes CC-1 raise them again',
      ],
    ]);
    const without = await runOperation(port, operations.rollForward, {}, options);
    expect(without.diagnostics).toEqual([]);
  });

  test('a bad row refuses the whole roll-forward, nothing to write, every finding on its cell', async () => {
    const port = await district([
      ['CC-1', 'raise', 'SEA agreement', 2028, 'SAE', '3%', null, null],
      ['CC-2', 'contract', '', 2028, '431', '2%', null, null],
    ]);
    const r = await runOperation(port, operations.rollForward, {}, options);
    expect(r.ok).toBe(false);
    expect(r.next).toBeUndefined();
    expect(r.summary).toBe('Nothing was rolled forward: the Cost Changes table has problems to fix.');
    expect(r.diagnostics.map((d) => `${d.sheet ?? ''}!${d.cell ?? ''} ${d.code}`)).toEqual([
      'Cost Changes!E2 BL853',
      'Cost Changes!C3 BL851',
      'Cost Changes!E3 BL855',
    ]);
  });

  test('with actuals, next year begins at the forecast’s estimated ending balance', async () => {
    const port = await district();
    const imported = await runOperation(
      port,
      importActuals,
      {
        header: ['Site', 'Account', 'YTD Actual', 'Encumbered'],
        records: [
          ['001', '100-1000-610-100-001', '1800.00', '0'],
          ['001', '100-2600-430-100-001', '9000.00', '0'],
          ['001', '100-1000-111-100-001', '45000.00', '0'],
        ],
        asOf: '2027-03-31',
        source: 'actuals.csv',
      },
      options,
    );
    expect(imported.ok).toBe(true);
    const f = await runOperation(port, forecast, {}, options);
    const ending = f.funds?.find((x) => x.fund === '100')?.endingBalanceCents;
    expect(ending).toBeDefined();
    const r = await runOperation(port, operations.rollForward, {}, options);
    const next = new MemoryPort({ user: CFO });
    if (r.next) await next.write(r.next);
    expect(next.sheet(SHEETS.fundBalances)?.[1]).toEqual([
      '100',
      'General Fund',
      (ending ?? 0) / 100,
      'forecast ending balance of FY2027 (actuals as of 2027-03-31)',
    ]);
    expect(r.beginningBalances?.find((b) => b.fund === '100')?.cents).toBe(ending);
  });
});
