/**
 * Reading the Allocations and Sites tables (their columns are declared in core/workbook/schema.ts),
 * and the restriction columns Allocations shares with the Formula rules.
 */
import type { Grid, Where } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import type { SegmentDef } from '../accounts/types';
import { formatCents, parseMoney, type Cents } from '../money';
import { ALLOCATIONS_TABLE, SITES_TABLE } from '../workbook/schema';
import { similarNames, firstSeen, openTable, type TableOptions, type TableResult } from '../budget/table';
import { parseCount, parseMilli, parseYesNo } from '../budget/units';
import { parseAllowed, parseFixed, parseMaxShares } from './restrictions';
import type { Allocation, CodeRestriction, MaxShare, SegmentFix, SourceType } from './types';

export interface Site {
  readonly code: string;
  readonly name: string;
  readonly enrollment: number;
  readonly englishLearners: number;
  readonly specialEducation: number;
  readonly lowIncome: number;
  /** "elementary", "middle", "high" or the district's own bands; "" when not given. */
  readonly gradeBand: string;
  readonly titleI: boolean;
  /** Last year's budget, for prior-year rules. */
  readonly priorYear?: Cents;
  readonly where?: Where;
}

export function readSites(grid: Grid, options: TableOptions = {}): TableResult<Site> {
  const t = openTable(grid, SITES_TABLE.columns, SITES_TABLE.table, options);
  const diagnostics = [...t.diagnostics];
  const rows: Site[] = [];
  const seen = firstSeen();
  for (const { row, index } of t.rows) {
    const code = t.text(row, 'code');
    const where = t.where(index, 'code');
    if (!code) {
      diagnostics.push(diag('BL509', { site: '', suggestions: [] }, where));
      continue;
    }
    const dup = seen.check(code, where);
    if (dup) {
      diagnostics.push(
        diag('BL420', { table: 'Sites', what: 'site', key: code, first: dup.cell ?? '' }, where),
      );
      continue;
    }
    const before = diagnostics.length;
    const count = (key: 'enrollment' | 'el' | 'sped' | 'lowIncome', what: string): number => {
      if (key !== 'enrollment' && !t.has(key)) return 0;
      const r = parseCount(t.value(row, key), t.where(index, key), what);
      if (r.ok) return r.value;
      diagnostics.push(r.diagnostic);
      return 0;
    };
    const enrollment = count('enrollment', 'enrollment');
    const englishLearners = count('el', 'number of English learners');
    const specialEducation = count('sped', 'number of special education students');
    const lowIncome = count('lowIncome', 'number of low-income students');
    const title = parseYesNo(t.value(row, 'titleI'), t.where(index, 'titleI'), 'Title I status');
    if (!title.ok) diagnostics.push(title.diagnostic);
    let priorYear: Cents | undefined;
    if (t.has('priorYear') && !t.blank(row, 'priorYear')) {
      const p = parseMoney(t.value(row, 'priorYear'), t.where(index, 'priorYear'), 'prior year budget');
      if (p.ok) priorYear = p.value;
      else diagnostics.push(p.diagnostic);
    }
    if (diagnostics.length > before) continue;
    rows.push({
      code,
      name: t.text(row, 'name') || code,
      enrollment,
      englishLearners,
      specialEducation,
      lowIncome,
      gradeBand: t.text(row, 'gradeBand').toLowerCase(),
      titleI: title.ok && title.value,
      ...(priorYear !== undefined ? { priorYear } : {}),
      where,
    });
  }
  return { rows, diagnostics };
}

const SOURCE_TYPES = new Map<string, SourceType>([
  ['federal', 'federal'],
  ['fed', 'federal'],
  ['state', 'state'],
  ['local', 'local'],
  ['state/local', 'state'],
]);

/** "Federal" → federal; blank → local; anything else undefined. */
export function parseSourceType(text: string): SourceType | undefined {
  if (!text) return 'local';
  return SOURCE_TYPES.get(text.trim().toLowerCase());
}

export interface AllocationTableOptions extends TableOptions {
  /** Site codes from the Sites table; allocations to other sites are refused (BL509). */
  readonly sites?: readonly string[];
}

/** The restriction columns, shared by the Allocations and Formula rules tables. */
export type RestrictionColumn = 'fixed' | 'allowedObjects' | 'allowedFunctions' | 'maxShare';

/**
 * The restriction columns of one row, read from their text (`cell` gives each column's text and
 * cell). Returns undefined (and pushes findings) when any of them cannot be read.
 */
export function readRestrictions(
  cell: (column: RestrictionColumn) => { readonly text: string; readonly where: Where },
  segments: readonly SegmentDef[],
  push: (d: Diagnostic) => void,
): { fixed: SegmentFix[]; allowed: CodeRestriction[]; maxShares: MaxShare[] } | undefined {
  const columns = ['fixed', 'allowedObjects', 'allowedFunctions', 'maxShare'] as const;
  const texts = Object.fromEntries(columns.map((c) => [c, cell(c).text])) as Record<
    RestrictionColumn,
    string
  >;
  const wheres = Object.fromEntries(columns.map((c) => [c, cell(c).where])) as Record<
    RestrictionColumn,
    Where
  >;
  let ok = true;
  let fixed: SegmentFix[] = [];
  const allowed: CodeRestriction[] = [];
  let maxShares: MaxShare[] = [];
  if (texts.fixed) {
    const f = parseFixed(texts.fixed, segments, wheres.fixed);
    if ('diagnostic' in f) {
      push(f.diagnostic);
      ok = false;
    } else fixed = f.value;
  }
  for (const [text, seg, where] of [
    [texts.allowedObjects, 'object', wheres.allowedObjects],
    [texts.allowedFunctions, 'function', wheres.allowedFunctions],
  ] as const) {
    if (!text) continue;
    const r = parseAllowed(text, seg, segments, where);
    if ('diagnostic' in r) {
      push(r.diagnostic);
      ok = false;
    } else allowed.push(r.value);
  }
  if (texts.maxShare) {
    const m = parseMaxShares(texts.maxShare, segments, wheres.maxShare);
    if ('diagnostic' in m) {
      push(m.diagnostic);
      ok = false;
    } else maxShares = m.value;
  }
  return ok ? { fixed, allowed, maxShares } : undefined;
}

/** The Allocations table. `segments` are the chart's (Validator.chart.segments). */
export function readAllocations(
  grid: Grid,
  segments: readonly SegmentDef[],
  options: AllocationTableOptions = {},
): TableResult<Allocation> {
  const t = openTable(grid, ALLOCATIONS_TABLE.columns, ALLOCATIONS_TABLE.table, options);
  const diagnostics = [...t.diagnostics];
  const rows: Allocation[] = [];
  const seen = firstSeen();
  const known = options.sites ? new Set(options.sites) : undefined;
  for (const { row, index } of t.rows) {
    const before = diagnostics.length;
    const site = t.text(row, 'site');
    const source = t.text(row, 'source');
    const id = t.text(row, 'id') || `${site} ${source}`.trim();
    const where = t.where(index, t.has('id') ? 'id' : 'site');
    if (!site || (known && !known.has(site))) {
      const suggestions = known ? similarNames(site, known) : [];
      diagnostics.push(diag('BL509', { site, suggestions }, { ...t.where(index, 'site'), suggestions }));
    }
    if (!source)
      diagnostics.push(
        diag(
          'BL511',
          {
            rule: id,
            type: 'allocation',
            column: ALLOCATIONS_TABLE.columns.source.header,
            problem: 'is blank',
          },
          t.where(index, 'source'),
        ),
      );
    const dup = seen.check(id, where);
    if (dup)
      diagnostics.push(
        diag('BL420', { table: 'Allocations', what: 'allocation', key: id, first: dup.cell ?? '' }, where),
      );
    const sourceType = parseSourceType(t.text(row, 'sourceType'));
    if (!sourceType)
      diagnostics.push(
        diag(
          'BL511',
          {
            rule: id,
            type: 'allocation',
            column: ALLOCATIONS_TABLE.columns.sourceType.header,
            problem: 'must be federal, state or local',
          },
          t.where(index, 'sourceType'),
        ),
      );
    const amount = parseMoney(t.value(row, 'amount'), t.where(index, 'amount'), 'allocated amount');
    if (!amount.ok) diagnostics.push(amount.diagnostic);
    let fte: number | undefined;
    if (t.has('fte') && !t.blank(row, 'fte')) {
      const f = parseMilli(t.value(row, 'fte'), t.where(index, 'fte'), 'allocated FTE');
      if (f.ok) fte = f.value;
      else diagnostics.push(f.diagnostic);
    }
    const locked = parseYesNo(t.value(row, 'locked'), t.where(index, 'locked'), 'locked flag');
    if (!locked.ok) diagnostics.push(locked.diagnostic);
    const r = readRestrictions(
      (c) => ({ text: t.text(row, c), where: t.where(index, c) }),
      segments,
      (d) => diagnostics.push(d),
    );
    if (diagnostics.length > before || !r || !amount.ok || !locked.ok || !sourceType) continue;
    rows.push({
      id,
      site,
      source,
      sourceType,
      amount: amount.value,
      ...(fte !== undefined ? { fte } : {}),
      locked: locked.value,
      ...r,
      rules: [],
      ...(t.has('proposal') && t.text(row, 'proposal') ? { proposal: t.text(row, 'proposal') } : {}),
      where,
    });
  }
  return { rows: foldProposalRows(rows), diagnostics };
}

/** Site, source (case and spaces aside) and fixed segments: what makes two rows one allocation. */
export function allocationKey(a: Pick<Allocation, 'site' | 'source' | 'fixed'>): string {
  const fixed = a.fixed
    .map((f) => `${f.segment}=${f.code}`)
    .sort()
    .join(';');
  return `${a.site}\t${a.source.trim().toLowerCase().replace(/\s+/g, ' ')}\t${fixed}`;
}

/**
 * Rows an accepted proposal wrote (a Proposal cell) add to the allocation of the same site, source and
 * fixed segments typed or computed without one: its amount and FTE grow (or shrink) by theirs, each
 * recorded as a RuleLine. A proposal row with no such allocation stays an allocation of its own.
 */
export function foldProposalRows(rows: readonly Allocation[]): Allocation[] {
  const base = new Map<string, number>();
  const out: Allocation[] = [];
  for (const a of rows)
    if (!a.proposal) {
      const k = allocationKey(a);
      if (!base.has(k)) base.set(k, out.length);
      out.push(a);
    }
  for (const a of rows) {
    if (!a.proposal) continue;
    const i = base.get(allocationKey(a));
    const into = i === undefined ? undefined : out[i];
    if (i === undefined || !into) {
      out.push(a);
      continue;
    }
    // An allocation of dollars only stays one: a proposal's FTE never caps its staffing.
    const fte = into.fte !== undefined ? into.fte + (a.fte ?? 0) : undefined;
    out[i] = {
      ...into,
      amount: into.amount + a.amount,
      ...(fte !== undefined ? { fte } : {}),
      rules: [
        ...into.rules,
        {
          rule: a.proposal,
          type: 'proposal',
          explanation: `accepted proposal ${a.proposal}: ${formatCents(a.amount)}${a.fte && into.fte !== undefined ? ` and ${a.fte / 1000} FTE` : ''}`,
          amount: a.amount,
          fte: a.fte ?? 0,
        },
      ],
    };
  }
  return out;
}
