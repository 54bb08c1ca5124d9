/**
 * The Board section (issue 15): the operations over ExcelPort on the fake Office.js in Node (one read
 * and one write sync each), and the BUILT task pane in Chromium: the CFO adopts, an amendment is
 * approved and applied, the board does not adopt and every site is reopened; axe finds nothing.
 */
import type { Server } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  EXPORT_SHEET,
  exportWhat,
  operations,
  runOperation,
  type CellValue,
  type OperationOptions,
} from '../../core';
import { toSheet } from '../../excel-addin/src/export';
import { ExcelPort } from '../../excel-addin/src/port';
import { draftArgs } from '../../core/views/board';
import { amendmentsGrid, approvedDistrict, PEOPLE } from '../fixtures/board';
import { axeViolations } from './axe';
import { DIST, launch, openPane, serveDist } from './browser';
import type { FakeCellValue, FakeOffice, FakeOptions } from './fake/fake-office';
import { install } from './helpers';
import { draftByKeyboard, draftOffer } from './draft-form';

jest.setTimeout(90_000);

type FakeWindow = Window & { __fake: FakeOffice };

const AMENDMENT: CellValue[] = [
  'A-1',
  '001',
  '100-1000-610-100-001; 100-2220-640-100-001',
  '-200.00; 200.00',
  'Move supplies money to library books',
  '',
  '',
  PEOPLE.builder,
];

/** Both sites approved (sheets and the stored state), with an amendment typed in, for the fake. */
function approvedWorkbook(): FakeOptions {
  const book = approvedDistrict(operations);
  book.setSheet('Amendments', amendmentsGrid([AMENDMENT]));
  const sheets: Record<string, FakeCellValue[][]> = {};
  for (const name of book.names)
    sheets[name] = (book.sheets[name] ?? []).map((r) =>
      [...r].map((v) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : v)),
    );
  return { sheets, settings: { 'budgetline.state': book.state } };
}

const as = (email: string): OperationOptions => ({
  now: () => '2026-06-18T20:00:00.000Z',
  actAs: { email, verified: false },
});

describe('board operations over ExcelPort', () => {
  it('adopts (one read, the head re-read, one write), approves and applies an amendment', async () => {
    const fake = install(approvedWorkbook());
    const port = new ExcelPort({ sso: false });
    await port.read({});
    fake.resetStats();
    const r = await runOperation(
      port,
      operations.adopt,
      { date: '2026-06-18', resolution: '2026-14' },
      as(PEOPLE.cfo),
    );
    expect(r.ok).toBe(true);
    // one read, the chain head re-read just before writing, one write (as for approve)
    expect(fake.book.stats.syncs).toBe(3);
    expect(fake.sheetModel('Adopted Budget').protected).toBe(true);
    expect(fake.values('Adopted Budget').length).toBe(6);
    const a = await runOperation(
      port,
      operations.amend,
      { step: 'approve', id: 'A-1', resolution: '2026-22' },
      as(PEOPLE.approver),
    );
    expect(a.ok).toBe(true);
    const b = await runOperation(port, operations.amend, { step: 'apply', id: 'A-1' }, as(PEOPLE.cfo));
    expect(b.ok).toBe(true);
    expect(fake.values('Amendments')[1]?.[6]).toBe('applied');
    const v = await runOperation(port, operations.verify, {}, as(PEOPLE.cfo));
    expect(v.status).toBe('intact');
  });

  it('writes the FINAL budget after an amendment: the Master Budget and the Export sheet', async () => {
    const fake = install(approvedWorkbook());
    const port = new ExcelPort({ sso: false });
    const adopt = { date: '2026-06-18', resolution: '2026-14' };
    expect((await runOperation(port, operations.adopt, adopt, as(PEOPLE.cfo))).ok).toBe(true);
    const approve = { step: 'approve' as const, id: 'A-1', resolution: '2026-22' };
    expect((await runOperation(port, operations.amend, approve, as(PEOPLE.approver))).ok).toBe(true);
    const apply = { step: 'apply' as const, id: 'A-1' };
    expect((await runOperation(port, operations.amend, apply, as(PEOPLE.cfo))).ok).toBe(true);
    const c = await runOperation(port, operations.consolidate, { unapproved: 'exclude' }, as(PEOPLE.cfo));
    expect(c.ok).toBe(true);
    const master = fake.values('Master Budget');
    expect(String(master[0]?.[0])).toMatch(
      /^Budget: FINAL budget as of amendment A-1 \(resolution 2026-22\)/,
    );
    expect(master.some((r) => r[0] === 'Original → final reconciliation (by account class and fund)')).toBe(
      true,
    );
    // The pane's export where it cannot download: the same file on the Export sheet (export.ts).
    const e = await runOperation(port, operations.exportBudget, { format: 'generic-csv' }, as(PEOPLE.cfo));
    expect(e.ok && e.content !== undefined && e.rows !== undefined).toBe(true);
    await toSheet(port, { content: e.content ?? '', fileName: e.fileName ?? '', rows: e.rows ?? [] });
    const rows = fake.values(EXPORT_SHEET).map((r) => r.map(String));
    expect(rows).toContainEqual(['100-1000-610-100-001', '3300.00', 'Classroom supplies (amended by A-1)']);
    expect(rows).toContainEqual(['100-2220-640-100-001', '650.00', 'Library books (amended by A-1)']);
    expect(e.fileName).toBe('springfield-usd-fy2027-generic-csv-final-A-1.csv');
    // "Applied amendments only" (the pane's What to export): the changes alone, as signed amounts.
    const only = await runOperation(
      port,
      operations.exportBudget,
      { format: 'generic-csv', ...exportWhat('amendments') },
      as(PEOPLE.cfo),
    );
    expect(only.ok).toBe(true);
    expect(only.fileName).toBe('springfield-usd-fy2027-generic-csv-amendments-A-1.csv');
    expect(only.rows?.slice(1).map((r) => [r[0], r[1]])).toEqual([
      ['100-1000-610-100-001', '-200.00'],
      ['100-2220-640-100-001', '200.00'],
    ]);
  });
});

describe('Draft amendment over ExcelPort', () => {
  it('is amend --add from the form: one read, the chain head re-read, one write', async () => {
    const fake = install(approvedWorkbook());
    const port = new ExcelPort({ sso: false });
    await port.read({});
    expect(
      (
        await runOperation(
          port,
          operations.adopt,
          { date: '2026-06-18', resolution: '2026-14' },
          as(PEOPLE.cfo),
        )
      ).ok,
    ).toBe(true);
    fake.resetStats();
    const r = await runOperation(
      port,
      operations.amend,
      draftArgs({
        id: 'A-2',
        site: '002',
        lines: '100-1000-610-100-002 -5.00\n100-2700-610-100-002 5.00',
        reason: 'r',
      }),
      as(PEOPLE.builder),
    );
    expect(r.ok).toBe(true);
    expect(fake.book.stats.syncs).toBe(3);
    expect(fake.values('Amendments')[2]?.slice(0, 2)).toEqual(['A-2', '002']);
  });
});

const describeBuilt = existsSync(join(DIST, 'taskpane.html')) ? describe : describe.skip;

describeBuilt('the Board section of the built task pane in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    ({ server, url } = await serveDist());
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
  });

  async function pick(page: Page, email: string): Promise<void> {
    await page.selectOption('#act-as', email);
    await page.waitForFunction(
      (e) => document.getElementById('user')?.textContent?.includes(e as string),
      email,
    );
  }

  async function clickAndWait(page: Page, selector: string): Promise<string> {
    await page.evaluate(() => {
      const m = document.getElementById('message');
      if (m) m.textContent = '';
    });
    await page.click(selector);
    await page.waitForFunction(() => (document.getElementById('message')?.textContent ?? '') !== '');
    return (await page.textContent('#message')) ?? '';
  }

  it('lets the CFO adopt and apply an amendment the approver approved; axe finds nothing', async () => {
    const { page, errors } = await openPane(browser, url, approvedWorkbook());
    await page.waitForSelector('#site option', { state: 'attached' });
    expect(await page.isVisible('#board')).toBe(false);
    await pick(page, PEOPLE.cfo);
    await page.waitForSelector('#board:not([hidden])');
    expect(await page.textContent('#board-status')).toMatch(/Not adopted yet/);
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('#board-date', '2026-06-18');
    await page.fill('#board-resolution', '2026-14');
    expect(await clickAndWait(page, '#board-adopt')).toMatch(/^ADOPTED on 2026-06-18 \(resolution 2026-14\)/);
    await page.waitForFunction(() =>
      document.getElementById('board-status')?.textContent?.startsWith('ADOPTED'),
    );
    expect(await page.isVisible('#board-adopt')).toBe(false);
    expect(await page.isVisible('#board-reopen-all')).toBe(false);
    const adopted = await page.evaluate(() =>
      (window as unknown as FakeWindow).__fake.values('Adopted Budget'),
    );
    expect(adopted[0]).toEqual(['Site', 'Account', 'Description', 'FTE', 'Amount']);

    // The approver approves the amendment with its resolution; only the CFO applies it.
    await pick(page, PEOPLE.approver);
    await page.waitForSelector('#board-amend:not([hidden])');
    expect(await page.isVisible('#amend-apply')).toBe(false);
    await page.fill('#amend-resolution', '2026-22');
    expect(await clickAndWait(page, '#amend-approve')).toMatch(/Amendment A-1 .* approved by approver@/);
    await pick(page, PEOPLE.cfo);
    await page.waitForSelector('#amend-apply:not([hidden])');
    expect(await axeViolations(page)).toEqual([]);
    expect(await clickAndWait(page, '#amend-apply')).toMatch(/Amendment A-1 .* applied by cfo@/);
    await page.waitForFunction(() =>
      document.getElementById('amend-list')?.textContent?.includes('A-1 001: applied'),
    );
    expect(await page.isVisible('#board-amend')).toBe(false);
    // A second apply would be refused; the receipt of the step is shown.
    expect(await page.isVisible('#receipt')).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('lets a principal draft an amendment after adoption, by keyboard; axe finds nothing', async () => {
    const { page, errors } = await openPane(browser, url, approvedWorkbook());
    await page.waitForSelector('#site option', { state: 'attached' });
    await pick(page, PEOPLE.cfo);
    await page.waitForSelector('#board:not([hidden])');
    expect(await page.isVisible('#board-draft')).toBe(false);
    await page.fill('#board-date', '2026-06-18');
    await page.fill('#board-resolution', '2026-14');
    expect(await clickAndWait(page, '#board-adopt')).toMatch(/^ADOPTED/);
    await pick(page, PEOPLE.builder);
    // A-1 is typed on the sheet already: the next free ID is offered, and the principal's two sites.
    expect(await draftOffer(page)).toEqual({
      id: 'A-2',
      sites: ['Lincoln Elementary (001)', 'Washington Middle (002)'],
    });
    expect(await axeViolations(page)).toEqual([]);
    // Keyboard only: from the ID field, Tab through the site (the second), the lines and the reason.
    const message = await draftByKeyboard(page, {
      siteDown: 1,
      lines: ['100-2700-610-100-002 -50.00', '100-1000-610-100-002 50.00'],
      reason: 'Supplies for the new class',
      button: 'draft-go',
    });
    expect(message).toMatch(
      /^Amendment A-2 \(002: 100-2700-610-100-002 -\$50\.00, 100-1000-610-100-002 \+\$50\.00\) drafted by principal@/,
    );
    const rows = await page.evaluate(() => (window as unknown as FakeWindow).__fake.values('Amendments'));
    expect(rows[2]?.slice(0, 5)).toEqual([
      'A-2',
      '002',
      '100-2700-610-100-002; 100-1000-610-100-002',
      '-50.00; 50.00',
      'Supplies for the new class',
    ]);
    expect(rows[1]?.[0]).toBe('A-1');
    await page.waitForFunction(
      () => (document.getElementById('draft-id') as HTMLInputElement).value === 'A-3',
    );
    expect(await page.inputValue('#draft-lines')).toBe('');
    await page.waitForFunction(() =>
      document.getElementById('amend-list')?.textContent?.includes('A-2 002: drafted'),
    );
    const audit = await page.evaluate(() => (window as unknown as FakeWindow).__fake.values('Audit'));
    expect(audit.at(-1)?.slice(1, 4)).toEqual(['Amendment A-2', 'amend-draft', PEOPLE.builder]);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('records the board not adopting, then reopens every site', async () => {
    const { page, errors } = await openPane(browser, url, approvedWorkbook());
    await page.waitForSelector('#site option', { state: 'attached' });
    await pick(page, PEOPLE.cfo);
    await page.waitForSelector('#board:not([hidden])');
    expect(await clickAndWait(page, '#board-not-adopted')).toMatch(/not recorded|Nothing was recorded/);
    await page.fill('#board-comment', 'Cut 2% from supplies');
    expect(await clickAndWait(page, '#board-not-adopted')).toMatch(/^NOT ADOPTED/);
    await page.waitForFunction(() =>
      document.getElementById('board-status')?.textContent?.startsWith('NOT ADOPTED'),
    );
    await page.fill('#board-comment', 'The board asks for 2% less');
    expect(await clickAndWait(page, '#board-reopen-all')).toMatch(/001, 002 reopened for changes/);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'draft');
    const audit = await page.evaluate(() => (window as unknown as FakeWindow).__fake.values('Audit'));
    expect(audit.slice(-3).map((r) => [r[1], r[2]])).toEqual([
      ['District', 'not-adopted'],
      ['001', 'reopen'],
      ['002', 'reopen'],
    ]);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
