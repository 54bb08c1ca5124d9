/**
 * The fund summary: per fund and for the district, revenues, expenditures (by object class), other
 * financing sources and uses, net change, beginning and projected ending fund balance, and the
 * reserve as a % of expenditures against the district's policy. Pure: amounts in, figures and
 * findings out.
 *
 * The identity, per fund: beginning balance + adjustments + revenues + other sources + contributions
 * − expenditures − other uses = ending balance. Where the ledger has an ending-balance line
 * (California 979Z) the computed ending balance must equal it to the cent; a difference is a finding
 * naming the fund and the amount. Revenues and expenditures are never added together.
 */
import type { Validator } from '../accounts/api';
import { compileClasses, type Classifier } from '../accounts/classes';
import type { Chart } from '../accounts/types';
import type { Where } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { formatCents, type Cents } from '../money';
import { NUMBER_FORMAT, type ReportTable } from './table';

const { text: TEXT, money: MONEY } = NUMBER_FORMAT;
const PERCENT = '0.00%';

/** A budget-year revenue estimate (a Revenues row): a fund, a source code and its class. */
export interface RevenueEstimate {
  readonly fund: string;
  readonly source: string;
  readonly class: 'revenue' | 'otherSource';
  readonly cents: Cents;
  readonly priorCents?: Cents;
  readonly description?: string;
  readonly restricted?: boolean;
  /** How the estimate was made: "typed", "$7,450.00 × 24,902 enrollment", "rule TITLE-I". */
  readonly basis?: string;
  /** Rate × count estimates: the rate and the count (thousandths), for the multi-year projection. */
  readonly rateCents?: Cents;
  readonly countMilli?: number;
  readonly where?: Where;
}

/** A beginning fund balance typed in the Fund Balances table. */
export interface BeginningBalance {
  readonly cents: Cents;
  readonly where?: Where;
}

/** The district's reserve policy: a minimum % of expenditures, checked for the listed funds and the district. */
export interface ReservePolicy {
  /** Parts per million: 30_000 = 3%. */
  readonly minimumPpm: number;
  /** Funds the policy applies to (the district as a whole always). */
  readonly funds: readonly string[];
}

/** One object class of expenditures (1000 certificated salaries, 6100 payroll, ...). */
export interface ExpenditureClass {
  readonly code: string;
  readonly name: string;
  readonly cents: Cents;
}

export interface FundFigures {
  readonly fund: string;
  readonly name: string;
  readonly revenuesCents: Cents;
  readonly expendituresCents: Cents;
  readonly otherSourcesCents: Cents;
  readonly otherUsesCents: Cents;
  /** California's contributions between unrestricted and restricted resources (8980–8999). */
  readonly contributionsCents: Cents;
  readonly netChangeCents: Cents;
  readonly beginningBalanceCents: Cents;
  /** Audit adjustments and restatements of the beginning balance (California 9793, 9795). */
  readonly adjustmentsCents: Cents;
  readonly endingBalanceCents: Cents;
  /** Ending balance as a % of expenditures (2 decimals), or null when there are no expenditures. */
  readonly reservePercent: number | null;
  /** Where the beginning balance came from. */
  readonly beginningFrom: 'typed' | 'ledger' | 'none';
  /** The ledger's ending-balance line (979Z), when it has one. */
  readonly recordedEndingCents?: Cents;
  readonly expendituresByClass: readonly ExpenditureClass[];
}

export interface FundSummary {
  readonly funds: readonly FundFigures[];
  readonly district: FundFigures;
  readonly policy?: ReservePolicy;
  readonly tables: readonly ReportTable[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface FundSummaryInput {
  /** The compiled chart (keys and split; lookup names funds and object classes). */
  readonly accounts: Pick<Validator, 'keys' | 'split'> & Partial<Pick<Validator, 'lookup'>>;
  /** The chart's classes (compileClasses); default: compiled from `chart`. */
  readonly classes?: Classifier;
  readonly chart?: Chart;
  /** Budget amounts by account (consolidated lines, or lines themselves: amounts are summed per account). */
  readonly ledger: Iterable<{ readonly account: string; readonly cents: Cents }>;
  readonly revenues?: readonly RevenueEstimate[];
  /** Typed beginning balances by fund; other funds take the ledger's beginning-balance lines. */
  readonly beginning?: ReadonlyMap<string, BeginningBalance>;
  readonly policy?: ReservePolicy;
  /** The fund segment (default "fund"). */
  readonly fundSegment?: string;
  /** What the figures are, in findings ("FY2027"). */
  readonly label?: string;
}

interface FundAcc {
  revenue: number;
  expenditure: number;
  otherSource: number;
  otherUse: number;
  contribution: number;
  beginningBalance: number;
  balanceAdjustment: number;
  endingBalance: number;
  hasEnding: boolean;
  hasBeginning: boolean;
  byClass: Map<string, number>;
}

const newFund = (): FundAcc => ({
  revenue: 0,
  expenditure: 0,
  otherSource: 0,
  otherUse: 0,
  contribution: 0,
  beginningBalance: 0,
  balanceAdjustment: 0,
  endingBalance: 0,
  hasEnding: false,
  hasBeginning: false,
  byClass: new Map(),
});

/** Ending balance as a % of expenditures, to 2 decimals; null without expenditures. */
export function reservePercentOf(endingCents: Cents, expendituresCents: Cents): number | null {
  if (expendituresCents <= 0) return null;
  return Math.round((endingCents * 10_000) / expendituresCents) / 100;
}

/** "3%", "16.7%". */
export function formatPercent(p: number): string {
  return `${Number(p.toFixed(2))}%`;
}

/**
 * How many leading characters of the expenditure object codes name their class: the shortest prefix
 * that tells them apart (1 for 1000s / 2000s, 2 for Texas 61XX / 62XX).
 */
function classPrefix(codes: readonly string[]): number {
  const length = Math.max(0, ...codes.map((c) => c.length));
  for (let p = 1; p < length; p++) if (new Set(codes.map((c) => c.slice(0, p))).size > 1) return p;
  return Math.max(1, length - 1);
}

/** No classes: nothing is classified. */
const NO_CLASSES: Classifier = {
  defined: false,
  classify: () => undefined,
  classOfSource: () => undefined,
};

/** Totals per fund and class, accounts classified once each. */
function accumulate(
  input: FundSummaryInput,
  classes: Classifier,
  fk: number,
  diagnostics: Diagnostic[],
): {
  funds: Map<string, FundAcc>;
  expenditureAccounts: Map<string, { fund: string; segs: readonly string[]; cents: number }>;
} {
  const byAccount = new Map<string, number>();
  for (const l of input.ledger) byAccount.set(l.account, (byAccount.get(l.account) ?? 0) + l.cents);
  const funds = new Map<string, FundAcc>();
  const fundOf = (f: string): FundAcc => {
    let a = funds.get(f);
    if (!a) funds.set(f, (a = newFund()));
    return a;
  };
  const expenditureAccounts = new Map<string, { fund: string; segs: readonly string[]; cents: number }>();
  let unclassified = 0;
  let unclassifiedCents = 0;
  const examples: string[] = [];
  for (const [account, cents] of byAccount) {
    const segs = input.accounts.split(account);
    if (!segs || segs.length !== input.accounts.keys.length) continue; // consolidation reports these (BL715)
    const cls = classes.classify(segs);
    if (cls === undefined || cls === 'balanceSheet') {
      if (cls === undefined && cents !== 0) {
        unclassified++;
        unclassifiedCents += cents;
        if (examples.length < 3) examples.push(account);
      }
      continue;
    }
    const a = fundOf(segs[fk] as string);
    a[cls] += cents;
    if (cls === 'endingBalance') a.hasEnding = true;
    if (cls === 'beginningBalance' || cls === 'balanceAdjustment') a.hasBeginning = true;
    if (cls === 'expenditure') expenditureAccounts.set(account, { fund: segs[fk] as string, segs, cents });
  }
  for (const r of input.revenues ?? []) fundOf(r.fund)[r.class] += r.cents;
  for (const f of input.beginning?.keys() ?? []) fundOf(f);
  if (unclassified)
    diagnostics.push(
      diag('BL727', {
        count: unclassified,
        amount: formatCents(unclassifiedCents),
        examples: examples.join(', '),
      }),
    );
  return { funds, expenditureAccounts };
}

function figures(
  fund: string,
  name: string,
  a: FundAcc,
  typed: BeginningBalance | undefined,
  byClass: readonly ExpenditureClass[],
): FundFigures {
  const beginningFrom = typed ? 'typed' : a.hasBeginning ? 'ledger' : 'none';
  const beginning = typed ? typed.cents : a.beginningBalance;
  const adjustments = typed ? 0 : a.balanceAdjustment;
  const net = a.revenue + a.otherSource + a.contribution - a.expenditure - a.otherUse;
  const ending = beginning + adjustments + net;
  return {
    fund,
    name,
    revenuesCents: a.revenue,
    expendituresCents: a.expenditure,
    otherSourcesCents: a.otherSource,
    otherUsesCents: a.otherUse,
    contributionsCents: a.contribution,
    netChangeCents: net,
    beginningBalanceCents: beginning,
    adjustmentsCents: adjustments,
    endingBalanceCents: ending,
    reservePercent: reservePercentOf(ending, a.expenditure),
    beginningFrom,
    ...(a.hasEnding ? { recordedEndingCents: a.endingBalance } : {}),
    expendituresByClass: byClass,
  };
}

/** Adds funds' figures into the district's (beginning balances and classes summed). */
function districtOf(funds: readonly FundFigures[]): FundFigures {
  const sum = (k: keyof FundFigures): number => funds.reduce((n, f) => n + (f[k] as number), 0);
  const classes = new Map<string, ExpenditureClass>();
  for (const f of funds)
    for (const c of f.expendituresByClass) {
      const o = classes.get(c.code);
      classes.set(c.code, { code: c.code, name: c.name, cents: (o?.cents ?? 0) + c.cents });
    }
  const recorded = funds.filter((f) => f.recordedEndingCents !== undefined);
  const expenditures = sum('expendituresCents');
  const ending = sum('endingBalanceCents');
  return {
    fund: 'District',
    name: 'All funds',
    revenuesCents: sum('revenuesCents'),
    expendituresCents: expenditures,
    otherSourcesCents: sum('otherSourcesCents'),
    otherUsesCents: sum('otherUsesCents'),
    contributionsCents: sum('contributionsCents'),
    netChangeCents: sum('netChangeCents'),
    beginningBalanceCents: sum('beginningBalanceCents'),
    adjustmentsCents: sum('adjustmentsCents'),
    endingBalanceCents: ending,
    reservePercent: reservePercentOf(ending, expenditures),
    beginningFrom: funds.some((f) => f.beginningFrom !== 'none') ? 'typed' : 'none',
    ...(recorded.length
      ? { recordedEndingCents: recorded.reduce((n, f) => n + (f.recordedEndingCents ?? 0), 0) }
      : {}),
    expendituresByClass: [...classes.values()].sort((a, b) => (a.code < b.code ? -1 : 1)),
  };
}

/** Reserve below policy, deficit spending, and a computed ending balance that disagrees with the ledger's. */
export function fundFindings(
  f: FundFigures,
  policy: ReservePolicy | undefined,
  label: string,
  diagnostics: Diagnostic[],
  which: 'flows' | 'identity' | 'all' = 'all',
): void {
  const who =
    f.fund === 'District' ? 'the district (all funds)' : `fund ${f.fund}${f.name ? ` (${f.name})` : ''}`;
  // The identity is checked per fund (the district's ending line is the funds' lines added up).
  if (
    which !== 'flows' &&
    f.fund !== 'District' &&
    f.recordedEndingCents !== undefined &&
    f.recordedEndingCents !== f.endingBalanceCents
  )
    diagnostics.push(
      diag('BL722', {
        fund: who,
        computed: formatCents(f.endingBalanceCents),
        recorded: formatCents(f.recordedEndingCents),
        difference: formatCents(f.endingBalanceCents - f.recordedEndingCents),
      }),
    );
  if (which === 'identity') return;
  if (f.netChangeCents < 0)
    diagnostics.push(
      diag('BL721', {
        fund: who,
        amount: formatCents(-f.netChangeCents),
        when: label,
        ending: formatCents(f.endingBalanceCents),
      }),
    );
  const shortfall = reserveShortfall(f, policy);
  if (policy && shortfall !== undefined)
    diagnostics.push(
      diag('BL720', {
        fund: who,
        when: label,
        reserve: f.reservePercent === null ? 'none' : formatPercent(f.reservePercent),
        policy: formatPercent(policy.minimumPpm / 10_000),
        shortfall: formatCents(shortfall),
      }),
    );
}

/**
 * How far the ending balance falls short of the reserve policy (cents), or undefined when the policy
 * does not apply to the fund, there are no expenditures, or the reserve meets it.
 */
export function reserveShortfall(
  f: Pick<FundFigures, 'fund' | 'expendituresCents' | 'endingBalanceCents'>,
  policy: ReservePolicy | undefined,
): Cents | undefined {
  if (!policy || !(f.fund === 'District' || policy.funds.includes(f.fund)) || f.expendituresCents <= 0)
    return undefined;
  const needed = Math.ceil((f.expendituresCents * policy.minimumPpm) / 1_000_000);
  return f.endingBalanceCents < needed ? needed - f.endingBalanceCents : undefined;
}

const dollars = (c: Cents): number => c / 100;

/** The Fund summary table: one row per fund and one for the district; money columns never mix classes. */
export function fundSummaryTable(
  funds: readonly FundFigures[],
  district: FundFigures,
  name = 'Fund summary',
): ReportTable {
  const row = (f: FundFigures) => [
    f.fund,
    f.name,
    dollars(f.revenuesCents),
    dollars(f.otherSourcesCents),
    dollars(f.contributionsCents),
    dollars(f.expendituresCents),
    dollars(f.otherUsesCents),
    dollars(f.netChangeCents),
    dollars(f.beginningBalanceCents),
    dollars(f.adjustmentsCents),
    dollars(f.endingBalanceCents),
    f.recordedEndingCents === undefined ? null : dollars(f.recordedEndingCents),
    f.reservePercent === null ? null : f.reservePercent / 100,
  ];
  return {
    name,
    header: [
      'Fund',
      'Name',
      'Revenues',
      'Other sources',
      'Contributions',
      'Expenditures',
      'Other uses',
      'Net change',
      'Beginning balance',
      'Adjustments',
      'Ending balance',
      'Ending balance in ledger',
      'Reserve % of expenditures',
    ],
    rows: [...funds.map(row), row(district)],
    formats: [TEXT, TEXT, MONEY, MONEY, MONEY, MONEY, MONEY, MONEY, MONEY, MONEY, MONEY, MONEY, PERCENT],
  };
}

function classTable(funds: readonly FundFigures[], district: FundFigures): ReportTable {
  const classes = district.expendituresByClass;
  return {
    name: 'Expenditures by class',
    header: ['Fund', 'Name', ...classes.map((c) => `${c.code} ${c.name}`.trim()), 'Total expenditures'],
    rows: [...funds, district].map((f) => {
      const m = new Map(f.expendituresByClass.map((c) => [c.code, c.cents]));
      return [
        f.fund,
        f.name,
        ...classes.map((c) => dollars(m.get(c.code) ?? 0)),
        dollars(f.expendituresCents),
      ];
    }),
    formats: [TEXT, TEXT, ...classes.map(() => MONEY), MONEY],
  };
}

function revenueTable(revenues: readonly RevenueEstimate[]): ReportTable {
  return {
    name: 'Revenue estimates',
    header: [
      'Fund',
      'Source',
      'Description',
      'Class',
      'Restricted',
      'Prior year actual',
      'Budget year',
      'Change',
      'Basis',
    ],
    rows: revenues.map((r) => [
      r.fund,
      r.source,
      r.description ?? '',
      r.class === 'revenue' ? 'Revenue' : 'Other financing source',
      r.restricted ? 'Yes' : 'No',
      r.priorCents === undefined ? null : dollars(r.priorCents),
      dollars(r.cents),
      r.priorCents === undefined ? null : dollars(r.cents - r.priorCents),
      r.basis ?? 'typed',
    ]),
    formats: [TEXT, TEXT, TEXT, TEXT, TEXT, MONEY, MONEY, MONEY, TEXT],
  };
}

/** The fund summary of a budget. */
export function fundSummary(input: FundSummaryInput): FundSummary {
  const diagnostics: Diagnostic[] = [];
  const chart = input.chart;
  const classes = input.classes ?? (chart ? compileClasses(chart) : NO_CLASSES);
  const keys = input.accounts.keys;
  const fk = keys.indexOf(input.fundSegment ?? 'fund');
  const { funds: acc, expenditureAccounts } =
    fk >= 0
      ? accumulate(input, classes, fk, diagnostics)
      : { funds: new Map<string, FundAcc>(), expenditureAccounts: new Map() };
  // Expenditures by object class (the segment the chart's expenditure class names).
  const objectKey = chart?.classes?.find((c) => c.class === 'expenditure')?.segment;
  const oi = objectKey === undefined ? -1 : keys.indexOf(objectKey);
  let prefix = 0;
  /** The class's title in the chart ("Personal Services—Salaries"), else its range ("objects 1000–1999"). */
  const className = (code: string): string => {
    const title = objectKey === undefined ? undefined : input.accounts.lookup?.(objectKey, code)?.description;
    return title ?? `objects ${code}–${code.slice(0, prefix)}${'9'.repeat(code.length - prefix)}`;
  };
  if (oi >= 0) {
    prefix = classPrefix([...expenditureAccounts.values()].map((e) => e.segs[oi] as string));
    for (const e of expenditureAccounts.values()) {
      const obj = e.segs[oi] as string;
      const code = obj.slice(0, prefix).padEnd(obj.length, '0');
      const m = (acc.get(e.fund) as FundAcc).byClass;
      m.set(code, (m.get(code) ?? 0) + e.cents);
    }
  }
  const fundName = (f: string): string =>
    input.accounts.lookup?.(input.fundSegment ?? 'fund', f)?.description ?? '';
  const funds = [...acc.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([fund, a]) =>
      figures(
        fund,
        fundName(fund),
        a,
        input.beginning?.get(fund),
        [...a.byClass.entries()]
          .sort(([x], [y]) => (x < y ? -1 : 1))
          .map(([code, cents]) => ({ code, name: className(code), cents })),
      ),
    );
  const district = districtOf(funds);
  const label = input.label ?? 'the budget year';
  // A budget with no revenues and no beginning balances yet (a district that plans spending only)
  // gets its summary but no reserve or deficit findings: they would say nothing it does not know.
  const hasInflows = funds.some(
    (f) => f.revenuesCents !== 0 || f.otherSourcesCents !== 0 || f.beginningFrom !== 'none',
  );
  if (hasInflows) {
    for (const f of funds) fundFindings(f, input.policy, label, diagnostics, 'flows');
    // With one fund the district's figures are that fund's: its findings say it already.
    if (funds.length > 1) fundFindings(district, input.policy, label, diagnostics, 'flows');
  }
  for (const f of funds) fundFindings(f, input.policy, label, diagnostics, 'identity');
  const tables: ReportTable[] = [fundSummaryTable(funds, district)];
  if (district.expendituresByClass.length) tables.push(classTable(funds, district));
  if (input.revenues?.length) tables.push(revenueTable(input.revenues));
  return {
    funds,
    district,
    ...(input.policy ? { policy: input.policy } : {}),
    tables,
    diagnostics,
  };
}

/** The `funds` entries of `consolidate --json` and `projection --json`. */
export interface FundJson {
  readonly fund: string;
  readonly name: string;
  readonly revenuesCents: Cents;
  readonly expendituresCents: Cents;
  readonly otherSourcesCents: Cents;
  readonly otherUsesCents: Cents;
  readonly netChangeCents: Cents;
  readonly beginningBalanceCents: Cents;
  readonly endingBalanceCents: Cents;
  readonly reservePercent: number | null;
}

export function fundJson(f: FundFigures): FundJson {
  return {
    fund: f.fund,
    name: f.name,
    revenuesCents: f.revenuesCents,
    expendituresCents: f.expendituresCents,
    otherSourcesCents: f.otherSourcesCents,
    otherUsesCents: f.otherUsesCents,
    netChangeCents: f.netChangeCents,
    beginningBalanceCents: f.beginningBalanceCents,
    endingBalanceCents: f.endingBalanceCents,
    reservePercent: f.reservePercent,
  };
}
