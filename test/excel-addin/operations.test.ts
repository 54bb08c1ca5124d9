/**
 * The operations over ExcelPort on the fake: each user action is one sync to read and at most one
 * to write (plus one settings save when document state or marks change).
 */
import {
  ChainHeadChangedError,
  GENESIS_HASH,
  operations,
  runOperation,
  type DocumentState,
  type OperationOptions,
  type OperationResult,
  type WorkbookPort,
} from '../../core';
import { ExcelPort } from '../../excel-addin/src/port';
import { APPROVER, BUILDER, CFO, SITE_SHEET, districtSheets, siteColumn } from './district';
import { install } from './helpers';

jest.setTimeout(30_000);

const as = (user: { email: string }): OperationOptions => ({
  now: () => '2026-11-28T10:00:00.000Z',
  actAs: { email: user.email, verified: false },
});

describe('operations over ExcelPort', () => {
  it('takes one read sync and at most one write sync per action, through the whole year', async () => {
    const fake = install({ sheets: await districtSheets() });
    const port = new ExcelPort({ sso: false });
    await port.read({});
    const syncs: Record<string, number> = {};
    async function step<T extends OperationResult>(name: string, run: () => Promise<T>): Promise<T> {
      fake.resetStats();
      const r = await run();
      syncs[name] = fake.book.stats.syncs;
      return r;
    }
    await step('status', () => runOperation(port, operations.status, { site: '001' }, as(BUILDER)));
    const v = await step('validateSites', () =>
      runOperation(port, operations.validateSites, {}, as(BUILDER)),
    );
    expect(v.ok).toBe(false);
    await fake.userEdit(SITE_SHEET, `${siteColumn('Account')}3`, [['100-2220-640-100-001']]);
    await step('validateRows', () =>
      runOperation(port, operations.validateRows, { sheet: SITE_SHEET, from: 2, to: 2 }, as(BUILDER)),
    );
    const s = await step('submit', () => runOperation(port, operations.submit, { site: '001' }, as(BUILDER)));
    expect(s.ok).toBe(true);
    expect(fake.sheetModel(SITE_SHEET).protected).toBe(true);
    const a = await step('approve', () =>
      runOperation(port, operations.approve, { site: '001' }, as(APPROVER)),
    );
    expect(a.ok).toBe(true);
    // workflow state and the audit chain's last hash are saved in the document's settings
    const saved = fake.book.savedSettings['budgetline.state'] as DocumentState;
    expect(saved.sites['001']?.state).toBe('approved');
    expect(saved.lastAuditHash).not.toBe(GENESIS_HASH);
    expect(fake.values('Audit').at(-1)?.join(' ')).toContain(saved.lastAuditHash);
    const c = await step('consolidate', () =>
      runOperation(port, operations.consolidate, { unapproved: 'exclude' }, as(CFO)),
    );
    expect(c.ok).toBe(true);
    const e = await step('exportBudget', () =>
      runOperation(port, operations.exportBudget, { format: 'generic-csv' }, as(CFO)),
    );
    expect(e.ok).toBe(true);
    const r = await step('reopen', () =>
      runOperation(port, operations.reopen, { site: '001', comment: 'Fix supplies' }, as(CFO)),
    );
    expect(r.ok).toBe(true);
    expect(fake.sheetModel(SITE_SHEET).protected).toBe(false);
    const ver = await step('verify', () => runOperation(port, operations.verify, {}, as(CFO)));
    expect(ver.ok).toBe(true);
    expect(syncs).toEqual({
      status: 1,
      validateSites: 2,
      validateRows: 2,
      // a step that extends the chain re-reads its head before writing: one more small read
      submit: 3,
      approve: 3,
      consolidate: 2, // writes the Master Budget, not the chain
      exportBudget: 1,
      reopen: 3,
      verify: 1,
    });
  });

  it("gives the core's refusals, the same as on the command line and in Sheets, and writes nothing", async () => {
    const fake = install({ sheets: await districtSheets() });
    const port = new ExcelPort({ sso: false });
    await fake.userEdit(SITE_SHEET, `${siteColumn('Account')}3`, [['100-2220-640-100-001']]);
    expect((await runOperation(port, operations.submit, { site: '001' }, as(BUILDER))).ok).toBe(true);
    expect((await runOperation(port, operations.approve, { site: '001' }, as(APPROVER))).ok).toBe(true);
    const before = fake.values(SITE_SHEET);
    const refusals: [string, () => Promise<OperationResult>, string][] = [
      [
        'import into an approved site',
        () =>
          runOperation(
            port,
            operations.importLines,
            { site: '001', rows: [['Line', '100-1000-610-100-001', 'Paper', null, null, 5]] },
            as(BUILDER),
          ),
        'BL821',
      ],
      [
        'a new workbook over the district workbook',
        () =>
          runOperation(
            port,
            operations.createWorkbook,
            { preset: 'nces', fiscalYear: 2028, district: 'Springfield USD' },
            as(CFO),
          ),
        'BL807',
      ],
      [
        'rebuilding it by someone not the CFO',
        () =>
          runOperation(
            port,
            operations.createWorkbook,
            { preset: 'nces', fiscalYear: 2028, district: 'Springfield USD', rebuild: true },
            as(APPROVER),
          ),
        'BL811',
      ],
      [
        'consolidate by a builder',
        () => runOperation(port, operations.consolidate, { unapproved: 'exclude' }, as(BUILDER)),
        'BL811',
      ],
      ['verify by an approver', () => runOperation(port, operations.verify, {}, as(APPROVER)), 'BL811'],
    ];
    for (const [what, run, code] of refusals) {
      fake.resetStats();
      const r = await run();
      expect([what, r.ok, r.diagnostics.map((d) => d.code)]).toEqual([what, false, [code]]);
      expect([what, fake.book.stats.syncs]).toEqual([what, 1]); // the read; no write
    }
    expect(fake.values(SITE_SHEET)).toEqual(before);
  });
});

describe('approve compares with what was submitted', () => {
  it('refuses to approve a site changed after submission (BL635, BL636 on the cell), writing nothing; return and resubmit, then it is approved', async () => {
    const fake = install({ sheets: await districtSheets() });
    const port = new ExcelPort({ sso: false });
    await fake.userEdit(SITE_SHEET, `${siteColumn('Account')}3`, [['100-2220-640-100-001']]);
    expect((await runOperation(port, operations.submit, { site: '001' }, as(BUILDER))).ok).toBe(true);
    // A co-author unprotects the sheet (Excel's protection has no password here) and raises an amount.
    const sheet = fake.book.sheet(SITE_SHEET);
    if (!sheet) throw new Error('no site sheet');
    sheet.protected = false;
    const amount = `${siteColumn('Amount')}2`;
    await fake.userEdit(SITE_SHEET, amount, [[9999]]);
    const audit = fake.values('Audit');
    fake.resetStats();
    const refused = await runOperation(port, operations.approve, { site: '001' }, as(APPROVER));
    expect(refused.ok).toBe(false);
    expect(refused.diagnostics.map((d) => d.code)).toEqual(['BL635', 'BL636']);
    // on the changed line's row (its account cell, as every line finding)
    expect(refused.diagnostics[1]).toMatchObject({ sheet: SITE_SHEET, cell: `${siteColumn('Account')}2` });
    expect(refused.diagnostics[1]?.message).toMatch(/ is now .*\$9,999\.00/);
    expect(fake.book.stats.syncs).toBe(1); // the read; nothing written
    expect(fake.values('Audit')).toEqual(audit);
    // Return stays possible; the principal submits it again as it stands, and it is approved.
    const comment = { ...as(APPROVER) };
    expect(
      (await runOperation(port, operations.returnBudget, { site: '001', comment: 'resubmit' }, comment)).ok,
    ).toBe(true);
    expect((await runOperation(port, operations.submit, { site: '001' }, as(BUILDER))).ok).toBe(true);
    expect((await runOperation(port, operations.approve, { site: '001' }, as(APPROVER))).ok).toBe(true);
  });
});

describe('co-authoring: the chain head is re-read just before writing', () => {
  it('refuses a step whose chain head moved since it read, writing nothing', async () => {
    const fake = install({ sheets: await districtSheets() });
    await fake.userEdit(SITE_SHEET, `${siteColumn('Account')}3`, [['100-2220-640-100-001']]);
    const mine = new ExcelPort({ sso: false });
    const coAuthor = new ExcelPort({ sso: false });
    let before: { audit: unknown[][]; site: unknown[][]; settings: unknown } | undefined;
    // Between this pane's read and its write, a co-author submits the same site from their own pane.
    const racing: WorkbookPort = {
      read: (request) => mine.read(request),
      write: async (batch) => {
        const theirs = await runOperation(coAuthor, operations.submit, { site: '001' }, as(BUILDER));
        expect(theirs.ok).toBe(true);
        before = {
          audit: fake.values('Audit'),
          site: fake.values(SITE_SHEET),
          settings: structuredClone(fake.book.savedSettings),
        };
        fake.resetStats();
        return mine.write(batch);
      },
    };
    const refused = runOperation(racing, operations.submit, { site: '001' }, as(BUILDER));
    await expect(refused).rejects.toThrow(ChainHeadChangedError);
    await expect(refused).rejects.toThrow(/changed by someone else.*nothing was written.*Run it again/);
    expect(fake.book.stats.syncs).toBe(1); // the head's read; no write
    expect(before).toBeDefined();
    expect(fake.values('Audit')).toEqual(before?.audit);
    expect(fake.values(SITE_SHEET)).toEqual(before?.site);
    expect(fake.book.savedSettings).toEqual(before?.settings);
    expect(fake.values('Audit').filter((r) => r.includes('submit'))).toHaveLength(1);

    // Run again: it reads the new head, and the core answers (already submitted), one audit row still.
    const again = await runOperation(mine, operations.submit, { site: '001' }, as(BUILDER));
    expect(again.ok).toBe(false);
    expect(fake.values('Audit').filter((r) => r.includes('submit'))).toHaveLength(1);
  });

  it('writes as before when nobody else changed the chain', async () => {
    const fake = install({ sheets: await districtSheets() });
    await fake.userEdit(SITE_SHEET, `${siteColumn('Account')}3`, [['100-2220-640-100-001']]);
    const port = new ExcelPort({ sso: false });
    const r = await runOperation(port, operations.submit, { site: '001' }, as(BUILDER));
    expect(r.ok).toBe(true);
    expect(fake.values('Audit').filter((row) => row.includes('submit'))).toHaveLength(1);
  });
});
