/**
 * propose: a budget owner submits a draft (or adds a proposal and submits it) within their role;
 * leadership takes it under review. One read, one write (the Status cell or the new row, one audit
 * row on the budgets' chain, the last hash) or nothing.
 */
import {
  PROPOSALS_TABLE,
  SHEETS,
  propose,
  readAuditLog,
  runOperation,
  verifyAuditLog,
  type MemoryPort,
} from '../../../core';
import { once } from '../../fixtures/district';
import { as, BUILDER, CFO, district } from './district';

const statusOf = (port: MemoryPort, id: string): unknown => {
  const grid = port.sheet(SHEETS.proposals) ?? [];
  const col = (grid[0] ?? []).indexOf(PROPOSALS_TABLE.columns.status.header);
  return grid.find((r) => r[0] === id)?.[col];
};

describe('propose', () => {
  test("a site's builder submits its draft: the Status and one audit row on the chain, with a receipt", async () => {
    const port = await district();
    const grid = port.sheet(SHEETS.proposals) ?? [];
    const column = (h: string): string => String.fromCharCode(65 + (grid[0] ?? []).indexOf(h));
    port.setCell(SHEETS.proposals, `${column('Account')}6`, '100-1000-610-100-900');
    const r = await once(port, () => runOperation(port, propose, { proposal: 'p-05' }, as(BUILDER)), 0);
    // P-05 has no Site and its account names none of the Sites table: a district-wide draft is the
    // CFO's to submit, not a school builder's.
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL910']);
    expect(statusOf(port, 'P-05')).toBe('Draft');

    port.setCell(SHEETS.proposals, `${column('Site')}6`, '001');
    const ok = await once(port, () => runOperation(port, propose, { proposal: 'P-05' }, as(BUILDER)), 1);
    expect(ok.ok).toBe(true);
    expect(ok.status).toBe('submitted');
    expect(statusOf(port, 'P-05')).toBe('submitted');
    const log = readAuditLog(port.sheet(SHEETS.audit)).entries;
    expect(log.map((e) => [e.site, e.action, e.actor, e.role, e.comment])).toEqual([
      ['Proposal P-05', 'propose', BUILDER, 'builder', 'submitted'],
    ]);
    expect(verifyAuditLog(log, port.state.lastAuditHash)).toEqual([]);
    expect(ok.receipts?.[0]).toMatchObject({ position: 1, entryHash: log[0]?.hash, action: 'propose' });
  });

  test('a builder of another site is refused, and nothing is written', async () => {
    const port = await district();
    const before = port.sheet(SHEETS.proposals);
    const r = await runOperation(
      port,
      propose,
      {
        proposal: 'P-20',
        add: {
          title: 'Garden',
          site: '002',
          type: 'Addition',
          recurrence: 'One-time',
          account: '100-1000-610-100-002',
          year1: 5000,
        },
      },
      as(BUILDER),
    );
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL910']);
    expect(r.diagnostics[0]?.message).toContain('site 002');
    expect(port.sheet(SHEETS.proposals)).toEqual(before);
    expect(port.sheet(SHEETS.audit)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  test('adding a proposal with options appends the row (status submitted) after the last one', async () => {
    const port = await district();
    const r = await runOperation(
      port,
      propose,
      {
        proposal: 'P-07',
        add: {
          title: 'Library books',
          owner: 'Lincoln Elementary',
          site: '001',
          type: 'Addition',
          category: 'Student-facing',
          recurrence: 'One-time',
          account: '100-1000-640-100-001',
          year1: '12,500',
        },
        comment: 'from the site council',
      },
      as(BUILDER),
    );
    expect(r.diagnostics.filter((d) => d.severity === 'fatal')).toEqual([]);
    expect(r.ok).toBe(true);
    const grid = port.sheet(SHEETS.proposals) ?? [];
    expect(grid.length).toBe(8);
    expect(grid[7]?.[0]).toBe('P-07');
    // "12,500" as typed on the command line is written as the number a person would type.
    expect(grid[7]?.[(grid[0] ?? []).indexOf('Budget year')]).toBe(12_500);
    expect(statusOf(port, 'P-07')).toBe('submitted');
    const log = readAuditLog(port.sheet(SHEETS.audit)).entries;
    expect(log[0]?.comment).toBe('submitted: from the site council');
  });

  test('an ID already used, a bad account or a submitted proposal: refused on the cell, nothing written', async () => {
    const port = await district();
    const taken = await runOperation(
      port,
      propose,
      { proposal: 'P-01', add: { title: 'x', site: '001', type: 'Addition', recurrence: 'One-time' } },
      as(BUILDER),
    );
    expect(taken.diagnostics).toEqual([expect.objectContaining({ code: 'BL912', cell: 'A2' })]);
    const bad = await runOperation(
      port,
      propose,
      {
        proposal: 'P-08',
        add: {
          site: '001',
          type: 'Addition',
          recurrence: 'One-time',
          account: '100-1000-641-100-001',
          year1: 10,
        },
      },
      as(BUILDER),
    );
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics.some((d) => d.code === 'BL104' && d.sheet === SHEETS.proposals)).toBe(true);
    const again = await runOperation(port, propose, { proposal: 'P-01' }, as(BUILDER));
    expect(again.diagnostics).toEqual([expect.objectContaining({ code: 'BL911' })]);
    expect(port.sheet(SHEETS.audit)?.length ?? 0).toBeLessThanOrEqual(1);
    expect((port.sheet(SHEETS.proposals) ?? []).length).toBe(7);
  });

  test('leadership takes a submitted proposal under review; a builder may not', async () => {
    const port = await district();
    const no = await runOperation(port, propose, { proposal: 'P-01', step: 'review' }, as(BUILDER));
    expect(no.diagnostics.map((d) => d.code)).toEqual(['BL811']);
    const r = await runOperation(port, propose, { proposal: 'P-01', step: 'review' }, as(CFO.email));
    expect(r.ok).toBe(true);
    expect(statusOf(port, 'P-01')).toBe('under review');
    expect(readAuditLog(port.sheet(SHEETS.audit)).entries.map((e) => [e.action, e.role])).toEqual([
      ['review', 'cfo'],
    ]);
  });

  test('a value for a column the sheet does not have is refused, never dropped', async () => {
    const port = await district();
    const grid = (port.sheet(SHEETS.proposals) ?? []).map((r) => [...r]);
    const col = (grid[0] ?? []).indexOf('Strategic goal');
    port.setSheet(
      SHEETS.proposals,
      grid.map((r) => r.filter((_, i) => i !== col)),
    );
    const r = await runOperation(
      port,
      propose,
      {
        proposal: 'P-07',
        add: {
          site: '001',
          type: 'Addition',
          goal: 'Early literacy',
          recurrence: 'One-time',
          account: '100-1000-640-100-001',
          year1: 500,
        },
      },
      as(BUILDER),
    );
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: 'BL306', message: expect.stringContaining('Strategic goal') }),
    ]);
    expect((port.sheet(SHEETS.proposals) ?? []).length).toBe(7);
  });
});
