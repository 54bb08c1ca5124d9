/** The Apps Script fake fails where Apps Script fails, and counts calls. */
import { FakeEnv, type FakeSheetsApi, type FakeSpreadsheetApp } from './fakes';
import { Utf8Encoder } from '../../sheets-addon/src/polyfills';

function sheetOf(env: FakeEnv): ReturnType<FakeEnv['spreadsheet']['insertSheet']> {
  return env.spreadsheet.insertSheet('S');
}

describe('the Apps Script fake', () => {
  it("refuses setValues with a wrongly shaped array, with Apps Script's message", () => {
    const env = new FakeEnv();
    const r = sheetOf(env).getRange(1, 1, 3, 2);
    expect(() => r.setValues([[1, 2]])).toThrow(
      'The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 3.',
    );
    expect(() => r.setValues([[1, 2], [3], [4, 5]])).toThrow(
      'The number of columns in the data does not match the number of columns in the range. The data has 1 but the range has 2.',
    );
    expect(() => r.setBackgrounds([['#fff']])).toThrow(/number of rows in the data/);
    expect(() => r.setNotes([['a', 'b']])).toThrow(/number of rows in the data/);
  });

  it('refuses ranges outside the grid and ranges of zero rows', () => {
    const env = new FakeEnv();
    const sh = sheetOf(env);
    expect(() => sh.getRange(1001, 1, 1, 1)).toThrow(
      'The coordinates of the range are outside the dimensions of the sheet.',
    );
    expect(() => sh.getRange(1, 1, 0, 1)).toThrow('The number of rows in the range must be at least 1.');
    sh.insertRowsAfter(1000, 10);
    expect(() => sh.getRange(1010, 1, 1, 1)).not.toThrow();
  });

  it('reads strings written with setValues as a user typing them, unless quoted or plain text', () => {
    const env = new FakeEnv();
    const sh = sheetOf(env);
    sh.getRange(1, 1, 1, 6).setValues([['001', 'TRUE', '=A1', '2026-07-01', "'001", 'text']]);
    const [row] = sh.getRange(1, 1, 1, 6).getValues();
    expect(row?.slice(0, 2)).toEqual([1, true]);
    expect(row?.[2]).toBe('');
    expect(row?.[3]).toBeInstanceOf(Date);
    expect(row?.slice(4)).toEqual(['001', 'text']);
    sh.getRange(2, 1).setNumberFormat('@');
    sh.getRange(2, 1).setValues([['001']]);
    expect(sh.cell('A2')).toBe('001');
  });

  it('gives blanks as "" and a fresh array on every getValues; batchGet rows are ragged', () => {
    const env = new FakeEnv({ advancedSheets: true });
    const sh = sheetOf(env);
    sh.loadRaw([['a', '', 'c'], ['x']]);
    const v1 = sh.getRange(1, 1, 2, 3).getValues();
    expect(v1).toEqual([
      ['a', '', 'c'],
      ['x', '', ''],
    ]);
    v1[0]![0] = 'changed';
    expect(sh.cell('A1')).toBe('a');
    const api = env.globals()['Sheets'] as FakeSheetsApi;
    const res = api.Spreadsheets.Values.batchGet('fake-spreadsheet-id', { ranges: ["'S'"] }) as {
      valueRanges: { values?: unknown[][] }[];
    };
    expect(res.valueRanges[0]?.values).toEqual([['a', '', 'c'], ['x']]);
  });

  it('refuses services that need authorisation inside a simple trigger', () => {
    const env = new FakeEnv({ advancedSheets: true });
    const g = env.globals();
    const ui = (g['SpreadsheetApp'] as FakeSpreadsheetApp).getUi();
    const html = (g['HtmlService'] as { createHtmlOutput: (s: string) => never }).createHtmlOutput(
      '<p>x</p>',
    );
    env.simple('onEdit', () => {
      expect(() => ui.showSidebar(html)).toThrow(/You do not have permission to call Ui.showSidebar/);
      expect(() => (g['MailApp'] as { sendEmail: () => void }).sendEmail()).toThrow(/permission/);
      expect(() => (g['UrlFetchApp'] as { fetch: () => void }).fetch()).toThrow(/permission/);
      expect(() => (g['SpreadsheetApp'] as FakeSpreadsheetApp).openById('x')).toThrow(/permission/);
      expect(() =>
        (g['Sheets'] as FakeSheetsApi).Spreadsheets.Values.batchGet('fake-spreadsheet-id', { ranges: [] }),
      ).toThrow(/permission/);
    });
    expect(() => ui.showSidebar(html)).not.toThrow();
  });

  it('gives an empty e-mail for a user outside the domain', () => {
    const env = new FakeEnv({ user: 'friend@gmail.com' });
    const session = env.globals()['Session'] as { getActiveUser: () => { getEmail: () => string } };
    expect(session.getActiveUser().getEmail()).toBe('');
    env.userEmail = 'Pat@district.org';
    expect(session.getActiveUser().getEmail()).toBe('Pat@district.org');
  });

  it('enforces 9 KB per property value and 500 KB per store', () => {
    const env = new FakeEnv();
    const p = env.documentProperties;
    expect(() => p.setProperty('big', 'x'.repeat(9 * 1024 + 1))).toThrow(/Argument too large/);
    const many: Record<string, string> = {};
    for (let i = 0; i < 60; i++) many[`k${i}`] = 'y'.repeat(9000);
    expect(() => p.setProperties(many)).toThrow(/property storage quota/);
    expect(p.getProperties()).toEqual({});
  });

  it('gives the document lock to one execution at a time', () => {
    const env = new FakeEnv();
    const lockService = env.globals()['LockService'] as {
      getDocumentLock: () => {
        tryLock: (ms: number) => boolean;
        waitLock: (ms: number) => void;
        releaseLock: () => void;
      };
    };
    env.as('a@district.org', () => {
      const mine = lockService.getDocumentLock();
      expect(mine.tryLock(1000)).toBe(true);
      env.execution++; // another person's execution while the first still holds it
      expect(lockService.getDocumentLock().tryLock(1000)).toBe(false);
      expect(() => lockService.getDocumentLock().waitLock(1000)).toThrow(/Lock timeout/);
    });
    expect(env.documentLock.holder).toBeNull(); // released when the execution ends
  });

  it('counts every call', () => {
    const env = new FakeEnv();
    const sh = sheetOf(env);
    env.counts.reset();
    sh.getRange('A1:B2').getValues();
    sh.getRangeList(['A1', 'B2']).setBackground('#ff0000');
    expect(env.counts.snapshot()).toEqual({
      'Range.getValues': 1,
      'RangeList.setBackground': 1,
      'Sheet.getRange': 1,
      'Sheet.getRangeList': 1,
    });
  });
});

describe('the TextEncoder polyfill', () => {
  it('encodes like the platform TextEncoder, surrogate pairs included', () => {
    for (const s of ['', 'abc', 'Ünïcödé — “quotes”', '😀 budget', 'tab\tline\n', '\ud800 lone'])
      expect([...new Utf8Encoder().encode(s)]).toEqual([...new TextEncoder().encode(s)]);
  });
});

describe('the Apps Script fake: charts', () => {
  function sheet(): ReturnType<FakeEnv['spreadsheet']['insertSheet']> {
    const sh = new FakeEnv().spreadsheet.insertSheet('S');
    sh.getRange(1, 1, 3, 2).setValues([
      ['Fund', 'Amount'],
      ['100', 5],
      ['210', 3],
    ]);
    return sh;
  }

  it('gives a chart its id when it is inserted (the built object stays without one); modify + updateChart keeps it', () => {
    const sh = sheet();
    const built = sh
      .newChart()
      .setChartType('PIE')
      .addRange(sh.getRange('A1:B3'))
      .setPosition(1, 4, 0, 0)
      .build();
    sh.insertChart(built);
    expect(built.getChartId()).toBeNull();
    const [inserted] = sh.getCharts();
    const id = inserted?.getChartId();
    expect(id).toEqual(expect.any(Number));
    sh.updateChart((inserted as NonNullable<typeof inserted>).modify().setOption('title', 'New').build());
    expect(sh.getCharts().map((c) => [c.getChartId(), c.getOptions().get('title')])).toEqual([[id, 'New']]);
  });

  it('refuses a chart without a type or a range, an unknown type, a position outside the sheet', () => {
    const sh = sheet();
    expect(() => sh.newChart().addRange(sh.getRange('A1:B3')).build()).toThrow(/chart type must be set/);
    expect(() => sh.newChart().setChartType('PIE').build()).toThrow(/at least one range/);
    expect(() => sh.newChart().setChartType('DONUT')).toThrow('Invalid argument: type');
    expect(() => sh.newChart().setPosition(1001, 1, 0, 0)).toThrow(/outside the dimensions/);
  });

  it('refuses to update or remove a chart that is not on the sheet, and to insert one twice', () => {
    const sh = sheet();
    const built = sh.newChart().setChartType('BAR').addRange(sh.getRange('A1:B3')).build();
    expect(() => sh.updateChart(built)).toThrow(/does not exist/);
    expect(() => sh.removeChart(built)).toThrow(/does not exist/);
    sh.insertChart(built);
    expect(() =>
      sh.insertChart(sh.getCharts()[0] as NonNullable<ReturnType<typeof sh.getCharts>[number]>),
    ).toThrow(/already in the spreadsheet/);
  });
});
