/**
 * The fake Office.js fails where Excel fails: these tests pin each failure mode, so that code that
 * passes over the fake does not rely on something Excel would refuse.
 */
import { install } from './helpers';

type Ctx = Excel.RequestContext;

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

describe('the fake Office.js', () => {
  it('throws PropertyNotLoaded for a property read before sync, or synced without load', async () => {
    const fake = install({ sheets: { S: [['a']] } });
    await fake.Excel.run(async (ctx: Ctx) => {
      const r = ctx.workbook.worksheets.getItem('S').getRange('A1');
      r.load('values');
      expect(() => r.values).toThrow(expect.objectContaining({ code: 'PropertyNotLoaded' }));
      await ctx.sync();
      expect(r.values).toEqual([['a']]);
      expect(() => r.address).toThrow(expect.objectContaining({ code: 'PropertyNotLoaded' }));
    });
  });

  it('fails the sync with InvalidArgument when a values array does not match the range', async () => {
    const fake = install({ sheets: { S: [] } });
    const failing = fake.Excel.run(async (ctx: Ctx) => {
      const ws = ctx.workbook.worksheets.getItem('S');
      ws.getRange('A1').values = [['applied first']];
      ws.getRange('A2:B3').values = [['only one row', 'x']];
      ws.getRange('C1').values = [['never']];
      await ctx.sync();
    });
    expect(await code(failing)).toBe('InvalidArgument');
    // commands before the failing one stay applied (a batch is not a transaction); later ones do not run
    expect(fake.cell('S', 'A1').value).toBe('applied first');
    expect(fake.cell('S', 'C1').value).toBe('');
  });

  it('refuses a data-validation rule Excel refuses: an inline list over 255 characters, a decimal without its bounds', async () => {
    const fake = install({ sheets: { S: [] } });
    const rule = (r: unknown, alert?: unknown): Promise<unknown> =>
      fake.Excel.run(async (ctx: Ctx) => {
        const dv = ctx.workbook.worksheets.getItem('S').getRange('A2:A1048576').dataValidation;
        dv.rule = r as Excel.DataValidationRule;
        if (alert) dv.errorAlert = alert as Excel.DataValidationErrorAlert;
        await ctx.sync();
      });
    const long = Array.from({ length: 60 }, (_, i) => `PKG${i}`).join(',');
    expect(await code(rule({ list: { inCellDropDown: true, source: long } }))).toBe('InvalidArgument');
    expect(await code(rule({ decimal: { formula1: 0, operator: 'Between' } }))).toBe('InvalidArgument');
    expect(await code(rule({ decimal: { formula1: 1, formula2: 0, operator: 'Between' } }))).toBe(
      'InvalidArgument',
    );
    const ok = { decimal: { formula1: 0, formula2: 1, operator: 'Between' } };
    expect(await code(rule(ok, { showAlert: true, style: 'Loud' }))).toBe('InvalidArgument');
    expect(
      await code(rule(ok, { showAlert: true, style: 'Warning', message: 'FTE is 0 to 1.' })),
    ).toBeUndefined();
    expect(await code(rule({ list: { inCellDropDown: true, source: 'Line,Position' } }))).toBeUndefined();
  });

  it('refuses a table Excel refuses: one overlapping another, a name already taken; resize needs ExcelApi 1.13', async () => {
    const fake = install({
      sheets: {
        S: [
          ['Type', 'Amount'],
          ['Line', 1],
        ],
        T: [['Other', 'Count']],
      },
    });
    const run = (fn: (ws: Excel.Worksheet) => void, sheet = 'S'): Promise<unknown> =>
      fake.Excel.run(async (ctx: Ctx) => {
        fn(ctx.workbook.worksheets.getItem(sheet));
        await ctx.sync();
      });
    expect(await code(run((ws) => (ws.tables.add('A1:B2', true).name = 'Lines')))).toBeUndefined();
    expect(await code(run((ws) => ws.tables.add('B1:C2', true)))).toBe('InvalidArgument');
    // Names are unique in the workbook, whatever their case (the table is made, its naming fails).
    expect(await code(run((ws) => (ws.tables.add('A1:B2', true).name = 'lines'), 'T'))).toBe(
      'InvalidArgument',
    );
    expect(fake.book.tables.map((t) => t.name)).toEqual(['Lines', 'Table1']);
    expect(await code(run((ws) => ws.tables.getItem('Lines').resize('A1:B3')))).toBeUndefined();
    expect(fake.book.tables.map((t) => [t.sheet.name, t.rect])).toEqual([
      ['S', { r: 0, c: 0, rows: 3, cols: 2 }],
      ['T', { r: 0, c: 0, rows: 2, cols: 2 }],
    ]);
    const old = install({ excelApi: 9, sheets: { S: [['Type'], ['Line']] } });
    const resize = old.Excel.run(async (ctx: Ctx) => {
      const ws = ctx.workbook.worksheets.getItem('S');
      ws.tables.add('A1:A2', true);
      ws.tables.getItem('Table1').resize('A1:A3');
      await ctx.sync();
    });
    expect(await code(resize)).toBeDefined();
  });

  it('refuses a table over merged cells, a resize into them, and merging cells inside a table', async () => {
    const fake = install({
      sheets: {
        S: [
          ['Type', 'Amount', 'Note'],
          ['Line', 1, 'x'],
          ['Line', 2, 'y'],
          ['Total', 3, ''],
        ],
      },
    });
    const run = (fn: (ws: Excel.Worksheet) => void): Promise<unknown> =>
      fake.Excel.run(async (ctx: Ctx) => {
        fn(ctx.workbook.worksheets.getItem('S'));
        await ctx.sync();
      });
    expect(await code(run((ws) => ws.getRange('A4:B4').merge(false)))).toBeUndefined();
    expect(await code(run((ws) => ws.tables.add('A1:C4', true)))).toBe('InvalidArgument');
    expect(fake.book.tables).toEqual([]);
    expect(await code(run((ws) => (ws.tables.add('A1:C3', true).name = 'Lines')))).toBeUndefined();
    expect(await code(run((ws) => ws.tables.getItem('Lines').resize('A1:C4')))).toBe('InvalidArgument');
    expect(await code(run((ws) => ws.getRange('A2:B2').merge(false)))).toBe('InvalidArgument');
    expect(fake.book.tables.map((t) => t.rect)).toEqual([{ r: 0, c: 0, rows: 3, cols: 3 }]);
  });

  it('refuses undefined in a values array, and leaves a cell unchanged for null', async () => {
    const fake = install({ sheets: { S: [['keep', 'x']] } });
    expect(
      await code(
        fake.Excel.run(async (ctx: Ctx) => {
          ctx.workbook.worksheets.getItem('S').getRange('A1:B1').values = [
            [undefined as unknown as string, 'y'],
          ];
          await ctx.sync();
        }),
      ),
    ).toBe('InvalidArgument');
    await fake.Excel.run(async (ctx: Ctx) => {
      ctx.workbook.worksheets.getItem('S').getRange('A1:B1').values = [[null as unknown as string, '']];
      await ctx.sync();
    });
    expect(fake.values('S')).toEqual([['keep']]);
  });

  it('coerces written strings as Excel does, except text-formatted cells and apostrophes', async () => {
    const fake = install({ sheets: { S: [] } });
    await fake.Excel.run(async (ctx: Ctx) => {
      const ws = ctx.workbook.worksheets.getItem('S');
      ws.getRange('A1:F1').values = [['001', 'TRUE', '=1+1', "'001", '6/1', '5%']];
      ws.getRange('A2').numberFormat = [['@']];
      ws.getRange('A2').values = [['001']];
      await ctx.sync();
    });
    expect(fake.values('S')[0]).toEqual([1, true, '#NAME?', '001', 46174, 0.05]);
    expect(fake.cell('S', 'C1').formula).toBe('=1+1');
    expect(fake.cell('S', 'A2').value).toBe('001');
  });

  it('fails getItem of a missing sheet at sync; getItemOrNullObject gives a null object whose methods do nothing', async () => {
    const fake = install({ sheets: { S: [] } });
    expect(
      await code(
        fake.Excel.run(async (ctx: Ctx) => {
          ctx.workbook.worksheets.getItem('Nope').getRange('A1').load('values');
          await ctx.sync();
        }),
      ),
    ).toBe('ItemNotFound');
    await fake.Excel.run(async (ctx: Ctx) => {
      const ws = ctx.workbook.worksheets.getItemOrNullObject('Nope');
      ws.protection.unprotect();
      ws.notes.getItemOrNullObject('A1').delete();
      await ctx.sync();
      expect(ws.isNullObject).toBe(true);
    });
  });

  it('refuses a second sheet of the same name (case-insensitive)', async () => {
    const fake = install({ sheets: { Site: [] } });
    expect(
      await code(
        fake.Excel.run(async (ctx: Ctx) => {
          ctx.workbook.worksheets.add('SITE');
          await ctx.sync();
        }),
      ),
    ).toBe('ItemAlreadyExists');
  });

  it('refuses changes to a protected sheet, and protecting it twice', async () => {
    const fake = install({ sheets: { S: [] } });
    await fake.Excel.run(async (ctx: Ctx) => {
      ctx.workbook.worksheets.getItem('S').protection.protect();
      await ctx.sync();
    });
    for (const change of [
      (ws: Excel.Worksheet) => (ws.getRange('A1').values = [['x']]),
      (ws: Excel.Worksheet) => (ws.getRange('A1').format.fill.color = '#FF0000'),
      (ws: Excel.Worksheet) => ws.notes.add('A1', 'n'),
      (ws: Excel.Worksheet) => ws.protection.protect(),
    ])
      expect(
        await code(
          fake.Excel.run(async (ctx: Ctx) => {
            change(ctx.workbook.worksheets.getItem('S'));
            await ctx.sync();
          }),
        ),
      ).toMatch(/AccessDenied|InvalidOperation/);
    expect(() => fake.userEdit('S', 'A1', [['typed']])).toThrow(/protected/);
  });

  it('refuses a second note on a cell, and notes on more than one cell', async () => {
    const fake = install({ sheets: { S: [] } });
    const add = (cell: string) =>
      fake.Excel.run(async (ctx: Ctx) => {
        ctx.workbook.worksheets.getItem('S').notes.add(cell, 'n');
        await ctx.sync();
      });
    expect(await code(add('A1'))).toBeUndefined();
    expect(await code(add('A1'))).toBe('InvalidArgument');
    expect(await code(add('A1:B2'))).toBe('InvalidCellAddress');
  });

  it('refuses to load the values of a whole sheet', async () => {
    const fake = install({ sheets: { S: [['a']] } });
    expect(
      await code(
        fake.Excel.run(async (ctx: Ctx) => {
          ctx.workbook.worksheets.getItem('S').getRange().load('values');
          await ctx.sync();
        }),
      ),
    ).toBe('ResponsePayloadSizeLimitExceeded');
  });

  it('counts syncs, including the one Excel.run makes for pending commands', async () => {
    const fake = install({ sheets: { S: [] } });
    await fake.Excel.run(async (ctx: Ctx) => {
      ctx.workbook.worksheets.getItem('S').getRange('A1').values = [['x']];
      await ctx.sync();
      ctx.workbook.worksheets.getItem('S').getRange('A2').values = [['y']];
    });
    expect(fake.book.stats).toMatchObject({ syncs: 2, runs: 1 });
  });

  it('refuses objects used after their Excel.run has ended', async () => {
    const fake = install({ sheets: { S: [] } });
    const range = await fake.Excel.run((ctx: Ctx) =>
      Promise.resolve(ctx.workbook.worksheets.getItem('S').getRange('A1')),
    );
    expect(() => range.load('values')).toThrow(expect.objectContaining({ code: 'InvalidObjectPath' }));
  });

  it("fires WorksheetChanged with the real argument shape, for users and for the add-in's own writes", async () => {
    const fake = install({ sheets: { S: [['a']] } });
    const seen: Excel.WorksheetChangedEventArgs[] = [];
    await fake.Excel.run(async (ctx: Ctx) => {
      ctx.workbook.worksheets.onChanged.add((e: Excel.WorksheetChangedEventArgs) => {
        seen.push(e);
        return Promise.resolve();
      });
      await ctx.sync();
    });
    await fake.userEdit('S', 'B2:C3', [
      ['1', '2'],
      ['3', '4'],
    ]);
    await fake.Excel.run(async (ctx: Ctx) => {
      ctx.workbook.worksheets.getItem('S').getRange('D1').values = [['mine']];
      await ctx.sync();
    });
    await fake.settle();
    expect(seen.map((e) => [e.type, e.address, e.changeType, e.source, e.triggerSource])).toEqual([
      ['WorksheetChanged', 'B2:C3', 'RangeEdited', 'Local', 'Unknown'],
      ['WorksheetChanged', 'D1', 'RangeEdited', 'Local', 'ThisLocalAddin'],
    ]);
    expect(seen[0]?.worksheetId).toBe(fake.sheetModel('S').id);
    expect(fake.values('S')[1]).toEqual(['', 1, 2, '']);
  });

  it('keeps settings only when saved', async () => {
    const fake = install({});
    const settings = fake.Office.context.document.settings as Office.Settings;
    settings.set('a', { x: 1 });
    settings.set('b', 2);
    await new Promise((r) => settings.saveAsync(r));
    settings.set('c', 3);
    const again = fake.reopen();
    const s2 = again.Office.context.document.settings as Office.Settings;
    expect([s2.get('a'), s2.get('b'), s2.get('c')]).toEqual([{ x: 1 }, 2, null]);
    expect(fake.book.stats.settingsSaves).toBe(1);
  });

  it('registers ribbon commands with Office.actions.associate and runs them until completed()', async () => {
    const fake = install({});
    const done: string[] = [];
    (fake.Office as typeof Office).actions.associate('hello', (event: Office.AddinCommands.Event) => {
      done.push('ran');
      event.completed();
    });
    await fake.invoke('hello');
    expect(done).toEqual(['ran']);
  });
});

describe('the fake Office.js at an older ExcelApi level', () => {
  it('answers isSetSupported for its level', () => {
    const fake = install({ excelApi: 14 });
    const r = (fake.Office as typeof Office).context.requirements;
    expect(r.isSetSupported('ExcelApi', '1.14')).toBe(true);
    expect(r.isSetSupported('ExcelApi', '1.17')).toBe(false);
    expect(r.isSetSupported('ExcelApi', '1.18')).toBe(false);
  });

  it.each([
    [14, 'ApiNotFound'],
    [17, 'ApiNotFound'],
    [18, 'nothing'],
  ])(
    'at 1.%i, notes fail the sync with %s; the commands before them stay applied',
    async (excelApi, expected) => {
      const fake = install({ sheets: { S: [['a']] }, excelApi });
      const failed = await code(
        fake.Excel.run(async (ctx: Ctx) => {
          const ws = ctx.workbook.worksheets.getItem('S');
          ws.getRange('A1').format.fill.color = '#FFC7CE';
          ws.notes.add('A1', 'a note');
          await ctx.sync();
        }),
      );
      expect(failed ?? 'nothing').toBe(expected);
      expect(fake.cell('S', 'A1').fill).toBe('#FFC7CE');
      expect(fake.notes('S')).toEqual(failed ? {} : { A1: 'a note' });
      for (const use of [
        (ctx: Ctx) => ctx.workbook.worksheets.getItem('S').notes.getItemOrNullObject('A1').delete(),
        (ctx: Ctx) => ctx.workbook.worksheets.getItem('S').notes.load('items'),
      ])
        expect((await code(fake.Excel.run((ctx: Ctx) => (use(ctx), ctx.sync())))) ?? 'nothing').toBe(
          expected,
        );
    },
  );

  it.each([
    [14, 'ApiNotFound'],
    [17, 'nothing'],
  ])('at 1.%i, onNameChanged fails the sync with %s', async (excelApi, expected) => {
    const fake = install({ excelApi });
    const registered = fake.Excel.run(async (ctx: Ctx) => {
      ctx.workbook.worksheets.onNameChanged.add(() => Promise.resolve());
      await ctx.sync();
    });
    expect((await code(registered)) ?? 'nothing').toBe(expected);
  });

  it('sends events without triggerSource before 1.14', async () => {
    for (const [excelApi, has] of [
      [13, false],
      [14, true],
    ] as const) {
      const fake = install({ sheets: { S: [['a']] }, excelApi });
      const seen: Excel.WorksheetChangedEventArgs[] = [];
      await fake.Excel.run(async (ctx: Ctx) => {
        ctx.workbook.worksheets.onChanged.add((e) => {
          seen.push(e);
          return Promise.resolve();
        });
        await ctx.sync();
      });
      await fake.userEdit('S', 'A1', [['b']]);
      await fake.settle();
      expect(seen.map((e) => 'triggerSource' in e)).toEqual([has]);
    }
  });
});

describe('the fake Office.js: charts and page layout', () => {
  const data = [
    ['Fund', 'Amount'],
    ['100', 5],
    ['210', 3],
  ];

  it('adds a named, titled, placed chart over a range; getItem of a missing chart fails, OrNullObject does nothing', async () => {
    const fake = install({ sheets: { S: data } });
    await fake.Excel.run(async (ctx: Ctx) => {
      const ws = ctx.workbook.worksheets.getItem('S');
      ws.charts.getItemOrNullObject('mix').delete();
      const chart = ws.charts.add('Pie', ws.getRange('A1:B3'), 'Columns');
      chart.name = 'mix';
      chart.title.text = 'Fund mix';
      chart.setPosition('D2', 'H12');
      await ctx.sync();
    });
    expect(fake.sheetModel('S').charts).toEqual([
      expect.objectContaining({
        name: 'mix',
        type: 'Pie',
        title: 'Fund mix',
        source: { sheet: 'S', address: 'A1:B3' },
        start: 'D2',
        end: 'H12',
      }),
    ]);
    const missing = fake.Excel.run(async (ctx: Ctx) => {
      ctx.workbook.worksheets.getItem('S').charts.getItem('nope').delete();
      await ctx.sync();
    });
    expect(await code(missing)).toBe('ItemNotFound');
  });

  it.each<[string, (ws: Excel.Worksheet) => void]>([
    ['an unknown chart type', (ws) => void ws.charts.add('Radial' as Excel.ChartType, ws.getRange('A1:B3'))],
    ['whole columns as data', (ws) => void ws.charts.add('Pie', ws.getRange('A:B'))],
    ['a chart placed at whole rows', (ws) => ws.charts.add('Pie', ws.getRange('A1:B3')).setPosition('2:3')],
  ])('fails the sync with InvalidArgument for %s', async (_, use) => {
    const fake = install({ sheets: { S: data } });
    const failed = fake.Excel.run(async (ctx: Ctx) => {
      use(ctx.workbook.worksheets.getItem('S'));
      await ctx.sync();
    });
    expect(await code(failed)).toBe('InvalidArgument');
  });

  it('refuses a chart on a protected sheet (AccessDenied)', async () => {
    const fake = install({ sheets: { S: data } });
    fake.sheetModel('S').protected = true;
    const failed = fake.Excel.run(async (ctx: Ctx) => {
      const ws = ctx.workbook.worksheets.getItem('S');
      ws.charts.add('Pie', ws.getRange('A1:B3'));
      await ctx.sync();
    });
    expect(await code(failed)).toBe('AccessDenied');
    expect(fake.sheetModel('S').charts).toEqual([]);
  });

  it('sets orientation, fit to width, print title rows, header and footer', async () => {
    const fake = install({ sheets: { S: data } });
    await fake.Excel.run(async (ctx: Ctx) => {
      const layout = ctx.workbook.worksheets.getItem('S').pageLayout;
      layout.orientation = 'Landscape';
      layout.zoom = { horizontalFitToPages: 1, verticalFitToPages: 0 };
      layout.setPrintTitleRows('$1:$2');
      layout.headersFooters.state = 'Default';
      layout.headersFooters.defaultForAllPages.centerFooter = 'Page &P of &N';
      await ctx.sync();
    });
    expect(fake.sheetModel('S').pageLayout).toMatchObject({
      orientation: 'Landscape',
      zoom: { horizontalFitToPages: 1, verticalFitToPages: 0 },
      printTitleRows: '1:2',
      defaultForAllPages: { centerFooter: 'Page &P of &N', centerHeader: '' },
    });
  });

  it.each<[string, (l: Excel.PageLayout) => void]>([
    ['an unknown orientation', (l) => (l.orientation = 'Sideways' as Excel.PageOrientation)],
    ['a scale mixed with fit to pages', (l) => (l.zoom = { scale: 100, horizontalFitToPages: 1 })],
    ['a scale outside 10–400', (l) => (l.zoom = { scale: 5 })],
    ['print titles that are not whole rows', (l) => l.setPrintTitleRows('A1:B2')],
    [
      'a header longer than 255 characters',
      (l) => (l.headersFooters.defaultForAllPages.leftHeader = 'x'.repeat(256)),
    ],
  ])('fails the sync with InvalidArgument for %s', async (_, use) => {
    const fake = install({ sheets: { S: data } });
    const failed = fake.Excel.run(async (ctx: Ctx) => {
      use(ctx.workbook.worksheets.getItem('S').pageLayout);
      await ctx.sync();
    });
    expect(await code(failed)).toBe('InvalidArgument');
  });

  it.each([
    [8, 'ApiNotFound'],
    [9, 'nothing'],
  ])('at ExcelApi 1.%i, page layout fails the sync with %s', async (excelApi, expected) => {
    const fake = install({ sheets: { S: data }, excelApi });
    const failed = fake.Excel.run(async (ctx: Ctx) => {
      ctx.workbook.worksheets.getItem('S').pageLayout.orientation = 'Landscape';
      await ctx.sync();
    });
    expect((await code(failed)) ?? 'nothing').toBe(expected);
  });
});
