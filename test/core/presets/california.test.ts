import { findings, undashed, validator } from './helpers';

const ca = (fy?: number) => validator('california', fy);

/**
 * Valid SACS account strings built from the CDE code tables (fund-resource-projectYear-goal-function-
 * object, written with dashes here for reading and checked as the 19-character state-extract form).
 */
const VALID_BOTH_YEARS: [string, string][] = [
  [
    '01-0000-0-0000-2100-1300',
    'the README example: unrestricted general fund, supervisors and administrators',
  ],
  ['01-0000-0-1110-1000-1100', 'regular education K-12 teachers'],
  ['01-0000-0-1110-1000-4300', 'regular education materials and supplies'],
  ['01-1100-0-1110-1000-4100', 'lottery: unrestricted, textbooks'],
  ['01-3010-0-1110-1000-1100', 'ESSA Title I, Part A teacher'],
  ['01-3310-0-5760-1120-1100', 'IDEA local assistance, ages 5-22, resource specialist'],
  ['01-6500-0-5001-1110-2100', 'special education, separate classes, classified instructional aide'],
  ['01-0000-0-0000-7110-5800', 'board: professional services'],
  ['01-0000-0-0000-8100-2200', 'plant maintenance: classified support salaries'],
  ['01-0000-0-ADLT-7210-7350', 'adult education allocated costs: indirect cost transfer'],
  ['01-0000-0-CAFE-8200-2200', 'cafeteria allocated costs: operations'],
  ['01-0000-0-CHLD-7700-5800', 'child development allocated costs: data processing'],
  ['13-5310-0-0000-3700-4700', 'cafeteria fund, child nutrition, food'],
  ['21-0000-0-0000-8500-6200', 'building fund: buildings and improvements'],
  ['51-0000-0-0000-9100-7433', 'bond interest and redemption fund: debt service'],
  ['01-0000-0-0000-0000-8011', 'revenue: LCFF state aid'],
  ['01-0000-0-0000-0000-9110', 'balance sheet: cash in county treasury'],
  ['01-0000-0-0000-0000-9790', 'balance sheet: unassigned fund balance'],
  ['01-0000-0-0000-0000-979Z', 'balance sheet: ending fund balance (calculated), a letter object'],
  ['01-VARY-0-0000-0000-9110', 'the letter resource VARY on a balance-sheet line'],
  ['11-6391-0-4110-1000-1100', 'adult education fund, regular adult education teacher'],
  ['12-6105-0-8500-1000-2100', 'child development fund, child care and development services'],
];

const VALID_FY2022_ONLY: [string, string][] = [
  ['01-2600-0-1110-1000-1100', 'Expanded Learning Opportunities Program (resource new in 2021-22)'],
  ['01-0000-0-0000-0000-9380', 'lease receivable (object new in 2021-22)'],
  ['01-3305-0-5760-1120-1100', 'ARP IDEA Part B, Sec. 611 (resource new in 2021-22)'],
];

describe('California SACS preset', () => {
  test('the undelimited README example splits into its six segments', () => {
    const c = ca().check('0100000000021001300');
    expect(c.diagnostics).toEqual([]);
    expect(c.segments).toEqual(['01', '0000', '0', '0000', '2100', '1300']);
    expect(c.normalized).toBe('0100000000021001300');
  });

  test(`has at least 20 valid example strings from the CDE tables`, () => {
    expect(VALID_BOTH_YEARS.length + VALID_FY2022_ONLY.length).toBeGreaterThanOrEqual(20);
  });

  test.each(VALID_BOTH_YEARS)('accepts %s in FY2021 and FY2022 (%s)', (dashed) => {
    expect(undashed(dashed)).toHaveLength(19);
    expect(ca(2021).check(undashed(dashed)).diagnostics).toEqual([]);
    expect(ca(2022).check(undashed(dashed)).diagnostics).toEqual([]);
  });

  test.each(VALID_FY2022_ONLY)('accepts %s in FY2022 (%s)', (dashed) => {
    expect(ca(2022).check(undashed(dashed)).diagnostics).toEqual([]);
  });

  test('letter codes are codes, kept as typed: goals ADLT, CAFE, CHLD, resource VARY, object 979Z', () => {
    expect(ca().lookup('goal', 'ADLT')?.description).toBe('Adult Education Allocated Costs');
    expect(ca().lookup('goal', 'CAFE')?.description).toBe('Cafeteria Allocated Costs');
    expect(ca().lookup('goal', 'CHLD')?.description).toBe('Child Development Allocated Costs');
    expect(ca().lookup('resource', 'VARY')?.description).toBe('Various Resources');
    expect(ca().lookup('object', '979Z')?.description).toBe('EFB (Calculated)');
  });

  describe('fiscal-year validity', () => {
    test('a resource listed only in 2020-21 (3200) is refused for FY2022 with a fiscal-year finding', () => {
      const s = undashed('01-3200-0-1110-1000-1100');
      expect(ca(2021).check(s).diagnostics).toEqual([]);
      const c = ca(2022).check(s);
      expect(findings(c)).toEqual(['BL105 resource fatal']);
      expect(c.diagnostics[0]?.message).toContain('not valid in FY2022');
      expect(c.diagnostics[0]?.message).toContain('FY2021');
      expect(c.diagnostics[0]?.span).toEqual({ start: 2, end: 6 });
    });

    test('a resource listed only in 2021-22 (2600) is refused for FY2021', () => {
      const c = ca(2021).check(undashed('01-2600-0-1110-1000-1100'));
      expect(findings(c)).toEqual(['BL105 resource fatal']);
      expect(c.diagnostics[0]?.message).toContain('FY2022');
    });

    test('a goal retired after 2020-21 (5750) and an object new in 2021-22 (9380)', () => {
      expect(findings(ca(2022).check(undashed('01-6500-0-5750-1110-1100')))).toEqual(['BL105 goal fatal']);
      expect(ca(2021).check(undashed('01-6500-0-5750-1110-1100')).diagnostics).toEqual([]);
      expect(findings(ca(2021).check(undashed('01-0000-0-0000-0000-9380')))).toEqual(['BL105 object fatal']);
    });

    test('a retitled resource carries its 2021-22 title', () => {
      expect(ca(2021).lookup('resource', '3550')?.description).toMatch(
        /^Strengthening Career and Technical Education/,
      );
    });
  });

  describe('CDE technical-review checks', () => {
    test('CHK-FUNCTIONxOBJECT covers expenditure objects only: a revenue object with function 1000 is a warning', () => {
      const c = ca().check(undashed('01-0000-0-0000-1000-8011'));
      expect(findings(c)).toEqual(['BL201 SACS-FUNCTION-0000 warning']);
      expect(c.ok).toBe(true);
      expect(c.diagnostics[0]).toMatchObject({ segment: 'function', span: { start: 11, end: 15 } });
    });

    test('CHK-FUNCTIONxOBJECT: an expenditure object with function 0000', () => {
      const c = ca().check(undashed('01-0000-0-0000-0000-1100'));
      expect(findings(c)).toEqual(['BL202 CHK-FUNCTIONxOBJECT fatal']);
      expect(c.diagnostics[0]).toMatchObject({ segment: 'function', span: { start: 11, end: 15 } });
    });

    test('the letter balance-sheet object 979Z with a function is a warning, not fatal', () => {
      const c = ca().check(undashed('01-0000-0-0000-1000-979Z'));
      expect(findings(c)).toEqual(['BL201 SACS-FUNCTION-0000 warning']);
      expect(c.ok).toBe(true);
    });

    test('revenue and balance-sheet objects with a goal other than 0000: a warning at most', () => {
      expect(findings(ca().check(undashed('01-0000-0-1110-0000-8011')))).toEqual([
        'BL201 SACS-GOAL-0000 warning',
      ]);
      expect(findings(ca().check(undashed('01-0000-0-1110-0000-979Z')))).toEqual([
        'BL201 SACS-GOAL-0000 warning',
      ]);
      const c = ca().check(undashed('01-0000-0-1110-1000-9110'));
      expect(findings(c)).toEqual(['BL201 SACS-GOAL-0000 warning', 'BL201 SACS-FUNCTION-0000 warning']);
      expect(c.ok).toBe(true);
    });
  });

  test.each([
    ['18 characters', '010000000002100130', 'BL107'],
    ['20 characters', '01000000000210013000', 'BL107'],
    ['an unknown fund 02', '0200000000021001300', 'BL104'],
    ['an unknown object 1350', '0100000000021001350', 'BL104'],
    ['a letter in the function', '01000000000210A1300', 'BL103'],
  ])('refuses %s', (_, s, code) => {
    expect(
      ca()
        .check(s)
        .diagnostics.map((d) => d.code),
    ).toContain(code);
  });

  test('an unknown object suggests close CDE objects', () => {
    expect(ca().check('0100000000021001350').diagnostics[0]?.suggestions).toContain('1300');
  });

  test('project year accepts any digit', () => {
    for (const d of '0123456789') expect(ca().check(`010000${d}000021001300`).diagnostics).toEqual([]);
  });
});
