/**
 * A site's workflow state is what the audit chain says, never what a cache says.
 *
 * `replayChain` walks the (verified) audit log from the first entry and applies each step with the
 * workflow's own table (TRANSITIONS): a step that is not possible from the state the chain has
 * reached is reported (BL626) and not applied, so an "approve" written into the log without a
 * submission never makes a site approved. On the way it replays segregation of duties: the submitter
 * of a submission never approves it (BL624), and an approver who is a builder of the site is flagged
 * (BL625, against the Roles table as it is now), and an approval records the content hash its
 * submission recorded (BL637: otherwise what was approved is not what was submitted). Every
 * self-declared step is listed.
 *
 * The board's steps (adopt, not adopted, amendments) are replayed by replayBoard, and the result is
 * part of the replay (`board`): whether the budget is adopted, and each amendment's state, come from
 * the chain too.
 *
 * `compareStoredState` compares the stored state (hidden sheet, document settings,
 * DocumentProperties: a cache) with the replay: the chain wins, and every disagreement is a finding.
 */
import { diag, type Diagnostic } from '../diagnostics';
import { isBoardAction, isDecisionAction, type AuditEntry } from './audit';
import { replayBoard, type BoardReplay } from './board';
import { hasRole, normalizeEmail, type RolesTable } from './roles';
import { TRANSITIONS, newSiteBudget, type BudgetState, type SiteBudget } from './workflow';

/** The approval a site stands on, with its 1-based position in the chain. */
export interface ChainApproval {
  readonly entry: AuditEntry;
  readonly position: number;
}

export interface Replay {
  /** Each site's state by the chain (sites the chain never mentions are drafts; not listed). */
  readonly sites: ReadonlyMap<string, SiteBudget>;
  /** The current approval of each approved site. */
  readonly approvals: ReadonlyMap<string, ChainApproval>;
  /** Out-of-order steps and broken segregation of duties, with the entry's position. */
  readonly diagnostics: readonly Diagnostic[];
  /**
   * Sites whose current approval broke segregation of duties (BL624 / BL625) or approved other
   * content than was submitted (BL637): not to be trusted.
   */
  readonly untrusted: ReadonlySet<string>;
  /** Every step taken by a self-declared user. */
  readonly selfDeclared: readonly ChainApproval[];
  /** The board's vote and the amendments, replayed from the same chain (core/approval/board.ts). */
  readonly board: BoardReplay;
}

export interface ReplayOptions {
  /** The Roles table, to flag approvers who are builders of the site they approved. */
  readonly roles?: RolesTable;
}

/** Replays the chain's steps site by site. The chain itself is checked by verifyAuditLog. */
export function replayChain(log: readonly AuditEntry[], options: ReplayOptions = {}): Replay {
  const sites = new Map<string, SiteBudget>();
  const approvals = new Map<string, ChainApproval>();
  const untrusted = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const selfDeclared: ChainApproval[] = [];
  log.forEach((e, i) => {
    const position = i + 1;
    // Proposals, decisions and scenario adoptions share the chain but are no site's workflow step.
    // Nor are the board's steps and amendments (replayed by replayBoard, core/approval/board.ts).
    if (isDecisionAction(e.action) || isBoardAction(e.action)) return;
    if (e.identity === 'self-declared') selfDeclared.push({ entry: e, position });
    const t = TRANSITIONS[e.action];
    const budget = sites.get(e.site) ?? newSiteBudget(e.site);
    if (!t || budget.state !== t.from) {
      diagnostics.push(diag('BL626', { position, site: e.site, action: e.action, state: budget.state }));
      return;
    }
    const actor = normalizeEmail(e.actor);
    let next: SiteBudget;
    switch (e.action) {
      case 'submit':
        next = {
          site: e.site,
          state: 'submitted',
          submittedBy: actor,
          submittedAt: e.at,
          submittedHash: e.contentHash,
        };
        break;
      case 'approve': {
        let broken = false;
        if (budget.submittedBy !== undefined && normalizeEmail(budget.submittedBy) === actor) {
          diagnostics.push(diag('BL624', { position, site: e.site, who: actor }));
          broken = true;
        }
        if (options.roles && hasRole(options.roles, actor, 'builder', e.site)) {
          diagnostics.push(diag('BL625', { position, site: e.site, who: actor }));
          broken = true;
        }
        // Approve what was submitted: an approval of other content than the submission's (BL637).
        if (budget.submittedHash !== undefined && e.contentHash !== budget.submittedHash) {
          diagnostics.push(
            diag('BL637', {
              position,
              site: e.site,
              who: actor,
              approved: e.contentHash.slice(0, 12),
              submitted: budget.submittedHash.slice(0, 12),
            }),
          );
          broken = true;
        }
        if (broken) untrusted.add(e.site);
        else untrusted.delete(e.site);
        next = {
          ...budget,
          state: 'approved',
          approvedBy: actor,
          approvedAt: e.at,
          approvedHash: e.contentHash,
        };
        approvals.set(e.site, { entry: e, position });
        break;
      }
      case 'return':
        if (budget.submittedBy !== undefined && normalizeEmail(budget.submittedBy) === actor)
          diagnostics.push(diag('BL624', { position, site: e.site, who: actor }));
        next = { ...budget, state: 'returned' };
        break;
      case 'revise':
        next = { ...budget, state: 'draft' };
        break;
      case 'reopen': {
        const { approvedBy: _b, approvedAt: _a, approvedHash: _h, ...rest } = budget;
        next = { ...rest, state: 'draft' };
        approvals.delete(e.site);
        untrusted.delete(e.site);
        break;
      }
    }
    sites.set(e.site, next);
  });
  return { sites, approvals, diagnostics, untrusted, selfDeclared, board: replayBoard(log) };
}

/** A site's state by the chain (a draft when the chain never mentions it). */
export function chainBudget(replay: Replay, site: string): SiteBudget {
  return replay.sites.get(site) ?? newSiteBudget(site);
}

function describe(b: SiteBudget): string {
  const who = (x: string | undefined, verb: string): string => (x ? ` (${verb} by ${x})` : '');
  if (b.state === 'approved') return `approved${who(b.approvedBy, 'approved')}`;
  if (b.state === 'submitted') return `submitted${who(b.submittedBy, 'submitted')}`;
  return b.state as BudgetState;
}

/**
 * Compares the stored state (a cache) with the chain: state, submitter, approver and approved hash of
 * every site either of them mentions. One BL620 per site that disagrees.
 */
export function compareStoredState(
  replay: Replay,
  stored: Readonly<Record<string, SiteBudget>>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = [...new Set([...Object.keys(stored), ...replay.sites.keys()])].sort();
  for (const site of names) {
    const s = stored[site] ?? newSiteBudget(site);
    const c = chainBudget(replay, site);
    const same =
      s.state === c.state &&
      (c.state === 'draft' ||
        ((s.submittedBy ?? '') === (c.submittedBy ?? '') &&
          (c.state !== 'approved' ||
            ((s.approvedBy ?? '') === (c.approvedBy ?? '') &&
              (s.approvedHash ?? '') === (c.approvedHash ?? '')))));
    if (same) continue;
    const stShown = describe(s);
    const chShown = describe(c);
    out.push(
      diag('BL620', {
        site,
        stored: stShown === chShown ? `${stShown} with other details` : stShown,
        chain: chShown,
      }),
    );
  }
  return out;
}
