/**
 * Who may do what: the one permission predicate. The workflow's transition, `status` (which buttons
 * to show), the district-wide operations (consolidate, export, verify, rebuilding a workbook) and
 * importing lines all ask here, so a button, a refusal and the operation cannot disagree.
 *
 * - Workflow steps (submit, approve, return, revise, reopen): the budget must be in the step's
 *   `from` state, the actor must be listed and hold the step's role for the site (TRANSITIONS), and
 *   nobody reviews (approves or returns) a budget they submitted, and a builder of the site never
 *   approves it.
 * - District-wide actions, deciding budget-change proposals among them: the CFO only (the cfo role
 *   in the Roles table), who speaks for district leadership.
 * - Submitting a budget-change proposal (`propose`, the `budget` naming the proposal's site): a
 *   builder of that site (a school's, department's or program's own budget owner) or the CFO; a
 *   proposal without a site (district-wide) only the CFO. Taking one under review, deciding it and
 *   adopting a scenario are district-wide (the CFO).
 * - Importing lines into a site's sheet: the site must be open for changes (draft or returned); a
 *   submitted or approved budget is returned or reopened first. The sheet's protection already keeps
 *   people out in Excel and Sheets; this keeps every host (and the command line) out the same way.
 */
import { diag, type Diagnostic } from '../diagnostics';
import type { AuditAction } from './audit';
import { hasRole, isListed, normalizeEmail, type Role, type RolesTable } from './roles';
import { TRANSITIONS, type SiteBudget } from './workflow';

export type DistrictAction = 'consolidate' | 'export' | 'verify' | 'rebuild' | 'decide' | 'review' | 'adopt';
export type Action = AuditAction | DistrictAction | 'import' | 'propose';

/** What each district-wide action is called in a refusal ("… may not consolidate the district budget"). */
export const DISTRICT_ACTIONS: Readonly<Record<DistrictAction, string>> = {
  consolidate: 'consolidate the district budget',
  export: 'export the district budget',
  verify: 'verify the approvals',
  rebuild: 'rebuild the district workbook over the existing one',
  decide: 'accept, reject or defer budget-change proposals',
  review: 'take budget-change proposals under review',
  adopt: 'adopt a scenario into the budget',
};

const ROLE_NEEDED: Readonly<Record<Role, string>> = {
  builder: 'a builder assigned to this site',
  approver: 'an approver assigned to this site',
  cfo: 'the CFO',
  viewer: 'a viewer',
};

/** The steps possible from a state, in words: "submitted", "approved or returned". */
function allowedFrom(state: SiteBudget['state']): string {
  const done = Object.values(TRANSITIONS)
    .filter((t) => t.from === state)
    .map((t) => t.done);
  return done.length === 1
    ? (done[0] as string)
    : `${done.slice(0, -1).join(', ')} or ${done[done.length - 1]}`;
}

function isDistrict(action: Action): action is DistrictAction {
  return action in DISTRICT_ACTIONS;
}

/**
 * Every reason `actor` may not take `action` (on `budget`, for a site's action), or [] when they may.
 * `budget` is required for workflow steps and import; district-wide actions ignore it.
 */
export function refusalsFor(
  actor: string,
  action: Action,
  budget: SiteBudget | undefined,
  roles: RolesTable,
): Diagnostic[] {
  const who = normalizeEmail(actor);
  if (isDistrict(action)) {
    const cfo = roles.assignments.some((a) => a.role === 'cfo' && a.email === who);
    return cfo ? [] : [diag('BL811', { who: actor, action: DISTRICT_ACTIONS[action] })];
  }
  const site = budget?.site ?? '';
  const state = budget?.state ?? 'draft';
  if (action === 'propose') {
    if (!isListed(roles, who)) return [diag('BL610', { who })];
    const cfo = roles.assignments.some((a) => a.role === 'cfo' && a.email === who);
    if (cfo || (site !== '' && hasRole(roles, who, 'builder', site))) return [];
    return [diag('BL910', { who, site })];
  }
  if (action === 'import')
    return state === 'submitted' || state === 'approved' ? [diag('BL821', { site, state })] : [];
  const t = TRANSITIONS[action];
  const refusals: Diagnostic[] = [];
  if (state !== t.from)
    refusals.push(diag('BL601', { site, action: t.done, state, allowed: allowedFrom(state) }));
  if (!isListed(roles, who)) refusals.push(diag('BL610', { who }));
  else if (!hasRole(roles, who, t.role, site))
    refusals.push(diag('BL602', { site, who, action, needed: ROLE_NEEDED[t.role] }));
  if (
    (action === 'approve' || action === 'return') &&
    budget?.submittedBy !== undefined &&
    normalizeEmail(budget.submittedBy) === who
  )
    refusals.push(diag('BL603', { site, who, action }));
  // Segregation of duties: whoever builds a site's budget does not approve it (issue 11).
  if (action === 'approve' && hasRole(roles, who, 'builder', site))
    refusals.push(diag('BL625', { site, who }));
  return refusals;
}

/** Whether `actor` may take `action` now (see refusalsFor for the reasons when not). */
export function may(
  actor: string | undefined,
  action: Action,
  budget: SiteBudget | undefined,
  roles: RolesTable,
): boolean {
  return actor !== undefined && actor.trim() !== '' && refusalsFor(actor, action, budget, roles).length === 0;
}
