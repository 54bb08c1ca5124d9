/**
 * One declaration per workbook table: each column's key, header, synonyms, whether it is required and
 * the number format a new sheet gives it. Everything else is derived from these declarations: the
 * header rows and formats of a new workbook (create.ts), the readers' column specs (core/budget,
 * core/allocations, core/approval/roles, read.ts), the demo and the test fixtures. A column is added
 * here, in one place.
 *
 * Declaration order is header order. The chart's own tables (Segments, Codes, Rules, Combinations,
 * Classes, Explanations) are declared with the chart loader (core/accounts/chart-load.ts).
 */
import { AUDIT_COLUMNS, type AuditEntry } from '../approval/audit';
import type { CellValue } from '../cells';
import { normalizeHeader, type ColumnSpec } from '../tables';

/** The fixed sheet names of the district workbook. */
export const SHEETS = {
  setup: 'Setup',
  segments: 'Segments',
  codes: 'Codes',
  rules: 'Rules',
  combinations: 'Combinations',
  classes: 'Classes',
  explanations: 'Explanations',
  sites: 'Sites',
  jobTypes: 'Job Types',
  benefits: 'Benefits',
  formula: 'Formula',
  allocations: 'Allocations',
  roles: 'Roles',
  revenues: 'Revenues',
  fundBalances: 'Fund Balances',
  assumptions: 'Assumptions',
  proposals: 'Proposals',
  proposalLines: 'Proposal Lines',
  categories: 'Proposal Categories',
  rubric: 'Rubric',
  scores: 'Scores',
  community: 'Community Input',
  scenarios: 'Scenarios',
  actuals: 'Actuals',
  forecastMethods: 'Forecast Methods',
  costChanges: 'Cost Changes',
  audit: 'Audit',
  approved: 'Approved Lines',
  submitted: 'Submitted Lines',
  adopted: 'Adopted Budget',
  adoptedRevenues: 'Adopted Revenues',
  amendments: 'Amendments',
  master: 'Master Budget',
} as const;

/** Number formats a new sheet gives its columns. */
export const FORMATS = {
  text: '@',
  money: '#,##0.00',
  count: '#,##0',
  quantity: '#,##0.###',
  fte: '0.000',
  percent: '0.00%',
  integer: '0',
} as const;

export interface ColumnDecl extends ColumnSpec {
  /** The number format of the column in a new sheet; absent: General. */
  readonly format?: string;
  /**
   * Written by Budgetline on each validation and never read as input (its header says "computed"):
   * a value typed there is replaced, with a finding naming what it was (BL430).
   */
  readonly computed?: true;
}

export interface TableDecl<K extends string = string> {
  /** The sheet the table is on (a site's sheet for the site table). */
  readonly sheet: string;
  /** The table's name in findings ("the Sites table has no Enrollment column"). */
  readonly table: string;
  /** The columns, in header order. */
  readonly columns: Readonly<Record<K, ColumnDecl>>;
}

/** The keys of a declaration's columns. */
export type ColumnKey<T> = T extends TableDecl<infer K> ? K : never;

/** The header names of a declaration's columns (literal when declared with `declareTable`). */
export type HeaderName<T extends TableDecl> = T['columns'][keyof T['columns']]['header'];

/** A declaration that keeps its columns' literal types (their keys and header names). */
const declareTable = <const C extends Record<string, ColumnDecl>>(
  sheet: string,
  table: string,
  columns: C,
): TableDecl<keyof C & string> & { readonly columns: C } => ({ sheet, table, columns });

const { text: TEXT, money: MONEY, count: COUNT } = FORMATS;

export const SETUP_TABLE = declareTable(SHEETS.setup, 'Setup', {
  setting: { header: 'Setting', synonyms: ['Name', 'Key'], required: true, format: TEXT },
  value: { header: 'Value', required: true },
});

export const SITES_TABLE = declareTable(SHEETS.sites, 'Sites', {
  code: {
    header: 'Site',
    synonyms: ['Site code', 'Campus', 'Organization', 'School code', 'Code'],
    required: true,
    format: TEXT,
  },
  name: { header: 'Name', synonyms: ['Site name', 'School', 'Campus name'], format: TEXT },
  /** The site's sheet; blank → the site's name, else its code. */
  sheet: { header: 'Sheet', synonyms: ['Sheet name', 'Tab'], format: TEXT },
  enrollment: { header: 'Enrollment', synonyms: ['Students', 'Membership'], required: true, format: COUNT },
  el: { header: 'English learners', synonyms: ['EL', 'ELL', 'LEP', 'Emergent bilingual'], format: COUNT },
  sped: {
    header: 'Special education',
    synonyms: ['SPED', 'SpEd', 'Students with disabilities', 'SWD'],
    format: COUNT,
  },
  lowIncome: {
    header: 'Low income',
    synonyms: ['Economically disadvantaged', 'FRL', 'Free and reduced'],
    format: COUNT,
  },
  gradeBand: { header: 'Grade band', synonyms: ['Level', 'Grade span', 'School level'], format: TEXT },
  titleI: { header: 'Title I', synonyms: ['Title 1', 'TitleI'], format: TEXT },
  priorYear: {
    header: 'Prior year budget',
    synonyms: ['Prior year', 'Last year budget', 'Last year'],
    format: MONEY,
  },
});

export const JOB_TYPES_TABLE = declareTable(SHEETS.jobTypes, 'Job Types', {
  code: { header: 'Code', synonyms: ['Job type', 'Job code', 'Job'], required: true, format: TEXT },
  title: { header: 'Title', synonyms: ['Job title', 'Name', 'Description'], format: TEXT },
  salary: {
    header: 'Average salary',
    synonyms: ['Avg salary', 'Salary', 'Average'],
    required: true,
    format: MONEY,
  },
  benefits: { header: 'Benefits package', synonyms: ['Benefits', 'Package'], required: true, format: TEXT },
  /** The bargaining unit whose agreement sets the job's pay (CTA, CSEA …): what a raise applies to. */
  unit: {
    header: 'Bargaining unit',
    synonyms: ['Union', 'Unit', 'Employee group', 'Bargaining group'],
    format: TEXT,
  },
});

export const BENEFITS_TABLE = declareTable(SHEETS.benefits, 'Benefits', {
  pkg: {
    header: 'Package',
    synonyms: ['Benefits package', 'Benefits', 'Plan'],
    required: true,
    format: TEXT,
  },
  name: { header: 'Benefit', synonyms: ['Item', 'Name', 'Description'], required: true, format: TEXT },
  rate: { header: 'Rate', synonyms: ['Percent', 'Rate %', '% of salary'], format: FORMATS.percent },
  perFte: { header: 'Amount per FTE', synonyms: ['Per FTE', 'Flat amount', 'Amount'], format: MONEY },
});

/**
 * The funding-formula rules (core/allocations/formulas.ts). Codes and lists are text, so a site typed
 * "001" stays "001"; the numbers (amount, weight, FTE, ratio, step, percent) keep General formats.
 */
export const FORMULA_TABLE = declareTable(SHEETS.formula, 'Formula rules', {
  id: { header: 'Rule', synonyms: ['Rule id', 'Name', 'Id'], required: true, format: TEXT },
  type: { header: 'Type', synonyms: ['Rule type', 'Method'], required: true, format: TEXT },
  source: { header: 'Source', synonyms: ['Funding source', 'Fund source'], required: true, format: TEXT },
  sourceType: { header: 'Source type', synonyms: ['Funding type'], format: TEXT },
  appliesTo: { header: 'Applies to', synonyms: ['Sites', 'Eligible', 'Schools'], format: TEXT },
  basis: { header: 'Basis', synonyms: ['Count', 'Per', 'Students'], format: TEXT },
  amount: { header: 'Amount', synonyms: ['Rate', 'Dollars', 'Per pupil'] },
  weight: { header: 'Weight', synonyms: ['Multiplier'] },
  fte: { header: 'FTE' },
  ratio: { header: 'Students per FTE', synonyms: ['Ratio', 'Students per position'] },
  rounding: { header: 'Rounding', synonyms: ['Round'], format: TEXT },
  step: { header: 'Step', synonyms: ['FTE step', 'Round to'] },
  bands: { header: 'Bands', synonyms: ['Enrollment bands'], format: TEXT },
  jobType: { header: 'Job type', synonyms: ['Job', 'Position'], format: TEXT },
  percent: { header: 'Percent', synonyms: ['%', 'Percentage'] },
  site: { header: 'Site', synonyms: ['Site code', 'Campus'], format: TEXT },
  fixed: { header: 'Fixed segments', synonyms: ['Segments', 'Charge to'], format: TEXT },
  allowedObjects: { header: 'Allowed objects', synonyms: ['Objects'], format: TEXT },
  allowedFunctions: { header: 'Allowed functions', synonyms: ['Functions'], format: TEXT },
  maxShare: { header: 'Max share', synonyms: ['Maximum share', 'Caps'], format: TEXT },
  locked: { header: 'Locked', synonyms: ['Lock'], format: TEXT },
  note: { header: 'Note', synonyms: ['Notes', 'Reason', 'Comment'], format: TEXT },
});

/** Allocations: rows with a Rule were computed by the Formula; rows without are typed by hand. */
export const ALLOCATIONS_TABLE = declareTable(SHEETS.allocations, 'Allocations', {
  id: { header: 'Allocation', synonyms: ['Allocation id', 'Id', 'Name'], format: TEXT },
  site: { header: 'Site', synonyms: ['Site code', 'Campus', 'Organization'], required: true, format: TEXT },
  source: {
    header: 'Source',
    synonyms: ['Funding source', 'Fund source', 'Program'],
    required: true,
    format: TEXT,
  },
  sourceType: { header: 'Source type', synonyms: ['Funding type', 'Federal/state/local'], format: TEXT },
  amount: {
    header: 'Amount',
    synonyms: ['Allocated', 'Dollars', 'Allocation amount'],
    required: true,
    format: MONEY,
  },
  fte: { header: 'FTE', synonyms: ['Allocated FTE', 'Positions'], format: FORMATS.fte },
  locked: { header: 'Locked', synonyms: ['Lock', 'Fixed'], format: TEXT },
  fixed: { header: 'Fixed segments', synonyms: ['Segments', 'Charge to', 'Account mask'], format: TEXT },
  allowedObjects: { header: 'Allowed objects', synonyms: ['Objects', 'Object codes'], format: TEXT },
  allowedFunctions: { header: 'Allowed functions', synonyms: ['Functions', 'Function codes'], format: TEXT },
  maxShare: { header: 'Max share', synonyms: ['Maximum share', 'Caps', 'Limits'], format: TEXT },
  rule: { header: 'Rule', format: TEXT },
  basis: { header: 'Basis', format: TEXT },
  /**
   * The accepted proposal a row came from (written by `decide`): it adds to (or cuts) the allocation
   * of the same site, source and fixed segments, and leaves again if the proposal is rejected or
   * deferred. A sheet without the column reads as before.
   */
  proposal: { header: 'Proposal', synonyms: ['Proposal ID'], format: TEXT },
});

export const ROLES_TABLE = declareTable(SHEETS.roles, 'Roles', {
  email: {
    header: 'Email',
    synonyms: ['E-mail', 'User', 'User email', 'Email address'],
    required: true,
    format: TEXT,
  },
  role: { header: 'Role', synonyms: ['Roles'], required: true, format: TEXT },
  sites: {
    header: 'Sites',
    synonyms: ['Site', 'Schools', 'School', 'Budget units'],
    required: true,
    format: TEXT,
  },
});

/**
 * Revenue estimates, one row per fund and revenue source (an object code, or a revenue-source code
 * where the chart keeps them apart). Basis: blank or "typed" (the Estimate as typed), "rate ×
 * enrollment" or "rate × ADA" (Rate times Count; a blank Count is the Sites' total enrollment), or
 * "rule" (the sum of the Allocations computed by the Formula rule named in Rule). Read by
 * core/rollup/revenues.ts.
 */
export const REVENUES_TABLE = declareTable(SHEETS.revenues, 'Revenues', {
  fund: { header: 'Fund', required: true, format: TEXT },
  source: {
    header: 'Source',
    synonyms: ['Revenue source', 'Object', 'Source code'],
    required: true,
    format: TEXT,
  },
  description: { header: 'Description', synonyms: ['Title', 'Name'], format: TEXT },
  restricted: { header: 'Restricted', format: TEXT },
  prior: {
    header: 'Prior year actual',
    synonyms: ['Prior year', 'Last year actual', 'Prior year actuals'],
    format: MONEY,
  },
  basis: { header: 'Basis', synonyms: ['Method'], format: TEXT },
  rate: { header: 'Rate', synonyms: ['Rate per student', 'Per student', 'Per ADA'], format: MONEY },
  count: { header: 'Count', synonyms: ['Enrollment', 'ADA', 'Students'], format: FORMATS.quantity },
  rule: { header: 'Rule', synonyms: ['Formula rule'], format: TEXT },
  estimate: {
    header: 'Estimate',
    synonyms: ['Budget year estimate', 'Budget year', 'Amount'],
    format: MONEY,
  },
  notes: { header: 'Notes', synonyms: ['Note'], format: TEXT },
});

/** Beginning fund balance per fund; a fund not listed (or blank) takes the ledger's beginning-balance lines. */
export const FUND_BALANCES_TABLE = declareTable(SHEETS.fundBalances, 'Fund Balances', {
  fund: { header: 'Fund', required: true, format: TEXT },
  name: { header: 'Name', synonyms: ['Fund name'], format: TEXT },
  beginning: {
    header: 'Beginning balance',
    synonyms: ['Beginning fund balance', 'Opening balance', 'Balance'],
    required: true,
    format: MONEY,
  },
  notes: { header: 'Notes', synonyms: ['Note'], format: TEXT },
});

/**
 * Year-to-date actuals and encumbrances by site and account, as of a date (core/actuals): written by
 * `budgetline actuals` from the accounting system's extract, one row per site and account. Not part
 * of a new workbook; the first import of actuals adds the sheet.
 */
export const ACTUALS_TABLE = declareTable(SHEETS.actuals, 'Actuals', {
  site: { header: 'Site', synonyms: ['Org', 'Organization', 'Location'], required: true, format: TEXT },
  account: {
    header: 'Account',
    synonyms: ['Account string', 'GL Account', 'Account number'],
    required: true,
    format: TEXT,
  },
  actual: {
    header: 'Actual',
    synonyms: ['YTD Actual', 'Actuals', 'Expended', 'Year to date'],
    required: true,
    format: MONEY,
  },
  encumbered: {
    header: 'Encumbered',
    synonyms: ['Encumbrance', 'Encumbrances', 'Open PO', 'Open orders'],
    format: MONEY,
  },
  asOf: { header: 'As of', synonyms: ['As-of', 'As of date'], format: TEXT },
});

/**
 * How each line's rest of the year is forecast (core/actuals/forecast.ts): Applies to (an object code,
 * a range "100-199" or mask "1XX", "*" for every line, or a whole account string with its Site for
 * one line), Method (straight-line, seasonal, encumbrance only, typed), Profile (seasonal: twelve
 * monthly weights July to June, or pay-10, pay-12, utilities), Amount (typed: the line's forecast for
 * the whole year). Rows are tried line rules first, then in order; a line no row matches is
 * straight-line. Not part of a new workbook: the district adds the sheet when it wants other methods.
 */
export const FORECAST_METHODS_TABLE = declareTable(SHEETS.forecastMethods, 'Forecast Methods', {
  appliesTo: { header: 'Applies to', synonyms: ['Object', 'Account', 'Line'], required: true, format: TEXT },
  site: { header: 'Site', format: TEXT },
  method: { header: 'Method', required: true, format: TEXT },
  profile: { header: 'Profile', synonyms: ['Seasonal profile'], format: TEXT },
  amount: { header: 'Amount', synonyms: ['Forecast', 'Typed forecast'], format: MONEY },
  notes: { header: 'Notes', synonyms: ['Note', 'Why'], format: TEXT },
});

/**
 * Known cost changes the budget staff fill in, applied when rolling forward into their effective year
 * (core/rollforward/cost-changes.ts). Change: raise (Percent, by bargaining unit or job type), step and
 * column (Percent of salary, or Amount per 1.0 FTE, by job type or unit), benefit rate (a benefit, or
 * Package/Benefit: percentage points on a rate benefit; a % or an Amount per FTE on a flat one),
 * contract (by object code, range, mask, account or "vendor: Name": Percent of the lines, or Amount
 * for the year split across them), one-time ends (matching lines drop off). Sites and Fund narrow it.
 * Not part of a new workbook: the district adds the sheet when it has changes to enter.
 */
export const COST_CHANGES_TABLE = declareTable(SHEETS.costChanges, 'Cost Changes', {
  id: { header: 'ID', synonyms: ['Change ID', 'Ref', 'Reference'], required: true, format: TEXT },
  change: { header: 'Change', synonyms: ['Kind', 'Type', 'Change type'], required: true, format: TEXT },
  description: { header: 'Description', synonyms: ['What', 'Title'], required: true, format: TEXT },
  year: {
    header: 'Effective FY',
    synonyms: ['Effective fiscal year', 'Effective', 'Fiscal year', 'FY'],
    required: true,
    format: TEXT,
  },
  appliesTo: {
    header: 'Applies to',
    synonyms: ['Job types', 'Units', 'Objects', 'Vendor', 'Benefit'],
    format: TEXT,
  },
  percent: { header: 'Percent', synonyms: ['%', 'Rate', 'Percentage'], format: FORMATS.percent },
  amount: { header: 'Amount', synonyms: ['Amount per FTE', 'Dollars'], format: MONEY },
  sites: { header: 'Sites', synonyms: ['Site', 'Schools'], format: TEXT },
  fund: { header: 'Fund', format: TEXT },
  notes: { header: 'Notes', synonyms: ['Note', 'Source'], format: TEXT },
});

/**
 * The multi-year projection's assumptions (core/rollup/projection.ts): Year (1 or 2 after the budget
 * year, or the fiscal year), Assumption (enrollment change, COLA, step and column, salary increase,
 * benefit rate change, one-time, contract change), Fund (blank: every fund), Applies to (a revenue
 * source or object code or range, for one-time items and contract changes), Value (a % or an amount).
 */
export const ASSUMPTIONS_TABLE = declareTable(SHEETS.assumptions, 'Assumptions', {
  year: { header: 'Year', synonyms: ['Fiscal year', 'FY'], format: TEXT },
  assumption: { header: 'Assumption', synonyms: ['Kind', 'Type'], required: true, format: TEXT },
  fund: { header: 'Fund', format: TEXT },
  appliesTo: {
    header: 'Applies to',
    synonyms: ['Codes', 'Objects', 'Sources', 'Account'],
    format: TEXT,
  },
  value: { header: 'Value', synonyms: ['Percent', 'Amount', 'Rate'], required: true },
  notes: { header: 'Notes', synonyms: ['Note', 'Why'], format: TEXT },
});

/**
 * Budget-change proposals (core/proposals): one row per proposal. Type: addition or reduction
 * (amounts typed positive; a reduction cuts them). Recurrence: one-time (an amount in the budget year
 * only) or recurring (an amount in each of the three years). Site: the site whose lines it would
 * change (blank: district-wide). Account and the three amounts are the proposal's one line when it has
 * one account; a proposal over several accounts (or sites) lists them on the Proposal Lines sheet
 * instead (or besides). Category: one of the Proposal Categories. Status: draft, submitted, under
 * review, accepted, rejected or deferred; a decision needs its Decision reason. Decided by / Decided
 * at are written by `decide`.
 */
export const PROPOSALS_TABLE = declareTable(SHEETS.proposals, 'Proposals', {
  id: { header: 'ID', synonyms: ['Proposal', 'Proposal ID'], required: true, format: TEXT },
  title: { header: 'Title', synonyms: ['Name', 'Proposal title'], format: TEXT },
  owner: { header: 'Owner', synonyms: ['Requested by', 'Department', 'Program'], format: TEXT },
  site: { header: 'Site', synonyms: ['Site code', 'Campus'], format: TEXT },
  type: { header: 'Type', synonyms: ['Addition or reduction', 'Kind'], required: true, format: TEXT },
  category: { header: 'Category', synonyms: ['Student-facing or operational'], format: TEXT },
  goal: { header: 'Strategic goal', synonyms: ['Goal'], format: TEXT },
  recurrence: {
    header: 'Recurrence',
    synonyms: ['One-time or recurring', 'One-time/recurring', 'Duration'],
    required: true,
    format: TEXT,
  },
  account: { header: 'Account', synonyms: ['Account string'], format: TEXT },
  year1: {
    header: 'Budget year',
    synonyms: ['Budget year amount', 'Year 1', 'Amount'],
    format: MONEY,
  },
  year2: { header: 'Year 2', synonyms: ['Budget year + 1', 'Next year'], format: MONEY },
  year3: { header: 'Year 3', synonyms: ['Budget year + 2'], format: MONEY },
  fte: { header: 'FTE', format: FORMATS.fte },
  impact: { header: 'Expected impact', synonyms: ['Impact'], format: TEXT },
  evidence: { header: 'Evidence', format: TEXT },
  status: { header: 'Status', required: true, format: TEXT },
  reason: { header: 'Decision reason', synonyms: ['Reason'], required: true, format: TEXT },
  decidedBy: { header: 'Decided by', format: TEXT },
  decidedAt: { header: 'Decided at', synonyms: ['Decided on'], format: TEXT },
  /** The job type of the staff the row's line adds (with its FTE): accepted, it becomes a Position row. */
  jobType: { header: 'Job type', synonyms: ['Job', 'Job code', 'Position type'], format: TEXT },
  /** The funding source whose allocation to the site the row's line adds to or cuts (Allocations). */
  source: {
    header: 'Funding source',
    synonyms: ['Source', 'Fund source', 'Allocation source'],
    format: TEXT,
  },
});

/**
 * The lines of proposals over several accounts or sites, one row per line: each checked like a site
 * line (an invalid account is a finding on its own cell), its amounts like the proposal's (positive;
 * the proposal's Type and Recurrence apply). Site blank: the proposal's Site.
 */
export const PROPOSAL_LINES_TABLE = declareTable(SHEETS.proposalLines, 'Proposal Lines', {
  proposal: { header: 'Proposal', synonyms: ['Proposal ID', 'ID'], required: true, format: TEXT },
  site: { header: 'Site', synonyms: ['Site code', 'Campus'], format: TEXT },
  account: { header: 'Account', synonyms: ['Account string'], required: true, format: TEXT },
  year1: {
    header: 'Budget year',
    synonyms: ['Budget year amount', 'Year 1', 'Amount'],
    required: true,
    format: MONEY,
  },
  year2: { header: 'Year 2', synonyms: ['Budget year + 1', 'Next year'], format: MONEY },
  year3: { header: 'Year 3', synonyms: ['Budget year + 2'], format: MONEY },
  fte: { header: 'FTE', format: FORMATS.fte },
  description: { header: 'Description', synonyms: ['Item', 'Details'], format: TEXT },
  /** The job type of the staff the line adds (with its FTE): accepted, it becomes a Position row. */
  jobType: { header: 'Job type', synonyms: ['Job', 'Job code', 'Position type'], format: TEXT },
  /** The funding source whose allocation to the site the line adds to or cuts (Allocations). */
  source: {
    header: 'Funding source',
    synonyms: ['Source', 'Fund source', 'Allocation source'],
    format: TEXT,
  },
});

/** The district's list of proposal categories, each student-facing or operational (the Category dropdown). */
export const CATEGORIES_TABLE = declareTable(SHEETS.categories, 'Proposal Categories', {
  category: { header: 'Category', synonyms: ['Name'], required: true, format: TEXT },
  kind: {
    header: 'Kind',
    synonyms: ['Student-facing or operational', 'Type'],
    required: true,
    format: TEXT,
  },
  description: { header: 'Description', synonyms: ['Notes'], format: TEXT },
});

/** The prioritisation rubric: criteria with relative weights; every criterion is scored 1 to 5. */
export const RUBRIC_TABLE = declareTable(SHEETS.rubric, 'Rubric', {
  criterion: { header: 'Criterion', synonyms: ['Criteria', 'Name'], required: true, format: TEXT },
  weight: { header: 'Weight', synonyms: ['Weight %'], required: true },
  description: { header: 'Description', synonyms: ['What it means', 'Notes'], format: TEXT },
});

/** Reviewers' scores: one row per proposal, reviewer and criterion, a whole number 1 to 5. */
export const SCORES_TABLE = declareTable(SHEETS.scores, 'Scores', {
  proposal: { header: 'Proposal', synonyms: ['ID', 'Proposal ID'], required: true, format: TEXT },
  reviewer: { header: 'Reviewer', synonyms: ['Scored by'], required: true, format: TEXT },
  criterion: { header: 'Criterion', synonyms: ['Criteria'], required: true, format: TEXT },
  score: { header: 'Score', required: true, format: FORMATS.integer },
  note: { header: 'Note', synonyms: ['Notes', 'Comment'], format: TEXT },
});

/** Community and board input per proposal: counts, a summary and a link. */
export const COMMUNITY_TABLE = declareTable(SHEETS.community, 'Community Input', {
  proposal: { header: 'Proposal', synonyms: ['ID', 'Proposal ID'], required: true, format: TEXT },
  source: { header: 'Source', synonyms: ['From', 'Group'], format: TEXT },
  support: { header: 'Support', synonyms: ['For', 'In favour', 'In favor'], format: COUNT },
  oppose: { header: 'Oppose', synonyms: ['Against'], format: COUNT },
  summary: { header: 'Summary', synonyms: ['Comments', 'What they said'], format: TEXT },
  link: { header: 'Link', synonyms: ['URL'], format: TEXT },
});

/**
 * What-if scenarios: named sets of changes on top of the base budget, one change per row. Change:
 * accepted proposals (Value on or off; Applies to may list proposal IDs), enrollment change, salary
 * increase, funding-rate change (a %), one-time cut (an amount on the account in Applies to).
 */
export const SCENARIOS_TABLE = declareTable(SHEETS.scenarios, 'Scenarios', {
  scenario: { header: 'Scenario', synonyms: ['Name'], required: true, format: TEXT },
  change: { header: 'Change', synonyms: ['Kind', 'Type'], required: true, format: TEXT },
  fund: { header: 'Fund', format: TEXT },
  appliesTo: { header: 'Applies to', synonyms: ['Codes', 'Account', 'Proposals'], format: TEXT },
  value: { header: 'Value', synonyms: ['Percent', 'Amount'], required: true },
  notes: { header: 'Notes', synonyms: ['Note'], format: TEXT },
});

/** An audit entry's fields, in AUDIT_COLUMNS order (the Audit table's column keys). */
export const AUDIT_FIELDS = [
  'at',
  'site',
  'action',
  'actor',
  'role',
  'identity',
  'contentHash',
  'comment',
  'prevHash',
  'hash',
] as const satisfies readonly (keyof AuditEntry)[];

/** The audit log (written by Budgetline only), its headers AUDIT_COLUMNS, every column text. */
export const AUDIT_TABLE = declareTable(
  SHEETS.audit,
  'Audit',
  Object.fromEntries(
    AUDIT_FIELDS.map((k, i) => [k, { header: AUDIT_COLUMNS[i] as string, required: true, format: TEXT }]),
  ) as Record<(typeof AUDIT_FIELDS)[number], ColumnDecl>,
);

/** A copy of sites' lines as hashed (Approved Lines, Submitted Lines): one row per line, the content hash on each. */
const LINE_COPY_COLUMNS = {
  site: { header: 'Site', required: true, format: TEXT },
  contentHash: { header: 'Content hash', format: TEXT },
  account: { header: 'Account', required: true, format: TEXT },
  cents: { header: 'Cents', required: true, format: FORMATS.integer },
  fte: { header: 'FTE (thousandths)', required: true, format: FORMATS.integer },
  description: { header: 'Description', required: true, format: TEXT },
} as const satisfies Record<string, ColumnDecl>;

/** The lines of each site as approved (document state must stay small). */
export const APPROVED_TABLE = declareTable(SHEETS.approved, 'Approved Lines', LINE_COPY_COLUMNS);

/**
 * The lines of each site as submitted (written by submit, one row each, the submission's content
 * hash on every row). Approve compares the site with it to name what changed since submission; it is
 * trusted only when its rows hash to the submit entry's content hash in the audit chain. A sheet, not
 * document state: Sheets' DocumentProperties hold at most 9 KB per value.
 */
export const SUBMITTED_TABLE = declareTable(SHEETS.submitted, 'Submitted Lines', LINE_COPY_COLUMNS);

/**
 * The original budget as the board adopted it (written by `adopt`, protected, never rewritten): every
 * approved site's lines, one row each, sorted by site and then as the content hash sorts them. Its
 * hash (core/approval/board.ts adoptedHash) is in the audit chain's adopt entry; verify checks it.
 */
export const ADOPTED_TABLE = declareTable(SHEETS.adopted, 'Adopted Budget', {
  site: { header: 'Site', required: true, format: TEXT },
  account: { header: 'Account', required: true, format: TEXT },
  description: { header: 'Description', required: true, format: TEXT },
  fte: { header: 'FTE', required: true, format: FORMATS.fte },
  amount: { header: 'Amount', required: true, format: MONEY },
});

/**
 * The revenues as the board adopted them (written by `adopt` when the Revenues table has rows,
 * protected, never rewritten): each Revenues row's computed estimate, with the cell it came from.
 * The adoption's hash covers it with the Adopted Budget sheet (canonical form BLAD2); verify finds a
 * Revenues row that no longer gives what was adopted (BL666).
 */
export const ADOPTED_REVENUES_TABLE = declareTable(SHEETS.adoptedRevenues, 'Adopted Revenues', {
  fund: { header: 'Fund', required: true, format: TEXT },
  source: { header: 'Source', required: true, format: TEXT },
  basis: { header: 'Basis', required: true, format: TEXT },
  amount: { header: 'Amount', required: true, format: MONEY },
  cell: { header: 'Revenues cell', required: true, format: TEXT },
});

/**
 * Amendments to the adopted budget, one row each: the site whose budget changes, its accounts and
 * signed amounts (as many as accounts, in the same order, separated by ";"), the reason and the
 * board's resolution. A row typed by hand is drafted; `amend` approves it (the site's approver or the
 * CFO, never who drafted it) and applies it (the CFO), writing Status and the cells after it. The
 * audit chain, not Status, says where each amendment stands.
 */
export const AMENDMENTS_TABLE = declareTable(SHEETS.amendments, 'Amendments', {
  id: { header: 'ID', synonyms: ['Amendment', 'Amendment ID'], required: true, format: TEXT },
  site: { header: 'Site', synonyms: ['Site code', 'Campus'], required: true, format: TEXT },
  accounts: { header: 'Accounts', synonyms: ['Account', 'Account strings'], required: true, format: TEXT },
  amounts: { header: 'Amounts', synonyms: ['Amount', 'Change', 'Changes'], required: true, format: TEXT },
  reason: { header: 'Reason', synonyms: ['Why', 'Justification'], required: true, format: TEXT },
  resolution: {
    header: 'Resolution',
    synonyms: ['Resolution number', 'Board resolution'],
    required: true,
    format: TEXT,
  },
  status: { header: 'Status', required: true, format: TEXT },
  draftedBy: { header: 'Drafted by', synonyms: ['Requested by'], format: TEXT },
  approvedBy: { header: 'Approved by', format: TEXT },
  approvedAt: { header: 'Approved at', format: TEXT },
  appliedAt: { header: 'Applied at', format: TEXT },
});

/**
 * One site's sheet: lines and positions in one table, told apart by Type. Which columns are required
 * depends on the reader (Lines need an account, Positions an FTE), so none is required here.
 * Account 2 / Percent 2 start the numbered pairs a position's split may continue (Account 3, ...).
 */
export const SITE_TABLE = declareTable('Site', 'Site', {
  type: { header: 'Type', synonyms: ['Row type', 'Kind'], format: TEXT },
  account: {
    header: 'Account',
    synonyms: ['Account string', 'Account code', 'Account number'],
    format: TEXT,
  },
  description: { header: 'Description', synonyms: ['Item', 'Details'], format: TEXT },
  quantity: { header: 'Quantity', synonyms: ['Qty', 'Units'], format: FORMATS.quantity },
  unitCost: { header: 'Unit cost', synonyms: ['Unit price', 'Price', 'Cost each'], format: MONEY },
  amount: { header: 'Amount', synonyms: ['Total', 'Budget', 'Cost'], format: MONEY },
  oneTime: { header: 'One-time', synonyms: ['One time', 'Onetime', 'Non-recurring'], format: TEXT },
  jobType: { header: 'Job type', synonyms: ['Job', 'Job code'], format: TEXT },
  employee: { header: 'Employee', synonyms: ['Name', 'Employee name'], format: TEXT },
  hrId: {
    header: 'Position ID',
    synonyms: ['Position', 'HR position', 'HR id', 'Position number'],
    format: TEXT,
  },
  salary: { header: 'Salary', synonyms: ['Actual salary', 'Annual salary'], format: MONEY },
  benefits: { header: 'Benefits package', synonyms: ['Benefits', 'Package'], format: TEXT },
  fte: { header: 'FTE', format: FORMATS.fte },
  percent: { header: 'Percent', format: FORMATS.percent },
  account2: { header: 'Account 2', format: TEXT },
  percent2: { header: 'Percent 2', format: FORMATS.percent },
  notes: { header: 'Notes', synonyms: ['Note', 'Comments', 'Justification'], format: TEXT },
  /** The accepted proposal a line came from (written by `decide`; its lines leave again if it is rejected or deferred). */
  proposal: { header: 'Proposal', synonyms: ['Proposal ID'], format: TEXT },
  /**
   * What the row costs, written by Budgetline (core/workbook/site-view.ts): a line's quantity × unit
   * cost (or its amount), a position's salary and benefits for its FTE (all its funding pieces).
   * Never read: the readers blank it before reading a site sheet.
   */
  cost: { header: 'Cost (computed)', format: MONEY, computed: true },
  /**
   * What each funding piece of the row costs, one column per Account / Percent pair (a pair past the
   * second gets "Cost, Account 3 (computed)" …): a position's piece, the very cents its account is
   * charged in the ledger (they sum to Cost); a line's amount under the first. Written only where the
   * header has numbered pairs (Account 2 …); never read, like Cost.
   */
  costAccount: { header: 'Cost, Account (computed)', format: MONEY, computed: true },
  costAccount2: { header: 'Cost, Account 2 (computed)', format: MONEY, computed: true },
});

/**
 * The summary block Budgetline writes on each site sheet, right of the site table after one blank
 * column: per funding source the site draws on, allocated / planned / remaining in $ and FTE, then
 * the site's total. Its first header cell ends the site table for every reader
 * (core/workbook/site-view.ts siteTableGrid), so nothing in it is ever read as a line.
 */
export const SITE_SUMMARY_TABLE = declareTable('Site', 'Site summary', {
  source: { header: 'Funding source (computed)', format: TEXT, computed: true },
  allocated: { header: 'Allocated', format: MONEY, computed: true },
  planned: { header: 'Planned', format: MONEY, computed: true },
  remaining: { header: 'Remaining', format: MONEY, computed: true },
  fteAllocated: { header: 'FTE allocated', format: FORMATS.fte, computed: true },
  ftePlanned: { header: 'FTE planned', format: FORMATS.fte, computed: true },
  fteRemaining: { header: 'FTE remaining', format: FORMATS.fte, computed: true },
});

/** The header row of a table, in declaration order (or of `keys`, in the order given). */
export function headerOf<D extends TableDecl>(decl: D, keys?: readonly ColumnKey<D>[]): HeaderName<D>[] {
  const columns = decl.columns as Readonly<Record<string, ColumnDecl>>;
  return (keys ?? Object.keys(columns)).map((k) => columns[k]?.header as HeaderName<D>);
}

/**
 * The number format of each header cell: the declared column it names (by header or synonym),
 * else `other` (General when absent). Follows the header, so a district's order or extra columns
 * keep the right formats.
 */
export function formatsFor(
  decl: TableDecl,
  header: readonly CellValue[],
  other: string | null = null,
): (string | null)[] {
  const byName = new Map<string, string | null>();
  for (const c of Object.values<ColumnDecl>(decl.columns))
    for (const name of [c.header, ...(c.synonyms ?? [])]) {
      const n = normalizeHeader(name);
      if (!byName.has(n)) byName.set(n, c.format ?? null);
    }
  return header.map((h) => {
    const f = byName.get(normalizeHeader(h));
    return f === undefined ? other : f;
  });
}

/** The formats of the declared header, in order; undefined when the table declares none. */
export function formatsOf(decl: TableDecl): (string | null)[] | undefined {
  const formats = Object.values<ColumnDecl>(decl.columns).map((c) => c.format ?? null);
  return formats.some((f) => f !== null) ? formats : undefined;
}

/**
 * A reader's column spec from a declaration: the columns `keys` (all when absent), required as
 * declared, or exactly the `required` ones when given.
 */
export function specOf<K extends string, P extends K = K>(
  decl: TableDecl<K>,
  keys?: readonly P[],
  required?: readonly P[],
): Record<P, ColumnSpec> {
  const out = {} as Record<P, ColumnSpec>;
  for (const k of keys ?? (Object.keys(decl.columns) as P[])) {
    const c: ColumnDecl = decl.columns[k];
    out[k] = {
      header: c.header,
      ...(c.synonyms ? { synonyms: c.synonyms } : {}),
      required: required ? required.includes(k) : c.required === true,
    };
  }
  return out;
}

/**
 * A table as a grid: the header of `keys` (declaration names), then `rows` in that order.
 * For samples and tests that fill only some columns.
 */
export function gridOf<K extends string>(
  decl: TableDecl<K>,
  keys: readonly K[],
  rows: readonly (readonly CellValue[])[] = [],
): CellValue[][] {
  return [headerOf(decl, keys), ...rows.map((r) => [...r])];
}

/** The index of column `key` in the declared header. */
export function indexOfColumn<K extends string>(decl: TableDecl<K>, key: K): number {
  return Object.keys(decl.columns).indexOf(key);
}

/** A row in declared header order from values by column key (others null). */
export function rowOf<K extends string>(
  decl: TableDecl<K>,
  fields: Readonly<Partial<Record<K, CellValue>>>,
): CellValue[] {
  return (Object.keys(decl.columns) as K[]).map((k) => fields[k] ?? null);
}
