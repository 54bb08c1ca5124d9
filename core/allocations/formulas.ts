/**
 * Funding formulas: allocations computed from the Sites table by rules a district writes as data
 * (the Formula sheet, one rule a row). Each rule type (the Type column) is one entry of RULE_KINDS:
 * how the Type column spells it, which columns it reads and how, and what it gives each site.
 * Staffing rules give FTE and dollars at the job type's average cost (salary + benefits).
 * Every allocation carries the rule lines that produced it.
 */
import { compareText, type CellValue, type Grid, type Where } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import type { SegmentDef } from '../accounts/types';
import { formatCents, mulDivRound, parseMoney, splitLargestRemainder, type Cents } from '../money';
import { normalizeHeader } from '../tables';
import { FORMULA_TABLE, type ColumnKey } from '../workbook/schema';
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

/** Each rule type's parameters, read from its row. */
export interface RuleParams {
  readonly perPupil: { readonly rate: Cents; readonly basis: Basis };
  readonly weighted: { readonly rate: Cents; readonly weight: Ppm; readonly basis: Basis };
  readonly proportional: { readonly total: Cents; readonly basis: Basis };
  readonly fixedStaffing: { readonly fte: MilliFte; readonly jobType: string };
  readonly ratioStaffing: {
    readonly studentsPerFte: number;
    readonly basis: Basis;
    readonly rounding: Rounding;
    readonly step: MilliFte;
    readonly jobType: string;
  };
  readonly bandedStaffing: {
    readonly bands: readonly Band[];
    readonly basis: Basis;
    readonly jobType: string;
  };
  readonly manual: { readonly site: string; readonly amount: Cents; readonly fte: MilliFte };
  readonly priorYear: { readonly percent: Ppm };
}

export type RuleType = keyof RuleParams;

/** A rule of one type. */
export type RuleOf<T extends RuleType> = RuleBase & { readonly type: T } & RuleParams[T];

/** A rule of any type (its parameters are those of its type: RULE_KINDS[rule.type] reads and runs it). */
export type FormulaRule = RuleOf<RuleType>;

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
function parseSiteFilter(
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

/** One row of the Formula table as a rule type's reader sees it: its cells, and readers that push findings. */
export interface RuleRow {
  /** The rule's id, or "row N" when blank. */
  readonly label: string;
  text(col: FormulaColumn): string;
  value(col: FormulaColumn): CellValue;
  blank(col: FormulaColumn): boolean;
  where(col: FormulaColumn): Where;
  /** A BL511 finding on `col`, named by its header ("is blank" unless told). */
  need(col: FormulaColumn, problem?: string): void;
  push(d: Diagnostic): void;
  money(col: 'amount'): Cents | undefined;
  basis(): Basis | undefined;
  fte(col: 'fte' | 'step', allowNegative?: boolean): MilliFte | undefined;
  jobType(): string | undefined;
  /** The Sites table's codes. */
  readonly siteCodes: ReadonlySet<string>;
  /** The district's FTE step (the default Step of ratio staffing). */
  readonly fteStep: MilliFte;
}

type FormulaColumn = ColumnKey<typeof FORMULA_TABLE>;

/** What a rule type's computation may do: the eligible sites (by code), and where its lines go. */
interface RuleRun {
  readonly eligible: readonly Site[];
  /** Adds a line for `site` (the rule's id and type are filled in). */
  add(site: string, line: Omit<RuleLine, 'rule' | 'type'>): void;
  /** Adds `fte` of `jobType` at its average cost; an unknown job type is reported once per rule. */
  staff(site: Site, jobType: string, fte: MilliFte, why: string): void;
  push(d: Diagnostic): void;
}

/** One rule type: how the Type column names it, how its row is read and what it computes. */
interface RuleKind<T extends RuleType> {
  /** Spellings of the Type column; the first is the one shown in findings and docs. */
  readonly names: readonly string[];
  /** The parameters, or undefined after pushing findings. */
  read(row: RuleRow): RuleParams[T] | undefined;
  compute(rule: RuleOf<T>, run: RuleRun): void;
  /** Whether the rule's allocations carry FTE. */
  readonly givesFte: (rule: RuleOf<T>) => boolean;
}

const perSite =
  <T extends RuleType>(line: (rule: RuleOf<T>, s: Site) => Omit<RuleLine, 'rule' | 'type'>) =>
  (rule: RuleOf<T>, run: RuleRun): void => {
    for (const s of run.eligible) run.add(s.code, line(rule, s));
  };

const noFte = (): boolean => false;
const staffs = (): boolean => true;

/** The rule types. Adding one is adding an entry here (and its parameters to RuleParams). */
export const RULE_KINDS: { readonly [T in RuleType]: RuleKind<T> } = {
  /** Amount per student of Basis (enrollment, English learners, special education, low income). */
  perPupil: {
    names: ['per pupil', 'per student'],
    read: (r) => {
      const rate = r.money('amount');
      const basis = r.basis();
      return rate !== undefined && basis ? { rate, basis } : undefined;
    },
    compute: perSite((rule, s) => {
      const n = countOf(s, rule.basis);
      const amount = rule.rate * n;
      return {
        explanation: `${num(n)} ${BASIS_WORDS[rule.basis]} × ${formatCents(rule.rate)} = ${formatCents(amount)}`,
        amount,
        fte: 0,
      };
    }),
    givesFte: noFte,
  },
  /** Amount (base per-pupil) × Weight × Basis count (subgroup weights). */
  weighted: {
    names: ['weighted', 'weight', 'subgroup weight'],
    read: (r) => {
      const rate = r.money('amount');
      const basis = r.basis();
      let weight: Ppm | undefined;
      if (r.blank('weight')) r.need('weight');
      else {
        const w = scaledDecimal(r.value('weight'), 6);
        if ('problem' in w || w.value < 0)
          r.need('weight', 'problem' in w ? w.problem : 'must not be negative');
        else weight = w.value;
      }
      return rate !== undefined && basis && weight !== undefined ? { rate, weight, basis } : undefined;
    },
    compute: perSite((rule, s) => {
      const n = countOf(s, rule.basis);
      const amount = mulDivRound(rule.rate * n, rule.weight, PPM);
      return {
        explanation: `${num(n)} ${BASIS_WORDS[rule.basis]} × ${formatCents(rule.rate)} × weight ${rule.weight / PPM} = ${formatCents(amount)}`,
        amount,
        fte: 0,
      };
    }),
    givesFte: noFte,
  },
  /** Amount (gross dollars) split over the sites in proportion to Basis, by largest remainder. */
  proportional: {
    names: ['proportional', 'gross split', 'split'],
    read: (r) => {
      const total = r.money('amount');
      const basis = r.basis();
      return total !== undefined && basis ? { total, basis } : undefined;
    },
    compute: (rule, run) => {
      const counts = run.eligible.map((s) => countOf(s, rule.basis));
      const total = counts.reduce((a, b) => a + b, 0);
      if (total === 0) {
        run.push(
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
        return;
      }
      const parts = splitLargestRemainder(
        rule.total,
        counts,
        run.eligible.map((s) => s.code),
      );
      run.eligible.forEach((s, i) =>
        run.add(s.code, {
          explanation: `${num(counts[i] as number)} of ${num(total)} ${BASIS_WORDS[rule.basis]} share ${formatCents(rule.total)} = ${formatCents(parts[i] as number)}`,
          amount: parts[i] as number,
          fte: 0,
        }),
      );
    },
    givesFte: noFte,
  },
  /** FTE of Job type at every site. */
  fixedStaffing: {
    names: ['fixed staffing'],
    read: (r) => {
      const fte = r.fte('fte');
      const jobType = r.jobType();
      return fte !== undefined && jobType ? { fte, jobType } : undefined;
    },
    compute: (rule, run) => {
      for (const s of run.eligible) run.staff(s, rule.jobType, rule.fte, '');
    },
    givesFte: staffs,
  },
  /** 1 FTE of Job type per Students per FTE of Basis, rounded up/down/nearest to the FTE step. */
  ratioStaffing: {
    names: ['ratio staffing'],
    read: (r) => {
      const basis = r.basis();
      const jobType = r.jobType();
      let studentsPerFte: number | undefined;
      const c = parseCount(r.value('ratio'), r.where('ratio'), 'students per FTE');
      if (!c.ok || c.value === 0) r.need('ratio', 'must be a whole number above 0');
      else studentsPerFte = c.value;
      const rounding = ROUNDINGS.find((x) => x === normalizeHeader(r.text('rounding')));
      if (!rounding) r.need('rounding', 'must be up, down or nearest');
      const step = r.blank('step') ? r.fteStep : r.fte('step');
      return basis && jobType && studentsPerFte !== undefined && rounding && step !== undefined
        ? { basis, jobType, studentsPerFte, rounding, step }
        : undefined;
    },
    compute: (rule, run) => {
      for (const s of run.eligible) {
        const n = countOf(s, rule.basis);
        const steps = roundTo(n * FTE_SCALE, rule.studentsPerFte * rule.step, rule.rounding);
        run.staff(
          s,
          rule.jobType,
          steps * rule.step,
          `${num(n)} ${BASIS_WORDS[rule.basis]} ÷ ${num(rule.studentsPerFte)} per FTE, rounded ${rule.rounding} to ${formatFte(rule.step)}: `,
        );
      }
    },
    givesFte: staffs,
  },
  /** FTE of Job type by Basis band: "0-299: 0.5; 300-499: 1; 500-699: 1.5; 700+: 2". */
  bandedStaffing: {
    names: ['banded staffing', 'bands'],
    read: (r) => {
      const basis = r.basis();
      const jobType = r.jobType();
      let bands: Band[] | undefined;
      if (r.blank('bands')) r.need('bands');
      else {
        const b = parseBands(r.text('bands'), r.where('bands'));
        if ('diagnostic' in b) r.push(b.diagnostic);
        else bands = b.value;
      }
      return basis && jobType && bands ? { basis, jobType, bands } : undefined;
    },
    compute: (rule, run) => {
      for (const s of run.eligible) {
        const n = countOf(s, rule.basis);
        // parseBands leaves no gaps from 0 and ends open, so every count has a band.
        const band = rule.bands.find((b) => n >= b.from && (b.to === undefined || n <= b.to)) as Band;
        run.staff(
          s,
          rule.jobType,
          band.fte,
          `${num(n)} ${BASIS_WORDS[rule.basis]} in band ${band.from}${band.to === undefined ? '+' : `-${band.to}`}: `,
        );
      }
    },
    givesFte: staffs,
  },
  /** Amount (and FTE) for one Site, with a note. */
  manual: {
    names: ['manual', 'manual adjustment', 'adjustment'],
    read: (r) => {
      const site = r.text('site');
      if (!site || !r.siteCodes.has(site)) {
        const suggestions = similarNames(site, r.siteCodes);
        r.push(diag('BL509', { site, suggestions }, { ...r.where('site'), suggestions }));
      }
      const amount = r.blank('amount') ? 0 : r.money('amount');
      const fte = r.blank('fte') ? 0 : r.fte('fte', true);
      if (r.blank('amount') && r.blank('fte')) r.need('amount');
      return amount !== undefined && fte !== undefined ? { site, amount, fte } : undefined;
    },
    compute: (rule, run) =>
      run.add(rule.site, {
        explanation: `manual adjustment ${formatCents(rule.amount)}${rule.fte ? `, ${formatFte(rule.fte)} FTE` : ''}${rule.note ? `: ${rule.note}` : ''}`,
        amount: rule.amount,
        fte: rule.fte,
      }),
    givesFte: (rule) => rule.fte !== 0,
  },
  /** Percent of the site's Prior year budget. */
  priorYear: {
    names: ['prior year', 'last year'],
    read: (r) => {
      const p = parsePercent(r.value('percent'), r.where('percent'), `percent of rule ${r.label}`, 10 * PPM);
      if (p.ok) return { percent: p.value };
      r.push(p.diagnostic);
      return undefined;
    },
    compute: (rule, run) => {
      for (const s of run.eligible) {
        if (s.priorYear === undefined) {
          run.push(diag('BL518', { rule: rule.id, site: s.code }, s.where ?? {}));
          continue;
        }
        const amount = mulDivRound(s.priorYear, rule.percent, PPM);
        run.add(s.code, {
          explanation: `${formatPpm(rule.percent)} of last year's ${formatCents(s.priorYear)} = ${formatCents(amount)}`,
          amount,
          fte: 0,
        });
      }
    },
    givesFte: noFte,
  },
};

const RULE_TYPE_LIST = Object.keys(RULE_KINDS) as RuleType[];

/** The Type column's spellings (normalised) → rule type. */
export const RULE_TYPES: ReadonlyMap<string, RuleType> = new Map(
  RULE_TYPE_LIST.flatMap((type) => RULE_KINDS[type].names.map((n) => [normalizeHeader(n), type] as const)),
);

/** How findings name the rule types. */
const TYPE_NAMES = RULE_TYPE_LIST.map((type) => RULE_KINDS[type].names[0] as string);

const ROUNDINGS: readonly Rounding[] = ['up', 'down', 'nearest'];

/** A rule type's parameters read from its row, as a maker of the whole rule; undefined after findings. */
function readRule<T extends RuleType>(type: T, row: RuleRow): ((base: RuleBase) => RuleOf<T>) | undefined {
  const params = RULE_KINDS[type].read(row);
  if (!params) return undefined;
  return (base) => {
    const rule: RuleOf<T> = Object.assign({}, base, { type }, params);
    return rule;
  };
}

function computeRule<T extends RuleType>(rule: RuleOf<T>, run: RuleRun): void {
  RULE_KINDS[rule.type].compute(rule, run);
}

function givesFte<T extends RuleType>(rule: RuleOf<T>): boolean {
  return RULE_KINDS[rule.type].givesFte(rule);
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
    const need = (col: FormulaColumn, problem = 'is blank'): void =>
      push(
        diag(
          'BL511',
          { rule: label, type: typeText, column: FORMULA_TABLE.columns[col].header, problem },
          t.where(index, col),
        ),
      );
    if (!id) need('id');
    else {
      const dup = seen.check(id, where);
      if (dup)
        push(diag('BL420', { table: 'Formula rules', what: 'rule', key: id, first: dup.cell ?? '' }, where));
    }
    const source = t.text(row, 'source');
    if (!source) need('source');
    const sourceType = parseSourceType(t.text(row, 'sourceType'));
    if (!sourceType) need('sourceType', 'must be federal, state or local');
    const filter = parseSiteFilter(t.text(row, 'appliesTo'), sites, t.where(index, 'appliesTo'));
    if ('diagnostic' in filter) push(filter.diagnostic);
    const locked = parseYesNo(t.value(row, 'locked'), t.where(index, 'locked'), 'locked flag');
    if (!locked.ok) push(locked.diagnostic);
    const restr = readRestrictions(
      (c) => ({ text: t.text(row, c), where: t.where(index, c) }),
      segments,
      push,
    );

    const cells: RuleRow = {
      label,
      text: (col) => t.text(row, col),
      value: (col) => t.value(row, col),
      blank: (col) => t.blank(row, col),
      where: (col) => t.where(index, col),
      need,
      push,
      money: (col) => {
        if (t.blank(row, col)) return (need(col), undefined);
        const what = `${FORMULA_TABLE.columns[col].header.toLowerCase()} of rule ${label}`;
        const r = parseMoney(t.value(row, col), t.where(index, col), what);
        if (r.ok) return r.value;
        push(r.diagnostic);
        return undefined;
      },
      basis: () => {
        const b = BASES.get(normalizeHeader(t.text(row, 'basis')));
        if (!b) need('basis', 'must be enrollment, English learners, special education or low income');
        return b;
      },
      fte: (col, allowNegative = false) => {
        if (t.blank(row, col)) return (need(col), undefined);
        const r = scaledDecimal(t.value(row, col), 3);
        if ('problem' in r) return (need(col, r.problem), undefined);
        if (!allowNegative && r.value <= 0) return (need(col, 'must be more than 0'), undefined);
        return r.value;
      },
      jobType: () => {
        const j = t.text(row, 'jobType');
        if (!j) need('jobType');
        return j || undefined;
      },
      siteCodes,
      fteStep: options.fteStep ?? FTE_SCALE,
    };
    const make = readRule(type, cells);
    if (diagnostics.length > before || !make || !restr || !sourceType || 'diagnostic' in filter || !locked.ok)
      continue;
    const cellsOf: Record<string, Where> = {};
    for (const k of ['jobType', 'site', 'amount', 'basis'] as const) cellsOf[k] = t.where(index, k);
    rows.push(
      make({
        id,
        source,
        sourceType,
        appliesTo: filter.value,
        ...restr,
        locked: locked.value,
        note: t.text(row, 'note'),
        where,
        cells: cellsOf,
      }),
    );
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
  rule: FormulaRule,
  jobType: string,
  staffing: Staffing,
  fte: MilliFte,
  why: string,
): { line: RuleLine } | { missing: true } {
  const cost = jobTypeCost(staffing, jobType, fte);
  if (!cost) return { missing: true };
  const title = staffing.jobTypes.get(jobType)?.title ?? jobType;
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
    .sort((a, b) => compareText(a.segment, b.segment))
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
  const ordered = [...sites].sort((a, b) => compareText(a.code, b.code));
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
    computeRule(rule, {
      eligible,
      add: (site, line) =>
        void contributions.push({ site, rule, line: { rule: rule.id, type: rule.type, ...line } }),
      staff: (site, jobType, fte, why) => {
        const r = staffingLine(rule, jobType, staffing, fte, why);
        if ('line' in r) contributions.push({ site: site.code, rule, line: r.line });
        else if (!jobMissingReported.has(rule.id)) {
          jobMissingReported.add(rule.id);
          diagnostics.push(unknownJobType(jobType, staffing, rule.cells?.['jobType'] ?? rule.where ?? {}));
        }
      },
      push: (d) => void diagnostics.push(d),
    });
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
    const rs = [...g.rules].sort((a, b) => compareText(a.id, b.id));
    const first = rs[0] as FormulaRule;
    const lines = [...g.lines].sort((a, b) => compareText(a.rule, b.rule));
    const amount = lines.reduce((s, l) => s + l.amount, 0);
    const fte = lines.reduce((s, l) => s + l.fte, 0);
    const hasFte = rs.some(givesFte);
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
  allocations.sort((a, b) => compareText(a.id, b.id));
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
  for (const [band, group] of [...bands].sort((a, b) => compareText(a[0], b[0]))) {
    let nStudents = 0;
    let nFte = 0;
    for (const s of group)
      if (!s.titleI) {
        nStudents += s.enrollment;
        nFte += fteBySite.get(s.code) ?? 0;
      }
    if (nFte === 0) continue;
    for (const s of [...group].sort((a, b) => compareText(a.code, b.code))) {
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
