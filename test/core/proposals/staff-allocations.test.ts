/**
 * Accepted proposals that add staff or change a funding source's allocation (#14): a line with a Job
 * type and FTE goes into the site sheet as a Position row priced by the staffing tables (BL920 when
 * that is not the amount it was scored at), counted once by the projection; a line naming a Funding
 * source goes into the Allocations table as well, folding into the allocation it is charged to; both
 * leave exactly on reject or defer, never a row someone typed.
 */
import {
  ALLOCATIONS_TABLE,
  PROPOSAL_LINES_TABLE,
  PROPOSALS_TABLE,
  SCENARIOS_TABLE,
  SHEETS,
  decide,
  gridOf,
  projection,
  readAllocations,
  readAuditLog,
  readProposals,
  compileChart,
  loadPreset,
  readWorkbook,
  runOperation,
  scenarios,
  type CellValue,
  type MemoryPort,
} from '../../../core';
import { checkAllocations } from '../../../core/operations/common';
import { siteSheetsOf } from '../../../core/workbook/read';
import { as, CFO, district, SHEET } from './district';

const cfo = as(CFO.email);
const decideP = async (
  port: MemoryPort,
  proposal: string,
  decision: 'accept' | 'reject' | 'defer',
  reason = 'Ranked',
) => {
  const r = await runOperation(port, decide, { proposal, decision, reason }, cfo);
  // Self-declared here: BL809 is left out of the findings.
  return { ...r, diagnostics: r.diagnostics.filter((d) => d.code !== 'BL809') };
};

/** P-02 (two counselors, recurring, 2 FTE, $120,000 on 100-1000-111-100-001) with `fields` set. */
function setP02(
  port: MemoryPort,
  fields: Partial<Record<keyof typeof PROPOSALS_TABLE.columns, CellValue>>,
): void {
  const grid = (port.sheet(SHEETS.proposals) ?? []).map((r) => [...r]);
  const header = grid[0] ?? [];
  const row = grid.find((r) => r[0] === 'P-02') as CellValue[];
  for (const [k, v] of Object.entries(fields)) {
    const h = PROPOSALS_TABLE.columns[k as keyof typeof PROPOSALS_TABLE.columns].header;
    let c = header.indexOf(h);
    if (c < 0) {
      c = header.length;
      header.push(h);
    }
    row[c] = v;
  }
  port.setSheet(SHEETS.proposals, grid);
}

/** The grid without its trailing blank rows (a cleared row at the bottom is no row at all). */
const trimmed = (grid: readonly (readonly CellValue[])[] | undefined): CellValue[][] => {
  const g = (grid ?? []).map((r) => [...r]);
  while (g.length && (g[g.length - 1] ?? []).every((v) => v === null || v === '')) g.pop();
  return g;
};

const gfExpenditures = (p: {
  years?: readonly { funds: readonly { fund: string; expendituresCents: number }[] }[];
}) => [0, 1, 2].map((y) => p.years?.[y]?.funds.find((f) => f.fund === '100')?.expendituresCents ?? 0);

describe('a proposal that adds staff becomes a Position row', () => {
  test('priced by the staffing tables, the difference from its scored amount shown (BL920), counted once', async () => {
    const port = await district();
    port.setSheet(
      SHEETS.scenarios,
      gridOf(SCENARIOS_TABLE, ['scenario', 'change', 'value'], [['Without', 'Accepted proposals', 'off']]),
    );
    const before = await runOperation(port, projection, {}, cfo);
    const fteBefore = (await runOperation(port, scenarios, {}, cfo)).scenarios?.[0]?.years[0]?.funds.find(
      (f) => f.fund === '100',
    )?.fte;
    expect(fteBefore).toBe(0);
    setP02(port, { jobType: 'TCH' });
    const r = await decideP(port, 'P-02', 'accept');
    expect(r.ok).toBe(true);
    // 2 FTE of TCH: 2 × $60,000 salary + 10% retirement = $132,000; the proposal said $120,000.
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.sheet, d.cell])).toEqual([
      ['BL920', 'warning', SHEETS.proposals, 'J3'],
    ]);
    expect(r.diagnostics[0]?.message).toBe(
      'proposal P-02: 2.000 FTE of Teacher (TCH) on 100-1000-111-100-001 costs $132,000.00 by the Job Types and Benefits tables, $12,000.00 more than the $120,000.00 it was scored and ranked at; the budget carries $132,000.00',
    );
    // A position holds at most 1.0 FTE: two rows.
    expect(r.summary).toContain('2 positions ($132,000.00) added to Lincoln Elementary rows 7–8');
    const site = port.sheet(SHEET) ?? [];
    const h = site[0] ?? [];
    const fields = (row: readonly CellValue[] = []) =>
      ['Type', 'Job type', 'FTE', 'Account', 'Percent', 'Amount', 'Proposal'].map((n) => row[h.indexOf(n)]);
    expect(site.slice(6).map(fields)).toEqual([
      ['Position', 'TCH', 1, '100-1000-111-100-001', 1, null, 'P-02'],
      ['Position', 'TCH', 1, '100-1000-111-100-001', 1, null, 'P-02'],
    ]);
    // The staffing rules price it like any position of the site.
    const wb = readWorkbook(await port.read({ sheets: 'all', state: true }));
    const sheet = siteSheetsOf(wb, await port.read({ sheets: 'all' }))[0];
    expect(sheet?.positions.slice(-2).map((p) => [p.where.cell, p.fte, p.cost.total])).toEqual([
      ['J7', 1000, 66_000_00],
      ['J8', 1000, 66_000_00],
    ]);
    expect(sheet?.diagnostics.filter((d) => d.severity === 'fatal')).toEqual([]);
    // The projection: the position's cost in the budget year, the proposal's growth after it; its
    // FTE once (the ledger's position), not again from the proposal.
    const after = await runOperation(port, projection, {}, cfo);
    const diff = gfExpenditures(after).map((c, i) => c - (gfExpenditures(before)[i] ?? 0));
    expect(diff).toEqual([132_000_00, 135_600_00, 139_308_00]);
    const sc = await runOperation(port, scenarios, {}, cfo);
    const gf = (k: number) => sc.scenarios?.[k]?.years[0]?.funds.find((f) => f.fund === '100');
    expect(gf(0)?.fte).toBe((fteBefore ?? 0) + 2);
    // "Accepted proposals off" takes out exactly what the budget holds: the base before acceptance.
    expect(
      sc.scenarios?.[1]?.years.map((y) => y.funds.find((f) => f.fund === '100')?.expendituresCents),
    ).toEqual(gfExpenditures(before));
    expect(gf(1)?.fte).toBe(fteBefore);
    const log = readAuditLog(port.sheet(SHEETS.audit)).entries;
    expect(log[log.length - 1]?.comment).toContain(
      '2.000 FTE of Teacher (TCH) priced $132,000.00, $12,000.00 above the $120,000.00 it was scored at',
    );
  });

  test('reject after accept leaves the site sheet as it was; a typed Position row like it stays', async () => {
    const port = await district();
    setP02(port, { jobType: 'TCH' });
    const original = trimmed(port.sheet(SHEET));
    expect((await decideP(port, 'P-02', 'accept')).ok).toBe(true);
    // The principal types the same position below it, without the proposal's ID.
    const grid = (port.sheet(SHEET) ?? []).map((r) => [...r]);
    const h = grid[0] ?? [];
    const typed = [...(grid[6] ?? [])];
    typed[h.indexOf('Proposal')] = null;
    grid.push(typed);
    port.setSheet(SHEET, grid);
    const r = await decideP(port, 'P-02', 'reject', 'The state budget');
    expect(r.ok).toBe(true);
    expect(r.summary).toContain(
      '2 positions removed from Lincoln Elementary (row 7: 100-1000-111-100-001 1 FTE TCH; row 8: 100-1000-111-100-001 1 FTE TCH)',
    );
    const after = port.sheet(SHEET) ?? [];
    expect(after[6]?.every((v) => v === null)).toBe(true);
    expect(after[7]?.every((v) => v === null)).toBe(true);
    expect(after[8]).toEqual(typed);
    expect(trimmed([...after.slice(0, 6)])).toEqual(original);
  });

  test("a one-time proposal's staff, and a line without a job type, stay Lines that say their FTE", async () => {
    const port = await district();
    setP02(port, { jobType: 'TCH', recurrence: 'One-time', year2: null, year3: null });
    const r = await decideP(port, 'P-02', 'accept');
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([]);
    const row = port.sheet(SHEET)?.[6] ?? [];
    expect(row.slice(0, 3)).toEqual(['Line', '100-1000-111-100-001', 'Two more counselors (2 FTE)']);
  });

  test('a job type that cannot make a position is a finding on its cell (BL921); nothing is decided', async () => {
    const port = await district();
    port.setSheet(
      SHEETS.proposalLines,
      gridOf(
        PROPOSAL_LINES_TABLE,
        ['proposal', 'account', 'year1', 'year2', 'year3', 'fte', 'jobType'],
        [
          ['P-03', '100-2700-610-100-001', 1_000, 1_000, 1_000, null, 'TCH'],
          ['P-04', '100-1000-111-100-001', 1_000, 1_000, 1_000, 1, 'TCH'],
        ],
      ),
    );
    setP02(port, { jobType: 'NURSE' });
    const codes = async (id: string) =>
      (await decideP(port, id, 'accept')).diagnostics
        .filter((d) => d.message.includes(id))
        .map((d) => [d.code, d.sheet, d.cell, d.message]);
    expect(await codes('P-02')).toEqual([
      [
        'BL921',
        SHEETS.proposals,
        'T3',
        'proposal P-02: the job type NURSE is not on the Job Types sheet (TCH)',
      ],
    ]);
    expect(await codes('P-03')).toEqual([
      [
        'BL921',
        SHEETS.proposalLines,
        'F2',
        'proposal P-03: the job type TCH has no FTE: how many positions does it add?',
      ],
    ]);
    expect(await codes('P-04')).toEqual([
      [
        'BL921',
        SHEETS.proposalLines,
        'G3',
        'proposal P-04: a reduction cannot add staff, yet its line on 100-1000-111-100-001 names the job type TCH',
      ],
    ]);
    expect(JSON.stringify(port.sheet(SHEET))).not.toMatch(/P-0[234]/);
  });
});

describe('a proposal that changes a funding source goes into Allocations', () => {
  const allocated = async (port: MemoryPort) => {
    const snap = await port.read({ sheets: 'all', state: true });
    const wb = readWorkbook(snap);
    const report = checkAllocations(wb, snap, siteSheetsOf(wb, snap));
    return report?.allocations.map((a) => [a.allocation.id, a.allocated, a.planned, a.remaining]);
  };

  test('the allocation it is charged to grows by its amount; reject takes exactly its row out', async () => {
    const port = await district();
    setP02(port, { source: 'General fund' });
    const allocationsBefore = trimmed(port.sheet(SHEETS.allocations));
    const siteBefore = trimmed(port.sheet(SHEET));
    const first = ((await allocated(port)) ?? [])[0] ?? [];
    const allocatedBefore = Number(first[1]);
    const plannedBefore = Number(first[2]);
    expect(allocatedBefore).toBe(100_000_00);
    const r = await decideP(port, 'P-02', 'accept');
    expect(r.ok).toBe(true);
    expect(r.summary).toContain('1 allocation changed by $120,000.00 (Allocations row 3: Lincoln general)');
    const grid = port.sheet(SHEETS.allocations) ?? [];
    // The Proposal column joined the header of a sheet without it.
    expect(grid[0]?.[grid[0].length - 1]).toBe('Proposal');
    const h = grid[0] ?? [];
    const row = grid[2] ?? [];
    const at = (k: keyof typeof ALLOCATIONS_TABLE.columns): CellValue =>
      row[h.indexOf(ALLOCATIONS_TABLE.columns[k].header)];
    expect([
      at('id'),
      at('site'),
      at('source'),
      at('amount'),
      at('fte'),
      at('fixed'),
      at('proposal'),
    ]).toEqual(['P-02 Lincoln general', '001', 'General fund', 120_000, undefined, 'fund=100', 'P-02']);
    // Read back, it folds into Lincoln general: one allocation, its amount grown, the proposal its reason.
    const read = readAllocations(
      grid,
      readWorkbook(await port.read({ sheets: 'all' })).validator?.chart.segments ?? [],
    );
    expect(read.diagnostics).toEqual([]);
    expect(read.rows.map((a) => [a.id, a.amount, a.fte, a.rules.map((x) => x.explanation)])).toEqual([
      ['Lincoln general', 220_000_00, undefined, ['accepted proposal P-02: $120,000.00']],
    ]);
    // Allocated / planned / remaining include it; its line is planned once on the site's sheet.
    expect(await allocated(port)).toEqual([
      [
        'Lincoln general',
        allocatedBefore + 120_000_00,
        plannedBefore + 120_000_00,
        allocatedBefore - plannedBefore,
      ],
    ]);
    // A person types the same row without the proposal's ID: it is never removed.
    const typed = [...row];
    typed[h.indexOf('Proposal')] = null;
    typed[h.indexOf('Allocation')] = 'Counselors (typed)';
    port.setSheet(SHEETS.allocations, [...grid.map((x) => [...x]), typed]);
    const no = await decideP(port, 'P-02', 'defer', 'Next year');
    expect(no.ok).toBe(true);
    expect(no.summary).toContain(
      '1 allocation row removed from Allocations (row 3: site 001 General fund 120000)',
    );
    const after = port.sheet(SHEETS.allocations) ?? [];
    expect(after[2]?.every((v) => v === null)).toBe(true);
    expect(after[3]).toEqual(typed);
    expect(trimmed(after.slice(0, 3)).map((r) => r.slice(0, allocationsBefore[0]?.length))).toEqual(
      allocationsBefore,
    );
    expect(trimmed(port.sheet(SHEET))).toEqual(
      siteBefore.map((r) => [
        ...r,
        ...Array((trimmed(port.sheet(SHEET))[0]?.length ?? 0) - r.length).fill(null),
      ]),
    );
  });

  test('staff with a funding source: its FTE joins an allocation of FTE, never caps one of dollars only', async () => {
    const run = async (fte: number | null) => {
      const port = await district();
      port.setSheet(
        SHEETS.allocations,
        gridOf(
          ALLOCATIONS_TABLE,
          ['id', 'site', 'source', 'amount', 'fte', 'fixed', 'proposal'],
          [['Lincoln general', '001', 'General fund', 300_000, fte, 'fund=100', null]],
        ),
      );
      setP02(port, { jobType: 'TCH', source: 'General fund' });
      expect((await decideP(port, 'P-02', 'accept')).ok).toBe(true);
      const grid = port.sheet(SHEETS.allocations) ?? [];
      const read = readAllocations(
        grid,
        readWorkbook(await port.read({ sheets: 'all' })).validator?.chart.segments ?? [],
      );
      return { written: grid[2]?.[4], folded: read.rows.map((a) => [a.amount, a.fte]) };
    };
    // The allocation grows by what the budget carries: the positions' price ($132,000), not the $120,000 scored.
    expect(await run(null)).toEqual({ written: null, folded: [[432_000_00, undefined]] });
    expect(await run(3)).toEqual({ written: 2, folded: [[432_000_00, 5000]] });
  });

  test('a reduction cuts the allocation; a source the site has no allocation from is refused (BL922)', async () => {
    const port = await district();
    setP02(port, { source: 'Title I' });
    const before = JSON.stringify([
      port.sheet(SHEET),
      port.sheet(SHEETS.allocations),
      port.sheet(SHEETS.proposals),
    ]);
    const r = await decideP(port, 'P-02', 'accept');
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.sheet, d.cell, d.message])).toEqual([
      [
        'BL922',
        SHEETS.proposals,
        'U3',
        'proposal P-02 changes site 001\'s allocation from "Title I", but the Allocations table has no allocation of site 001 from "Title I" that 100-1000-111-100-001 is charged to',
      ],
    ]);
    expect(
      JSON.stringify([port.sheet(SHEET), port.sheet(SHEETS.allocations), port.sheet(SHEETS.proposals)]),
    ).toBe(before);
    // P-04 cuts $40,000 a year from the general-fund allocation.
    const grid = (port.sheet(SHEETS.proposals) ?? []).map((r) => [...r]);
    const p04 = grid.find((x) => x[0] === 'P-04') as CellValue[];
    p04[(grid[0] ?? []).indexOf('Site')] = '001';
    p04[(grid[0] ?? []).indexOf('Funding source')] = 'general FUND';
    port.setSheet(SHEETS.proposals, grid);
    const cut = await decideP(port, 'P-04', 'accept');
    expect(cut.ok).toBe(true);
    const read = readAllocations(
      port.sheet(SHEETS.allocations) ?? [],
      readWorkbook(await port.read({ sheets: 'all' })).validator?.chart.segments ?? [],
    );
    expect(read.rows.map((a) => [a.id, a.amount])).toEqual([['Lincoln general', 60_000_00]]);
  });
});

describe('sheets from before the new columns', () => {
  test('Proposals and Proposal Lines without Job type or Funding source read as before: plain lines', () => {
    const nces = compileChart(loadPreset('nces'), 2027);
    const keys = Object.keys(PROPOSALS_TABLE.columns).filter(
      (k) => k !== 'jobType' && k !== 'source',
    ) as (keyof typeof PROPOSALS_TABLE.columns)[];
    const grid = gridOf(PROPOSALS_TABLE, keys, [
      keys.map(
        (k) =>
          ({
            id: 'P-02',
            type: 'Addition',
            recurrence: 'Recurring',
            account: '100-1000-111-100-001',
            year1: 120_000,
            year2: 120_000,
            year3: 120_000,
            fte: 2,
            status: 'Submitted',
          })[k as string] ?? null,
      ),
    ]);
    const read = readProposals(grid, {
      validator: nces,
      sites: new Set(['001']),
      lines: gridOf(
        PROPOSAL_LINES_TABLE,
        ['proposal', 'account', 'year1', 'year2', 'year3'],
        [['P-02', '100-1000-640-100-001', 500, 500, 500]],
      ),
      jobTypes: new Set(['TCH']),
    });
    expect(read.diagnostics).toEqual([]);
    expect(read.rows[0]?.lines.map((l) => [l.account, l.jobType, l.source])).toEqual([
      ['100-1000-111-100-001', '', ''],
      ['100-1000-640-100-001', '', ''],
    ]);
  });
});
