/**
 * The board's steps in the Sheets add-on (issue 15), as thin as the workflow functions in server.ts:
 * each runs one core operation (core/operations/board.ts, reopenSites) under the document lock and
 * returns the result with the new status. Nothing trusts the sidebar: who acts comes from Session,
 * and the core checks the Roles table (adopt, not adopted, reopen all, apply: the CFO; approving an
 * amendment: the site's approver or the CFO, never who drafted it).
 */
import { operations } from '../../core/operations';
import { draftArgs } from '../../core/views/board';
import { runOperationSync } from '../../core/port/driver';
import { act_, options_, port_, text_, withLock_, type ActionReply } from './server';

export function adoptBudget(date: string, resolution: string, site: string): ActionReply {
  return act_(text_(site), () =>
    withLock_(() =>
      runOperationSync(
        port_(),
        operations.adopt,
        { date: text_(date), resolution: text_(resolution) },
        options_(),
      ),
    ),
  );
}

export function notAdoptedBudget(comment: string, site: string): ActionReply {
  return act_(text_(site), () =>
    withLock_(() =>
      runOperationSync(port_(), operations.notAdopted, { comment: text_(comment) }, options_()),
    ),
  );
}

export function reopenAllSites(comment: string, site: string): ActionReply {
  return act_(text_(site), () =>
    withLock_(() =>
      runOperationSync(
        port_(),
        operations.reopenSites,
        { sites: 'all', comment: text_(comment) },
        options_(),
      ),
    ),
  );
}

export function amendBudget(id: string, step: string, resolution: string, site: string): ActionReply {
  const r = text_(resolution).trim();
  return act_(text_(site), () =>
    withLock_(() =>
      runOperationSync(
        port_(),
        operations.amend,
        step === 'apply'
          ? { step: 'apply', id: text_(id) }
          : { step: 'approve', id: text_(id), ...(r ? { resolution: r } : {}) },
        options_(),
      ),
    ),
  );
}

/** Drafts an amendment from the sidebar's form (amend --add): core's draftArgs reads the form's text. */
export function draftAmendment(
  id: string,
  amendSite: string,
  lines: string,
  reason: string,
  site: string,
): ActionReply {
  const args = draftArgs({
    id: text_(id),
    site: text_(amendSite),
    lines: text_(lines),
    reason: text_(reason),
  });
  return act_(text_(site), () =>
    withLock_(() => runOperationSync(port_(), operations.amend, args, options_())),
  );
}
