/**
 * The CFO's views in the BUILT task pane (dist/excel-addin) in Chromium over the fake Office.js:
 * ranked proposals with leadership's decisions (reached by keyboard alone), the scenario comparison,
 * budget vs actual vs forecast, and import by site from a picked CSV — one Excel.run sync to read per
 * view, one read and one write per decision or import, and axe-core at zero violations with each open.
 */
import type { Server } from 'node:http';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { SHEETS } from '../../core';
import { BUILDER, CFO, SITE_SHEET, districtSheets, siteColumn } from './district';
import { axeViolations } from './axe';
import { DIST, launch, openPane, serveDist } from './browser';
import type { FakeCellValue, FakeOffice } from './fake/fake-office';
import { cfoSheets } from '../fixtures/cfo-views';

jest.setTimeout(120_000);

type FakeWindow = Window & { __fake: FakeOffice };
const describeBuilt = existsSync(join(DIST, 'taskpane.html')) ? describe : describe.skip;

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

async function sheets(): Promise<Record<string, FakeCellValue[][]>> {
  const extra = Object.fromEntries(
    Object.entries(cfoSheets()).map(([name, grid]) => [
      name,
      grid.map((row) =>
        row.map((v): FakeCellValue =>
          v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : v,
        ),
      ),
    ]),
  );
  return { ...(await districtSheets()), ...extra };
}

async function open(email: string): Promise<{ page: Page; errors: string[] }> {
  const pane = await openPane(browser, url, { sheets: await sheets() });
  await pane.page.waitForSelector('#site option', { state: 'attached' });
  await pane.page.selectOption('#act-as', email);
  await pane.page.waitForFunction(
    (e) => document.getElementById('user')?.textContent?.includes(e as string),
    email,
  );
  return pane;
}

const syncs = (page: Page): Promise<number> =>
  page.evaluate(() => (window as unknown as FakeWindow).__fake.book.stats.syncs);
const resetStats = (page: Page): Promise<void> =>
  page.evaluate(() => (window as unknown as FakeWindow).__fake.resetStats());

/** Presses Tab until `selector` has the focus (at most 120 times). */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} cannot be reached with Tab`);
}

/** Runs `act`, then waits until the panel's status line has a result (not "Working…"). */
async function settle(page: Page, status: string, act: () => Promise<void>): Promise<string> {
  await page.evaluate((s) => {
    const el = document.querySelector(s);
    if (el) el.textContent = '';
  }, status);
  await act();
  await page.waitForFunction((s) => {
    const t = document.querySelector(s)?.textContent ?? '';
    return t !== '' && t !== 'Working…';
  }, status);
  return (await page.textContent(status)) ?? '';
}

/** A picture of the views under dist/screenshots; docs/screenshots too with UPDATE_SCREENSHOTS=1. */
async function shot(page: Page, name: string): Promise<void> {
  const dirs = [join(__dirname, '..', '..', 'dist', 'screenshots')];
  if (process.env['UPDATE_SCREENSHOTS'] === '1')
    dirs.push(join(__dirname, '..', '..', 'docs', 'screenshots'));
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    await page.locator('#cfo').screenshot({ path: join(dir, name), animations: 'disabled', caret: 'hide' });
  }
}

async function noViolations(page: Page, state: string): Promise<void> {
  expect({ state, violations: await axeViolations(page) }).toEqual({ state, violations: [] });
}

const rows = (page: Page, box: string): Promise<string[][]> =>
  page.$$eval(`${box} tbody tr`, (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));

describeBuilt('the CFO views in the built task pane', () => {
  it('shows the ranked proposals and lets the CFO decide by keyboard alone: a reason is required', async () => {
    const { page, errors } = await open(CFO.email);
    await resetStats(page);
    await settle(page, '#cfo-proposals-status', () => page.click('#cfo-proposals-load'));
    expect(await syncs(page)).toBe(1);
    const table = await rows(page, '#cfo-proposals-table');
    expect(table.map((r) => r[1])).toEqual(['P-01', 'P-02', 'P-04', 'P-03', 'P-05']);
    expect(table[0]?.slice(0, 7)).toEqual([
      '1',
      'P-01',
      'Reading curriculum',
      'Lincoln Elementary',
      'Addition',
      'Student-facing',
      '4.60 (2 reviewers)',
    ]);
    expect(await page.textContent('#cfo-funding-line')).toMatch(
      /^Funding line: \$[\d,.]+ available \(the lowest margin above the reserve minimum/,
    );
    expect(await page.isVisible('#cfo-decision')).toBe(true);
    expect(await page.isVisible('#cfo-read-only')).toBe(false);
    await noViolations(page, 'proposals, CFO');
    await shot(page, 'excel-proposals.png');

    // keyboard only: from the tab list to the proposal, the reason and the buttons
    await tabTo(page, '#cfo-tab-proposals');
    await tabTo(page, '#cfo-decide-proposal');
    await page.keyboard.type('P-02');
    expect(await page.inputValue('#cfo-decide-proposal')).toBe('P-02');
    await tabTo(page, '#cfo-decide-reject');
    await resetStats(page);
    const refused = await settle(page, '#cfo-proposals-status', () => page.keyboard.press('Enter'));
    expect(refused).toMatch(/P-02 was not rejected: a decision needs a reason/);
    expect(await page.textContent('#cfo-proposals-findings')).toMatch(/BL904/);
    expect(await syncs(page)).toBe(1); // read, refused: nothing written
    await noViolations(page, 'decision refused');

    await tabTo(page, '#cfo-decide-reason');
    await page.keyboard.type('Counselors come first this year');
    await tabTo(page, '#cfo-decide-accept');
    await resetStats(page);
    const accepted = await settle(page, '#cfo-proposals-status', () => page.keyboard.press('Space'));
    expect(accepted).toMatch(/Proposal P-02 \(Two more counselors\) accepted by cfo@district\.k12\.us/);
    // one read, one write; a step that extends the audit chain re-reads its head just before writing
    expect(await syncs(page)).toBe(3);
    const after = await rows(page, '#cfo-proposals-table');
    expect(after.find((r) => r[1] === 'P-02')?.[12]).toBe('Accepted: Counselors come first this year');
    const sheet = await page.evaluate(
      (s) => (window as unknown as FakeWindow).__fake.values(s),
      SHEETS.proposals,
    );
    const header = sheet[0] ?? [];
    const p02 = sheet.find((r) => r[0] === 'P-02') ?? [];
    expect(p02[header.indexOf('Status')]).toBe('accepted');
    expect(p02[header.indexOf('Decision reason')]).toBe('Counselors come first this year');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows a budget owner the same list read-only, without decision buttons', async () => {
    const { page, errors } = await open(BUILDER.email);
    await settle(page, '#cfo-proposals-status', () => page.click('#cfo-proposals-load'));
    expect((await rows(page, '#cfo-proposals-table')).length).toBe(5);
    expect(await page.isVisible('#cfo-decision')).toBe(false);
    expect(await page.isVisible('#cfo-read-only')).toBe(true);
    await noViolations(page, 'proposals, read-only');

    // the owner submits the site's draft (propose): one read, the chain head's re-read, one write
    expect(await page.isVisible('#cfo-propose')).toBe(true);
    expect(await page.$$eval('#cfo-propose-proposal option', (os) => os.map((o) => o.textContent))).toEqual([
      'P-05 — Tablets',
    ]);
    await resetStats(page);
    const submitted = await settle(page, '#cfo-proposals-status', () => page.click('#cfo-propose-go'));
    expect(submitted).toMatch(/P-05/);
    expect(await syncs(page)).toBe(3);
    expect((await rows(page, '#cfo-proposals-table')).find((r) => r[1] === 'P-05')?.[12]).toBe('Submitted');
    expect(await page.isVisible('#cfo-propose')).toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('compares the scenarios and shows budget vs actual vs forecast, one read each, flags in words', async () => {
    const { page, errors } = await open(CFO.email);
    await page.focus('#cfo-tab-proposals');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cfo-tab-scenarios');
    expect(await page.isVisible('#cfo-panel-scenarios')).toBe(true);
    expect(await page.isVisible('#cfo-panel-proposals')).toBe(false);
    // the ARIA tabs pattern: one tab in the Tab order, each panel labelled by its tab
    expect(
      await page.$$eval('#cfo-views [role=tab]', (ts) =>
        ts.map((t) => [t.id, t.getAttribute('aria-selected'), (t as HTMLElement).tabIndex]),
      ),
    ).toEqual([
      ['cfo-tab-proposals', 'false', -1],
      ['cfo-tab-scenarios', 'true', 0],
      ['cfo-tab-actuals', 'false', -1],
      ['cfo-tab-import', 'false', -1],
    ]);
    for (const id of ['proposals', 'scenarios', 'actuals', 'import']) {
      expect(await page.getAttribute(`#cfo-tab-${id}`, 'aria-controls')).toBe(`cfo-panel-${id}`);
      expect(await page.getAttribute(`#cfo-panel-${id}`, 'aria-labelledby')).toBe(`cfo-tab-${id}`);
    }
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cfo-tab-import');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cfo-tab-scenarios');
    await resetStats(page);
    await settle(page, '#cfo-scenarios-status', () => page.click('#cfo-scenarios-load'));
    expect(await syncs(page)).toBe(1);
    const heads = await page.$$eval('#cfo-scenarios-tables table:last-child thead th', (ths) =>
      ths.map((t) => t.textContent),
    );
    expect(heads).toEqual(['Year and measure', 'Base', 'With accepted', 'Lean']);
    const all = await rows(page, '#cfo-scenarios-tables table:last-child');
    expect(all.map((r) => r[0])).toContain('FY2029 per pupil');
    expect(all).toHaveLength(18);
    await noViolations(page, 'scenarios');

    // the CFO adopts a scenario, by keyboard: a reason is required
    await tabTo(page, '#cfo-adopt-scenario');
    await page.keyboard.type('Lean');
    await tabTo(page, '#cfo-adopt-go');
    const noReason = await settle(page, '#cfo-scenarios-status', () => page.keyboard.press('Enter'));
    expect(noReason).toMatch(/"Lean" was not adopted/);
    expect(await page.textContent('#cfo-scenarios-findings')).toMatch(/BL918/);
    await tabTo(page, '#cfo-adopt-reason');
    await page.keyboard.type('Enrollment is falling');
    await tabTo(page, '#cfo-adopt-go');
    await resetStats(page);
    const adopted = await settle(page, '#cfo-scenarios-status', () => page.keyboard.press('Enter'));
    expect(adopted).not.toMatch(/not adopted/);
    expect(await syncs(page)).toBe(3);
    await noViolations(page, 'scenario adopted');

    await page.focus('#cfo-tab-scenarios');
    await page.keyboard.press('ArrowRight');
    await resetStats(page);
    await settle(page, '#cfo-actuals-status', () => page.click('#cfo-actuals-load'));
    expect(await syncs(page)).toBe(1);
    expect(await page.textContent('#cfo-as-of')).toBe(
      'Actuals as of 2027-03-31; forecast to the end of FY2027.',
    );
    const flagged = await rows(page, '#cfo-actuals-lines');
    const over = flagged.find((r) => r[1] === '100-1000-610-100-001');
    expect(over?.[7]).toMatch(/^\S+Warning: Over budget by \$400\.00/);
    expect(flagged.find((r) => r[1] === '100-2700-610-100-001')?.[7]).toMatch(
      /Warning: Actuals with no budget/,
    );
    const icon = page.locator('#cfo-actuals-lines .bl-flag .bl-icon').first();
    expect(await icon.getAttribute('aria-hidden')).toBe('true');
    expect((await rows(page, '#cfo-actuals-sites'))[0]?.[0]).toBe('Lincoln Elementary (001)');
    await noViolations(page, 'budget vs actual vs forecast');
    await shot(page, 'excel-actuals.png');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('imports by site from a picked CSV: every problem listed and nothing written, then all at once', async () => {
    const { page, errors } = await open(CFO.email);
    await page.focus('#cfo-tab-proposals');
    await page.keyboard.press('End');
    expect(await page.isVisible('#cfo-panel-import')).toBe(true);
    const before = await page.evaluate((s) => (window as unknown as FakeWindow).__fake.values(s), SITE_SHEET);
    const bad = [
      'Site,Account,Description,Amount',
      '001,100-1000-610-100-001,Paper,"$1,200.00"',
      '999,100-1000-610-100-001,Pens,40',
      '001,100-1000-999-100-001,Bad object,10',
    ].join('\r\n');
    await page.setInputFiles('#cfo-import-file', {
      name: 'erp.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(bad, 'utf8'),
    });
    await resetStats(page);
    const refused = await settle(page, '#cfo-import-status', () => page.click('#cfo-import-go'));
    expect(refused).toMatch(/^Nothing was imported/);
    expect(await syncs(page)).toBe(1);
    const problems = await page.$$eval('#cfo-import-findings li', (lis) =>
      lis.map((l) => l.textContent ?? ''),
    );
    expect(problems.some((p) => p.includes('erp.csv!A3'))).toBe(true);
    expect(problems.some((p) => p.includes('erp.csv!D2'))).toBe(true);
    expect(problems.length).toBeGreaterThanOrEqual(3);
    expect(
      await page.evaluate((s) => (window as unknown as FakeWindow).__fake.values(s), SITE_SHEET),
    ).toEqual(before);
    await noViolations(page, 'import refused');

    const good = [
      'Site,Account,Description,Amount',
      '001,100-1000-610-100-001,Paper,1200',
      '001,100-1000-640-100-001,Journals,80',
    ].join('\n');
    await page.setInputFiles('#cfo-import-file', {
      name: 'erp.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(good, 'utf8'),
    });
    await resetStats(page);
    const done = await settle(page, '#cfo-import-status', () => page.click('#cfo-import-go'));
    expect(done).not.toMatch(/^Nothing was imported/);
    expect(await syncs(page)).toBe(2);
    expect(await rows(page, '#cfo-import-report')).toEqual([
      ['001', SITE_SHEET, '2', 'Added after the lines there'],
    ]);
    const after = await page.evaluate((s) => (window as unknown as FakeWindow).__fake.values(s), SITE_SHEET);
    const account = siteColumn('Account').charCodeAt(0) - 65;
    expect(after.slice(-2).map((r) => r[account])).toEqual(['100-1000-610-100-001', '100-1000-640-100-001']);
    await noViolations(page, 'import done');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('imports by site from a picked .xlsx (its first sheet, numbers as numbers)', async () => {
    const { page, errors } = await open(CFO.email);
    await page.click('#cfo-tab-import');
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet('Extract');
    ws.addRow(['Site', 'Account', 'Description', 'Amount']);
    ws.addRow(['001', '100-1000-610-100-001', 'Art paper', 310.5]);
    ws.addRow(['Lincoln Elementary', '100-1000-640-100-001', 'Atlases', 95]);
    const buffer = Buffer.from(await book.xlsx.writeBuffer());
    await page.setInputFiles('#cfo-import-file', {
      name: 'erp.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer,
    });
    await resetStats(page);
    await settle(page, '#cfo-import-status', () => page.click('#cfo-import-go'));
    // no problem in the file (the site sheet's own finding, row 3, is listed after the import's validation)
    expect(await page.textContent('#cfo-import-findings')).not.toMatch(/erp\.xlsx/);
    expect(await syncs(page)).toBe(2);
    expect(await rows(page, '#cfo-import-report')).toEqual([
      ['001', SITE_SHEET, '2', 'Added after the lines there'],
    ]);
    const after = await page.evaluate((s) => (window as unknown as FakeWindow).__fake.values(s), SITE_SHEET);
    const amount = siteColumn('Amount').charCodeAt(0) - 65;
    expect(after.slice(-2).map((r) => r[amount])).toEqual([310.5, 95]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
