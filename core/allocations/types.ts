/**
 * Allocations: money (and optionally FTE) given to a site from a funding source, with the segments
 * fixed for lines charged to it and restrictions on what those lines may be.
 */
import type { Where } from '../cells';
import type { Pattern } from '../accounts/patterns';
import type { Cents } from '../money';
import type { MilliFte, Ppm } from '../budget/units';

export type SourceType = 'federal' | 'state' | 'local';

/** A segment a line must carry to be charged to the allocation (fund 211, program intent 24). */
export interface SegmentFix {
  readonly segment: string;
  readonly code: string;
}

/** Lines charged to the allocation must have a `segment` code matching one of `patterns`. */
export interface CodeRestriction {
  readonly segment: string;
  readonly patterns: readonly Pattern[];
  /** As written ("6100-6399, 6411"). */
  readonly text: string;
}

/** The lines whose `segment` matches `patterns` may be at most `max` of the allocation's amount. */
export interface MaxShare {
  readonly label: string;
  readonly segment: string;
  readonly patterns: readonly Pattern[];
  readonly max: Ppm;
  readonly text: string;
}

/** Why an allocation has its amount: one line per funding rule that contributed. */
export interface RuleLine {
  readonly rule: string;
  readonly type: string;
  /** "450 students × $50.00" — what a principal reads. */
  readonly explanation: string;
  readonly amount: Cents;
  readonly fte: MilliFte;
}

export interface Allocation {
  readonly id: string;
  readonly site: string;
  readonly source: string;
  readonly sourceType: SourceType;
  readonly amount: Cents;
  /** FTE allocated; absent when the allocation gives dollars only. */
  readonly fte?: MilliFte;
  /** A locked allocation is a hard limit: over-planning it is always a blocking error. */
  readonly locked: boolean;
  readonly fixed: readonly SegmentFix[];
  readonly allowed: readonly CodeRestriction[];
  readonly maxShares: readonly MaxShare[];
  readonly rules: readonly RuleLine[];
  /**
   * The accepted proposal a row of the Allocations table came from (its Proposal cell). Such a row of
   * the same site, source and fixed segments as a row without one is folded into it (readAllocations):
   * its amount and FTE add to that allocation, one RuleLine each.
   */
  readonly proposal?: string;
  readonly where?: Where;
}
