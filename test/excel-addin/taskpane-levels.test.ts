/**
 * The BUILT task pane in Chromium over the Office.js test double at older ExcelApi levels: Office
 * LTSC 2021 (1.14) has no notes, so findings are marked with fills and listed on the Findings sheet;
 * an Excel older than the manifest's minimum gets a plain message instead of failing writes.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { FINDINGS_HEADER, FINDINGS_SHEET } from '../../excel-addin/src/port';
import { APPROVER, BUILDER, CFO, SITE_SHEET, districtSheets, siteColumn } from './district';
import { launch, openPane, serveDist } from './browser';
import type { FakeOffice } from './fake/fake-office';

jest.setTimeout(90_000);

const ACCOUNT = siteColumn('Account');
type FakeWindow = Window & { __fake: FakeOffice };

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

describe('the built task pane at ExcelApi 1.14 (Office LTSC 2021: no notes)', () => {
  it('marks findings with fills and the Findings sheet, and exports', async () => {
    const { page, errors } = await openPane(browser, url, { sheets: await districtSheets(), excelApi: 14 });
    await page.waitForSelector('#site option', { state: 'attached' });
    expect(await page.textContent('#capability')).toMatch(/no cell notes .*Budgetline Findings/);
    expect(await page.isVisible('#capability')).toBe(true);
    await pick(page, BUILDER.email);

    expect(await clickAndWait(page, '#validate')).toMatch(/1 problem to fix/);
    await page.waitForSelector('#findings .bl-finding');
    const workbook = await page.evaluate(
      ([s, a, f]) => {
        const fake = (window as unknown as FakeWindow).__fake;
        return { cell: fake.cell(s as string, a as string), findings: fake.values(f as string) };
      },
      [SITE_SHEET, `${ACCOUNT}3`, FINDINGS_SHEET],
    );
    expect(workbook.cell.fill).toBe('#FFC7CE');
    expect(workbook.cell).not.toHaveProperty('note');
    expect(workbook.findings[0]).toEqual([...FINDINGS_HEADER]);
    expect(workbook.findings).toContainEqual([
      SITE_SHEET,
      `${ACCOUNT}3`,
      'fatal',
      expect.stringContaining('BL104'),
    ]);

    // the user fixes the cell: live validation clears the fill and the Findings row
    const after = await page.evaluate(
      async ([s, a, f]) => {
        const fake = (window as unknown as FakeWindow).__fake;
        await fake.userEdit(s as string, a as string, [['100-2220-640-100-001']]);
        await fake.settle();
        return { cell: fake.cell(s as string, a as string), findings: fake.values(f as string) };
      },
      [SITE_SHEET, `${ACCOUNT}3`, FINDINGS_SHEET],
    );
    expect(after.cell).not.toHaveProperty('fill');
    expect(after.findings.filter((r) => r.some((v) => v !== ''))).toEqual([[...FINDINGS_HEADER]]);

    // submit, approve, consolidate and export, as on Microsoft 365
    await page.waitForFunction(() => !document.getElementById('findings')?.textContent?.includes('BL104'));
    expect(await clickAndWait(page, '#submit')).toMatch(/submitted/i);
    await pick(page, APPROVER.email);
    await page.waitForSelector('#approve:not([hidden])');
    expect(await clickAndWait(page, '#approve')).toMatch(/approved/i);
    await pick(page, CFO.email);
    await page.waitForSelector('#district:not([hidden])');
    expect(await clickAndWait(page, '#consolidate')).toMatch(/Master Budget written/);
    const download = page.waitForEvent('download');
    await page.click('#export');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\w/);
    const exported = readFileSync((await file.path()) as string, 'utf8');
    expect(exported.split('\n').filter((l) => l.trim()).length).toBeGreaterThan(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});

describe('the built task pane in an Excel older than the manifest asks for', () => {
  it('says to update Excel, and writes nothing', async () => {
    const { page, errors } = await openPane(browser, url, { sheets: await districtSheets(), excelApi: 8 });
    await page.waitForSelector('#outside', { state: 'visible' });
    expect(await page.textContent('#outside h2')).toBe('Update Excel');
    expect(await page.textContent('#outside')).toMatch(/needs ExcelApi 1\.9/);
    expect(await page.isVisible('#validate')).toBe(false);
    const stats = await page.evaluate(() => (window as unknown as FakeWindow).__fake.book.stats.syncs);
    expect(stats).toBe(0);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
