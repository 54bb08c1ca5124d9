/**
 * The multi-year projection: the budget year and the two years after it, per fund, as county
 * offices and boards expect. The assumptions are data (the Assumptions table); every change from one
 * year to the next is recorded with the assumption that made it, so each number can be explained.
 *
 * Per fund and year:
 * - revenues estimated as rate × enrollment (or ADA) follow the enrollment change (the count) and the
 *   COLA (the rate); other revenues stay as they are unless a COLA row names their source codes;
 * - objects named by step-and-column and salary-increase rows grow by those percentages; objects
 *   named by a benefit row follow the payroll growth and then the benefit rate change;
 * - lines marked one-time in the budget year drop off in the first projected year; one-time rows drop
 *   a named amount; contract changes add their amount from their year on;
 * - other financing sources and uses and contributions stay as they are;
 * - the ending balance becomes the next year's beginning balance.
 */
import type { Validator } from '../accounts/api';
import { parseFiscalYear } from '../accounts/chart-load';
import { splitCodeList, type Classifier } from '../accounts/classes';
import { matches, parsePattern, type Pattern } from '../accounts/patterns';
import type { Chart, FiscalYear } from '../accounts/types';
import { openTable, type TableOptions } from '../budget/table';
import { parseSignedPercent } from '../budget/units';
import { cellText, isBlank, type CellValue, type Grid, type Where } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { formatCents, mulDivRound, parseMoney, type Cents } from '../money';
import { ASSUMPTIONS_TABLE, specOf } from '../workbook/schema';
import {
  fundFindings,
  formatPercent,
  reservePercentOf,
  type FundFigures,
  type FundSummary,
  type ReservePolicy,
  type RevenueEstimate,
} from './funds';
import { NUMBER_FORMAT, type ReportTable } from './table';

export type AssumptionKind = 'enrollment' | 'cola' | 'step' | 'salary' | 'benefit' | 'oneTime' | 'contract';

const KIND_LABELS: Readonly<Record<AssumptionKind, string>> = {
  enrollment: 'Enrollment change',
  cola: 'COLA (funding rate change)',
  step: 'Step and column',
  salary: 'Salary increase',
  benefit: 'Benefit rate change',
  oneTime: 'One-time item drops off',
  contract: 'Contract change',
};

const KIND_NAMES: readonly [RegExp, AssumptionKind][] = [
  [/^(enrol|ada|attendance)/, 'enrollment'],
  [/^(cola|costofliving|fundingrate|ratechange)/, 'cola'],
  [/^(step|stepandcolumn|stepcolumn)/, 'step'],
  [/^(salary|raise|negotiated|wage)/, 'salary'],
  [/^(benefit|health|pension|retirement)/, 'benefit'],
  [/^(onetime|nonrecurring)/, 'oneTime'],
  [/^(contract|knowncontract)/, 'contract'],
];

/** "Step and column", "COLA", "one-time" → the kind; undefined when not understood. */
export function readAssumptionKind(text: string): AssumptionKind | undefined {
  const t = text.toLowerCase().replace(/[^a-z]/g, '');
  return KIND_NAMES.find(([re]) => re.test(t))?.[1];
}

const PERCENT_KINDS: ReadonlySet<AssumptionKind> = new Set([
  'enrollment',
  'cola',
  'step',
  'salary',
  'benefit',
]);

export interface Assumption {
  /** Years after the budget year: 1 or 2. */
  readonly year: number;
  readonly kind: AssumptionKind;
  /** A fund code, or undefined for every fund. */
  readonly fund?: string;
  /** Code patterns (objects or revenue sources) the assumption applies to. */
  readonly appliesTo: readonly string[];
  /** Percent kinds: parts per million, signed (−20,000 = −2%). */
  readonly ppm?: number;
  /** Amount kinds: cents. */
  readonly cents?: Cents;
  readonly note?: string;
  readonly where?: Where;
}

const ASSUMPTION_COLUMNS = specOf(ASSUMPTIONS_TABLE);

/** A signed percentage as ppm, up to 10,000,000 ppm either way (core/budget/units). */
function signedPercent(
  v: CellValue,
  where: Where,
  what: string,
): { ppm: number } | { diagnostic: Diagnostic } {
  const p = parseSignedPercent(v, where, what, 10_000_000);
  return p.ok ? { ppm: p.value } : { diagnostic: p.diagnostic };
}

/** The Assumptions table. Year: blank (every projected year), 1 or 2, or a fiscal year. */
export function readAssumptions(
  grid: Grid,
  ctx: {
    readonly fiscalYear: FiscalYear;
    readonly years?: number;
    readonly validator: Pick<Validator, 'lookup' | 'chart'>;
  },
  options: TableOptions = {},
): { rows: Assumption[]; diagnostics: Diagnostic[] } {
  const t = openTable(grid, ASSUMPTION_COLUMNS, 'Assumptions', options);
  const diagnostics: Diagnostic[] = [...t.diagnostics];
  const rows: Assumption[] = [];
  const years = ctx.years ?? 2;
  for (const { row, index } of t.rows) {
    const at = (k: keyof typeof ASSUMPTION_COLUMNS): Where => t.where(index, k);
    const problem = (k: keyof typeof ASSUMPTION_COLUMNS, p: string): void => {
      diagnostics.push(diag('BL729', { problem: p }, at(k)));
    };
    const before = diagnostics.length;
    const kindText = t.text(row, 'assumption');
    const kind = readAssumptionKind(kindText);
    if (!kind) problem('assumption', `"${kindText}" is not an assumption Budgetline knows`);
    let offsets: number[] = [];
    const yv = t.value(row, 'year');
    if (isBlank(yv)) offsets = Array.from({ length: years }, (_, i) => i + 1);
    else {
      const n = typeof yv === 'number' ? yv : Number(cellText(yv).trim());
      const fy = Number.isInteger(n) && n >= 1 && n <= years ? undefined : parseFiscalYear(yv);
      const offset = fy !== undefined ? fy - ctx.fiscalYear : n;
      if (Number.isInteger(offset) && offset >= 1 && offset <= years) offsets = [offset];
      else
        problem(
          'year',
          `year "${cellText(yv).trim()}" is not 1 to ${years} or FY${ctx.fiscalYear + 1}–FY${ctx.fiscalYear + years}`,
        );
    }
    // A fund typed as a number lost its leading zeros (California 01 as 1): restored.
    const fundLength = ctx.validator.chart.segments.find((x) => x.key === 'fund')?.length ?? 0;
    const fundCell = t.value(row, 'fund');
    const fund =
      typeof fundCell === 'number' ? t.text(row, 'fund').padStart(fundLength, '0') : t.text(row, 'fund');
    if (fund && !ctx.validator.lookup('fund', fund))
      problem('fund', `the fund "${fund}" is not a fund of the chart`);
    const appliesTo = splitCodeList(t.text(row, 'appliesTo'));
    for (const c of appliesTo)
      if ('error' in parsePattern(c)) problem('appliesTo', `"${c}" is not a code, range or mask`);
    if (
      kind &&
      (kind === 'step' || kind === 'salary' || kind === 'benefit' || kind === 'oneTime') &&
      !appliesTo.length
    )
      problem(
        'appliesTo',
        `${KIND_LABELS[kind].toLowerCase()}: name the ${kind === 'oneTime' ? 'object or revenue source' : kind === 'benefit' ? 'benefit objects' : 'salary objects'} it applies to (a code, range or mask)`,
      );
    let ppm: number | undefined;
    let cents: Cents | undefined;
    if (kind && PERCENT_KINDS.has(kind)) {
      const p = signedPercent(t.value(row, 'value'), at('value'), `${KIND_LABELS[kind].toLowerCase()}`);
      if ('diagnostic' in p) diagnostics.push(p.diagnostic);
      else ppm = p.ppm;
    } else if (kind) {
      const m = parseMoney(t.value(row, 'value'), at('value'), `${KIND_LABELS[kind].toLowerCase()} amount`);
      if (!m.ok) diagnostics.push(m.diagnostic);
      else cents = m.value;
    }
    if (!kind || diagnostics.length > before) continue;
    const note = t.text(row, 'notes');
    for (const year of offsets)
      rows.push({
        year,
        kind,
        ...(fund ? { fund } : {}),
        appliesTo,
        ...(ppm !== undefined ? { ppm } : {}),
        ...(cents !== undefined ? { cents } : {}),
        ...(note ? { note } : {}),
        where: at('assumption'),
      });
  }
  return { rows, diagnostics };
}

/** One explained change: which assumption moved which amount, in which fund and year. */
export interface ProjectionChange {
  readonly fiscalYear: FiscalYear;
  readonly fund: string;
  readonly assumption: string;
  /** Signed effect on the fund's ending balance's flows: + more revenue, − more expenditure. */
  readonly cents: Cents;
  /** "Step and column 1.5% on objects 110-199 ($4,200,000.00)". */
  readonly text: string;
}

export interface ProjectionYear {
  readonly fiscalYear: FiscalYear;
  readonly funds: readonly FundFigures[];
  readonly district: FundFigures;
}

export interface Projection {
  /** The budget year, then the projected years. */
  readonly years: readonly ProjectionYear[];
  readonly changes: readonly ProjectionChange[];
  readonly tables: readonly ReportTable[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface ProjectionInput {
  readonly fiscalYear: FiscalYear;
  /** The budget year's fund summary (its ending balances start the projection). */
  readonly base: FundSummary;
  readonly accounts: Pick<Validator, 'keys' | 'split'>;
  readonly chart: Chart;
  readonly classes: Classifier;
  /** The budget year's lines by account; `oneTimeCents` is the part marked one-time. */
  readonly ledger: Iterable<{
    readonly account: string;
    readonly cents: Cents;
    readonly oneTimeCents?: Cents;
  }>;
  readonly revenues: readonly RevenueEstimate[];
  readonly assumptions: readonly Assumption[];
  readonly policy?: ReservePolicy;
  readonly years?: number;
  readonly fundSegment?: string;
}

interface RevenueItem {
  readonly source: string;
  cents: number;
  rateCents?: number;
  countMilli?: number;
  readonly otherSource: boolean;
}

interface FundState {
  readonly revenues: RevenueItem[];
  /** Expenditures by object code (cents), and the one-time part of the budget year. */
  readonly objects: Map<string, number>;
  readonly oneTime: Map<string, number>;
  otherUses: number;
  contributions: number;
}

const matchAny = (patterns: readonly Pattern[], code: string): boolean =>
  patterns.some((p) => matches(p, code));
const patternsOf = (codes: readonly string[]): Pattern[] =>
  codes.flatMap((c) => {
    const p = parsePattern(c);
    return 'pattern' in p ? [p.pattern] : [];
  });
const grow = (cents: number, ppm: number): number => mulDivRound(cents, 1_000_000 + ppm, 1_000_000);
const pct = (ppm: number): string => formatPercent(ppm / 10_000);

/** The budget year's amounts per fund, in the shape the projection moves. */
function baseState(input: ProjectionInput): Map<string, FundState> {
  const keys = input.accounts.keys;
  const fk = keys.indexOf(input.fundSegment ?? 'fund');
  const objectKey = input.chart.classes?.find((c) => c.class === 'expenditure')?.segment ?? 'object';
  const ok = keys.indexOf(objectKey);
  const sourceIndex = input.classes.sourceKey === undefined ? -1 : keys.indexOf(input.classes.sourceKey);
  const funds = new Map<string, FundState>();
  const stateOf = (f: string): FundState => {
    let s = funds.get(f);
    if (!s)
      funds.set(
        f,
        (s = { revenues: [], objects: new Map(), oneTime: new Map(), otherUses: 0, contributions: 0 }),
      );
    return s;
  };
  for (const l of input.ledger) {
    const segs = input.accounts.split(l.account);
    if (!segs || fk < 0) continue;
    const cls = input.classes.classify(segs);
    const s = stateOf(segs[fk] as string);
    if (cls === 'expenditure') {
      const obj = ok >= 0 ? (segs[ok] as string) : '';
      s.objects.set(obj, (s.objects.get(obj) ?? 0) + l.cents);
      if (l.oneTimeCents) s.oneTime.set(obj, (s.oneTime.get(obj) ?? 0) + l.oneTimeCents);
    } else if (cls === 'revenue' || cls === 'otherSource')
      s.revenues.push({
        source: sourceIndex >= 0 ? (segs[sourceIndex] as string) : '',
        cents: l.cents,
        otherSource: cls === 'otherSource',
      });
    else if (cls === 'otherUse') s.otherUses += l.cents;
    else if (cls === 'contribution') s.contributions += l.cents;
  }
  for (const r of input.revenues)
    stateOf(r.fund).revenues.push({
      source: r.source,
      cents: r.cents,
      ...(r.rateCents !== undefined && r.countMilli !== undefined
        ? { rateCents: r.rateCents, countMilli: r.countMilli }
        : {}),
      otherSource: r.class === 'otherSource',
    });
  for (const f of input.base.funds) stateOf(f.fund);
  return funds;
}

/** Moves one fund one year forward; records each change. */
function advance(
  fund: string,
  s: FundState,
  fy: FiscalYear,
  offset: number,
  assumptions: readonly Assumption[],
  changes: ProjectionChange[],
): void {
  const mine = assumptions.filter((a) => a.year === offset && (a.fund === undefined || a.fund === fund));
  const sumPpm = (kind: AssumptionKind, filter: (a: Assumption) => boolean = () => true): number =>
    mine.filter((a) => a.kind === kind && filter(a)).reduce((n, a) => n + (a.ppm ?? 0), 0);
  const record = (assumption: string, cents: number, text: string): void => {
    if (cents !== 0) changes.push({ fiscalYear: fy, fund, assumption, cents, text });
  };

  // Revenues: enrollment moves the counts, COLA the rates (of rate-based estimates, or of named sources).
  const enrollment = sumPpm('enrollment');
  const colaRows = mine.filter((a) => a.kind === 'cola');
  let enrollEffect = 0;
  let colaEffect = 0;
  for (const r of s.revenues) {
    const cola = colaRows
      .filter((a) =>
        a.appliesTo.length ? matchAny(patternsOf(a.appliesTo), r.source) : r.rateCents !== undefined,
      )
      .reduce((n, a) => n + (a.ppm ?? 0), 0);
    if (r.rateCents !== undefined && r.countMilli !== undefined) {
      const count = grow(r.countMilli, enrollment);
      const byCount = mulDivRound(r.rateCents, count, 1000);
      const rate = grow(r.rateCents, cola);
      const next = mulDivRound(rate, count, 1000);
      enrollEffect += byCount - r.cents;
      colaEffect += next - byCount;
      r.countMilli = count;
      r.rateCents = rate;
      r.cents = next;
    } else if (cola !== 0) {
      const next = grow(r.cents, cola);
      colaEffect += next - r.cents;
      r.cents = next;
    }
  }
  record(
    KIND_LABELS.enrollment,
    enrollEffect,
    `${KIND_LABELS.enrollment} ${pct(enrollment)} on rate × enrollment revenues`,
  );
  record(
    KIND_LABELS.cola,
    colaEffect,
    colaRows
      .map(
        (a) =>
          `COLA ${pct(a.ppm ?? 0)} on ${a.appliesTo.length ? `revenue sources ${a.appliesTo.join(', ')}` : 'rate × enrollment revenues'}`,
      )
      .join('; '),
  );

  // One-time lines of the budget year drop off in the first projected year.
  if (offset === 1)
    for (const [obj, cents] of s.oneTime) {
      s.objects.set(obj, (s.objects.get(obj) ?? 0) - cents);
      record(
        KIND_LABELS.oneTime,
        cents,
        `budget-year lines marked one-time on object ${obj} (${formatCents(cents)}) drop off`,
      );
    }

  // Payroll: step and column, salary increases; benefits follow payroll, then their rate change.
  const payrollPpm = new Map<string, number>();
  for (const kind of ['step', 'salary'] as const)
    for (const a of mine.filter((x) => x.kind === kind)) {
      const ps = patternsOf(a.appliesTo);
      let base = 0;
      let effect = 0;
      for (const [obj, cents] of s.objects) {
        if (!matchAny(ps, obj)) continue;
        const next = grow(cents, a.ppm ?? 0);
        base += cents;
        effect += next - cents;
        s.objects.set(obj, next);
        payrollPpm.set(obj, (payrollPpm.get(obj) ?? 0) + (a.ppm ?? 0));
      }
      record(
        KIND_LABELS[kind],
        -effect,
        `${KIND_LABELS[kind]} ${pct(a.ppm ?? 0)} on objects ${a.appliesTo.join(', ')} (${formatCents(base)})`,
      );
    }
  const payrollGrowth = payrollPpm.size ? Math.max(...payrollPpm.values()) : 0;
  for (const a of mine.filter((x) => x.kind === 'benefit')) {
    const ps = patternsOf(a.appliesTo);
    let follow = 0;
    let rate = 0;
    for (const [obj, cents] of s.objects) {
      if (!matchAny(ps, obj)) continue;
      const followed = grow(cents, payrollGrowth);
      const next = grow(followed, a.ppm ?? 0);
      follow += followed - cents;
      rate += next - followed;
      s.objects.set(obj, next);
    }
    record(
      'Benefits follow payroll',
      -follow,
      `benefit objects ${a.appliesTo.join(', ')} grow with payroll ${pct(payrollGrowth)}`,
    );
    record(
      KIND_LABELS.benefit,
      -rate,
      `${KIND_LABELS.benefit} ${pct(a.ppm ?? 0)} on objects ${a.appliesTo.join(', ')}`,
    );
  }

  // Named one-time items and contract changes (amounts).
  for (const a of mine.filter((x) => x.kind === 'oneTime')) {
    const ps = patternsOf(a.appliesTo);
    const rev = s.revenues.find((r) => matchAny(ps, r.source));
    const amount = a.cents ?? 0;
    if (rev) {
      rev.cents -= amount;
      record(
        KIND_LABELS.oneTime,
        -amount,
        `one-time revenue ${a.appliesTo.join(', ')} (${formatCents(amount)}) drops off${a.note ? `: ${a.note}` : ''}`,
      );
    } else {
      const obj = [...s.objects.keys()].find((o) => matchAny(ps, o)) ?? a.appliesTo[0] ?? '';
      s.objects.set(obj, (s.objects.get(obj) ?? 0) - amount);
      record(
        KIND_LABELS.oneTime,
        amount,
        `one-time expenditure ${a.appliesTo.join(', ')} (${formatCents(amount)}) drops off${a.note ? `: ${a.note}` : ''}`,
      );
    }
  }
  for (const a of mine.filter((x) => x.kind === 'contract')) {
    const obj = a.appliesTo[0] ?? '(contracts)';
    s.objects.set(obj, (s.objects.get(obj) ?? 0) + (a.cents ?? 0));
    record(
      KIND_LABELS.contract,
      -(a.cents ?? 0),
      `${KIND_LABELS.contract} ${formatCents(a.cents ?? 0)}${a.appliesTo.length ? ` on ${obj}` : ''}${a.note ? `: ${a.note}` : ''}`,
    );
  }
}

function yearFigures(fund: string, name: string, s: FundState, beginning: number): FundFigures {
  const revenues = s.revenues.filter((r) => !r.otherSource).reduce((n, r) => n + r.cents, 0);
  const otherSources = s.revenues.filter((r) => r.otherSource).reduce((n, r) => n + r.cents, 0);
  const expenditures = [...s.objects.values()].reduce((n, c) => n + c, 0);
  const net = revenues + otherSources + s.contributions - expenditures - s.otherUses;
  const ending = beginning + net;
  return {
    fund,
    name,
    revenuesCents: revenues,
    expendituresCents: expenditures,
    otherSourcesCents: otherSources,
    otherUsesCents: s.otherUses,
    contributionsCents: s.contributions,
    netChangeCents: net,
    beginningBalanceCents: beginning,
    adjustmentsCents: 0,
    endingBalanceCents: ending,
    reservePercent: reservePercentOf(ending, expenditures),
    beginningFrom: 'typed',
    expendituresByClass: [],
  };
}

function districtYear(funds: readonly FundFigures[]): FundFigures {
  const sum = (k: keyof FundFigures): number => funds.reduce((n, f) => n + (f[k] as number), 0);
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
    adjustmentsCents: 0,
    endingBalanceCents: ending,
    reservePercent: reservePercentOf(ending, expenditures),
    beginningFrom: 'typed',
    expendituresByClass: [],
  };
}

const { text: TEXT, money: MONEY } = NUMBER_FORMAT;
const dollars = (c: Cents): number => c / 100;

/** The budget year and the years after it, per fund and for the district, with every change explained. */
export function project(input: ProjectionInput): Projection {
  const yearsAfter = input.years ?? 2;
  const state = baseState(input);
  const names = new Map(input.base.funds.map((f) => [f.fund, f.name]));
  const years: ProjectionYear[] = [
    { fiscalYear: input.fiscalYear, funds: input.base.funds, district: input.base.district },
  ];
  const changes: ProjectionChange[] = [];
  const diagnostics: Diagnostic[] = [];
  let ending = new Map(input.base.funds.map((f) => [f.fund, f.endingBalanceCents]));
  const order = [...state.keys()].sort();
  for (let offset = 1; offset <= yearsAfter; offset++) {
    const fy = input.fiscalYear + offset;
    const funds = order.map((fund) => {
      const s = state.get(fund) as FundState;
      advance(fund, s, fy, offset, input.assumptions, changes);
      return yearFigures(fund, names.get(fund) ?? '', s, ending.get(fund) ?? 0);
    });
    const district = districtYear(funds);
    for (const f of funds) fundFindings(f, input.policy, `FY${fy}`, diagnostics);
    if (funds.length > 1) fundFindings(district, input.policy, `FY${fy}`, diagnostics);
    years.push({ fiscalYear: fy, funds, district });
    ending = new Map(funds.map((f) => [f.fund, f.endingBalanceCents]));
  }
  return { years, changes, tables: projectionTables(years, changes), diagnostics };
}

function projectionTables(
  years: readonly ProjectionYear[],
  changes: readonly ProjectionChange[],
): ReportTable[] {
  const rows: CellValue[][] = [];
  for (const y of years)
    for (const f of [...y.funds, y.district])
      rows.push([
        `FY${y.fiscalYear}`,
        f.fund,
        f.name,
        dollars(f.revenuesCents),
        dollars(f.otherSourcesCents),
        dollars(f.expendituresCents),
        dollars(f.otherUsesCents),
        dollars(f.netChangeCents),
        dollars(f.beginningBalanceCents),
        dollars(f.endingBalanceCents),
        f.reservePercent === null ? null : f.reservePercent / 100,
      ]);
  return [
    {
      name: 'Multi-year projection',
      header: [
        'Year',
        'Fund',
        'Name',
        'Revenues',
        'Other sources',
        'Expenditures',
        'Other uses',
        'Net change',
        'Beginning balance',
        'Ending balance',
        'Reserve % of expenditures',
      ],
      rows,
      formats: [TEXT, TEXT, TEXT, MONEY, MONEY, MONEY, MONEY, MONEY, MONEY, MONEY, '0.00%'],
    },
    {
      name: 'What moved each year',
      header: ['Year', 'Fund', 'Assumption', 'Effect on net change', 'Explanation'],
      rows: changes.map((c) => [`FY${c.fiscalYear}`, c.fund, c.assumption, dollars(c.cents), c.text]),
      formats: [TEXT, TEXT, TEXT, MONEY, TEXT],
    },
  ];
}
