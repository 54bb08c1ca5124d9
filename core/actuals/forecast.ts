/**
 * The forecast of the rest of the year, per line: forecast = actual + encumbered + the estimated
 * remainder. The method is data (the Forecast Methods table), chosen per line or per object code:
 *
 * - straight-line: the run rate of the actuals so far, over the months left, less what is already
 *   encumbered (never below zero);
 * - seasonal: the same with a monthly profile (salaries by pay periods left, utilities by month);
 * - encumbrance only: nothing more than what is encumbered;
 * - typed: the budget owner's own figure for the whole year.
 *
 * A straight-line or seasonal line with no actuals yet has no run rate: it is forecast at its budget
 * (less what is encumbered), so a line not yet spent still counts in the forecast.
 *
 * Each forecast says how it was made. Pure, integer cents; months are counted from July 1 (the
 * fiscal year FY2027 = July 2026 – June 2027), the as-of month by the share of its days elapsed.
 */
import { a1, cellText, type Grid } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { formatCents, parseMoney, type Cents } from '../money';
import { dataRows, findColumns, normalizeHeader } from '../tables';
import { FORECAST_METHODS_TABLE, specOf } from '../workbook/schema';

export type ForecastMethod = 'straight-line' | 'seasonal' | 'encumbrance only' | 'typed';

/** Twelve monthly weights, July to June. */
export type Profile = readonly number[];

export const PROFILES: Readonly<Record<string, Profile>> = {
  /** Ten pay periods, August to May (staff on a ten-month year). */
  'pay-10': [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0],
  'pay-12': [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  /** Heating and cooling: summer and winter heavier. */
  utilities: [1.2, 1.2, 1, 0.8, 0.9, 1.1, 1.3, 1.2, 1, 0.8, 0.8, 0.7],
};

export interface MethodRule {
  readonly method: ForecastMethod;
  readonly profile?: Profile;
  /** The profile's name as typed, for the explanation. */
  readonly profileName?: string;
  readonly typedCents?: Cents;
  /** What the rule applies to, for the explanation ("object 100-199", "this line"). */
  readonly label: string;
}

interface ObjectRule extends MethodRule {
  readonly lo: string;
  readonly hi: string;
}

/** The compiled Forecast Methods table: rules for single lines, then by object code, then a default. */
export interface ForecastRules {
  /** Line rules by site, then account. */
  readonly lines: ReadonlyMap<string, ReadonlyMap<string, MethodRule>>;
  readonly objects: readonly ObjectRule[];
  readonly fallback?: MethodRule;
}

export const NO_RULES: ForecastRules = { lines: new Map(), objects: [] };

function methodOf(text: string): ForecastMethod | undefined {
  const t = text
    .trim()
    .toLowerCase()
    .replace(/[-_\s]+/g, ' ');
  if (/^(straight( line)?|run rate|linear)$/.test(t)) return 'straight-line';
  if (/^(seasonal|profile)$/.test(t)) return 'seasonal';
  if (/^(encumbrance( only)?|encumbered|encumbrances only)$/.test(t)) return 'encumbrance only';
  if (/^(typed|manual|owner)$/.test(t)) return 'typed';
  return undefined;
}

/** "100-199" → [100, 199]; "1XX" → [100, 199]; "610" → [610, 610]. */
function objectRange(text: string): { lo: string; hi: string } | undefined {
  const range = /^(\d+)\s*-\s*(\d+)$/.exec(text);
  if (range && (range[1] as string).length === (range[2] as string).length)
    return { lo: range[1] as string, hi: range[2] as string };
  if (/^\d+[xX]*$/.test(text)) return { lo: text.replace(/[xX]/g, '0'), hi: text.replace(/[xX]/g, '9') };
  return undefined;
}

/**
 * Reads the Forecast Methods table. `isAccount` tells a whole account string (a line rule, with its
 * Site) from an object code.
 */
export function readForecastRules(
  grid: Grid | undefined,
  sheet: string,
  isAccount: (text: string) => string | undefined,
): { rules: ForecastRules; diagnostics: Diagnostic[] } {
  if (!grid) return { rules: NO_RULES, diagnostics: [] };
  const { columns, diagnostics } = findColumns(
    grid[0] ?? [],
    specOf(FORECAST_METHODS_TABLE),
    FORECAST_METHODS_TABLE.table,
    sheet,
  );
  if (diagnostics.length) return { rules: NO_RULES, diagnostics };
  const lines = new Map<string, Map<string, MethodRule>>();
  const objects: ObjectRule[] = [];
  let fallback: MethodRule | undefined;
  for (const { row, index } of dataRows(grid)) {
    const text = (c: number): string => (c >= 0 ? cellText(row[c] ?? null).trim() : '');
    const at = (c: number): { sheet: string; cell: string } => ({ sheet, cell: a1(index, Math.max(0, c)) });
    const bad = (c: number, problem: string): void => {
      diagnostics.push(diag('BL847', { problem }, at(c)));
    };
    const applies = text(columns.appliesTo);
    const method = methodOf(text(columns.method));
    if (!method) {
      bad(
        columns.method,
        `the method "${text(columns.method)}" is not straight-line, seasonal, encumbrance only or typed`,
      );
      continue;
    }
    let profile: Profile | undefined;
    let profileName: string | undefined;
    if (method === 'seasonal') {
      const p = text(columns.profile);
      const named = PROFILES[p.toLowerCase()];
      const weights = p
        .split(/[,;\s]+/)
        .filter((x) => x !== '')
        .map(Number);
      if (named) profile = named;
      else if (
        weights.length === 12 &&
        weights.every((w) => Number.isFinite(w) && w >= 0) &&
        weights.some((w) => w > 0)
      )
        profile = weights;
      else {
        bad(
          columns.profile,
          `the profile "${p}" is not twelve weights (July to June) nor pay-10, pay-12 or utilities`,
        );
        continue;
      }
      profileName = named ? p.toLowerCase() : 'its monthly profile';
    }
    let typedCents: Cents | undefined;
    if (method === 'typed') {
      const m = parseMoney(
        columns.amount >= 0 ? (row[columns.amount] ?? null) : null,
        at(columns.amount),
        'typed forecast',
      );
      if (!m.ok) {
        diagnostics.push(m.diagnostic);
        continue;
      }
      typedCents = m.value;
    }
    const base = {
      method,
      ...(profile ? { profile } : {}),
      ...(profileName ? { profileName } : {}),
      ...(typedCents !== undefined ? { typedCents } : {}),
    };
    const account = isAccount(applies);
    if (account) {
      const site = text(columns.site);
      if (!site) {
        bad(columns.site, `the line ${applies} needs its Site`);
        continue;
      }
      const bySite = lines.get(site) ?? new Map<string, MethodRule>();
      bySite.set(account, { ...base, label: 'this line' });
      lines.set(site, bySite);
      continue;
    }
    if (method === 'typed') {
      bad(columns.appliesTo, 'a typed forecast is for one line: give its account string and Site');
      continue;
    }
    if (applies === '*' || normalizeHeader(applies) === 'all') {
      fallback ??= { ...base, label: 'every line' };
      continue;
    }
    const range = objectRange(applies);
    if (!range) {
      bad(columns.appliesTo, `"${applies}" is not an object code, a range, a mask, * or an account string`);
      continue;
    }
    objects.push({ ...base, ...range, label: `object ${applies}` });
  }
  return { rules: { lines, objects, ...(fallback ? { fallback } : {}) }, diagnostics };
}

/** How far into the fiscal year `asOf` is, in months (0–12), and the month it falls in (0 = July). */
export function monthsElapsed(
  asOf: string,
  fiscalYear: number,
): { months: number; month: number; fraction: number } {
  const y = Number(asOf.slice(0, 4));
  const m = Number(asOf.slice(5, 7));
  const d = Number(asOf.slice(8, 10));
  const month = (y - (fiscalYear - 1)) * 12 + (m - 7);
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const fraction = d / days;
  return { months: Math.min(12, Math.max(0, month + fraction)), month, fraction };
}

export interface ForecastInput {
  readonly site: string;
  readonly account: string;
  readonly fund: string;
  /** The account's object code, for object rules. */
  readonly object: string;
  readonly budgetCents: Cents;
  readonly actualCents: Cents;
  readonly encumberedCents: Cents;
}

/** What a forecast was made from: enough to say how, in explainForecast. */
export interface ForecastBasis {
  /** What the rule applied to: "the default", "object 1XX", "every line", "this line". */
  readonly rule: string;
  /** Straight-line and seasonal: the estimate for the rest of the year before encumbrances. */
  readonly restCents?: Cents;
  /** Straight-line: months elapsed (0–12). */
  readonly months?: number;
  /** Seasonal: the profile's name and the share of its weight left, in percent. */
  readonly profile?: string;
  readonly weightLeftPercent?: number;
  /** Typed: the owner's figure for the year. */
  readonly typedCents?: Cents;
  /**
   * Straight-line and seasonal: the line has no actuals yet, so there is no run rate to project; it is
   * forecast at its budget (less what is encumbered), never at zero.
   */
  readonly atBudget?: true;
}

export interface LineForecast {
  readonly site: string;
  readonly account: string;
  readonly fund: string;
  readonly budgetCents: Cents;
  readonly actualCents: Cents;
  readonly encumberedCents: Cents;
  readonly remainderCents: Cents;
  /** actual + encumbered + remainder. */
  readonly forecastCents: Cents;
  /** budget − forecast: below zero, the line is forecast to end over budget. */
  readonly varianceCents: Cents;
  readonly method: ForecastMethod;
  /** How the forecast was made (explainForecast says it in a sentence). */
  readonly basis: ForecastBasis;
}

/** How a forecast was made, in a sentence. */
export function explainForecast(l: LineForecast): string {
  const b = l.basis;
  const less = `less ${formatCents(l.encumberedCents)} encumbered`;
  if (b.atBudget) {
    const method = l.method === 'seasonal' ? `seasonal by ${b.profile ?? 'profile'}` : l.method;
    return `no actuals yet, forecast at its budget (${method}, ${b.rule}): ${formatCents(l.budgetCents)} for the year, ${less}`;
  }
  switch (l.method) {
    case 'straight-line':
      return `straight-line (${b.rule}): ${formatCents(l.actualCents)} in ${(b.months ?? 0).toFixed(1)} of 12 months, ${formatCents(b.restCents ?? 0)} more at that rate, ${less}`;
    case 'seasonal':
      return `seasonal by ${b.profile ?? 'profile'} (${b.rule}): ${b.weightLeftPercent ?? 0}% of the year's weight left, ${formatCents(b.restCents ?? 0)} more, ${less}`;
    case 'encumbrance only':
      return `encumbrance only (${b.rule}): actual ${formatCents(l.actualCents)} plus ${formatCents(l.encumberedCents)} encumbered, nothing more`;
    case 'typed':
      return `typed by the budget owner: ${formatCents(b.typedCents ?? 0)} for the year`;
  }
}

const DEFAULT_RULE: MethodRule = { method: 'straight-line', label: 'the default' };

function ruleFor(rules: ForecastRules, l: ForecastInput): MethodRule {
  const line = rules.lines.size ? rules.lines.get(l.site)?.get(l.account) : undefined;
  if (line) return line;
  for (const r of rules.objects)
    if (l.object.length === r.lo.length && l.object >= r.lo && l.object <= r.hi) return r;
  return rules.fallback ?? DEFAULT_RULE;
}

/** Elapsed and remaining weight of a profile as of a point in the year. */
function split(profile: Profile, month: number, fraction: number): { done: number; left: number } {
  let done = 0;
  let total = 0;
  for (let i = 0; i < 12; i++) {
    const w = profile[i] ?? 0;
    total += w;
    if (i < month) done += w;
    else if (i === month) done += w * fraction;
  }
  return { done, left: total - done };
}

/** Forecasts every line as of `asOf` (YYYY-MM-DD within fiscal year `fiscalYear`). */
export function forecastLines(
  lines: readonly ForecastInput[],
  rules: ForecastRules,
  asOf: string,
  fiscalYear: number,
): LineForecast[] {
  const { months, month, fraction } = monthsElapsed(asOf, fiscalYear);
  const left = 12 - months;
  const profiles = new Map<Profile, { done: number; left: number; percent: number }>();
  const out: LineForecast[] = new Array<LineForecast>(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as ForecastInput;
    const rule = ruleFor(rules, l);
    const spent = l.actualCents + l.encumberedCents;
    let remainder = 0;
    let basis: ForecastBasis;
    // No actuals yet: no run rate to project, so the budget is still to be spent (a line not yet
    // spent is not a line that will cost nothing). A reduction (negative budget) stays at its budget.
    const atBudget = l.actualCents === 0 && (rule.method === 'straight-line' || rule.method === 'seasonal');
    const unspent = l.budgetCents < 0 ? l.budgetCents : Math.max(0, l.budgetCents - l.encumberedCents);
    switch (atBudget ? 'at budget' : rule.method) {
      case 'at budget':
        remainder = unspent;
        basis = {
          rule: rule.label,
          restCents: l.budgetCents,
          atBudget: true,
          ...(rule.method === 'seasonal' ? { profile: rule.profileName ?? 'profile' } : {}),
        };
        break;
      case 'straight-line': {
        const rest = months > 0 ? Math.round((l.actualCents * left) / months) : l.budgetCents - l.actualCents;
        remainder = Math.max(0, rest - l.encumberedCents);
        basis = { rule: rule.label, restCents: rest, months };
        break;
      }
      case 'seasonal': {
        const profile = rule.profile as Profile;
        let w = profiles.get(profile);
        if (!w) {
          const sp = split(profile, month, fraction);
          w = { ...sp, percent: Math.round((100 * sp.left) / (sp.done + sp.left)) };
          profiles.set(profile, w);
        }
        const rest =
          w.done > 0
            ? Math.round((l.actualCents * w.left) / w.done)
            : Math.round((l.budgetCents * w.left) / (w.left || 1));
        remainder = Math.max(0, rest - l.encumberedCents);
        basis = {
          rule: rule.label,
          restCents: rest,
          profile: rule.profileName ?? 'profile',
          weightLeftPercent: w.percent,
        };
        break;
      }
      case 'encumbrance only':
        basis = { rule: rule.label };
        break;
      case 'typed': {
        const typed = rule.typedCents ?? 0;
        remainder = typed - spent;
        basis = { rule: rule.label, typedCents: typed };
        break;
      }
    }
    const forecast = spent + remainder;
    out[i] = {
      site: l.site,
      account: l.account,
      fund: l.fund,
      budgetCents: l.budgetCents,
      actualCents: l.actualCents,
      encumberedCents: l.encumberedCents,
      remainderCents: remainder,
      forecastCents: forecast,
      varianceCents: l.budgetCents - forecast,
      method: rule.method,
      basis,
    };
  }
  return out;
}
