import fc from 'fast-check';
import {
  GENESIS_HASH,
  contentHash,
  diffLines,
  makeEntry,
  newSiteBudget,
  transition,
  verifyAll,
  verifySite,
  type AuditEntry,
  type ContentLine,
} from '../../../core/approval';
import { roles } from './helpers';

const APPROVED: ContentLine[] = [
  { account: '199-11-6119-00-001-X-11-000', cents: 5_000_000, fte: 1000, description: 'Teacher' },
  { account: '199-11-6399-00-001-X-11-000', cents: 120_000, description: 'Supplies' },
  { account: '199-23-6119-00-001-X-23-000', cents: 2_500_000, fte: 500, description: 'SPED teacher' },
];

/** Submits and approves `lines` for site 001; returns the log, last hash and the stored copy. */
function approve(lines: readonly ContentLine[]): {
  log: AuditEntry[];
  lastHash: string;
  copy: readonly ContentLine[];
} {
  const t = roles();
  const s = transition({
    budget: newSiteBudget('001'),
    action: 'submit',
    actor: { email: 'bea.builder@district.org', identity: 'verified' },
    roles: t,
    at: '2026-05-01T09:00:00Z',
    lines,
    previousHash: GENESIS_HASH,
  });
  if (!s.ok) throw new Error('submit refused');
  const a = transition({
    budget: s.budget,
    action: 'approve',
    actor: { email: 'ann.approver@district.org', identity: 'verified' },
    roles: t,
    at: '2026-05-03T16:30:00Z',
    lines,
    previousHash: s.lastHash,
  });
  if (!a.ok) throw new Error('approve refused');
  const store = a.effects.find((e) => e.kind === 'storeApprovedCopy');
  if (!store || store.kind !== 'storeApprovedCopy') throw new Error('no copy');
  return { log: [s.entry, a.entry], lastHash: a.lastHash, copy: store.lines };
}

const arbLine: fc.Arbitrary<ContentLine> = fc.record({
  account: fc.constantFrom(
    '199-11-6119-00-001-X-11-000',
    '199-11-6399-00-001-X-11-000',
    '211-11-6119-00-001-X-30-000',
  ),
  cents: fc.integer({ min: -1_000_000, max: 10_000_000 }),
  fte: fc.integer({ min: 0, max: 2000 }),
  description: fc.string({ maxLength: 8 }),
});

type Change =
  | { kind: 'amount'; i: number; delta: number }
  | { kind: 'account'; i: number; suffix: string }
  | { kind: 'add'; line: ContentLine }
  | { kind: 'remove'; i: number };

const arbChange: fc.Arbitrary<Change> = fc.oneof(
  fc.record({
    kind: fc.constant('amount' as const),
    i: fc.nat(),
    delta: fc.integer({ min: -1000, max: 1000 }).filter((d) => d !== 0),
  }),
  fc.record({
    kind: fc.constant('account' as const),
    i: fc.nat(),
    suffix: fc.constantFrom('1', '-000', 'X'),
  }),
  fc.record({ kind: fc.constant('add' as const), line: arbLine }),
  fc.record({ kind: fc.constant('remove' as const), i: fc.nat() }),
);

function apply(lines: readonly ContentLine[], c: Change): ContentLine[] {
  const out = [...lines];
  if (c.kind === 'add') return [...out, c.line];
  const i = c.i % out.length;
  const l = out[i] as ContentLine;
  if (c.kind === 'remove') out.splice(i, 1);
  else if (c.kind === 'amount') out[i] = { ...l, cents: l.cents + c.delta };
  else out[i] = { ...l, account: l.account + c.suffix };
  return out;
}

describe('changed after approval', () => {
  it('finds nothing when the lines are as approved, in any row order', () => {
    const { log, copy } = approve(APPROVED);
    const v = verifySite({ site: '001', lines: [...APPROVED].reverse(), approvedCopy: copy }, log);
    expect(v).toEqual({ site: '001', approved: true, changed: false, diagnostics: [] });
  });

  it('says when and by whom it was approved, with a line-level diff', () => {
    const { log, copy } = approve(APPROVED);
    const now = [
      { ...(APPROVED[0] as ContentLine), cents: 5_100_000 },
      APPROVED[1] as ContentLine,
      { account: '199-11-6411-00-001-X-11-000', cents: 80_000, description: 'Travel' },
    ];
    const v = verifySite({ site: '001', lines: now, approvedCopy: copy }, log);
    expect(v.diagnostics.map((d) => d.code)).toEqual(['BL612', 'BL615', 'BL614', 'BL613']);
    expect(v.diagnostics[0]?.message).toBe(
      'the 001 budget was changed after approval on 2026-05-03 by ann.approver@district.org (3 lines differ)',
    );
    expect(v.diagnostics[1]?.message).toBe(
      '001: approved line 199-11-6119-00-001-X-11-000 $50,000.00 1.000 FTE "Teacher" is now 199-11-6119-00-001-X-11-000 $51,000.00 1.000 FTE "Teacher"',
    );
    expect(v.diff?.removed).toEqual([APPROVED[2]]);
  });

  it('still reports the change without an approved copy, and says the copy was tampered with', () => {
    const { log, copy } = approve(APPROVED);
    const now = APPROVED.slice(1);
    expect(verifySite({ site: '001', lines: now }, log).diagnostics.map((d) => d.code)).toEqual(['BL612']);
    const forgedCopy = copy.slice(1);
    expect(
      verifySite({ site: '001', lines: now, approvedCopy: forgedCopy }, log).diagnostics.map((d) => d.code),
    ).toEqual(['BL612', 'BL619']);
  });

  it('has nothing to verify once the CFO reopened the budget', () => {
    const { log } = approve(APPROVED);
    const last = log[1] as AuditEntry;
    const reopen = makeEntry({
      at: '2026-05-04T08:00:00Z',
      site: '001',
      action: 'reopen',
      actor: 'cy.cfo@district.org',
      role: 'cfo',
      identity: 'verified',
      contentHash: last.contentHash,
      comment: 'enrollment changed',
      prevHash: last.hash,
    });
    expect(verifySite({ site: '001', lines: [] }, [...log, reopen]).approved).toBe(false);
  });

  it('detects any single change to an approved site (amount, account, line added or removed)', () => {
    fc.assert(
      fc.property(fc.array(arbLine, { minLength: 1, maxLength: 12 }), arbChange, (lines, change) => {
        const { log, lastHash, copy } = approve(lines);
        const now = apply(lines, change);
        const r = verifyAll({ log, lastHash, sites: [{ site: '001', lines: now, approvedCopy: copy }] });
        expect(r.diagnostics[0]?.code).toBe('BL612');
        const d = r.sites[0]?.diff;
        const size = (d?.added.length ?? 0) + (d?.removed.length ?? 0) + (d?.changed.length ?? 0);
        expect(size).toBeGreaterThanOrEqual(1);
        expect(size).toBeLessThanOrEqual(2);
      }),
      { numRuns: 150 },
    );
  });
});

describe('line diff', () => {
  it('is empty for the same multiset of lines and counts repeated lines', () => {
    fc.assert(
      fc.property(fc.array(arbLine, { maxLength: 10 }), (lines) => {
        const d = diffLines(lines, [...lines].reverse());
        expect(d).toEqual({ added: [], removed: [], changed: [] });
      }),
      { numRuns: 100 },
    );
    const l = APPROVED[1] as ContentLine;
    expect(diffLines([l, l], [l])).toEqual({ added: [], removed: [l], changed: [] });
  });

  it('turns the before lines into the after lines (as multisets)', () => {
    fc.assert(
      fc.property(
        fc.array(arbLine, { maxLength: 8 }),
        fc.array(arbLine, { maxLength: 8 }),
        (before, after) => {
          const d = diffLines(before, after);
          const rebuilt = [...before.filter(() => true), ...d.added, ...d.changed.map((c) => c.after)];
          const drop = [...d.removed, ...d.changed.map((c) => c.before)];
          for (const x of drop) rebuilt.splice(rebuilt.indexOf(x), 1);
          expect(contentHash(rebuilt)).toBe(contentHash(after));
        },
      ),
      { numRuns: 100 },
    );
  });
});
