/**
 * A realistic sample district for the demo, generated from a seed (the same seed gives the same
 * district, byte for byte): about 40 schools on the NCES chart for FY2027, with a general fund
 * (100), Title I (fund 210, program 200) and special education (fund 220, program 200).
 *
 * - Sites: elementary, middle and high schools with plausible names, enrollments, English-learner,
 *   special-education and low-income counts; Title I where at least half the students are low-income.
 * - Staffing: job types with average salaries and two benefits packages.
 * - Formula: per-pupil and subgroup-weighted dollars, ratio and banded staffing, Title I per pupil
 *   for low-income students, special-education weights and speech-language staffing.
 * - Each school's sheet: positions matching its staffing (the first counselor paid from two
 *   accounts, 80/20) and non-personnel lines a little under its per-pupil dollars.
 * - A few deliberate mistakes, listed in `mistakes`: an unknown object code, a typographic dash, a
 *   site code of the wrong length, and an over-planned Title I allocation.
 * - Revenues by source (local property taxes and interest, state aid as a rate × enrollment, federal
 *   Title I and special education restricted and estimated from their Formula rules), beginning
 *   fund balances, a 3% reserve policy for the general fund, and the assumptions of a three-year
 *   projection in which the general fund deficit-spends by the third year.
 * - About a dozen budget-change proposals with a rubric, three reviewers' scores, community input
 *   and two scenarios (proposals.ts).
 *
 * Pure: no I/O, no clock. The demo command writes it into a workbook.
 */
import {
  BENEFITS_TABLE,
  indexOfColumn,
  FORMULA_TABLE,
  headerOf,
  JOB_TYPES_TABLE,
  ROLES_TABLE,
  rowOf,
  SITE_TABLE,
  SITES_TABLE,
  type CellValue,
  type ColumnKey,
} from '../../core';
import { proposalTables, type DemoProposalTables } from './proposals';

export interface DemoOptions {
  /** Number of schools (default 40). */
  readonly schools?: number;
  /** Seed of the generator (default 2027). */
  readonly seed?: number;
}

export interface DemoSite {
  readonly code: string;
  readonly name: string;
  readonly band: 'Elementary' | 'Middle' | 'High';
  readonly enrollment: number;
  readonly titleI: boolean;
  /** Title I per-pupil dollars (0 when not Title I). */
  readonly titleIDollars: number;
  /** The principal, who builds the site's budget. */
  readonly principal: string;
  /** Rows of the site sheet in SITE_TABLE order, without the header. */
  readonly rows: CellValue[][];
}

export interface DemoMistake {
  readonly site: string;
  readonly sheet: string;
  /** The cell of the mistake (row 1 is the header). */
  readonly cell: string;
  readonly what: string;
  /** What the principal types to correct it, when the mistake stops the school's submission. */
  readonly fix?: CellValue;
}

export interface DemoDistrict {
  readonly district: string;
  readonly fiscalYear: number;
  /** Setup rows besides what a new workbook has. */
  readonly settings: readonly (readonly [string, CellValue])[];
  /** Tables with their header rows. */
  readonly tables: {
    readonly sites: CellValue[][];
    readonly jobTypes: CellValue[][];
    readonly benefits: CellValue[][];
    readonly formula: CellValue[][];
    readonly roles: CellValue[][];
    readonly revenues: CellValue[][];
    readonly fundBalances: CellValue[][];
    readonly assumptions: CellValue[][];
  } & DemoProposalTables;
  readonly sites: readonly DemoSite[];
  readonly people: { readonly cfo: string; readonly approver: string };
  readonly mistakes: readonly DemoMistake[];
}

/** mulberry32: small, fast, deterministic (the benchmarks use it too). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  'Lincoln',
  'Washington',
  'Jefferson',
  'Roosevelt',
  'Franklin',
  'Madison',
  'Adams',
  'Jackson',
  'Hamilton',
  'Kennedy',
  'Garfield',
  'Grant',
  'Hawthorne',
  'Emerson',
  'Whittier',
  'Longfellow',
  'Riverside',
  'Lakeview',
  'Hillcrest',
  'Oak Grove',
  'Maple Ridge',
  'Cedar Park',
  'Pine Valley',
  'Willow Creek',
  'Sunnyside',
  'Meadowbrook',
  'Fairview',
  'Highland',
  'Westwood',
  'Eastside',
  'Northgate',
  'Southview',
  'Brookside',
  'Parkway',
  'Valley View',
  'Mountain View',
  'Harbor',
  'Prairie Wind',
  'Stonebridge',
  'Cottonwood',
  'Sequoia',
  'Bayside',
  'Glenwood',
  'Ridgecrest',
  'Clearwater',
  'Silver Lake',
  'Foothill',
  'Canyon',
  'Mesa Verde',
  'Pioneer',
] as const;

const FIRST = [
  'Maria',
  'James',
  'Aisha',
  'Daniel',
  'Mei',
  'Carlos',
  'Sarah',
  'Kwame',
  'Priya',
  'Robert',
  'Elena',
  'Thomas',
  'Fatima',
  'David',
  'Grace',
  'Luis',
  'Hannah',
  'Omar',
  'Julia',
  'Samuel',
] as const;
const LAST = [
  'Ortiz',
  'Chen',
  'Johnson',
  'Nguyen',
  'Patel',
  'Garcia',
  'Williams',
  'Kim',
  'Okafor',
  'Rossi',
  'Hernandez',
  'Brown',
  'Cohen',
  'Silva',
  'Murphy',
  'Tanaka',
  'Lopez',
  'Davis',
  'Singh',
  'Moore',
] as const;

/** Job types: code, title, average salary, benefits package, account (fund-function-object-program). */
const JOBS = {
  'TCH-E': ['Elementary teacher', 58_400, 'CERT', '100-1000-111-100'],
  'TCH-S': ['Secondary teacher', 61_200, 'CERT', '100-1000-111-100'],
  AIDE: ['Instructional aide', 28_900, 'CLASS', '100-1000-112-100'],
  PRIN: ['Principal', 112_000, 'ADMIN', '100-2410-110-100'],
  AP: ['Assistant principal', 94_500, 'ADMIN', '100-2410-110-100'],
  CNS: ['Counselor', 64_000, 'CERT', '100-2120-110-100'],
  LIB: ['Librarian', 60_500, 'CERT', '100-2220-110-100'],
  SEC: ['School secretary', 42_300, 'CLASS', '100-2410-110-100'],
  CUST: ['Custodian', 38_600, 'CLASS', '100-2610-110-100'],
  INTV: ['Title I reading interventionist', 60_000, 'CERT', '210-1000-111-200'],
  SPED: ['Special education teacher', 63_000, 'CERT', '220-1000-111-200'],
  SLP: ['Speech-language pathologist', 71_500, 'CERT', '220-2150-110-200'],
} as const satisfies Record<string, readonly [string, number, string, string]>;
type Job = keyof typeof JOBS;

/** The bargaining unit of each benefits package's staff: teachers, classified staff, administrators. */
const UNITS: Readonly<Record<string, string>> = { CERT: 'CVTA', CLASS: 'CSEA', ADMIN: 'CVAA' };

const BENEFITS: readonly (readonly CellValue[])[] = [
  ['CERT', 'Social security and Medicare', 0.0765, null],
  ['CERT', 'Teacher retirement', 0.12, null],
  ['CERT', 'Health insurance', null, 11_400],
  ['CLASS', 'Social security and Medicare', 0.0765, null],
  ['CLASS', 'Employee retirement', 0.085, null],
  ['CLASS', 'Health insurance', null, 11_400],
  ['ADMIN', 'Social security and Medicare', 0.0765, null],
  ['ADMIN', 'Administrator retirement', 0.13, null],
  ['ADMIN', 'Health insurance', null, 12_600],
];

const PER_PUPIL = 185;
const EL_WEIGHT = 0.4;
const TITLE_I_PER_PUPIL = 465;
const SPED_PER_PUPIL = 320;

/** The Formula table's rules, by column key (core/workbook/schema.ts FORMULA_TABLE). */
const FORMULA: readonly Partial<Record<ColumnKey<typeof FORMULA_TABLE>, CellValue>>[] = [
  {
    id: 'GEN-PP',
    type: 'per pupil',
    source: 'General',
    sourceType: 'local',
    appliesTo: 'all',
    basis: 'enrollment',
    amount: PER_PUPIL,
    fixed: 'fund=100',
    note: 'Supplies, books, services',
  },
  {
    id: 'GEN-EL',
    type: 'weighted',
    source: 'General',
    sourceType: 'local',
    appliesTo: 'all',
    basis: 'English learners',
    amount: PER_PUPIL,
    weight: EL_WEIGHT,
    fixed: 'fund=100',
    note: 'English-learner weight',
  },
  {
    id: 'GEN-TCH-E',
    type: 'ratio staffing',
    source: 'General',
    sourceType: 'local',
    appliesTo: 'elementary',
    basis: 'enrollment',
    ratio: 22,
    rounding: 'up',
    step: 0.5,
    jobType: 'TCH-E',
    fixed: 'fund=100',
  },
  {
    id: 'GEN-TCH-M',
    type: 'ratio staffing',
    source: 'General',
    sourceType: 'local',
    appliesTo: 'middle',
    basis: 'enrollment',
    ratio: 26,
    rounding: 'up',
    step: 0.5,
    jobType: 'TCH-S',
    fixed: 'fund=100',
  },
  {
    id: 'GEN-TCH-H',
    type: 'ratio staffing',
    source: 'General',
    sourceType: 'local',
    appliesTo: 'high',
    basis: 'enrollment',
    ratio: 28,
    rounding: 'up',
    step: 0.5,
    jobType: 'TCH-S',
    fixed: 'fund=100',
  },
  {
    id: 'GEN-PRIN',
    type: 'fixed staffing',
    source: 'General',
    sourceType: 'local',
    appliesTo: 'all',
    fte: 1,
    jobType: 'PRIN',
    fixed: 'fund=100',
  },
  {
    id: 'GEN-SEC',
    type: 'fixed staffing',
    source: 'General',
    sourceType: 'local',
    appliesTo: 'all',
    fte: 1,
    jobType: 'SEC',
    fixed: 'fund=100',
  },
  {
    id: 'GEN-CNS',
    type: 'banded staffing',
    source: 'General',
    sourceType: 'local',
    appliesTo: 'all',
    basis: 'enrollment',
    bands: '0-399: 0.5; 400-799: 1; 800-1199: 2; 1200+: 3',
    jobType: 'CNS',
    fixed: 'fund=100',
  },
  {
    id: 'T1-PP',
    type: 'per pupil',
    source: 'Title I',
    sourceType: 'federal',
    appliesTo: 'Title I',
    basis: 'low income',
    amount: TITLE_I_PER_PUPIL,
    fixed: 'fund=210; program=200',
    note: 'ESEA Title I, Part A',
  },
  {
    id: 'T1-INTV',
    type: 'fixed staffing',
    source: 'Title I',
    sourceType: 'federal',
    appliesTo: 'Title I',
    fte: 1,
    jobType: 'INTV',
    fixed: 'fund=210; program=200',
    note: 'Reading interventionist',
  },
  {
    id: 'SPED-W',
    type: 'per pupil',
    source: 'Special education',
    sourceType: 'federal',
    appliesTo: 'all',
    basis: 'special education',
    amount: SPED_PER_PUPIL,
    fixed: 'fund=220; program=200',
    note: 'IDEA, Part B',
  },
  {
    id: 'SPED-SLP',
    type: 'ratio staffing',
    source: 'Special education',
    sourceType: 'federal',
    appliesTo: 'all',
    basis: 'special education',
    ratio: 60,
    rounding: 'up',
    step: 0.1,
    jobType: 'SLP',
    fixed: 'fund=220; program=200',
  },
];

const roundUp = (x: number, step: number): number => Math.ceil(x / step - 1e-9) * step;
const cents = (x: number): number => Math.round(x * 100) / 100;

function bandFte(n: number): number {
  return n < 400 ? 0.5 : n < 800 ? 1 : n < 1200 ? 2 : 3;
}

const COL = {
  account: indexOfColumn(SITE_TABLE, 'account'),
  quantity: indexOfColumn(SITE_TABLE, 'quantity'),
  amount: indexOfColumn(SITE_TABLE, 'amount'),
  type: indexOfColumn(SITE_TABLE, 'type'),
  fte: indexOfColumn(SITE_TABLE, 'fte'),
  jobType: indexOfColumn(SITE_TABLE, 'jobType'),
};

/** Position rows of at most 1.0 FTE each (one row per person). */
function positions(job: Job, fte: number, site: string): CellValue[][] {
  const out: CellValue[][] = [];
  let left = Math.round(fte * 1000);
  while (left > 0) {
    const one = Math.min(1000, left);
    out.push(position(job, one / 1000, site));
    left -= one;
  }
  return out;
}

function position(
  job: Job,
  fte: number,
  site: string,
  extra: { employee?: string; id?: string } = {},
): CellValue[] {
  const [, , , account] = JOBS[job];
  return rowOf(SITE_TABLE, {
    type: 'Position',
    account: `${account}-${site}`,
    description: JOBS[job][0],
    jobType: job,
    fte: Math.round(fte * 1000) / 1000,
    percent: 1,
    ...(extra.employee ? { employee: extra.employee } : {}),
    ...(extra.id ? { hrId: extra.id } : {}),
  });
}

/** A position row's funding split: `share` stays on its account, the rest goes to `account2`. */
function splitFunding(row: CellValue[], share: number, account2: string): void {
  row[indexOfColumn(SITE_TABLE, 'percent')] = share;
  row[indexOfColumn(SITE_TABLE, 'account2')] = account2;
  row[indexOfColumn(SITE_TABLE, 'percent2')] = Math.round((1 - share) * 100) / 100;
}

function line(
  account: string,
  description: string,
  qty: number | null,
  unit: number | null,
  amount: number,
  oneTime = false,
): CellValue[] {
  return rowOf(SITE_TABLE, {
    type: 'Line',
    account: account,
    description: description,
    quantity: qty,
    unitCost: unit,
    amount: cents(amount),
    oneTime: oneTime ? 'Yes' : 'No',
  });
}

/** General-fund revenue per pupil: property taxes and interest (typed); state aid is rate × enrollment. */
const TAXES_PER_PUPIL = 1_520;
const INTEREST_PER_PUPIL = 30;

/** A position's yearly cost at its job type's average salary and benefits package. */
function positionCost(job: Job): number {
  const [, salary, pkg] = JOBS[job];
  const mine = BENEFITS.filter((b) => b[0] === pkg);
  const rate = mine.reduce((n, b) => n + (typeof b[2] === 'number' ? b[2] : 0), 0);
  const amount = mine.reduce((n, b) => n + (typeof b[3] === 'number' ? b[3] : 0), 0);
  return salary * (1 + rate) + amount;
}

/** What the schools plan to spend from the general fund (fund 100): positions and lines. */
function generalFundSpending(sites: readonly DemoSite[]): number {
  let total = 0;
  for (const s of sites)
    for (const r of s.rows) {
      if (!String(r[COL.account]).startsWith('100-')) continue;
      if (r[COL.type] === 'Position') total += (r[COL.fte] as number) * positionCost(r[COL.jobType] as Job);
      else total += r[COL.amount] as number;
    }
  return total;
}

/**
 * Revenues, beginning fund balances and the projection's assumptions for a district of `enrollment`
 * whose schools plan `spending` from the general fund: the state aid rate is set so that the budget
 * year ends about 1.5% ahead, which payroll growth above the funding rate turns into deficit spending
 * in the years after.
 */
function fundTables(
  enrollment: number,
  spending: number,
): Pick<DemoDistrict['tables'], 'revenues' | 'fundBalances' | 'assumptions'> {
  const round = (x: number): number => Math.round(x / 1000) * 1000;
  const STATE_AID_PER_PUPIL = Math.round(
    (spending * 1.015 - round(enrollment * TAXES_PER_PUPIL) - round(enrollment * INTEREST_PER_PUPIL)) /
      enrollment,
  );
  const header = [
    'Fund',
    'Source',
    'Description',
    'Restricted',
    'Prior year actual',
    'Basis',
    'Rate',
    'Count',
    'Rule',
    'Estimate',
    'Notes',
  ];
  const typed = (
    fund: string,
    source: string,
    what: string,
    prior: number,
    estimate: number,
  ): CellValue[] => [fund, source, what, 'No', prior, 'typed', null, null, null, estimate, null];
  const rule = (fund: string, what: string, r: string): CellValue[] => [
    fund,
    '4500',
    what,
    'Yes',
    null,
    'Formula rule',
    null,
    null,
    r,
    null,
    'restricted: spent only on the program',
  ];
  return {
    revenues: [
      header,
      typed(
        '100',
        '1100',
        'Property taxes',
        round(enrollment * TAXES_PER_PUPIL * 0.97),
        round(enrollment * TAXES_PER_PUPIL),
      ),
      typed(
        '100',
        '1500',
        'Earnings on investments',
        round(enrollment * INTEREST_PER_PUPIL * 1.2),
        round(enrollment * INTEREST_PER_PUPIL),
      ),
      [
        '100',
        '3100',
        'State aid (foundation program)',
        'No',
        round(enrollment * STATE_AID_PER_PUPIL * 0.98),
        'rate × enrollment',
        STATE_AID_PER_PUPIL,
        null,
        null,
        null,
        'Count blank: the Sites enrollment',
      ],
      rule('210', 'ESEA Title I, Part A', 'T1-PP, T1-INTV'),
      rule('220', 'IDEA, Part B (special education)', 'SPED-W, SPED-SLP'),
    ],
    fundBalances: [
      ['Fund', 'Name', 'Beginning balance', 'Notes'],
      ['100', 'General Fund', round(spending * 0.13), 'unaudited actuals of the prior year'],
      ['210', 'Title I', 0, 'restricted grants carry no balance'],
      ['220', 'Special education', 0, 'restricted grants carry no balance'],
    ],
    assumptions: [
      ['Year', 'Assumption', 'Fund', 'Applies to', 'Value', 'Notes'],
      [null, 'Enrollment change', null, null, '-1.5%', 'declining kindergarten cohorts'],
      [1, 'COLA', null, null, '2.2%', 'state funding rate'],
      [2, 'COLA', null, null, '1.0%', 'state funding rate'],
      [null, 'Step and column', '100', '110-199', '1.5%', 'position costs include their benefits'],
      [1, 'Salary increase', '100', '110-199', '2.5%', 'negotiated agreement, year 1'],
      [2, 'Salary increase', '100', '110-199', '2%', 'negotiated agreement, year 2'],
      [2, 'Contract change', '100', '510', 350_000, 'new student transportation contract'],
    ],
  };
}

export function generateDemo(options: DemoOptions = {}): DemoDistrict {
  const n = Math.max(4, Math.min(NAMES.length, options.schools ?? 40));
  const r = rng(options.seed ?? 2027);
  const between = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const person = (): string => `${pick(FIRST)} ${pick(LAST)}`;
  const email = (name: string, i: number): string =>
    `${name
      .toLowerCase()
      .replace(/[^a-z ]/g, '')
      .replace(/ /g, '.')}${i}@cedarvalley.k12.us`;

  const nHigh = Math.max(1, Math.round(n * 0.1));
  const nMiddle = Math.max(1, Math.round(n * 0.2));
  const nElem = n - nHigh - nMiddle;
  const names = [...NAMES].sort(() => r() - 0.5);

  const sitesTable: CellValue[][] = [headerOf(SITES_TABLE)];
  const rolesTable: CellValue[][] = [headerOf(ROLES_TABLE)];
  const cfo = 'cfo@cedarvalley.k12.us';
  const approver = 'budget.office@cedarvalley.k12.us';
  rolesTable.push([cfo, 'cfo', 'all'], [approver, 'approver', 'all']);

  const sites: DemoSite[] = [];
  for (let i = 0; i < n; i++) {
    const band = i < nElem ? 'Elementary' : i < nElem + nMiddle ? 'Middle' : 'High';
    const number =
      band === 'Elementary' ? 101 + i : band === 'Middle' ? 201 + i - nElem : 301 + i - nElem - nMiddle;
    const code = String(number).padStart(3, '0');
    const name = `${names[i] as string} ${band === 'Elementary' ? 'Elementary' : band === 'Middle' ? 'Middle School' : 'High School'}`;
    const enrollment =
      band === 'Elementary'
        ? between(260, 680)
        : band === 'Middle'
          ? between(520, 1050)
          : between(1100, 2300);
    const lowIncome = Math.round(enrollment * (0.15 + r() * 0.75));
    const el = Math.round(enrollment * (0.03 + r() * 0.25));
    const sped = Math.round(enrollment * (0.09 + r() * 0.08));
    const titleI = lowIncome / enrollment >= 0.5;
    const principal = person();
    const principalEmail = email(principal, number);
    rolesTable.push([principalEmail, 'builder', code]);

    const rows: CellValue[][] = [];
    // Positions: what the formula staffs, a named principal, and a few aides.
    const teacherJob: Job = band === 'Elementary' ? 'TCH-E' : 'TCH-S';
    const ratio = band === 'Elementary' ? 22 : band === 'Middle' ? 26 : 28;
    const teachers = roundUp(enrollment / ratio, 0.5);
    rows.push(position('PRIN', 1, code, { employee: principal, id: `P-${code}-001` }));
    rows.push(position('SEC', 1, code, { id: `P-${code}-002` }));
    rows.push(...positions('CNS', bandFte(enrollment), code));
    for (let t = 0; t < Math.floor(teachers); t++)
      rows.push(position(teacherJob, 1, code, { id: `P-${code}-${String(101 + t).padStart(3, '0')}` }));
    if (teachers % 1) rows.push(position(teacherJob, teachers % 1, code));
    const slp = roundUp(sped / 60, 0.1);
    rows.push(...positions('SLP', slp, code));
    if (titleI) rows.push(position('INTV', 1, code));
    // One position paid from two accounts: the first counselor, 80% guidance and 20% school
    // administration (testing coordination), so the sheet shows what each funding piece costs.
    const counselor = rows.find((x) => x[COL.jobType] === 'CNS');
    if (counselor) splitFunding(counselor, 0.8, `100-2410-110-100-${code}`);

    // Non-personnel lines: about 85–95% of the site's per-pupil dollars.
    const general = enrollment * PER_PUPIL + el * PER_PUPIL * EL_WEIGHT;
    const budget = general * (0.85 + r() * 0.1);
    const chromebooks = between(10, 40);
    const planned: CellValue[][] = [
      line(`100-1000-640-100-${code}`, 'Classroom library books', null, null, budget * 0.12),
      line(
        `100-1000-650-100-${code}`,
        'Chromebooks for a classroom cart',
        chromebooks,
        289,
        chromebooks * 289,
        true,
      ),
      line(`100-2213-330-100-${code}`, 'Staff training days', null, null, budget * 0.06),
      line(
        `100-2410-530-100-${code}`,
        'Telephone and postage',
        12,
        cents((budget * 0.03) / 12),
        12 * cents((budget * 0.03) / 12),
      ),
      line(`100-2610-430-100-${code}`, 'HVAC and building repairs', null, null, budget * 0.14),
      line(`100-2700-510-100-${code}`, 'Field trip buses', between(4, 12), 385, 0),
    ];
    const buses = planned[planned.length - 1] as CellValue[];
    buses[COL.amount] = cents((buses[COL.quantity] as number) * 385);
    const used = planned.reduce((s, l) => s + (l[COL.amount] as number), 0);
    planned.splice(
      0,
      0,
      line(`100-1000-610-100-${code}`, 'General classroom supplies', null, null, budget - used),
    );
    rows.push(...planned);

    const sp = sped * SPED_PER_PUPIL;
    rows.push(
      line(`220-1000-610-200-${code}`, 'Adaptive materials and assistive devices', null, null, sp * 0.6),
    );
    rows.push(line(`220-1000-320-200-${code}`, 'Contracted occupational therapy', null, null, sp * 0.35));
    if (titleI) {
      const t1 = lowIncome * TITLE_I_PER_PUPIL;
      rows.push(line(`210-1000-610-200-${code}`, 'Reading intervention materials', null, null, t1 * 0.25));
      rows.push(line(`210-2213-330-200-${code}`, 'Literacy coaching for teachers', null, null, t1 * 0.15));
      rows.push(
        line(`210-1000-650-200-${code}`, 'Reading software licences', enrollment, 4.5, enrollment * 4.5),
      );
    }
    sites.push({
      code,
      name,
      band,
      enrollment,
      titleI,
      titleIDollars: titleI ? lowIncome * TITLE_I_PER_PUPIL : 0,
      principal: principalEmail,
      rows,
    });
    sitesTable.push(
      rowOf(SITES_TABLE, {
        code,
        name,
        enrollment,
        el,
        sped,
        lowIncome,
        gradeBand: band,
        titleI: titleI ? 'Yes' : 'No',
        priorYear: cents(budget * 1.02 + sp),
      }),
    );
  }

  // Deliberate mistakes, each at a different school.
  const mistakes: DemoMistake[] = [];
  const cellOf = (site: DemoSite, rowIndex: number, column: ColumnKey<typeof SITE_TABLE>): string =>
    `${String.fromCharCode(65 + indexOfColumn(SITE_TABLE, column))}${rowIndex + 2}`;
  const lineRow = (site: DemoSite, account: RegExp): number =>
    site.rows.findIndex((x) => account.test(String(x[COL.account])));
  const at = (k: number): DemoSite => sites[Math.min(sites.length - 1, k)] as DemoSite;
  {
    const s = at(2);
    const i = lineRow(s, /^100-1000-640-/);
    const fix = (s.rows[i] as CellValue[])[COL.account];
    (s.rows[i] as CellValue[])[COL.account] = `100-1000-641-100-${s.code}`;
    mistakes.push({
      site: s.code,
      sheet: s.name,
      cell: cellOf(s, i, 'account'),
      what: 'unknown object code 641 (640 is books and periodicals)',
      fix,
    });
  }
  {
    const s = at(5);
    const i = lineRow(s, /^100-2213-330-/);
    (s.rows[i] as CellValue[])[COL.account] = `100\u20132213\u2013330\u2013100\u2013${s.code}`;
    mistakes.push({
      site: s.code,
      sheet: s.name,
      cell: cellOf(s, i, 'account'),
      what: 'typographic dashes pasted from e-mail',
    });
  }
  {
    const s = at(9);
    const i = lineRow(s, /^100-2700-510-/);
    const fix = (s.rows[i] as CellValue[])[COL.account];
    (s.rows[i] as CellValue[])[COL.account] = `100-2700-510-100-${Number(s.code)}0`;
    mistakes.push({
      site: s.code,
      sheet: s.name,
      cell: cellOf(s, i, 'account'),
      what: 'a four-digit site code',
      fix,
    });
  }
  {
    const s = sites.find((x, k) => k > 10 && x.titleI) ?? sites.find((x) => x.titleI) ?? at(0);
    // The school already plans 40% of its Title I dollars in lines (and the interventionist it is
    // staffed for): panels for 75% more put it about 15% over.
    const panels = Math.max(4, Math.ceil((s.titleIDollars * 0.75 - s.enrollment * 4.5) / 4_150));
    s.rows.push(
      line(
        `210-1000-730-200-${s.code}`,
        'Interactive panels for every classroom',
        panels,
        4_150,
        panels * 4_150,
        true,
      ),
    );
    mistakes.push({
      site: s.code,
      sheet: s.name,
      cell: cellOf(s, s.rows.length - 1, 'amount'),
      what: 'Title I over-planned: interactive panels beyond the allocation',
    });
  }

  const jobTypes: CellValue[][] = [headerOf(JOB_TYPES_TABLE)];
  for (const [code, [title, salary, pkg]] of Object.entries(JOBS))
    jobTypes.push([code, title, salary, pkg, UNITS[pkg]]);

  return {
    district: 'Cedar Valley Unified School District',
    fiscalYear: 2027,
    settings: [
      ['District ID', '057910'],
      ['Over-planning', 'warning'],
      ['FTE step', 0.1],
      ['Salary increase', '2.5%'],
      ['Reserve policy', '3%'],
      ['Reserve funds', '100'],
    ],
    tables: {
      sites: sitesTable,
      jobTypes,
      benefits: [headerOf(BENEFITS_TABLE), ...BENEFITS.map((b) => [...b])],
      formula: [headerOf(FORMULA_TABLE), ...FORMULA.map((f) => rowOf(FORMULA_TABLE, f))],
      roles: rolesTable,
      ...fundTables(
        sites.reduce((n, s) => n + s.enrollment, 0),
        generalFundSpending(sites),
      ),
      ...proposalTables(
        generalFundSpending(sites),
        {
          elementary: sites.filter((s) => s.band === 'Elementary').map((s) => s.code),
          middle: sites.filter((s) => s.band === 'Middle').map((s) => s.code),
          high: sites.filter((s) => s.band === 'High').map((s) => s.code),
        },
        // A generator of its own, so that the schools stay what they were for a seed.
        rng((options.seed ?? 2027) + 1),
      ),
    },
    sites,
    people: { cfo, approver },
    mistakes,
  };
}
