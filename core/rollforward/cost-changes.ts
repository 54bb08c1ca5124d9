/**
 * Known cost changes (the Cost Changes table), applied when rolling forward into their effective
 * fiscal year. Each change stays visible: it never edits a position or line the user typed; it adds
 * its own lines to next year's site sheet — one per change and account, named by the change's ID —
 * so a budget owner sees why next year differs from this year.
 *
 * Kinds, applied in this order (and in table order within a kind):
 *  1. one-time ends     — matching lines drop off (as lines marked One-time do);
 *  2. raise             — a % on the annual salary of positions of a bargaining unit or job type;
 *  3. step and column   — a % of the annual salary, or an amount per 1.0 FTE added to it;
 *  4. benefit rate      — percentage points on a rate benefit (retirement 12% + 1% = 13% of salary),
 *                         or a % or an amount per FTE on a flat benefit (health);
 *  5. contract          — a % of each matching line, or an amount for the year split across them.
 *
 * Rounding: each step rounds once, half away from zero (mulDivRound). A position is re-priced after
 * each change (costOf) and split across its funding pieces by largest remainder (splitCost); a
 * change's line on an account is the piece's new amount less its amount before that change, so this
 * year's cost plus every change line equals next year's cost exactly. A contract amount is split
 * across the matching lines by their amounts, by largest remainder: the parts sum to the amount.
 */
import { cellText, type CellValue, type Grid, type Where } from '../cells';
import type { Validator } from '../accounts/api';
import { parseFiscalYear } from '../accounts/chart-load';
import { diag, type Diagnostic } from '../diagnostics';
import { formatCents, mulDivRound, parseMoney, splitLargestRemainder, type Cents } from '../money';
import type { BudgetLine, Position } from '../budget/lines';
import { splitCost } from '../budget/lines';
import { costOf, type BenefitItem, type CostBreakdown, type Staffing } from '../budget/staffing';
import { firstSeen, openTable, similarNames } from '../budget/table';
import { formatPpm, parseSignedPercent, PPM, type Ppm } from '../budget/units';
import { COST_CHANGES_TABLE } from '../workbook/schema';

export type CostChangeKind = 'one-time ends' | 'raise' | 'step and column' | 'benefit rate' | 'contract';

/** The order kinds are applied in. */
export const COST_CHANGE_ORDER: readonly CostChangeKind[] = [
  'one-time ends',
  'raise',
  'step and column',
  'benefit rate',
  'contract',
];

interface ObjectRange {
  readonly lo: string;
  readonly hi: string;
}

/** What a contract or one-time change matches among the lines. */
export interface LineTarget {
  readonly all: boolean;
  readonly objects: readonly ObjectRange[];
  readonly accounts: ReadonlySet<string>;
  /** Lower-case vendor names, matched in a line's Description and Notes. */
  readonly vendors: readonly string[];
}

export interface BenefitTarget {
  /** A package code; absent: the benefit in every package. */
  readonly pkg?: string;
  readonly name: string;
}

export interface CostChange {
  readonly id: string;
  readonly kind: CostChangeKind;
  readonly description: string;
  readonly fiscalYear: number;
  /** Applies to, as typed (for explanations). */
  readonly appliesTo: string;
  /** Raise, step and column: the job type codes it reaches ('all' for *). */
  readonly jobTypes?: ReadonlySet<string> | 'all';
  readonly benefits?: readonly BenefitTarget[];
  readonly lines?: LineTarget;
  readonly percent?: Ppm;
  readonly amount?: Cents;
  /** Site codes; absent: every site. */
  readonly sites?: ReadonlySet<string>;
  /** A fund code; absent: every fund. */
  readonly fund?: string;
  /** The ID cell. */
  readonly where: Where;
}

export interface CostChangeContext {
  /** The chart the changes are checked against (next year's: the year they apply in). */
  readonly validator: Validator;
  readonly staffing: Staffing;
  /** The Sites table: a scope may name a site by code, name or sheet. */
  readonly sites: readonly { readonly code: string; readonly name: string; readonly sheet: string }[];
  readonly sheet?: string;
}

const KINDS: readonly [RegExp, CostChangeKind][] = [
  [/^(raise|raises|salary increase|cola|salary raise|pay raise)$/, 'raise'],
  [/^(step and column|step & column|step|steps|step movement|column)$/, 'step and column'],
  [/^(benefit|benefits|benefit rate|benefit rate change|benefits rate)$/, 'benefit rate'],
  [/^(contract|contract change|contracts|vendor)$/, 'contract'],
  [/^(one time ends|one time|one time item|ends|ending)$/, 'one-time ends'],
];

function kindOf(text: string): CostChangeKind | undefined {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[-_\s]+/g, ' ');
  return KINDS.find(([re]) => re.test(t))?.[1];
}

/** Sane bounds of a percentage per kind, parts per million. */
const PERCENT_RANGE: Readonly<Record<CostChangeKind, readonly [Ppm, Ppm, string]>> = {
  raise: [-100_000, 250_000, 'a raise'],
  'step and column': [0, 150_000, 'step and column movement'],
  'benefit rate': [-200_000, 200_000, 'a benefit rate change'],
  contract: [-1_000_000, 1_000_000, 'a contract change'],
  'one-time ends': [0, 0, 'one-time ends'],
};
/** Bounds of a flat benefit's % change. */
const FLAT_BENEFIT_RANGE: readonly [Ppm, Ppm] = [-500_000, 1_000_000];
const MAX_PER_FTE: Cents = 5_000_000;

const items = (text: string): string[] =>
  text
    .split(/[,;\n]+/)
    .map((x) => x.trim())
    .filter((x) => x !== '');

/** "100-199" → 100…199; "1XX" → 100…199; "610" → 610…610 (digits, as long as the object segment). */
function objectRange(text: string, length: number): ObjectRange | undefined {
  const range = /^(\d+)\s*-\s*(\d+)$/.exec(text);
  if (range && range[1]?.length === length && range[2]?.length === length && range[1] <= range[2])
    return { lo: range[1], hi: range[2] };
  if (/^\d+[xX]*$/.test(text) && text.length === length)
    return { lo: text.replace(/[xX]/g, '0'), hi: text.replace(/[xX]/g, '9') };
  return undefined;
}

/** Reads the Cost Changes table: every row checked, each finding on its own cell. */
export function readCostChanges(
  grid: Grid | undefined,
  ctx: CostChangeContext,
): { changes: CostChange[]; diagnostics: Diagnostic[] } {
  if (!grid) return { changes: [], diagnostics: [] };
  const sheet = ctx.sheet ?? COST_CHANGES_TABLE.sheet;
  const t = openTable(grid, COST_CHANGES_TABLE.columns, COST_CHANGES_TABLE.table, { sheet });
  const diagnostics = [...t.diagnostics];
  const changes: CostChange[] = [];
  const seen = firstSeen();
  const { validator, staffing } = ctx;
  const objectAt = validator.indexOf('object');
  const objectLength =
    objectAt >= 0 ? ((validator.chart.segments[objectAt] as { length?: number }).length ?? 0) : 0;
  const units = new Map<string, string[]>();
  for (const j of staffing.jobTypes.values())
    if (j.unit) units.set(j.unit.toLowerCase(), [...(units.get(j.unit.toLowerCase()) ?? []), j.code]);
  const unitNames = [...new Set([...staffing.jobTypes.values()].flatMap((j) => (j.unit ? [j.unit] : [])))];
  const siteByName = new Map<string, string>();
  for (const s of ctx.sites)
    for (const n of [s.code, s.name, s.sheet]) if (n) siteByName.set(n.toLowerCase(), s.code);

  for (const { row, index } of t.rows) {
    const before = diagnostics.length;
    const id = t.text(row, 'id');
    const at = (k: Parameters<typeof t.where>[1]): Where => t.where(index, k);
    if (!id) diagnostics.push(diag('BL851', { id: '', column: 'ID' }, at('id')));
    else {
      const dup = seen.check(id.toLowerCase(), at('id'));
      if (dup)
        diagnostics.push(diag('BL860', { id, first: `${dup.sheet ?? sheet}!${dup.cell ?? ''}` }, at('id')));
    }
    const kindText = t.text(row, 'change');
    const kind = kindOf(kindText);
    if (!kind) diagnostics.push(diag('BL850', { shown: kindText }, at('change')));
    const description = t.text(row, 'description');
    if (!description) diagnostics.push(diag('BL851', { id, column: 'Description' }, at('description')));
    const yearValue: CellValue = t.value(row, 'year');
    const fiscalYear = parseFiscalYear(typeof yearValue === 'string' ? yearValue.trim() : yearValue);
    if (fiscalYear === undefined)
      diagnostics.push(diag('BL852', { id, shown: cellText(yearValue) }, at('year')));

    // Percent or Amount: exactly one, as the kind takes it.
    const hasPercent = !t.blank(row, 'percent');
    const hasAmount = !t.blank(row, 'amount');
    let percent: Ppm | undefined;
    let amount: Cents | undefined;
    const valueProblem = (problem: string, key: 'percent' | 'amount'): void => {
      diagnostics.push(diag('BL857', { id, problem }, at(key)));
    };
    if (hasPercent) {
      const p = parseSignedPercent(
        t.value(row, 'percent'),
        at('percent'),
        `cost change ${id} percent`,
        10 * PPM,
      );
      if (p.ok) percent = p.value;
      else diagnostics.push(p.diagnostic);
    }
    if (hasAmount) {
      const a = parseMoney(t.value(row, 'amount'), at('amount'), `cost change ${id} amount`);
      if (a.ok) amount = a.value;
      else diagnostics.push(a.diagnostic);
    }
    if (kind) {
      if (kind === 'one-time ends' && (hasPercent || hasAmount))
        valueProblem(
          'a one-time item that ends takes neither a percent nor an amount',
          hasPercent ? 'percent' : 'amount',
        );
      else if (kind !== 'one-time ends' && hasPercent && hasAmount)
        valueProblem('both Percent and Amount are filled; fill one', 'amount');
      else if (kind !== 'one-time ends' && !hasPercent && !hasAmount)
        valueProblem(
          `a ${kind} needs ${kind === 'raise' ? 'a Percent' : 'a Percent or an Amount'}`,
          'percent',
        );
      else if (kind === 'raise' && hasAmount)
        valueProblem('a raise is a Percent of salary (enter a flat amount as step and column)', 'amount');
      if (percent !== undefined && kind !== 'one-time ends') {
        const [lo, hi, what] = PERCENT_RANGE[kind];
        if (kind !== 'benefit rate' && (percent < lo || percent > hi))
          diagnostics.push(
            diag(
              'BL856',
              { id, shown: formatPpm(percent), low: formatPpm(lo), high: formatPpm(hi), what },
              at('percent'),
            ),
          );
      }
      if (amount !== undefined && kind === 'step and column' && (amount < 0 || amount > MAX_PER_FTE))
        valueProblem(
          `a step increment of ${formatCents(amount)} per FTE is outside $0.00 to ${formatCents(MAX_PER_FTE)}`,
          'amount',
        );
      if (amount === 0) valueProblem('an amount of 0 changes nothing', 'amount');
    }

    // Applies to.
    const appliesTo = t.text(row, 'appliesTo');
    const whereApplies = at('appliesTo');
    let jobTypes: ReadonlySet<string> | 'all' | undefined;
    let benefits: BenefitTarget[] | undefined;
    let lines: LineTarget | undefined;
    if (kind && !appliesTo) diagnostics.push(diag('BL851', { id, column: 'Applies to' }, whereApplies));
    else if (kind === 'raise' || kind === 'step and column') {
      const codes = new Set<string>();
      let all = false;
      for (const x of items(appliesTo)) {
        if (x === '*') all = true;
        else if (staffing.jobTypes.has(x)) codes.add(x);
        else if (units.has(x.toLowerCase())) for (const c of units.get(x.toLowerCase()) ?? []) codes.add(c);
        else {
          const suggestions = similarNames(x, [...staffing.jobTypes.keys(), ...unitNames]);
          diagnostics.push(diag('BL853', { id, code: x, suggestions }, { ...whereApplies, suggestions }));
        }
      }
      jobTypes = all ? 'all' : codes;
    } else if (kind === 'benefit rate') {
      benefits = [];
      const names = [...staffing.packages.values()].flatMap((p) => p.items.map((i) => i.name));
      const matched: BenefitItem[] = [];
      for (const x of items(appliesTo)) {
        const m = /^([^/:]+?)\s*[/:]\s*(.+)$/.exec(x);
        const pkg = m ? (m[1] as string) : undefined;
        const name = m ? (m[2] as string) : x;
        const found = [...staffing.packages.values()]
          .filter((p) => pkg === undefined || p.code.toLowerCase() === pkg.toLowerCase())
          .flatMap((p) => p.items.filter((i) => i.name.toLowerCase() === name.toLowerCase()));
        if (!found.length) {
          const suggestions = similarNames(
            x,
            pkg !== undefined
              ? [...staffing.packages.values()].flatMap((p) => p.items.map((i) => `${p.code}/${i.name}`))
              : names,
          );
          diagnostics.push(diag('BL854', { id, shown: x, suggestions }, { ...whereApplies, suggestions }));
          continue;
        }
        matched.push(...found);
        benefits.push({ ...(pkg !== undefined ? { pkg } : {}), name });
      }
      const rate = matched.some((i) => i.ratePpm !== undefined);
      const flat = matched.some((i) => i.perFte !== undefined);
      if (rate && flat)
        valueProblem(
          'it names both rate benefits (a % of salary) and flat ones (an amount per FTE); enter them as two changes',
          'percent',
        );
      else if (rate && amount !== undefined)
        valueProblem(
          'a rate benefit changes by percentage points in Percent (12% + 1% = 13% of salary), not by an amount',
          'amount',
        );
      else if (percent !== undefined) {
        const [lo, hi] = rate ? PERCENT_RANGE['benefit rate'] : FLAT_BENEFIT_RANGE;
        if (percent < lo || percent > hi)
          diagnostics.push(
            diag(
              'BL856',
              {
                id,
                shown: formatPpm(percent),
                low: formatPpm(lo),
                high: formatPpm(hi),
                what: rate ? 'a benefit rate change (percentage points)' : 'a flat benefit change',
              },
              at('percent'),
            ),
          );
      }
    } else if (kind === 'contract' || kind === 'one-time ends') {
      const objects: ObjectRange[] = [];
      const accounts = new Set<string>();
      const vendors: string[] = [];
      let all = false;
      for (const x of items(appliesTo)) {
        const vendor = /^vendor\s*[:=]\s*(.+)$/i.exec(x);
        if (vendor) {
          vendors.push((vendor[1] as string).trim().toLowerCase());
          continue;
        }
        if (x === '*') {
          all = true;
          continue;
        }
        const range = objectAt >= 0 ? objectRange(x, objectLength) : undefined;
        if (range) {
          const single = range.lo === range.hi;
          if (single && !validator.lookup('object', range.lo)) {
            const suggestions = validator.suggest('object', range.lo, 3);
            diagnostics.push(
              diag(
                'BL855',
                {
                  id,
                  shown: x,
                  problem: `${x} is not an object code of the chart in FY${validator.fiscalYear}${suggestions.length ? ` (did you mean ${suggestions.join(' or ')}?)` : ''}`,
                },
                { ...whereApplies, suggestions },
              ),
            );
          } else objects.push(range);
          continue;
        }
        const check = validator.check(x);
        if (check.ok && check.normalized && x.length > objectLength) {
          accounts.add(check.normalized);
          continue;
        }
        diagnostics.push(
          diag(
            'BL855',
            {
              id,
              shown: x,
              problem:
                check.normalized && !check.ok
                  ? `the account is not valid in FY${validator.fiscalYear}: ${check.diagnostics[0]?.message ?? ''}`
                  : `it is not an object code (${objectLength} digits), a range, a mask, an account string valid in FY${validator.fiscalYear} or "vendor: Name"`,
            },
            whereApplies,
          ),
        );
      }
      lines = { all, objects, accounts, vendors };
    }

    // Scope.
    const sitesText = t.text(row, 'sites');
    let sites: Set<string> | undefined;
    if (sitesText && sitesText !== '*' && sitesText.toLowerCase() !== 'all') {
      sites = new Set();
      for (const x of items(sitesText)) {
        const code = siteByName.get(x.toLowerCase());
        if (code) sites.add(code);
        else
          diagnostics.push(
            diag(
              'BL858',
              {
                id,
                site: x,
                known: ctx.sites.map((s) => s.code),
              },
              at('sites'),
            ),
          );
      }
    }
    const fundText = t.text(row, 'fund');
    let fund: string | undefined;
    if (fundText) {
      if (validator.indexOf('fund') >= 0 && validator.lookup('fund', fundText)) fund = fundText;
      else {
        const suggestions = validator.indexOf('fund') >= 0 ? validator.suggest('fund', fundText, 3) : [];
        diagnostics.push(diag('BL859', { id, fund: fundText, suggestions }, { ...at('fund'), suggestions }));
      }
    }

    if (diagnostics.length > before || !kind || fiscalYear === undefined) continue;
    changes.push({
      id,
      kind,
      description,
      fiscalYear,
      appliesTo,
      ...(jobTypes ? { jobTypes } : {}),
      ...(benefits ? { benefits } : {}),
      ...(lines ? { lines } : {}),
      ...(percent !== undefined ? { percent } : {}),
      ...(amount !== undefined ? { amount } : {}),
      ...(sites ? { sites } : {}),
      ...(fund ? { fund } : {}),
      where: at('id'),
    });
  }
  return { changes, diagnostics };
}

// ---- applying --------------------------------------------------------------------------------

/** A line a change adds to next year's site sheet. */
export interface ChangeLine {
  readonly change: string;
  readonly account: string;
  readonly segments: readonly string[];
  readonly description: string;
  readonly amount: Cents;
  readonly notes: string;
}

/** A line that does not carry forward, and why. */
export interface DroppedLine {
  readonly line: BudgetLine;
  /** The change that ended it; absent: marked One-time on the sheet. */
  readonly change?: string;
}

/** What one change did at one site. */
export interface SiteChangeEffect {
  readonly change: string;
  readonly kind: CostChangeKind;
  readonly description: string;
  /** What it did, in a sentence ("raise 3% on CTA: 12 positions"). */
  readonly what: string;
  readonly cents: Cents;
  readonly positions: number;
  readonly lines: number;
}

export interface SiteInput {
  readonly site: string;
  /** Lines carried forward (next year's accounts), one-time lines already left out. */
  readonly lines: readonly BudgetLine[];
  readonly positions: readonly Position[];
}

export interface SiteChanges {
  readonly site: string;
  /** The lines kept (those a one-time change ended are left out). */
  readonly lines: BudgetLine[];
  readonly changeLines: ChangeLine[];
  readonly dropped: DroppedLine[];
  readonly effects: SiteChangeEffect[];
}

export interface AppliedChanges {
  readonly sites: SiteChanges[];
  /** Changes effective this year, in the order applied, with their total effect. */
  readonly applied: readonly {
    readonly change: CostChange;
    readonly cents: Cents;
    readonly matched: number;
  }[];
  readonly diagnostics: Diagnostic[];
}

/** The changes in the order they are applied: by kind (COST_CHANGE_ORDER), then table order. */
export function orderChanges(changes: readonly CostChange[]): CostChange[] {
  return changes
    .map((c, i) => ({ c, i }))
    .sort((a, b) => COST_CHANGE_ORDER.indexOf(a.c.kind) - COST_CHANGE_ORDER.indexOf(b.c.kind) || a.i - b.i)
    .map((x) => x.c);
}

function lineMatches(target: LineTarget, l: BudgetLine, objectAt: number): boolean {
  if (target.all) return true;
  if (target.accounts.has(l.account)) return true;
  const object = objectAt >= 0 ? (l.segments[objectAt] ?? '') : '';
  if (target.objects.some((o) => object.length === o.lo.length && object >= o.lo && object <= o.hi))
    return true;
  const text = `${l.description}\n${l.notes}`.toLowerCase();
  return target.vendors.some((v) => text.includes(v));
}

/** "3%", "+$1,250.00 per FTE", "+1% (percentage points)". */
function valueText(c: CostChange): string {
  const sign = (n: number): string => (n >= 0 ? '+' : '');
  if (c.kind === 'one-time ends') return 'ends';
  if (c.percent !== undefined) return `${sign(c.percent)}${formatPpm(c.percent)}`;
  if (c.amount !== undefined)
    return `${sign(c.amount)}${formatCents(c.amount)}${c.kind === 'contract' ? ' for the year' : ' per FTE'}`;
  return '';
}

/**
 * Applies the changes effective in `fiscalYear` to every site, in the stated order. Pure; the inputs
 * are not changed. Positions and lines stay as they are: each change's effect is its own lines.
 */
export function applyCostChanges(
  sites: readonly SiteInput[],
  changes: readonly CostChange[],
  options: { readonly fiscalYear: number; readonly validator: Validator; readonly staffing: Staffing },
): AppliedChanges {
  const { fiscalYear, validator, staffing } = options;
  const diagnostics: Diagnostic[] = [];
  const fundAt = validator.indexOf('fund');
  const objectAt = validator.indexOf('object');
  const fundOf = (segments: readonly string[]): string => (fundAt >= 0 ? (segments[fundAt] ?? '') : '');
  // Rows of earlier years are the table's history: one warning for them all, on the first one's cell.
  const past = changes.filter((c) => c.fiscalYear < fiscalYear);
  if (past[0])
    diagnostics.push(diag('BL861', { ids: past.map((c) => c.id), next: `FY${fiscalYear}` }, past[0].where));
  const due = orderChanges(changes.filter((c) => c.fiscalYear === fiscalYear));

  // Working state per site: the lines still carried (with their current amounts) and each position's
  // salary, benefit items and cost as changes are applied.
  interface PositionState {
    readonly p: Position;
    salary: Cents;
    items: BenefitItem[];
    cost: CostBreakdown;
    /** The amount on each funding piece at `cost`. */
    amounts: readonly Cents[];
  }
  const piecesOf = (cost: CostBreakdown, p: Position): readonly Cents[] =>
    p.split.length === 1 ? [cost.total] : splitCost(cost, p.fte, p.split).map((x) => x.amount);
  const work = sites.map((s) => ({
    site: s.site,
    lines: s.lines.map((line) => ({ line, current: line.amount, dropped: undefined as string | undefined })),
    positions: s.positions.map((p): PositionState => {
      const job = p.jobType !== undefined ? staffing.jobTypes.get(p.jobType) : undefined;
      const pkgCode = p.benefitsPackage ?? job?.benefits;
      const pkg = pkgCode !== undefined ? staffing.packages.get(pkgCode) : undefined;
      return {
        p,
        salary: p.salary ?? job?.averageSalary ?? 0,
        items: [...(pkg?.items ?? [])],
        cost: p.cost,
        amounts: piecesOf(p.cost, p),
      };
    }),
    pkgOf: (p: Position): string | undefined =>
      p.benefitsPackage ?? (p.jobType !== undefined ? staffing.jobTypes.get(p.jobType)?.benefits : undefined),
    changeLines: new Map<string, { -readonly [K in keyof ChangeLine]: ChangeLine[K] }>(),
    effects: [] as SiteChangeEffect[],
    dropped: [] as DroppedLine[],
  }));
  const applied: { change: CostChange; cents: Cents; matched: number }[] = [];

  for (const c of due) {
    let total = 0;
    let matched = 0;
    const inScope = (site: string, segments: readonly string[]): boolean =>
      (!c.sites || c.sites.has(site)) && (!c.fund || fundOf(segments) === c.fund);
    const addLine = (
      w: (typeof work)[number],
      account: string,
      segments: readonly string[],
      cents: Cents,
      notes: string,
    ): void => {
      if (cents === 0) return;
      const key = `${c.id}\u0000${account}`;
      const prev = w.changeLines.get(key);
      if (prev) prev.amount += cents;
      else
        w.changeLines.set(key, {
          change: c.id,
          account,
          segments,
          description: `${c.id}: ${c.description}`,
          amount: cents,
          notes,
        });
    };
    const note = `Cost change ${c.id} (${c.where.sheet ?? 'Cost Changes'}!${c.where.cell ?? ''}), FY${c.fiscalYear}: ${c.kind} ${valueText(c)} on ${c.appliesTo}`;

    if (c.kind === 'one-time ends') {
      for (const w of work) {
        let n = 0;
        let cents = 0;
        for (const l of w.lines)
          if (
            !l.dropped &&
            inScope(w.site, l.line.segments) &&
            c.lines &&
            lineMatches(c.lines, l.line, objectAt)
          ) {
            l.dropped = c.id;
            w.dropped.push({ line: l.line, change: c.id });
            n++;
            cents -= l.current;
          }
        if (n) {
          w.effects.push({
            change: c.id,
            kind: c.kind,
            description: c.description,
            what: `${n === 1 ? '1 line ends' : `${n} lines end`} (${formatCents(-cents)})`,
            cents,
            positions: 0,
            lines: n,
          });
          matched += n;
          total += cents;
        }
      }
    } else if (c.kind === 'contract') {
      // Every matching line, district-wide (an amount is one figure for the contract).
      const hits: { w: (typeof work)[number]; l: (typeof work)[number]['lines'][number]; key: string }[] = [];
      for (const w of work)
        w.lines.forEach((l, i) => {
          if (
            !l.dropped &&
            inScope(w.site, l.line.segments) &&
            c.lines &&
            lineMatches(c.lines, l.line, objectAt)
          )
            hits.push({ w, l, key: `${w.site}\u0000${String(i).padStart(8, '0')}` });
        });
      let deltas: Cents[];
      if (c.percent !== undefined)
        deltas = hits.map((h) => mulDivRound(h.l.current, c.percent as number, PPM));
      else if (hits.length) {
        const weights = hits.map((h) => Math.abs(h.l.current));
        deltas = splitLargestRemainder(
          c.amount ?? 0,
          weights.some((x) => x > 0) ? weights : weights.map(() => 1),
          hits.map((h) => h.key),
        );
      } else deltas = [];
      const bySite = new Map<(typeof work)[number], { n: number; cents: number }>();
      hits.forEach((h, i) => {
        const d = deltas[i] as number;
        h.l.current += d;
        addLine(h.w, h.l.line.account, h.l.line.segments, d, note);
        const e = bySite.get(h.w) ?? { n: 0, cents: 0 };
        e.n++;
        e.cents += d;
        bySite.set(h.w, e);
      });
      for (const [w, e] of bySite)
        w.effects.push({
          change: c.id,
          kind: c.kind,
          description: c.description,
          what: `contract ${valueText(c)} on ${c.appliesTo}: ${e.n} line${e.n === 1 ? '' : 's'}`,
          cents: e.cents,
          positions: 0,
          lines: e.n,
        });
      matched += hits.length;
      total += deltas.reduce((s, d) => s + d, 0);
    } else {
      for (const w of work) {
        let n = 0;
        let cents = 0;
        for (const ps of w.positions) {
          const primary = ps.p.split[0];
          if (!primary || !inScope(w.site, primary.segments)) continue;
          if (c.kind === 'raise' || c.kind === 'step and column') {
            const reach = c.jobTypes;
            if (!(reach === 'all' || (ps.p.jobType !== undefined && reach?.has(ps.p.jobType)))) continue;
            ps.salary =
              c.percent !== undefined
                ? mulDivRound(ps.salary, PPM + c.percent, PPM)
                : ps.salary + (c.amount ?? 0);
          } else {
            const pkg = w.pkgOf(ps.p);
            let hit = false;
            ps.items = ps.items.map((it) => {
              const reached = (c.benefits ?? []).some(
                (b) =>
                  b.name.toLowerCase() === it.name.toLowerCase() &&
                  (b.pkg === undefined || b.pkg.toLowerCase() === (pkg ?? '').toLowerCase()),
              );
              if (!reached) return it;
              hit = true;
              if (it.ratePpm !== undefined) return { ...it, ratePpm: it.ratePpm + (c.percent ?? 0) };
              const perFte = it.perFte ?? 0;
              return {
                ...it,
                perFte:
                  c.percent !== undefined
                    ? mulDivRound(perFte, PPM + c.percent, PPM)
                    : perFte + (c.amount ?? 0),
              };
            });
            if (!hit) continue;
          }
          n++;
          ps.cost = costOf(ps.salary, ps.p.fte, { code: w.pkgOf(ps.p) ?? '', items: ps.items });
          const now = piecesOf(ps.cost, ps.p);
          ps.p.split.forEach((piece, i) => {
            const d = (now[i] ?? 0) - (ps.amounts[i] ?? 0);
            cents += d;
            addLine(w, piece.account, piece.segments, d, note);
          });
          ps.amounts = now;
        }
        if (n) {
          w.effects.push({
            change: c.id,
            kind: c.kind,
            description: c.description,
            what: `${c.kind} ${valueText(c)} on ${c.appliesTo}: ${n} position${n === 1 ? '' : 's'}`,
            cents,
            positions: n,
            lines: 0,
          });
          matched += n;
          total += cents;
        }
      }
    }
    if (matched === 0) diagnostics.push(diag('BL862', { id: c.id, next: `FY${fiscalYear}` }, c.where));
    applied.push({ change: c, cents: total, matched });
  }

  return {
    sites: work.map((w) => ({
      site: w.site,
      lines: w.lines.filter((l) => !l.dropped).map((l) => l.line),
      changeLines: [...w.changeLines.values()].filter((l) => l.amount !== 0),
      dropped: w.dropped,
      effects: w.effects,
    })),
    applied,
    diagnostics,
  };
}
