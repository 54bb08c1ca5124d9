import { findings, validator } from './helpers';

const tx = (fy?: number) => validator('texas', fy);

/** The TEA example account with a chosen segment replaced. */
function account(
  parts: Partial<Record<'fund' | 'function' | 'object' | 'org' | 'fy' | 'pic', string>> = {},
): string {
  const p = { fund: '199', function: '11', object: '6119', org: '001', fy: '7', pic: '11', ...parts };
  return `${p.fund}-${p.function}-${p.object}-00-${p.org}-${p.fy}-${p.pic}-000`;
}

describe('Texas FASRG preset', () => {
  test('the published example 199-11-6119-00-001-X-11-000, with 7 for FY2027, is clean', () => {
    const c = tx().check('199-11-6119-00-001-7-11-000');
    expect(c.diagnostics).toEqual([]);
    expect(c.ok).toBe(true);
    expect(c.segments).toEqual(['199', '11', '6119', '00', '001', '7', '11', '000']);
    expect(tx().lookup('fund', '199')?.description).toBe('General Fund');
    expect(tx().lookup('function', '11')?.description).toBe('Instruction');
    expect(tx().lookup('object', '6119')?.description).toBe(
      'Salaries or Wages – Teachers and Other Professional Personnel',
    );
    expect(tx().lookup('programIntent', '11')?.description).toBe('Basic Educational Services');
  });

  test('the literal X placeholder gets a fiscal-year finding pointing at the X, with the right digit', () => {
    const c = tx().check('199-11-6119-00-001-X-11-000');
    expect(c.ok).toBe(false);
    expect(c.diagnostics).toHaveLength(1);
    expect(c.diagnostics[0]).toMatchObject({
      code: 'BL108',
      segment: 'fiscalYear',
      span: { start: 19, end: 20 },
      suggestions: ['7'],
    });
    expect(c.diagnostics[0]?.remedy).toContain('"7" for FY2027');
  });

  test('the fiscal-year digit follows the budget year', () => {
    expect(findings(tx(2027).check(account({ fy: '6' })))).toEqual(['BL108 fiscalYear fatal']);
    expect(tx(2026).check(account({ fy: '6' })).diagnostics).toEqual([]);
    expect(tx(2030).check(account({ fy: '0' })).diagnostics).toEqual([]);
  });

  test('TEA split-funding example: one teacher charged to program intents 24 and 23', () => {
    expect(tx().check(account({ pic: '24' })).diagnostics).toEqual([]);
    expect(tx().check(account({ pic: '23' })).diagnostics).toEqual([]);
    expect(tx().lookup('programIntent', '24')?.description).toBe('Accelerated Education');
    expect(tx().lookup('programIntent', '23')?.description).toMatch(/Special Education/);
  });

  test('an unknown object 6118 suggests 6119, then 6112', () => {
    const c = tx().check('199-11-6118-00-001-7-11-000');
    expect(findings(c)).toEqual(['BL104 object fatal']);
    expect(c.diagnostics[0]?.span).toEqual({ start: 7, end: 11 });
    expect(c.diagnostics[0]?.suggestions).toEqual(['6119', '6112']);
    expect(c.diagnostics[0]?.remedy).toContain('Did you mean 6119 or 6112?');
  });

  test.each([
    ['Title I, Part A teacher', '211-11-6119-00-001-7-24-000'],
    ['IDEA-B Formula aide', '224-11-6129-00-001-7-23-000'],
    ['breakfast and lunch supplies', '240-35-6341-00-001-7-99-000'],
    ['teacher benefits (TRS)', '199-11-6146-00-001-7-11-000'],
    ['substitute teacher', '199-11-6112-00-002-7-11-000'],
    ['support staff extra duty', '199-51-6121-00-999-7-99-000'],
    ['athletics supplies', '199-36-6399-00-001-7-91-000'],
    ['general supplies, local option code', '199-11-6399-00-001-7-11-A01'],
    ['property tax revenue', '199-00-5711-00-000-7-00-000'],
    ['Foundation School Program revenue', '199-00-5812-00-000-7-00-000'],
    ['federal revenue to Title I', '211-00-5929-00-000-7-00-000'],
    ['transfer in', '599-00-7915-00-000-7-00-000'],
    ['bond principal from the debt service fund', '599-71-6511-00-999-7-99-000'],
    ['capital outlay from capital projects', '699-81-6629-00-999-7-99-000'],
    ['fund balance (balance sheet)', '199-00-3600-00-000-7-00-000'],
  ])('accepts %s: %s', (_, s) => {
    expect(tx().check(s).diagnostics).toEqual([]);
  });

  describe('PEIMS edit rules (budget records)', () => {
    test.each([
      // [rule, passing example, failing example]
      ['20030-0015', account(), account({ function: '00' })],
      ['20030-0015', account({ object: '6399' }), account({ object: '6399', function: '00' })],
      [
        '20030-0015',
        account({ object: '6639', function: '81' }),
        account({ object: '6639', function: '00' }),
      ],
      ['20030-0016', account(), account({ pic: '00' })],
      ['20030-0016', account({ object: '6499', pic: '99' }), account({ object: '6499', pic: '00' })],
      ['20030-0017', account({ org: '001' }), account({ org: '000' })],
      ['20030-0017', account({ org: '708' }), account({ org: '709' })],
      ['20030-0017', account({ org: '720' }), account({ org: '719' })],
      ['20030-0017', account({ org: '725' }), account({ org: '726' })],
      ['20030-0017', account({ org: '750' }), account({ org: '749' })],
      ['20030-0017', account({ org: '799' }), account({ org: '800' })],
      ['20030-0017', account({ org: '998' }), account({ org: '997' })],
      ['20030-0017', account({ org: '999' }), account({ org: '850' })],
      ['20030-0018', '599-71-6511-00-999-7-99-000', '599-71-6211-00-999-7-99-000'],
      ['20030-0018', '599-71-6411-00-999-7-99-000', '599-11-6119-00-001-7-11-000'],
      ['20030-0018', '599-00-5711-00-000-7-00-000', '599-00-3600-00-000-7-00-000'],
      ['20030-0018', '599-00-7911-00-000-7-00-000', '599-00-7920-00-000-7-00-000'],
      ['20030-0018', '599-00-8911-00-000-7-00-000', '599-00-8920-00-000-7-00-000'],
      ['20030-0018', '599-00-7949-00-000-7-00-000', '599-00-7950-00-000-7-00-000'],
    ])('%s passes %s and fails %s', (rule, pass, fail) => {
      expect(tx().check(pass).diagnostics).toEqual([]);
      const c = tx().check(fail);
      expect(findings(c)).toEqual([`BL201 ${rule} fatal`]);
      expect(c.ok).toBe(false);
    });

    test('20030-0015 points at the function and says why', () => {
      const c = tx().check('199-00-6119-00-001-7-11-000');
      expect(c.diagnostics[0]).toMatchObject({
        code: 'BL201',
        ruleId: '20030-0015',
        segment: 'function',
        span: { start: 4, end: 6 },
      });
      expect(c.diagnostics[0]?.message).toContain('need a function other than 00');
    });

    test('a payroll line breaking three rules at once gets all three findings', () => {
      const c = tx().check('199-00-6119-00-000-7-00-000');
      expect(findings(c)).toEqual([
        'BL201 20030-0015 fatal',
        'BL201 20030-0016 fatal',
        'BL201 20030-0017 fatal',
      ]);
    });

    test('program intent on an object outside 61XX–66XX is a warning (TEA sets it to 00 on load)', () => {
      const c = tx().check('199-00-5711-00-000-7-11-000');
      expect(findings(c)).toEqual(['BL201 PEIMS-E0320-PIC-00 warning']);
      expect(c.ok).toBe(true);
    });

    test('a function on an object outside 61XX–66XX is a warning (TEA sets it to 00 on load)', () => {
      const c = tx().check('199-11-5711-00-000-7-00-000');
      expect(findings(c)).toEqual(['BL201 PEIMS-E0317-FUNCTION-00 warning']);
      expect(c.ok).toBe(true);
    });

    test('20030-0045 (revenue amounts above zero) is an amount check, not a chart rule', () => {
      expect(tx().chart.rules.map((r) => r.id)).toEqual([
        '20030-0015',
        '20030-0016',
        '20030-0017',
        '20030-0018',
        'PEIMS-E0320-PIC-00',
        'PEIMS-E0317-FUNCTION-00',
      ]);
    });
  });

  test.each([
    ['a wrong segment count', '199-11-6119-00-001-7-11', 'BL101'],
    ['an unknown function', account({ function: '14' }), 'BL104'],
    ['an unknown program intent', account({ pic: '27' }), 'BL104'],
    ['a fund outside every fund class', account({ fund: '999' }), 'BL104'],
    ['a short organization code', '199-11-6119-00-01-7-11-000', 'BL102'],
  ])('refuses %s', (_, s, code) => {
    expect(
      tx()
        .check(s)
        .diagnostics.map((d) => d.code),
    ).toContain(code);
  });

  test('exact codes keep their own titles inside a fund or object class mask', () => {
    expect(tx().lookup('fund', '211')?.description).toMatch(/Title I, Part A/);
    expect(tx().lookup('fund', '282')?.description).toBe('Special Revenue Funds');
    expect(tx().lookup('object', '5711')?.description).toBe('Taxes, Current Year Levy');
    expect(tx().lookup('object', '5744')?.description).toBe('Revenues from Local and Intermediate Sources');
    expect(tx().lookup('object', '6399')?.description).toBe('Supplies and Materials');
  });
});
