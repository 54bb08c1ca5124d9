/**
 * The board's vote and amendments (issue 15) through the real operations on a two-site district:
 * adoption frozen and hashed into the chain, replay, verify naming a changed cell, amendments
 * drafted → approved → applied (all or nothing), original vs final, not adopted → bulk reopen.
 */
import {
  boardReport,
  boardReportFeed,
  adoptedHashWithRevenues,
  amendmentHash,
  budgetColumns,
  operations,
  parseReceipts,
  readAuditLog,
  receiptLine,
  replayBoard,
  replayChain,
  SHEETS,
  type AdoptedLine,
  type CellValue,
} from '../../../core';
import { amendmentsGrid, approvedDistrict, boardDistrict, PEOPLE, type Book } from '../../fixtures/board';
import type { StatusView } from '../../../core/operations/api';
import { boardPanel, draftArgs } from '../../../core/views/board';

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

function adopted(): Book {
  const book = approvedDistrict(operations);
  expect(book.run(operations.adopt, ADOPT, PEOPLE.cfo).ok).toBe(true);
  return book;
}

const log = (book: Book) => readAuditLog(book.sheets[SHEETS.audit]).entries;
const codes = (r: { diagnostics: readonly { code: string }[] }) => r.diagnostics.map((d) => d.code);

/** A deep copy of the workbook's sheets and state, to show a refusal wrote nothing. */
const frozen = (book: Book) => JSON.stringify([book.sheets, book.state]);

describe('adopt', () => {
  it('freezes the approved budget as the original budget, protected, with its hash in the chain', () => {
    const book = approvedDistrict(operations);
    const r = book.run(operations.adopt, ADOPT, PEOPLE.cfo);
    expect(r.ok).toBe(true);
    expect(r.summary).toContain('ADOPTED on 2026-06-18 (resolution 2026-14)');
    const sheet = book.sheets[SHEETS.adopted] ?? [];
    expect(sheet[0]).toEqual(['Site', 'Account', 'Description', 'FTE', 'Amount']);
    expect(sheet.slice(1)).toEqual([
      ['001', '100-1000-111-100-001', 'Teacher, Ortiz', 1, 66000],
      ['001', '100-1000-610-100-001', 'Classroom supplies', 0, 3500],
      ['001', '100-2220-640-100-001', 'Library books', 0, 450],
      ['002', '100-1000-610-100-001', 'Science kits', 0, 1200],
      ['002', '100-2220-640-100-001', 'Library books', 0, 800.5],
    ]);
    expect(book.protectedSheets.has(SHEETS.adopted)).toBe(true);
    const entry = log(book).at(-1);
    expect(entry).toMatchObject({ site: 'District', action: 'adopt', actor: PEOPLE.cfo, role: 'cfo' });
    const lines: AdoptedLine[] = sheet.slice(1).map((r) => ({
      site: String(r[0]),
      account: String(r[1]),
      description: String(r[2]),
      fte: Math.round(Number(r[3]) * 1000),
      cents: Math.round(Number(r[4]) * 100),
    }));
    // BLAD2: the lines and the revenues (none here: the district has no Revenues table, no sheet).
    expect(entry?.contentHash).toBe(adoptedHashWithRevenues(lines, []));
    expect(book.sheets[SHEETS.adoptedRevenues]).toBeUndefined();
    expect(book.state.lastAuditHash).toBe(entry?.hash);
    expect(r.receipts?.[0]).toMatchObject({ action: 'adopt', site: 'District', position: 5 });
    // Replay derives the adopted state from the chain alone (replayChain carries it too).
    expect(replayChain(log(book)).board).toEqual(replayBoard(log(book)));
    const board = replayBoard(log(book));
    expect(board.state).toBe('adopted');
    expect(board.adoption).toMatchObject({ date: '2026-06-18', resolution: '2026-14', position: 5 });
    // verify: intact.
    const v = book.run(operations.verify, {}, PEOPLE.cfo);
    expect(v.status).toBe('intact');
    // status shows ADOPTED.
    const s = book.run(operations.status, {}, PEOPLE.cfo);
    expect(s.view.board).toMatchObject({
      state: 'adopted',
      adopted: { date: '2026-06-18', resolution: '2026-14' },
    });
    expect(s.summary).toContain('ADOPTED 2026-06-18 (resolution 2026-14)');
  });

  it('is refused, writing nothing, unless every site is approved, with one finding per site', () => {
    const book = boardDistrict();
    book.run(operations.submit, { site: '001' }, PEOPLE.builder);
    book.run(operations.approve, { site: '001' }, PEOPLE.approver);
    book.run(operations.submit, { site: '002' }, PEOPLE.builder);
    const before = frozen(book);
    const r = book.run(operations.adopt, ADOPT, PEOPLE.cfo);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.message)).toEqual([
      'the budget cannot be adopted: site 002 (Washington Middle) is submitted, not approved',
    ]);
    expect(frozen(book)).toBe(before);
  });

  it('is refused when the approval gate fails (an approved site changed since)', () => {
    const book = approvedDistrict(operations);
    book.setCell('Washington Middle', 'F2', 5000);
    const r = book.run(operations.adopt, ADOPT, PEOPLE.cfo);
    expect(r.ok).toBe(false);
    expect(codes(r)).toContain('BL612');
    expect(book.sheets[SHEETS.adopted]).toBeUndefined();
  });

  it('needs the CFO, a date, a resolution, and happens once', () => {
    const book = approvedDistrict(operations);
    expect(codes(book.run(operations.adopt, ADOPT, PEOPLE.approver))).toEqual(['BL811']);
    expect(codes(book.run(operations.adopt, { date: '2026-02-30', resolution: 'R' }, PEOPLE.cfo))).toEqual([
      'BL642',
    ]);
    expect(codes(book.run(operations.adopt, { date: '2026-06-18', resolution: '' }, PEOPLE.cfo))).toEqual([
      'BL643',
    ]);
    expect(book.run(operations.adopt, ADOPT, PEOPLE.cfo).ok).toBe(true);
    const before = frozen(book);
    expect(codes(book.run(operations.adopt, ADOPT, PEOPLE.cfo))).toEqual(['BL641']);
    expect(frozen(book)).toBe(before);
  });

  it('refuses a self-declared CFO when Setup requires verified identity (BL632)', () => {
    const book = approvedDistrict(operations);
    const setup = book.sheets[SHEETS.setup] ?? [];
    const row = setup.findIndex((r) => r[0] === 'Approvals need verified identity');
    if (row > 0) (setup[row] as CellValue[])[1] = 'yes';
    else setup.push(['Approvals need verified identity', 'yes']);
    const snap = { ...book.snapshot(PEOPLE.cfo), user: null };
    const r = operations.adopt.run(snap, ADOPT, {
      now: book.now,
      actAs: { email: PEOPLE.cfo, verified: false },
    });
    expect(codes(r.result)).toEqual(['BL632']);
    expect(r.write).toBeUndefined();
  });

  it('stops site steps afterwards: changes go through amendments', () => {
    const book = adopted();
    const r = book.run(operations.reopen, { site: '001', comment: 'one more change' }, PEOPLE.cfo);
    expect(codes(r)).toEqual(['BL655']);
    const bulk = book.run(operations.reopenSites, { sites: 'all', comment: 'again' }, PEOPLE.cfo);
    expect(bulk.diagnostics.map((d) => d.message)).toEqual([
      'the district budget cannot be reopened: the board has adopted the budget',
    ]);
    expect(book.run(operations.status, { site: '001' }, PEOPLE.cfo).view.site?.can.reopen).toBe(false);
  });
});

describe('verify checks the adopted snapshot', () => {
  it('names a changed cell of the Adopted Budget sheet by sheet and cell', () => {
    const book = adopted();
    book.setCell(SHEETS.adopted, 'C4', 'Library books and more');
    const v = book.run(operations.verify, {}, PEOPLE.cfo);
    expect(v.status).toBe('problems');
    expect(v.diagnostics.map((d) => [d.code, d.sheet, d.cell, d.message])).toEqual([
      [
        'BL644',
        'Adopted Budget',
        'C4',
        'this cell of the adopted budget was changed: it shows "Library books and more", the board adopted "Library books"',
      ],
    ]);
    // The gate refuses consolidate and export while the original budget is not what was adopted.
    expect(codes(book.run(operations.consolidate, { unapproved: 'exclude' }, PEOPLE.cfo))).toContain('BL644');
  });

  it('reports the sheet as a whole when the approved copies cannot say which cell changed', () => {
    const book = adopted();
    book.setCell(SHEETS.adopted, 'E3', 999);
    book.setCell(SHEETS.approved, 'D2', 1);
    const v = book.run(operations.verify, {}, PEOPLE.cfo);
    expect(codes(v)).toContain('BL645');
    expect(v.diagnostics.find((d) => d.code === 'BL645')?.message).toMatch(/recorded [0-9a-f]{12}…/);
  });
});

describe('amendments', () => {
  it('are drafted, approved by role with the resolution, and applied, each audited with a receipt', () => {
    const book = adopted();
    book.setSheet(SHEETS.amendments, amendmentsGrid([MOVE]));
    const a = book.run(
      operations.amend,
      { step: 'approve', id: 'A-1', resolution: '2026-22' },
      PEOPLE.approver,
    );
    expect(a.ok).toBe(true);
    expect(a.state).toBe('approved');
    expect(book.cell(SHEETS.amendments, 'G2')).toBe('approved');
    expect(book.cell(SHEETS.amendments, 'F2')).toBe('2026-22');
    expect(book.cell(SHEETS.amendments, 'I2')).toBe(PEOPLE.approver);
    const b = book.run(operations.amend, { step: 'apply', id: 'A-1' }, PEOPLE.cfo);
    expect(b.ok).toBe(true);
    expect(book.cell(SHEETS.amendments, 'G2')).toBe('applied');
    const entries = log(book).slice(-2);
    expect(entries.map((e) => [e.site, e.action, e.actor, e.comment])).toEqual([
      ['Amendment A-1', 'amend-approve', PEOPLE.approver, 'Resolution 2026-22'],
      ['Amendment A-1', 'amend-apply', PEOPLE.cfo, 'Move supplies money to library books'],
    ]);
    expect(entries[0]?.contentHash).toBe(entries[1]?.contentHash);
    expect([...(a.receipts ?? []), ...(b.receipts ?? [])].map((r) => r.action)).toEqual([
      'amend-approve',
      'amend-apply',
    ]);
    // Receipts of board steps are read back as receipts.
    const text = [...(a.receipts ?? []), ...(b.receipts ?? [])].map(receiptLine).join('\n');
    expect(parseReceipts(text).problems).toEqual([]);
    expect(replayBoard(log(book)).amendments.get('A-1')).toMatchObject({
      state: 'applied',
      resolution: '2026-22',
    });
    const v = book.run(operations.verify, {}, PEOPLE.cfo);
    expect(v.status).toBe('intact');
    expect(v.summary).toMatch(
      /unchanged\. The adopted budget \(2026-06-18, resolution 2026-14\) is unchanged; 1 amendment applied\.$/,
    );
  });

  it('gives the final budget: original plus applied amendments, variance by fund, function, object and site', () => {
    const book = adopted();
    book.setSheet(
      SHEETS.amendments,
      amendmentsGrid([
        MOVE,
        ['A-2', '002', '100-1000-610-100-001', '350.25', 'More science kits', '2026-23', '', PEOPLE.builder],
      ]),
    );
    const before = budgetColumns(book.snapshot(PEOPLE.cfo));
    expect(before.adopted).toEqual({ date: '2026-06-18', resolution: '2026-14' });
    expect(before.totals).toEqual([
      { key: '', class: 'expenditure', originalCents: 7_195_050, finalCents: 7_195_050, varianceCents: 0 },
    ]);
    book.run(operations.amend, { step: 'approve', id: 'A-1', resolution: '2026-22' }, PEOPLE.approver);
    book.run(operations.amend, { step: 'apply', id: 'A-1' }, PEOPLE.cfo);
    book.run(operations.amend, { step: 'approve', id: 'A-2' }, PEOPLE.approver);
    // A-2 approved but not applied: not in the final budget yet.
    const c = budgetColumns(book.snapshot(PEOPLE.cfo));
    expect(c.applied).toEqual(['A-1']);
    expect(c.byObject.map((r) => [r.key, r.originalCents, r.finalCents, r.varianceCents])).toEqual([
      ['111', 6_600_000, 6_600_000, 0],
      ['610', 470_000, 450_000, -20_000],
      ['640', 125_050, 145_050, 20_000],
    ]);
    book.run(operations.amend, { step: 'apply', id: 'A-2' }, PEOPLE.cfo);
    const d = budgetColumns(book.snapshot(PEOPLE.cfo));
    expect(d.bySite.map((r) => [r.key, r.varianceCents])).toEqual([
      ['001', 0],
      ['002', 35_025],
    ]);
    expect(d.byFunction.map((r) => [r.key, r.finalCents])).toEqual([
      ['1000', 7_085_025],
      ['2220', 145_050],
    ]);
    expect(d.byFund).toEqual([
      {
        key: '100',
        class: 'expenditure',
        originalCents: 7_195_050,
        finalCents: 7_230_075,
        varianceCents: 35_025,
      },
    ]);
    // The original budget is unchanged by amendments.
    expect(book.sheets[SHEETS.adopted]?.[2]).toEqual([
      '001',
      '100-1000-610-100-001',
      'Classroom supplies',
      0,
      3500,
    ]);
  });

  it('are refused, with a finding on their own cell and nothing written, when a row is wrong', () => {
    const book = adopted();
    book.setSheet(
      SHEETS.amendments,
      amendmentsGrid([
        [
          'A-1',
          '001',
          '100-1000-618-100-001; 100-2220-640-100-001',
          '-200.00; 200.00',
          '',
          '',
          '',
          PEOPLE.builder,
        ],
      ]),
    );
    const before = frozen(book);
    const r = book.run(operations.amend, { step: 'approve', id: 'A-1' }, PEOPLE.approver);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.sheet, d.cell])).toEqual([
      ['BL646', 'Amendments', 'C2'],
      ['BL648', 'Amendments', 'E2'],
      ['BL643', 'Amendments', 'F2'],
    ]);
    expect(frozen(book)).toBe(before);
  });

  it('are applied once: a second apply is refused on the Status cell and nothing is half-applied', () => {
    const book = adopted();
    book.setSheet(SHEETS.amendments, amendmentsGrid([MOVE]));
    book.run(operations.amend, { step: 'approve', id: 'A-1', resolution: '2026-22' }, PEOPLE.approver);
    book.run(operations.amend, { step: 'apply', id: 'A-1' }, PEOPLE.cfo);
    const before = frozen(book);
    const again = book.run(operations.amend, { step: 'apply', id: 'A-1' }, PEOPLE.cfo);
    expect(again.diagnostics.map((d) => [d.code, d.cell])).toEqual([['BL649', 'G2']]);
    expect(frozen(book)).toBe(before);
    // Even with the Status cell typed back to "approved", the chain says it was applied.
    book.setCell(SHEETS.amendments, 'G2', 'approved');
    expect(codes(book.run(operations.amend, { step: 'apply', id: 'A-1' }, PEOPLE.cfo))).toEqual(['BL649']);
  });

  it('are applied only as approved; a row changed after approval is refused and flagged by verify', () => {
    const book = adopted();
    book.setSheet(SHEETS.amendments, amendmentsGrid([MOVE]));
    book.run(operations.amend, { step: 'approve', id: 'A-1', resolution: '2026-22' }, PEOPLE.approver);
    book.setCell(SHEETS.amendments, 'D2', '-2,000.00; 2,000.00');
    const r = book.run(operations.amend, { step: 'apply', id: 'A-1' }, PEOPLE.cfo);
    expect(r.diagnostics.map((d) => [d.code, d.cell])).toEqual([['BL653', 'A2']]);
    expect(codes(book.run(operations.verify, {}, PEOPLE.cfo))).toContain('BL653');
  });

  it('respect roles: nobody approves their own amendment, the CFO applies', () => {
    const book = adopted();
    const add = book.run(
      operations.amend,
      {
        step: 'add',
        id: 'A-7',
        site: '002',
        accounts: ['100-1000-610-100-001'],
        amounts: ['-100.00'],
        reason: 'Fewer kits',
      },
      PEOPLE.approver,
    );
    expect(add.ok).toBe(true);
    expect(book.sheets[SHEETS.amendments]?.[1]?.slice(0, 8)).toEqual([
      'A-7',
      '002',
      '100-1000-610-100-001',
      '-100.00',
      'Fewer kits',
      '',
      'drafted',
      PEOPLE.approver,
    ]);
    expect(log(book).at(-1)).toMatchObject({ site: 'Amendment A-7', action: 'amend-draft' });
    expect(
      codes(book.run(operations.amend, { step: 'approve', id: 'A-7', resolution: 'R-1' }, PEOPLE.approver)),
    ).toEqual(['BL651']);
    expect(
      codes(book.run(operations.amend, { step: 'approve', id: 'A-7', resolution: 'R-1' }, PEOPLE.builder)),
    ).toEqual(['BL602']);
    expect(book.run(operations.amend, { step: 'approve', id: 'A-7', resolution: 'R-1' }, PEOPLE.cfo).ok).toBe(
      true,
    );
    expect(codes(book.run(operations.amend, { step: 'apply', id: 'A-7' }, PEOPLE.approver))).toEqual([
      'BL811',
    ]);
    expect(book.run(operations.amend, { step: 'apply', id: 'A-7' }, PEOPLE.cfo).ok).toBe(true);
    // The same ID cannot be added again.
    const dup = book.run(
      operations.amend,
      {
        step: 'add',
        id: 'A-7',
        site: '002',
        accounts: ['100-1000-610-100-001'],
        amounts: ['1'],
        reason: 'x',
      },
      PEOPLE.cfo,
    );
    expect(codes(dup)).toContain('BL647');
  });

  it("are added into a table whose columns are in the district's own order and names", () => {
    const book = adopted();
    book.setSheet(SHEETS.amendments, [
      ['Amendment ID', 'Reason', 'Site', 'Status', 'Account', 'Amount', 'Board resolution', 'Notes'],
    ]);
    const r = book.run(
      operations.amend,
      {
        step: 'add',
        id: 'A-3',
        site: '001',
        accounts: ['100-1000-610-100-001'],
        amounts: ['75.00'],
        reason: 'Art supplies',
      },
      PEOPLE.builder,
    );
    expect(r.ok).toBe(true);
    expect(book.sheets[SHEETS.amendments]?.[1]).toEqual([
      'A-3',
      'Art supplies',
      '001',
      'drafted',
      '100-1000-610-100-001',
      '75.00',
      '',
      null,
    ]);
  });

  it("are drafted from the Board panel's form: status names the sites each person may draft for, and the form goes through amend --add", () => {
    const before = approvedDistrict(operations);
    expect(before.run(operations.status, {}, PEOPLE.builder).view?.amendSites).toEqual([]);
    const book = adopted();
    expect(book.run(operations.status, {}, PEOPLE.builder).view?.amendSites).toEqual(['001', '002']);
    expect(book.run(operations.status, {}, PEOPLE.cfo).view?.amendSites).toEqual(['001', '002']);
    expect(book.run(operations.status, {}, 'nobody@springfield.k12.us').view?.amendSites).toEqual([]);
    const panel = boardPanel(book.run(operations.status, {}, PEOPLE.builder).view as StatusView);
    expect(panel).toMatchObject({ visible: true, draft: true, draftId: 'A-1' });
    const args = draftArgs({
      id: panel.draftId,
      site: panel.draftSites[0]?.code ?? '',
      lines: '100-1000-610-100-001 -200.00\n100-2220-640-100-001 200.00',
      reason: 'Move supplies money to library books',
    });
    const r = book.run(operations.amend, args, PEOPLE.builder);
    expect(r.ok).toBe(true);
    expect(r.summary).toMatch(
      /^Amendment A-1 \(001: 100-1000-610-100-001 -\$200\.00, 100-2220-640-100-001 \+\$200\.00\) drafted by principal@/,
    );
    expect(book.sheets[SHEETS.amendments]?.[1]?.slice(0, 4)).toEqual([
      'A-1',
      '001',
      '100-1000-610-100-001; 100-2220-640-100-001',
      '-200.00; 200.00',
    ]);
    expect(log(book).at(-1)).toMatchObject({ action: 'amend-draft', actor: PEOPLE.builder });
    const next = boardPanel(book.run(operations.status, {}, PEOPLE.builder).view as StatusView);
    expect(next.draftId).toBe('A-2');
    expect(next.list).toEqual(['A-1 001: drafted. Move supplies money to library books']);
    // A line without its amount is refused on the new row's cell, and nothing is written.
    const was = frozen(book);
    const bad = book.run(
      operations.amend,
      draftArgs({ id: 'A-2', site: '001', lines: '100-1000-610-100-001', reason: 'x' }),
      PEOPLE.builder,
    );
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics.map((d) => [d.code, d.sheet, d.cell])).toEqual([
      ['BL647', SHEETS.amendments, 'D3'],
    ]);
    expect(frozen(book)).toBe(was);
  });

  it('wait for adoption', () => {
    const book = approvedDistrict(operations);
    book.setSheet(SHEETS.amendments, amendmentsGrid([MOVE]));
    expect(codes(book.run(operations.amend, { step: 'approve', id: 'A-1' }, PEOPLE.approver))).toEqual([
      'BL652',
    ]);
    expect(budgetColumns(book.snapshot(PEOPLE.cfo)).adopted).toBeUndefined();
  });
});

describe('back to the drawing board', () => {
  it('records the board not adopting, reopens every site in bulk (audited per site), and adopts later', () => {
    const book = approvedDistrict(operations);
    expect(codes(book.run(operations.notAdopted, { comment: ' ' }, PEOPLE.cfo))).toEqual(['BL658']);
    const n = book.run(operations.notAdopted, { comment: 'Cut 2% from supplies' }, PEOPLE.cfo);
    expect(n.ok).toBe(true);
    expect(log(book).at(-1)).toMatchObject({
      site: 'District',
      action: 'not-adopted',
      comment: 'Cut 2% from supplies',
    });
    expect(book.run(operations.status, {}, PEOPLE.cfo).view.board).toMatchObject({
      state: 'revision',
      comment: 'Cut 2% from supplies',
    });
    expect(codes(book.run(operations.reopenSites, { sites: 'all', comment: 'x' }, PEOPLE.approver))).toEqual([
      'BL602',
      'BL602',
    ]);
    const r = book.run(
      operations.reopenSites,
      { sites: 'all', comment: 'The board asks for 2% less on supplies' },
      PEOPLE.cfo,
    );
    expect(r.ok).toBe(true);
    expect(r.receipts?.map((x) => [x.site, x.action])).toEqual([
      ['001', 'reopen'],
      ['002', 'reopen'],
    ]);
    expect(
      log(book)
        .slice(-2)
        .map((e) => [e.site, e.action, e.comment]),
    ).toEqual([
      ['001', 'reopen', 'The board asks for 2% less on supplies'],
      ['002', 'reopen', 'The board asks for 2% less on supplies'],
    ]);
    expect(Object.values(book.state.sites).map((s) => s.state)).toEqual(['draft', 'draft']);
    expect(book.sheets[SHEETS.approved]?.length).toBe(1);
    expect(book.run(operations.verify, {}, PEOPLE.cfo).ok).toBe(true);
    // Revised, approved again, adopted.
    book.setCell('Lincoln Elementary', 'F2', 3430);
    for (const site of ['001', '002']) {
      expect(book.run(operations.submit, { site }, PEOPLE.builder).ok).toBe(true);
      expect(book.run(operations.approve, { site }, PEOPLE.approver).ok).toBe(true);
    }
    expect(book.run(operations.adopt, { date: '2026-06-25', resolution: '2026-15' }, PEOPLE.cfo).ok).toBe(
      true,
    );
    expect(replayBoard(log(book)).adoption).toMatchObject({ date: '2026-06-25' });
  });

  it('reopens the sites named, all or none', () => {
    const book = approvedDistrict(operations);
    const before = frozen(book);
    expect(
      codes(book.run(operations.reopenSites, { sites: ['001', '009'], comment: 'x' }, PEOPLE.cfo)),
    ).toEqual(['BL802']);
    expect(frozen(book)).toBe(before);
    const r = book.run(operations.reopenSites, { sites: ['002'], comment: 'Board comment' }, PEOPLE.cfo);
    expect(r.ok).toBe(true);
    expect(book.state.sites['001']?.state).toBe('approved');
    expect(book.state.sites['002']?.state).toBe('draft');
  });
});

describe('the board report feed', () => {
  it('says draft, proposed, then adopted with the original budget and the applied amendments', () => {
    const book = boardDistrict();
    expect(boardReportFeed(book.snapshot(PEOPLE.cfo)).status).toEqual({ kind: 'draft' });
    for (const site of ['001', '002']) {
      book.run(operations.submit, { site }, PEOPLE.builder);
      book.run(operations.approve, { site }, PEOPLE.approver);
    }
    expect(boardReportFeed(book.snapshot(PEOPLE.cfo))).toMatchObject({
      status: { kind: 'proposed' },
      amendments: [],
    });
    expect(book.run(operations.adopt, ADOPT, PEOPLE.cfo).ok).toBe(true);
    book.setSheet(SHEETS.amendments, amendmentsGrid([MOVE]));
    book.run(operations.amend, { step: 'approve', id: 'A-1', resolution: '2026-22' }, PEOPLE.approver);
    book.run(operations.amend, { step: 'apply', id: 'A-1' }, PEOPLE.cfo);
    const feed = boardReportFeed(book.snapshot(PEOPLE.cfo));
    expect(feed.status).toEqual({ kind: 'adopted', on: '2026-06-18', resolution: '2026-14' });
    expect(feed.original?.lines.reduce((t, l) => t + l.cents, 0)).toBe(7_195_050);
    expect(feed.amendments).toEqual([
      { site: '001', account: '100-1000-610-100-001', cents: -20_000 },
      { site: '001', account: '100-2220-640-100-001', cents: 20_000 },
    ]);
    expect(feed.columns.applied).toEqual(['A-1']);
  });
});

describe('the board report after adoption', () => {
  it('shows ADOPTED from the chain, the original budget, and the final one with the applied amendments', () => {
    const book = adopted();
    book.setSheet(
      SHEETS.amendments,
      amendmentsGrid([
        ['A-2', '002', '100-1000-610-100-001', '350.25', 'More science kits', '2026-23', '', PEOPLE.builder],
      ]),
    );
    book.run(operations.amend, { step: 'approve', id: 'A-2' }, PEOPLE.approver);
    book.run(operations.amend, { step: 'apply', id: 'A-2' }, PEOPLE.cfo);
    // The caller's "draft" does not hide the adoption the chain records.
    const r = book.run(boardReport, { status: { kind: 'draft' } }, PEOPLE.cfo);
    expect(r.ok).toBe(true);
    const report = r.report!;
    expect(report.cover.statusText).toBe('ADOPTED 2026-06-18 (Resolution 2026-14)');
    expect(report.original).toEqual({
      adoptedOn: '2026-06-18',
      expendituresCents: 7_195_050,
      revenuesCents: 0,
    });
    expect(report.totals.expendituresCents).toBe(7_195_050 + 35_025);
    // Object classes (the chart's hierarchy): supplies 600 = 610 + 640.
    expect(report.byObject.find((o) => o.code === '600')).toMatchObject({
      originalCents: 595_050,
      cents: 630_075,
    });
    expect(report.sites.find((x) => x.code === '002')?.expendituresCents).toBe(200_050 + 35_025);
  });

  it('is refused when a caller says ADOPTED and the chain records no adoption', () => {
    const book = approvedDistrict(operations);
    const r = book.run(
      boardReport,
      { status: { kind: 'adopted', on: '2026-06-18', resolution: 'R' } },
      PEOPLE.cfo,
    );
    expect(codes(r)).toEqual(['BL652']);
    expect(r.summary).toBe('No board report was written: there is no adopted budget to report as adopted.');
  });
});

describe('replay', () => {
  it('never applies a board step that was not possible', () => {
    const book = adopted();
    book.setSheet(SHEETS.amendments, amendmentsGrid([MOVE]));
    book.run(operations.amend, { step: 'approve', id: 'A-1', resolution: '2026-22' }, PEOPLE.approver);
    const entries = log(book);
    // The approval removed: the apply that follows has nothing to apply.
    const approve = entries.findIndex((e) => e.action === 'amend-approve');
    const board = replayBoard([
      ...entries.slice(0, approve),
      { ...entries[approve]!, action: 'amend-apply' },
    ]);
    expect(board.diagnostics.map((d) => d.code)).toEqual(['BL656']);
    expect(board.amendments.get('A-1')).toBeUndefined();
    expect(amendmentHash({ id: 'A-1', site: '001', reason: 'r', lines: [] })).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('approve', () => {
  it('is refused on fatal findings, like submit', () => {
    const book = boardDistrict();
    book.run(operations.submit, { site: '001' }, PEOPLE.builder);
    book.setCell('Lincoln Elementary', 'B2', '100-1000-618-100-001');
    const r = book.run(operations.approve, { site: '001' }, PEOPLE.approver);
    expect(r.ok).toBe(false);
    // The account was changed after submission, too: the line as submitted is no longer there.
    expect(r.diagnostics.map((d) => [d.code, d.sheet, d.cell])).toEqual([
      ['BL659', 'Lincoln Elementary', 'B2'],
      ['BL635', undefined, undefined],
      ['BL636', undefined, undefined],
    ]);
    expect(r.diagnostics[2]?.message).toMatch(/since submission, line removed: 100-1000-610-100-001/);
  });
});
