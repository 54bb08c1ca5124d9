/**
 * Proposals, decisions and scenarios through their operations, on an NCES district workbook: one
 * read each, and for a decision exactly one write (the proposal's cells, one audit row, the last
 * hash) or none.
 */
import {
  MemoryPort,
  SHEETS,
  SITE_HEADER,
  decide,
  operations,
  proposals,
  readAuditLog,
  runOperation,
  scenarios,
  verifyAuditLog,
  type CellValue,
  type OperationOptions,
  type PortUser,
} from '../../../core';
import { once, seedDistrict } from '../../fixtures/district';
import { seedProposals } from './fixtures';

const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };
const options: OperationOptions = { now: () => '2026-11-28T09:30:00.000Z' };
const SHEET = 'Lincoln Elementary';
const line = (account: string, amount: number, oneTime = 'No'): CellValue[] =>
  SITE_HEADER.map((h) =>
    h === 'Type'
      ? 'Line'
      : h === 'Account'
        ? account
        : h === 'Amount'
          ? amount
          : h === 'One-time'
            ? oneTime
            : null,
  );

async function district(user: PortUser = CFO): Promise<MemoryPort> {
  const port = new MemoryPort({ user });
  await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD', sites: [{ code: '001', name: SHEET }] },
    options,
  );
  seedDistrict(port, { cfo: CFO.email, builder: 'b@district.k12.us', approver: 'a@district.k12.us' }, SHEET);
  port.setSheet(SHEET, [
    [...SITE_HEADER],
    line('100-1000-111-100-001', 3_000_000),
    line('100-1000-230-100-001', 600_000),
    line('100-1000-610-100-001', 100_000, 'Yes'),
    line('100-2700-910-100-001', 50_000),
    line('210-1000-111-100-001', 180_000),
  ]);
  port.setSheet(SHEETS.revenues, [
    ['Fund', 'Source', 'Basis', 'Rate', 'Estimate'],
    ['100', '1100', 'typed', null, 1_100_000],
    ['100', '3100', 'rate × enrollment', 5_000, null],
    ['210', '4500', 'typed', null, 180_000],
  ]);
  port.setSheet(SHEETS.fundBalances, [
    ['Fund', 'Name', 'Beginning balance'],
    ['100', 'General Fund', 900_000],
  ]);
  seedProposals(port);
  return port;
}

describe('proposals', () => {
  test('each proposal with its weighted score, rank, community input and the funding line', async () => {
    const port = await district();
    const r = await once(port, () => runOperation(port, proposals, {}, options), 0);
    expect(r.diagnostics.filter((d) => d.severity === 'fatal')).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.proposals?.map((p) => [p.id, p.score, p.rank, p.funding])).toEqual([
      ['P-01', 4.6, 1, 'below'],
      ['P-02', 4.4, 2, 'below'],
      ['P-04', 3.2, 3, 'below'],
      ['P-03', 3, 4, 'below'],
      ['P-05', null, undefined, 'unranked'],
      ['P-06', null, undefined, 'unranked'],
    ]);
    // The general fund ends the budget year $350,000 up, $238,500 above its 3% reserve — but it
    // spends $450,000 a year more than it takes in, and is below the reserve by FY2028: nothing fits.
    expect(r.funding?.availableCents).toBeLessThan(0);
    expect(r.funding?.fits).toEqual([]);
    expect(r.proposals?.map((p) => p.fundingReason)).toEqual([
      expect.stringMatching(
        /^does not fit: fund 100 in FY2029 would end \$[\d,.]+ below the reserve minimum$/,
      ),
      'below the line: ranked after P-01, which does not fit',
      'below the line: ranked after P-01, which does not fit',
      'below the line: ranked after P-01, which does not fit',
      'not ranked: a draft, not submitted yet',
      'not ranked: nobody has scored it yet',
    ]);
    expect(r.proposals?.[0]?.community).toEqual({
      support: 140,
      oppose: 12,
      summaries: ['Community survey: parents want it', 'Board: asked for the evidence'],
    });
  });

  test('the funding line looks three years ahead: what fits in the budget year may not fit by FY2029', async () => {
    const port = await district();
    port.setSheet(SHEETS.revenues, [
      ['Fund', 'Source', 'Basis', 'Rate', 'Estimate'],
      ['100', '1100', 'typed', null, 1_500_000],
      ['100', '3100', 'rate × enrollment', 5_000, null],
      ['210', '4500', 'typed', null, 180_000],
    ]);
    const r = await runOperation(port, proposals, {}, options);
    // Budget year: ending $750,000, 3% of $3,750,000 is $112,500: $637,500 available. P-01, P-02,
    // P-04 and P-03 cost $270,000 together in the budget year, and would all fit by that year alone;
    // but the recurring ones keep costing, and with P-03 the general fund ends FY2029 below 3%.
    expect(r.funding?.fits).toEqual(['P-01', 'P-02', 'P-04']);
    expect(r.funding?.below).toEqual(['P-03']);
    expect(r.funding?.costCents).toBe(180_000_00);
    const reason = r.funding?.reasons ?? {};
    expect(reason['P-01']).toMatch(
      /^fits: \$[\d,.]+ left above the reserve minimum at the tightest \(fund 100 in FY2029\)$/,
    );
    expect(reason['P-03']).toMatch(
      /^does not fit: fund 100 in FY2029 would end \$[\d,.]+ below the reserve minimum$/,
    );
    // The margin the line leaves is what the projection with those three says.
    const accepted = await district();
    accepted.setSheet(SHEETS.revenues, port.sheet(SHEETS.revenues) ?? []);
    for (const id of ['P-01', 'P-02', 'P-04'])
      expect(
        (await runOperation(accepted, decide, { proposal: id, decision: 'accept', reason: 'fits' }, options))
          .ok,
      ).toBe(true);
    const after = await runOperation(accepted, proposals, {}, options);
    expect(after.funding?.fits).toEqual(['P-01', 'P-02', 'P-04']);
    expect(after.funding?.reasons['P-01']).toBe('accepted: its lines are in the budget already');
    expect(after.funding?.below).toEqual(['P-03']);
    expect(after.funding?.availableCents).toBe(r.funding?.leftCents);
  });

  test('a score outside the scale is a finding on its cell and leaves the score out', async () => {
    const port = await district();
    const scores = port.sheet(SHEETS.scores) ?? [];
    port.setSheet(SHEETS.scores, [...scores.map((r) => [...r]), ['P-03', 'rivera', 'Impact on students', 7]]);
    const r = await runOperation(port, proposals, {}, options);
    const bad = r.diagnostics.find((d) => d.code === 'BL903');
    expect(bad).toMatchObject({ sheet: 'Scores', cell: `D${scores.length + 1}` });
    expect(r.proposals?.find((p) => p.id === 'P-03')?.score).toBe(3);
  });
});

describe('decide', () => {
  test('accept: the proposal cells, one audit row chained to the last, and the new last hash, in one write', async () => {
    const port = await district();
    const r = await once(
      port,
      () =>
        runOperation(
          port,
          decide,
          { proposal: 'p-01', decision: 'accept', reason: 'Top ranked; fits' },
          options,
        ),
      1,
    );
    expect(r).toMatchObject({ ok: true, status: 'accepted' });
    const sheet = port.sheet(SHEETS.proposals) ?? [];
    const header = sheet[0] ?? [];
    const row = sheet[1] ?? [];
    expect(row[header.indexOf('Status')]).toBe('accepted');
    expect(row[header.indexOf('Decision reason')]).toBe('Top ranked; fits');
    expect(row[header.indexOf('Decided by')]).toBe(CFO.email);
    expect(row[header.indexOf('Decided at')]).toBe('2026-11-28T09:30:00.000Z');
    const log = readAuditLog(port.sheet(SHEETS.audit));
    expect(log.diagnostics).toEqual([]);
    expect(log.entries).toHaveLength(1);
    expect(log.entries[0]).toMatchObject({
      site: 'Proposal P-01',
      action: 'decide',
      actor: CFO.email,
      role: 'cfo',
      // The entry records what went into the budget.
      comment: 'accepted: Top ranked; fits [1 line ($100,000.00) added to Lincoln Elementary row 7]',
    });
    expect(verifyAuditLog(log.entries, port.state.lastAuditHash)).toEqual([]);
    const site = port.sheet(SHEET) ?? [];
    expect(site[0]?.[site[0].length - 1]).toBe('Proposal');
    expect(site[6]?.slice(0, 3)).toEqual(['Line', '100-1000-610-100-001', 'Reading curriculum']);
    expect(site[6]?.[site[6].length - 1]).toBe('P-01');
    // Rejecting it afterwards is a second row on the same chain.
    await runOperation(
      port,
      decide,
      { proposal: 'P-01', decision: 'reject', reason: 'Grant fell through' },
      options,
    );
    const again = readAuditLog(port.sheet(SHEETS.audit));
    expect(again.entries).toHaveLength(2);
    expect(again.entries[1]?.comment).toBe(
      'rejected: Grant fell through [1 line removed from Lincoln Elementary (row 7: 100-1000-610-100-001 100000)]',
    );
    // Exactly its line left: the typed lines are as they were.
    const after = port.sheet(SHEET) ?? [];
    expect(
      after
        .slice(6)
        .flat()
        .every((v) => v === null),
    ).toBe(true);
    expect(after.slice(1, 6).map((r) => r.slice(0, 6))).toEqual(site.slice(1, 6).map((r) => r.slice(0, 6)));
    expect(verifyAuditLog(again.entries, port.state.lastAuditHash)).toEqual([]);
    // Decisions share the chain but are no site's workflow step: verify finds nothing, and the
    // stored states are the sites' only.
    const v = await runOperation(port, operations.verify, {}, options);
    expect(v.diagnostics).toEqual([]);
    expect(Object.keys(port.state.sites)).toEqual([]);
  });

  test('refused, with nothing written: no reason, not the CFO, a draft, an unknown ID, a site that is gone', async () => {
    const cases: [PortUser, Parameters<typeof decide.run>[1], string][] = [
      [CFO, { proposal: 'P-01', decision: 'accept', reason: '  ' }, 'BL904'],
      [
        { email: 'b@district.k12.us', verified: true },
        { proposal: 'P-01', decision: 'accept', reason: 'yes' },
        'BL811',
      ],
      [CFO, { proposal: 'P-05', decision: 'accept', reason: 'yes' }, 'BL907'],
      [CFO, { proposal: 'P-99', decision: 'reject', reason: 'no' }, 'BL908'],
      [CFO, { proposal: 'P-06', decision: 'accept', reason: 'yes' }, 'BL905'],
    ];
    for (const [user, args, code] of cases) {
      const port = await district(user);
      const before = port.sheet(SHEETS.proposals);
      const r = await once(port, () => runOperation(port, decide, args, options), 0);
      expect(r.ok).toBe(false);
      expect(r.diagnostics.map((d) => d.code)).toContain(code);
      expect(port.sheet(SHEETS.proposals)).toEqual(before);
      expect(port.sheet(SHEETS.audit)?.length ?? 0).toBeLessThanOrEqual(1);
    }
  });
});

describe('scenarios', () => {
  test('the base and each scenario per fund for three years; the base is unchanged by them', async () => {
    const port = await district();
    const d = await runOperation(
      port,
      decide,
      { proposal: 'P-02', decision: 'accept', reason: 'Counselors' },
      options,
    );
    expect(d.diagnostics).toEqual([]);
    port.setSheet(SHEETS.scenarios, [
      ['Scenario', 'Change', 'Fund', 'Applies to', 'Value'],
      ['Without accepted', 'Accepted proposals', null, null, 'off'],
      ['Lean', 'Enrollment change', null, null, '-2%'],
      ['Lean', 'One-time cut', null, '100-1000-230-100-001', 50_000],
    ]);
    const before = JSON.stringify(port.sheet(SHEET));
    const r = await once(port, () => runOperation(port, scenarios, {}, options), 0);
    expect(r.ok).toBe(true);
    expect(JSON.stringify(port.sheet(SHEET))).toBe(before);
    const [base, without, lean] = r.scenarios ?? [];
    // Accepted, P-02's line is in Lincoln's sheet: the base holds it, "off" takes it out.
    expect(r.scenarios?.map((s) => [s.name, s.proposals, s.removed])).toEqual([
      ['Base', [], []],
      ['Without accepted', [], ['P-02']],
      ['Lean', [], []],
    ]);
    const gf = (s: typeof base, y: number) => s?.years[y]?.funds.find((f) => f.fund === '100');
    // P-02: two counselors, $120,000 recurring, $123,600 and $127,308 later.
    expect((gf(base, 0)?.expendituresCents ?? 0) - (gf(without, 0)?.expendituresCents ?? 0)).toBe(120_000_00);
    expect((gf(base, 1)?.expendituresCents ?? 0) - (gf(without, 1)?.expendituresCents ?? 0)).toBe(123_600_00);
    expect((gf(base, 2)?.expendituresCents ?? 0) - (gf(without, 2)?.expendituresCents ?? 0)).toBe(127_308_00);
    // The cut comes off the budget year only; enrollment falls 2% a year.
    expect((gf(base, 0)?.expendituresCents ?? 0) - (gf(lean, 0)?.expendituresCents ?? 0)).toBe(50_000_00);
    expect(gf(lean, 1)?.expendituresCents).toBe(gf(base, 1)?.expendituresCents);
    expect(lean?.years.map((y) => y.enrollment)).toEqual([420, 412, 403]);
    expect(base?.years[0]?.district.perPupilCents).toBe(
      Math.round((base?.years[0]?.district.expendituresCents ?? 0) / 420),
    );
    expect(gf(base, 0)?.endingBalanceCents).toBe(230_000_00);
    expect(gf(without, 0)?.endingBalanceCents).toBe(350_000_00);
  });

  test('a change Budgetline does not know is a finding on its cell; nothing is compared', async () => {
    const port = await district();
    port.setSheet(SHEETS.scenarios, [
      ['Scenario', 'Change', 'Value'],
      ['Odd', 'Weather', '2%'],
    ]);
    const r = await runOperation(port, scenarios, {}, options);
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toEqual([
      expect.objectContaining({ code: 'BL909', sheet: 'Scenarios', cell: 'B2' }),
    ]);
  });
});
