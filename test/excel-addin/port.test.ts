import { ExcelPort, SETTINGS, needsTextPrefix } from '../../excel-addin/src/port';
import { describePortContract } from '../port/contract';
import { chartsOf, dropdownsOf, install, marksOf, printOf, tablesOf, useSession } from './helpers';

/**
 * The contract at each ExcelApi level Budgetline meets: 1.9 (the least it needs), 1.14 (Office LTSC
 * 2021), 1.17 (Office LTSC 2024) and 1.18 (Microsoft 365: notes). Below 1.18 the fake refuses notes
 * as Excel does, and the marks are read back from the fills and the Findings sheet.
 */
for (const excelApi of [9, 14, 17, 18])
  describePortContract(`ExcelPort over the fake Office.js at ExcelApi 1.${excelApi}`, () => {
    const fake = install({ ssoUser: 'Principal@District.k12.us', excelApi });
    let session = fake;
    return Promise.resolve({
      port: new ExcelPort(),
      inspect: {
        marks: (sheet: string) => Promise.resolve(marksOf(session, sheet)),
        protectedSheets: () =>
          Promise.resolve(session.book.sheets.filter((s) => s.protected).map((s) => s.name)),
        dropdowns: () => Promise.resolve(dropdownsOf(session)),
        tables: () => Promise.resolve(tablesOf(session)),
        numberFormat: (sheet: string, cell: string) =>
          Promise.resolve(session.cell(sheet, cell).format ?? null),
        charts: (sheet: string) => Promise.resolve(chartsOf(session, sheet)),
        print: (sheet: string) => Promise.resolve(printOf(session, sheet)),
      },
      expectedUser: { email: 'principal@district.k12.us', name: 'Principal', verified: true },
      extendsUsersTables: excelApi >= 13,
      // Below ExcelApi 1.13 the add-in cannot see merged cells (a table over them fails, as in Excel).
      ...(excelApi >= 13
        ? {
            mergeCells: async (sheet: string, range: string) => {
              await fake.Excel.run(async (ctx: Excel.RequestContext) => {
                ctx.workbook.worksheets.getItem(sheet).getRange(range).merge(false);
                await ctx.sync();
              });
            },
          }
        : {}),
      reopen: () => {
        session = useSession(fake.reopen());
        return Promise.resolve(new ExcelPort());
      },
      storeRawState: (raw: string) => {
        Office.context.document.settings.set(SETTINGS.state, raw);
        return Promise.resolve(new ExcelPort());
      },
    });
  });

describe('ExcelPort round trips', () => {
  it('reads sheets, windows, state and user with one sync', async () => {
    const fake = install({
      sheets: {
        Site: [
          ['Account', 'Amount'],
          ['a', 1],
          ['b', 2],
        ],
        Other: [['x']],
      },
    });
    const port = new ExcelPort();
    fake.resetStats();
    const snap = await port.read({
      sheets: ['Other'],
      rows: [{ sheet: 'Site', from: 1, to: 2 }],
      state: true,
      user: true,
    });
    expect(fake.book.stats.syncs).toBe(1);
    expect(snap.windows[0]?.values).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(snap.user).toBeNull();
  });

  it('reads the tables with one more sync only when there are tables; merged cells come in the first', async () => {
    const fake = install({
      sheets: {
        Site: [
          ['Account', 'Amount'],
          ['a', 1],
          ['Total', 1],
        ],
      },
    });
    const port = new ExcelPort();
    await fake.Excel.run(async (ctx: Excel.RequestContext) => {
      ctx.workbook.worksheets.getItem('Site').getRange('A3:B3').merge(false);
      await ctx.sync();
    });
    fake.resetStats();
    const none = await port.read({ sheets: 'all', tables: true });
    expect(fake.book.stats.syncs).toBe(1);
    expect([none.tables, none.merged]).toEqual([[], [{ sheet: 'Site', range: 'A3:B3' }]]);
    await port.write({ tables: [{ sheet: 'Site', name: 'Lines', range: 'A1:B2' }] });
    fake.resetStats();
    const some = await port.read({ sheets: 'all', tables: true });
    expect(fake.book.stats.syncs).toBe(2);
    expect(some.tables).toEqual([{ sheet: 'Site', name: 'Lines', range: 'A1:B2' }]);
    fake.resetStats();
    await port.read({ sheets: 'all' });
    expect(fake.book.stats.syncs).toBe(1);
  });

  it("reads 'all' sheets with one sync", async () => {
    const sheets: Record<string, string[][]> = {};
    for (let i = 0; i < 40; i++) sheets[`S${i}`] = [[`v${i}`]];
    const fake = install({ sheets });
    const port = new ExcelPort();
    fake.resetStats();
    const snap = await port.read({ sheets: 'all' });
    expect(Object.keys(snap.sheets)).toHaveLength(40);
    expect(snap.sheets['S39']).toEqual([['v39']]);
    // 40 sheets is more than the first walk covers: one more sync, once; after that the walk knows.
    fake.resetStats();
    await port.read({ sheets: 'all' });
    expect(fake.book.stats.syncs).toBe(1);
  });

  it('writes values, marks, dropdowns, protection and state with one sync after a read', async () => {
    const fake = install({ sheets: { Codes: [['Code'], ['100']], Site: [['Fund']] } });
    const port = new ExcelPort();
    await port.read({ sheets: ['Site'] });
    fake.resetStats();
    await port.write({
      sheets: [
        { sheet: 'Site', values: [['Fund'], ['100']] },
        { sheet: 'New', values: [['n']] },
      ],
      marks: [{ sheet: 'Site', cell: 'A2', severity: 'fatal', note: 'bad' }],
      dropdowns: [{ sheet: 'Site', range: 'A2:A9', source: { sheet: 'Codes', range: 'A2:A2' } }],
      protect: [{ sheet: 'Site', reason: 'Submitted' }],
      state: { version: 1, sites: {}, lastAuditHash: 'a'.repeat(64) },
    });
    expect(fake.book.stats.syncs).toBe(1);
    expect(fake.book.stats.settingsSaves).toBe(1);
    expect(fake.cell('Site', 'A2')).toMatchObject({ value: '100', fill: '#FFC7CE', note: 'bad' });
  });

  it('writes text Excel would convert with an apostrophe, and only that text', () => {
    for (const s of ['001', '=1+1', 'TRUE', '6/1', ' 12 ', '-5', '+1', "'q", '2026-27', '$5'])
      expect(needsTextPrefix(s)).toBe(true);
    for (const s of ['Lincoln Elementary', 'Title I', 'a-b', '']) expect(needsTextPrefix(s)).toBe(false);
  });

  it('reports the SSO user from the token, verified, and null without SSO', async () => {
    install({ ssoUser: 'cfo@district.k12.us' });
    expect((await new ExcelPort().read({ user: true })).user).toMatchObject({
      email: 'cfo@district.k12.us',
      verified: true,
    });
    install({});
    expect((await new ExcelPort().read({ user: true })).user).toBeNull();
  });
});

describe('ExcelPort marks keep what the user had in the cell', () => {
  /** A site sheet whose B2 the user filled light blue and annotated, and whose B3 they left plain. */
  function setUp(excelApi: number) {
    const fake = install({ sheets: { Site: [['Account'], ['bad'], ['also bad']] }, excelApi });
    const model = fake.sheetModel('Site');
    const row = model.cells[1] as NonNullable<(typeof model.cells)[number]>;
    row[0] = { ...(row[0] ?? { v: 'bad' }), fill: '#BDD7EE' };
    if (excelApi >= 18) model.notes.set('A2', 'Ask Dana about this code');
    return { fake, port: new ExcelPort({ sso: false }) };
  }
  const marks = [
    { sheet: 'Site', cell: 'A2', severity: 'fatal' as const, note: 'BL104 not a valid object' },
    { sheet: 'Site', cell: 'A3', severity: 'warning' as const, note: 'BL201 check this' },
  ];

  it('at ExcelApi 1.18: marks over the user fill and note, then puts both back, one sync per write', async () => {
    const { fake, port } = setUp(18);
    await port.read({ sheets: ['Site'] });
    fake.resetStats();
    await port.write({ marks });
    expect(fake.book.stats.syncs).toBe(1);
    expect(fake.cell('Site', 'A2')).toMatchObject({ fill: '#FFC7CE', note: 'BL104 not a valid object' });
    // marked again (a later validation): what is kept is still the user's, not the mark's
    await port.write({ marks: [{ ...marks[0], note: 'BL104 still not valid' } as (typeof marks)[number]] });
    fake.resetStats();
    await port.write({ clearMarks: [{ sheet: 'Site' }] });
    expect(fake.book.stats.syncs).toBe(1);
    expect(fake.cell('Site', 'A2')).toMatchObject({ fill: '#BDD7EE', note: 'Ask Dana about this code' });
    expect(fake.cell('Site', 'A3')).not.toHaveProperty('fill');
    expect(fake.cell('Site', 'A3')).not.toHaveProperty('note');
  });

  it('keeps them across a reopen of the workbook (they live in the document settings)', async () => {
    const { fake, port } = setUp(18);
    await port.write({ marks });
    const again = useSession(fake.reopen());
    await new ExcelPort({ sso: false }).write({ clearMarks: [{ sheet: 'Site', from: 1, to: 1 }] });
    expect(again.cell('Site', 'A2')).toMatchObject({ fill: '#BDD7EE', note: 'Ask Dana about this code' });
    expect(again.cell('Site', 'A3')).toMatchObject({ fill: '#FFEB9C' });
  });

  it.each([14, 17])('at ExcelApi 1.%i (no notes): puts the user fill back', async (excelApi) => {
    const { fake, port } = setUp(excelApi);
    await port.write({ marks });
    expect(fake.cell('Site', 'A2').fill).toBe('#FFC7CE');
    await port.write({ clearMarks: [{ sheet: 'Site' }] });
    expect(fake.cell('Site', 'A2').fill).toBe('#BDD7EE');
    expect(fake.cell('Site', 'A3')).not.toHaveProperty('fill');
  });
});

describe('ExcelPort charts and print setup', () => {
  const report = [
    ['Fund', 'Expenditures'],
    ['100 General Fund', 97931221.78],
    ['210 Title I', 3239343.5],
  ];

  it('writes report values, a chart and print setup in one sync after a read, in Excel codes', async () => {
    const fake = install({ sheets: { Setup: [['District']] } });
    const port = new ExcelPort({ sso: false });
    await port.read({ sheets: ['Setup'] });
    fake.resetStats();
    await port.write({
      sheets: [{ sheet: 'Report', values: report, header: true, replace: true }],
      charts: [
        {
          sheet: 'Report',
          name: 'fund-mix',
          type: 'pie',
          title: 'Fund mix',
          data: 'A1:B3',
          anchor: { at: 'D2', columns: 6, rows: 15 },
        },
      ],
      print: [
        {
          sheet: 'Report',
          orientation: 'landscape',
          fitToWidth: true,
          titleRows: '1:1',
          header: { center: 'Smith & Jones USD — {sheet}' },
          footer: { left: 'Printed {date}', right: 'Page {page} of {pages}' },
        },
      ],
    });
    expect(fake.book.stats.syncs).toBe(1);
    expect(fake.sheetModel('Report').charts).toEqual([
      expect.objectContaining({
        name: 'fund-mix',
        type: 'Pie',
        start: 'D2',
        end: 'I16',
        seriesBy: 'Columns',
      }),
    ]);
    expect(fake.sheetModel('Report').pageLayout).toMatchObject({
      orientation: 'Landscape',
      zoom: { horizontalFitToPages: 1, verticalFitToPages: 0 },
      printTitleRows: '1:1',
      defaultForAllPages: {
        centerHeader: 'Smith && Jones USD — &A',
        leftFooter: 'Printed &D',
        rightFooter: 'Page &P of &N',
        leftHeader: '',
      },
    });
  });

  it('refuses a bad chart before Excel is asked to write anything', async () => {
    const fake = install({ sheets: { Setup: [['District']] } });
    const port = new ExcelPort({ sso: false });
    await port.read({ sheets: ['Setup'] });
    fake.resetStats();
    await expect(
      port.write({
        sheets: [{ sheet: 'Report', values: report }],
        charts: [
          {
            sheet: 'Report',
            name: 'x',
            type: 'pie',
            title: 'x',
            data: 'A1:B3',
            anchor: { at: 'D2', columns: 0, rows: 15 },
          },
        ],
      }),
    ).rejects.toThrow(/columns must be a whole number/);
    expect(fake.book.stats.syncs).toBe(0);
    expect(fake.book.sheets.map((s) => s.name)).toEqual(['Setup']);
  });
});
