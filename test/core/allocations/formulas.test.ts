import fc from 'fast-check';
import {
  checkComparability,
  computeAllocations,
  parseBands,
  readFormulaRules,
  RULE_KINDS,
  RULE_TYPES,
  stateLocalFte,
  type FormulaRule,
} from '../../../core/allocations/formulas';
import { readSites, type Site } from '../../../core/allocations/tables';
import { readBenefits, readJobTypes, staffingOf } from '../../../core/budget/staffing';
import { normalizeHeader } from '../../../core/tables';
import { grid, texas } from '../budget/charts';

const sitesGrid = grid(
  ['Site', 'Name', 'Enrollment', 'EL', 'SPED', 'Low income', 'Grade band', 'Title I', 'Prior year budget'],
  ['001', 'Lincoln', 450, 60, 40, 300, 'Elementary', 'Yes', '$100,000.00'],
  ['002', 'Washington', 250, 10, 20, 50, 'Elementary', 'No', '$80,000.00'],
  ['003', 'Jefferson', 720, 100, 70, 200, 'High', 'No', null],
);
const sites = readSites(sitesGrid).rows;
const packages = readBenefits(
  grid(
    ['Package', 'Benefit', 'Rate', 'Amount per FTE'],
    ['B', 'FICA', '10%', null],
    ['B', 'Health', null, 5000],
  ),
).rows;
const staffing = staffingOf(
  readJobTypes(
    grid(
      ['Code', 'Title', 'Average salary', 'Benefits'],
      ['CNS', 'Counselor', 50000, 'B'],
      ['TCH', 'Teacher', 40000, 'B'],
    ),
    packages,
  ).rows,
  packages,
);
// Average cost of 1.0 FTE: counselor 50,000 + 5,000 + 5,000 = 60,000; teacher 40,000 + 4,000 + 5,000 = 49,000.

const RULE_HEADER = [
  'Rule',
  'Type',
  'Source',
  'Source type',
  'Applies to',
  'Basis',
  'Amount',
  'Weight',
  'FTE',
  'Students per FTE',
  'Rounding',
  'Step',
  'Bands',
  'Job type',
  'Percent',
  'Site',
  'Fixed segments',
  'Note',
];
type RuleRow = Partial<Record<(typeof RULE_HEADER)[number], unknown>>;
const toRow = (r: RuleRow): unknown[] => RULE_HEADER.map((h) => r[h] ?? null);

function rules(...rs: RuleRow[]): FormulaRule[] {
  const r = readFormulaRules(grid(RULE_HEADER, ...(rs.map(toRow) as never[][])), sites, texas.segments, {
    fteStep: 100,
  });
  expect(r.diagnostics).toEqual([]);
  return r.rows;
}

function amounts(rs: FormulaRule[]): Record<string, [number, number | undefined]> {
  const out: Record<string, [number, number | undefined]> = {};
  for (const a of computeAllocations(sites, rs, staffing).allocations) out[a.id] = [a.amount, a.fte];
  return out;
}

describe('Sites table', () => {
  test('reads counts, grade band, Title I status and prior-year budget', () => {
    expect(sites[0]).toMatchObject({
      code: '001',
      enrollment: 450,
      englishLearners: 60,
      specialEducation: 40,
      lowIncome: 300,
      gradeBand: 'elementary',
      titleI: true,
      priorYear: 10_000_000,
    });
  });
  test.each([
    [['004', 'X', 12.5, 0, 0, 0], 'BL419', 'C2'],
    [['004', 'X', '#REF!', 0, 0, 0], 'BL419', 'C2'],
    [['004', 'X', null, 0, 0, 0], 'BL419', 'C2'],
    [['004', 'X', 1, 'many', 0, 0], 'BL419', 'D2'],
    [['004', 'X', 1, 0, null, 0], 'BL419', 'E2'],
    [['004', 'X', 1, 0, 0, 0, 'high', 'perhaps'], 'BL418', 'H2'],
  ])('refuses %p with %s at %s', (row, code, cell) => {
    const r = readSites(grid(sitesGrid[0] as unknown[] as never[], row as never[]));
    expect(r.diagnostics.map((d) => [d.code, d.cell])).toEqual([[code, cell]]);
  });
  test('refuses a site listed twice', () => {
    const r = readSites(grid(['Site', 'Enrollment'], ['001', 1], ['001', 2]));
    expect(r.diagnostics).toMatchObject([{ code: 'BL420', cell: 'A3' }]);
  });
});

describe('funding rule types', () => {
  test('per pupil: dollars per student of the basis', () => {
    const rs = rules({
      Rule: 'PP',
      Type: 'per pupil',
      Source: 'General',
      Basis: 'enrollment',
      Amount: '$50.00',
    });
    expect(amounts(rs)).toEqual({
      '001 General': [2_250_000, undefined],
      '002 General': [1_250_000, undefined],
      '003 General': [3_600_000, undefined],
    });
    const a = computeAllocations(sites, rs, staffing).allocations[0];
    expect(a?.rules).toEqual([
      {
        rule: 'PP',
        type: 'perPupil',
        explanation: '450 students × $50.00 = $22,500.00',
        amount: 2_250_000,
        fte: 0,
      },
    ]);
  });

  test('subgroup weights: base × weight × subgroup count', () => {
    const rs = rules({
      Rule: 'EL',
      Type: 'weighted',
      Source: 'General',
      Basis: 'English learners',
      Amount: 5000,
      Weight: 0.2,
    });
    expect(amounts(rs)['001 General']).toEqual([6_000_000, undefined]);
  });

  test('gross dollars split proportionally, summing exactly to the total', () => {
    const rs = rules({
      Rule: 'G',
      Type: 'proportional',
      Source: 'Grant',
      Basis: 'low income',
      Amount: '$1,000.00',
    });
    const r = amounts(rs);
    // 300 / 50 / 200 of 550 low-income students: 545.4545…, 90.9090…, 363.6363…
    expect(r).toEqual({
      '001 Grant': [54_545, undefined],
      '002 Grant': [9_091, undefined],
      '003 Grant': [36_364, undefined],
    });
    expect(Object.values(r).reduce((s, [a]) => s + a, 0)).toBe(100_000);
  });

  test('fixed staffing: FTE and dollars at the average cost of the job type', () => {
    const rs = rules({ Rule: 'F', Type: 'fixed staffing', Source: 'General', FTE: 0.5, 'Job type': 'CNS' });
    expect(amounts(rs)['002 General']).toEqual([3_000_000, 500]);
  });

  test.each([
    ['up', 1000, { '001': 18_000, '002': 10_000, '003': 29_000 }],
    ['down', 1000, { '001': 18_000, '002': 10_000, '003': 28_000 }],
    ['nearest', 1000, { '001': 18_000, '002': 10_000, '003': 29_000 }],
    ['nearest', 500, { '001': 18_000, '002': 10_000, '003': 29_000 }],
    ['down', 100, { '001': 18_000, '002': 10_000, '003': 28_800 }],
  ])(
    'ratio staffing: 1 FTE per 25 students, rounded %s to a step of %p thousandths',
    (rounding, step, want) => {
      const rs = rules({
        Rule: 'R',
        Type: 'ratio staffing',
        Source: 'General',
        Basis: 'enrollment',
        'Students per FTE': 25,
        Rounding: rounding,
        Step: step / 1000,
        'Job type': 'TCH',
      });
      const r = amounts(rs);
      for (const [site, fte] of Object.entries(want))
        expect(r[`${site} General`]).toEqual([(49_000_00 * fte) / 1000, fte]);
    },
  );

  test('banded staffing: enrollment 0–299 → 0.5, 300–499 → 1.0, 500–699 → 1.5, 700+ → 2.0', () => {
    const rs = rules({
      Rule: 'C',
      Type: 'banded staffing',
      Source: 'General',
      Basis: 'enrollment',
      Bands: '0-299: 0.5; 300-499: 1; 500-699: 1.5; 700+: 2',
      'Job type': 'CNS',
    });
    expect(amounts(rs)).toEqual({
      '001 General': [6_000_000, 1000],
      '002 General': [3_000_000, 500],
      '003 General': [12_000_000, 2000],
    });
    const a = computeAllocations(sites, rs, staffing).allocations[0];
    expect(a?.rules[0]?.explanation).toBe(
      '450 students in band 300-499: 1.0 FTE Counselor at average cost = $60,000.00',
    );
  });

  test('manual adjustments add to the site, with their reason', () => {
    const rs = rules(
      { Rule: 'PP', Type: 'per pupil', Source: 'General', Amount: 10 },
      {
        Rule: 'M',
        Type: 'manual',
        Source: 'General',
        Site: '002',
        Amount: '(500.00)',
        Note: 'portable moved',
      },
    );
    const a = computeAllocations(sites, rs, staffing).allocations.find((x) => x.site === '002');
    expect(a?.amount).toBe(250_000 - 50_000);
    expect(a?.rules.map((l) => l.explanation)).toEqual([
      'manual adjustment -$500.00: portable moved',
      '250 students × $10.00 = $2,500.00',
    ]);
  });

  test('prior year: a percentage of last year’s budget', () => {
    const rs = rules({
      Rule: 'PY',
      Type: 'prior year',
      Source: 'Carry',
      Percent: '95%',
      'Applies to': 'elementary',
    });
    expect(amounts(rs)).toEqual({ '001 Carry': [9_500_000, undefined], '002 Carry': [7_600_000, undefined] });
  });

  test('prior year for a site with no prior-year budget is a finding', () => {
    const rs = rules({ Rule: 'PY', Type: 'prior year', Source: 'Carry', Percent: '95%' });
    expect(computeAllocations(sites, rs, staffing).diagnostics).toMatchObject([
      { code: 'BL518', message: expect.stringContaining('003') },
    ]);
  });

  test('rules with the same source and fixed segments make one allocation carrying every rule line', () => {
    const rs = rules(
      {
        Rule: 'PP',
        Type: 'per pupil',
        Source: 'Title I',
        'Source type': 'federal',
        Amount: 100,
        'Fixed segments': 'fund=211',
        'Applies to': 'Title I',
      },
      {
        Rule: 'F',
        Type: 'fixed staffing',
        Source: 'Title I',
        'Source type': 'federal',
        FTE: 1,
        'Job type': 'TCH',
        'Fixed segments': 'fund=211',
        'Applies to': 'Title I',
      },
    );
    const r = computeAllocations(sites, rs, staffing);
    expect(r.diagnostics).toEqual([]);
    expect(r.allocations).toMatchObject([
      {
        id: '001 Title I (fund=211)',
        amount: 4_500_000 + 4_900_000,
        fte: 1000,
        fixed: [{ segment: 'fund', code: '211' }],
        rules: [{ rule: 'F' }, { rule: 'PP' }],
      },
    ]);
  });

  test('a negative allocation is a finding', () => {
    const rs = rules({ Rule: 'M', Type: 'manual', Source: 'X', Site: '001', Amount: -5 });
    expect(computeAllocations(sites, rs, staffing).diagnostics).toMatchObject([{ code: 'BL516' }]);
  });

  test('an unknown job type in a staffing rule is a finding at the rule', () => {
    const rs = rules({ Rule: 'F', Type: 'fixed staffing', Source: 'General', FTE: 1, 'Job type': 'CNSL' });
    expect(computeAllocations(sites, rs, staffing).diagnostics).toMatchObject([
      { code: 'BL412', sheet: 'Formula rules', cell: 'N2', suggestions: ['CNS'] },
    ]);
  });
});

describe('Formula rules table', () => {
  test.each([
    [{ Rule: 'X', Type: 'magic', Source: 'S' }, 'BL510', 'B2'],
    [{ Rule: 'X', Type: 'per pupil', Source: 'S' }, 'BL511', 'G2'],
    [{ Rule: 'X', Type: 'per pupil', Source: 'S', Amount: 5, Basis: 'shoes' }, 'BL511', 'F2'],
    [{ Rule: 'X', Type: 'weighted', Source: 'S', Amount: 5 }, 'BL511', 'H2'],
    [
      {
        Rule: 'X',
        Type: 'ratio staffing',
        Source: 'S',
        'Students per FTE': 0,
        Rounding: 'up',
        'Job type': 'TCH',
      },
      'BL511',
      'J2',
    ],
    [
      {
        Rule: 'X',
        Type: 'ratio staffing',
        Source: 'S',
        'Students per FTE': 25,
        Rounding: 'sideways',
        'Job type': 'TCH',
      },
      'BL511',
      'K2',
    ],
    [{ Rule: 'X', Type: 'fixed staffing', Source: 'S', FTE: 1 }, 'BL511', 'N2'],
    [
      { Rule: 'X', Type: 'banded staffing', Source: 'S', Bands: '0-299: 0.5; 400+: 1', 'Job type': 'CNS' },
      'BL512',
      'M2',
    ],
    [{ Rule: 'X', Type: 'manual', Source: 'S', Site: '009', Amount: 5 }, 'BL509', 'P2'],
    [{ Rule: 'X', Type: 'prior year', Source: 'S', Percent: 95 }, 'BL410', 'O2'],
    [{ Rule: 'X', Type: 'per pupil', Source: 'S', Amount: 5, 'Applies to': 'middle' }, 'BL513', 'E2'],
    [{ Rule: 'X', Type: 'per pupil', Source: 'S', Amount: '5.5.5' }, 'BL403', 'G2'],
    [{ Rule: 'X', Type: 'per pupil', Source: 'S', Amount: 5, 'Fixed segments': 'fund=2110' }, 'BL507', 'Q2'],
    [{ Rule: 'X', Type: 'per pupil', Source: 'S', 'Source type': 'federalish', Amount: 5 }, 'BL511', 'D2'],
  ])('refuses %p with %s at %s', (r, code, cell) => {
    const out = readFormulaRules(grid(RULE_HEADER, toRow(r) as never[]), sites, texas.segments);
    expect(out.diagnostics.map((d) => [d.code, d.cell])).toContainEqual([code, cell]);
    expect(out.rows).toEqual([]);
  });

  test('applies to a list of site codes', () => {
    const rs = rules({ Rule: 'PP', Type: 'per pupil', Source: 'S', Amount: 1, 'Applies to': '001, 003' });
    expect(Object.keys(amounts(rs))).toEqual(['001 S', '003 S']);
  });

  test.each([
    ['0-299: 0.5; 300-499: 1; 500-699: 1.5; 700+: 2', undefined],
    ['300-499: 1; 0-299: 0.5; 500+: 2', undefined],
    ['1-299: 0.5; 300+: 1', 'the first band must start at 0'],
    ['0-299: 0.5; 250+: 1', '250 is in two bands'],
    ['0-299: 0.5; 300-499: 1', 'the last band must be open-ended, e.g. 700+'],
    ['0-299: half', '"half" is not an FTE'],
  ])('bands %p', (text, problem) => {
    const r = parseBands(text, {});
    if (problem === undefined) expect('value' in r).toBe(true);
    else expect('diagnostic' in r && r.diagnostic.message).toContain(problem);
  });
});

describe('Title I checks (warnings)', () => {
  test('supplement-not-supplant: a state/local rule that depends on Title I status', () => {
    for (const appliesTo of ['Title I', 'non-Title I']) {
      const rs = rules({
        Rule: 'S',
        Type: 'per pupil',
        Source: 'General',
        'Source type': 'state',
        Amount: 1,
        'Applies to': appliesTo,
      });
      expect(computeAllocations(sites, rs, staffing).diagnostics).toMatchObject([
        { code: 'BL515', severity: 'warning', cell: 'A2' },
      ]);
    }
    const fed = rules({
      Rule: 'S',
      Type: 'per pupil',
      Source: 'Title I',
      'Source type': 'federal',
      Amount: 1,
      'Applies to': 'Title I',
    });
    expect(computeAllocations(sites, fed, staffing).diagnostics).toEqual([]);
  });

  const elementary = (t1Fte: number, otherFte: number): ReturnType<typeof checkComparability> =>
    checkComparability(
      sites,
      new Map([
        ['001', t1Fte],
        ['002', otherFte],
        ['003', 1000],
      ]),
    );

  test('comparability: within 110% of the non-Title I average passes', () => {
    // Non-Title I elementary: 250 students / 10 FTE = 25. Limit 27.5. Lincoln 450 / 16.4 = 27.4; 450 / 16.363 = 27.501.
    expect(elementary(16_400, 10_000)).toEqual([]);
    expect(elementary(16_364, 10_000)).toEqual([]);
    expect(elementary(16_363, 10_000)).toMatchObject([{ code: 'BL514' }]);
  });

  test('comparability: above 110% is a warning naming the ratios', () => {
    expect(elementary(16_000, 10_000)).toMatchObject([
      {
        code: 'BL514',
        severity: 'warning',
        message:
          'Lincoln (001) (Title I) has 28.1 students per state/local staff FTE, more than 27.5 (110% of the 25.0 non-Title I average for elementary)',
      },
    ]);
    expect(elementary(0, 10_000)).toMatchObject([{ code: 'BL514' }]);
  });

  test('comparability uses state/local FTE from allocations, leaving out federal', () => {
    const rs = rules(
      {
        Rule: 'R',
        Type: 'ratio staffing',
        Source: 'General',
        'Source type': 'state',
        Basis: 'enrollment',
        'Students per FTE': 25,
        Rounding: 'down',
        'Job type': 'TCH',
      },
      {
        Rule: 'T',
        Type: 'fixed staffing',
        Source: 'Title I',
        'Source type': 'federal',
        FTE: 5,
        'Job type': 'TCH',
        'Applies to': 'Title I',
      },
    );
    const fte = stateLocalFte(computeAllocations(sites, rs, staffing).allocations);
    expect([...fte]).toEqual([
      ['001', 18_000],
      ['002', 10_000],
      ['003', 28_800],
    ]);
    expect(checkComparability(sites, fte)).toEqual([]);
  });
});

describe('properties', () => {
  const siteArb = fc
    .uniqueArray(
      fc.record({
        code: fc.stringMatching(/^[0-9]{3}$/),
        enrollment: fc.integer({ min: 0, max: 3000 }),
        lowIncome: fc.integer({ min: 0, max: 3000 }),
        titleI: fc.boolean(),
      }),
      { minLength: 1, maxLength: 30, selector: (s) => s.code },
    )
    .map((xs) =>
      xs.map((x): Site => ({ ...x, name: x.code, englishLearners: 0, specialEducation: 0, gradeBand: 'k8' })),
    );
  const total = fc.integer({ min: 0, max: 1e12 });

  const ruleSet = (t: number): FormulaRule[] => {
    const common = {
      source: 'S',
      sourceType: 'local' as const,
      appliesTo: { kind: 'all' as const },
      fixed: [],
      allowed: [],
      maxShares: [],
      locked: false,
      note: '',
    };
    return [
      { ...common, id: 'G', type: 'proportional', total: t, basis: 'enrollment' },
      {
        ...common,
        id: 'B',
        type: 'bandedStaffing',
        basis: 'enrollment',
        jobType: 'CNS',
        bands: [
          { from: 0, to: 299, fte: 500 },
          { from: 300, fte: 1000 },
        ],
      },
      { ...common, id: 'W', type: 'weighted', rate: 12345, weight: 333_333, basis: 'lowIncome' },
    ];
  };

  test('proportional allocations always sum to the total, to the cent', () => {
    fc.assert(
      fc.property(siteArb, total, (ss, t) => {
        fc.pre(ss.some((s) => s.enrollment > 0));
        const r = computeAllocations(ss, [ruleSet(t)[0] as FormulaRule], staffing);
        expect(r.allocations.reduce((s, a) => s + a.amount, 0)).toBe(t);
      }),
      { numRuns: 100 },
    );
  });

  test('results do not depend on the order of sites or rules', () => {
    fc.assert(
      fc.property(siteArb, total, (ss, t) => {
        fc.pre(ss.some((s) => s.enrollment > 0));
        const a = computeAllocations(ss, ruleSet(t), staffing);
        const b = computeAllocations([...ss].reverse(), [...ruleSet(t)].reverse(), staffing);
        expect(b).toEqual(a);
      }),
      { numRuns: 100 },
    );
  });
});

describe('the rule types', () => {
  test('each Type spelling belongs to one RULE_KINDS entry, and reads as it', () => {
    const owner = new Map<string, string>();
    for (const [type, kind] of Object.entries(RULE_KINDS))
      for (const name of kind.names) {
        const n = normalizeHeader(name);
        expect([name, owner.get(n) ?? type]).toEqual([name, type]);
        owner.set(n, type);
        expect(RULE_TYPES.get(n)).toBe(type);
      }
    expect(RULE_TYPES.size).toBe(owner.size);
  });

  test('an unknown Type lists the first spelling of every rule type', () => {
    const r = readFormulaRules(
      grid(['Rule', 'Type', 'Source'], ['X', 'per teacher', 'General']),
      sites,
      texas.segments,
    );
    expect(r.diagnostics).toMatchObject([
      {
        code: 'BL510',
        remedy: expect.stringContaining(
          Object.values(RULE_KINDS)
            .map((k) => k.names[0])
            .join(', '),
        ),
      },
    ]);
  });
});
