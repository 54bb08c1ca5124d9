/**
 * The whole year on MemoryPort with the NCES preset: create → site sheet → validate → fix →
 * allocations → submit → approve → consolidate → export → change after approval → tamper → verify.
 * Every operation makes exactly one read and at most one write.
 */
import {
  MemoryPort,
  SHEETS,
  SITE_HEADER,
  operations,
  runOperation,
  type CellValue,
  type OperationOptions,
  type PortUser,
} from '../../../core';
import { once, seedDistrict } from '../../fixtures/district';

const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };
const BUILDER: PortUser = { email: 'principal@district.k12.us', verified: true };
const APPROVER: PortUser = { email: 'approver@district.k12.us', verified: true };

let clock = 0;
const options: OperationOptions = {
  now: () => new Date(Date.UTC(2026, 10, 28, 9, 30, clock++)).toISOString(),
};

const row = (o: Partial<Record<(typeof SITE_HEADER)[number], CellValue>>): CellValue[] =>
  SITE_HEADER.map((h) => o[h] ?? null);

const SITE_ROWS: CellValue[][] = [
  [...SITE_HEADER],
  row({ Type: 'Line', Account: '100-1000-610-100-001', Description: 'Classroom supplies', Amount: 3500 }),
  row({ Type: 'Line', Account: '100-2220-641-100-001', Description: 'Library periodicals', Amount: 450 }),
  row({ Type: 'Position', 'Job type': 'TCH', Employee: 'Ortiz', FTE: 1, Account: '100-1000-111-100-001' }),
  row({
    Type: 'Line',
    Account: '100-1000-640-100-001',
    Description: 'Library books',
    Amount: 2750,
    'One-time': 'Yes',
  }),
];

async function newDistrict(): Promise<MemoryPort> {
  const port = new MemoryPort({ user: CFO });
  const r = await once(
    port,
    () =>
      runOperation(
        port,
        operations.createWorkbook,
        { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD' },
        options,
      ),
    1,
  );
  expect(r.ok).toBe(true);
  seedDistrict(port, { cfo: CFO.email, builder: BUILDER.email, approver: APPROVER.email });
  port.setSheet('Lincoln Elementary', SITE_ROWS);
  return port;
}

describe('the district workbook, end to end on MemoryPort (NCES)', () => {
  it('creates every sheet of the layout with headers, and refuses to create it twice', async () => {
    const port = new MemoryPort({ user: CFO });
    await runOperation(
      port,
      operations.createWorkbook,
      { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD' },
      options,
    );
    for (const s of [
      SHEETS.setup,
      SHEETS.segments,
      SHEETS.codes,
      SHEETS.rules,
      SHEETS.sites,
      SHEETS.roles,
      SHEETS.audit,
    ])
      expect(port.sheetNames()).toContain(s);
    expect(port.sheet(SHEETS.roles)?.[1]).toEqual([CFO.email, 'cfo', 'all']);
    expect(port.header(SHEETS.codes)).toEqual({ row: 0, frozenRows: 1 });
    expect(port.numberFormat(SHEETS.codes, 'B2')).toBe('@');
    const again = await once(
      port,
      () =>
        runOperation(
          port,
          operations.createWorkbook,
          { preset: 'texas', fiscalYear: 2027, district: 'X' },
          options,
        ),
      0,
    );
    expect(again.ok).toBe(false);
    expect(again.diagnostics.map((d) => d.code)).toEqual(['BL807']);
  });

  it('runs the year: validate, fix, submit, approve, consolidate, export, verify', async () => {
    const port = await newDistrict();

    // validate: the bad object code is marked with its finding in the note
    const v = await once(port, () => runOperation(port, operations.validateSites, {}, options), 1);
    expect(v.ok).toBe(false);
    const marks = port.marks('Lincoln Elementary');
    expect(marks).toEqual([
      expect.objectContaining({ cell: 'B3', severity: 'fatal', note: expect.stringContaining('BL104') }),
    ]);

    // submit is refused while a fatal finding stands, listing it
    port.user = BUILDER;
    const refused = await once(
      port,
      () => runOperation(port, operations.submit, { site: '001' }, options),
      0,
    );
    expect(refused.ok).toBe(false);
    expect(refused.diagnostics.map((d) => d.code)).toContain('BL605');

    // fix the cell: live validation of that row clears the mark
    port.setCell('Lincoln Elementary', 'B3', '100-2220-640-100-001');
    const live = await once(
      port,
      () =>
        runOperation(port, operations.validateRows, { sheet: 'Lincoln Elementary', from: 2, to: 2 }, options),
      1,
    );
    expect(live.diagnostics).toEqual([]);
    expect(port.log[0]).toMatchObject({
      kind: 'read',
      request: { rows: [{ sheet: 'Lincoln Elementary', from: 2, to: 2 }] },
    });
    expect(port.marks('Lincoln Elementary')).toEqual([]);

    // status shows the builder may submit, and the site's money
    const st = await once(port, () => runOperation(port, operations.status, { site: '001' }, options), 0);
    expect(st.view.site?.can.submit).toBe(true);
    expect(st.view.site?.allocations.find((a) => a.label === 'Site total')?.allocatedCents).toBe(10_000_000);

    // submit, self-approval refused, approval by the approver
    const sub = await once(port, () => runOperation(port, operations.submit, { site: '001' }, options), 1);
    expect(sub).toMatchObject({ ok: true, summary: 'Lincoln Elementary submitted for approval.' });
    expect(Object.keys(port.protectedSheets())).toEqual(['Lincoln Elementary']);
    port.setSheet(SHEETS.roles, [...(port.sheet(SHEETS.roles) ?? []), [BUILDER.email, 'approver', '001']]);
    const self = await once(port, () => runOperation(port, operations.approve, { site: '001' }, options), 0);
    expect(self.diagnostics.map((d) => d.code)).toContain('BL603');
    port.user = APPROVER;
    const ok = await once(port, () => runOperation(port, operations.approve, { site: '001' }, options), 1);
    expect(ok.ok).toBe(true);
    expect(port.state.sites['001']?.state).toBe('approved');
    expect(port.sheet(SHEETS.audit)).toHaveLength(3);
    expect(port.sheet(SHEETS.approved)?.length).toBeGreaterThan(1);

    // consolidate and export are the CFO's: the approver is refused, nothing written
    for (const run of [
      () => runOperation(port, operations.consolidate, { unapproved: 'exclude' }, options),
      () => runOperation(port, operations.exportBudget, { format: 'generic-csv' }, options),
    ]) {
      const no = await once(port, run, 0);
      expect(no.ok).toBe(false);
      expect(no.diagnostics.map((d) => d.code)).toEqual(['BL811']);
      expect(no.summary).toMatch(/approver@district\.k12\.us may not .* only the CFO may/);
    }
    expect(port.sheet(SHEETS.master)).toBeUndefined();

    // consolidate: Master Budget written, control totals agree
    port.user = CFO;
    const c = await once(
      port,
      () => runOperation(port, operations.consolidate, { unapproved: 'exclude' }, options),
      1,
    );
    expect(c.ok).toBe(true);
    expect(port.sheet(SHEETS.master)?.length).toBeGreaterThan(3);

    // export each built-in format that fits the NCES chart
    for (const format of ['generic-csv', 'erp-budget']) {
      const e = await once(port, () => runOperation(port, operations.exportBudget, { format }, options), 0);
      expect(e.ok).toBe(true);
      expect(e.content).toContain('100-1000-610-100-001');
      expect(e.fileName).toMatch(/^springfield-usd-fy2027-/);
    }
    const tx = await once(
      port,
      () => runOperation(port, operations.exportBudget, { format: 'tx-budget-fixed' }, options),
      0,
    );
    expect(tx.ok).toBe(false);
    expect(tx.content).toBeUndefined();

    // verify: clean, then a line changed after approval, then a tampered audit row
    const clean = await once(port, () => runOperation(port, operations.verify, {}, options), 0);
    expect(clean.diagnostics).toEqual([]);
    port.setCell('Lincoln Elementary', 'F2', 3600);
    const changed = await once(port, () => runOperation(port, operations.verify, {}, options), 0);
    expect(changed.diagnostics.map((d) => d.code)).toEqual(['BL612', 'BL615']);
    expect(changed.diagnostics[1]?.message).toMatch(/3,500\.00.*3,600\.00/);
    port.setCell(SHEETS.audit, 'D2', 'someone.else@district.k12.us');
    const tampered = await once(port, () => runOperation(port, operations.verify, {}, options), 0);
    expect(tampered.diagnostics.map((d) => d.code)).toContain('BL616');
  });

  it('refuses a workflow step when nobody is known, and records actAs as self-declared', async () => {
    const port = await newDistrict();
    port.setCell('Lincoln Elementary', 'B3', '100-2220-640-100-001');
    port.user = null;
    const nobody = await once(port, () => runOperation(port, operations.submit, { site: '001' }, options), 0);
    expect(nobody.diagnostics.map((d) => d.code)).toEqual(['BL803']);
    const asked = await runOperation(
      port,
      operations.submit,
      { site: '001' },
      { ...options, actAs: { email: BUILDER.email, verified: false } },
    );
    expect(asked.ok).toBe(true);
    expect(asked.diagnostics.map((d) => d.code)).toContain('BL809');
    expect(port.sheet(SHEETS.audit)?.[1]?.[5]).toBe('self-declared');
  });

  it('rolls forward into a new workbook, dropping one-time lines, without writing the source', async () => {
    const port = await newDistrict();
    port.setCell('Lincoln Elementary', 'B3', '100-2220-640-100-001');
    const target = new MemoryPort();
    const r = await once(
      port,
      () => runOperation(port, operations.rollForward, { salaryIncrease: 3 }, options),
      0,
    );
    expect(r).toMatchObject({ ok: true, fiscalYear: 2028 });
    if (r.next) await target.write(r.next);
    expect(target.roundTrips.writes).toBe(1);
    expect(target.sheet('Lincoln Elementary')).toHaveLength(4);
    expect(target.sheet(SHEETS.jobTypes)?.[1]?.[2]).toBe(61800);
    const next = await runOperation(target, operations.validateSites, {}, options);
    expect(next.diagnostics.filter((d) => d.severity === 'fatal')).toEqual([]);
  });
});
