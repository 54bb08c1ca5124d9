/**
 * The adopted budget's revenues are frozen (h26): adopt writes each Revenues row's computed estimate to
 * the Adopted Revenues sheet and its hash covers them with the lines (canonical form BLAD2); a Revenues
 * row changed after adoption is found by verify and refuses consolidate and export, named on its cell
 * (BL666); a changed Adopted Revenues sheet is BL667; a budget adopted before (BLAD1) still verifies.
 */
import { makeEntry, type AuditEntry } from '../../../core/approval/audit';
import { adoptedHash, adoptedLinesOf } from '../../../core/approval/board';
import { operations, SHEETS, type CellValue } from '../../../core';
import { approvedDistrict, PEOPLE, type Book } from '../../fixtures/board';

const ADOPT = { date: '2026-06-18', resolution: '2026-14' };
const REVENUES: CellValue[][] = [
  ['Fund', 'Source', 'Basis', 'Rate', 'Estimate'],
  ['100', '1100', 'typed', null, 200_000],
  ['100', '1100', 'enrollment', 150, null],
];
const codes = (r: { diagnostics: readonly { code: string }[] }) => r.diagnostics.map((d) => d.code);
const frozen = (book: Book) => JSON.stringify([book.sheets, book.state]);
const named = (
  r: { diagnostics: readonly { code: string; sheet?: string; cell?: string }[] },
  code: string,
) => r.diagnostics.filter((d) => d.code === code).map((d) => `${d.sheet ?? ''}!${d.cell ?? ''}`);

function adopted(): Book {
  const book = approvedDistrict(operations);
  book.setSheet(SHEETS.revenues, REVENUES);
  const a = book.run(operations.adopt, ADOPT, PEOPLE.cfo);
  expect(a.diagnostics.filter((d) => d.severity === 'fatal')).toEqual([]);
  expect(a.ok).toBe(true);
  return book;
}

/** verify, consolidate and every export all refuse with `code` on `cells`, writing nothing. */
function refusedEverywhere(book: Book, code: string, cells: string[]): void {
  const v = book.run(operations.verify, {}, PEOPLE.cfo);
  expect(v.status).toBe('problems');
  expect(named(v, code)).toEqual(cells);
  const before = frozen(book);
  const c = book.run(operations.consolidate, { unapproved: 'exclude' }, PEOPLE.cfo);
  expect(c.ok).toBe(false);
  expect(named(c, code)).toEqual(cells);
  const x = book.run(operations.exportBudget, { format: 'generic-csv' }, PEOPLE.cfo);
  expect(x.ok).toBe(false);
  expect(x.content).toBeUndefined();
  expect(named(x, code)).toEqual(cells);
  expect(frozen(book)).toBe(before);
}

describe('the adopted revenues are frozen', () => {
  it('adopt writes the computed revenues to the protected Adopted Revenues sheet; verify is intact', () => {
    const book = adopted();
    // 1,030 enrolled (420 + 610) × $150.00 = $154,500.00
    expect(book.sheets[SHEETS.adoptedRevenues]).toEqual([
      ['Fund', 'Source', 'Basis', 'Amount', 'Revenues cell'],
      ['100', '1100', '$150.00 × 1,030 enrollment', 154_500, 'E3'],
      ['100', '1100', 'typed', 200_000, 'E2'],
    ]);
    expect(book.protectedSheets.has(SHEETS.adoptedRevenues)).toBe(true);
    expect(book.run(operations.verify, {}, PEOPLE.cfo).status).toBe('intact');
    expect(book.run(operations.consolidate, { unapproved: 'exclude' }, PEOPLE.cfo).ok).toBe(true);
  });

  it('an estimate typed over after adoption: verify finds it, consolidate and export refuse, naming Revenues!E2', () => {
    const book = adopted();
    book.setCell(SHEETS.revenues, 'E2', 250_000);
    refusedEverywhere(book, 'BL666', ['Revenues!E2']);
    const v = book.run(operations.verify, {}, PEOPLE.cfo);
    expect(v.diagnostics.find((d) => d.code === 'BL666')?.message).toContain(
      'this row now gives fund 100, source 1100: $250,000.00; the board adopted fund 100, source 1100: $200,000.00',
    );
  });

  it('a computed revenue that changes with its inputs (the enrollment) is found on its row', () => {
    const book = adopted();
    book.setCell(SHEETS.sites, 'D2', 500);
    refusedEverywhere(book, 'BL666', ['Revenues!E3']);
  });

  it('a row added or deleted after adoption is found; rows only sorted differently are not a change', () => {
    const sorted = adopted();
    sorted.setSheet(SHEETS.revenues, [REVENUES[0] ?? [], REVENUES[2] ?? [], REVENUES[1] ?? []]);
    expect(sorted.run(operations.verify, {}, PEOPLE.cfo).status).toBe('intact');
    const added = adopted();
    added.setSheet(SHEETS.revenues, [...REVENUES, ['100', '1100', 'typed', null, 5_000]]);
    refusedEverywhere(added, 'BL666', ['Revenues!E4']);
    const deleted = adopted();
    deleted.setSheet(SHEETS.revenues, REVENUES.slice(0, 2));
    refusedEverywhere(deleted, 'BL666', ['Revenues!E3']);
  });

  it('the Adopted Revenues sheet changed: BL667', () => {
    const book = adopted();
    book.setCell(SHEETS.adoptedRevenues, 'D3', 250_000);
    refusedEverywhere(book, 'BL667', ['Adopted Revenues!']);
    expect(codes(book.run(operations.verify, {}, PEOPLE.cfo))).not.toContain('BL666');
  });

  it('a budget adopted before revenues were frozen (BLAD1: the lines alone) still verifies', () => {
    const book = approvedDistrict(operations);
    book.setSheet(SHEETS.revenues, REVENUES);
    expect(book.run(operations.adopt, ADOPT, PEOPLE.cfo).ok).toBe(true);
    // What adopt wrote before: no Adopted Revenues sheet, the entry's content hash of the lines alone.
    delete book.sheets[SHEETS.adoptedRevenues];
    book.names = book.names.filter((n) => n !== SHEETS.adoptedRevenues);
    const audit = book.sheets[SHEETS.audit] ?? [];
    const row = (audit[audit.length - 1] ?? []).map(String);
    const [at, site, action, actor, role, identity, , comment, prevHash] = row as string[];
    const entry = makeEntry({
      at: at ?? '',
      site: site ?? '',
      action: action as AuditEntry['action'],
      actor: actor ?? '',
      role: role as AuditEntry['role'],
      identity: identity as AuditEntry['identity'],
      contentHash: adoptedHash(adoptedLinesOf(book.sheets[SHEETS.adopted])),
      comment: comment ?? '',
      prevHash: prevHash ?? '',
    });
    audit[audit.length - 1] = [
      entry.at,
      entry.site,
      entry.action,
      entry.actor,
      entry.role,
      entry.identity,
      entry.contentHash,
      entry.comment,
      entry.prevHash,
      entry.hash,
    ];
    book.state = { ...book.state, lastAuditHash: entry.hash };
    const v = book.run(operations.verify, {}, PEOPLE.cfo);
    expect(v.diagnostics.filter((d) => d.severity === 'fatal')).toEqual([]);
    expect(v.status).toBe('intact');
    // Its revenues were not frozen: a change is not refused (as before), and the lines still are.
    book.setCell(SHEETS.revenues, 'E2', 250_000);
    expect(book.run(operations.consolidate, { unapproved: 'exclude' }, PEOPLE.cfo).ok).toBe(true);
    book.setCell(SHEETS.adopted, 'E3', 999);
    expect(codes(book.run(operations.verify, {}, PEOPLE.cfo))).toContain('BL644');
  });
});
