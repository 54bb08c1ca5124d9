/**
 * adoptScenario: the CFO applies a scenario's changes to the base, once, audited; the base is the
 * scenario afterwards (the projection equals the scenario's figures before adoption).
 */
import {
  SHEETS,
  adoptScenario,
  decide,
  operations,
  projection,
  readAuditLog,
  runOperation,
  scenarios,
  verifyAuditLog,
  type MemoryPort,
} from '../../../core';
import { once } from '../../fixtures/district';
import { APPROVER, as, BUILDER, CFO, district, SHEET } from './district';

const cfo = as(CFO.email);

async function withScenarios(): Promise<MemoryPort> {
  const port = await district();
  port.setSheet(SHEETS.scenarios, [
    ['Scenario', 'Change', 'Fund', 'Applies to', 'Value'],
    ['Lean', 'Enrollment change', null, null, '-2%'],
    ['Lean', 'Salary increase', '100', '110-199', '1.5%'],
    ['Lean', 'One-time cut', null, '100-1000-230-100-001', 50_000],
    ['Counselors', 'Accepted proposals', null, 'P-02', 'on'],
  ]);
  return port;
}

describe('adoptScenario', () => {
  test("the scenario's changes become the base: Assumptions rows, a one-time cut line, one audit row", async () => {
    const port = await withScenarios();
    const before = await runOperation(port, scenarios, {}, cfo);
    const lean = before.scenarios?.find((s) => s.name === 'Lean');
    const r = await once(
      port,
      () =>
        runOperation(port, adoptScenario, { scenario: 'lean', reason: 'Board adopted the lean budget' }, cfo),
      1,
    );
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL809']);
    expect(r.ok).toBe(true);
    expect(r.applied).toEqual([
      'one-time cut of $50,000.00 on 100-1000-230-100-001: Lincoln Elementary row 7',
      'Enrollment change -2% in FY2028',
      'Enrollment change -2% in FY2029',
      'Salary increase 1.5% in FY2028 (fund 100)',
      'Salary increase 1.5% in FY2029 (fund 100)',
    ]);
    const site = port.sheet(SHEET) ?? [];
    expect(site[6]?.slice(0, 7)).toEqual([
      'Line',
      '100-1000-230-100-001',
      'One-time cut (scenario Lean)',
      null,
      null,
      -50_000,
      'Yes',
    ]);
    expect((port.sheet(SHEETS.assumptions) ?? []).slice(-4).map((x) => x.slice(0, 5))).toEqual([
      [1, 'Enrollment change', null, null, '-2%'],
      [2, 'Enrollment change', null, null, '-2%'],
      [1, 'Salary increase', '100', '110-199', '1.5%'],
      [2, 'Salary increase', '100', '110-199', '1.5%'],
    ]);
    const log = readAuditLog(port.sheet(SHEETS.audit)).entries;
    expect(log.map((e) => [e.site, e.action, e.role])).toEqual([['Scenario Lean', 'adopt', 'cfo']]);
    expect(log[0]?.comment).toMatch(/^adopted: Board adopted the lean budget \[one-time cut of \$50,000\.00/);
    expect(verifyAuditLog(log, port.state.lastAuditHash)).toEqual([]);
    expect(r.receipts?.[0]).toMatchObject({ action: 'adopt', entryHash: log[0]?.hash });
    // The base now is what the scenario was.
    const p = await runOperation(port, projection, {}, cfo);
    expect(
      p.years?.map((y) => y.funds.map((f) => [f.fund, f.expendituresCents, f.endingBalanceCents])),
    ).toEqual(
      lean?.years.map((y) => y.funds.map((f) => [f.fund, f.expendituresCents, f.endingBalanceCents])),
    );
    // Once only.
    const again = await runOperation(port, adoptScenario, { scenario: 'Lean', reason: 'again' }, cfo);
    expect(again.diagnostics.map((d) => d.code)).toEqual(['BL918']);
    expect(again.diagnostics[0]?.message).toContain('it was adopted on 2026-11-28T09:30:00.000Z');
  });

  test('refused with nothing written: not the CFO, no reason, unknown, a site approved, proposals undecided', async () => {
    const port = await withScenarios();
    const snapshot = (): string =>
      JSON.stringify([port.sheet(SHEET), port.sheet(SHEETS.assumptions), port.sheet(SHEETS.audit)]);
    const before = snapshot();
    const codes = async (args: { scenario: string; reason: string }, who = cfo): Promise<string[]> =>
      (await runOperation(port, adoptScenario, args, who)).diagnostics.map((d) => d.code);
    expect(await codes({ scenario: 'Lean', reason: 'x' }, as(BUILDER))).toEqual(['BL811']);
    expect(await codes({ scenario: 'Lean', reason: ' ' })).toEqual(['BL918']);
    expect(await codes({ scenario: 'Rich', reason: 'x' })).toEqual(['BL919']);
    expect(await codes({ scenario: 'Counselors', reason: 'x' })).toEqual(['BL918']);
    expect(snapshot()).toBe(before);
    // Accepted, P-02 is in the budget: the Counselors scenario then changes nothing.
    await runOperation(port, decide, { proposal: 'P-02', decision: 'accept', reason: 'fits' }, cfo);
    const none = await runOperation(port, adoptScenario, { scenario: 'Counselors', reason: 'x' }, cfo);
    expect(none.diagnostics[0]?.message).toContain('it changes nothing in the budget');
    await runOperation(port, operations.submit, { site: '001' }, as(BUILDER));
    await runOperation(port, operations.approve, { site: '001' }, as(APPROVER));
    const locked = await runOperation(port, adoptScenario, { scenario: 'Lean', reason: 'x' }, cfo);
    expect(locked.diagnostics).toEqual([
      expect.objectContaining({ code: 'BL918', sheet: SHEETS.scenarios, cell: 'D4' }),
    ]);
    expect(locked.diagnostics[0]?.message).toContain('site 001, whose budget is approved');
  });
});
