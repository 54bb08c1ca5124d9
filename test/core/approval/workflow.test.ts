import {
  GENESIS_HASH,
  TRANSITIONS,
  contentHash,
  newSiteBudget,
  transition,
  type Actor,
  type AuditAction,
  type BudgetState,
  type SiteBudget,
  type TransitionRequest,
} from '../../../core/approval';
import { diag } from '../../../core/diagnostics';
import { roles, T0 } from './helpers';

const BEA: Actor = { email: 'bea.builder@district.org', identity: 'verified' };
const ANN: Actor = { email: 'ann.approver@district.org', identity: 'verified' };
const CY: Actor = { email: 'cy.cfo@district.org', identity: 'self-declared' };
const VAL: Actor = { email: 'val.viewer@district.org', identity: 'verified' };
const LINES = [
  { account: '199-11-6119-00-001-X-11-000', cents: 5_000_000, fte: 1000, description: 'Teacher' },
];

const ACTORS: Record<AuditAction, Actor> = {
  submit: BEA,
  revise: BEA,
  approve: ANN,
  return: ANN,
  reopen: CY,
};

function req(
  budget: SiteBudget,
  action: AuditAction,
  over: Partial<TransitionRequest> = {},
): TransitionRequest {
  return {
    budget,
    action,
    actor: ACTORS[action],
    roles: roles(),
    at: T0,
    comment: 'reason given',
    lines: LINES,
    previousHash: GENESIS_HASH,
    ...over,
  };
}

function inState(state: BudgetState): SiteBudget {
  return { site: '001', state, submittedBy: BEA.email };
}

const STATES: BudgetState[] = ['draft', 'submitted', 'approved', 'returned'];
const ACTIONS = Object.keys(TRANSITIONS) as AuditAction[];

describe('workflow transitions', () => {
  const allowed: [BudgetState, AuditAction, BudgetState][] = [
    ['draft', 'submit', 'submitted'],
    ['submitted', 'approve', 'approved'],
    ['submitted', 'return', 'returned'],
    ['returned', 'revise', 'draft'],
    ['approved', 'reopen', 'draft'],
  ];
  it.each(allowed)('allows %s → %s → %s', (from, action, to) => {
    const r = transition(req(inState(from), action));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.budget.state).toBe(to);
    expect(r.entry.action).toBe(action);
    expect(r.entry.prevHash).toBe(GENESIS_HASH);
    expect(r.lastHash).toBe(r.entry.hash);
    expect(r.entry.contentHash).toBe(contentHash(LINES));
  });

  const refused = STATES.flatMap((s) =>
    ACTIONS.filter((a) => !allowed.some(([f, x]) => f === s && x === a)).map((a) => [s, a] as const),
  );
  it.each(refused)('refuses %s → %s with BL601 and leaves no entry', (from, action) => {
    const r = transition(req(inState(from), action));
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL601']);
  });

  it('records role, identity source and comment in the entry', () => {
    const r = transition(req(inState('approved'), 'reopen', { comment: '  Enrollment revised  ' }));
    expect(r.ok && r.entry).toMatchObject({
      actor: 'cy.cfo@district.org',
      role: 'cfo',
      identity: 'self-declared',
      comment: 'Enrollment revised',
      site: '001',
      at: T0,
    });
  });

  it('goes round returned → draft → submitted → approved, chaining each entry to the last', () => {
    let budget = newSiteBudget('001');
    let prev = GENESIS_HASH;
    const path: AuditAction[] = ['submit', 'return', 'revise', 'submit', 'approve'];
    for (const action of path) {
      const r = transition(req(budget, action, { previousHash: prev }));
      if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
      expect(r.entry.prevHash).toBe(prev);
      budget = r.budget;
      prev = r.lastHash;
    }
    expect(budget).toMatchObject({ state: 'approved', submittedBy: BEA.email, approvedBy: ANN.email });
  });
});

describe('roles and segregation of duties', () => {
  it('refuses a builder submitting a site not theirs', () => {
    const r = transition(req({ site: '003', state: 'draft' }, 'submit'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL602']);
  });

  it('refuses an approver approving a site not assigned to them', () => {
    const r = transition(req({ site: '002', state: 'submitted', submittedBy: BEA.email }, 'approve'));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL602']);
  });

  it.each(['approve', 'return'] as const)(
    'refuses self-%s by the submitter even with the approver role',
    (action) => {
      const dual: Actor = { email: 'DUAL@district.org', identity: 'verified' };
      const r = transition(
        req({ site: '003', state: 'submitted', submittedBy: 'dual@district.org' }, action, { actor: dual }),
      );
      expect(r.ok).toBe(false);
      // Approving is refused twice over: the submitter, and a builder of the site (BL625).
      expect(r.diagnostics.map((d) => d.code)).toEqual(action === 'approve' ? ['BL603', 'BL625'] : ['BL603']);
    },
  );

  it('refuses a builder of the site approving, even a budget someone else submitted', () => {
    const dual: Actor = { email: 'dual@district.org', identity: 'verified' };
    const r = transition(
      req({ site: '003', state: 'submitted', submittedBy: 'other@district.org' }, 'approve', { actor: dual }),
    );
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL625']);
  });

  it('lets a builder of the site return a budget someone else submitted', () => {
    const dual: Actor = { email: 'dual@district.org', identity: 'verified' };
    const r = transition(
      req({ site: '003', state: 'submitted', submittedBy: 'other@district.org' }, 'return', { actor: dual }),
    );
    expect(r.ok).toBe(true);
  });

  it('refuses a self-declared approver when the district requires verified identity', () => {
    const self: Actor = { email: ANN.email, identity: 'self-declared' };
    const submitted = { site: '001', state: 'submitted' as const, submittedBy: BEA.email };
    const refused = transition(req(submitted, 'approve', { actor: self, requireVerifiedIdentity: true }));
    expect(refused.diagnostics.map((d) => d.code)).toEqual(['BL632']);
    expect(transition(req(submitted, 'approve', { actor: self, requireVerifiedIdentity: false })).ok).toBe(
      true,
    );
    // Submitting needs no verified identity.
    const submit = transition(
      req(newSiteBudget('001'), 'submit', {
        actor: { ...BEA, identity: 'self-declared' },
        requireVerifiedIdentity: true,
      }),
    );
    expect(submit.ok).toBe(true);
  });

  it('refuses to submit or approve a budget whose total cannot be carried exactly', () => {
    const huge = [
      { account: '199-11-6119-00-001-X-11-000', cents: Number.MAX_SAFE_INTEGER, description: 'a' },
      { account: '199-11-6399-00-001-X-11-000', cents: 2, description: 'b' },
    ];
    const r = transition(req(newSiteBudget('001'), 'submit', { lines: huge }));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL634']);
    expect(r.diagnostics[0]?.message).toContain('($90,071,992,547,409.93)');
  });

  it.each([
    ['an approver', ANN],
    ['a builder', BEA],
    ['a viewer', VAL],
  ])('lets only the CFO reopen an approved budget, not %s', (_n, actor) => {
    const r = transition(req(inState('approved'), 'reopen', { actor }));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL602']);
  });

  it('refuses a viewer every step', () => {
    for (const action of ACTIONS) {
      const from = TRANSITIONS[action].from;
      const r = transition(req({ site: '001', state: from }, action, { actor: VAL }));
      expect(r.diagnostics.map((d) => d.code)).toEqual(['BL602']);
    }
  });

  it('refuses someone not in the Roles table', () => {
    const r = transition(
      req(inState('draft'), 'submit', { actor: { email: 'x@y.org', identity: 'verified' } }),
    );
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL610']);
  });

  it.each(['return', 'reopen'] as const)('requires a comment to %s', (action) => {
    const from = TRANSITIONS[action].from;
    const r = transition(req(inState(from), action, { comment: '   ' }));
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL604']);
  });
});

describe('submit refusals', () => {
  it('lists every fatal finding and blocking over-allocation, each as its own reason', () => {
    const findings = [
      diag(
        'BL104',
        { segment: 'object', code: '6118', chart: 'Texas', fiscalYear: 'FY2027', suggestions: [] },
        { sheet: 'Lincoln', cell: 'C14' },
      ),
      diag('BL006', { segment: 'fund', from: '99', to: '099' }, { sheet: 'Lincoln', cell: 'C15' }),
      diag('BL403', { what: 'amount', shown: 'abc' }, { sheet: 'Lincoln', cell: 'D16' }),
    ];
    const r = transition(
      req(inState('draft'), 'submit', {
        findings,
        overAllocations: [
          { what: 'Title I supplies', overCents: 120000, blocking: true, sheet: 'Allocations', cell: 'E4' },
          { what: 'General supplies', overCents: 500, blocking: false },
          { what: 'Teacher FTE', over: '0.500 FTE', blocking: true },
        ],
      }),
    );
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.sheet, d.cell])).toEqual([
      ['BL605', 'Lincoln', 'C14'],
      ['BL605', 'Lincoln', 'D16'],
      ['BL606', 'Allocations', 'E4'],
      ['BL606', undefined, undefined],
    ]);
    expect(r.diagnostics[0]?.message).toBe(
      'the 001 budget cannot be submitted: Lincoln!C14 BL104 unknown object code "6118"',
    );
    expect(r.diagnostics[2]?.message).toContain('Title I supplies is over its allocation by $1,200.00');
  });

  it('lists state, role and findings together when several things are wrong', () => {
    const r = transition(
      req(inState('approved'), 'submit', {
        actor: VAL,
        findings: [diag('BL001', { what: 'account' }, { cell: 'B2' })],
      }),
    );
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL601', 'BL602', 'BL605']);
  });
});

describe('host effects', () => {
  it('on submit protects the site and notifies the site’s approvers', () => {
    const r = transition(req(newSiteBudget('001'), 'submit'));
    if (!r.ok) throw new Error('refused');
    expect(r.effects).toEqual([
      { kind: 'protect', site: '001' },
      expect.objectContaining({
        kind: 'notify',
        to: ['al.approver@district.org', 'ann.approver@district.org'],
      }),
    ]);
    expect(r.diagnostics).toEqual([]);
  });

  it('warns when no approver other than the submitter covers the site', () => {
    const dual: Actor = { email: 'dual@district.org', identity: 'verified' };
    const t = roles([
      ['Email', 'Role', 'Sites'],
      ['dual@district.org', 'builder', '003'],
      ['dual@district.org', 'approver', '003'],
    ]);
    const r = transition(req(newSiteBudget('003'), 'submit', { actor: dual, roles: t }));
    expect(r.ok && r.diagnostics.map((d) => d.code)).toEqual(['BL611']);
  });

  it('on approval keeps an approved copy of the lines in canonical order and notifies the submitter', () => {
    const lines = [
      { account: 'B', cents: 1, description: 'x' },
      { account: 'A', cents: 2, description: 'y' },
    ];
    const r = transition(req(inState('submitted'), 'approve', { lines }));
    if (!r.ok) throw new Error('refused');
    expect(r.effects).toEqual([
      { kind: 'protect', site: '001' },
      {
        kind: 'storeApprovedCopy',
        site: '001',
        contentHash: contentHash(lines),
        lines: [lines[1], lines[0]],
      },
      expect.objectContaining({ kind: 'notify', to: [BEA.email] }),
    ]);
  });

  it('on return unprotects and tells the submitter the reason', () => {
    const r = transition(req(inState('submitted'), 'return', { comment: 'Supplies too high' }));
    if (!r.ok) throw new Error('refused');
    expect(r.effects[0]).toEqual({ kind: 'unprotect', site: '001' });
    expect(r.effects[1]).toMatchObject({
      kind: 'notify',
      to: [BEA.email],
      body: expect.stringContaining('Supplies too high'),
    });
  });

  it('on reopen unprotects, forgets the approval and tells approver and submitter', () => {
    const r = transition(
      req({ ...inState('approved'), approvedBy: ANN.email, approvedAt: T0, approvedHash: 'h' }, 'reopen'),
    );
    if (!r.ok) throw new Error('refused');
    expect(r.budget).toEqual({ site: '001', state: 'draft', submittedBy: BEA.email });
    expect(r.effects).toEqual([
      { kind: 'unprotect', site: '001' },
      expect.objectContaining({ kind: 'notify', to: [ANN.email, BEA.email] }),
    ]);
  });
});

describe('programming errors from the host', () => {
  it.each(['2026-05-01 14:03', '2026-05-01T14:03:00+02:00', ''])('throws for the time %j', (at) => {
    expect(() => transition(req(inState('draft'), 'submit', { at }))).toThrow(RangeError);
  });
  it('throws for a malformed previous hash', () => {
    expect(() => transition(req(inState('draft'), 'submit', { previousHash: 'abc' }))).toThrow(RangeError);
  });
});
