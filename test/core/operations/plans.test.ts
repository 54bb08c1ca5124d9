/**
 * Every operation as a table: a snapshot in, the result and the write batch out. The operations are
 * pure plans (`reads`, `run`), so these tests call `run` on snapshots and never touch a port; the
 * snapshots come from a small district held in a MemoryPort (what `reads` asks for, read once).
 */
import {
  GENESIS_HASH,
  MemoryPort,
  SHEETS,
  SITE_HEADER,
  operations,
  runOperation,
  runOperationSync,
  type CellValue,
  type DocumentState,
  type Operation,
  type OperationOptions,
  type OperationResult,
  type PortUser,
  type Snapshot,
  type WriteBatch,
} from '../../../core';
import { seedDistrict } from '../../fixtures/district';

const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };
const BUILDER: PortUser = { email: 'principal@district.k12.us', verified: true };
const APPROVER: PortUser = { email: 'approver@district.k12.us', verified: true };
const options: OperationOptions = { now: () => '2026-11-28T09:30:00.000Z' };
const SITE = 'Lincoln Elementary';

const row = (o: Partial<Record<(typeof SITE_HEADER)[number], CellValue>>): CellValue[] =>
  SITE_HEADER.map((h) => o[h] ?? null);
const GOOD = row({ Type: 'Line', Account: '100-1000-610-100-001', Description: 'Supplies', Amount: 3500 });
const BAD = row({ Type: 'Line', Account: '100-2220-641-100-001', Description: 'Periodicals', Amount: 450 });

type Workbook =
  | 'empty'
  | 'draft'
  | 'fatal'
  | 'submitted'
  | 'changed since submit'
  | 'changed, copy edited'
  | 'approved'
  | 'damaged state'
  | 'lost state'
  | 'setup deleted';

/** The amount changed and a line added after submission (a Sheets principal can still type). */
const CHANGED = row({ Type: 'Line', Account: '100-1000-610-100-001', Description: 'Supplies', Amount: 9500 });
const ADDED = row({ Type: 'Line', Account: '100-1000-610-100-001', Description: 'Field trip', Amount: 800 });

/** The district in one of its states, as a MemoryPort. */
async function district(kind: Workbook): Promise<MemoryPort> {
  const port = new MemoryPort({ user: CFO });
  if (kind === 'empty') return port;
  await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD' },
    options,
  );
  seedDistrict(port, { cfo: CFO.email, builder: BUILDER.email, approver: APPROVER.email });
  port.setSheet(SITE, [[...SITE_HEADER], GOOD, ...(kind === 'fatal' ? [BAD] : [])]);
  const submits: readonly Workbook[] = [
    'submitted',
    'approved',
    'lost state',
    'changed since submit',
    'changed, copy edited',
  ];
  if (submits.includes(kind)) {
    port.user = BUILDER;
    expect((await runOperation(port, operations.submit, { site: '001' }, options)).ok).toBe(true);
  }
  if (kind === 'changed since submit' || kind === 'changed, copy edited')
    port.setSheet(SITE, [[...SITE_HEADER], CHANGED, ADDED]);
  if (kind === 'changed, copy edited') {
    // Whoever changed the site also changed the copy kept at submission: it no longer hashes to it.
    const copy = (await port.read({ sheets: [SHEETS.submitted] })).sheets[SHEETS.submitted] ?? [];
    port.setSheet(
      SHEETS.submitted,
      copy.map((r, i) => (i === 1 ? r.map((v, j) => (j === 3 ? 950000 : v)) : [...r])),
    );
  }
  if (kind === 'approved') {
    port.user = APPROVER;
    expect((await runOperation(port, operations.approve, { site: '001' }, options)).ok).toBe(true);
  }
  if (kind === 'damaged state') port.storeRawState('{"version":1,"sites":{"001":');
  if (kind === 'lost state') port.storeRawState(undefined); // deleted by hand after a submit
  if (kind === 'setup deleted') port.deleteSheet(SHEETS.setup);
  return port;
}

/** What `reads(args)` asks for, read from the district as `user`: the snapshot a plan runs on. */
async function snapshotFor<A>(
  kind: Workbook,
  op: Operation<A, OperationResult>,
  args: A,
  user: PortUser | null,
): Promise<Snapshot> {
  const port = await district(kind);
  port.user = user;
  return port.read(op.reads(args));
}

interface Row {
  readonly what: string;
  readonly workbook: Workbook;
  readonly user: PortUser | null;
  readonly run: (snap: Snapshot) => { result: OperationResult; write?: WriteBatch };
  /** ok, and the codes of the findings (in order). */
  readonly ok: boolean;
  readonly codes: readonly string[];
  readonly summary: RegExp;
  /** undefined: no write at all; else what the write batch must hold. */
  readonly write?: (w: WriteBatch) => void;
}

/** A row for operation `op` with `args`. */
function plan<A, R extends OperationResult>(
  op: Operation<A, R>,
  args: A,
  rest: Omit<Row, 'run'>,
): Row & { readonly op: Operation<A, R>; readonly args: A } {
  return { ...rest, op, args, run: (snap) => op.run(snap, args, options) };
}

const sheetsOf = (w: WriteBatch): string[] => (w.sheets ?? []).map((s) => s.sheet);
const newState = (w: WriteBatch): DocumentState => w.state as DocumentState;

const TABLE = [
  plan(
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD' },
    {
      what: 'creates the district workbook in an empty document',
      workbook: 'empty',
      user: CFO,
      ok: true,
      codes: [],
      summary: /^Created the Springfield USD workbook for FY2027 with the nces chart\.$/,
      write: (w) => {
        expect(sheetsOf(w)).toEqual(expect.arrayContaining([SHEETS.setup, SHEETS.roles, SHEETS.audit]));
        expect(w.state).toEqual({ version: 1, sites: {}, lastAuditHash: GENESIS_HASH });
      },
    },
  ),
  plan(
    operations.createWorkbook,
    { preset: 'texas', fiscalYear: 2028, district: 'X' },
    {
      what: 'refuses a new workbook over a district workbook',
      workbook: 'draft',
      user: CFO,
      ok: false,
      codes: ['BL807'],
      summary: /already a district workbook/,
    },
  ),
  plan(
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2028, district: 'X', rebuild: true },
    {
      what: 'refuses a rebuild by someone not the CFO',
      workbook: 'draft',
      user: BUILDER,
      ok: false,
      codes: ['BL811'],
      summary: /may not rebuild the district workbook/,
    },
  ),
  plan(
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2028, district: 'Springfield USD', rebuild: true },
    {
      what: 'rebuilds when the CFO asks for it',
      workbook: 'approved',
      user: CFO,
      ok: true,
      codes: [],
      summary: /^Rebuilt the Springfield USD workbook for FY2028/,
      write: (w) => {
        expect(newState(w).sites).toEqual({});
        expect(w.unprotect).toEqual([SITE]); // the approved site is a draft again
      },
    },
  ),
  plan(
    operations.createWorkbook,
    { preset: 'ohio', fiscalYear: 27, district: 'X' },
    {
      what: 'refuses an unknown preset and a fiscal year out of range, both at once',
      workbook: 'empty',
      user: CFO,
      ok: false,
      codes: ['BL823', 'BL822'],
      summary: /^Nothing was created\.$/,
    },
  ),
  plan(
    operations.validateSites,
    { sites: ['009'] },
    {
      what: 'refuses to validate an unknown site',
      workbook: 'draft',
      user: null,
      ok: false,
      codes: ['BL802'],
      summary: /not in the Sites table/,
    },
  ),
  plan(
    operations.validateSites,
    {},
    {
      what: 'marks the wrong cell and clears the sheets it checked',
      workbook: 'fatal',
      user: null,
      ok: false,
      codes: ['BL104'],
      summary: /^1 site checked: 1 problem to fix, 0 warnings\.$/,
      write: (w) => {
        expect(w.clearMarks).toEqual(expect.arrayContaining([{ sheet: SITE }]));
        expect(w.marks).toEqual([expect.objectContaining({ sheet: SITE, cell: 'B3', severity: 'fatal' })]);
        // The one write also shows each row's cost (none for the wrong row) and what remains.
        expect(w.sheets).toEqual([
          {
            sheet: SITE,
            at: 'S1',
            header: true,
            columnFormats: ['#,##0.00', '#,##0.00', '#,##0.00'],
            values: [
              ['Cost (computed)', 'Cost, Account (computed)', 'Cost, Account 2 (computed)'],
              [3500, 3500, null],
              [null, null, null],
            ],
          },
          expect.objectContaining({
            sheet: SITE,
            at: 'W1',
            values: [
              [
                'Funding source (computed)',
                'Allocated',
                'Planned',
                'Remaining',
                'FTE allocated',
                'FTE planned',
                'FTE remaining',
              ],
              ['General fund', 100000, 3500, 96500, null, 0, null],
              ['Site total', 100000, 3500, 96500, 0, 0, 0],
            ],
          }),
        ]);
      },
    },
  ),
  plan(
    operations.validateRows,
    { sheet: SITE, from: 0, to: 2 },
    {
      what: 'checks only the edited rows (never the header) and clears just those',
      workbook: 'fatal',
      user: null,
      ok: false,
      codes: ['BL104'],
      summary: /^1 finding in rows 2–3\.$/,
      write: (w) => expect(w.clearMarks).toEqual([{ sheet: SITE, from: 1, to: 2 }]),
    },
  ),
  plan(
    operations.validateRows,
    { sheet: SHEETS.codes, from: 3, to: 3 },
    {
      what: 'leaves a sheet that is not a site sheet alone',
      workbook: 'draft',
      user: null,
      ok: true,
      codes: [],
      summary: /is not a site sheet: nothing to check/,
    },
  ),
  plan(
    operations.status,
    { site: '001' },
    {
      what: 'shows status without writing',
      workbook: 'submitted',
      user: APPROVER,
      ok: true,
      codes: [],
      summary: /^1 site; 001 is submitted\.$/,
    },
  ),
  plan(
    operations.submit,
    { site: '001' },
    {
      what: 'refuses to submit while a fatal finding stands',
      workbook: 'fatal',
      user: BUILDER,
      ok: false,
      codes: ['BL605'],
      summary: /was not submitted/,
    },
  ),
  plan(
    operations.submit,
    { site: '001' },
    {
      what: 'submits: state, audit row and protection in one write',
      workbook: 'draft',
      user: BUILDER,
      ok: true,
      codes: [],
      summary: /^Lincoln Elementary submitted for approval\.$/,
      write: (w) => {
        expect(newState(w).sites['001']?.state).toBe('submitted');
        expect(newState(w).lastAuditHash).not.toBe(GENESIS_HASH);
        // the copy kept at submission, which approve compares the site with
        expect(sheetsOf(w)).toEqual([SHEETS.audit, SHEETS.submitted]);
        expect(w.sheets?.[1]?.values).toEqual([
          ['Site', 'Content hash', 'Account', 'Cents', 'FTE (thousandths)', 'Description'],
          ['001', expect.stringMatching(/^[0-9a-f]{64}$/), '100-1000-610-100-001', 350000, 0, 'Supplies'],
        ]);
        // who may still edit it where a host keeps editors (Sheets): the site's approvers and the CFO
        expect(w.protect).toEqual([
          {
            sheet: SITE,
            reason: expect.stringMatching(/^Submitted/),
            editors: ['approver@district.k12.us', 'cfo@district.k12.us'],
          },
        ]);
      },
    },
  ),
  plan(
    operations.approve,
    { site: '001' },
    {
      what: 'refuses an approval by the one who submitted (a builder of the site, too)',
      workbook: 'submitted',
      user: BUILDER,
      ok: false,
      codes: ['BL602', 'BL603', 'BL625'],
      summary: /was not approved: 3 reasons below/,
    },
  ),
  plan(
    operations.approve,
    { site: '001' },
    {
      what: 'approves: the approved copy of the lines goes with the state',
      workbook: 'submitted',
      user: APPROVER,
      ok: true,
      codes: [],
      summary: /^Lincoln Elementary approved\.$/,
      write: (w) => {
        expect(newState(w).sites['001']?.state).toBe('approved');
        expect(sheetsOf(w)).toEqual([SHEETS.audit, SHEETS.approved]);
      },
    },
  ),
  plan(
    operations.approve,
    { site: '001' },
    {
      what: 'refuses to approve a site changed since submission, naming each changed line',
      workbook: 'changed since submit',
      user: APPROVER,
      ok: false,
      codes: ['BL635', 'BL636', 'BL636'],
      summary: /^Lincoln Elementary was not approved: 3 reasons below\.$/,
    },
  ),
  plan(
    operations.approve,
    { site: '001' },
    {
      what: 'refuses to approve a site changed since submission, naming the hashes when the copy was edited too',
      workbook: 'changed, copy edited',
      user: APPROVER,
      ok: false,
      codes: ['BL635'],
      summary: /was not approved: one reason below/,
    },
  ),
  plan(
    operations.returnBudget,
    { site: '001', comment: 'Please resubmit: Supplies changed after you submitted.' },
    {
      what: 'still returns a site changed since submission',
      workbook: 'changed since submit',
      user: APPROVER,
      ok: true,
      codes: [],
      summary: /returned for changes/,
      write: (w) => expect(newState(w).sites['001']?.state).toBe('returned'),
    },
  ),
  plan(
    operations.returnBudget,
    { site: '001', comment: '' },
    {
      what: 'refuses a return without a comment',
      workbook: 'submitted',
      user: APPROVER,
      ok: false,
      codes: ['BL604'],
      summary: /was not returned/,
    },
  ),
  plan(
    operations.submit,
    { site: '001' },
    {
      what: 'refuses a workflow step over a damaged document state, which it would overwrite',
      workbook: 'damaged state',
      user: BUILDER,
      ok: false,
      codes: ['BL820'],
      summary: /record of approvals cannot be read/,
    },
  ),
  plan(
    operations.consolidate,
    { unapproved: 'exclude' },
    {
      what: 'refuses consolidation to anyone but the CFO',
      workbook: 'approved',
      user: BUILDER,
      ok: false,
      codes: ['BL811'],
      summary: /^Nothing was consolidated: .* may not consolidate the district budget/,
    },
  ),
  plan(
    operations.consolidate,
    { unapproved: 'exclude' },
    {
      what: 'writes the Master Budget, replacing it',
      workbook: 'approved',
      user: CFO,
      ok: true,
      codes: [],
      summary: /^Master Budget written: 1 site, 0 sites not approved \(left out\); control totals agree\.$/,
      write: (w) => {
        expect(new Set(sheetsOf(w))).toEqual(new Set([SHEETS.master]));
        expect(w.sheets?.[0]).toMatchObject({ at: 'A1', replace: true });
      },
    },
  ),
  plan(
    operations.exportBudget,
    { format: 'quickbooks' },
    {
      what: 'refuses an unknown export format',
      workbook: 'approved',
      user: CFO,
      ok: false,
      codes: ['BL805'],
      summary: /^Nothing was exported\.$/,
    },
  ),
  plan(
    operations.exportBudget,
    { format: 'generic-csv' },
    {
      what: 'exports without writing to the workbook',
      workbook: 'approved',
      user: CFO,
      ok: true,
      codes: [],
      summary: /^1 line exported \(.*\), total \$3,500\.00\.$/,
    },
  ),
  plan(
    operations.verify,
    {},
    {
      what: 'refuses verification to anyone but the CFO',
      workbook: 'approved',
      user: APPROVER,
      ok: false,
      codes: ['BL811'],
      summary: /may not verify the approvals/,
    },
  ),
  plan(
    operations.verify,
    {},
    {
      what: 'verifies the audit chain and the approved site, writing nothing',
      workbook: 'approved',
      user: CFO,
      ok: true,
      codes: [],
      summary: /^Audit log intact \(2 entries\); 1 approved site unchanged\.$/,
    },
  ),
  plan(
    operations.verify,
    {},
    {
      what: 'catches a document state deleted after workflow steps (read as empty, no finding on its own)',
      workbook: 'lost state',
      user: CFO,
      ok: false,
      codes: ['BL628'],
      summary: /^Verification found 1 problem\.$/,
    },
  ),
  plan(
    operations.validateSites,
    {},
    {
      what: 'refuses to validate a district workbook whose Setup sheet was deleted, changing no mark',
      workbook: 'setup deleted',
      user: BUILDER,
      ok: false,
      codes: ['BL628'],
      summary: /^Nothing was validated and no mark was changed/,
    },
  ),
  plan(
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2028, district: 'Someone Else ISD' },
    {
      what: 'refuses a new workbook over a district whose Setup sheet was deleted (Roles, Sites, Audit stay)',
      workbook: 'setup deleted',
      user: BUILDER,
      ok: false,
      codes: ['BL807'],
      summary: /^Nothing was changed: this workbook is already a district workbook\.$/,
    },
  ),
  plan(
    operations.importLines,
    { site: '001', rows: [GOOD] },
    {
      what: 'refuses an import into an approved site',
      workbook: 'approved',
      user: BUILDER,
      ok: false,
      codes: ['BL821'],
      summary: /^Nothing was imported: the 001 budget is approved/,
    },
  ),
  plan(
    operations.importLines,
    { site: 'nowhere', rows: [GOOD] },
    {
      what: 'refuses an import into an unknown site',
      workbook: 'draft',
      user: BUILDER,
      ok: false,
      codes: ['BL802'],
      summary: /there is no site "nowhere"/,
    },
  ),
  plan(
    operations.importLines,
    { site: 'lincoln elementary', rows: [BAD], source: 'erp.csv' },
    {
      what: 'appends the lines and marks what is wrong with them, in one write',
      workbook: 'draft',
      user: BUILDER,
      ok: false,
      codes: ['BL104'],
      summary:
        /^Imported 1 line from erp\.csv into "Lincoln Elementary" \(after the lines already there\)\. 1 site checked/,
      write: (w) => {
        expect(w.sheets).toEqual([
          expect.objectContaining({ sheet: SITE, at: 'A3', values: [BAD] }),
          expect.objectContaining({
            sheet: SITE,
            at: 'S1',
            values: [
              ['Cost (computed)', 'Cost, Account (computed)', 'Cost, Account 2 (computed)'],
              [3500, 3500, null],
              [null, null, null],
            ],
          }),
          expect.objectContaining({ sheet: SITE, at: 'W1' }),
        ]);
        expect(w.marks).toEqual([expect.objectContaining({ sheet: SITE, cell: 'B3' })]);
      },
    },
  ),
];

describe('operations as plans: snapshot in, result and write batch out', () => {
  it.each(TABLE.map((r) => [r.what, r] as const))('%s', async (_, r) => {
    const snap = await snapshotFor(r.workbook, r.op as Operation<unknown, OperationResult>, r.args, r.user);
    const out = r.run(snap);
    expect(out.result.ok).toBe(r.ok);
    expect(out.result.diagnostics.map((d) => d.code)).toEqual(r.codes);
    expect(out.result.summary).toMatch(r.summary);
    if (r.write) {
      expect(out.write).toBeDefined();
      r.write(out.write as WriteBatch);
    } else expect(out.write).toBeUndefined();
    // Pure: the same snapshot gives the same outcome.
    expect(r.run(snap)).toEqual(out);
  });

  it('rolls forward without writing this workbook: next year is a batch in the result', async () => {
    const snap = await snapshotFor('approved', operations.rollForward, { salaryIncrease: 3 }, null);
    const { result, write } = operations.rollForward.run(snap, { salaryIncrease: 3 }, options);
    expect(write).toBeUndefined();
    expect(result).toMatchObject({ ok: true, fiscalYear: 2028 });
    expect(result.next?.state).toEqual({ version: 1, sites: {}, lastAuditHash: GENESIS_HASH });
    expect(result.next?.sheets?.find((s) => s.sheet === SHEETS.setup)?.values).toContainEqual([
      'Fiscal Year',
      2028,
    ]);
  });

  it('validate reports text too long for a cell (marked) and stale formula results (reported, not marked)', async () => {
    const snap = await snapshotFor('draft', operations.validateSites, {}, CFO);
    const long = row({
      Type: 'Line',
      Account: '100-1000-610-100-001',
      Description: 'x'.repeat(40_000),
      Amount: 1,
    });
    const grid = [...(snap.sheets[SITE] ?? []), long];
    const col = (h: (typeof SITE_HEADER)[number]): string => String.fromCharCode(65 + SITE_HEADER.indexOf(h));
    const withCells: Snapshot = {
      ...snap,
      sheets: { ...snap.sheets, [SITE]: grid },
      formulas: { [SITE]: [`${col('Amount')}2`] },
    };
    const { result, write } = operations.validateSites.run(withCells, {}, options);
    const found = result.diagnostics.filter((d) => d.code === 'BL013' || d.code === 'BL014');
    expect(found.map((d) => [d.code, d.sheet, d.cell])).toEqual([
      ['BL013', SITE, `${col('Description')}3`],
      ['BL014', SITE, `${col('Amount')}2`],
    ]);
    expect(write?.marks?.filter((m) => m.sheet === SITE).map((m) => m.cell)).toEqual([
      `${col('Description')}3`,
    ]);
  });

  it("status shows the approver what changed since submission before they press Approve, as approve's refusal names it", async () => {
    const args = { site: '001' };
    const snap = await snapshotFor('changed since submit', operations.status, args, APPROVER);
    const { result, write } = operations.status.run(snap, args, options);
    expect(write).toBeUndefined();
    const findings = result.view?.site?.findings ?? [];
    expect(findings.map((d) => d.code)).toEqual(['BL635', 'BL636', 'BL636']);
    expect(findings.map((d) => d.message).join('\n')).toMatch(
      /is now 100-1000-610-100-001 \$9,500\.00 "Supplies"[\s\S]*line added: 100-1000-610-100-001 \$800\.00 "Field trip"/,
    );
    const refused = operations.approve.run(snap, args, options).result;
    expect(refused.diagnostics).toEqual(findings);
    // Approve is not offered on a changed site; return is (the way on: the principal resubmits).
    expect(result.view?.site?.can).toMatchObject({ approve: false, return: true });
    // Unchanged: nothing to show, and Approve is offered.
    const clean = await snapshotFor('submitted', operations.status, args, APPROVER);
    const unchanged = operations.status.run(clean, args, options).result.view?.site;
    expect(unchanged?.findings).toEqual([]);
    expect(unchanged?.can).toMatchObject({ approve: true, return: true });
  });

  it('shows the buttons the permission predicate allows', async () => {
    const buttons = async (kind: Workbook, user: PortUser): Promise<unknown> => {
      const snap = await snapshotFor(kind, operations.status, { site: '001' }, user);
      return operations.status.run(snap, { site: '001' }, options).result.view.site?.can;
    };
    const none = { submit: false, approve: false, return: false, reopen: false };
    expect(await buttons('draft', BUILDER)).toEqual({ ...none, submit: true });
    expect(await buttons('submitted', BUILDER)).toEqual(none);
    expect(await buttons('submitted', APPROVER)).toEqual({ ...none, approve: true, return: true });
    expect(await buttons('approved', CFO)).toEqual({ ...none, reopen: true });
    // The names a host without single sign-on offers to pick from: everyone in Roles, once each.
    const snap = await snapshotFor('draft', operations.status, {}, null);
    expect(operations.status.run(snap, {}, options).result.view.people).toEqual([
      CFO.email,
      BUILDER.email,
      APPROVER.email,
    ]);
  });
});

describe('the drivers', () => {
  it('read once, run, and write only when the plan has a write', async () => {
    const port = await district('fatal');
    port.resetCounts();
    await runOperation(port, operations.validateSites, {}, options);
    expect(port.roundTrips).toEqual({ reads: 1, writes: 1 });
    port.resetCounts();
    port.user = BUILDER;
    await runOperation(port, operations.submit, { site: '001' }, options);
    expect(port.roundTrips).toEqual({ reads: 1, writes: 0 });
  });

  it('runOperationSync gives the same result from a synchronous port', async () => {
    const port = await district('fatal');
    const writes: WriteBatch[] = [];
    const snap = await port.read(operations.validateSites.reads({}));
    const sync = { readSync: () => snap, writeSync: (w: WriteBatch) => void writes.push(w) };
    const r = runOperationSync(sync, operations.validateSites, {}, options);
    expect(r).toEqual(await runOperation(port, operations.validateSites, {}, options));
    expect(writes).toHaveLength(1);
  });
});
