/**
 * allocate-check: funding formulas for 2,000 sites, then 1,000,000 budget lines checked against the
 * resulting allocations (matching, restrictions, maximum shares, over-planning), with the product's
 * own functions: computeAllocations → compileAllocations → checkCharges.
 */
import {
  checkCharges,
  compileAllocations,
  computeAllocations,
  type FormulaRule,
  type Site,
} from '../core/allocations';
import type { Charge } from '../core/budget/lines';
import { staffingOf } from '../core/budget/staffing';
import { bestRate, report, rng } from './util';

const SITES = 2000;
const LINES = 1_000_000;
const KEYS = ['fund', 'function', 'object', 'fiscalYear', 'programIntent', 'organization'];

export default function (): void {
  const r = rng(2027);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const sites: Site[] = [];
  for (let i = 0; i < SITES; i++) {
    const enrollment = 100 + Math.floor(r() * 1500);
    sites.push({
      code:
        String(i + 1)
          .padStart(3, '0')
          .slice(-3) + (i >= 999 ? String(Math.floor(i / 999)) : ''),
      name: `School ${i + 1}`,
      enrollment,
      englishLearners: Math.floor(enrollment * r() * 0.3),
      specialEducation: Math.floor(enrollment * r() * 0.15),
      lowIncome: Math.floor(enrollment * r() * 0.8),
      gradeBand: pick(['elementary', 'middle', 'high']),
      titleI: r() < 0.4,
      priorYear: 100_000_00 + Math.floor(r() * 1_000_000_00),
    });
  }
  const common = { appliesTo: { kind: 'all' as const }, allowed: [], maxShares: [], locked: false, note: '' };
  const general = {
    ...common,
    source: 'General',
    sourceType: 'local' as const,
    fixed: [{ segment: 'fund', code: '199' }],
  };
  const title = {
    ...common,
    source: 'Title I',
    sourceType: 'federal' as const,
    appliesTo: { kind: 'titleI' as const },
    fixed: [
      { segment: 'fund', code: '211' },
      { segment: 'programIntent', code: '24' },
    ],
    allowed: [
      {
        segment: 'object',
        patterns: [{ kind: 'range' as const, text: '6100-6499', lo: '6100', hi: '6499' }],
        text: '6100-6499',
      },
      {
        segment: 'function',
        patterns: ['11', '13', '21', '23', '31'].map((c) => ({ kind: 'code' as const, text: c, code: c })),
        text: '11, 13, 21, 23, 31',
      },
    ],
    maxShares: [
      {
        label: 'administration',
        segment: 'function',
        patterns: [{ kind: 'range' as const, text: '21-23', lo: '21', hi: '23' }],
        max: 100_000,
        text: 'administration: function 21-23 <= 10%',
      },
    ],
  };
  const sped = {
    ...common,
    source: 'Special education',
    sourceType: 'state' as const,
    fixed: [
      { segment: 'fund', code: '199' },
      { segment: 'programIntent', code: '23' },
    ],
  };
  const rules: FormulaRule[] = [
    { ...general, id: 'G1', type: 'perPupil', rate: 5_000_00, basis: 'enrollment' },
    { ...general, id: 'G2', type: 'weighted', rate: 5_000_00, weight: 200_000, basis: 'englishLearners' },
    {
      ...general,
      id: 'G3',
      type: 'ratioStaffing',
      basis: 'enrollment',
      studentsPerFte: 22,
      rounding: 'down',
      step: 100,
      jobType: 'TCH',
    },
    {
      ...general,
      id: 'G4',
      type: 'bandedStaffing',
      basis: 'enrollment',
      jobType: 'CNS',
      bands: [
        { from: 0, to: 299, fte: 500 },
        { from: 300, to: 499, fte: 1000 },
        { from: 500, to: 699, fte: 1500 },
        { from: 700, fte: 2000 },
      ],
    },
    { ...title, id: 'T1', type: 'proportional', total: 40_000_000_00, basis: 'lowIncome' },
    { ...sped, id: 'S1', type: 'weighted', rate: 5_000_00, weight: 1_100_000, basis: 'specialEducation' },
    { ...sped, id: 'S2', type: 'fixedStaffing', fte: 1000, jobType: 'SPT' },
    {
      ...common,
      source: 'Carryover',
      sourceType: 'local',
      fixed: [{ segment: 'fund', code: '255' }],
      id: 'P1',
      type: 'priorYear',
      percent: 20_000,
    },
  ];
  const staffing = staffingOf(
    [
      { code: 'TCH', title: 'Teacher', averageSalary: 58_000_00, benefits: 'STD' },
      { code: 'CNS', title: 'Counselor', averageSalary: 64_000_00, benefits: 'STD' },
      { code: 'SPT', title: 'Special education teacher', averageSalary: 61_000_00, benefits: 'STD' },
    ],
    [
      {
        code: 'STD',
        items: [
          { name: 'TRS', ratePpm: 82_500 },
          { name: 'Medicare', ratePpm: 14_500 },
          { name: 'Health', perFte: 6_000_00 },
        ],
      },
    ],
  );

  // 1,000,000 lines: mostly valid, some charged to no allocation or breaking a restriction.
  const charges: Charge[] = new Array(LINES);
  for (let i = 0; i < LINES; i++) {
    const s = pick(sites);
    const kind = r();
    const odd = r() < 0.001;
    const fund = odd ? '266' : kind < 0.25 && s.titleI ? '211' : kind < 0.9 ? '199' : '255';
    const fn =
      fund === '211'
        ? pick(['11', '11', '11', '13', '21', '31'])
        : pick(['11', '11', '11', '13', '21', '23', '31', '41']);
    const obj = pick(['6119', '6129', '6141', '6399', '6411', r() < 0.01 ? '6499' : '6399']);
    const pi = fund === '211' ? '24' : pick(['11', '11', '23', '99']);
    const segments = [fund, fn, obj, '7', pi, s.code];
    charges[i] = {
      site: s.code,
      account: segments.join('-'),
      segments,
      amount: 1 + Math.floor(r() * 50_000),
      fte: obj === '6119' ? 100 : 0,
      where: { sheet: s.name, cell: `A${(i % 500) + 2}` },
    };
  }

  let findings = 0;
  const rate = bestRate(LINES, () => {
    const { allocations } = computeAllocations(sites, rules, staffing);
    const { index } = compileAllocations(allocations, KEYS, { overPlanning: 'warning' });
    const report = checkCharges(index, charges);
    findings = report.diagnostics.length;
  });
  if (findings === 0) throw new Error('allocate-check bench: expected some findings');
  report('allocate-check', rate, 'lines/s');
}
