/**
 * The fund summary through the consolidate operation: site lines, the Revenues and Fund Balances
 * tables and the Setup reserve policy of an NCES district workbook, in one read and one write.
 */
import {
  MemoryPort,
  SETUP_KEYS,
  SHEETS,
  SITE_HEADER,
  operations,
  projection,
  runOperation,
  type CellValue,
  type OperationOptions,
  type PortUser,
} from '../../../core';
import { once, seedDistrict } from '../../fixtures/district';

const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };
const options: OperationOptions = { now: () => '2026-11-28T09:30:00.000Z' };
const SHEET = 'Lincoln Elementary';
const line = (account: string, amount: number, oneTime = 'No'): CellValue[] =>
  SITE_HEADER.map((h) =>
    h === 'Type'
      ? 'Line'
      : h === 'Account'
        ? account
        : h === 'Amount'
          ? amount
          : h === 'One-time'
            ? oneTime
            : null,
  );

async function district(): Promise<MemoryPort> {
  const port = new MemoryPort({ user: CFO });
  await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD', sites: [{ code: '001', name: SHEET }] },
    options,
  );
  seedDistrict(port, { cfo: CFO.email, builder: 'b@district.k12.us', approver: 'a@district.k12.us' }, SHEET);
  port.setSheet(SHEET, [
    [...SITE_HEADER],
    line('100-1000-111-100-001', 3_000_000),
    line('100-1000-230-100-001', 600_000),
    line('100-1000-610-100-001', 100_000, 'Yes'),
    line('100-2700-910-100-001', 50_000),
    line('210-1000-111-100-001', 180_000),
  ]);
  port.setSheet(SHEETS.revenues, [
    [
      'Fund',
      'Source',
      'Description',
      'Restricted',
      'Prior year actual',
      'Basis',
      'Rate',
      'Count',
      'Rule',
      'Estimate',
    ],
    ['100', '1100', 'Property taxes', 'No', 1_000_000, 'typed', null, null, null, 1_100_000],
    ['100', '3100', 'State aid', 'No', 2_300_000, 'rate × enrollment', 5_000, null, null, null],
    ['210', '4500', 'Title I', 'Yes', 170_000, 'typed', null, null, null, 180_000],
  ]);
  port.setSheet(SHEETS.fundBalances, [
    ['Fund', 'Name', 'Beginning balance'],
    ['100', 'General Fund', 900_000],
    ['210', 'Title I', null],
  ]);
  return port;
}

describe('consolidate with a fund summary', () => {
  test('per fund and for the district, written to the Master Budget and returned as funds', async () => {
    const port = await district();
    const c = await once(
      port,
      () => runOperation(port, operations.consolidate, { unapproved: 'include-marked' }, options),
      1,
    );
    // Revenues: 1,100,000 + 5,000 × 420 enrollment = 3,200,000; expenditures 3,700,000; transfer out 50,000.
    expect(c.funds).toEqual([
      {
        fund: '100',
        name: 'General Fund',
        revenuesCents: 3_200_000_00,
        expendituresCents: 3_700_000_00,
        otherSourcesCents: 0,
        otherUsesCents: 50_000_00,
        netChangeCents: -550_000_00,
        beginningBalanceCents: 900_000_00,
        endingBalanceCents: 350_000_00,
        reservePercent: 9.46,
      },
      {
        fund: '210',
        name: 'Special Revenue Fund: ESEA Title I, Part A',
        revenuesCents: 180_000_00,
        expendituresCents: 180_000_00,
        otherSourcesCents: 0,
        otherUsesCents: 0,
        netChangeCents: 0,
        beginningBalanceCents: 0,
        endingBalanceCents: 0,
        reservePercent: 0,
      },
    ]);
    expect(c.district).toMatchObject({
      fund: 'District',
      revenuesCents: 3_380_000_00,
      expendituresCents: 3_880_000_00,
      endingBalanceCents: 350_000_00,
    });
    // The new workbook's policy: 3% for the general fund (Setup), met; the general fund deficit-spends.
    const setup = port.sheet(SHEETS.setup) ?? [];
    expect(setup.find((r) => r[0] === SETUP_KEYS.reservePolicy)?.[1]).toBe('3%');
    expect(setup.find((r) => r[0] === SETUP_KEYS.reserveFunds)?.[1]).toBe('100');
    expect(c.diagnostics.filter((d) => d.code.startsWith('BL72')).map((d) => d.code)).toEqual([
      'BL721',
      'BL721',
    ]);
    const master = (port.sheet(SHEETS.master) ?? []).map((r) => r[0]);
    expect(master).toEqual(
      expect.arrayContaining(['Fund summary', 'Expenditures by class', 'Revenue estimates']),
    );
    const byClass = master.indexOf('Expenditures by class');
    expect((port.sheet(SHEETS.master) ?? [])[byClass + 1]?.filter((v) => v !== null)).toEqual([
      'Fund',
      'Name',
      '100 Personal Services—Salaries',
      '200 Personal Services—Employee Benefits',
      '600 Supplies',
      'Total expenditures',
    ]);
    // Control totals compare classes: expenditures with expenditures, other uses with other uses.
    const at = master.indexOf('Control totals');
    expect((port.sheet(SHEETS.master) ?? []).slice(at + 1, at + 5).map((r) => r.slice(0, 4))).toEqual([
      ['Class', 'Master budget', 'Sum of sites', 'Check'],
      ['Expenditure', 3_880_000, 3_880_000, 'agree'],
      ['Other financing use', 50_000, 50_000, 'agree'],
      ['Result', null, null, 'Totals agree'],
    ]);
  });

  test('a stricter policy warns; a bad Revenues row is a finding on its cell and is left out', async () => {
    const port = await district();
    const setup = (port.sheet(SHEETS.setup) ?? []).map((r) =>
      r[0] === SETUP_KEYS.reservePolicy ? [r[0], '10%'] : [...r],
    );
    port.setSheet(SHEETS.setup, setup);
    port.setSheet(SHEETS.revenues, [
      ...(port.sheet(SHEETS.revenues) ?? []),
      ['100', '110', '', '', null, '', null, null, null, 5],
    ]);
    const c = await once(
      port,
      () => runOperation(port, operations.consolidate, { unapproved: 'include-marked' }, options),
      1,
    );
    const found = c.diagnostics
      .filter((d) => d.code.startsWith('BL72'))
      .map((d) => [d.code, d.sheet, d.cell]);
    expect(found).toEqual([
      ['BL724', 'Revenues', 'B5'],
      ['BL721', undefined, undefined],
      ['BL720', undefined, undefined],
      ['BL721', undefined, undefined],
      ['BL720', undefined, undefined],
    ]);
    expect(c.funds?.[0]?.revenuesCents).toBe(3_200_000_00);
  });
});

describe('projection (read-only)', () => {
  test('three years per fund from the Assumptions table, in one read and no write', async () => {
    const port = await district();
    port.setSheet(SHEETS.assumptions, [
      ['Year', 'Assumption', 'Fund', 'Applies to', 'Value', 'Notes'],
      [null, 'Enrollment change', null, null, '-1%', null],
      [null, 'Step and column', null, '110-199', '2%', null],
    ]);
    const r = await once(port, () => runOperation(port, projection, {}, options), 0);
    expect(r.ok).toBe(true);
    expect(r.years?.map((y) => y.fiscalYear)).toEqual([2027, 2028, 2029]);
    const gf = r.years?.map((y) => y.funds.find((f) => f.fund === '100'));
    // FY2028: state aid 5,000 × 415.8 = 2,079,000 (−21,000); salaries 3,000,000 × 1.02 (−60,000); the
    // one-time supplies (100,000) drop off: net −550,000 − 21,000 − 60,000 + 100,000 = −531,000.
    // FY2029: 5,000 × 411.642 (−20,790), salaries 3,060,000 × 1.02 (−61,200): net −612,990.
    expect(gf?.map((f) => f?.netChangeCents)).toEqual([-550_000_00, -531_000_00, -612_990_00]);
    expect(gf?.map((f) => f?.endingBalanceCents)).toEqual([350_000_00, -181_000_00, -793_990_00]);
    expect(
      r.changes?.filter((c) => c.fiscalYear === 2028).map((c) => [c.fund, c.assumption, c.cents]),
    ).toEqual([
      ['100', 'Enrollment change', -21_000_00],
      ['100', 'One-time item drops off', 100_000_00],
      ['100', 'Step and column', -60_000_00],
      ['210', 'Step and column', -3_600_00],
    ]);
    expect(r.summary).toMatch(/deficit spending in FY2029: fund 100, 210/);
  });

  test('a bad Assumptions row refuses the projection with the finding on its cell', async () => {
    const port = await district();
    port.setSheet(SHEETS.assumptions, [
      ['Year', 'Assumption', 'Fund', 'Applies to', 'Value'],
      [7, 'COLA', null, null, '2%'],
    ]);
    const r = await once(port, () => runOperation(port, projection, {}, options), 0);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.sheet, d.cell])).toEqual([['BL729', 'Assumptions', 'A2']]);
  });
});

describe('roll-forward carries revenues and fund balances', () => {
  test("this year's ending balances begin next year; this year's estimates become the prior-year figures", async () => {
    const port = await district();
    const target = new MemoryPort({ user: CFO });
    const r = await runOperation(port, operations.rollForward, {}, options);
    expect(r.ok).toBe(true);
    if (r.next) await target.write(r.next);
    expect(target.sheet(SHEETS.fundBalances)).toEqual([
      ['Fund', 'Name', 'Beginning balance', 'Notes'],
      ['100', 'General Fund', 350_000, 'projected ending balance of FY2027'],
      ['210', 'Special Revenue Fund: ESEA Title I, Part A', 0, 'projected ending balance of FY2027'],
    ]);
    const revenues = target.sheet(SHEETS.revenues) ?? [];
    expect(revenues.map((row) => [row[1], row[4], row[5], row[6], row[9]])).toEqual([
      ['Source', 'Prior year actual', 'Basis', 'Rate', 'Estimate'],
      ['1100', 1_100_000, 'typed', null, 1_100_000],
      ['3100', 2_100_000, 'rate × enrollment', 5_000, null],
      ['4500', 180_000, 'typed', null, 180_000],
    ]);
  });
});

describe('a workbook made before charts had a Classes sheet', () => {
  test("on a preset chart, the preset's classes and revenue sources apply", async () => {
    const port = await district();
    port.deleteSheet(SHEETS.classes);
    port.setSheet(
      SHEETS.codes,
      (port.sheet(SHEETS.codes) ?? []).filter((r) => r[0] !== 'revenueSource'),
    );
    expect(port.sheet(SHEETS.classes)).toBeUndefined();
    const c = await runOperation(port, operations.consolidate, { unapproved: 'include-marked' }, options);
    expect(c.funds?.map((f) => [f.fund, f.revenuesCents])).toEqual([
      ['100', 3_200_000_00],
      ['210', 180_000_00],
    ]);
  });
});
