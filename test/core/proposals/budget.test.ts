/**
 * Accepted proposals in the budget: decide puts a proposal's lines into its sites' sheets (carrying
 * its ID) and takes exactly those out again on reject or defer; a submitted or approved site is never
 * changed silently; proposals over several accounts (Proposal Lines) and the category list.
 */
import {
  CATEGORIES_TABLE,
  PROPOSAL_LINES_TABLE,
  SHEETS,
  decide,
  gridOf,
  operations,
  projection,
  proposals,
  readAuditLog,
  runOperation,
  type CellValue,
  type MemoryPort,
} from '../../../core';
import { PROPOSALS } from './fixtures';
import { APPROVER, as, BUILDER, CFO, district, SHEET, siteLine } from './district';

const cfo = as(CFO.email);
const accept = (port: MemoryPort, proposal: string, reason = 'Fits above the line') =>
  runOperation(port, decide, { proposal, decision: 'accept', reason }, cfo);

describe('accepted proposals in the budget', () => {
  test('an approved site is not changed silently: refused (BL914) until it is reopened', async () => {
    const port = await district();
    expect((await runOperation(port, operations.submit, { site: '001' }, as(BUILDER))).ok).toBe(true);
    expect((await runOperation(port, operations.approve, { site: '001' }, as(APPROVER))).ok).toBe(true);
    const before = JSON.stringify([port.sheet(SHEET), port.sheet(SHEETS.proposals)]);
    const audit = port.sheet(SHEETS.audit)?.length;
    const r = await accept(port, 'P-01');
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'BL914', severity: 'fatal' })]);
    expect(r.diagnostics[0]?.message).toContain('site 001, whose budget is approved');
    expect(JSON.stringify([port.sheet(SHEET), port.sheet(SHEETS.proposals)])).toBe(before);
    expect(port.sheet(SHEETS.audit)?.length).toBe(audit);

    const reopened = await runOperation(
      port,
      operations.reopen,
      { site: '001', comment: 'to add the accepted reading curriculum' },
      cfo,
    );
    expect(reopened.ok).toBe(true);
    const ok = await accept(port, 'P-01');
    expect(ok.ok).toBe(true);
    expect(ok.summary).toContain('1 line ($100,000.00) added to Lincoln Elementary row 7');
    // Rejecting it while the site is submitted again is refused the same way.
    expect((await runOperation(port, operations.submit, { site: '001' }, as(BUILDER))).ok).toBe(true);
    const no = await runOperation(
      port,
      decide,
      { proposal: 'P-01', decision: 'reject', reason: 'State cut' },
      cfo,
    );
    expect(no.diagnostics.map((d) => d.code)).toEqual(['BL914']);
    expect(JSON.stringify(port.sheet(SHEET))).toContain('P-01');
  });

  test('reject after acceptance takes out exactly its lines, never a line the user typed', async () => {
    const port = await district();
    await accept(port, 'P-02', 'Counselors');
    // The principal types a line under it (no proposal ID).
    const grid = (port.sheet(SHEET) ?? []).map((r) => [...r]);
    const typed = siteLine('100-1000-640-100-001', 2_500);
    grid.push([...typed, ...Array(Math.max(0, (grid[0]?.length ?? 0) - typed.length)).fill(null)]);
    port.setSheet(SHEET, grid);
    const r = await runOperation(
      port,
      decide,
      { proposal: 'P-02', decision: 'defer', reason: 'Wait for the state budget' },
      cfo,
    );
    expect(r.ok).toBe(true);
    const after = port.sheet(SHEET) ?? [];
    expect(JSON.stringify(after)).not.toContain('P-02');
    expect(after[7]?.slice(0, 4)).toEqual(typed.slice(0, 4));
    expect(after[6]?.every((v) => v === null)).toBe(true);
    expect(after.slice(1, 6)).toEqual(grid.slice(1, 6));
    const log = readAuditLog(port.sheet(SHEETS.audit)).entries;
    expect(log[log.length - 1]?.comment).toMatch(
      /^deferred: Wait for the state budget \[1 line removed from Lincoln Elementary \(row 7: 100-1000-111-100-001 120000\)\]$/,
    );
    // Accepting it again puts the line back (at the bottom).
    const again = await accept(port, 'P-02', 'The state budget passed');
    expect(again.ok).toBe(true);
    expect(JSON.stringify(port.sheet(SHEET))).toContain('P-02');
  });

  test('a line whose site is not in the Sites table, or without a site: refused, nothing half-applied', async () => {
    const port = await district();
    port.setSheet(
      SHEETS.proposalLines,
      gridOf(
        PROPOSAL_LINES_TABLE,
        ['proposal', 'site', 'account', 'year1', 'year2', 'year3'],
        [
          ['P-03', null, '100-2700-510-100-009', 10_000, 10_000, 10_000],
          ['P-03', '009', '100-2700-510-100-009', 5_000, 5_000, 5_000],
        ],
      ),
    );
    const before = JSON.stringify([port.sheet(SHEET), port.sheet(SHEETS.proposals)]);
    const r = await accept(port, 'P-03');
    expect(r.ok).toBe(false);
    // P-03 has no Site: its own line goes to site 001, which its account names; the first Proposal
    // Lines row's account names site 009, which is not in the Sites table (so no site at all), and
    // the second names 009 as its Site.
    expect(r.diagnostics.map((d) => [d.code, d.sheet, d.cell])).toEqual([
      ['BL915', SHEETS.proposalLines, 'C2'],
      ['BL905', SHEETS.proposalLines, 'C3'],
    ]);
    expect(JSON.stringify([port.sheet(SHEET), port.sheet(SHEETS.proposals)])).toBe(before);
  });

  test('several accounts per proposal: each line checked on its own cell, all of them into the budget', async () => {
    const port = await district();
    port.setSheet(
      SHEETS.proposalLines,
      gridOf(
        PROPOSAL_LINES_TABLE,
        ['proposal', 'site', 'account', 'year1', 'year2', 'year3', 'description'],
        [
          ['P-02', null, '100-1000-210-100-001', 30_000, 30_900, 31_827, 'Counselors: retirement'],
          ['P-02', '001', '100-1000-641-100-001', 1_000, 1_000, 1_000, 'Counselors: books'],
        ],
      ),
    );
    const listed = await runOperation(port, proposals, {}, cfo);
    expect(listed.diagnostics.filter((d) => d.code !== 'BL905')).toEqual([
      expect.objectContaining({ code: 'BL104', sheet: SHEETS.proposalLines, cell: 'C3' }),
    ]);
    // A proposal with a wrong line is left out until it is fixed.
    expect(listed.proposals?.find((p) => p.id === 'P-02')).toBeUndefined();
    const refused = await accept(port, 'P-02');
    expect(refused.diagnostics.map((d) => [d.code, d.cell])).toEqual([['BL104', 'C3']]);
    const fixed = (port.sheet(SHEETS.proposalLines) ?? []).map((r) => [...r]);
    (fixed[2] as CellValue[])[2] = '100-1000-640-100-001';
    port.setSheet(SHEETS.proposalLines, fixed);
    const view = (await runOperation(port, proposals, {}, cfo)).proposals?.find((p) => p.id === 'P-02');
    expect(view?.amountsCents).toEqual([151_000_00, 155_500_00, 160_135_00]);
    const r = await accept(port, 'P-02');
    expect(r.ok).toBe(true);
    const site = port.sheet(SHEET) ?? [];
    expect(site.slice(6).map((x) => [x[1], x[2], x[5], x[x.length - 1]])).toEqual([
      ['100-1000-111-100-001', 'Two more counselors (2 FTE)', 120_000, 'P-02'],
      ['100-1000-210-100-001', 'Counselors: retirement', 30_000, 'P-02'],
      ['100-1000-640-100-001', 'Counselors: books', 1_000, 'P-02'],
    ]);
    // The projection: the budget year from the lines, the later years from the proposal.
    const p = await runOperation(port, projection, {}, cfo);
    const without = await district();
    const q = await runOperation(without, projection, {}, cfo);
    const gf = (x: typeof p, y: number) =>
      x.years?.[y]?.funds.find((f) => f.fund === '100')?.expendituresCents ?? 0;
    expect([0, 1, 2].map((y) => gf(p, y) - gf(q, y))).toEqual([151_000_00, 155_500_00, 160_135_00]);
  });

  test('the category must be on the Proposal Categories list (a finding on the cell)', async () => {
    const port = await district();
    port.setSheet(
      SHEETS.categories,
      gridOf(
        CATEGORIES_TABLE,
        ['category', 'kind'],
        [
          ['Student-facing', 'student-facing'],
          ['Operational', 'operational'],
          ['Facilities', 'maybe'],
        ],
      ),
    );
    const grid = (port.sheet(SHEETS.proposals) ?? []).map((r) => [...r]);
    const col = (grid[0] ?? []).indexOf('Category');
    (grid[1] as CellValue[])[col] = 'Curriculum';
    port.setSheet(SHEETS.proposals, grid);
    const r = await runOperation(port, proposals, {}, cfo);
    expect(r.diagnostics.filter((d) => d.code !== 'BL905').map((d) => [d.code, d.sheet, d.cell])).toEqual([
      ['BL917', SHEETS.categories, 'B4'],
      ['BL916', SHEETS.proposals, 'F2'],
    ]);
    expect(r.diagnostics[1]?.message).toContain('"Curriculum" is not on the Proposal Categories list');
    expect(PROPOSALS.length).toBe(6);
  });
});
