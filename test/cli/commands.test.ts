/**
 * The command line end to end, run in process through main(argv) with its output captured, for
 * exit statuses, the human output and the --json shape. A small demo district (4 schools) is built
 * once, in process, and copied for each test that changes it.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { budgetOf, readWorkbook } from '../../core';
import { runDemo } from '../../cli/demo/run';
import { XlsxPort } from '../../cli/xlsx-port';
import { fixLines, runCli, tempDir } from './helpers';

jest.setTimeout(180_000);

let dir: string;
let cleanup: () => void;
let demo: string;
let n = 0;
const copy = (): string => {
  const f = join(dir, `copy-${++n}.xlsx`);
  copyFileSync(demo, f);
  return f;
};

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  const run = await runDemo(
    join(dir, 'demo'),
    { schools: 4, seed: 7 },
    { now: () => '2026-11-28T09:30:00.000Z' },
  );
  demo = run.workbook;
});
afterAll(() => cleanup());

interface JsonOut {
  command: string;
  ok: boolean;
  summary: string;
  diagnostics: {
    code: string;
    severity: string;
    sheet: string | null;
    cell: string | null;
    message: string;
    remedy: string;
  }[];
  [k: string]: unknown;
}
const json = (s: string): JsonOut => JSON.parse(s) as JsonOut;

/** Sites and their states, read in process (the status command is run once itself). */
async function siteStates(
  file: string,
): Promise<{ view: { sites: { code: string; name: string; state: string }[] } }> {
  const snap = await (await XlsxPort.open(file)).read({ sheets: 'all', state: true });
  const wb = readWorkbook(snap);
  return {
    view: {
      sites: wb.sites.map((s) => ({ code: s.code, name: s.name, state: budgetOf(wb.state, s.code).state })),
    },
  };
}

const CFO = 'cfo@cedarvalley.k12.us';

describe('init', () => {
  it('creates a district workbook from a preset, and refuses to overwrite it', async () => {
    const file = join(dir, 'new.xlsx');
    const r = await runCli([
      'init',
      file,
      '--chart',
      'texas',
      '--fiscal-year',
      '2026-27',
      '--district',
      'Rio Verde ISD',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out).toMatchObject({ command: 'init', ok: true, diagnostics: [] });
    const snap = await (await XlsxPort.open(file)).read({ sheets: ['Setup'] });
    expect(snap.sheetNames).toEqual(
      expect.arrayContaining(['Setup', 'Segments', 'Codes', 'Sites', 'Roles', 'Audit']),
    );
    expect(snap.sheets.Setup).toEqual(
      expect.arrayContaining([
        ['District', 'Rio Verde ISD'],
        ['Fiscal Year', 2027],
        ['Chart', 'texas'],
      ]),
    );

    // The core's new-workbook check, the same refusal as in Excel and Sheets: BL807, nothing changed.
    const again = await runCli(['init', file, '--fiscal-year', '2027']);
    expect(again.code).toBe(1);
    expect(again.stdout + again.stderr).toMatch(
      /BL807 this workbook already holds a Budgetline district workbook \(Rio Verde ISD\)/,
    );
    // Rebuilding on purpose is the CFO's alone (BL811); the file's Roles has no CFO but the one who made it.
    const rebuild = ['init', file, '--fiscal-year', '2028', '--district', 'Rio Verde ISD', '--rebuild'];
    const denied = await runCli([...rebuild, '--as', 'someone@rioverde.org']);
    expect(denied.code).toBe(1);
    expect(denied.stdout + denied.stderr).toMatch(/BL81[01]/);
    expect((await (await XlsxPort.open(file)).read({ sheets: ['Setup'] })).sheets.Setup).toEqual(
      expect.arrayContaining([['Fiscal Year', 2027]]),
    );
  });

  it('rebuilds a district workbook when the CFO asks for it on purpose', async () => {
    const file = join(dir, 'rebuild.xlsx');
    expect((await runCli(['init', file, '--fiscal-year', '2027', '--as', CFO])).code).toBe(0);
    const r = await runCli(['init', file, '--fiscal-year', '2028', '--rebuild', '--as', CFO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Rebuilt the Sample School District workbook for FY2028/);
    expect((await (await XlsxPort.open(file)).read({ sheets: ['Setup'] })).sheets.Setup).toEqual(
      expect.arrayContaining([['Fiscal Year', 2028]]),
    );
  });

  it.each([
    [['--chart', 'ohio', '--fiscal-year', '2027'], /Allowed choices are nces, texas, california/],
    [['--fiscal-year', 'next year'], /--fiscal-year "next year" is not a fiscal year/],
    [[], /required option '--fiscal-year <year>' not specified/],
  ])('exits 2 on bad options %j', async (args, message) => {
    const r = await runCli(['init', join(dir, 'bad.xlsx'), ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(dir, 'bad.xlsx'))).toBe(false);
  });
});

describe('validate', () => {
  it('prints each finding with its sheet and cell and exits 1 on fatal findings', async () => {
    const r = await runCli(['validate', copy()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^[A-Za-z ]+!B\d+ {2}BL104 unknown object code "641" — did you mean 640 or 141\?$/m,
    );
    expect(r.stdout).toMatch(/BL007 warning: the dash – at position 4/);
    // The demo's four schools and the district office (a budget unit for district-wide proposals).
    expect(r.stdout).toMatch(/5 sites checked/);
  });

  it('gives --json: diagnostics with code, severity, sheet, cell, message, remedy, and a summary', async () => {
    const r = await runCli(['validate', copy(), '--json']);
    expect(r.code).toBe(1);
    const out = json(r.stdout);
    expect(out.command).toBe('validate');
    expect(out.ok).toBe(false);
    expect(typeof out.summary).toBe('string');
    expect(out.diagnostics.length).toBeGreaterThan(0);
    for (const d of out.diagnostics)
      expect(
        Object.keys(d)
          .filter((k) => k !== 'suggestions')
          .sort(),
      ).toEqual(['cell', 'code', 'message', 'remedy', 'severity', 'sheet']);
    expect(out.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'BL104',
        severity: 'fatal',
        message: 'unknown object code "641"',
        cell: expect.stringMatching(/^B\d+$/),
      }),
    );
  });

  it('exits 0 when only some clean sites are checked', async () => {
    const file = copy();
    const status = json((await runCli(['status', file, '--json'])).stdout) as unknown as {
      view: { sites: { code: string; state: string }[] };
    };
    const clean = status.view.sites.find((s) => s.state === 'approved');
    const r = await runCli(['validate', file, '--site', clean?.code ?? '?']);
    expect(r.code).toBe(0);
  });

  it.each([
    ['a missing file', (d: string) => join(d, 'missing.xlsx'), /missing\.xlsx: no such file/],
    [
      'a CSV file',
      (d: string) => (writeFileSync(join(d, 'lines.csv'), 'a,b\n'), join(d, 'lines.csv')),
      /lines\.csv is a CSV file/,
    ],
    [
      'a text file named .xlsx',
      (d: string) => (writeFileSync(join(d, 'text.xlsx'), 'hello'), join(d, 'text.xlsx')),
      /text\.xlsx is not an \.xlsx workbook/,
    ],
  ])('exits 2 on %s with a message naming it and no stack trace', async (_what, make, message) => {
    const r = await runCli(['validate', make(dir)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on a workbook that is not a district workbook', async () => {
    const file = join(dir, 'plain.xlsx');
    await (await XlsxPort.create(file)).write({ sheets: [{ sheet: 'Budget', values: [['x']] }] });
    const r = await runCli(['validate', file, '--json']);
    expect(r.code).toBe(1);
    expect(json(r.stdout).diagnostics).toContainEqual(expect.objectContaining({ code: 'BL801' }));
  });
});

describe('usage', () => {
  it('exits 2 on an unknown command or a missing argument', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(2);
    const r = await runCli(['validate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing required argument 'workbook'/);
  });

  it('exits 0 for --help', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/consolidate/);
  });
});

describe('import', () => {
  it('maps CSV columns onto a site sheet, keeps account strings as text, and validates the site', async () => {
    const file = copy();
    const csv = join(dir, 'erp.csv');
    writeFileSync(
      csv,
      'GL Acct,Desc,FY25 Budget,Fund\n100-1000-610-100-104,Paper,"$1,250.00",100\n\n100-1000-6118-100-104,Typo,500,100\n',
    );
    const status = await siteStates(file);
    const draft = status.view.sites.find((s) => s.state === 'draft');
    expect(draft).toBeDefined();
    const r = await runCli([
      'import',
      file,
      csv,
      '--sheet',
      draft?.code ?? '',
      '--map',
      'Account=GL Acct,Amount=FY25 Budget,Description=Desc',
      '--json',
    ]);
    expect(r.code).toBe(1);
    const out = json(r.stdout);
    expect(out.imported).toBe(2);
    expect(out.diagnostics).toContainEqual(expect.objectContaining({ code: 'BL102', sheet: draft?.name }));
    const grid = (await XlsxPort.open(file)).sheet(draft?.name ?? '') ?? [];
    const last = grid.slice(-2);
    expect(last.map((row) => [row[0], row[1], row[2], row[5]])).toEqual([
      ['Line', '100-1000-610-100-104', 'Paper', 1250],
      ['Line', '100-1000-6118-100-104', 'Typo', 500],
    ]);
  });

  it('reads a Windows-1252 CSV (as Excel on Windows saves one), says so, and keeps the characters', async () => {
    const file = copy();
    const csv = join(dir, 'cp1252.csv');
    writeFileSync(
      csv,
      Buffer.from(
        [
          ...'Account,Description,Amount\r\n100-1000-610-100-104,Caf',
          0xe9,
          ' ',
          0x93,
          'x',
          0x94,
          ',5\r\n',
        ].flatMap((c) => (typeof c === 'number' ? [c] : [...Buffer.from(c, 'latin1')])),
      ),
    );
    const draft = (await siteStates(file)).view.sites.find((s) => s.state === 'draft');
    const r = await runCli(['import', file, csv, '--sheet', draft?.code ?? '']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`Read ${csv} as Windows-1252 (detected: the file is not valid UTF-8).`);
    const grid = (await XlsxPort.open(file)).sheet(draft?.name ?? '') ?? [];
    expect(grid.at(-1)?.slice(0, 3)).toEqual(['Line', '100-1000-610-100-104', 'Café “x”']);
    const json16 = join(dir, 'utf16.csv');
    writeFileSync(json16, Buffer.from('\uFEFFAccount,Amount\n100-1000-610-100-104,5\n', 'utf16le'));
    const j = json((await runCli(['import', copy(), json16, '--sheet', draft?.code ?? '', '--json'])).stdout);
    expect(j.encoding).toEqual({ encoding: 'utf-16le', bom: true, from: 'byte-order mark' });
  });

  it.each([
    [
      ['--map', 'Account=Nope'],
      /erp2\.csv has no column "Nope" \(for Account\); its columns are: GL Acct, Amount/,
    ],
    [['--map', 'Colour=GL Acct'], /"Colour" is not a site-sheet column/],
    [['--map', 'GL Acct'], /is not Column=CSV header/],
  ])('exits 2 on a bad mapping %j', async (args, message) => {
    const csv = join(dir, 'erp2.csv');
    writeFileSync(csv, 'GL Acct,Amount\n100-1000-610-100-104,5\n');
    const r = await runCli(['import', copy(), csv, '--sheet', '101', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/cannot be read as CSV/);
  });

  it('refuses to import into an approved budget, and into an unknown site', async () => {
    const file = copy();
    const before = readFileSync(file);
    const csv = join(dir, 'erp3.csv');
    writeFileSync(csv, 'Account,Amount\n100-1000-610-100-101,5\n');
    const status = await siteStates(file);
    const approved = status.view.sites.find((s) => s.state === 'approved');
    // The core's refusals (the same in Excel and Sheets): BL821 for a locked site, BL802 for an unknown one.
    const r = await runCli(['import', file, csv, '--sheet', approved?.code ?? '']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/BL821 the \d+ budget is approved; its lines cannot be changed/);
    const unknown = await runCli(['import', file, csv, '--sheet', '999']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/BL802 there is no site "999" in the Sites table/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('init --account-columns per-segment; import splits account strings into the segment columns, with dropdowns', async () => {
    const file = join(dir, 'segments.xlsx');
    const init = await runCli(['init', file, '--fiscal-year', '2027', '--account-columns', 'per-segment']);
    expect(init.code).toBe(0);
    const port = await XlsxPort.open(file);
    expect(port.sheet('Setup')).toContainEqual(['Account columns', 'per segment']);
    await port.write({
      sheets: [
        {
          sheet: 'Sites',
          at: 'A2',
          values: [['104', 'Lincoln Elementary', null, 300, 0, 0, 0, 'elementary', 'No']],
        },
      ],
    });
    const csv = join(dir, 'erp-segments.csv');
    writeFileSync(
      csv,
      'Account,Description,Amount\n100-1000-610-100-104,Paper,1250\n100-1000-61-100-104,Typo,5\nnot an account,Odd,7\n',
    );
    const r = await runCli(['import', file, csv, '--sheet', '104', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const out = json(r.stdout);
    expect(out.diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'BL102', sheet: 'Lincoln Elementary', cell: 'D3' }),
        expect.objectContaining({ code: 'BL001', sheet: 'Lincoln Elementary', cell: 'C4' }),
      ]),
    );
    // nothing on the good row's segments: the split string is valid
    expect(out.diagnostics.filter((d) => d.severity === 'fatal' && /^[B-F]2$/.test(d.cell ?? ''))).toEqual(
      [],
    );
    const after = await XlsxPort.open(file);
    const grid = after.sheet('Lincoln Elementary') ?? [];
    expect(grid.map((row) => row.slice(0, 7))).toEqual([
      ['Type', 'Fund', 'Function', 'Object', 'Program', 'Site', 'Description'],
      ['Line', '100', '1000', '610', '100', '104', 'Paper'],
      ['Line', '100', '1000', '61', '100', '104', 'Typo'],
      ['Line', 'not an account', null, null, null, null, 'Odd'],
    ]);
    // Each segment column's codes, to the sheet's last row (the other rules: the site-view tests).
    const fromCodes = after
      .dropdowns()
      .filter((d) => d.sheet === 'Lincoln Elementary' && 'source' in d && d.source.sheet === 'Codes');
    expect(fromCodes).toEqual([
      {
        sheet: 'Lincoln Elementary',
        range: 'B2:B1048576',
        source: { sheet: 'Codes', range: 'B2:B21' },
        strict: false,
      },
      {
        sheet: 'Lincoln Elementary',
        range: 'C2:C1048576',
        source: { sheet: 'Codes', range: 'B22:B87' },
        strict: false,
      },
      {
        sheet: 'Lincoln Elementary',
        range: 'D2:D1048576',
        source: { sheet: 'Codes', range: 'B88:B168' },
        strict: false,
      },
      {
        sheet: 'Lincoln Elementary',
        range: 'E2:E1048576',
        source: { sheet: 'Codes', range: 'B169:B177' },
        strict: false,
      },
    ]);
  });
});

describe('workflow', () => {
  it('reopens, submits, returns and approves with --as, recorded as self-declared', async () => {
    const file = copy();
    const status = await siteStates(file);
    const site = status.view.sites.find((s) => s.state === 'approved')?.code ?? '';
    const roles = (await XlsxPort.open(file)).sheet('Roles') ?? [];
    const principal = String(roles.find((r) => r[1] === 'builder' && r[2] === site)?.[0]);

    const noAs = await runCli(['reopen', file, '--site', site, '--comment', 'x']);
    expect(noAs.code).toBe(2);
    expect(noAs.stderr).toMatch(/required option '--as <email>'/);
    expect((await runCli(['reopen', file, '--site', site, '--as', 'cfo@cedarvalley.k12.us'])).stderr).toMatch(
      /needs --comment/,
    );

    const reopen = await runCli([
      'reopen',
      file,
      '--site',
      site,
      '--as',
      'cfo@cedarvalley.k12.us',
      '--comment',
      'Enrollment changed',
      '--json',
    ]);
    expect(reopen.code).toBe(0);
    expect(json(reopen.stdout).diagnostics).toContainEqual(
      expect.objectContaining({ code: 'BL809', severity: 'warning' }),
    );
    expect((await runCli(['submit', file, '--site', site, '--as', principal])).code).toBe(0);
    expect(
      (
        await runCli([
          'return',
          file,
          '--site',
          site,
          '--as',
          'budget.office@cedarvalley.k12.us',
          '--comment',
          'Add the field trip',
        ])
      ).code,
    ).toBe(0);
    expect((await runCli(['submit', file, '--site', site, '--as', principal])).code).toBe(0);
    const refused = await runCli(['approve', file, '--site', site, '--as', principal]);
    expect(refused.code).toBe(1);
    expect(
      (await runCli(['approve', file, '--site', site, '--as', 'budget.office@cedarvalley.k12.us'])).code,
    ).toBe(0);
    const audit = (await XlsxPort.open(file)).sheet('Audit') ?? [];
    expect(audit.flat().filter((v) => v === 'self-declared').length).toBeGreaterThanOrEqual(5);
    // Verify is the CFO's, by the core's one permission rule: refused to the approver.
    const denied = await runCli(['verify', file, '--as', 'budget.office@cedarvalley.k12.us']);
    expect(denied.code).toBe(1);
    expect(denied.stdout + denied.stderr).toMatch(
      /BL811 budget\.office@cedarvalley\.k12\.us may not verify the approvals: only the CFO may/,
    );
    const v = await runCli(['verify', file, '--as', CFO]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/Audit log intact/);
  });
});

describe('allocate, consolidate, export, roll-forward', () => {
  it('computes allocations', async () => {
    const r = await runCli(['allocate', copy()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/allocations computed from 12 rules/);
  });

  it('consolidates into a new file, leaving the workbook as it was', async () => {
    const file = copy();
    const before = readFileSync(file);
    const out = join(dir, 'master-one.xlsx');
    const r = await runCli(['consolidate', file, '--out', out, '--as', CFO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /Control totals \(agree\): expenditure Master Budget \$[\d,]+\.\d\d, sites \$[\d,]+\.\d\d\./,
    );
    expect(r.stdout).toMatch(
      /^ {2}100 General Fund +revenues \$[\d,.]+, expenditures \$[\d,.]+, net -?\$[\d,.]+, ending balance/m,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
    expect((await XlsxPort.open(out)).sheet('Master Budget')?.length).toBeGreaterThan(5);
  });

  it('a finding naming many items shows the count and the first few; --json keeps the whole list', async () => {
    const file = copy();
    const human = await runCli(['consolidate', file, '--as', CFO]);
    const line = human.stdout.split('\n').find((l) => l.includes('BL633')) ?? '';
    const [, total, shown, more] =
      /BL633 warning: (\d+) workflow steps were taken by a self-declared user: (.*) and (\d+) more \(--json lists all \d+\)$/.exec(
        line,
      ) ?? [];
    expect(shown?.split('; ')).toHaveLength(3);
    expect(Number(more)).toBe(Number(total) - 3);
    const j = json((await runCli(['consolidate', file, '--json', '--as', CFO])).stdout);
    const bl633 = j.diagnostics.find((d) => d.code === 'BL633') as JsonOut['diagnostics'][number] & {
      items?: string[];
    };
    expect(bl633.items).toHaveLength(Number(total));
    expect(bl633.items?.slice(0, 3)).toEqual(shown?.split('; '));
    expect(new Set(bl633.items).size).toBe(Number(total));
    expect(bl633.items?.every((i) => /^entry \d+ \S+ \S+ by \S+@\S+$/.test(i))).toBe(true);
  });

  it('consolidates many site files into one master', async () => {
    const a = copy();
    const b = copy();
    // Each principal's copy holds only some schools' sheets filled in.
    const pa = await XlsxPort.open(a);
    const pb = await XlsxPort.open(b);
    const sites = (pa.sheet('Sites') ?? []).slice(1).map((r) => String(r[1]));
    await pa.write({
      sheets: sites.slice(2).map((s) => ({ sheet: s, values: [pa.sheet(s)?.[0] ?? []], replace: true })),
    });
    await pb.write({
      sheets: sites.slice(0, 2).map((s) => ({ sheet: s, values: [pb.sheet(s)?.[0] ?? []], replace: true })),
    });
    const out = join(dir, 'master.xlsx');
    const r = await runCli(['consolidate', a, b, '--out', out, '--json', '--as', CFO]);
    expect(r.code).toBe(0);
    const res = json(r.stdout) as JsonOut & { control: { agree: boolean; masterCents: number } };
    expect(res.control.agree).toBe(true);
    const single = json(
      (await runCli(['consolidate', copy(), '--out', join(dir, 'm2.xlsx'), '--json', '--as', CFO])).stdout,
    ) as typeof res;
    expect(res.control.masterCents).toBe(single.control.masterCents);
    // funds: per fund and the district, as issue 13 specifies; revenues never added to expenditures.
    const funds = (
      single as unknown as { funds: Record<string, unknown>[]; district: Record<string, unknown> }
    ).funds;
    expect(funds.map((f) => f.fund)).toEqual(['100', '210', '220']);
    expect(Object.keys(funds[0] ?? {})).toEqual([
      'fund',
      'name',
      'revenuesCents',
      'expendituresCents',
      'otherSourcesCents',
      'otherUsesCents',
      'netChangeCents',
      'beginningBalanceCents',
      'endingBalanceCents',
      'reservePercent',
    ]);
    const gf = funds[0] as Record<string, number>;
    expect(gf.endingBalanceCents).toBe(
      gf.beginningBalanceCents! +
        gf.revenuesCents! +
        gf.otherSourcesCents! -
        gf.expendituresCents! -
        gf.otherUsesCents!,
    );
    expect((single as unknown as { district: { fund: string } }).district.fund).toBe('District');
    const master = await XlsxPort.open(out);
    for (const s of sites) expect((master.sheet(s) ?? []).length).toBeGreaterThan(1);

    const both = await runCli(['consolidate', a, a.replace('.xlsx', '') + '.xlsx', copy(), '--as', CFO]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/needs --out/);
  });

  it('exports the approved sites whole, and refuses an unknown format', async () => {
    const file = copy();
    const out = join(dir, 'export.csv');
    const r = await runCli(['export', file, '--format', 'erp-budget', '--out', out, '--as', CFO]);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text.split('\r\n')[0]).toBe(
      'Fiscal Year,Budget Unit,Account,Requested Amount,Recommended Amount,Approved Amount',
    );
    const notCfo = await runCli([
      'export',
      file,
      '--format',
      'erp-budget',
      '--out',
      join(dir, 'y.csv'),
      '--as',
      'budget.office@cedarvalley.k12.us',
    ]);
    expect(notCfo.code).toBe(1);
    expect(notCfo.stdout).toMatch(
      /BL811 budget\.office@cedarvalley\.k12\.us may not export the district budget: only the CFO may/,
    );
    expect(existsSync(join(dir, 'y.csv'))).toBe(false);
    const before = readFileSync(file);
    const noConsolidate = await runCli(['consolidate', file, '--as', 'budget.office@cedarvalley.k12.us']);
    expect(noConsolidate.code).toBe(1);
    expect(noConsolidate.stdout).toMatch(
      /BL811 budget\.office@cedarvalley\.k12\.us may not consolidate the district budget: only the CFO may/,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
    const bad = await runCli(['export', file, '--format', 'sap', '--out', join(dir, 'x.csv'), '--as', CFO]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--format "sap" is not an export format; choose generic-csv, erp-budget/);
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  });

  it('rolls forward into a new workbook for the next fiscal year, only when nothing is fatal', async () => {
    const file = copy();
    const out = join(dir, 'fy2028.xlsx');
    // The demo leaves lines that do not validate: all or nothing, so nothing is written, and each is
    // named by sheet and cell.
    const refused = await runCli(['roll-forward', file, '--out', out, '--json']);
    expect(refused.code).toBe(1);
    const j = json(refused.stdout);
    expect(j.ok).toBe(false);
    expect(j.summary).toMatch(/^Nothing was rolled forward: \d+ problems? to fix first/);
    const fatal = j.diagnostics.filter((d) => d.severity === 'fatal');
    expect(fatal.length).toBeGreaterThan(0);
    for (const d of fatal) expect([d.sheet, d.cell]).toEqual([expect.any(String), expect.any(String)]);
    expect(existsSync(out)).toBe(false);
    await fixLines(file, fatal);
    const r = await runCli(['roll-forward', file, '--out', out, '--salary-increase', '3%', '--json']);
    expect(r.code).toBe(0);
    expect(json(r.stdout).fiscalYear).toBe(2028);
    const setup = (await XlsxPort.open(out)).sheet('Setup') ?? [];
    expect(setup).toContainEqual(['Fiscal Year', 2028]);
    expect((await runCli(['roll-forward', file, '--salary-increase', 'lots'])).code).toBe(2);
  });

  it('roll-forward --explain lists the known cost changes per site, --json gives them in cents', async () => {
    // The demo's lines that do not validate are corrected first (roll-forward refuses them): the bus
    // contract then reaches all 4 schools.
    const file = copy();
    await fixLines(file, json((await runCli(['roll-forward', file, '--json'])).stdout).diagnostics);
    const port = await XlsxPort.open(file);
    await port.write({
      sheets: [
        {
          sheet: 'Cost Changes',
          values: [
            ['ID', 'Change', 'Description', 'Effective FY', 'Applies to', 'Percent', 'Amount'],
            ['CC-1', 'raise', 'CVTA agreement', 'FY2028', 'CVTA', '3%', null],
            ['CC-2', 'contract', 'Field trip buses', 'FY2028', '510', null, 1000],
          ],
        },
      ],
    });
    const before = readFileSync(file);
    const r = await runCli(['roll-forward', file, '--explain']);
    expect(r.stdout).toMatch(/^Known cost changes effective FY2028, in the order applied:$/m);
    expect(r.stdout).toMatch(/^ {4}CC-1 raise: CVTA agreement — \+\$[\d,.]+ district-wide \(\d+ matched\)$/m);
    expect(r.stdout).toMatch(
      /^ {4}CC-2 contract: Field trip buses — \+\$1,000\.00 district-wide \(4 matched\)$/m,
    );
    expect(r.stdout).toMatch(/^101 .+: \d+ lines and positions carried, \+\$[\d,.]+ in \d+ change lines$/m);
    expect(r.stdout).toMatch(/^ {4}CC-1 raise \+3% on CVTA: \d+ positions: \+\$[\d,.]+$/m);
    expect(r.stdout).toMatch(/^ {4}drops 100-1000-650-100-101 Chromebooks for a classroom cart/m);
    expect(r.stdout).toMatch(/2 known cost changes applied as \d+ change lines \(\$[\d,.]+\)\./);
    expect(readFileSync(file).equals(before)).toBe(true);
    const j = json((await runCli(['roll-forward', file, '--json'])).stdout) as JsonOut & {
      costChanges: { id: string; cents: number }[];
      sites: { site: string; changeCents: number; changes: { change: string; cents: number }[] }[];
      beginningBalances: { fund: string; cents: number; basis: string }[];
    };
    expect(j.costChanges.map((c) => c.id)).toEqual(['CC-1', 'CC-2']);
    expect(j.costChanges[1]?.cents).toBe(100_000);
    // The change lines of all sites sum to the changes' district totals, to the cent.
    expect(j.sites.reduce((n, s) => n + s.changeCents, 0)).toBe(
      j.costChanges.reduce((n, c) => n + c.cents, 0),
    );
    expect(j.beginningBalances[0]?.basis).toBe('projected ending balance of FY2027');
  });
});

describe('projection', () => {
  it('prints the budget year and two more per fund, what moved, and --json with years[].funds; it never writes', async () => {
    const file = copy();
    const before = readFileSync(file);
    const r = await runCli(['projection', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^FY2027:$/m);
    expect(r.stdout).toMatch(/^FY2029:$/m);
    expect(r.stdout).toMatch(/What moved each year:/);
    expect(r.stdout).toMatch(/Projection FY2027–FY2029: 3 funds/);
    const j = json((await runCli(['projection', file, '--json'])).stdout) as JsonOut & {
      years: {
        fiscalYear: number;
        funds: { fund: string; endingBalanceCents: number; beginningBalanceCents: number }[];
      }[];
      changes: { assumption: string }[];
    };
    expect(j.years.map((y) => y.fiscalYear)).toEqual([2027, 2028, 2029]);
    expect(j.years[1]?.funds[0]?.beginningBalanceCents).toBe(j.years[0]?.funds[0]?.endingBalanceCents);
    expect(j.changes.map((c) => c.assumption)).toContain('Step and column');
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});

describe('proposals, decide and scenarios', () => {
  it('proposals: ranked with the funding line, --json with proposals[] and funding; it never writes', async () => {
    const file = copy();
    const before = readFileSync(file);
    const r = await runCli(['proposals', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ +1 P-\d\d /m);
    expect(r.stdout).toMatch(/---- funding line: -?\$[\d,.]+ available, -?\$[\d,.]+ left ----/);
    const j = json((await runCli(['proposals', file, '--json'])).stdout) as JsonOut & {
      proposals: { id: string; status: string; score: number | null; rank?: number; funding: string }[];
      funding: { availableCents: number; fits: string[]; below: string[]; leftCents: number };
    };
    expect(j.proposals).toHaveLength(12);
    // The demo accepted those above the line and deferred or rejected the rest: rejected ones are not ranked.
    const rejected = j.proposals.filter((p) => p.status === 'rejected');
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((p) => p.rank === undefined && p.funding === 'unranked')).toBe(true);
    const ranked = j.proposals.filter((p) => p.rank !== undefined);
    expect(ranked.map((p) => p.rank)).toEqual(Array.from({ length: 12 - rejected.length }, (_, i) => i + 1));
    expect(j.funding.fits.length + j.funding.below.length).toBe(ranked.length);
    expect(
      j.proposals.filter((p) => p.status === 'accepted').every((p) => j.funding.fits.includes(p.id)),
    ).toBe(true);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('decide: the CFO rejects an accepted proposal with a reason (audited); others and a missing reason are refused', async () => {
    const file = copy();
    const list = json((await runCli(['proposals', file, '--json'])).stdout) as JsonOut & {
      proposals: { id: string; status: string; site: string }[];
    };
    // An accepted district-office proposal: the office's budget is open (a school's accepted one
    // is in an approved budget, and would be refused until it is reopened).
    const accepted = list.proposals.find((p) => p.status === 'accepted' && !p.site)?.id ?? '';
    const before = readFileSync(file);
    const notCfo = await runCli([
      'decide',
      file,
      '--proposal',
      accepted,
      '--reject',
      '--reason',
      'no',
      '--as',
      'budget.office@cedarvalley.k12.us',
    ]);
    expect(notCfo.code).toBe(1);
    expect(notCfo.stdout).toMatch(
      /BL811 .* may not accept, reject or defer budget-change proposals: only the CFO may/,
    );
    const two = await runCli([
      'decide',
      file,
      '--proposal',
      accepted,
      '--reject',
      '--defer',
      '--reason',
      'x',
      '--as',
      CFO,
    ]);
    expect(two.code).toBe(2);
    expect(readFileSync(file).equals(before)).toBe(true);
    const r = await runCli([
      'decide',
      file,
      '--proposal',
      accepted,
      '--reject',
      '--reason',
      'State aid cut at the May revise',
      '--as',
      CFO,
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ ok: true, status: 'rejected', proposal: accepted });
    const after = json((await runCli(['proposals', file, '--json'])).stdout) as JsonOut & {
      proposals: { id: string; status: string; reason: string }[];
    };
    expect(after.proposals.find((p) => p.id === accepted)).toMatchObject({
      status: 'rejected',
      reason: 'State aid cut at the May revise',
    });
    const verified = await runCli(['verify', file, '--as', CFO]);
    expect(verified.stdout).toMatch(/Audit log intact/);
    // Its line left the district office's sheet with it.
    const office = (await XlsxPort.open(file)).sheet('District Office') ?? [];
    expect(JSON.stringify(office)).not.toContain(accepted);
  });

  it('scenarios: each scenario per fund for three years, --json with scenarios[].years[].funds', async () => {
    const file = copy();
    const before = readFileSync(file);
    const r = await runCli(['scenarios', file]);
    expect(r.code).toBe(0);
    // The accepted proposals are in the base (their lines are in the sites' sheets): "off" takes them out.
    expect(r.stdout).toMatch(/^Without accepted proposals \(without P-\d\d, P-\d\d\):$/m);
    const j = json((await runCli(['scenarios', file, '--json'])).stdout) as JsonOut & {
      scenarios: {
        name: string;
        years: { fiscalYear: number; funds: { fund: string; fte: number; perPupilCents: number }[] }[];
      }[];
    };
    expect(j.scenarios.map((s) => s.name)).toEqual(['Base', 'Without accepted proposals', 'Lean year']);
    expect(j.scenarios[0]?.years.map((y) => y.fiscalYear)).toEqual([2027, 2028, 2029]);
    expect(j.scenarios[0]?.years[0]?.funds.map((f) => f.fund)).toEqual(['100', '210', '220']);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
