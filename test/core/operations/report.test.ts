/**
 * The board report (boardReport): through the approval gate, totals equal to consolidate's to the
 * cent, revenues never added to expenditures, original vs final vs variance, a prior year said to be
 * missing rather than made up, and a write batch that touches only the report sheets.
 */
import {
  MemoryPort,
  a1,
  parseA1,
  PROPOSALS_TABLE,
  ROLES_TABLE,
  SHEETS,
  SITES_TABLE,
  SITE_HEADER,
  SITE_TABLE,
  boardReport,
  gridOf,
  headerOf,
  operations,
  rowOf,
  runOperation,
  type BoardReportResult,
  type CellValue,
  type OperationOptions,
  type PortUser,
  type WriteBatch,
} from '../../../core';
import { REPORT_FORMAT, REPORT_SHEETS, fiscalYearText, reportBatch } from '../../../core/report/sheets';
import { perPupil, percentChange, statusText } from '../../../core/report/model';
import { seedDistrict } from '../../fixtures/district';

const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };
const BUILDER: PortUser = { email: 'b@district.k12.us', verified: true };
const APPROVER: PortUser = { email: 'a@district.k12.us', verified: true };
const options: OperationOptions = { now: () => '2026-11-28T09:30:00.000Z' };

const line = (account: string, amount: number, oneTime = false): CellValue[] =>
  rowOf(SITE_TABLE, {
    type: 'Line',
    account,
    description: 'x',
    amount,
    ...(oneTime ? { oneTime: 'Yes' } : {}),
  });

/** Two sites: Lincoln (approved) and Washington (draft); revenues, fund balances, one proposal accepted. */
async function district(approve = true): Promise<MemoryPort> {
  const port = new MemoryPort({ user: CFO });
  await runOperation(
    port,
    operations.createWorkbook,
    {
      preset: 'nces',
      fiscalYear: 2027,
      district: 'Springfield USD',
      sites: [
        { code: '001', name: 'Lincoln Elementary' },
        { code: '002', name: 'Washington Middle' },
      ],
    },
    options,
  );
  seedDistrict(port, { cfo: CFO.email, builder: BUILDER.email, approver: APPROVER.email });
  port.setSheet(
    SHEETS.sites,
    gridOf(
      SITES_TABLE,
      ['code', 'name', 'sheet', 'enrollment', 'gradeBand', 'titleI', 'priorYear'],
      [
        ['001', 'Lincoln Elementary', '', 420, 'elementary', 'No', 12_000],
        ['002', 'Washington Middle', '', 300, 'middle', 'No', 9_000],
      ],
    ),
  );
  port.setSheet(
    SHEETS.roles,
    gridOf(
      ROLES_TABLE,
      ['email', 'role', 'sites'],
      [
        [CFO.email, 'cfo', 'all'],
        [BUILDER.email, 'builder', 'all'],
        [APPROVER.email, 'approver', 'all'],
      ],
    ),
  );
  port.setSheet('Lincoln Elementary', [
    [...SITE_HEADER],
    line('100-1000-111-100-001', 3_000_000.01),
    line('100-1000-230-100-001', 600_000),
    line('100-1000-610-100-001', 100_000, true),
    line('100-2400-610-100-001', 0.99),
    line('100-2700-910-100-001', 50_000),
    line('210-1000-111-100-001', 180_000),
    rowOf(SITE_TABLE, {
      type: 'Position',
      jobType: 'TCH',
      employee: 'Ortiz',
      fte: 1,
      account: '100-1000-111-100-001',
    }),
  ]);
  port.setSheet('Washington Middle', [[...SITE_HEADER], line('100-1000-111-100-002', 1_000_000)]);
  port.setSheet(SHEETS.revenues, [
    [
      'Fund',
      'Source',
      'Description',
      'Restricted',
      'Prior year actual',
      'Basis',
      'Rate',
      'Count',
      'Rule',
      'Estimate',
    ],
    ['100', '1100', 'Property taxes', 'No', 1_000_000, 'typed', null, null, null, 1_100_000],
    ['210', '4500', 'Title I', 'Yes', null, 'typed', null, null, null, 180_000],
  ]);
  port.setSheet(SHEETS.fundBalances, [
    ['Fund', 'Name', 'Beginning balance'],
    ['100', 'General Fund', 900_000],
  ]);
  if (!approve) return port;
  port.user = BUILDER;
  const sub = await runOperation(port, operations.submit, { site: '001' }, options);
  expect(sub.diagnostics.filter((d) => d.severity === 'fatal').map((d) => d.message)).toEqual([]);
  port.user = APPROVER;
  expect((await runOperation(port, operations.approve, { site: '001' }, options)).ok).toBe(true);
  port.user = CFO;
  return port;
}

async function report(port: MemoryPort, args: Parameters<typeof boardReport.run>[1] = {}) {
  const snap = await port.read(boardReport.reads(args));
  return boardReport.run(snap, args, options) as { result: BoardReportResult; write?: WriteBatch };
}

describe('boardReport', () => {
  test('its totals are the consolidation’s to the cent, from approved sites only', async () => {
    const port = await district();
    const { result, write } = await report(port);
    expect(result.ok).toBe(true);
    const c = await runOperation(port, operations.consolidate, { unapproved: 'exclude' }, options);
    const r = result.report!;
    expect(r.district.expendituresCents).toBe(c.district!.expendituresCents);
    expect(r.district.revenuesCents).toBe(c.district!.revenuesCents);
    expect(r.district.endingBalanceCents).toBe(c.district!.endingBalanceCents);
    expect(r.funds.map((f) => [f.fund, f.expendituresCents])).toEqual(
      c.funds!.map((f) => [f.fund, f.expendituresCents]),
    );
    // Lincoln only: 3,000,000.01 + 600,000 + 100,000 + 0.99 + 180,000 + the teacher (salary and benefits).
    const teacher = r.fteByJob.find((j) => j.job === 'TCH')!;
    expect(teacher).toMatchObject({ title: 'Teacher', fte: 1000 });
    expect(r.totals.expendituresCents).toBe(3_880_001_00 + teacher.cents);
    // Revenues are never added to expenditures: functions, objects and sites add up to expenditures.
    const sum = (xs: readonly { cents: number }[]): number => xs.reduce((n, x) => n + x.cents, 0);
    expect(sum(r.byFunction)).toBe(r.district.expendituresCents);
    expect(sum(r.byObject)).toBe(r.district.expendituresCents);
    expect(r.byFunction.map((f) => f.code)).toEqual(['1000', '2000']);
    expect(r.sites.map((s) => s.code)).toEqual(['001']);
    expect(r.sites[0]!.expendituresCents).toBe(r.district.expendituresCents);
    expect(r.sites[0]!.perPupilCents).toBe(Math.round(r.district.expendituresCents / 420));
    expect(r.cover.sitesNotApproved).toEqual([{ code: '002', name: 'Washington Middle', state: 'draft' }]);
    // Three years, the budget year first, each with the district's ending balance.
    expect(r.projection.map((y) => y.fiscalYear)).toEqual([2027, 2028, 2029]);
    expect(r.projection[0]!.district.endingBalanceCents).toBe(r.district.endingBalanceCents);
    // Only report sheets are written, each name Excel-safe.
    const written = new Set((write!.sheets ?? []).map((s) => s.sheet));
    expect([...written]).toEqual(Object.values(REPORT_SHEETS));
    for (const name of written) expect(name.length).toBeLessThanOrEqual(31);
    expect(result.sheets).toEqual(Object.values(REPORT_SHEETS));
    const own = new Set<string>(Object.values(REPORT_SHEETS));
    expect([...(write!.charts ?? []), ...(write!.print ?? [])].every((x) => own.has(x.sheet))).toBe(true);
    expect(Object.keys(write!).sort()).toEqual(['charts', 'print', 'sheets']);
  });

  test('unapproved sites included and marked on request', async () => {
    const port = await district();
    const { result, write } = await report(port, { unapproved: 'include-marked' });
    const r = result.report!;
    expect(r.sites.map((s) => [s.code, s.state])).toEqual([
      ['001', 'approved'],
      ['002', 'draft'],
    ]);
    const c = await runOperation(port, operations.consolidate, { unapproved: 'include-marked' }, options);
    expect(r.district.expendituresCents).toBe(c.district!.expendituresCents);
    const sites = (write!.sheets ?? [])
      .filter((s) => s.sheet === REPORT_SHEETS.sites)
      .flatMap((s) => s.values);
    expect(sites.some((row) => row.includes('NOT APPROVED (draft)'))).toBe(true);
    const cover = JSON.stringify((write!.sheets ?? []).filter((s) => s.sheet === REPORT_SHEETS.cover));
    expect(cover).toContain('NOT YET APPROVED');
  });

  test('nothing approved yet: a packet of the revenues and balances alone, no site chart, said on the cover', async () => {
    const port = await district(false);
    const { result, write } = await report(port);
    expect(result.ok).toBe(true);
    const r = result.report!;
    expect(r.sites).toEqual([]);
    expect(r.district.expendituresCents).toBe(0);
    expect(r.cover.sitesNotApproved.map((s) => s.code)).toEqual(['001', '002']);
    expect(write!.charts!.map((c) => c.name)).toEqual(['Fund balance']);
    const cover = JSON.stringify((write!.sheets ?? []).filter((s) => s.sheet === REPORT_SHEETS.cover));
    expect(cover).toContain('Only approved site budgets are included. Not approved, left out (2)');
  });

  test('a site edited after approval: nothing is written (the approval gate)', async () => {
    const port = await district();
    port.setCell('Lincoln Elementary', 'E2', 9_999_999);
    const { result, write } = await report(port);
    expect(result.ok).toBe(false);
    expect(write).toBeUndefined();
    expect(result.summary).toMatch(/approvals cannot be trusted/);
  });

  test('a site whose sheet is a report sheet is refused (BL812): the report never overwrites a site', async () => {
    const port = await district();
    port.setSheet(
      SHEETS.sites,
      gridOf(
        SITES_TABLE,
        ['code', 'name', 'sheet', 'enrollment'],
        [
          ['001', 'Lincoln Elementary', '', 420],
          ['002', 'Washington Middle', 'report – funds', 300],
        ],
      ),
    );
    const { result, write } = await report(port);
    expect(write).toBeUndefined();
    expect(result.ok).toBe(false);
    expect(result.diagnostics.filter((d) => d.code === 'BL812').map((d) => d.message)).toEqual([
      expect.stringContaining('report – funds'),
    ]);
  });

  test('only the CFO prepares the packet', async () => {
    const port = await district();
    port.user = BUILDER;
    const { result, write } = await report(port);
    expect(result.ok).toBe(false);
    expect(write).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toEqual(['BL811']);
  });

  test('original vs final vs variance, by function and object, from an original budget', async () => {
    const port = await district();
    // An original budget given by the caller; the cover says ADOPTED only when the chain records the
    // board's adoption (test/core/board/board.test.ts), never because an argument says so.
    const { result, write } = await report(port, {
      original: {
        adoptedOn: '2026-06-18',
        lines: [
          { account: '100-1000-111-100-001', cents: 2_900_000_00 },
          { account: '100-2400-610-100-001', cents: 5_00 },
          // A revenue line in the original budget is not an expenditure.
          { account: '100-0000-1100-100-001', cents: 1_000_000_00 },
        ],
      },
    });
    const r = result.report!;
    expect(r.cover.statusText).toBe('DRAFT');
    expect(r.original).toEqual({
      adoptedOn: '2026-06-18',
      expendituresCents: 2_900_005_00,
      // No revenue line of the original can be read as one (its object has 4 digits): the Revenues table's.
      revenuesCents: r.district.revenuesCents,
    });
    expect(r.byFunction.find((f) => f.code === '2000')).toMatchObject({ cents: 99, originalCents: 5_00 });
    // By fund too: fund 210 had nothing in the original budget.
    expect(r.byFund.map((f) => [f.code, f.originalCents, f.cents])).toEqual([
      ['100', 2_900_005_00, r.funds.find((f) => f.fund === '100')!.expendituresCents],
      ['210', 0, 180_000_00],
    ]);
    const funds = (write!.sheets ?? [])
      .filter((s) => s.sheet === REPORT_SHEETS.funds)
      .flatMap((s) => s.values);
    expect(funds).toContainEqual([
      'Original vs final budget by fund (expenditures; original adopted 2026-06-18)',
    ]);
    const rows = (write!.sheets ?? [])
      .filter((s) => s.sheet === REPORT_SHEETS.expenditures)
      .flatMap((s) => s.values);
    expect(rows).toContainEqual([
      'Code',
      'Function',
      'Original budget',
      'Final budget',
      'Variance',
      '% of total',
    ]);
    expect(rows).toContainEqual(['2000', expect.any(String), 5, 0.99, -4.01, expect.any(Number)]);
    expect(write!.print?.every((p) => p.header?.right === 'DRAFT')).toBe(true);
  });

  test('prior year vs proposed: revenues from the Revenues table; expenditures said to be missing', async () => {
    const port = await district();
    const r = (await report(port)).result.report!;
    const rows = r.comparison.rows;
    expect(rows.find((x) => x.label === 'Total expenditures')).toMatchObject({
      priorCents: null,
      changeCents: null,
      proposedCents: r.district.expendituresCents,
    });
    expect(rows.find((x) => x.label.startsWith('Revenue: Property taxes'))).toEqual({
      label: 'Revenue: Property taxes (fund 100)',
      priorCents: 1_000_000_00,
      proposedCents: 1_100_000_00,
      changeCents: 100_000_00,
      changePercent: 10,
    });
    // Title I has no prior-year actual: no revenue total is made up.
    expect(rows.find((x) => x.label.startsWith('Total revenues'))?.priorCents).toBeNull();
    expect(r.comparison.notes.join(' ')).toMatch(/Prior year not available for expenditures/);
    expect(r.comparison.notes.join(' ')).toMatch(/1 of 2 revenue rows have no "Prior year actual"/);
  });

  test('prior year vs proposed by function when last year’s figures are given', async () => {
    const port = await district();
    const r = (
      await report(port, {
        priorYear: {
          label: 'FY2026 adopted',
          lines: [{ account: '100-1000-111-100-001', cents: 3_500_000_00 }],
        },
      })
    ).result.report!;
    const total = r.comparison.rows.find((x) => x.label === 'Total expenditures')!;
    expect(total.priorCents).toBe(3_500_000_00);
    expect(total.changeCents).toBe(r.district.expendituresCents - 3_500_000_00);
    expect(r.comparison.notes).toContain('Prior year: FY2026 adopted.');
    // Figures of another year than the one before the budget are refused, nothing written (BL950).
    const wrong = await report(port, { priorYear: { fiscalYear: 2025, lines: [] } });
    expect(wrong.write).toBeUndefined();
    expect(wrong.result.diagnostics.map((d) => d.code)).toEqual(['BL950']);
  });

  test('accepted proposals with their signed cost', async () => {
    const port = await district();
    const proposal = (
      id: string,
      site: string,
      type: string,
      recurrence: string,
      account: string,
      year1: number,
      status: string,
    ): CellValue[] =>
      rowOf(PROPOSALS_TABLE, {
        id,
        title: `Proposal ${id}`,
        owner: BUILDER.email,
        site,
        type,
        recurrence,
        account,
        year1,
        ...(recurrence === 'recurring' ? { year2: year1, year3: year1 } : {}),
        status,
        reason: 'Board priority',
        decidedBy: CFO.email,
        decidedAt: '2026-11-20',
      });
    port.setSheet(SHEETS.proposals, [
      headerOf(PROPOSALS_TABLE),
      proposal('P-1', '001', 'addition', 'recurring', '100-1000-111-100-001', 70_000, 'accepted'),
      proposal('P-2', '', 'reduction', 'recurring', '100-2400-610-100-001', 8_000, 'accepted'),
      proposal('P-3', '001', 'addition', 'one-time', '100-1000-610-100-001', 5_000, 'rejected'),
    ]);
    const r = (await report(port)).result.report!;
    expect(r.proposals.map((p) => [p.id, p.costCents])).toEqual([
      ['P-1', 70_000_00],
      ['P-2', -8_000_00],
    ]);
    // A proposal row that cannot be read would be missing from the packet: nothing is written.
    port.setCell(
      SHEETS.proposals,
      `${String.fromCharCode(65 + Object.keys(PROPOSALS_TABLE.columns).indexOf('account'))}3`,
      'not-an-account',
    );
    const bad = await report(port);
    expect(bad.result.ok).toBe(false);
    expect(bad.write).toBeUndefined();
    expect(bad.result.summary).toMatch(/fix the Proposals rows named/);
  });
});

describe('report sheets', () => {
  test('status text, percentages and per-pupil rounding', () => {
    expect(statusText({ kind: 'draft' })).toBe('DRAFT');
    expect(statusText({ kind: 'proposed' })).toBe('PROPOSED');
    expect(statusText({ kind: 'adopted', on: '2026-06-18', resolution: '' })).toBe('ADOPTED 2026-06-18');
    expect(percentChange(null, 5)).toBeNull();
    expect(percentChange(0, 5)).toBeNull();
    expect(percentChange(200, 150)).toBe(-25);
    expect(percentChange(-200, -100)).toBe(50);
    expect(perPupil(1000, 3)).toBe(333);
    expect(perPupil(-1000, 3)).toBe(-333);
    expect(perPupil(1000, 0)).toBeNull();
    expect(fiscalYearText(2027)).toBe('FY2027 (July 2026 – June 2027)');
  });

  test('money in accounting format, charts over header-and-rows ranges, print setup on every sheet', async () => {
    const port = await district();
    const { write } = await report(port);
    const batch = write!;
    expect(batch.sheets!.some((s) => s.columnFormats?.includes(REPORT_FORMAT.money))).toBe(true);
    expect(REPORT_FORMAT.money).toBe('#,##0.00_);(#,##0.00)');
    // Every number ends up with a number format (a header write, bold, takes none: a total row is
    // written bold and then again with its formats).
    const format = new Map<string, string | null>();
    const numbers = new Set<string>();
    for (const w of batch.sheets!) {
      const at = parseA1(w.at ?? 'A1')!;
      w.values.forEach((row, i) =>
        row.forEach((v, j) => {
          const key = `${w.sheet}!${a1(at.row + i, at.column + j)}`;
          const f = w.header && i === 0 ? undefined : w.columnFormats?.[j];
          if (f !== undefined) format.set(key, f);
          if (typeof v === 'number') numbers.add(key);
          else numbers.delete(key);
        }),
      );
    }
    for (const key of numbers)
      expect({ key, format: format.get(key) ?? null }).toEqual({ key, format: expect.any(String) });
    expect(batch.charts!.map((c) => [c.sheet, c.type])).toEqual([
      [REPORT_SHEETS.funds, 'pie'],
      [REPORT_SHEETS.projection, 'column'],
      [REPORT_SHEETS.sites, 'bar'],
    ]);
    for (const c of batch.charts!) {
      // The chart's range is on cells written on its sheet: a header of names, then a category and
      // numbers in each row.
      const cells = new Map<string, CellValue>();
      for (const w of batch.sheets!.filter((x) => x.sheet === c.sheet)) {
        const at = parseA1(w.at ?? 'A1')!;
        w.values.forEach((row, i) => row.forEach((v, j) => cells.set(a1(at.row + i, at.column + j), v)));
      }
      const [from, to] = c.data.split(':').map((x) => parseA1(x)!);
      expect(to!.row - from!.row).toBeGreaterThanOrEqual(1);
      for (let row = from!.row; row <= to!.row; row++)
        for (let col = from!.column; col <= to!.column; col++) {
          const v = cells.get(a1(row, col));
          if (row === from!.row || col === from!.column) expect(typeof v).toBe('string');
          else expect(typeof v).toBe('number');
        }
    }
    expect(batch.print!.map((p) => p.sheet)).toEqual(Object.values(REPORT_SHEETS));
    for (const p of batch.print!) {
      expect(p.fitToWidth).toBe(true);
      expect(p.header).toEqual({ left: 'Springfield USD', right: 'DRAFT' });
      expect(p.footer?.right).toBe('Page {page} of {pages}');
    }
    // The first write of each sheet replaces it (the report is Budgetline's own).
    for (const name of Object.values(REPORT_SHEETS))
      expect(batch.sheets!.find((s) => s.sheet === name)?.replace).toBe(true);
    // Deterministic: the same model gives the same batch.
    const again = await report(port);
    expect(JSON.stringify(reportBatch(again.result.report!))).toBe(JSON.stringify(batch));
  });
});
