import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import {
  BUILT_IN_FORMATS,
  GENERIC_CSV,
  TEXAS_FIXED_WIDTH,
  csvField,
  exportLines,
  neutralizeFormula,
  type ExportFormat,
  type ExportLine,
} from '../../../core/export';
import { sacsValidator, texasValidator } from '../../fixtures/charts';
import { SACS_LINES, TX_LINES } from './lines';

const TX = { validator: texasValidator(), fiscalYear: 2027, params: { districtId: '101912' } };
const SACS = { validator: sacsValidator(), fiscalYear: 2022 };

describe('golden files, byte for byte', () => {
  it.each(BUILT_IN_FORMATS.map((f) => [f.id, f] as const))('%s', (_id, format) => {
    const sacs = format.id === 'ca-sacs-gl';
    const r = exportLines(format, sacs ? SACS_LINES : TX_LINES, sacs ? SACS : TX);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    const golden = readFileSync(
      join(__dirname, 'golden', `${format.id}.${format.kind === 'csv' ? 'csv' : 'txt'}`),
    );
    expect(Buffer.from(r.content, 'utf8').equals(golden)).toBe(true);
    expect(r.lines).toBe((sacs ? SACS_LINES : TX_LINES).length);
  });

  it('gives every fixed-width record the same length', () => {
    const r = exportLines(TEXAS_FIXED_WIDTH, TX_LINES, TX);
    if (!r.ok) throw new Error('refused');
    const width = TEXAS_FIXED_WIDTH.columns.reduce((s, c) => s + (c.width ?? 0), 0);
    const records = r.content.split('\r\n').slice(0, -1);
    expect(records.map((x) => x.length)).toEqual(TX_LINES.map(() => width));
  });

  it('returns the total of the exported amounts for the control totals', () => {
    const r = exportLines(GENERIC_CSV, TX_LINES, TX);
    expect(r.ok && r.totalCents).toBe(TX_LINES.reduce((s, l) => s + l.cents, 0));
  });
});

describe('all or nothing', () => {
  const bad: ExportLine[] = [
    ...TX_LINES,
    {
      site: '001',
      account: '199-11-6118-00-001-7-11-000',
      cents: 100,
      description: 'typo',
      sheet: 'Lincoln',
      cell: 'C14',
    },
    {
      site: '001',
      account: '199-11-6119-00-001-7-11-000',
      cents: 10.5,
      description: 'half cent',
      sheet: 'Lincoln',
      cell: 'C15',
    },
    { site: '001', account: 'garbage', cents: 1, description: 'x', sheet: 'Lincoln', cell: 'C16' },
  ];

  it.each(BUILT_IN_FORMATS.filter((f) => f.id !== 'ca-sacs-gl').map((f) => [f.id, f] as const))(
    '%s: makes no file and lists every offending line',
    (_id, format) => {
      const r = exportLines(format, bad, TX);
      expect(r.ok).toBe(false);
      expect('content' in r).toBe(false);
      expect(r.diagnostics[0]).toMatchObject({
        code: 'BL708',
        message: expect.stringContaining('3 lines have problems'),
      });
      const lines = r.diagnostics.slice(1).map((d) => [d.code, d.cell]);
      expect(lines).toEqual(
        expect.arrayContaining([
          ['BL701', 'C14'],
          ['BL702', 'C15'],
          ['BL701', 'C16'],
        ]),
      );
      expect(r.diagnostics.slice(1).every((d) => /^line (6|7|8):/.test(d.message))).toBe(true);
    },
  );

  it('names the reason an account is refused', () => {
    const r = exportLines(GENERIC_CSV, [bad[5] as ExportLine], TX);
    expect(r.diagnostics[1]?.message).toBe(
      'line 1: account "199-11-6118-00-001-7-11-000" cannot be exported: unknown object code "6118"',
    );
  });

  it('refuses an empty export', () => {
    expect(exportLines(GENERIC_CSV, [], TX).diagnostics?.map((d) => d.code)).toEqual(['BL706']);
  });

  it('refuses a missing stage amount when the format has no fallback', () => {
    const f: ExportFormat = {
      ...GENERIC_CSV,
      columns: [
        ...GENERIC_CSV.columns,
        { header: 'Approved', source: { field: 'approved' }, type: 'amount' },
      ],
    };
    const r = exportLines(f, [TX_LINES[0] as ExportLine], TX);
    expect(r.diagnostics?.map((d) => d.code)).toEqual(['BL708', 'BL705']);
  });

  it('refuses a code column holding something that is not a plain code', () => {
    const f: ExportFormat = {
      ...GENERIC_CSV,
      columns: [{ header: 'Site', source: { field: 'site' }, type: 'code' }],
    };
    const r = exportLines(f, [{ ...(TX_LINES[0] as ExportLine), site: '=1+1' }], TX);
    expect(r.diagnostics?.map((d) => d.code)).toEqual(['BL708', 'BL709']);
  });
});

describe('fixed width', () => {
  const oneCol = (c: ExportFormat['columns'][number]): ExportFormat => ({
    id: 't',
    name: 'T',
    kind: 'fixed',
    columns: [c],
  });
  const line = (over: Partial<ExportLine>): ExportLine => ({ ...(TX_LINES[0] as ExportLine), ...over });

  it.each([
    [
      'right-aligns and zero-pads amounts after the minus sign',
      { cents: -123456 },
      { header: 'A', source: { field: 'amount' }, type: 'amount', width: 10, pad: '0' },
      '-001234.56',
    ],
    [
      'writes implied-cents amounts',
      { cents: 123456 },
      {
        header: 'A',
        source: { field: 'amount' },
        type: 'amount',
        width: 8,
        pad: '0',
        amountStyle: 'impliedCents',
      },
      '00123456',
    ],
    [
      'left-aligns text with spaces',
      { description: 'Books' },
      { header: 'D', source: { field: 'description' }, type: 'text', width: 8 },
      'Books   ',
    ],
    [
      'cuts free text to fit when allowed',
      { description: 'Books and more' },
      { header: 'D', source: { field: 'description' }, type: 'text', width: 5, overflow: 'truncate' },
      'Books',
    ],
  ] as const)('%s', (_n, over, col, expected) => {
    const r = exportLines(oneCol(col), [line(over)], TX);
    expect(r.ok && r.content).toBe(`${expected}\r\n`);
  });

  it.each([
    [
      'an amount too wide',
      { cents: 123_456_789 },
      { header: 'A', source: { field: 'amount' }, type: 'amount', width: 6 },
      'BL703',
    ],
    [
      'text too long without truncation',
      { description: 'Books and more' },
      { header: 'D', source: { field: 'description' }, type: 'text', width: 5 },
      'BL703',
    ],
    [
      'an accented letter',
      { description: 'Café' },
      { header: 'D', source: { field: 'description' }, type: 'text', width: 10 },
      'BL704',
    ],
    [
      'a line break',
      { description: 'a\nb' },
      { header: 'D', source: { field: 'description' }, type: 'text', width: 10 },
      'BL704',
    ],
  ] as const)('refuses %s', (_n, over, col, code) => {
    const r = exportLines(oneCol(col), [line(over)], TX);
    expect(r.diagnostics?.map((d) => d.code)).toEqual(['BL708', code]);
  });
});

describe('format definitions are checked', () => {
  it.each([
    [
      'an unknown segment',
      { header: 'X', source: { segment: 'resource' }, type: 'code' },
      /segment "resource"/,
    ],
    ['a missing setting', { header: 'X', source: { param: 'nope' }, type: 'code' }, /setting "nope"/],
    [
      'an amount from a text field',
      { header: 'X', source: { field: 'description' }, type: 'amount' },
      /does not take an amount/,
    ],
    [
      'an amount written as text',
      { header: 'X', source: { field: 'amount' }, type: 'text' },
      /give it type "amount"/,
    ],
    ['an unknown field', { header: 'X', source: { field: 'colour' }, type: 'text' }, /unknown field/],
  ])('reports %s', (_n, col, text) => {
    const f = { ...GENERIC_CSV, columns: [col] } as unknown as ExportFormat;
    const r = exportLines(f, TX_LINES, TX);
    expect(r.diagnostics?.map((d) => d.code)).toEqual(['BL707']);
    expect(r.diagnostics?.[0]?.message).toMatch(text);
  });

  it('requires a width for every fixed-width column', () => {
    const f: ExportFormat = {
      ...TEXAS_FIXED_WIDTH,
      columns: [{ header: 'X', source: { field: 'site' }, type: 'code' }],
    };
    expect(exportLines(f, TX_LINES, TX).diagnostics?.[0]?.message).toMatch(/needs a width/);
  });

  it('lets a district add its own format as data', () => {
    const own: ExportFormat = {
      id: 'own',
      name: 'Our ERP',
      kind: 'csv',
      delimiter: ';',
      lineEnd: '\n',
      columns: [
        { header: 'Org', source: { segment: 'organization' }, type: 'code' },
        { header: 'Obj', source: { segment: 'object' }, type: 'code' },
        { header: 'Src', source: { constant: 'BL' }, type: 'code' },
        { header: 'Amt', source: { field: 'amount' }, type: 'amount', amountStyle: 'impliedCents' },
      ],
    };
    const r = exportLines(own, TX_LINES.slice(0, 3), TX);
    expect(r.ok && r.content).toBe(
      'Org;Obj;Src;Amt\n001;6119;BL;5250000\n001;6399;BL;123456\n001;6399;BL;-5\n',
    );
  });
});

describe('CSV injection (OWASP) and RFC 4180', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['\ncmd', "'\ncmd"],
    ['＝1+1', "'＝1+1"],
    ['Books', 'Books'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('neutralises %j as %j', (input, expected) => {
    expect(neutralizeFormula(input)).toBe(expected);
  });

  it.each([
    ['=cmd|"/c calc"!A1', '"\'=cmd|""/c calc""!A1"'],
    ['@x,y', '"\'@x,y"'],
    ['\n=1', '"\'\n=1"'],
    ['Grade 3, room 12', '"Grade 3, room 12"'],
  ])('writes the description %j as the CSV field %j', (description, field) => {
    const r = exportLines(GENERIC_CSV, [{ ...(TX_LINES[0] as ExportLine), description }], TX);
    expect(r.ok && r.content).toBe(
      `Account,Amount,Description\r\n199-11-6119-00-001-7-11-000,52500.00,${field}\r\n`,
    );
  });

  it('quotes exactly the fields RFC 4180 requires', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        expect(csvField(s).startsWith('"')).toBe(/[",\r\n]/.test(s));
      }),
      { numRuns: 200 },
    );
  });

  it('round-trips any description through a strict RFC 4180 parser (less the neutralising quote)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { minLength: 1, maxLength: 5 }), (descriptions) => {
        const lines = descriptions.map((description) => ({ ...(TX_LINES[0] as ExportLine), description }));
        const r = exportLines(GENERIC_CSV, lines, TX);
        if (!r.ok) throw new Error('refused');
        const rows = parse(r.content, { record_delimiter: '\r\n', relax_quotes: false }) as string[][];
        expect(rows[0]).toEqual(['Account', 'Amount', 'Description']);
        expect(rows.slice(1).map((row) => row[2])).toEqual(descriptions.map(neutralizeFormula));
      }),
      { numRuns: 100 },
    );
  });

  it('never writes a text cell a spreadsheet would evaluate', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), (s) => {
        const n = neutralizeFormula(s);
        expect(/^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/.test(n)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
