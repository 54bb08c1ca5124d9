import {
  chartToJson,
  chartToTables,
  compileChart,
  loadChartFromJson,
  loadChartFromTables,
  parseFiscalYear,
  segmentKeyOf,
  type CellValue,
  type Diagnostic,
} from '../../../core';
import { sacsLike, texasLike, texasLikeJson, TX_OK } from '../../fixtures/charts';

const codes = (ds: readonly Diagnostic[]): string[] => ds.map((d) => d.code);
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('loading a chart from JSON', () => {
  it('loads the test charts with no findings', () => {
    expect(loadChartFromJson(texasLikeJson).diagnostics).toEqual([]);
    expect(texasLike.segments.map((s) => s.key)).toEqual([
      'fund',
      'function',
      'object',
      'subObject',
      'organization',
      'fiscalYear',
      'programIntent',
      'local',
    ]);
    expect(texasLike.codes.object?.find((c) => c.code === '6141-6149')).toMatchObject({ kind: 'range' });
    expect(texasLike.rules.map((r) => r.id)).toEqual([
      '20030-0015',
      '20030-0016',
      '20030-0017',
      '20030-0018',
      'PIC-00',
    ]);
  });

  it('keeps codes as strings with their leading zeros and letters', () => {
    expect(sacsLike.codes.fund?.[0]?.code).toBe('01');
    expect(sacsLike.codes.goal?.map((c) => c.code)).toContain('ADLT');
    expect(sacsLike.codes.object?.map((c) => c.code)).toContain('979Z');
  });

  it('reports every problem of the chart itself, all at once', () => {
    const j = clone(texasLikeJson) as Record<string, unknown> & {
      codes: Record<string, unknown[]>;
      rules: unknown[];
    };
    j.codes.fund?.push(['199', 'General Fund again']);
    j.codes.fund?.push(['19', 'Too short']);
    j.codes.object?.push({ code: '6100-610', description: 'Bad range', kind: 'range' });
    j.codes.nonsense = [['1', 'x']];
    j.rules.push({ id: 'R1', severity: 'fatal', when: 'campus = 001', then: 'fund = 199', message: 'x' });
    j.rules.push({ id: 'R2', severity: 'fatal', then: 'fund = = 199', message: 'x' });
    j.rules.push({ id: 'R3', severity: 'sometimes', then: 'fund = 199', message: 'x' });
    const r = loadChartFromJson(j);
    expect(r.chart).toBeUndefined();
    expect(codes(r.diagnostics).sort()).toEqual([
      'BL301',
      'BL302',
      'BL303',
      'BL304',
      'BL308',
      'BL309',
      'BL309',
    ]);
    const dup = r.diagnostics.find((d) => d.code === 'BL301');
    expect(dup?.message).toBe('Fund code "199" is listed twice (first at an earlier entry)');
    const seg = r.diagnostics.find((d) => d.code === 'BL303');
    expect(seg?.message).toBe('rule R1 names the segment "campus", which the chart does not have');
    expect(seg?.remedy).toContain('fund, function, object');
  });

  it('allows the same code twice when the fiscal years do not overlap', () => {
    const j = clone(texasLikeJson) as { codes: Record<string, unknown[]> };
    j.codes.fund?.push({ code: '298', description: 'Reused code', fromFY: 2027 });
    const r = loadChartFromJson(j);
    expect(r.diagnostics).toEqual([]);
    expect(compileChart(r.chart!, 2027).lookup('fund', '298')?.description).toBe('Reused code');
    expect(compileChart(r.chart!, 2025).lookup('fund', '298')?.description).toBe('Retired grant');
  });

  it.each([
    ['not an object', 42],
    ['no id', { name: 'x', delimiter: '-', segments: [] }],
    ['a bad delimiter', { id: 'x', name: 'x', delimiter: 5, segments: [] }],
    ['segments not a list', { id: 'x', name: 'x', delimiter: '-', segments: {} }],
  ])('refuses a chart with %s', (_what, json) => {
    const r = loadChartFromJson(json);
    expect(r.chart).toBeUndefined();
    expect(codes(r.diagnostics)).toEqual(['BL310']);
  });

  it('refuses segments with a bad length or duplicate names', () => {
    const r = loadChartFromJson({
      id: 'x',
      name: 'x',
      delimiter: '-',
      segments: [
        { key: 'fund', name: 'Fund', length: 0 },
        { key: 'fund', name: 'Fund', length: 3 },
      ],
    });
    expect(codes(r.diagnostics)).toEqual(['BL305', 'BL305']);
  });

  it('round-trips through its JSON form', () => {
    const again = loadChartFromJson(JSON.parse(JSON.stringify(chartToJson(texasLike))));
    expect(again.diagnostics).toEqual([]);
    expect(again.chart).toEqual(texasLike);
    const ca = loadChartFromJson(JSON.parse(JSON.stringify(chartToJson(sacsLike))));
    expect(ca.chart).toEqual(sacsLike);
  });
});

describe('loading a chart from workbook tables', () => {
  it('round-trips through the Segments / Codes / Rules / Combinations tables', () => {
    for (const chart of [texasLike, sacsLike]) {
      const t = chartToTables(chart);
      const r = loadChartFromTables(t, {
        id: chart.id,
        name: chart.name,
        delimiter: chart.delimiter,
        ...(chart.defaultFiscalYear !== undefined ? { defaultFiscalYear: chart.defaultFiscalYear } : {}),
        ...(chart.hierarchical ? { hierarchical: chart.hierarchical } : {}),
      });
      expect(r.diagnostics).toEqual([]);
      expect(r.chart).toEqual(chart);
    }
  });

  const segments: CellValue[][] = [
    ['Name', 'Length', 'Characters'],
    ['Fund', 2, 'digits'],
    ['Object', 4, 'letters and digits'],
  ];

  it('matches headers by name, in any order, with synonyms', () => {
    const codesGrid: CellValue[][] = [
      ['Title', 'Valid From', 'Value', 'Segment', 'Extra column'],
      ['General Fund', '', '01', 'fund', 'ignored'],
      ['Salaries', 'FY2022', '1100', 'Object', ''],
    ];
    const r = loadChartFromTables(
      { segments, codes: codesGrid },
      { id: 'd', name: 'District', delimiter: '-' },
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.chart?.codes.object).toEqual([{ code: '1100', description: 'Salaries', fromFY: 2022 }]);
  });

  it('restores a code whose leading zeros the spreadsheet dropped, and says so', () => {
    const codesGrid: CellValue[][] = [
      ['Segment', 'Code', 'Description'],
      ['Fund', 1, 'General Fund'],
    ];
    const r = loadChartFromTables(
      { segments, codes: codesGrid },
      { id: 'd', name: 'District', delimiter: '-' },
    );
    expect(r.chart?.codes.fund?.[0]?.code).toBe('01');
    expect(r.diagnostics).toMatchObject([{ code: 'BL006', severity: 'warning', sheet: 'Codes', cell: 'B2' }]);
  });

  it('reports each bad row with its sheet and cell', () => {
    const codesGrid: CellValue[][] = [
      ['Segment', 'Code', 'Description', 'Active', 'From FY', 'To FY'],
      ['Fund', '01', 'General Fund', 'Yes', '', ''],
      ['Fund', '01', 'General again', '', '', ''],
      ['Fund', '012', 'Too long', '', '', ''],
      ['Site', '001', 'No such segment', '', '', ''],
      ['Fund', '02', 'Bad year', '', 'next year', ''],
      ['Fund', '03', 'Bad active', 'maybe', '', ''],
    ];
    const rules: CellValue[][] = [
      ['ID', 'Severity', 'When', 'Then', 'Message'],
      ['R1', 'fatal', 'site = 001', 'fund = 01', 'm'],
    ];
    const r = loadChartFromTables(
      { segments, codes: codesGrid, rules },
      { id: 'd', name: 'District', delimiter: '-' },
    );
    expect(r.chart).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.sheet, d.cell])).toEqual(
      expect.arrayContaining([
        ['BL301', 'Codes', 'B3'],
        ['BL302', 'Codes', 'B4'],
        ['BL304', 'Codes', 'A5'],
        ['BL307', 'Codes', 'E6'],
        ['BL310', 'Codes', 'D7'],
        ['BL303', 'Rules', 'A2'],
      ]),
    );
    expect(r.diagnostics.find((d) => d.code === 'BL301')?.message).toBe(
      'Fund code "01" is listed twice (first at Codes!B2)',
    );
  });

  it('names a missing column', () => {
    const r = loadChartFromTables(
      { segments, codes: [['Segment', 'Description']] },
      { id: 'd', name: 'District', delimiter: '-' },
    );
    expect(r.diagnostics).toMatchObject([
      { code: 'BL306', message: 'the Codes table has no "Code" column', sheet: 'Codes' },
    ]);
  });

  it('reads rules and combination grids written by a district', () => {
    const rules: CellValue[][] = [
      ['ID', 'Severity', 'When', 'Then', 'Message'],
      [
        'D-1',
        'warning',
        'fund = 01',
        'object not in [9XXX]',
        'general fund lines are not balance-sheet lines',
      ],
    ];
    const combinations: CellValue[][] = [
      ['ID', 'Severity', 'Segment A', 'Code A', 'Segment B', 'Code B', 'Message'],
      ['D-GRID', 'fatal', 'object', '1000-1999', 'fund', '01', 'salaries only in the general fund'],
      ['D-GRID', '', 'object', '4000-4999', 'fund', '01', ''],
      ['D-GRID', '', 'object', '4000-4999', 'fund', '13', ''],
    ];
    const codesGrid: CellValue[][] = [
      ['Segment', 'Code'],
      ['Fund', '01'],
      ['Fund', '13'],
      ['Object', '1100'],
      ['Object', '4300'],
      ['Object', '9110'],
    ];
    const r = loadChartFromTables(
      { segments, codes: codesGrid, rules, combinations },
      { id: 'd', name: 'District', delimiter: '-' },
    );
    expect(r.diagnostics).toEqual([]);
    const v = compileChart(r.chart!, 2027);
    expect(v.check('01-1100').diagnostics).toEqual([]);
    expect(v.check('13-4300').diagnostics).toEqual([]);
    expect(v.check('13-1100').diagnostics.map((d) => d.ruleId)).toEqual(['D-GRID']);
    expect(v.check('01-9110').diagnostics).toMatchObject([{ ruleId: 'D-1', severity: 'warning' }]);
  });
});

describe('fiscal years and names', () => {
  it.each([
    [2027, 2027],
    ['2027', 2027],
    ['FY2027', 2027],
    ['fy27', 2027],
    ['2026-27', 2027],
    ['2026-2027', 2027],
    ['2099-00', 2100],
    ['2026-28', undefined],
    ['next year', undefined],
    [27.5, undefined],
  ])('reads %p as %p', (v, want) => {
    expect(parseFiscalYear(v)).toBe(want);
  });

  it('makes segment keys from names', () => {
    expect(segmentKeyOf('Program Intent')).toBe('programIntent');
    expect(segmentKeyOf('Sub-Object')).toBe('subObject');
    expect(segmentKeyOf('fund')).toBe('fund');
  });

  it('validates the published example once the chart is loaded from tables', () => {
    const t = chartToTables(texasLike);
    const r = loadChartFromTables(t, { id: 'tx', name: 'Texas', delimiter: '-' });
    expect(compileChart(r.chart!, 2027).check(TX_OK).ok).toBe(true);
  });
});
