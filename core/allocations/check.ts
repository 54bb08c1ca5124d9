/**
 * Allocated / planned / remaining, and every allocation check, over a whole district at once.
 *
 * `compileAllocations` turns allocations into lookup structures once: per site, the distinct sets of
 * fixed segments ("signatures"), most specific first, each a trie of Maps keyed by segment code, so a
 * charge is matched with a few Map lookups and no allocation of objects. `checkCharges` then runs one
 * pass over the charges, adding into typed arrays, and builds the findings at the end.
 *
 * A charge matches an allocation of its site when every fixed segment agrees; the most specific
 * match wins; equally specific matches are a finding and the charge goes to the first by id.
 * Results do not depend on the order of allocations or charges.
 */
import { compareText, type Where } from '../cells';
import { diag, sortDiagnostics, type Diagnostic, type Severity } from '../diagnostics';
import { matches, type Pattern } from '../accounts/patterns';
import { formatCents, mulDivRound, type Cents } from '../money';
import type { Charge } from '../budget/lines';
import { formatFte, formatPpm, PPM, type MilliFte } from '../budget/units';
import type { Allocation } from './types';

export interface CheckSettings {
  /** Over-planning: a warning (default) or a blocking error. Locked allocations always block. */
  readonly overPlanning?: 'warning' | 'fatal';
}

type Trie = Map<string, Trie | number>;

interface Signature {
  readonly segs: readonly number[];
  readonly trie: Trie;
  /** The allocation when no segment is fixed. */
  readonly leaf: number;
}

interface SiteIndex {
  readonly sigs: readonly Signature[];
}

interface Test {
  readonly seg: number;
  readonly codes: ReadonlySet<string>;
  readonly others: readonly Pattern[];
}

interface CompiledAllocation {
  readonly a: Allocation;
  readonly allowed: readonly (Test & { readonly key: string; readonly text: string })[];
  /** Index into the share sums, per max-share restriction. */
  readonly shares: readonly (Test & { readonly slot: number })[];
}

export interface AllocationIndex {
  readonly keys: readonly string[];
  readonly allocations: readonly CompiledAllocation[];
  readonly sites: ReadonlyMap<string, SiteIndex>;
  readonly shareSlots: number;
  readonly settings: Required<CheckSettings>;
}

export interface AllocationStatus {
  readonly allocation: Allocation;
  readonly allocated: Cents;
  readonly planned: Cents;
  readonly remaining: Cents;
  readonly fteAllocated: MilliFte;
  readonly ftePlanned: MilliFte;
  readonly fteRemaining: MilliFte;
}

export interface SiteStatus {
  readonly site: string;
  readonly allocated: Cents;
  readonly planned: Cents;
  readonly remaining: Cents;
  readonly fteAllocated: MilliFte;
  readonly ftePlanned: MilliFte;
  readonly fteRemaining: MilliFte;
  /** Planned on lines charged to no allocation of the site. */
  readonly unallocated: Cents;
}

export interface AllocationReport {
  readonly allocations: AllocationStatus[];
  readonly sites: SiteStatus[];
  readonly diagnostics: Diagnostic[];
}

function compileTest(seg: number, patterns: readonly Pattern[]): Test {
  const codes = new Set<string>();
  const others: Pattern[] = [];
  for (const p of patterns) {
    if (p.kind === 'code') codes.add(p.code);
    else others.push(p);
  }
  return { seg, codes, others };
}

function passes(t: Test, code: string): boolean {
  if (t.codes.has(code)) return true;
  const o = t.others;
  for (let i = 0; i < o.length; i++) if (matches(o[i] as Pattern, code)) return true;
  return false;
}

/**
 * Compiles allocations for checking. `keys` are the chart's segment keys in order (Validator.keys).
 * Findings: allocations of one site that fix the same segments to the same codes (BL517).
 */
export function compileAllocations(
  allocations: readonly Allocation[],
  keys: readonly string[],
  settings: CheckSettings = {},
): { index: AllocationIndex; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const sorted = [...allocations].sort((x, y) => compareText(x.id, y.id));
  const segIndex = (key: string): number => {
    const i = keys.indexOf(key);
    if (i < 0) throw new RangeError(`compileAllocations: unknown segment ${key}`);
    return i;
  };
  let shareSlots = 0;
  const compiled: CompiledAllocation[] = sorted.map((a) => ({
    a,
    allowed: a.allowed.map((r) => ({
      ...compileTest(segIndex(r.segment), r.patterns),
      key: r.segment,
      text: r.text,
    })),
    shares: a.maxShares.map((s) => ({ ...compileTest(segIndex(s.segment), s.patterns), slot: shareSlots++ })),
  }));
  const bySite = new Map<string, Map<string, { segs: number[]; trie: Trie; leaf: number }>>();
  compiled.forEach((c, i) => {
    const fixed = c.a.fixed
      .map((f) => ({ seg: segIndex(f.segment), code: f.code }))
      .sort((x, y) => x.seg - y.seg);
    const sigKey = fixed.map((f) => f.seg).join(',');
    let sigs = bySite.get(c.a.site);
    if (!sigs) bySite.set(c.a.site, (sigs = new Map()));
    let sig = sigs.get(sigKey);
    if (!sig) sigs.set(sigKey, (sig = { segs: fixed.map((f) => f.seg), trie: new Map(), leaf: -1 }));
    let clash = -1;
    if (fixed.length === 0) {
      if (sig.leaf >= 0) clash = sig.leaf;
      else sig.leaf = i;
    } else {
      let node: Trie = sig.trie;
      for (let k = 0; k < fixed.length; k++) {
        const code = (fixed[k] as { code: string }).code;
        const next = node.get(code);
        if (k === fixed.length - 1) {
          if (typeof next === 'number') clash = next;
          else node.set(code, i);
        } else if (next === undefined || typeof next === 'number') {
          const t: Trie = new Map();
          node.set(code, t);
          node = t;
        } else node = next;
      }
    }
    if (clash >= 0) {
      const first = (compiled[clash] as CompiledAllocation).a;
      diagnostics.push(diag('BL517', { site: c.a.site, first: first.id, second: c.a.id }, c.a.where ?? {}));
    }
  });
  const sites = new Map<string, SiteIndex>();
  for (const [site, sigs] of bySite)
    sites.set(site, { sigs: [...sigs.values()].sort((x, y) => y.segs.length - x.segs.length) });
  return {
    index: {
      keys,
      allocations: compiled,
      sites,
      shareSlots,
      settings: { overPlanning: settings.overPlanning ?? 'warning' },
    },
    diagnostics,
  };
}

function lookup(sig: Signature, segments: readonly string[]): number {
  const segs = sig.segs;
  if (segs.length === 0) return sig.leaf;
  let node: Trie | number | undefined = sig.trie;
  for (let k = 0; k < segs.length; k++) {
    node = (node as Trie).get(segments[segs[k] as number] as string);
    if (node === undefined) return -1;
  }
  return typeof node === 'number' ? node : -1;
}

/**
 * Finds the allocation a charge goes to: its index, or -1. Equally specific rivals (rare) are pushed
 * onto `rivals`, which the caller clears; the lowest index (first by id) wins.
 */
function matchCharge(site: SiteIndex, segments: readonly string[], rivals: number[]): number {
  const sigs = site.sigs;
  let best = -1;
  let bestLen = -1;
  for (let s = 0; s < sigs.length; s++) {
    const sig = sigs[s] as Signature;
    if (sig.segs.length < bestLen) break;
    const hit = lookup(sig, segments);
    if (hit < 0) continue;
    if (best < 0) {
      best = hit;
      bestLen = sig.segs.length;
    } else {
      rivals.push(hit);
      if (hit < best) best = hit;
    }
  }
  return best;
}

/**
 * Checks every charge against the allocations: allocated / planned / remaining per allocation and
 * per site, lines charged to no allocation (BL503), equally matching allocations (BL504), codes an
 * allocation does not allow (BL505), maximum shares (BL506), over-planning in dollars (BL501) and
 * FTE (BL502).
 */
export function checkCharges(index: AllocationIndex, charges: readonly Charge[]): AllocationReport {
  const n = index.allocations.length;
  const planned = new Float64Array(n);
  const plannedFte = new Float64Array(n);
  const shareSums = new Float64Array(index.shareSlots);
  const late: { where: Where | undefined; make: () => Diagnostic }[] = [];
  const siteExtra = new Map<string, { planned: number; fte: number; unallocated: number }>();
  const allocs = index.allocations;
  const sites = index.sites;
  const rivals: number[] = [];

  for (let i = 0; i < charges.length; i++) {
    const c = charges[i] as Charge;
    const site = sites.get(c.site);
    let a = -1;
    if (site) {
      a = matchCharge(site, c.segments, rivals);
      if (rivals.length) {
        const names = [...new Set([a, ...rivals])]
          .map((x) => (allocs[x] as CompiledAllocation).a.id)
          .sort(compareText);
        rivals.length = 0;
        late.push({
          where: c.where,
          make: () => diag('BL504', { account: c.account, allocations: names }, c.where ?? {}),
        });
      }
    }
    if (a < 0) {
      let e = siteExtra.get(c.site);
      if (!e) siteExtra.set(c.site, (e = { planned: 0, fte: 0, unallocated: 0 }));
      e.planned += c.amount;
      e.fte += c.fte;
      e.unallocated += c.amount;
      late.push({
        where: c.where,
        make: () => diag('BL503', { account: c.account, site: c.site }, c.where ?? {}),
      });
      continue;
    }
    planned[a] = (planned[a] as number) + c.amount;
    plannedFte[a] = (plannedFte[a] as number) + c.fte;
    const ca = allocs[a] as CompiledAllocation;
    const allowed = ca.allowed;
    for (let r = 0; r < allowed.length; r++) {
      const t = allowed[r] as CompiledAllocation['allowed'][number];
      const code = c.segments[t.seg] as string;
      if (!passes(t, code))
        late.push({
          where: c.where,
          make: () =>
            diag(
              'BL505',
              { allocation: ca.a.id, segment: t.key, code, allowed: t.text },
              { ...(c.where ?? {}), segment: t.key },
            ),
        });
    }
    const shares = ca.shares;
    for (let r = 0; r < shares.length; r++) {
      const t = shares[r] as CompiledAllocation['shares'][number];
      if (passes(t, c.segments[t.seg] as string))
        shareSums[t.slot] = (shareSums[t.slot] as number) + c.amount;
    }
  }

  const diagnostics: Diagnostic[] = late.map((l) => l.make());
  const statuses: AllocationStatus[] = [];
  const bySite = new Map<
    string,
    { allocated: number; planned: number; fteA: number; fteP: number; unallocated: number }
  >();
  for (let a = 0; a < n; a++) {
    const ca = allocs[a] as CompiledAllocation;
    const al = ca.a;
    const p = planned[a] as number;
    const pf = plannedFte[a] as number;
    const fa = al.fte ?? 0;
    statuses.push({
      allocation: al,
      allocated: al.amount,
      planned: p,
      remaining: al.amount - p,
      fteAllocated: fa,
      ftePlanned: pf,
      fteRemaining: fa - pf,
    });
    const s = bySite.get(al.site) ?? { allocated: 0, planned: 0, fteA: 0, fteP: 0, unallocated: 0 };
    bySite.set(al.site, s);
    s.allocated += al.amount;
    s.planned += p;
    s.fteA += fa;
    s.fteP += pf;
    const severity: Severity = al.locked ? 'fatal' : index.settings.overPlanning;
    const where = al.where ?? {};
    if (p > al.amount)
      diagnostics.push(
        diag(
          'BL501',
          {
            allocation: al.id,
            planned: formatCents(p),
            allocated: formatCents(al.amount),
            over: formatCents(p - al.amount),
          },
          { ...where, severity },
        ),
      );
    if (al.fte !== undefined && pf > al.fte)
      diagnostics.push(
        diag(
          'BL502',
          { allocation: al.id, planned: formatFte(pf), allocated: formatFte(fa), over: formatFte(pf - fa) },
          { ...where, severity },
        ),
      );
    for (let r = 0; r < ca.shares.length; r++) {
      const t = ca.shares[r] as CompiledAllocation['shares'][number];
      const ms = al.maxShares[r];
      const sum = shareSums[t.slot] as number;
      if (!ms) continue;
      const limit = al.amount > 0 ? mulDivRound(al.amount, ms.max, PPM) : 0;
      if (sum > limit) {
        const share = al.amount > 0 ? formatPpm(mulDivRound(sum, PPM, al.amount)) : 'all';
        diagnostics.push(
          diag(
            'BL506',
            { allocation: al.id, label: ms.label, share, max: formatPpm(ms.max), amount: formatCents(sum) },
            where,
          ),
        );
      }
    }
  }
  for (const [site, e] of siteExtra) {
    const s = bySite.get(site) ?? { allocated: 0, planned: 0, fteA: 0, fteP: 0, unallocated: 0 };
    bySite.set(site, s);
    s.planned += e.planned;
    s.fteP += e.fte;
    s.unallocated += e.unallocated;
  }
  const siteStatuses: SiteStatus[] = [...bySite]
    .sort((x, y) => compareText(x[0], y[0]))
    .map(([site, s]) => ({
      site,
      allocated: s.allocated,
      planned: s.planned,
      remaining: s.allocated - s.planned,
      fteAllocated: s.fteA,
      ftePlanned: s.fteP,
      fteRemaining: s.fteA - s.fteP,
      unallocated: s.unallocated,
    }));
  return { allocations: statuses, sites: siteStatuses, diagnostics: orderFindings(diagnostics) };
}

/** sortDiagnostics, then by message, so output does not depend on input order. */
export function orderFindings(ds: readonly Diagnostic[]): Diagnostic[] {
  const byMessage = [...ds].sort((a, b) => compareText(a.message, b.message));
  return sortDiagnostics(byMessage);
}
