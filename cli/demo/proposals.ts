/**
 * The demo's budget-change proposals: about a dozen from schools and departments (a reading
 * curriculum, two more counselors, a transportation route, a security system, a cut in central-office
 * contracts, ...), sized against the general fund's spending so that some fit above the funding line
 * and some do not; a rubric of five weighted criteria; three reviewers' scores; community and board
 * input; and two scenarios. Pure and deterministic for a seed, like generate.ts.
 */
import {
  COMMUNITY_TABLE,
  formatsOf,
  headerOf,
  PROPOSALS_TABLE,
  ROLES_TABLE,
  RUBRIC_TABLE,
  rowOf,
  SCENARIOS_TABLE,
  SCORES_TABLE,
  siteSheetWrite,
  SITES_TABLE,
  type CellValue,
  type SheetWrite,
} from '../../core';

export interface DemoProposalTables {
  readonly proposals: CellValue[][];
  readonly rubric: CellValue[][];
  readonly scores: CellValue[][];
  readonly community: CellValue[][];
  readonly scenarios: CellValue[][];
}

/** The district office's site code (a department, not a school). */
export const DISTRICT_OFFICE = '900';

interface Idea {
  readonly title: string;
  readonly owner: string;
  /** The school (index into the schools by level) or the district office. */
  readonly at: 'elementary' | 'middle' | 'high' | 'office';
  readonly reduction?: boolean;
  readonly category: 'Student-facing' | 'Operational';
  readonly goal: string;
  readonly oneTime?: boolean;
  /** function-object */
  readonly charge: string;
  /** Budget-year amount as a share of the general fund's spending. */
  readonly share: number;
  /**
   * The budget-year amount itself, in place of `share`: for staff, what the Job Types and Benefits
   * tables price them at, so the funding line weighs what the budget will carry (else BL920).
   */
  readonly amount?: number;
  readonly fte?: number;
  readonly impact: string;
  readonly evidence: string;
  /** How strong reviewers think it is, 1–5 (scores scatter around it). */
  readonly merit: number;
  readonly status?: string;
  /** The job type of the staff it adds: accepted, its FTE becomes Position rows priced by Job Types. */
  readonly jobType?: string;
  /** The funding source whose allocation to the site it adds to (Allocations), when it changes one. */
  readonly source?: string;
}

const IDEAS: readonly Idea[] = [
  {
    title: 'K-3 reading curriculum',
    owner: 'Curriculum and instruction',
    at: 'elementary',
    category: 'Student-facing',
    goal: 'Early literacy',
    oneTime: true,
    charge: '1000-640',
    share: 0.012,
    // The school's General allocation grows by the curriculum's cost: an Allocations row once accepted.
    source: 'General',
    impact: 'Third-grade reading proficiency up 8 points in 3 years',
    evidence: 'What Works Clearinghouse: strong evidence (structured literacy)',
    merit: 4.6,
  },
  {
    title: 'Two more counselors',
    owner: 'Student services',
    at: 'middle',
    category: 'Student-facing',
    goal: 'Student well-being',
    charge: '2120-110',
    share: 0.009,
    // Two counselors (CNS, $64,000.00 average salary) with the CERT package, as the staffing rules
    // price them: accepted, the budget carries exactly this (a difference would be BL920).
    amount: 175_952,
    fte: 2,
    // Two Position rows once accepted, priced by the Job Types table (the decision says the difference).
    jobType: 'CNS',
    impact: 'Counselor ratio from 1:480 to 1:320; fewer chronic absences',
    evidence: 'ASCA ratio study; district absence data',
    merit: 4.3,
  },
  {
    title: 'New transportation route (east side)',
    owner: 'Transportation',
    at: 'office',
    category: 'Operational',
    goal: 'Access and attendance',
    charge: '2700-510',
    share: 0.006,
    impact: '140 students no longer walk 2+ miles',
    evidence: 'Route study, fall 2026',
    merit: 3.6,
  },
  {
    title: 'Security system at the central office',
    owner: 'Operations',
    at: 'office',
    category: 'Operational',
    goal: 'Safe facilities',
    oneTime: true,
    charge: '2660-730',
    share: 0.009,
    impact: 'Badge access and cameras at the district office',
    evidence: 'Insurance carrier risk assessment',
    merit: 3.1,
  },
  {
    title: 'Cut central-office consulting contracts',
    owner: 'Business office',
    at: 'office',
    reduction: true,
    category: 'Operational',
    goal: 'Fiscal sustainability',
    charge: '2300-330',
    share: 0.005,
    impact: 'Work brought in-house; no school-facing change',
    evidence: 'Contract review 2026',
    merit: 4.4,
  },
  {
    title: 'Math interventionists',
    owner: 'Curriculum and instruction',
    at: 'elementary',
    category: 'Student-facing',
    goal: 'Math achievement',
    charge: '1000-111',
    share: 0.01,
    fte: 2,
    impact: 'Tier 2 math for 200 students',
    evidence: 'District pilot: +0.2 SD on interim assessments',
    merit: 4.1,
  },
  {
    title: 'Classroom Chromebooks refresh',
    owner: 'Technology',
    at: 'middle',
    category: 'Student-facing',
    goal: 'Modern classrooms',
    oneTime: true,
    charge: '1000-730',
    share: 0.015,
    impact: 'Replace 5-year-old devices',
    evidence: 'Device failure rate 22%',
    merit: 3.2,
  },
  {
    title: 'Summer bridge program',
    owner: 'High school',
    at: 'high',
    category: 'Student-facing',
    goal: 'Graduation',
    charge: '1000-610',
    share: 0.004,
    impact: 'Ninth-grade on-track rate up',
    evidence: 'Two-year pilot results',
    merit: 3.8,
  },
  {
    title: 'Reduce custodial overtime',
    owner: 'Operations',
    at: 'office',
    reduction: true,
    category: 'Operational',
    goal: 'Fiscal sustainability',
    charge: '2610-110',
    share: 0.003,
    impact: 'Shift schedules instead of overtime',
    evidence: 'Payroll overtime report',
    merit: 3.9,
  },
  {
    title: 'Instructional coaching',
    owner: 'Curriculum and instruction',
    at: 'office',
    category: 'Student-facing',
    goal: 'Teacher effectiveness',
    charge: '2213-330',
    share: 0.008,
    impact: 'A coach for every new teacher',
    evidence: 'Kraft et al. meta-analysis of coaching',
    merit: 3.5,
  },
  {
    title: 'HVAC controls upgrade',
    owner: 'Operations',
    at: 'office',
    category: 'Operational',
    goal: 'Safe facilities',
    oneTime: true,
    charge: '2600-730',
    share: 0.014,
    impact: 'Energy savings and fewer classroom closures',
    evidence: 'Energy audit',
    merit: 2.9,
  },
  {
    title: 'Dual-language pilot',
    owner: 'Elementary school',
    at: 'elementary',
    category: 'Student-facing',
    goal: 'English learners',
    charge: '1000-111',
    share: 0.007,
    fte: 1,
    impact: 'One kindergarten dual-language strand',
    evidence: 'Collier & Thomas longitudinal studies',
    merit: 3.4,
    status: 'Under review',
  },
];

const CRITERIA: readonly [string, string, string][] = [
  ['Impact on students', '35%', 'How much it will help student achievement or well-being'],
  ['Strategic alignment', '20%', "How closely it serves the district's strategic goals"],
  ['Cost per student', '15%', 'Value for money (5: low cost per student reached)'],
  ['Urgency or risk', '15%', 'What happens if it waits a year'],
  ['Equity', '15%', 'How much it serves the students who need the most'],
];

const REVIEWERS = [
  'chief.academic@cedarvalley.k12.us',
  'cfo@cedarvalley.k12.us',
  'board.liaison@cedarvalley.k12.us',
];

/** `spending`: the general fund's budget-year spending; `schools`: site codes by level. */
export function proposalTables(
  spending: number,
  schools: {
    readonly elementary: readonly string[];
    readonly middle: readonly string[];
    readonly high: readonly string[];
  },
  random: () => number,
): DemoProposalTables {
  const round = (x: number): number => Math.round(x / 1000) * 1000;
  const siteOf = (idea: Idea, i: number): string => {
    if (idea.at === 'office') return DISTRICT_OFFICE;
    const list = schools[idea.at];
    return list[i % list.length] ?? DISTRICT_OFFICE;
  };
  const proposals: CellValue[][] = [headerOf(PROPOSALS_TABLE)];
  const scores: CellValue[][] = [headerOf(SCORES_TABLE, ['proposal', 'reviewer', 'criterion', 'score'])];
  const community: CellValue[][] = [headerOf(COMMUNITY_TABLE)];
  IDEAS.forEach((idea, i) => {
    const id = `P-${String(i + 1).padStart(2, '0')}`;
    const site = siteOf(idea, i);
    const y1 = idea.amount ?? round(spending * idea.share);
    proposals.push(
      rowOf(PROPOSALS_TABLE, {
        id,
        title: idea.title,
        owner: idea.owner,
        site: site === DISTRICT_OFFICE ? null : site,
        type: idea.reduction ? 'Reduction' : 'Addition',
        category: idea.category,
        goal: idea.goal,
        recurrence: idea.oneTime ? 'One-time' : 'Recurring',
        account: `100-${idea.charge}-100-${site}`,
        year1: y1,
        year2: idea.oneTime ? null : round(y1 * 1.03),
        year3: idea.oneTime ? null : round(y1 * 1.06),
        fte: idea.fte ?? null,
        impact: idea.impact,
        evidence: idea.evidence,
        status: idea.status ?? 'Submitted',
        jobType: idea.jobType ?? null,
        source: idea.source ?? null,
      }),
    );
    for (const reviewer of REVIEWERS)
      for (const [criterion] of CRITERIA) {
        const s = Math.round(idea.merit + (random() - 0.5) * 2);
        scores.push([id, reviewer, criterion, Math.max(1, Math.min(5, s))]);
      }
    const people = Math.round(40 + random() * 260);
    const support = Math.round(people * (idea.merit / 5) * (0.8 + random() * 0.2));
    community.push(
      rowOf(COMMUNITY_TABLE, {
        proposal: id,
        source: 'Community survey',
        support,
        oppose: people - support,
        summary: idea.reduction
          ? 'Most agree if schools are not affected'
          : 'Parents and staff mostly in favour',
      }),
    );
    if (i % 3 === 0)
      community.push(
        rowOf(COMMUNITY_TABLE, {
          proposal: id,
          source: 'Board work session',
          support: Math.round(random() * 5),
          oppose: Math.round(random() * 2),
          summary: 'Board asked for outcome measures',
          link: `https://cedarvalley.k12.us/board/2027/${id.toLowerCase()}`,
        }),
      );
  });
  return {
    proposals,
    rubric: [headerOf(RUBRIC_TABLE), ...CRITERIA.map(([c, w, d]) => [c, w, d])],
    scores,
    community,
    scenarios: [
      headerOf(SCENARIOS_TABLE),
      rowOf(SCENARIOS_TABLE, {
        scenario: 'Without accepted proposals',
        change: 'Accepted proposals',
        value: 'off',
        notes: 'the budget as it was before leadership accepted any proposal',
      }),
      rowOf(SCENARIOS_TABLE, {
        scenario: 'Lean year',
        change: 'Accepted proposals',
        value: 'on',
        notes: 'the same proposals in a leaner year',
      }),
      rowOf(SCENARIOS_TABLE, { scenario: 'Lean year', change: 'Enrollment change', value: '-3%' }),
      rowOf(SCENARIOS_TABLE, { scenario: 'Lean year', change: 'Funding-rate change', value: '-1%' }),
      rowOf(SCENARIOS_TABLE, {
        scenario: 'Lean year',
        change: 'Salary increase',
        fund: '100',
        appliesTo: '110-199',
        value: '1%',
        notes: 'a smaller raise on top of the agreement',
      }),
      rowOf(SCENARIOS_TABLE, {
        scenario: 'Lean year',
        change: 'One-time cut',
        appliesTo: `100-2300-330-100-${DISTRICT_OFFICE}`,
        value: round(spending * 0.002),
        notes: 'postpone the strategic-plan consultant',
      }),
    ],
  };
}

/** The district office as a budget unit (site 900): where district-wide proposals' lines go. */
export const OFFICE = {
  code: DISTRICT_OFFICE,
  name: 'District Office',
  builder: 'business.office@cedarvalley.k12.us',
} as const;

/**
 * The writes that add the district office to the Sites table (no students), its empty sheet and its
 * builder in Roles, below the rows there: `sites` and `roles` are those sheets as they are.
 */
export function officeWrites(
  sites: readonly (readonly CellValue[])[],
  roles: readonly (readonly CellValue[])[],
): SheetWrite[] {
  return [
    {
      sheet: SITES_TABLE.sheet,
      at: `A${sites.length + 1}`,
      values: [
        rowOf(SITES_TABLE, {
          code: OFFICE.code,
          name: OFFICE.name,
          enrollment: 0,
          el: 0,
          sped: 0,
          lowIncome: 0,
          titleI: 'No',
        }),
      ],
      columnFormats: formatsOf(SITES_TABLE) ?? [],
    },
    {
      sheet: ROLES_TABLE.sheet,
      at: `A${roles.length + 1}`,
      values: [rowOf(ROLES_TABLE, { email: OFFICE.builder, role: 'builder', sites: OFFICE.code })],
    },
    siteSheetWrite(OFFICE.name, []),
  ];
}
