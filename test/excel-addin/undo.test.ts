/**
 * Undo and live validation: where Excel groups an add-in's writes into one undo step (ExcelApi 1.20,
 * Excel.run's mergeUndoGroup), a write that only marks and unmarks cells is one group, so Ctrl+Z
 * takes back all of a mark or none of it. Protection has no undo support (Excel fails a grouped
 * batch with UndoNotSupported, and the fake does the same), so a write that protects, unprotects or
 * touches a protected sheet is never grouped. Below 1.20 nothing is grouped.
 */
import { operations } from '../../core';
import { LiveValidation } from '../../excel-addin/src/live';
import { ExcelPort } from '../../excel-addin/src/port';
import { BUILDER, SITE_SHEET, districtSheets, siteColumn } from './district';
import type { FakeOffice } from './fake/fake-office';
import { install, marksOf } from './helpers';

jest.setTimeout(60_000);

const ACCOUNT = siteColumn('Account');

async function setUp(excelApi: number) {
  const fake: FakeOffice = install({ sheets: await districtSheets(), excelApi });
  const port = new ExcelPort({ sso: false });
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
  const edit = async (value: string): Promise<void> => {
    await fake.userEdit(SITE_SHEET, `${ACCOUNT}2`, [[value]]);
    await fake.settle();
    await live.idle();
    await fake.settle();
  };
  return { fake, port, edit };
}

describe('live validation and undo', () => {
  it('ExcelApi 1.20: each mark or unmark is one undo group', async () => {
    const { fake, edit } = await setUp(20);
    await edit('100-1000-618-100-001');
    expect(marksOf(fake, SITE_SHEET).some((m) => m.cell === `${ACCOUNT}2`)).toBe(true);
    expect(fake.book.stats.undoGroups).toBe(1);
    await edit('100-1000-610-100-001');
    expect(marksOf(fake, SITE_SHEET).some((m) => m.cell === `${ACCOUNT}2`)).toBe(false);
    expect(fake.book.stats.undoGroups).toBe(2);
  });

  it('ExcelApi 1.20: a write that protects, or marks a protected sheet, is not grouped and succeeds', async () => {
    const { fake, port } = await setUp(20);
    await port.write({ protect: [{ sheet: SITE_SHEET, reason: 'Submitted for approval' }] });
    expect(fake.sheetModel(SITE_SHEET).protected).toBe(true);
    await port.write({
      marks: [{ sheet: SITE_SHEET, cell: `${ACCOUNT}3`, severity: 'fatal', note: 'BL104 x' }],
    });
    expect(marksOf(fake, SITE_SHEET).some((m) => m.cell === `${ACCOUNT}3`)).toBe(true);
    expect(fake.sheetModel(SITE_SHEET).protected).toBe(true);
    expect(fake.book.stats.undoGroups).toBe(0);
  });

  it('below ExcelApi 1.20 nothing is grouped', async () => {
    const { fake, edit } = await setUp(18);
    await edit('100-1000-618-100-001');
    expect(marksOf(fake, SITE_SHEET).some((m) => m.cell === `${ACCOUNT}2`)).toBe(true);
    expect(fake.book.stats.undoGroups).toBe(0);
  });

  it('the fake fails a grouped batch that changes protection, as Excel does (UndoNotSupported)', async () => {
    const fake = install({ sheets: { S: [['a']] }, excelApi: 20 });
    await expect(
      fake.Excel.run(
        { mergeUndoGroup: true },
        async (ctx: {
          workbook: { worksheets: { getItem(n: string): { protection: { protect(): void } } } };
          sync(): Promise<void>;
        }) => {
          ctx.workbook.worksheets.getItem('S').protection.protect();
          await ctx.sync();
        },
      ),
    ).rejects.toMatchObject({ code: 'UndoNotSupported' });
    expect(fake.sheetModel('S').protected).toBe(false);
  });
});
