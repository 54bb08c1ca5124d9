/**
 * The approval workflow of one site's budget:
 *
 *   Draft ──submit──▶ Submitted ──approve──▶ Approved
 *     ▲                  │                      │
 *     └──revise── Returned ◀──return (comment)   └──reopen (CFO, comment)──▶ Draft
 *
 * `transition` checks everything at once and either refuses with every reason, or returns the new
 * state, the audit entry and what the host must do (protect / unprotect the site, keep a copy of
 * the approved lines, notify people). It does no I/O and reads no clock: the host passes the time.
 */
import { diag, placeOf, type Diagnostic } from '../diagnostics';
import { exactTotal, formatBigCents, formatCents, type Cents } from '../money';
import { makeEntry, type AuditAction, type AuditEntry, type IdentitySource } from './audit';
import { compareContentLines, contentHash, type ContentLine } from './hash';
import { describeLine, diffLines, lineWhere } from './verify';
import { refusalsFor } from './permissions';
import { holdersOf, normalizeEmail, type Role, type RolesTable } from './roles';

export type BudgetState = 'draft' | 'submitted' | 'approved' | 'returned';

export interface Transition {
  readonly from: BudgetState;
  readonly to: BudgetState;
  /** The role that may take the step (for the site, except the district-wide CFO). */
  readonly role: Role;
  readonly commentRequired: boolean;
  /** "submitted": the word used in messages. */
  readonly done: string;
}

/** The workflow as data. */
export const TRANSITIONS: Readonly<Record<AuditAction, Transition>> = {
  submit: { from: 'draft', to: 'submitted', role: 'builder', commentRequired: false, done: 'submitted' },
  approve: { from: 'submitted', to: 'approved', role: 'approver', commentRequired: false, done: 'approved' },
  return: { from: 'submitted', to: 'returned', role: 'approver', commentRequired: true, done: 'returned' },
  revise: {
    from: 'returned',
    to: 'draft',
    role: 'builder',
    commentRequired: false,
    done: 'reopened for changes',
  },
  reopen: { from: 'approved', to: 'draft', role: 'cfo', commentRequired: true, done: 'reopened' },
};

/** The workflow state of one site's budget, as the host keeps it in document state. */
export interface SiteBudget {
  readonly site: string;
  readonly state: BudgetState;
  readonly submittedBy?: string;
  readonly submittedAt?: string;
  readonly submittedHash?: string;
  readonly approvedBy?: string;
  readonly approvedAt?: string;
  readonly approvedHash?: string;
}

export function newSiteBudget(site: string): SiteBudget {
  return { site, state: 'draft' };
}

export interface Actor {
  readonly email: string;
  readonly identity: IdentitySource;
}

/** A planned-over-allocated finding from core/allocations, in the shape approval needs. */
export interface OverAllocation {
  /** What is over, in words: "Title I supplies", "Teacher FTE". */
  readonly what: string;
  /** By how much, as people read it ("$1,200.00", "0.500 FTE"). Use overCents for dollars. */
  readonly over?: string;
  readonly overCents?: Cents;
  /** Blocking over-allocations refuse a submit; others are shown only. */
  readonly blocking: boolean;
  readonly sheet?: string;
  readonly cell?: string;
}

export type HostEffect =
  | { readonly kind: 'protect'; readonly site: string }
  | { readonly kind: 'unprotect'; readonly site: string }
  /** Keep these lines (canonical order) as the approved copy, for line-level verification later. */
  | {
      readonly kind: 'storeApprovedCopy';
      readonly site: string;
      readonly contentHash: string;
      readonly lines: readonly ContentLine[];
    }
  | {
      readonly kind: 'notify';
      readonly site: string;
      readonly to: readonly string[];
      readonly subject: string;
      readonly body: string;
    };

export interface TransitionRequest {
  readonly budget: SiteBudget;
  readonly action: AuditAction;
  readonly actor: Actor;
  readonly roles: RolesTable;
  /** ISO-8601 UTC time from the host's clock. */
  readonly at: string;
  readonly comment?: string;
  /** The site's current lines. */
  readonly lines: readonly ContentLine[];
  /**
   * Approve: the copy of the lines kept at submission (the Submitted Lines sheet), when it hashes to
   * the submission. It names each line that changed since; without it only the hashes are named.
   */
  readonly submittedLines?: readonly ContentLine[];
  /** The site's findings from validation (submit and approve are refused while any is fatal). */
  readonly findings?: readonly Diagnostic[];
  readonly overAllocations?: readonly OverAllocation[];
  /** The last hash of the audit chain (document state); GENESIS_HASH for the first entry. */
  readonly previousHash: string;
  /**
   * Setup "Approvals need verified identity": when true, a self-declared actor cannot approve or
   * reopen (BL632). When false the step is taken and recorded as self-declared.
   */
  readonly requireVerifiedIdentity?: boolean;
}

/** The steps a self-declared user cannot take when the district requires verified identity. */
export const NEEDS_VERIFIED_IDENTITY: ReadonlySet<string> = new Set([
  'approve',
  'reopen',
  'consolidate',
  'export',
  'adopt',
  'amend',
]);

/** BL632 when the district requires verified identity and `actor` is self-declared; else undefined. */
export function identityRefusal(
  actor: Actor,
  action: string,
  requireVerifiedIdentity: boolean | undefined,
): Diagnostic | undefined {
  if (!requireVerifiedIdentity || actor.identity === 'verified' || !NEEDS_VERIFIED_IDENTITY.has(action))
    return undefined;
  return diag('BL632', { who: normalizeEmail(actor.email), action });
}

export type TransitionResult =
  | {
      readonly ok: true;
      readonly budget: SiteBudget;
      readonly entry: AuditEntry;
      /** The new last hash of the chain, for the host to keep in document state. */
      readonly lastHash: string;
      readonly effects: readonly HostEffect[];
      /** Warnings that do not stop the step. */
      readonly diagnostics: readonly Diagnostic[];
    }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

const short = (h: string): string => h.slice(0, 12);

/**
 * BL635 (and BL636 for each line, when a trustworthy copy of the submitted lines is given) when the
 * site's lines no longer hash to what was submitted; nothing when they do.
 */
export function changedSinceSubmission(
  budget: SiteBudget,
  hash: string,
  lines: readonly ContentLine[],
  submittedLines?: readonly ContentLine[],
): Diagnostic[] {
  const submitted = budget.submittedHash;
  if (submitted === undefined || submitted === hash) return [];
  const head = {
    site: budget.site,
    who: budget.submittedBy ?? 'its principal',
    date: (budget.submittedAt ?? '').slice(0, 10) || 'an unknown date',
  };
  const hashes = `submitted as content hash ${short(submitted)}, now ${short(hash)}`;
  if (!submittedLines || contentHash(submittedLines) !== submitted)
    return [
      diag('BL635', {
        ...head,
        detail: `${hashes}; no copy of the submitted lines can show which lines changed`,
      }),
    ];
  const d = diffLines(submittedLines, lines);
  const n = d.added.length + d.removed.length + d.changed.length;
  const site = budget.site;
  return [
    diag('BL635', {
      ...head,
      detail: `${n} line${n === 1 ? ' differs' : 's differ'}, listed below; ${hashes}`,
    }),
    ...d.changed.map((c) =>
      diag(
        'BL636',
        { site, change: `line ${describeLine(c.before)} is now ${describeLine(c.after)}` },
        lineWhere(c.after),
      ),
    ),
    ...d.removed.map((l) => diag('BL636', { site, change: `line removed: ${describeLine(l)}` })),
    ...d.added.map((l) => diag('BL636', { site, change: `line added: ${describeLine(l)}` }, lineWhere(l))),
  ];
}

/** Takes one workflow step, or refuses it with every reason. */
export function transition(req: TransitionRequest): TransitionResult {
  const { budget, action, roles } = req;
  const t = TRANSITIONS[action];
  const site = budget.site;
  const actor = normalizeEmail(req.actor.email);
  const comment = (req.comment ?? '').trim();
  const refusals: Diagnostic[] = [];

  // Who may take the step, in which state: the one permission predicate (./permissions).
  refusals.push(...refusalsFor(actor, action, budget, roles));
  const identity = identityRefusal(req.actor, action, req.requireVerifiedIdentity);
  if (identity) refusals.push(identity);
  if (action === 'submit' || action === 'approve') {
    const total = exactTotal(req.lines.map((l) => l.cents));
    if (!total.safe)
      refusals.push(diag('BL634', { what: `${site} budget`, total: formatBigCents(total.total) }));
  }
  if (t.commentRequired && comment === '') refusals.push(diag('BL604', { site, action }));
  if (action === 'submit' || action === 'approve') {
    for (const f of req.findings ?? []) {
      if (f.severity !== 'fatal') continue;
      refusals.push(
        diag(
          action === 'submit' ? 'BL605' : 'BL659',
          { site, place: placeOf(f), code: f.code, finding: f.message },
          {
            ...(f.sheet !== undefined ? { sheet: f.sheet } : {}),
            ...(f.cell !== undefined ? { cell: f.cell } : {}),
          },
        ),
      );
    }
  }
  if (action === 'submit') {
    for (const o of req.overAllocations ?? []) {
      if (!o.blocking) continue;
      const over = o.over ?? (o.overCents !== undefined ? formatCents(o.overCents) : 'an unknown amount');
      refusals.push(
        diag(
          'BL606',
          { site, what: o.what, over },
          {
            ...(o.sheet !== undefined ? { sheet: o.sheet } : {}),
            ...(o.cell !== undefined ? { cell: o.cell } : {}),
          },
        ),
      );
    }
  }
  const hash = contentHash(req.lines);
  // Approve what was submitted: a site changed since its submission is refused, naming the change.
  if (action === 'approve' && budget.submittedHash !== undefined)
    refusals.push(...changedSinceSubmission(budget, hash, req.lines, req.submittedLines));
  if (refusals.length) return { ok: false, diagnostics: refusals };

  const entry = makeEntry({
    at: req.at,
    site,
    action,
    actor,
    role: t.role,
    identity: req.actor.identity,
    contentHash: hash,
    comment,
    prevHash: req.previousHash,
  });
  const warnings: Diagnostic[] = [];
  const effects: HostEffect[] = [];
  const notify = (to: readonly (string | undefined)[], subject: string, body: string): void => {
    const list = [...new Set(to.filter((x): x is string => x !== undefined).map(normalizeEmail))]
      .filter((e) => e !== actor)
      .sort();
    if (list.length) effects.push({ kind: 'notify', site, to: list, subject, body });
  };
  const because = comment ? ` Comment: ${comment}` : '';
  let next: SiteBudget;
  switch (action) {
    case 'submit': {
      next = { site, state: 'submitted', submittedBy: actor, submittedAt: req.at, submittedHash: hash };
      const approvers = holdersOf(roles, 'approver', site).filter((e) => e !== actor);
      if (approvers.length === 0) warnings.push(diag('BL611', { site }));
      effects.push({ kind: 'protect', site });
      notify(
        approvers,
        `${site} budget submitted for approval`,
        `${actor} submitted the ${site} budget for approval.${because}`,
      );
      break;
    }
    case 'approve':
      next = { ...budget, state: 'approved', approvedBy: actor, approvedAt: req.at, approvedHash: hash };
      effects.push({ kind: 'protect', site });
      effects.push({
        kind: 'storeApprovedCopy',
        site,
        contentHash: hash,
        lines: [...req.lines].sort(compareContentLines),
      });
      notify(
        [budget.submittedBy],
        `${site} budget approved`,
        `${actor} approved the ${site} budget.${because}`,
      );
      break;
    case 'return':
      next = { ...budget, state: 'returned' };
      effects.push({ kind: 'unprotect', site });
      notify(
        [budget.submittedBy],
        `${site} budget returned`,
        `${actor} returned the ${site} budget for changes.${because}`,
      );
      break;
    case 'revise':
      next = { ...budget, state: 'draft' };
      break;
    case 'reopen': {
      const { approvedBy, approvedAt: _a, approvedHash: _h, ...rest } = budget;
      next = { ...rest, state: 'draft' };
      effects.push({ kind: 'unprotect', site });
      notify(
        [approvedBy, budget.submittedBy],
        `${site} budget reopened`,
        `${actor} reopened the approved ${site} budget.${because}`,
      );
      break;
    }
  }
  return { ok: true, budget: next, entry, lastHash: entry.hash, effects, diagnostics: warnings };
}

/**
 * How far along the workflow a budget is: approved beyond submitted beyond returned beyond draft.
 * Merging copies of one district workbook keeps each site from the copy where it is furthest along.
 */
export const PROGRESS: Readonly<Record<BudgetState, number>> = {
  draft: 0,
  returned: 1,
  submitted: 2,
  approved: 3,
};
