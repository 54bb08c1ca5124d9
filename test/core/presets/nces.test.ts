import { loadPreset } from '../../../core';
import { findings, validator } from './helpers';

const nces = () => validator('nces');

describe('NCES Handbook preset', () => {
  test.each([
    ['1 General Fund', '100-1000-111-100-001'],
    ['1 General Fund, district subfund', '110-2410-110-100-001'],
    ['2 Special Revenue: Title I teacher', '210-1000-111-200-101'],
    ['2 Special Revenue: IDEA instructional aide', '220-1000-112-200-101'],
    ['3 Capital Projects: construction services', '300-4000-450-100-001'],
    ['4 Debt Service: debt-related expenditures', '400-5000-830-100-001'],
    ['5 Permanent Fund: general supplies', '500-1000-610-100-001'],
    ['6 Enterprise Fund: food', '600-3100-630-100-001'],
    ['7 Internal Service Fund: technology supplies', '700-2580-650-100-001'],
    ['8 Trust Fund: miscellaneous', '800-2310-890-100-001'],
    ['9 Custodial Fund: community services', '900-3300-890-800-001'],
  ])('accepts fund class %s: %s', (_, s) => {
    expect(nces().check(s).diagnostics).toEqual([]);
  });

  test.each([
    ['regular teachers', '111'],
    ['temporary aides', '122'],
    ['overtime', '130'],
    ['substitutes on sabbatical', '143'],
    ['bonuses', '150'],
  ])('refuses salaries (%s, object %s) with function 5000 Debt Service', (_, object) => {
    const c = nces().check(`100-5000-${object}-100-001`);
    expect(findings(c)).toEqual(['BL201 NCES-SALARIES-NOT-DEBT-SERVICE fatal']);
    expect(c.diagnostics[0]).toMatchObject({ segment: 'function', span: { start: 4, end: 8 } });
    expect(c.diagnostics[0]?.message).toContain('except 5000');
  });

  test('salaries are fine with every other function', () => {
    for (const e of loadPreset('nces').codes.function ?? []) {
      if (e.code === '5000') continue;
      expect([e.code, nces().check(`100-${e.code}-111-100-001`).diagnostics]).toEqual([e.code, []]);
    }
  });

  test.each([
    ['object', '100-1000-118-100-001', ['113', '112', '111']],
    ['function', '100-2115-111-100-001', ['2110']],
    ['function', '100-2211-111-100-001', ['2210', '2212', '2213']],
    ['program', '100-1000-111-150-001', ['100']],
  ])('an unknown %s code suggests close ones (%s)', (segment, s, want) => {
    const c = nces().check(s);
    expect(findings(c)).toEqual([`BL104 ${segment} fatal`]);
    expect(c.diagnostics[0]?.suggestions?.slice(0, want.length)).toEqual(want);
  });

  test('a fund outside every fund class is unknown', () => {
    expect(findings(nces().check('050-1000-111-100-001'))).toEqual(['BL104 fund fatal']);
  });

  test('the site is any 3-digit code the district defines', () => {
    expect(nces().check('100-1000-111-100-999').diagnostics).toEqual([]);
    expect(findings(nces().check('100-1000-111-100-01'))).toEqual(['BL102 site fatal']);
    expect(findings(nces().check('100-1000-111-100-ABC'))).toEqual(['BL103 site fatal']);
  });

  test('every function, object and program code rolls up to parents in the chart (2212 → 2210 → 2200 → 2000)', () => {
    const chart = loadPreset('nces');
    for (const key of chart.hierarchical ?? []) {
      const codes = new Set((chart.codes[key] ?? []).map((e) => e.code));
      for (const code of codes) {
        let c = code;
        for (;;) {
          const i = c.search(/0*$/) - 1;
          if (i <= 0) break;
          c = `${c.slice(0, i)}0${c.slice(i + 1)}`;
          expect([key, code, codes.has(c)]).toEqual([key, code, true]);
        }
      }
    }
  });

  test('titles follow the Handbook', () => {
    expect(nces().lookup('function', '2212')?.description).toBe('Instruction and Curriculum Development');
    expect(nces().lookup('object', '111')?.description).toBe(
      'Salaries of Regular Employees Paid to Teachers',
    );
    expect(nces().lookup('program', '600')?.description).toBe('Adult/Continuing Education Programs');
    expect(nces().lookup('fund', '100')?.description).toBe('General Fund');
    expect(nces().lookup('fund', '150')?.description).toBe('General Fund (district-defined subdivisions)');
  });
});
