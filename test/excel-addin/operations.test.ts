/**
 * The operations over ExcelPort on the fake: each user action is one sync to read and at most one
 * to write (plus one settings save when document state or marks change).
 */
import {
  GENESIS_HASH,
  operations,
  runOperation,
  type DocumentState,
  type OperationOptions,
  type OperationResult,
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
      submit: 2,
      approve: 2,
      consolidate: 2,
      exportBudget: 1,
      reopen: 2,
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
