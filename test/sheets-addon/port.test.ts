import { FakeEnv, chartsOf, dropdownsOf, marksOf, servicesOf } from './fakes';
import { describePortContract } from '../port/contract';
import { SheetsPort, SITE_KEY_PREFIX, STATE_KEY } from '../../sheets-addon/src/port';
import { asyncPort } from '../../core/port/driver';

function contract(name: string, advanced: boolean): void {
  describePortContract(name, () => {
    const env = new FakeEnv({ user: 'principal@district.org', advancedSheets: advanced });
    env.spreadsheet.load('Sheet1', []);
    const port = asyncPort(new SheetsPort(servicesOf(env, { advanced })));
    return Promise.resolve({
      port,
      inspect: {
        marks: (sheet: string) => Promise.resolve(marksOf(env, sheet)),
        protectedSheets: () =>
          Promise.resolve(env.spreadsheet.sheets.filter((s) => s.isProtected()).map((s) => s.name)),
        dropdowns: () => Promise.resolve(dropdownsOf(env)),
        numberFormat: (sheet: string, cell: string) =>
          Promise.resolve(env.spreadsheet.sheet(sheet).formats.get(cell) ?? null),
        charts: (sheet: string) => Promise.resolve(chartsOf(env, sheet)),
        // No print: Apps Script has no print-setup API.
      },
      reopen: () => Promise.resolve(asyncPort(new SheetsPort(servicesOf(env, { advanced })))),
      storeRawState: (raw: string) => {
        env.documentProperties.data.set(STATE_KEY, raw);
        return Promise.resolve(port);
      },
      expectedUser: { email: 'principal@district.org', verified: true },
      supportsDates: true,
    });
  });
}

contract('SheetsPort over the Apps Script fake (getValues per sheet)', false);
contract('SheetsPort over the Apps Script fake (Sheets advanced service batchGet)', true);

describe('SheetsPort batching', () => {
  function setup(advanced = false): { env: FakeEnv; port: SheetsPort } {
    const env = new FakeEnv({ advancedSheets: advanced });
    for (let s = 0; s < 20; s++)
      env.spreadsheet.load(`Site ${s}`, [
        ['Account', 'Amount'],
        ...Array.from({ length: 300 }, (_, i) => [`100-1000-111-100-${s}`, i]),
      ]);
    return { env, port: new SheetsPort(servicesOf(env, { advanced })) };
  }

  it('reads 20 sheets with one getValues each, never per cell', () => {
    const { env, port } = setup();
    env.counts.reset();
    const snap = port.readSync({ sheets: 'all' });
    expect(Object.keys(snap.sheets)).toHaveLength(20);
    expect(env.counts.get('Range.getValues')).toBe(20);
    expect(env.counts.get('Range.getValue')).toBe(0);
  });

  it('reads 20 sheets with ONE batchGet when the advanced service is enabled', () => {
    const { env, port } = setup(true);
    env.counts.reset();
    const snap = port.readSync({ sheets: 'all' });
    expect(snap.sheets['Site 3']?.[5]).toEqual(['100-1000-111-100-3', 4]);
    expect(env.counts.get('Sheets.Spreadsheets.Values.batchGet')).toBe(1);
    expect(env.counts.get('Range.getValues')).toBe(0);
  });

  it('falls back to getValues when the advanced service is refused (a simple trigger)', () => {
    const { env, port } = setup(true);
    env.counts.reset();
    const snap = env.simple('onEdit', () => port.readSync({ sheets: ['Site 1', 'Site 2'] }));
    expect(snap.sheets['Site 2']).toHaveLength(301);
    expect(env.counts.get('Range.getValues')).toBe(2);
  });

  it('reads a window far down the sheet with two getValues (header, rows)', () => {
    const { env, port } = setup();
    env.counts.reset();
    const snap = port.readSync({ rows: [{ sheet: 'Site 0', from: 200, to: 250 }] });
    expect(snap.windows[0]?.values).toHaveLength(51);
    expect(snap.windows[0]?.values[0]).toEqual(['100-1000-111-100-0', 199]);
    expect(env.counts.get('Range.getValues')).toBe(2);
  });

  it('writes 300 marks and clears in one getBackgrounds/getNotes and one setBackgrounds/setNotes', () => {
    const { env, port } = setup();
    env.counts.reset();
    port.writeSync({
      clearMarks: [{ sheet: 'Site 0', from: 1, to: 300 }],
      marks: Array.from({ length: 300 }, (_, i) => ({
        sheet: 'Site 0',
        cell: `A${i + 2}`,
        severity: i % 2 ? ('fatal' as const) : ('warning' as const),
        note: `n${i}`,
      })),
    });
    expect(marksOf(env, 'Site 0')).toHaveLength(300);
    expect(env.counts.snapshot()).toMatchObject({
      'Range.getBackgrounds': 1,
      'Range.getNotes': 1,
      'Range.setBackgrounds': 1,
      'Range.setNotes': 1,
    });
    expect(env.counts.get('Range.setBackground') + env.counts.get('Range.setNote')).toBe(0);
  });

  it("leaves a user's own fills and notes alone when clearing marks", () => {
    const { env, port } = setup();
    const sh = env.spreadsheet.sheet('Site 0');
    sh.backgrounds.set('B2', '#00ff00');
    sh.notes.set('B2', 'my own note');
    port.writeSync({ marks: [{ sheet: 'Site 0', cell: 'A2', severity: 'fatal', note: 'bad' }] });
    port.writeSync({ clearMarks: [{ sheet: 'Site 0' }] });
    expect(marksOf(env, 'Site 0')).toEqual([]);
    expect(sh.background('B2')).toBe('#00ff00');
    expect(sh.note('B2')).toBe('my own note');
  });

  it('grows the grid before writing past row 1000 (Apps Script refuses ranges outside the sheet)', () => {
    const env = new FakeEnv();
    const port = new SheetsPort(servicesOf(env));
    const values = Array.from({ length: 2500 }, (_, i) => [`r${i}`, i]);
    port.writeSync({ sheets: [{ sheet: 'Master Budget', values, header: true }] });
    expect(env.counts.get('Range.setValues')).toBe(1);
    expect(env.spreadsheet.sheet('Master Budget').grid()).toHaveLength(2500);
    expect(env.spreadsheet.sheet('Master Budget').frozenRows).toBe(1);
  });

  it('keeps the state in DocumentProperties, one key per site, each under 9 KB', () => {
    const env = new FakeEnv();
    const port = new SheetsPort(servicesOf(env));
    const sites = Object.fromEntries(
      Array.from({ length: 500 }, (_, i) => {
        const code = String(i).padStart(3, '0');
        return [
          code,
          {
            site: code,
            state: 'submitted' as const,
            submittedBy: 'a@district.org',
            submittedHash: 'f'.repeat(64),
          },
        ];
      }),
    );
    env.counts.reset();
    port.writeSync({ state: { version: 1, sites, lastAuditHash: 'c'.repeat(64) } });
    expect(env.counts.get('Properties.setProperties')).toBe(1);
    expect(env.documentProperties.data.get(STATE_KEY)).toContain('c'.repeat(64));
    expect(env.documentProperties.data.has(`${SITE_KEY_PREFIX}499`)).toBe(true);
    for (const v of env.documentProperties.data.values()) expect(v.length).toBeLessThan(9 * 1024);
    const back = port.readSync({ state: true });
    expect(Object.keys(back.state?.sites ?? {})).toHaveLength(500);
  });

  it('reports no user when Google gives an empty e-mail (outside the domain)', () => {
    const env = new FakeEnv({ user: 'someone@gmail.com' });
    const port = new SheetsPort(servicesOf(env));
    expect(port.readSync({ user: true }).user).toBeNull();
  });
});

describe('SheetsPort marks keep what the user had in the cell', () => {
  function setup(): { env: FakeEnv; port: SheetsPort } {
    const env = new FakeEnv({});
    env.spreadsheet.load('Site', [['Account'], ['bad'], ['also bad'], ['fine']]);
    const sheet = env.spreadsheet.sheet('Site');
    sheet.backgrounds.set('A2', '#cfe2f3');
    sheet.notes.set('A2', 'Ask Dana about this code');
    return { env, port: new SheetsPort(servicesOf(env, { advanced: false })) };
  }
  const marks = [
    { sheet: 'Site', cell: 'A2', severity: 'fatal' as const, note: 'BL104 not a valid object' },
    { sheet: 'Site', cell: 'A3', severity: 'warning' as const, note: 'BL201 check this' },
  ];

  it('marks over the user fill and note, and puts both back when the mark clears', () => {
    const { env, port } = setup();
    const sheet = env.spreadsheet.sheet('Site');
    port.writeSync({ marks });
    expect([sheet.background('A2'), sheet.note('A2')]).toEqual(['#f4cccc', 'BL104 not a valid object']);
    // marked again by a later validation: what is kept is still the user's
    port.writeSync({ marks: [{ ...(marks[0] as (typeof marks)[number]), note: 'BL104 still not valid' }] });
    env.counts.reset();
    port.writeSync({ clearMarks: [{ sheet: 'Site' }] });
    expect([sheet.background('A2'), sheet.note('A2')]).toEqual(['#cfe2f3', 'Ask Dana about this code']);
    expect([sheet.background('A3'), sheet.note('A3')]).toEqual([null, '']);
    expect(env.counts.get('Range.setBackgrounds')).toBe(1);
    expect(env.documentProperties.data.has('budgetline.under.Site')).toBe(false);
  });

  it('does not put a kept fill on another cell after rows moved under the mark', () => {
    const { env, port } = setup();
    const sheet = env.spreadsheet.sheet('Site');
    port.writeSync({ marks: [marks[0] as (typeof marks)[number]] });
    // a row inserted above by the user moves the marked cell to A3; A2 is now another row, marked anew
    sheet.backgrounds.set('A3', '#f4cccc');
    sheet.notes.set('A3', 'BL104 not a valid object');
    sheet.backgrounds.set('A2', '#f4cccc');
    sheet.notes.set('A2', 'BL301 a different finding');
    port.writeSync({ clearMarks: [{ sheet: 'Site' }] });
    expect(sheet.background('A2')).toBeNull();
    expect(sheet.note('A2')).toBe('');
  });
});

describe('SheetsPort charts (and no print setup)', () => {
  const report = [
    ['Fund', 'Expenditures', 'Revenues'],
    ['100 General Fund', 97931221.78, 104140064],
    ['210 Title I', 3239343.5, 5854470],
  ];
  const chart = (name: string, title: string) =>
    ({
      sheet: 'Report',
      name,
      type: 'column',
      title,
      data: 'A1:C3',
      anchor: { at: 'E2', columns: 6, rows: 15 },
    }) as const;

  it('draws charts with two getCharts per sheet, in place when they exist, never a call per cell', () => {
    const env = new FakeEnv();
    const port = new SheetsPort(servicesOf(env));
    port.writeSync({
      sheets: [{ sheet: 'Report', values: report }],
      charts: [chart('a', 'A'), chart('b', 'B')],
    });
    env.counts.reset();
    port.writeSync({ charts: [chart('a', 'A again'), chart('c', 'C')] });
    expect(env.counts.snapshot()).toMatchObject({
      'Sheet.getCharts': 2,
      'Sheet.updateChart': 1,
      'Sheet.insertChart': 1,
    });
    expect(env.counts.get('Sheet.removeChart')).toBe(0);
    expect(chartsOf(env, 'Report').map((c) => [c.name, c.title])).toEqual([
      ['a', 'A again'],
      ['b', 'B'],
      ['c', 'C'],
    ]);
  });

  it("leaves a chart a person drew alone, and draws anew when Budgetline's was deleted by hand", () => {
    const env = new FakeEnv();
    const port = new SheetsPort(servicesOf(env));
    port.writeSync({ sheets: [{ sheet: 'Report', values: report }], charts: [chart('a', 'A')] });
    const sh = env.spreadsheet.sheet('Report');
    sh.insertChart(
      sh
        .newChart()
        .setChartType('PIE')
        .addRange(sh.getRange('A1:B3'))
        .setPosition(20, 1, 0, 0)
        .setNumHeaders(1)
        .setOption('title', 'Mine')
        .build(),
    );
    sh.removeChart(sh.charts[0] as (typeof sh.charts)[number]);
    port.writeSync({ charts: [chart('a', 'A redrawn')] });
    port.writeSync({ charts: [chart('a', 'A once more')] });
    expect(chartsOf(env, 'Report').map((c) => [c.name, c.title])).toEqual([
      ['(not Budgetline’s)', 'Mine'],
      ['a', 'A once more'],
    ]);
  });

  it('accepts print setup and leaves it out (Apps Script has no print-setup API), writing the rest', () => {
    const env = new FakeEnv();
    const port = new SheetsPort(servicesOf(env));
    port.writeSync({
      sheets: [{ sheet: 'Report', values: report }],
      print: [{ sheet: 'Report', orientation: 'landscape', fitToWidth: true, titleRows: '1:1' }],
    });
    expect(env.spreadsheet.sheet('Report').grid()).toEqual(report);
  });

  it('refuses charts where the Charts service is missing, before writing anything', () => {
    const env = new FakeEnv();
    const { chartTypes: _, ...services } = servicesOf(env);
    const port = new SheetsPort(services);
    expect(() =>
      port.writeSync({ sheets: [{ sheet: 'Report', values: report }], charts: [chart('a', 'A')] }),
    ).toThrow(/Nothing was written/);
    expect(env.spreadsheet.sheets.map((s) => s.name)).toEqual([]);
  });
});
