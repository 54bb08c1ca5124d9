import { operations, type ReadRequest } from '../../core';
import { LiveValidation, rowsOfAddress } from '../../excel-addin/src/live';
import { ExcelPort } from '../../excel-addin/src/port';
import { BUILDER, SITE_SHEET, districtSheets, siteColumn } from './district';
import type { FakeCellValue, FakeOffice, FakeOptions } from './fake/fake-office';
import { findingsSheetOf, install, marksOf } from './helpers';

jest.setTimeout(60_000);

const ACCOUNT = siteColumn('Account');

async function setUp(options: Partial<FakeOptions> = {}, extraRows: FakeCellValue[][] = []) {
  const fake: FakeOffice = install({ sheets: await districtSheets(extraRows), ...options });
  const port = new ExcelPort({ sso: false });
  const reads: ReadRequest[] = [];
  const read = port.read.bind(port);
  port.read = (r) => {
    reads.push(r);
    return read(r);
  };
  const live = new LiveValidation({
    port,
    validateRows: operations.validateRows,
    options: () => ({ now: () => '2026-11-28T10:00:00.000Z', actAs: BUILDER }),
    onError: (e) => {
      throw e;
    },
  });
  await live.start();
  await fake.settle();
  fake.resetStats();
  reads.length = 0;
  return { fake, port, live, reads };
}

/** Edits like a user, waits for the change handler, and returns the round trips it made. */
async function edit(fake: FakeOffice, live: LiveValidation, address: string, values: FakeCellValue[][]) {
  fake.resetStats();
  await fake.userEdit(SITE_SHEET, address, values);
  await fake.settle();
  await live.idle();
  await fake.settle();
  return fake.book.stats.syncs;
}

describe('live validation (worksheet onChanged)', () => {
  it('reads the rows of an event address', () => {
    expect(rowsOfAddress('B2:D5001')).toEqual({ from: 1, to: 5000 });
    expect(rowsOfAddress('C7')).toEqual({ from: 6, to: 6 });
    expect(rowsOfAddress('3:5')).toEqual({ from: 2, to: 4 });
    expect(rowsOfAddress('A:C')?.from).toBe(0);
  });

  it('marks an invalid account as it is typed, with one read and one write sync', async () => {
    const { fake, live, reads } = await setUp();
    const syncs = await edit(fake, live, `${ACCOUNT}2`, [['100-1000-618-100-001']]);
    expect(syncs).toBe(2);
    expect(reads).toHaveLength(1);
    expect(reads[0]?.rows).toEqual([{ sheet: SITE_SHEET, from: 1, to: 1 }]);
    const mark = marksOf(fake, SITE_SHEET).find((m) => m.cell === `${ACCOUNT}2`);
    expect(mark).toMatchObject({ severity: 'fatal', note: expect.stringContaining('BL104') });
  });

  it('clears the mark when the cell is fixed, and checks only the changed rows', async () => {
    const { fake, live, reads } = await setUp();
    await edit(fake, live, `${ACCOUNT}3`, [['100-2220-641-100-001']]);
    expect(fake.cell(SITE_SHEET, `${ACCOUNT}3`).fill).toBe('#FFC7CE');
    reads.length = 0;
    const syncs = await edit(fake, live, `${ACCOUNT}3`, [['100-2220-640-100-001']]);
    expect(syncs).toBe(2);
    expect(reads[0]?.rows).toEqual([{ sheet: SITE_SHEET, from: 2, to: 2 }]);
    expect(fake.cell(SITE_SHEET, `${ACCOUNT}3`)).not.toHaveProperty('fill');
    expect(fake.cell(SITE_SHEET, `${ACCOUNT}3`)).not.toHaveProperty('note');
  });

  it('ignores its own writes (triggerSource ThisLocalAddin)', async () => {
    const { fake, port, live } = await setUp();
    await port.read({});
    fake.resetStats();
    await port.write({ sheets: [{ sheet: SITE_SHEET, at: 'C2', values: [['Supplies']] }] });
    await fake.settle();
    await live.idle();
    expect(live.counts).toMatchObject({ events: 1, ignored: 1, checks: 0 });
    expect(fake.book.stats.syncs).toBe(1);
  });

  it('ignores its own writes on hosts without triggerSource', async () => {
    const { fake, port, live } = await setUp({ eventTriggerSource: false });
    await port.write({ sheets: [{ sheet: SITE_SHEET, at: 'C2', values: [['Supplies']] }] });
    await fake.settle();
    await live.idle();
    expect(live.counts).toMatchObject({ events: 1, ignored: 1, checks: 0 });
  });

  it('ignores sheets that are not site sheets after its one read', async () => {
    const { fake, live } = await setUp();
    fake.resetStats();
    await fake.userEdit('Roles', 'A9', [['someone@district.k12.us']]);
    await fake.settle();
    await live.idle();
    expect(fake.book.stats.syncs).toBe(1);
    expect(marksOf(fake, 'Roles')).toEqual([]);
  });

  it('re-checks a paste of 5,000 rows with one read and one write sync', async () => {
    const { fake, live, reads } = await setUp();
    const rows: FakeCellValue[][] = Array.from({ length: 5000 }, (_, i) => [
      'Line',
      i % 2 ? '100-1000-610-100-001' : '100-1000-618-100-001',
      `Pasted ${i}`,
    ]);
    // How long it takes is bench/excel-live-paste.bench.ts's (excel-live-paste-5000), not asserted here.
    const syncs = await edit(fake, live, 'A6:C5005', rows);
    expect(syncs).toBe(2);
    expect(reads[0]?.rows).toEqual([{ sheet: SITE_SHEET, from: 5, to: 5004 }]);
    const marks = marksOf(fake, SITE_SHEET).filter((m) => m.cell.startsWith(ACCOUNT));
    expect(marks.length).toBeGreaterThanOrEqual(2500);
    // fixing the whole paste clears every mark in one more check
    const fixed = rows.map((r) => [r[0] as string, '100-1000-610-100-001', r[2] as string]);
    expect(await edit(fake, live, 'A6:C5005', fixed)).toBe(2);
    expect(
      marksOf(fake, SITE_SHEET).filter((m) => /^B(\d+)$/.test(m.cell) && Number(m.cell.slice(1)) >= 6),
    ).toEqual([]);
  });

  it('merges events that arrive while a check runs', async () => {
    const { fake, live } = await setUp();
    fake.resetStats();
    const a = fake.userEdit(SITE_SHEET, `${ACCOUNT}2`, [['100-1000-618-100-001']]);
    const b = fake.userEdit(SITE_SHEET, `${ACCOUNT}3`, [['100-1000-618-100-001']]);
    const c = fake.userEdit(SITE_SHEET, `${ACCOUNT}4`, [['100-1000-618-100-001']]);
    await Promise.all([a, b, c]);
    await live.idle();
    await fake.settle();
    expect(live.counts.checks).toBeLessThanOrEqual(2);
    expect(fake.book.stats.syncs).toBe(live.counts.checks * 2);
    expect(marksOf(fake, SITE_SHEET).map((m) => m.cell)).toEqual(
      expect.arrayContaining([`${ACCOUNT}2`, `${ACCOUNT}3`, `${ACCOUNT}4`]),
    );
  });

  it('moves its record of marks when rows are inserted, so a fix still clears the moved mark', async () => {
    const { fake, live } = await setUp();
    await edit(fake, live, `${ACCOUNT}3`, [['100-2220-641-100-001']]);
    expect(marksOf(fake, SITE_SHEET).map((m) => m.cell)).toEqual([`${ACCOUNT}3`]);
    await fake.userInsertRows(SITE_SHEET, 1, 2);
    await fake.settle();
    await live.idle();
    expect(marksOf(fake, SITE_SHEET).map((m) => m.cell)).toEqual([`${ACCOUNT}5`]);
    await edit(fake, live, `${ACCOUNT}5`, [['100-2220-640-100-001']]);
    expect(marksOf(fake, SITE_SHEET)).toEqual([]);
  });
});

/** Office LTSC 2021 (1.14), LTSC 2024 (1.17), and the least Budgetline needs (1.9): no notes. */
describe.each([9, 14, 17])('live validation at ExcelApi 1.%i', (excelApi) => {
  it('starts, marks as typed with a fill and a Findings row, and clears both on the fix', async () => {
    const { fake, live } = await setUp({ excelApi });
    // Before 1.14 (no triggerSource) the event of the new Findings sheet costs one round trip, once,
    // to learn the sheet's id; from then on it is known.
    expect(await edit(fake, live, `${ACCOUNT}3`, [['100-2220-641-100-001']])).toBe(excelApi >= 14 ? 2 : 3);
    expect(marksOf(fake, SITE_SHEET)).toEqual([
      expect.objectContaining({
        cell: `${ACCOUNT}3`,
        severity: 'fatal',
        note: expect.stringContaining('BL104'),
      }),
    ]);
    expect(fake.notes(SITE_SHEET)).toEqual({});
    expect(findingsSheetOf(fake)).toHaveLength(1);
    // the Findings sheet's own rewrite is recognised as the add-in's, with or without triggerSource
    expect(live.counts.checks).toBe(1);
    expect(await edit(fake, live, `${ACCOUNT}3`, [['100-2220-640-100-001']])).toBe(2);
    expect(marksOf(fake, SITE_SHEET)).toEqual([]);
    expect(findingsSheetOf(fake)).toEqual([]);
    expect(live.counts.checks).toBe(2);
  });

  it('moves the Findings rows with inserted rows', async () => {
    const { fake, live } = await setUp({ excelApi });
    await edit(fake, live, `${ACCOUNT}3`, [['100-2220-641-100-001']]);
    await fake.userInsertRows(SITE_SHEET, 1, 2);
    await fake.settle();
    await live.idle();
    await edit(fake, live, `${ACCOUNT}2`, [['100-1000-618-100-001']]);
    // the mark of row 3 moved to row 5, and the Findings sheet lists it there (row 2 is new and blank)
    const listed = findingsSheetOf(fake).map((f) => f.cell);
    expect(listed).toEqual(expect.arrayContaining([`${ACCOUNT}2`, `${ACCOUNT}5`]));
    expect(listed).not.toContain(`${ACCOUNT}3`);
    expect(
      marksOf(fake, SITE_SHEET)
        .map((m) => m.cell)
        .sort(),
    ).toEqual([...listed].sort());
  });
});
