/**
 * Funding formulas: allocations computed from the Sites table by rules a district writes as data.
 *
 * Rule types (the Type column):
 *   per pupil        Amount per student of Basis (enrollment, English learners, special education, low income)
 *   weighted         Amount (base per-pupil) × Weight × Basis count (subgroup weights)
 *   proportional     Amount (gross dollars) split over the sites in proportion to Basis, by largest remainder
 *   fixed staffing   FTE of Job type at every site
 *   ratio staffing   1 FTE of Job type per Students per FTE of Basis, rounded up/down/nearest to the FTE step
 *   banded staffing  FTE of Job type by Basis band: "0-299: 0.5; 300-499: 1; 500-699: 1.5; 700+: 2"
 *   manual           Amount (and FTE) for one Site, with a note
 *   prior year       Percent of the site's Prior year budget
 * Staffing rules give FTE and dollars at the job type's average cost (salary + benefits).
 * Every allocation carries the rule lines that produced it.
 */
import type { Grid, Where } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import type { SegmentDef } from '../accounts/types';
import { formatCents, mulDivRound, parseMoney, splitLargestRemainder, type Cents } from '../money';
import { normalizeHeader } from '../tables';
import { FORMULA_TABLE } from '../workbook/schema';
import { jobTypeCost, unknownJobType, type Staffing } from '../budget/staffing';
import { similarNames, firstSeen, openTable, type TableOptions, type TableResult } from '../budget/table';
import {
  FTE_SCALE,
  formatFte,
  formatPpm,
  parseCount,
  parsePercent,
  parseYesNo,
  PPM,
  scaledDecimal,
  type MilliFte,
  type Ppm,
} from '../budget/units';
import { orderFindings } from './check';
import { parseSourceType, readRestrictions, type Site } from './tables';
import type { Allocation, CodeRestriction, MaxShare, RuleLine, SegmentFix, SourceType } from './types';

export type Basis = 'enrollment' | 'englishLearners' | 'specialEducation' | 'lowIncome';

export type SiteFilter =
  | { readonly kind: 'all' }
  | { readonly kind: 'titleI' }
  | { readonly kind: 'nonTitleI' }
  | { readonly kind: 'band'; readonly band: string }
  | { readonly kind: 'sites'; readonly codes: readonly string[] };

export interface Band {
  readonly from: number;
  /** Inclusive; undefined for the open last band ("700+"). */
  readonly to?: number;
  readonly fte: MilliFte;
}

export type Rounding = 'up' | 'down' | 'nearest';

interface RuleBase {
  readonly id: string;
  readonly source: string;
  readonly sourceType: SourceType;
  readonly appliesTo: SiteFilter;
  readonly fixed: readonly SegmentFix[];
  readonly allowed: readonly CodeRestriction[];
  readonly maxShares: readonly MaxShare[];
  readonly locked: boolean;
  readonly note: string;
  readonly where?: Where;
  /** Cells of the parameters, for findings about them. */
  readonly cells?: Readonly<Record<string, Where>>;
}

export type FormulaRule = RuleBase &
  (
    | { readonly type: 'perPupil'; readonly rate: Cents; readonly basis: Basis }
    | { readonly type: 'weighted'; readonly rate: Cents; readonly weight: Ppm; readonly basis: Basis }
    | { readonly type: 'proportional'; readonly total: Cents; readonly basis: Basis }
    | { readonly type: 'fixedStaffing'; readonly fte: MilliFte; readonly jobType: string }
    | {
        readonly type: 'ratioStaffing';
        readonly studentsPerFte: number;
        readonly basis: Basis;
        readonly rounding: Rounding;
        readonly step: MilliFte;
        readonly jobType: string;
      }
    | {
        readonly type: 'bandedStaffing';
        readonly bands: readonly Band[];
        readonly basis: Basis;
        readonly jobType: string;
      }
    | { readonly type: 'manual'; readonly site: string; readonly amount: Cents; readonly fte: MilliFte }
    | { readonly type: 'priorYear'; readonly percent: Ppm }
  );

export type RuleType = FormulaRule['type'];

export const RULE_TYPES: ReadonlyMap<string, RuleType> = new Map<string, RuleType>([
  ['perpupil', 'perPupil'],
  ['perstudent', 'perPupil'],
  ['weighted', 'weighted'],
  ['weight', 'weighted'],
  ['subgroupweight', 'weighted'],
  ['proportional', 'proportional'],
  ['grosssplit', 'proportional'],
  ['split', 'proportional'],
  ['fixedstaffing', 'fixedStaffing'],
  ['ratiostaffing', 'ratioStaffing'],
  ['bandedstaffing', 'bandedStaffing'],
  ['bands', 'bandedStaffing'],
  ['manual', 'manual'],
  ['manualadjustment', 'manual'],
  ['adjustment', 'manual'],
  ['prioryear', 'priorYear'],
  ['lastyear', 'priorYear'],
]);

const TYPE_NAMES = [
  'per pupil',
  'weighted',
  'proportional',
  'fixed staffing',
  'ratio staffing',
  'banded staffing',
  'manual',
  'prior year',
];

const BASES = new Map<string, Basis>([
  ['', 'enrollment'],
  ['enrollment', 'enrollment'],
  ['students', 'enrollment'],
  ['englishlearners', 'englishLearners'],
  ['el', 'englishLearners'],
  ['ell', 'englishLearners'],
  ['specialeducation', 'specialEducation'],
  ['sped', 'specialEducation'],
  ['lowincome', 'lowIncome'],
  ['economicallydisadvantaged', 'lowIncome'],
]);

const BASIS_WORDS: Record<Basis, string> = {
  enrollment: 'students',
  englishLearners: 'English learners',
  specialEducation: 'special education students',
  lowIncome: 'low-income students',
};

const countOf = (s: Site, b: Basis): number => s[b];

/** "0-299: 0.5; 300-499: 1; 700+: 2" → bands; they must start at 0, leave no gaps and end open. */
export function parseBands(text: string, where: Where): { value: Band[] } | { diagnostic: Diagnostic } {
  const bad = (problem: string): { diagnostic: Diagnostic } => ({
    diagnostic: diag('BL512', { shown: text, problem }, where),
  });
  const bands: Band[] = [];
  for (const part of text.split(/[;\n]/)) {
    const p = part.trim();
    if (!p) continue;
    const m = /^(\d+)\s*(?:(?:-|–|to)\s*(\d+)|(\+|or more|and up))\s*(?::|→|->|=)\s*(.+)$/.exec(p);
    if (!m) return bad(`"${p}" is not low-high: FTE`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? undefined : Number(m[2]);
    const f = scaledDecimal((m[4] as string).trim(), 3);
    if ('problem' in f || f.value < 0) return bad(`"${(m[4] as string).trim()}" is not an FTE`);
    if (to !== undefined && to < from) return bad(`${from}-${to} runs backwards`);
    bands.push(to === undefined ? { from, fte: f.value } : { from, to, fte: f.value });
  }
  if (bands.length === 0) return bad('no bands given');
  bands.sort((a, b) => a.from - b.from);
  if ((bands[0] as Band).from !== 0) return bad('the first band must start at 0');
  for (let i = 1; i < bands.length; i++) {
    const prev = bands[i - 1] as Band;
    const cur = bands[i] as Band;
    if (prev.to === undefined) return bad(`${prev.from}+ must be the last band`);
    if (cur.from <= prev.to) return bad(`${cur.from} is in two bands`);
    if (cur.from !== prev.to + 1) return bad(`no band covers ${prev.to + 1}-${cur.from - 1}`);
  }
  if ((bands[bands.length - 1] as Band).to !== undefined)
    return bad('the last band must be open-ended, e.g. 700+');
  return { value: bands };
}

/** "all", "Title I", "non-Title I", a grade band, or a list of site codes. */
export function parseSiteFilter(
  text: string,
  sites: readonly Site[],
  where: Where,
): { value: SiteFilter } | { diagnostic: Diagnostic } {
  const n = normalizeHeader(text);
  if (n === '' || n === 'all' || n === 'allsites' || n === 'allschools') return { value: { kind: 'all' } };
  if (n === 'titlei' || n === 'title1' || n === 'titleischools' || n === 'title1schools')
    return { value: { kind: 'titleI' } };
  if (/^(non|not)title(i|1)(schools)?$/.test(n)) return { value: { kind: 'nonTitleI' } };
  const bands = [...new Set(sites.map((s) => s.gradeBand).filter((b) => b !== ''))].sort();
  const band = bands.find((b) => normalizeHeader(b) === n);
  if (band !== undefined) return { value: { kind: 'band', band } };
  const codes = text.split(/[,;\s]+/).filter((x) => x !== '');
  const known = new Set(sites.map((s) => s.code));
  if (codes.length && codes.every((c) => known.has(c))) return { value: { kind: 'sites', codes } };
  return { diagnostic: diag('BL513', { shown: text, known: bands }, where) };
}

function applies(f: SiteFilter, s: Site): boolean {
  switch (f.kind) {
    case 'all':
      return true;
    case 'titleI':
      return s.titleI;
    case 'nonTitleI':
      return !s.titleI;
    case 'band':
      return s.gradeBand === f.band;
    case 'sites':
      return f.codes.includes(s.code);
  }
}

function filterText(f: SiteFilter): string {
  switch (f.kind) {
    case 'all':
      return 'all';
    case 'titleI':
      return 'Title I';
    case 'nonTitleI':
      return 'non-Title I';
    case 'band':
      return f.band;
    case 'sites':
      return f.codes.join(', ');
  }
}

export interface RuleTableOptions extends TableOptions {
  /** Default FTE step for ratio staffing, thousandths (the district's setting). */
  readonly fteStep?: MilliFte;
}

/** The Formula rules table. `sites` resolve "Applies to" and manual rules' Site; `segments` the restrictions. */
export function readFormulaRules(
  grid: Grid,
  sites: readonly Site[],
  segments: readonly SegmentDef[],
  options: RuleTableOptions = {},
): TableResult<FormulaRule> {
  const t = openTable(grid, FORMULA_TABLE.columns, FORMULA_TABLE.table, options);
  const diagnostics = [...t.diagnostics];
  const rows: FormulaRule[] = [];
  const seen = firstSeen();
  const siteCodes = new Set(sites.map((s) => s.code));
  for (const { row, index } of t.rows) {
    const before = diagnostics.length;
    const push = (d: Diagnostic): void => void diagnostics.push(d);
    const id = t.text(row, 'id');
    const where = t.where(index, 'id');
    const typeText = t.text(row, 'type');
    const type = RULE_TYPES.get(normalizeHeader(typeText));
    if (!type) {
      push(diag('BL510', { type: typeText, known: TYPE_NAMES }, t.where(index, 'type')));
      continue;
    }
    const label = id || `row ${index + 1}`;
    const need = (col: keyof typeof FORMULA_TABLE.columns, column: string, problem = 'is blank'): void =>
      push(diag('BL511', { rule: label, type: typeText, column, problem }, t.where(index, col)));
    if (!id) need('id', 'Rule');
    else {
      const dup = seen.check(id, where);
      if (dup)
        push(diag('BL420', { table: 'Formula rules', what: 'rule', key: id, first: dup.cell ?? '' }, where));
    }
    const source = t.text(row, 'source');
    if (!source) need('source', 'Source');
    const sourceType = parseSourceType(t.text(row, 'sourceType'));
    if (!sourceType) need('sourceType', 'Source type', 'must be federal, state or local');
    const filter = parseSiteFilter(t.text(row, 'appliesTo'), sites, t.where(index, 'appliesTo'));
    if ('diagnostic' in filter) push(filter.diagnostic);
    const locked = parseYesNo(t.value(row, 'locked'), t.where(index, 'locked'), 'locked flag');
    if (!locked.ok) push(locked.diagnostic);
    const restr = readRestrictions(
      (c) => ({ text: t.text(row, c), where: t.where(index, c) }),
      segments,
      push,
    );

    const money = (col: 'amount', column: string): Cents | undefined => {
      if (t.blank(row, col)) return (need(col, column), undefined);
      const r = parseMoney(
        t.value(row, col),
        t.where(index, col),
        `${column.toLowerCase()} of rule ${label}`,
      );
      if (r.ok) return r.value;
      push(r.diagnostic);
      return undefined;
    };
    const basis = (): Basis | undefined => {
      const b = BASES.get(normalizeHeader(t.text(row, 'basis')));
      if (!b) need('basis', 'Basis', 'must be enrollment, English learners, special education or low income');
      return b;
    };
    const fteValue = (col: 'fte' | 'step', column: string, allowNegative = false): MilliFte | undefined => {
      if (t.blank(row, col)) return (need(col, column), undefined);
      const r = scaledDecimal(t.value(row, col), 3);
      if ('problem' in r) return (need(col, column, r.problem), undefined);
      if (!allowNegative && r.value <= 0) return (need(col, column, 'must be more than 0'), undefined);
      return r.value;
    };
    const job = (): string | undefined => {
      const j = t.text(row, 'jobType');
      if (!j) need('jobType', 'Job type');
      return j || undefined;
    };

    let params: Record<string, unknown> | undefined;
    switch (type) {
      case 'perPupil': {
        const rate = money('amount', 'Amount');
        const b = basis();
        if (rate !== undefined && b) params = { rate, basis: b };
        break;
      }
      case 'weighted': {
        const rate = money('amount', 'Amount');
        const b = basis();
        let weight: number | undefined;
        if (t.blank(row, 'weight')) need('weight', 'Weight');
        else {
          const w = scaledDecimal(t.value(row, 'weight'), 6);
          if ('problem' in w || w.value < 0)
            need('weight', 'Weight', 'problem' in w ? w.problem : 'must not be negative');
          else weight = w.value;
        }
        if (rate !== undefined && b && weight !== undefined) params = { rate, weight, basis: b };
        break;
      }
      case 'proportional': {
        const total = money('amount', 'Amount');
        const b = basis();
        if (total !== undefined && b) params = { total, basis: b };
        break;
      }
      case 'fixedStaffing': {
        const fte = fteValue('fte', 'FTE');
        const j = job();
        if (fte !== undefined && j) params = { fte, jobType: j };
        break;
      }
      case 'ratioStaffing': {
        const b = basis();
        const j = job();
        let studentsPerFte: number | undefined;
        const r = parseCount(t.value(row, 'ratio'), t.where(index, 'ratio'), 'students per FTE');
        if (!r.ok || r.value === 0) need('ratio', 'Students per FTE', 'must be a whole number above 0');
        else studentsPerFte = r.value;
        const roundText = normalizeHeader(t.text(row, 'rounding'));
        const rounding: Rounding | undefined =
          roundText === 'up'
            ? 'up'
            : roundText === 'down'
              ? 'down'
              : roundText === 'nearest'
                ? 'nearest'
                : undefined;
        if (!rounding) need('rounding', 'Rounding', 'must be up, down or nearest');
        const step = t.blank(row, 'step') ? (options.fteStep ?? FTE_SCALE) : fteValue('step', 'Step');
        if (b && j && studentsPerFte !== undefined && rounding && step !== undefined)
          params = { basis: b, jobType: j, studentsPerFte, rounding, step };
        break;
      }
      case 'bandedStaffing': {
        const b = basis();
        const j = job();
        let bands: Band[] | undefined;
        if (t.blank(row, 'bands')) need('bands', 'Bands');
        else {
          const r = parseBands(t.text(row, 'bands'), t.where(index, 'bands'));
          if ('diagnostic' in r) push(r.diagnostic);
          else bands = r.value;
        }
        if (b && j && bands) params = { basis: b, jobType: j, bands };
        break;
      }
      case 'manual': {
        const site = t.text(row, 'site');
        if (!site || !siteCodes.has(site)) {
          const suggestions = similarNames(site, siteCodes);
          push(diag('BL509', { site, suggestions }, { ...t.where(index, 'site'), suggestions }));
        }
        const amount = t.blank(row, 'amount') ? 0 : money('amount', 'Amount');
        const fte = t.blank(row, 'fte') ? 0 : fteValue('fte', 'FTE', true);
        if (t.blank(row, 'amount') && t.blank(row, 'fte')) need('amount', 'Amount');
        if (amount !== undefined && fte !== undefined) params = { site, amount, fte };
        break;
      }
      case 'priorYear': {
        const p = parsePercent(
          t.value(row, 'percent'),
          t.where(index, 'percent'),
          `percent of rule ${label}`,
          10 * PPM,
        );
        if (p.ok) params = { percent: p.value };
        else push(p.diagnostic);
        break;
      }
    }
    if (
      diagnostics.length > before ||
      !params ||
      !restr ||
      !sourceType ||
      'diagnostic' in filter ||
      !locked.ok
    )
      continue;
    const cells: Record<string, Where> = {};
    for (const k of ['jobType', 'site', 'amount', 'basis'] as const) cells[k] = t.where(index, k);
    rows.push({
      id,
      source,
      sourceType,
      appliesTo: filter.value,
      ...restr,
      locked: locked.value,
      note: t.text(row, 'note'),
      where,
      cells,
      type,
      ...params,
    } as unknown as FormulaRule);
  }
  return { rows, diagnostics };
}

interface Contribution {
  readonly site: string;
  readonly rule: FormulaRule;
  readonly line: RuleLine;
}

const num = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function staffingLine(
  rule: FormulaRule & { jobType: string },
  staffing: Staffing,
  fte: MilliFte,
  why: string,
): { line: RuleLine } | { missing: true } {
  const cost = jobTypeCost(staffing, rule.jobType, fte);
  if (!cost) return { missing: true };
  const title = staffing.jobTypes.get(rule.jobType)?.title ?? rule.jobType;
  return {
    line: {
      rule: rule.id,
      type: rule.type,
      explanation: `${why}${formatFte(fte)} FTE ${title} at average cost = ${formatCents(cost.total)}`,
      amount: cost.total,
      fte,
    },
  };
}

function roundTo(q: number, d: number, how: Rounding): number {
  // q / d rounded to a whole number, exactly.
  const f = Math.floor(q / d);
  const r = q - f * d;
  if (r === 0 || how === 'down') return f;
  if (how === 'up') return f + 1;
  return 2 * r >= d ? f + 1 : f;
}

function fixedKey(fixed: readonly SegmentFix[]): string {
  return [...fixed]
    .sort((a, b) => (a.segment < b.segment ? -1 : a.segment > b.segment ? 1 : 0))
    .map((f) => `${f.segment}=${f.code}`)
    .join('; ');
}

/**
 * Runs the rules over the sites: one allocation per site, source and fixed segments, carrying the
 * rule lines that produced it. Results do not depend on the order of sites or rules.
 * Findings: unknown job types (BL412), missing prior-year budgets (BL518), negative totals (BL516),
 * proportional rules with nothing to split by (BL511), supplement-not-supplant (BL515).
 */
export function computeAllocations(
  sites: readonly Site[],
  rules: readonly FormulaRule[],
  staffing: Staffing,
): { allocations: Allocation[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const contributions: Contribution[] = [];
  const ordered = [...sites].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const jobMissingReported = new Set<string>();
  for (const rule of rules) {
    const eligible = ordered.filter((s) => applies(rule.appliesTo, s));
    if (
      (rule.appliesTo.kind === 'titleI' || rule.appliesTo.kind === 'nonTitleI') &&
      rule.sourceType !== 'federal'
    )
      diagnostics.push(
        diag(
          'BL515',
          { rule: rule.id, source: rule.source, appliesTo: filterText(rule.appliesTo) },
          rule.where ?? {},
        ),
      );
    const add = (site: string, line: RuleLine): void => void contributions.push({ site, rule, line });
    const staff = (site: Site, fte: MilliFte, why: string): void => {
      const r = staffingLine(rule as FormulaRule & { jobType: string }, staffing, fte, why);
      if ('line' in r) add(site.code, r.line);
      else if (!jobMissingReported.has(rule.id)) {
        jobMissingReported.add(rule.id);
        diagnostics.push(
          unknownJobType(
            (rule as { jobType: string }).jobType,
            staffing,
            rule.cells?.['jobType'] ?? rule.where ?? {},
          ),
        );
      }
    };
    switch (rule.type) {
      case 'perPupil':
        for (const s of eligible) {
          const n = countOf(s, rule.basis);
          const amount = rule.rate * n;
          add(s.code, {
            rule: rule.id,
            type: rule.type,
            explanation: `${num(n)} ${BASIS_WORDS[rule.basis]} × ${formatCents(rule.rate)} = ${formatCents(amount)}`,
            amount,
            fte: 0,
          });
        }
        break;
      case 'weighted':
        for (const s of eligible) {
          const n = countOf(s, rule.basis);
          const amount = mulDivRound(rule.rate * n, rule.weight, PPM);
          add(s.code, {
            rule: rule.id,
            type: rule.type,
            explanation: `${num(n)} ${BASIS_WORDS[rule.basis]} × ${formatCents(rule.rate)} × weight ${rule.weight / PPM} = ${formatCents(amount)}`,
            amount,
            fte: 0,
          });
        }
        break;
      case 'proportional': {
        const counts = eligible.map((s) => countOf(s, rule.basis));
        const total = counts.reduce((a, b) => a + b, 0);
        if (total === 0) {
          diagnostics.push(
            diag(
              'BL511',
              {
                rule: rule.id,
                type: 'proportional',
                column: 'Basis',
                problem: `counts no ${BASIS_WORDS[rule.basis]} at the eligible sites`,
              },
              rule.cells?.['basis'] ?? rule.where ?? {},
            ),
          );
          break;
        }
        const parts = splitLargestRemainder(
          rule.total,
          counts,
          eligible.map((s) => s.code),
        );
        eligible.forEach((s, i) =>
          add(s.code, {
            rule: rule.id,
            type: rule.type,
            explanation: `${num(counts[i] as number)} of ${num(total)} ${BASIS_WORDS[rule.basis]} share ${formatCents(rule.total)} = ${formatCents(parts[i] as number)}`,
            amount: parts[i] as number,
            fte: 0,
          }),
        );
        break;
      }
      case 'fixedStaffing':
        for (const s of eligible) staff(s, rule.fte, '');
        break;
      case 'ratioStaffing':
        for (const s of eligible) {
          const n = countOf(s, rule.basis);
          const steps = roundTo(n * FTE_SCALE, rule.studentsPerFte * rule.step, rule.rounding);
          const fte = steps * rule.step;
          staff(
            s,
            fte,
            `${num(n)} ${BASIS_WORDS[rule.basis]} ÷ ${num(rule.studentsPerFte)} per FTE, rounded ${rule.rounding} to ${formatFte(rule.step)}: `,
          );
        }
        break;
      case 'bandedStaffing':
        for (const s of eligible) {
          const n = countOf(s, rule.basis);
          const band = rule.bands.find((b) => n >= b.from && (b.to === undefined || n <= b.to)) as Band;
          staff(
            s,
            band.fte,
            `${num(n)} ${BASIS_WORDS[rule.basis]} in band ${band.from}${band.to === undefined ? '+' : `-${band.to}`}: `,
          );
        }
        break;
      case 'manual':
        add(rule.site, {
          rule: rule.id,
          type: rule.type,
          explanation: `manual adjustment ${formatCents(rule.amount)}${rule.fte ? `, ${formatFte(rule.fte)} FTE` : ''}${rule.note ? `: ${rule.note}` : ''}`,
          amount: rule.amount,
          fte: rule.fte,
        });
        break;
      case 'priorYear':
        for (const s of eligible) {
          if (s.priorYear === undefined) {
            diagnostics.push(diag('BL518', { rule: rule.id, site: s.code }, s.where ?? {}));
            continue;
          }
          const amount = mulDivRound(s.priorYear, rule.percent, PPM);
          add(s.code, {
            rule: rule.id,
            type: rule.type,
            explanation: `${formatPpm(rule.percent)} of last year's ${formatCents(s.priorYear)} = ${formatCents(amount)}`,
            amount,
            fte: 0,
          });
        }
        break;
    }
  }

  // Group into allocations by site, source and fixed segments.
  const groups = new Map<string, { site: string; rules: FormulaRule[]; lines: RuleLine[] }>();
  for (const c of contributions) {
    const key = `${c.site}\u0000${c.rule.source}\u0000${fixedKey(c.rule.fixed)}`;
    const g = groups.get(key) ?? { site: c.site, rules: [], lines: [] };
    groups.set(key, g);
    if (!g.rules.includes(c.rule)) g.rules.push(c.rule);
    g.lines.push(c.line);
  }
  const allocations: Allocation[] = [];
  for (const g of groups.values()) {
    const rs = [...g.rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const first = rs[0] as FormulaRule;
    const lines = [...g.lines].sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
    const amount = lines.reduce((s, l) => s + l.amount, 0);
    const fte = lines.reduce((s, l) => s + l.fte, 0);
    const hasFte = rs.some((r) => r.type.endsWith('Staffing') || (r.type === 'manual' && r.fte !== 0));
    const fk = fixedKey(first.fixed);
    const id = `${g.site} ${first.source}${fk ? ` (${fk})` : ''}`;
    const uniq = <T extends { text: string }>(xs: T[]): T[] =>
      xs.filter((x, i) => xs.findIndex((y) => y.text === x.text) === i);
    allocations.push({
      id,
      site: g.site,
      source: first.source,
      sourceType: first.sourceType,
      amount,
      ...(hasFte ? { fte } : {}),
      locked: rs.some((r) => r.locked),
      fixed: first.fixed,
      allowed: uniq(rs.flatMap((r) => [...r.allowed])),
      maxShares: uniq(rs.flatMap((r) => [...r.maxShares])),
      rules: lines,
    });
    if (amount < 0)
      diagnostics.push(diag('BL516', { allocation: id, amount: formatCents(amount) }, first.where ?? {}));
  }
  allocations.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { allocations, diagnostics: orderFindings(diagnostics) };
}

/**
 * Title I comparability: within each grade band, every Title I school's students per state/local
 * staff FTE must be at most 110% of the non-Title I schools' average (total students ÷ total FTE).
 * `fteBySite`: state/local FTE per site (e.g. `stateLocalFte(allocations)` or planned positions).
 */
export function checkComparability(
  sites: readonly Site[],
  fteBySite: ReadonlyMap<string, MilliFte>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bands = new Map<string, Site[]>();
  for (const s of sites) bands.set(s.gradeBand, [...(bands.get(s.gradeBand) ?? []), s]);
  for (const [band, group] of [...bands].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    let nStudents = 0;
    let nFte = 0;
    for (const s of group)
      if (!s.titleI) {
        nStudents += s.enrollment;
        nFte += fteBySite.get(s.code) ?? 0;
      }
    if (nFte === 0) continue;
    for (const s of [...group].sort((a, b) => (a.code < b.code ? -1 : 1))) {
      if (!s.titleI || s.enrollment === 0) continue;
      const fte = fteBySite.get(s.code) ?? 0;
      // ratio_t > 1.1 × ratio_n  ⇔  enrollment_t × nFte × 100 > 110 × nStudents × fte_t
      if (BigInt(s.enrollment) * BigInt(nFte) * 100n > 110n * BigInt(nStudents) * BigInt(fte)) {
        const ratio = (x: number, f: number): string => (f === 0 ? 'no' : ((x * FTE_SCALE) / f).toFixed(1));
        out.push(
          diag(
            'BL514',
            {
              site: s.name === s.code ? s.code : `${s.name} (${s.code})`,
              ratio: ratio(s.enrollment, fte),
              limit: ((nStudents * FTE_SCALE * 1.1) / nFte).toFixed(1),
              average: ratio(nStudents, nFte),
              band,
            },
            s.where ?? {},
          ),
        );
      }
    }
  }
  return out;
}

/** State and local FTE per site from allocations (federal sources left out), for comparability. */
export function stateLocalFte(allocations: readonly Allocation[]): Map<string, MilliFte> {
  const m = new Map<string, MilliFte>();
  for (const a of allocations)
    if (a.sourceType !== 'federal' && a.fte) m.set(a.site, (m.get(a.site) ?? 0) + a.fte);
  return m;
}
