/**
 * Approvals you can trust (issue 11), in the core: chain-derived state, verify's findings (one table
 * row per finding), receipts, merged copies, exact totals, cell limits, and a property test that any
 * single change to an approved site's lines is caught.
 */
import fc from 'fast-check';
import {
  CELL_TEXT_LIMIT,
  GENESIS_HASH,
  checkApprovedSite,
  checkCellText,
  checkReceipts,
  compareStoredState,
  contentHash,
  exactTotal,
  fitCellText,
  formatBigCents,
  mergeChains,
  parseReceipts,
  readApprovedLines,
  readRoles,
  receiptForEntry,
  receiptForRun,
  receiptLine,
  replayChain,
  verifyAuditLog,
  verifyDistrict,
  type ApprovedCopy,
  type AuditEntry,
  type ContentLine,
  type DistrictVerifyInput,
  type SiteBudget,
} from '../../../core';
import { marksOf } from '../../../core/operations';
import { chain } from '../../fixtures/diagnostics/trust';

const BEA = 'bea.builder@district.org';
const ANN = 'ann.approver@district.org';
const CY = 'cy.cfo@district.org';
const LINES: ContentLine[] = [
  { account: '199-11-6119-00-001-7-11-000', cents: 5_250_000, fte: 1000, description: 'Teacher, grade 3' },
  { account: '199-11-6399-00-001-7-11-000', cents: 120_000, fte: 0, description: 'Classroom supplies' },
];
const roles = readRoles([
  ['Email', 'Role', 'Sites'],
  [BEA, 'builder', 'LIN'],
  [ANN, 'approver', 'LIN'],
  [CY, 'cfo', 'all'],
]).roles;

const approvedLog = (): AuditEntry[] =>
  chain([
    ['LIN', 'submit', BEA],
    ['LIN', 'approve', ANN],
  ]);

function copyOf(site: string, lines: readonly ContentLine[], hash = contentHash(lines)): ApprovedCopy {
  return { site, hashes: [hash], lines, unreadable: 0 };
}

function storedFrom(log: readonly AuditEntry[]): Record<string, SiteBudget> {
  return Object.fromEntries(replayChain(log).sites);
}

/** A consistent, approved, untouched district: verify says intact. */
function intact(): DistrictVerifyInput {
  const log = approvedLog();
  return {
    log,
    state: { kind: 'present', sites: storedFrom(log), lastAuditHash: log[log.length - 1]!.hash },
    sites: ['LIN', 'WAS'],
    contents: [
      { site: 'LIN', lines: LINES },
      { site: 'WAS', lines: [] },
    ],
    approvedLines: new Map([['LIN', copyOf('LIN', LINES)]]),
    roles,
  };
}

const codes = (input: DistrictVerifyInput): string[] => verifyDistrict(input).diagnostics.map((d) => d.code);

describe('state from the chain', () => {
  it('replays submit and approve; a reopen leaves the approved state', () => {
    const log = chain([
      ['LIN', 'submit', BEA],
      ['LIN', 'approve', ANN],
      ['LIN', 'reopen', CY],
    ]);
    expect(replayChain(log.slice(0, 2)).sites.get('LIN')).toMatchObject({
      state: 'approved',
      submittedBy: BEA,
    });
    expect(replayChain(log.slice(0, 2)).approvals.get('LIN')?.position).toBe(2);
    const r = replayChain(log);
    expect(r.sites.get('LIN')?.state).toBe('draft');
    expect(r.approvals.size).toBe(0);
    expect(r.diagnostics).toEqual([]);
  });

  it('does not apply a step the workflow does not allow (an approve with no submission)', () => {
    const r = replayChain(chain([['LIN', 'approve', ANN]]));
    expect(r.approvals.size).toBe(0);
    expect(r.sites.get('LIN')).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL626']);
  });

  it('flags the submitter approving, and a builder of the site approving, and distrusts the approval', () => {
    const self = replayChain(
      chain([
        ['LIN', 'submit', BEA],
        ['LIN', 'approve', BEA],
      ]),
      { roles },
    );
    expect(self.diagnostics.map((d) => d.code)).toEqual(['BL624', 'BL625']);
    expect(self.untrusted.has('LIN')).toBe(true);
    const builder = replayChain(
      chain([
        ['LIN', 'submit', 'pat@district.org'],
        ['LIN', 'approve', BEA],
      ]),
      { roles },
    );
    expect(builder.diagnostics.map((d) => d.code)).toEqual(['BL625']);
  });

  it('lists self-declared steps', () => {
    const r = replayChain(
      chain([
        ['LIN', 'submit', BEA, 'self-declared'],
        ['LIN', 'approve', ANN],
      ]),
    );
    expect(r.selfDeclared.map((s) => s.position)).toEqual([1]);
  });

  it.each<[string, Record<string, SiteBudget>, string[]]>([
    ['agrees', {}, []],
    [
      'marks a site approved that the chain has only submitted',
      { LIN: { site: 'LIN', state: 'approved' } },
      ['BL620'],
    ],
    [
      'names another submitter (so the submitter could approve their own budget)',
      { LIN: { site: 'LIN', state: 'submitted', submittedBy: ANN } },
      ['BL620'],
    ],
    ['marks a site the chain never saw approved', { WAS: { site: 'WAS', state: 'approved' } }, ['BL620']],
  ])('stored state that %s', (_, extra, expected) => {
    const log = chain([['LIN', 'submit', BEA]]);
    const stored = { ...storedFrom(log), ...extra };
    expect(compareStoredState(replayChain(log), stored).map((d) => d.code)).toEqual(expected);
  });
});

describe('verify, finding by finding', () => {
  it('says intact for an untouched approved district', () => {
    const v = verifyDistrict(intact());
    expect(v.diagnostics).toEqual([]);
    expect(v.status).toBe('intact');
    expect(v.approvedSites).toEqual(['LIN']);
  });

  const changedLines = [
    LINES[0]!,
    { ...LINES[1]!, cents: 150_000, cell: 'F3', sheet: 'Lincoln' } as ContentLine,
  ];
  const d = intact();
  const log = d.log;
  const { approvedLines: _drop, ...noCopies } = d;
  const cases: [string, DistrictVerifyInput, string[]][] = [
    [
      'an approved amount changed on the site sheet',
      { ...d, contents: [{ site: 'LIN', lines: changedLines }] },
      ['BL612', 'BL615'],
    ],
    [
      'an approved line removed',
      { ...d, contents: [{ site: 'LIN', lines: LINES.slice(0, 1) }] },
      ['BL612', 'BL614'],
    ],
    [
      'a line added',
      { ...d, contents: [{ site: 'LIN', lines: [...LINES, { ...LINES[1]!, description: 'More' }] }] },
      ['BL612', 'BL613'],
    ],
    [
      'an approved line no longer valid (dropped by the reader, its finding given)',
      {
        ...d,
        contents: [
          {
            site: 'LIN',
            lines: LINES.slice(0, 1),
            findings: [
              {
                code: 'BL104',
                severity: 'fatal',
                message: 'unknown object code "6399"',
                remedy: '',
                sheet: 'Lincoln',
                cell: 'B3',
              },
            ],
          },
        ],
      },
      ['BL612', 'BL614', 'BL621'],
    ],
    [
      'a site approved only in the stored state',
      {
        ...d,
        state: {
          kind: 'present',
          sites: { ...storedFrom(log), WAS: { site: 'WAS', state: 'approved' } },
          lastAuditHash: log[1]!.hash,
        },
      },
      ['BL620'],
    ],
    [
      'Approved Lines edited',
      { ...d, approvedLines: new Map([['LIN', copyOf('LIN', changedLines, contentHash(LINES))]]) },
      ['BL622'],
    ],
    [
      'Approved Lines rows for a site with no approval',
      { ...d, approvedLines: new Map([...d.approvedLines!, ['WAS', copyOf('WAS', LINES)]]) },
      ['BL622'],
    ],
    ['an approved site removed from Sites', { ...d, sites: ['WAS'] }, ['BL623']],
    [
      'the submitter approved their own budget',
      (() => {
        const l = chain([
          ['LIN', 'submit', ANN],
          ['LIN', 'approve', ANN],
        ]);
        return { ...d, log: l, state: { kind: 'present', sites: storedFrom(l), lastAuditHash: l[1]!.hash } };
      })() as DistrictVerifyInput,
      ['BL624'],
    ],
    [
      'a builder of the site approved it',
      (() => {
        const l = chain([
          ['LIN', 'submit', 'pat@district.org'],
          ['LIN', 'approve', BEA],
        ]);
        return { ...d, log: l, state: { kind: 'present', sites: storedFrom(l), lastAuditHash: l[1]!.hash } };
      })() as DistrictVerifyInput,
      ['BL625'],
    ],
    [
      'the Audit sheet and the state deleted (Approved Lines left)',
      { ...d, log: [], state: { kind: 'missing' }, missingSheets: ['Audit'] },
      ['BL628', 'BL622'],
    ],
    [
      'the Audit sheet, the state and Approved Lines deleted',
      { ...noCopies, log: [], state: { kind: 'missing' }, missingSheets: ['Audit', 'Approved Lines'] },
      ['BL628', 'BL627'],
    ],
    ['the state damaged', { ...d, state: { kind: 'damaged', problem: 'not JSON' } }, ['BL628']],
    ['a required sheet missing', { ...d, missingSheets: ['Setup'] }, ['BL628']],
    ['the last audit entry removed', { ...d, log: log.slice(0, 1) }, ['BL618', 'BL620', 'BL622']],
    [
      'an audit entry altered',
      { ...d, log: [log[0]!, { ...log[1]!, actor: 'someone@district.org' }] },
      ['BL616', 'BL620'],
    ],
    [
      'the chain rewritten and recomputed, with receipts',
      (() => {
        const l = chain([
          ['LIN', 'submit', BEA],
          ['LIN', 'approve', 'al@district.org'],
        ]);
        return {
          ...d,
          log: l,
          state: { kind: 'present', sites: storedFrom(l), lastAuditHash: l[1]!.hash },
          receipts: log.map((e, i) => receiptForEntry(e, i + 1)),
        };
      })() as DistrictVerifyInput,
      ['BL629'],
    ],
    [
      'the chain cut short and the stored last hash rewritten, with receipts',
      {
        ...d,
        log: log.slice(0, 1),
        state: { kind: 'present', sites: storedFrom(log.slice(0, 1)), lastAuditHash: log[0]!.hash },
        approvedLines: new Map(),
        receipts: log.map((e, i) => receiptForEntry(e, i + 1)),
      },
      ['BL630'],
    ],
    [
      'self-declared steps',
      (() => {
        const l = chain([
          ['LIN', 'submit', BEA, 'self-declared'],
          ['LIN', 'approve', ANN, 'self-declared'],
        ]);
        return { ...d, log: l, state: { kind: 'present', sites: storedFrom(l), lastAuditHash: l[1]!.hash } };
      })() as DistrictVerifyInput,
      ['BL633'],
    ],
  ];
  it.each(cases)('finds %s', (_, input, expected) => {
    expect(codes(input)).toEqual(expected);
    const v = verifyDistrict(input);
    const fatal = expected.some((c) => c !== 'BL633');
    expect(v.status).toBe(fatal ? 'problems' : 'intact');
    if (fatal) expect(v.approvedSites).not.toEqual(['LIN', 'WAS']);
  });

  it('an empty chain with no state is "no approvals recorded", never intact', () => {
    const v = verifyDistrict({ log: [], state: { kind: 'missing' }, sites: ['LIN'], contents: [] });
    expect(v.status).toBe('no approvals recorded');
    expect(v.diagnostics.map((x) => x.code)).toEqual(['BL627']);
  });

  it('never trusts an approval that broke segregation of duties, even with unchanged lines', () => {
    const l = chain([
      ['LIN', 'submit', ANN],
      ['LIN', 'approve', ANN],
    ]);
    const v = verifyDistrict({ ...intact(), log: l, state: { kind: 'missing' } });
    expect(v.approvedSites).toEqual([]);
  });
});

describe('receipts', () => {
  const log = approvedLog();
  const receipts = [
    ...log.map((e, i) => receiptForEntry(e, i + 1)),
    receiptForRun('export', CY, '2026-06-01T00:00:00Z', log),
  ];

  it('match the chain they were given for, also once the chain has grown', () => {
    expect(checkReceipts(log, receipts)).toEqual([]);
    const longer = chain([
      ['LIN', 'submit', BEA],
      ['LIN', 'approve', ANN],
      ['LIN', 'reopen', CY],
    ]);
    expect(checkReceipts(longer, receipts)).toEqual([]);
  });

  it('catch a truncated chain and a rewritten one', () => {
    expect(checkReceipts(log.slice(0, 1), receipts).map((d) => d.code)).toEqual(['BL630', 'BL630']);
    const forged = chain([
      ['LIN', 'submit', BEA],
      ['LIN', 'approve', 'mallory@district.org'],
    ]);
    // The rewritten chain itself verifies: only the receipts can tell.
    expect(verifyAuditLog(forged, forged[1]!.hash)).toEqual([]);
    expect(checkReceipts(forged, receipts).map((d) => d.code)).toEqual(['BL629', 'BL629']);
  });

  it('catch an entry that names another site, action or actor at the same position', () => {
    const r = { ...receipts[1]!, actor: 'mallory@district.org' };
    expect(checkReceipts(log, [r]).map((d) => d.code)).toEqual(['BL629']);
  });

  it('round-trip through JSON Lines, and bad lines are named', () => {
    const text = `${receipts.map(receiptLine).join('\n')}\nnot json\n{"v":2}\n`;
    const p = parseReceipts(text);
    expect(p.receipts).toEqual(receipts);
    expect(p.problems).toEqual(['line 4 is not JSON', 'line 5 is not a Budgetline receipt']);
  });

  it('an export receipt on an empty chain names the genesis hash', () => {
    const r = receiptForRun('consolidate', CY, '2026-06-01T00:00:00Z', []);
    expect(r).toMatchObject({ position: 0, chainHead: GENESIS_HASH });
    expect(checkReceipts([], [r])).toEqual([]);
  });
});

describe('merging the chains of copies', () => {
  const base = chain([['WAS', 'submit', 'wes@district.org']]);
  // Two copies made from the district workbook after `base`, each with its own steps.
  function extend(prefix: AuditEntry[], steps: Parameters<typeof chain>[0]): AuditEntry[] {
    const whole = chain([
      ...prefix.map((e) => [e.site, e.action, e.actor, e.identity] as Parameters<typeof chain>[0][number]),
      ...steps,
    ]);
    return whole;
  }

  it('takes each copy’s steps with their sites, in one chain that verifies', () => {
    const lin = extend(base, [
      ['LIN', 'submit', BEA],
      ['LIN', 'approve', ANN],
    ]);
    const r = mergeChains([
      { file: 'district.xlsx', log: base, claimedApproved: [] },
      { file: 'lincoln.xlsx', log: lin, claimedApproved: ['LIN'] },
    ]);
    if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
    expect(r.common).toBe(1);
    expect(r.owner.get('LIN')).toBe('lincoln.xlsx');
    expect(verifyAuditLog(r.log, r.log[r.log.length - 1]!.hash)).toEqual([]);
    expect(replayChain(r.log).approvals.has('LIN')).toBe(true);
  });

  it('refuses a copy that claims an approval without the entries, naming the file', () => {
    const r = mergeChains([
      { file: 'district.xlsx', log: base, claimedApproved: [] },
      { file: 'lincoln.xlsx', log: extend(base, [['LIN', 'submit', BEA]]), claimedApproved: ['LIN'] },
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.diagnostics.map((d) => d.message)).toEqual([
        expect.stringContaining('lincoln.xlsx: claims the LIN budget is approved'),
      ]);
  });

  it('refuses a copy whose chain is broken, and two copies that both changed a site', () => {
    const lin = extend(base, [['LIN', 'submit', BEA]]);
    const broken = mergeChains([
      { file: 'a.xlsx', log: base, claimedApproved: [] },
      { file: 'b.xlsx', log: [lin[0]!, { ...lin[1]!, actor: 'x@district.org' }], claimedApproved: [] },
    ]);
    expect(broken.ok).toBe(false);
    if (!broken.ok)
      expect(broken.diagnostics[0]?.message).toMatch(/^b\.xlsx: its audit log cannot be trusted/);
    const both = mergeChains([
      { file: 'a.xlsx', log: lin, claimedApproved: [] },
      { file: 'b.xlsx', log: extend(base, [['LIN', 'submit', 'pat@district.org']]), claimedApproved: [] },
    ]);
    expect(both.ok).toBe(false);
    if (!both.ok)
      expect(both.diagnostics[0]?.message).toMatch(
        /^b\.xlsx: has workflow steps for LIN that a\.xlsx has too/,
      );
  });
});

describe('Approved Lines read back', () => {
  it('keeps every row’s hash, so a copy with two hashes is not trusted', () => {
    const h = contentHash(LINES);
    const copies = readApprovedLines([
      ['Site', 'Content hash', 'Account', 'Cents', 'FTE (thousandths)', 'Description'],
      ['LIN', h, LINES[0]!.account, 5_250_000, 1000, 'Teacher, grade 3'],
      ['LIN', GENESIS_HASH, LINES[1]!.account, 120_000, 0, 'Classroom supplies'],
    ]);
    expect(copies.get('LIN')?.hashes).toEqual([h, GENESIS_HASH]);
    expect(contentHash(copies.get('LIN')!.lines)).toBe(h);
    expect(codes({ ...intact(), approvedLines: copies })).toEqual(['BL622']);
  });
});

describe('exact totals', () => {
  it('adds past 2^53 cents exactly, and says when the total cannot be carried as a number', () => {
    expect(exactTotal([1, 2, 3])).toEqual({ total: 6n, safe: true });
    const t = exactTotal([Number.MAX_SAFE_INTEGER, 2, -1, Number.MAX_SAFE_INTEGER]);
    expect(t.total).toBe(2n * BigInt(Number.MAX_SAFE_INTEGER) + 1n);
    expect(t.safe).toBe(false);
    expect(exactTotal([Number.MAX_SAFE_INTEGER, 1, -1]).safe).toBe(true);
    expect(formatBigCents(-900719925474099301n)).toBe('-$9,007,199,254,740,993.01');
  });
});

describe('cell text limits', () => {
  it('a note Budgetline writes on a cell is cut to fit', () => {
    const long = checkCellText([['x'.repeat(200_113)]], 'S');
    const huge = { ...long[0]!, message: `${long[0]!.message} ${'y'.repeat(200_113)}` };
    const [mark] = marksOf([huge]);
    expect(mark?.note.length).toBeLessThanOrEqual(CELL_TEXT_LIMIT);
    expect(mark?.note.endsWith(' …')).toBe(true);
  });

  it('cuts what Budgetline writes to 32,767 characters, never splitting a surrogate pair', () => {
    expect(fitCellText('short')).toBe('short');
    const long = fitCellText('x'.repeat(200_113));
    expect(long).toHaveLength(CELL_TEXT_LIMIT);
    expect(long.endsWith(' …')).toBe(true);
    const emoji = fitCellText('😀'.repeat(20_000));
    expect(emoji.length).toBeLessThanOrEqual(CELL_TEXT_LIMIT);
    expect(emoji).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});

describe('property: any single change to an approved site’s lines is caught', () => {
  const line = fc.record({
    account: fc.constantFrom(
      '199-11-6119-00-001-7-11-000',
      '199-11-6399-00-001-7-11-000',
      '199-23-6411-00-001-7-99-000',
    ),
    cents: fc.integer({ min: -10_000_000, max: 10_000_000 }),
    fte: fc.integer({ min: 0, max: 2000 }),
    description: fc.string({ maxLength: 12 }),
  });
  type Edit =
    | {
        kind: 'field';
        index: number;
        field: 'account' | 'cents' | 'fte' | 'description';
        value: string | number;
      }
    | { kind: 'remove'; index: number }
    | { kind: 'add'; line: ContentLine };
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({
      kind: fc.constant('field' as const),
      index: fc.nat(),
      field: fc.constantFrom('account' as const, 'description' as const),
      value: fc.string({ maxLength: 12 }),
    }),
    fc.record({
      kind: fc.constant('field' as const),
      index: fc.nat(),
      field: fc.constantFrom('cents' as const, 'fte' as const),
      value: fc.integer({ min: -10_000_000, max: 10_000_000 }),
    }),
    fc.record({ kind: fc.constant('remove' as const), index: fc.nat() }),
    fc.record({ kind: fc.constant('add' as const), line }),
  );

  it('verify reports it (by site and line) and the site is not exportable', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), edit, (lines, e) => {
        const approved: ContentLine[] = lines;
        let now: ContentLine[];
        if (e.kind === 'add') now = [...approved, e.line];
        else {
          const i = e.index % approved.length;
          if (e.kind === 'remove') now = approved.filter((_, j) => j !== i);
          else {
            const before = approved[i]!;
            const after = { ...before, [e.field]: e.value } as ContentLine;
            fc.pre(after[e.field] !== before[e.field]);
            now = approved.map((l, j) => (j === i ? after : l));
          }
        }
        // A change that only swaps a line for an identical one is no change to the budget.
        fc.pre(contentHash(now) !== contentHash(approved));
        const log = chain(
          [
            ['LIN', 'submit', BEA],
            ['LIN', 'approve', ANN],
          ],
          approved,
        );
        const one = checkApprovedSite({ site: 'LIN', lines: now, approvedCopy: approved }, log[1]!);
        expect(one.changed).toBe(true);
        const kinds = one.diagnostics.map((d) => d.code);
        expect(kinds[0]).toBe('BL612');
        expect(kinds.slice(1).every((c) => c === 'BL613' || c === 'BL614' || c === 'BL615')).toBe(true);
        expect(kinds.length).toBeGreaterThan(1);
        const v = verifyDistrict({
          log,
          state: { kind: 'present', sites: storedFrom(log), lastAuditHash: log[1]!.hash },
          sites: ['LIN'],
          contents: [{ site: 'LIN', lines: now }],
          approvedLines: new Map([['LIN', copyOf('LIN', approved)]]),
        });
        expect(v.status).toBe('problems');
        expect(v.approvedSites).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
