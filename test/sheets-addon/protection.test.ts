/**
 * Protection of submitted and approved site sheets in the BUILT add-on, over the Apps Script fakes
 * with Google's rules (test/sheets-addon/fakes: a new protection starts with the spreadsheet's
 * editors; only a protection's editors may change it; removeEditors never removes the owner or the
 * person running the script). The spreadsheet is shared with the principal, the approver, the CFO
 * and another principal.
 */
import { FakeEnv } from './fakes';
import { APPROVER, BUILDER, CFO, call, loadBundle, newDistrict, type Bundle } from './bundle';

const SITE = 'Lincoln Elementary';
const OWNER = 'owner@district.org';
const OTHER = 'other.principal@district.org';

interface Reply {
  result: { ok: boolean; summary: string };
}

function setup(): { env: FakeEnv; bundle: Bundle } {
  const env = new FakeEnv({ owner: OWNER, editors: [CFO, BUILDER, APPROVER, OTHER] });
  const bundle = loadBundle(env);
  newDistrict(env, bundle);
  // the site's one wrong account, corrected (as before a submit)
  env.spreadsheet.sheet(SITE).loadRaw([['100-2220-640-100-001']], { row: 3, col: 2 });
  return { env, bundle };
}

function protection(env: FakeEnv) {
  const p = env.spreadsheet.sheet(SITE).getProtections('SHEET');
  expect(p).toHaveLength(1);
  return p[0] as (typeof p)[number];
}

describe('protected site sheets in Google Sheets', () => {
  it('leaves only the approvers, the CFO and the owner once an approver has acted; the principal is out', () => {
    const { env, bundle } = setup();
    expect(call<Reply>(bundle, env, BUILDER, 'submitSite', '001', '').result.ok).toBe(true);
    // Submitted by the principal: Google keeps the person running the script an editor, so the
    // principal is still one; everyone else who is not an approver or the CFO is out, and domain
    // edit is off.
    expect(protection(env).editors()).toEqual([APPROVER, CFO, OWNER, BUILDER].sort());
    expect(protection(env).canDomainEdit()).toBe(false);
    expect(protection(env).getDescription()).toMatch(/^Budgetline: /);

    // The approver's step re-protects the sheet as the approver: now the principal is removed.
    expect(call<Reply>(bundle, env, APPROVER, 'approveSite', '001', '').result.ok).toBe(true);
    expect(protection(env).editors()).toEqual([APPROVER, CFO, OWNER].sort());
    expect(protection(env).editors()).not.toContain(BUILDER);
    expect(protection(env).editors()).not.toContain(OTHER);
  });

  it('lets the people left take the next step: the CFO reopens, which removes the protection', () => {
    const { env, bundle } = setup();
    call<Reply>(bundle, env, BUILDER, 'submitSite', '001', '');
    call<Reply>(bundle, env, APPROVER, 'approveSite', '001', '');
    const r = call<Reply>(bundle, env, CFO, 'reopenSite', '001', 'Enrollment changed');
    expect(r.result.ok).toBe(true);
    expect(env.spreadsheet.sheet(SITE).isProtected()).toBe(false);
  });

  it('models Google: a protection refuses changes from a non-editor, and never drops the runner or the owner', () => {
    const { env } = setup();
    const p = env.as(OWNER, () => env.spreadsheet.sheet(SITE).protect());
    expect(p.editors()).toEqual([APPROVER, BUILDER, CFO, OTHER, OWNER].sort());
    env.as(APPROVER, () => p.removeEditors([APPROVER, OWNER, BUILDER, OTHER, CFO]));
    expect(p.editors()).toEqual([APPROVER, OWNER].sort());
    expect(() => env.as(BUILDER, () => p.remove())).toThrow(/protected cell or object/);
    expect(() => env.as(BUILDER, () => p.addEditor(BUILDER))).toThrow(/protected cell or object/);
  });
});
