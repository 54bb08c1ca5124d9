import fc from 'fast-check';
import {
  GENESIS_HASH,
  canonicalLines,
  contentHash,
  makeEntry,
  sha256Hex,
  verifyAuditLog,
  type AuditAction,
  type AuditEntry,
  type ContentLine,
} from '../../../core/approval';
import { AUDIT_FIELDS } from '../../../core/workbook/schema';

const arbLine: fc.Arbitrary<ContentLine> = fc.record({
  account: fc.constantFrom(
    '199-11-6119-00-001-X-11-000',
    '199-11-6399-00-001-X-11-000',
    '211-11-6119-00-001-X-30-000',
  ),
  cents: fc.integer({ min: -10_000_000, max: 10_000_000 }),
  fte: fc.integer({ min: 0, max: 3000 }),
  description: fc.string({ maxLength: 12 }),
});

describe('content hash', () => {
  it('is SHA-256 (known vector)', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('has the documented canonical text: sorted by account, cents, FTE, description, fields escaped', () => {
    const text = canonicalLines([
      { account: 'B', cents: 5, description: 'z' },
      { account: 'A', cents: 10, fte: 500, description: 'tab\there' },
      { account: 'A', cents: -3, description: 'line\nbreak \\ slash' },
      { account: 'A', cents: 10, fte: 0, description: 'cr\r' },
    ]);
    expect(text).toBe(
      'BLL1\nA\t-3\t0\tline\\nbreak \\\\ slash\nA\t10\t0\tcr\\r\nA\t10\t500\ttab\\there\nB\t5\t0\tz\n',
    );
  });

  it('does not depend on row order', () => {
    fc.assert(
      fc.property(
        fc
          .array(arbLine, { maxLength: 20 })
          .chain((lines) =>
            fc.tuple(
              fc.constant(lines),
              fc.shuffledSubarray(lines, { minLength: lines.length, maxLength: lines.length }),
            ),
          ),
        ([lines, shuffled]) => {
          expect(contentHash(shuffled)).toBe(contentHash(lines));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('treats a missing FTE as 0 and refuses non-integer cents as a programming error', () => {
    expect(contentHash([{ account: 'A', cents: 1, description: '' }])).toBe(
      contentHash([{ account: 'A', cents: 1, fte: 0, description: '' }]),
    );
    expect(() => contentHash([{ account: 'A', cents: 1.5, description: '' }])).toThrow(RangeError);
  });

  it('cannot be forged by moving text between fields', () => {
    expect(contentHash([{ account: 'A\t1', cents: 2, description: '' }])).not.toBe(
      contentHash([{ account: 'A', cents: 1, description: '2\t' }]),
    );
  });
});

const ACTIONS: AuditAction[] = ['submit', 'approve', 'return', 'revise', 'reopen'];

function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const e = makeEntry({
      at: `2026-05-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z`,
      site: `00${i % 3}`,
      action: ACTIONS[i % ACTIONS.length] as AuditAction,
      actor: `p${i % 4}@d.org`,
      role: i % 2 ? 'approver' : 'builder',
      identity: i % 3 ? 'verified' : 'self-declared',
      contentHash: sha256Hex(String(i)),
      comment: i % 2 ? `comment ${i}` : '',
      prevHash: prev,
    });
    out.push(e);
    prev = e.hash;
  }
  return out;
}

describe('audit chain', () => {
  it('verifies an intact chain against the stored last hash', () => {
    const log = chain(6);
    expect(verifyAuditLog(log, log[5]?.hash)).toEqual([]);
    expect(verifyAuditLog([], GENESIS_HASH)).toEqual([]);
  });

  it('detects any change to any field of any entry', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.nat(),
        fc.constantFrom(...AUDIT_FIELDS),
        fc.string({ minLength: 1, maxLength: 5 }),
        (n, at, field, extra) => {
          const log = chain(n);
          const last = log[n - 1]?.hash as string;
          const i = at % n;
          const e = log[i] as AuditEntry;
          const tampered = [...log];
          tampered[i] = { ...e, [field]: `${e[field]}${extra}` };
          expect(verifyAuditLog(tampered, last).length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('detects an altered entry whose hash was recomputed to match', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.nat(), (n, at) => {
        const log = chain(n);
        const last = log[n - 1]?.hash as string;
        const i = at % n;
        const { hash: _h, ...rest } = log[i] as AuditEntry;
        const forged = makeEntry({ ...rest, comment: `${rest.comment} (edited)` });
        const tampered = [...log];
        tampered[i] = forged;
        const codes = verifyAuditLog(tampered, last).map((d) => d.code);
        expect(codes).toEqual([i === n - 1 ? 'BL618' : 'BL617']);
      }),
      { numRuns: 100 },
    );
  });

  it('detects removal of any entry, including from the end', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.nat(), (n, at) => {
        const log = chain(n);
        const last = log[n - 1]?.hash as string;
        const i = at % n;
        const removed = log.filter((_, j) => j !== i);
        expect(verifyAuditLog(removed, last).length).toBeGreaterThan(0);
      }),
      { numRuns: 100 },
    );
  });

  it('detects any reordering of entries', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 8 }), fc.nat(), fc.nat(), (n, a, b) => {
        const log = chain(n);
        const i = a % n;
        const j = (i + 1 + (b % (n - 1))) % n;
        const swapped = [...log];
        swapped[i] = log[j] as AuditEntry;
        swapped[j] = log[i] as AuditEntry;
        expect(verifyAuditLog(swapped, log[n - 1]?.hash).map((d) => d.code)).toContain('BL617');
      }),
      { numRuns: 100 },
    );
  });

  it.each([
    ['truncation at the end', (log: AuditEntry[]) => log.slice(0, -2), ['BL618']],
    ['an emptied log', () => [], ['BL618']],
    ['a removed middle entry', (log: AuditEntry[]) => [...log.slice(0, 2), ...log.slice(3)], ['BL617']],
    [
      'an edited comment',
      (log: AuditEntry[]) => log.map((e, i) => (i === 1 ? { ...e, comment: 'x' } : e)),
      ['BL616'],
    ],
  ])('names %s', (_name, tamper, codes) => {
    const log = chain(5);
    expect(verifyAuditLog(tamper(log), log[4]?.hash).map((d) => d.code)).toEqual(codes);
  });

  it('cannot see truncation without the stored last hash (why the host keeps it)', () => {
    const log = chain(5);
    expect(verifyAuditLog(log.slice(0, 3))).toEqual([]);
  });
});
