/**
 * The final budget (h22): after adoption, consolidate and export carry the adopted lines plus the
 * applied amendments, reconciled class by class and fund by fund; a changed amendment refuses them,
 * named on its cell; `amendments` exports only the changes (= final − original).
 */
import fc from 'fast-check';
import {
  boardReport,
  headerOf,
  operations,
  reconcile,
  SITE_TABLE,
  compileChart,
  SHEETS,
  type CellValue,
  type ConsolidateResult,
  type ExportResult,
} from '../../../core';
import { loadPreset } from '../../../core/presets';
import { amendmentsGrid, approvedDistrict, PEOPLE, type Book } from '../../fixtures/board';

const ADOPT = { date: '2026-06-18', resolution: '2026-14' };
const MOVE: CellValue[] = [
  'A-1',
  '001',
  '100-1000-610-100-001; 100-2220-640-100-001',
  '-200.00; 200.00',
  'Move supplies money to library books',
  '',
  '',
  PEOPLE.builder,
];

const codes = (r: { diagnostics: readonly { code: string }[] }) => r.diagnostics.map((d) => d.code);
const frozen = (book: Book) => JSON.stringify([book.sheets, book.state]);

function adopted(): Book {
  const book = approvedDistrict(operations);
  expect(book.run(operations.adopt, ADOPT, PEOPLE.cfo).ok).toBe(true);
  return book;
}

/** Approves (with a resolution) and applies amendment `id` of the Amendments table. */
function approveAndApply(book: Book, id: string, resolution = '2026-41'): void {
  const a = book.run(operations.amend, { step: 'approve', id, resolution }, PEOPLE.approver);
  expect(a.diagnostics.map((d) => d.message)).toEqual([]);
  const p = book.run(operations.amend, { step: 'apply', id }, PEOPLE.cfo);
  expect(p.ok).toBe(true);
}

/** An erp-budget export as cents by "site account" (Budget Unit, Account, Approved Amount). */
function bySiteAccount(content: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of content.trim().split('\r\n').slice(1)) {
    const [, unit, account, , , approved] = line.split(',');
    const k = `${unit} ${account}`;
    out.set(k, (out.get(k) ?? 0) + Math.round(Number(approved) * 100));
  }
  return out;
}

const exportOf = (book: Book, args: Parameters<typeof operations.exportBudget.run>[1]): ExportResult =>
  book.run(operations.exportBudget, args, PEOPLE.cfo);

describe('after adoption, consolidate and export carry the final budget', () => {
  it('before adoption nothing changes: no budget block, no basis, the approved lines', () => {
    const book = approvedDistrict(operations);
    const c = book.run(operations.consolidate, { unapproved: 'exclude' }, PEOPLE.cfo);
    expect(c.ok).toBe(true);
    expect(c.budget).toBeUndefined();
    expect(book.sheets[SHEETS.master]?.[0]?.[0]).toBe('Control totals');
    const x = exportOf(book, { format: 'generic-csv' });
    expect(x.budget).toBeUndefined();
    expect(x.content).toContain('100-1000-610-100-001,3500.00,Classroom supplies');
  });

  it('adopted, no amendment: the ORIGINAL budget, said so', () => {
    const book = adopted();
    const c = book.run(operations.consolidate, { unapproved: 'exclude' }, PEOPLE.cfo);
    expect(c.budget?.kind).toBe('original');
    expect(String(book.sheets[SHEETS.master]?.[0]?.[0])).toMatch(
      /^Budget: ORIGINAL budget \(adopted 2026-06-18/,
    );
  });

  it('consolidate: the Master Budget is the final budget, its header says so, original → final reconciles', () => {
    const book = adopted();
    book.setSheet(SHEETS.amendments, amendmentsGrid([MOVE]));
    approveAndApply(book, 'A-1');
    const c: ConsolidateResult = book.run(operations.consolidate, { unapproved: 'exclude' }, PEOPLE.cfo);
    expect(c.ok).toBe(true);
    expect(codes(c)).not.toContain('BL660');
    expect(c.summary).toContain('FINAL budget as of amendment A-1');
    expect(c.budget).toMatchObject({
      kind: 'final',
      adopted: { date: '2026-06-18', resolution: '2026-14' },
      asOf: { id: 'A-1', resolution: '2026-41' },
      amendments: [{ id: 'A-1', site: '001', resolution: '2026-41' }],
    });
    const master = book.sheets[SHEETS.master] ?? [];
    expect(master[0]?.[0]).toBe(
      'Budget: FINAL budget as of amendment A-1 (resolution 2026-41): the original budget (adopted 2026-06-18, resolution 2026-14) with amendment A-1 applied',
    );
    expect(master[2]).toEqual(['Budget', 'FINAL as of amendment A-1 (resolution 2026-41)']);
    // The reconciliation: a move within fund 100 expenditures; the totals are the original's.
    const total = 66000_00 + 3500_00 + 450_00 + 1200_00 + 800_50;
    expect(c.reconciliation).toContainEqual({
      class: 'expenditure',
      label: 'Expenditure',
      fund: 'all',
      originalCents: total,
      amendmentsCents: 0,
      finalCents: total,
      agree: true,
    });
    // The Master Budget by object: 610 lost $200, 640 gained $200 (site 002 had $800.50 of 640).
    const comparison = master.findIndex((r) => r[0] === 'Comparison');
    const rows = master.slice(comparison + 2).filter((r) => typeof r[0] === 'string');
    expect(rows.find((r) => r[0] === '100-2220-640-100-001')).toEqual([
      '100-2220-640-100-001',
      null,
      1250.5,
      1450.5,
      null,
      200,
    ]);
    expect(rows.find((r) => r[0] === '100-1000-610-100-001')?.slice(2)).toEqual([4700, 4500, null, -200]);
  });

  it('export: an amended account is one line per site with the final amount; BL660 says it is the final budget', () => {
    const book = adopted();
    book.setSheet(SHEETS.amendments, amendmentsGrid([MOVE]));
    approveAndApply(book, 'A-1');
    const x = exportOf(book, { format: 'generic-csv' });
    expect(x.ok).toBe(true);
    expect(x.budget?.kind).toBe('final');
    expect(codes(x)).toContain('BL660');
    expect(x.summary).toContain('FINAL budget as of amendment A-1');
    const lines = (x.content ?? '').trim().split('\r\n');
    expect(lines).toContain('100-1000-610-100-001,3300.00,Classroom supplies (amended by A-1)');
    expect(lines).toContain('100-2220-640-100-001,650.00,Library books (amended by A-1)');
    // Site 002's lines are untouched.
    expect(lines).toContain('100-1000-610-100-001,1200.00,Science kits');
    expect(lines).toContain('100-2220-640-100-001,800.50,Library books');
    expect(x.reconciliation?.every((r) => r.agree)).toBe(true);
  });

  it('a line brought to zero stays, as zero; an account the amendment adds is its own line', () => {
    const book = adopted();
    book.setSheet(
      SHEETS.amendments,
      amendmentsGrid([
        [
          'A-2',
          '002',
          '100-1000-610-100-001; 100-1000-640-100-001',
          '-1,200.00; 900',
          'Kits replaced by textbooks',
          '',
          '',
          PEOPLE.builder,
        ],
      ]),
    );
    approveAndApply(book, 'A-2');
    const x = exportOf(book, { format: 'erp-budget' });
    const got = bySiteAccount(x.content ?? '');
    expect(got.get('002 100-1000-610-100-001')).toBe(0);
    expect(got.get('002 100-1000-640-100-001')).toBe(900_00);
    expect(x.content).toContain('2027,002,100-1000-610-100-001,0.00,0.00,0.00');
    const g = exportOf(book, { format: 'generic-csv' });
    expect(g.content).toContain('100-1000-610-100-001,0.00,Science kits (amended by A-2; now zero)');
    expect(g.content).toContain('100-1000-640-100-001,900.00,Amendment A-2: Kits replaced by textbooks');
  });

  it.each([
    ['its Amounts', 'D2', '-2,000.00; 2,000.00', 'C2', /Amounts \(D2\)/],
    ['its Reason', 'E2', 'Something else', 'E2', /Reason \(E2\) reads "Something else"/],
    ['its Site', 'B2', '002', 'B2', /Site \(B2\) reads 002; it was applied to site 001/],
  ])(
    'an applied amendment changed since (%s) refuses consolidate and export, naming the cell',
    (_what, cell, value, named, detail) => {
      const book = adopted();
      book.setSheet(SHEETS.amendments, amendmentsGrid([MOVE]));
      approveAndApply(book, 'A-1');
      book.setCell(SHEETS.amendments, cell, value);
      const before = frozen(book);
      const c = book.run(operations.consolidate, { unapproved: 'exclude' }, PEOPLE.cfo);
      expect(c.ok).toBe(false);
      const found = c.diagnostics.filter((d) => d.code === 'BL662');
      expect(found.map((d) => [d.sheet, d.cell])).toEqual([['Amendments', named]]);
      expect(found[0]?.message).toMatch(detail);
      expect(frozen(book)).toBe(before);
      for (const amendments of [undefined, 'all' as const]) {
        const x = exportOf(book, { format: 'generic-csv', ...(amendments ? { amendments } : {}) });
        expect(x.ok).toBe(false);
        expect(x.content).toBeUndefined();
        expect(x.diagnostics.find((d) => d.code === 'BL662')?.cell).toBe(named);
      }
    },
  );

  it('export --amendments: only the applied changes, signed; equal to final − original', () => {
    const book = adopted();
    const original = bySiteAccount(exportOf(book, { format: 'erp-budget' }).content ?? '');
    book.setSheet(
      SHEETS.amendments,
      amendmentsGrid([
        MOVE,
        ['A-2', '002', '100-1000-610-100-001', '-300', 'Fewer kits', '', '', PEOPLE.builder],
        ['A-3', '002', '100-1000-640-100-001', '75', 'Drafted only', '', '', PEOPLE.builder],
      ]),
    );
    approveAndApply(book, 'A-1');
    approveAndApply(book, 'A-2', '2026-42');
    const final = bySiteAccount(exportOf(book, { format: 'erp-budget' }).content ?? '');
    const x = exportOf(book, { format: 'erp-budget', amendments: 'all' });
    expect(x.ok).toBe(true);
    expect(x.amendments).toEqual(['A-1', 'A-2']);
    expect(x.fileName).toBe('springfield-usd-fy2027-erp-budget-amendments-A-1-A-2.csv');
    expect((x.content ?? '').trim().split('\r\n').slice(1)).toEqual([
      '2027,001,100-1000-610-100-001,-200.00,-200.00,-200.00',
      '2027,001,100-2220-640-100-001,200.00,200.00,200.00',
      '2027,002,100-1000-610-100-001,-300.00,-300.00,-300.00',
    ]);
    const deltas = bySiteAccount(x.content ?? '');
    for (const k of new Set([...original.keys(), ...final.keys()]))
      expect([k, (final.get(k) ?? 0) - (original.get(k) ?? 0)]).toEqual([k, deltas.get(k) ?? 0]);
    // One named: only its lines.
    const one = exportOf(book, { format: 'generic-csv', amendments: ['A-2'] });
    expect(one.content).toBe(
      'Account,Amount,Description\r\n100-1000-610-100-001,-300.00,Amendment A-2 (resolution 2026-42): Fewer kits\r\n',
    );
    // A drafted amendment in the list refuses the whole export; so does an unknown one.
    const drafted = exportOf(book, { format: 'generic-csv', amendments: ['A-1', 'A-3'] });
    expect([drafted.ok, drafted.content, codes(drafted)]).toEqual([false, undefined, ['BL663']]);
    expect(codes(exportOf(book, { format: 'generic-csv', amendments: ['A-9'] }))).toEqual(['BL654']);
  });

  it('an applied amendment to a site outside the adopted budget refuses consolidate, export and the report (BL665)', () => {
    const book = adopted();
    const sites = book.sheets[SHEETS.sites] ?? [];
    book.setSheet(SHEETS.sites, [...sites, ['003', 'Adams High', '', 300, 'high', 'No']]);
    book.setSheet('Adams High', [headerOf(SITE_TABLE)]);
    book.setSheet(
      SHEETS.amendments,
      amendmentsGrid([
        ['A-3', '003', '100-1000-610-100-001', '500.00', 'Start-up', '2026-30', '', PEOPLE.builder],
      ]),
    );
    // The approver has no right on site 003: the CFO approves it.
    expect(book.run(operations.amend, { step: 'approve', id: 'A-3' }, PEOPLE.cfo).ok).toBe(true);
    expect(book.run(operations.amend, { step: 'apply', id: 'A-3' }, PEOPLE.cfo).ok).toBe(true);
    const before = frozen(book);
    for (const r of [
      book.run(operations.consolidate, { unapproved: 'exclude' }, PEOPLE.cfo),
      book.run(operations.consolidate, { unapproved: 'include-marked' }, PEOPLE.cfo),
      exportOf(book, { format: 'generic-csv' }),
      exportOf(book, { format: 'generic-csv', amendments: 'all' }),
      book.run(boardReport, {}, PEOPLE.cfo),
    ]) {
      expect(r.ok).toBe(false);
      expect(r.diagnostics.map((d) => [d.code, d.cell])).toContainEqual(['BL665', 'B2']);
    }
    expect(frozen(book)).toBe(before);
  });

  it('export --amendments is refused before adoption (BL652) and with none applied (BL664)', () => {
    const book = approvedDistrict(operations);
    expect(codes(exportOf(book, { format: 'generic-csv', amendments: 'all' }))).toEqual(['BL652']);
    book.run(operations.adopt, ADOPT, PEOPLE.cfo);
    expect(codes(exportOf(book, { format: 'generic-csv', amendments: 'all' }))).toEqual(['BL664']);
  });
});

describe('adopt says its totals class by class', () => {
  it('never one sum of revenues and expenditures', () => {
    const book = approvedDistrict(operations);
    // A transfer out (other financing use, object 930) beside the expenditures.
    const r = book.run(operations.adopt, ADOPT, PEOPLE.cfo);
    expect(r.summary).toBe(
      'ADOPTED on 2026-06-18 (resolution 2026-14): 2 sites, 5 lines (revenues: none on the sites\' lines; expenditures $71,950.50), frozen on the "Adopted Budget" sheet as the original budget.',
    );
    expect(r.summary).not.toContain('total of all lines');
  });

  it('splits expenditures from other financing uses', () => {
    const book = approvedDistrict(operations);
    book.run(operations.reopen, { site: '002', comment: 'add a transfer' }, PEOPLE.cfo);
    const sheet = book.sheets['Washington Middle'] ?? [];
    const row = [...(sheet[1] ?? [])];
    const header = (sheet[0] ?? []).map(String);
    row[header.indexOf('Account')] = '100-1000-930-100-001';
    row[header.indexOf('Description')] = 'Transfer to cafeteria fund';
    row[header.indexOf('Amount')] = 70;
    book.setSheet('Washington Middle', [...sheet, row]);
    expect(book.run(operations.submit, { site: '002' }, PEOPLE.builder).ok).toBe(true);
    expect(book.run(operations.approve, { site: '002' }, PEOPLE.approver).ok).toBe(true);
    const r = book.run(operations.adopt, ADOPT, PEOPLE.cfo);
    expect(r.summary).toContain(
      "6 lines (revenues: none on the sites' lines; expenditures $71,950.50; other financing uses $70.00)",
    );
  });
});

describe('reconcile', () => {
  const v = compileChart(loadPreset('nces'), 2027);
  it('agrees when original + amendments = final, class by class and fund by fund', () => {
    const r = reconcile(
      v,
      [{ account: '100-1000-610-100-001', cents: 500 }],
      [{ account: '100-1000-930-100-001', cents: 70 }],
      [
        { account: '100-1000-610-100-001', cents: 500 },
        { account: '100-1000-930-100-001', cents: 70 },
      ],
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.rows.map((x) => [x.class, x.fund, x.originalCents, x.amendmentsCents, x.finalCents])).toEqual([
      ['expenditure', '100', 500, 0, 500],
      ['expenditure', 'all', 500, 0, 500],
      ['otherUse', '100', 0, 70, 70],
      ['otherUse', 'all', 0, 70, 70],
    ]);
  });

  it('is a fatal finding (BL661) when they do not, even when the grand total agrees', () => {
    // A cent moved from expenditures to other uses: the sum of everything still agrees.
    const r = reconcile(
      v,
      [
        { account: '100-1000-610-100-001', cents: 500 },
        { account: '100-1000-930-100-001', cents: 70 },
      ],
      [],
      [
        { account: '100-1000-610-100-001', cents: 499 },
        { account: '100-1000-930-100-001', cents: 71 },
      ],
    );
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ['BL661', 'fatal'],
      ['BL661', 'fatal'],
      ['BL661', 'fatal'],
      ['BL661', 'fatal'],
    ]);
    expect(r.diagnostics[0]?.message).toBe(
      'Expenditure, fund 100: the original budget $5.00 plus the applied amendments $0.00 is not the final budget $4.99',
    );
  });
});

describe('final = adopted + amendments, to the cent (property)', () => {
  const ACCOUNTS = [
    '100-1000-610-100-001',
    '100-2220-640-100-001',
    '100-1000-640-100-001',
    '100-1000-111-100-001',
    '100-1000-930-100-001',
  ];
  const amendment = fc.record({
    site: fc.constantFrom('001', '002'),
    lines: fc.array(
      fc.record({
        account: fc.constantFrom(...ACCOUNTS),
        cents: fc.integer({ min: -2_000_000, max: 2_000_000 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  });
  it('per site and account (the export), per class and fund (the reconciliation)', () => {
    fc.assert(
      fc.property(fc.array(amendment, { minLength: 1, maxLength: 3 }), (list) => {
        const book = adopted();
        const original = bySiteAccount(exportOf(book, { format: 'erp-budget' }).content ?? '');
        book.setSheet(
          SHEETS.amendments,
          amendmentsGrid(
            list.map((a, i) => [
              `A-${i + 1}`,
              a.site,
              a.lines.map((l) => l.account).join('; '),
              a.lines.map((l) => (l.cents / 100).toFixed(2)).join('; '),
              `Change ${i + 1}`,
              '',
              '',
              PEOPLE.builder,
            ]),
          ),
        );
        list.forEach((_, i) => approveAndApply(book, `A-${i + 1}`));
        // Expected: the original by site and account plus every amendment line.
        const expected = new Map(original);
        for (const a of list)
          for (const l of a.lines)
            expected.set(`${a.site} ${l.account}`, (expected.get(`${a.site} ${l.account}`) ?? 0) + l.cents);
        const x = exportOf(book, { format: 'erp-budget' });
        expect(x.ok).toBe(true);
        const got = bySiteAccount(x.content ?? '');
        expect(new Map([...got].sort())).toEqual(new Map([...expected].sort()));
        // The amendments alone are exactly the differences.
        const deltas = bySiteAccount(
          exportOf(book, { format: 'erp-budget', amendments: 'all' }).content ?? '',
        );
        for (const k of expected.keys())
          expect((expected.get(k) ?? 0) - (original.get(k) ?? 0)).toBe(deltas.get(k) ?? 0);
        // Per class and fund: the consolidation's reconciliation, checked against the sums here.
        const c = book.run(operations.consolidate, { unapproved: 'exclude' }, PEOPLE.cfo);
        expect(c.ok).toBe(true);
        const classOf = (acct: string) => (acct.split('-')[2]?.startsWith('9') ? 'otherUse' : 'expenditure');
        for (const cls of ['expenditure', 'otherUse']) {
          const sum = (m: Map<string, number>) =>
            [...m].filter(([k]) => classOf(k.split(' ')[1] ?? '') === cls).reduce((n, [, v]) => n + v, 0);
          const row = c.reconciliation?.find((r) => r.class === cls && r.fund === '100');
          if (!row) expect(sum(expected)).toBe(0);
          else {
            expect(row.finalCents).toBe(sum(expected));
            expect(row.originalCents).toBe(sum(original));
            expect(row.amendmentsCents).toBe(sum(expected) - sum(original));
            expect(row.agree).toBe(true);
          }
        }
        const control = c.control?.byClass?.find((b) => b.class === 'expenditure');
        expect(control?.masterCents).toBe(
          [...expected]
            .filter(([k]) => classOf(k.split(' ')[1] ?? '') === 'expenditure')
            .reduce((n, [, v]) => n + v, 0),
        );
      }),
      { numRuns: 20 },
    );
  });
});
