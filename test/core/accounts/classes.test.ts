import {
  chartToJson,
  chartToTables,
  compileChart,
  compileClasses,
  loadChartFromJson,
  loadChartFromTables,
  loadPreset,
  presetIds,
  readAccountClass,
  splitCodeList,
  type CellValue,
  type Chart,
  type Diagnostic,
} from '../../../core';
import { texasLike, TX_OK } from '../../fixtures/charts';

const codes = (ds: readonly Diagnostic[]): string[] => ds.map((d) => d.code);

function fromTables(chart: Chart, change: (t: ReturnType<typeof chartToTables>) => void = () => {}) {
  const t = chartToTables(chart);
  change(t);
  return loadChartFromTables(t, {
    id: chart.id,
    name: chart.name,
    delimiter: chart.delimiter,
    ...(chart.defaultFiscalYear !== undefined ? { defaultFiscalYear: chart.defaultFiscalYear } : {}),
    ...(chart.hierarchical ? { hierarchical: chart.hierarchical } : {}),
  });
}

/** The class of an object code, every other segment taken from a valid account of the chart. */
function objectClass(chart: Chart, object: string): string | undefined {
  const k = chart.segments.findIndex((s) => s.key === 'object');
  const parts = chart.segments.map((s) => '0'.repeat(s.length));
  parts[k] = object;
  return compileClasses(chart).classify(parts);
}

describe('account classes in the presets', () => {
  test('NCES: objects are expenditures (100–899) and other uses (900s); revenue sources are their own list', () => {
    const nces = loadPreset('nces');
    expect(objectClass(nces, '111')).toBe('expenditure');
    expect(objectClass(nces, '830')).toBe('expenditure');
    expect(objectClass(nces, '910')).toBe('otherUse');
    expect(nces.revenueSources?.map((c) => c.code)).toEqual(
      expect.arrayContaining(['1100', '3100', '4500', '5200']),
    );
    const c = compileClasses(nces);
    expect(c.sourceKey).toBe('revenueSource');
    expect(c.classOfSource('1100')).toBe('revenue');
    expect(c.classOfSource('4500')).toBe('revenue');
    expect(c.classOfSource('5200')).toBe('otherSource');
    expect(c.classOfSource('6000')).toBeUndefined();
  });

  test('Texas: 57XX/58XX/59XX revenue, 61XX–66XX expenditure, 79XX sources, 89XX uses', () => {
    const tx = loadPreset('texas');
    expect(
      ['5711', '5812', '5929', '6119', '6399', '6629', '7915', '8911', '1110', '3600', '7100', '6700'].map(
        (o) => objectClass(tx, o) ?? '-',
      ),
    ).toEqual([
      'revenue',
      'revenue',
      'revenue',
      'expenditure',
      'expenditure',
      'expenditure',
      'otherSource',
      'otherUse',
      'balanceSheet',
      'balanceSheet',
      '-',
      '-',
    ]);
    expect(compileClasses(tx).sourceKey).toBe('object');
  });

  test('California: as the CDE object classes, with 9791 / 9793 / 9795 / 979Z for the fund-balance identity', () => {
    const ca = loadPreset('california');
    const got = Object.fromEntries(
      [
        '1100',
        '3101',
        '6200',
        '7438',
        '7611',
        '8011',
        '8290',
        '8699',
        '8919',
        '8980',
        '9110',
        '9790',
        '9791',
        '9793',
        '9795',
        '979Z',
      ].map((o) => [o, objectClass(ca, o)]),
    );
    expect(got).toEqual({
      '1100': 'expenditure',
      '3101': 'expenditure',
      '6200': 'expenditure',
      '7438': 'expenditure',
      '7611': 'otherUse',
      '8011': 'revenue',
      '8290': 'revenue',
      '8699': 'revenue',
      '8919': 'otherSource',
      '8980': 'contribution',
      '9110': 'balanceSheet',
      '9790': 'balanceSheet',
      '9791': 'beginningBalance',
      '9793': 'balanceAdjustment',
      '9795': 'balanceAdjustment',
      '979Z': 'endingBalance',
    });
  });

  test.each(presetIds)(
    '%s: classes, revenue sources and explanations round-trip through the tables',
    (id) => {
      const chart = loadPreset(id);
      const r = fromTables(chart);
      expect(r.diagnostics).toEqual([]);
      // The tables hold everything but the chart's note of its source.
      expect({ ...r.chart, source: chart.source }).toEqual(chart);
      expect(loadChartFromJson(chartToJson(chart)).chart).toEqual(chart);
    },
  );
});

describe('the Classes table a district edits', () => {
  test('a changed row changes the class: 7100 becomes another financing source', () => {
    const r = fromTables(loadPreset('texas'), (t) =>
      t.classes.push(['Other financing source', 'Object', '71XX', '']),
    );
    expect(r.diagnostics).toEqual([]);
    expect(objectClass(r.chart!, '7100')).toBe('otherSource');
  });

  test('rows are tried in order: the first match wins', () => {
    const r = fromTables(loadPreset('texas'), (t) =>
      t.classes.splice(1, 0, ['Expenditure', 'object', '5711', 'taxes shown as expenditure (test)']),
    );
    expect(objectClass(r.chart!, '5711')).toBe('expenditure');
    expect(objectClass(r.chart!, '5712')).toBe('revenue');
  });

  test('an unknown class, an unknown segment and a bad range are findings on their row', () => {
    const r = fromTables(loadPreset('texas'), (t) => {
      t.classes.push(['Income', 'object', '5XXX', '']);
      t.classes.push(['Revenue', 'campus', '001', '']);
      t.classes.push(['Revenue', 'object', '5799-5700', '']);
    });
    expect(r.chart).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.sheet, d.cell])).toEqual([
      ['BL310', 'Classes', 'A7'],
      ['BL304', 'Classes', 'A8'],
      ['BL308', 'Classes', 'A9'],
    ]);
    expect(r.diagnostics[0]?.message).toContain('"Income"');
  });

  test('class names are read with synonyms; code lists with commas, semicolons and spaces', () => {
    expect(readAccountClass('Transfers out')).toBe('otherUse');
    expect(readAccountClass('other financing sources')).toBe('otherSource');
    expect(readAccountClass('Beginning fund balance')).toBe('beginningBalance');
    expect(readAccountClass('Income')).toBeUndefined();
    expect(splitCodeList('8010-8799, 8900 - 8979; 979Z')).toEqual(['8010-8799', '8900-8979', '979Z']);
  });
});

describe('rule severity and explanations (the district keeps an exception with its reason)', () => {
  const broken = '199-00-6119-00-001-7-11-000'; // 20030-0015: expenditure object with function 00
  const setSeverity = (t: ReturnType<typeof chartToTables>, id: string, severity: string): void => {
    const row = t.rules.find((r) => r[0] === id) as CellValue[];
    row[1] = severity;
  };

  test('a fatal rule lowered to warning reports a warning; switched off, nothing', () => {
    const base = compileChart(texasLike, 2027).check(broken);
    expect(base.diagnostics.map((d) => [d.ruleId, d.severity])).toEqual([['20030-0015', 'fatal']]);
    const lowered = fromTables(texasLike, (t) => setSeverity(t, '20030-0015', 'Warning'));
    const c = compileChart(lowered.chart!, 2027).check(broken);
    expect(c.diagnostics.map((d) => [d.ruleId, d.severity])).toEqual([['20030-0015', 'warning']]);
    expect(c.ok).toBe(true);
    const off = fromTables(texasLike, (t) => setSeverity(t, '20030-0015', 'off'));
    expect(off.chart!.rules.find((r) => r.id === '20030-0015')?.severity).toBe('off');
    expect(compileChart(off.chart!, 2027).check(broken).diagnostics).toEqual([]);
    expect(fromTables(off.chart!).chart).toEqual(off.chart);
  });

  test('an unknown severity is a finding', () => {
    const r = fromTables(texasLike, (t) => setSeverity(t, '20030-0015', 'sometimes'));
    expect(codes(r.diagnostics)).toEqual(['BL309']);
    expect(r.diagnostics[0]?.message).toContain('fatal, warning or off');
  });

  test('an explanation for the account, for the cell, or for every account keeps it as an explained warning', () => {
    const at = { sheet: 'Lincoln Elementary', cell: 'C14' };
    for (const target of [broken, 'Lincoln Elementary!$C$14', '']) {
      const r = fromTables(texasLike, (t) =>
        t.explanations.push(['20030-0015', target, 'Board-approved exception for the 2027 pilot']),
      );
      expect(r.diagnostics).toEqual([]);
      const c = compileChart(r.chart!, 2027).check(broken, at);
      expect(c.ok).toBe(true);
      expect(c.diagnostics).toHaveLength(1);
      expect(c.diagnostics[0]).toMatchObject({
        code: 'BL203',
        severity: 'warning',
        ruleId: '20030-0015',
        sheet: 'Lincoln Elementary',
        cell: 'C14',
        segment: 'function',
      });
      expect(c.diagnostics[0]?.message).toContain('Board-approved exception for the 2027 pilot');
      expect(c.diagnostics[0]?.message).toContain('20030-0015');
    }
  });

  test('an explanation for another account or cell leaves the finding as it was', () => {
    const r = fromTables(texasLike, (t) => t.explanations.push(['20030-0015', TX_OK, 'not this one']));
    const c = compileChart(r.chart!, 2027).check(broken, { sheet: 'Oak', cell: 'B2' });
    expect(c.diagnostics.map((d) => [d.code, d.severity])).toEqual([['BL201', 'fatal']]);
  });

  test('an explanation must name a rule of the chart and give a reason', () => {
    const r = fromTables(texasLike, (t) => {
      t.explanations.push(['NO-SUCH-RULE', '', 'why']);
      t.explanations.push(['20030-0015', broken, '']);
    });
    expect(r.diagnostics.map((d) => [d.code, d.cell])).toEqual([
      ['BL309', 'A2'],
      ['BL309', 'A3'],
    ]);
  });
});
