/**
 * Export everywhere, over the BUILT pane in Chromium: a download where the pane can save a file;
 * where it cannot (Excel on the Mac, or a web view without downloads) the export goes on the
 * "Budgetline Export" sheet, which holds the same file as a table; and the clipboard either way.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { EXPORT_SHEET } from '../../core';
import { axeViolations } from './axe';
import { APPROVER, BUILDER, CFO, SITE_SHEET, districtSheets, siteColumn } from './district';
import { launch, openPane, serveDist } from './browser';
import type { FakeOffice, FakeOptions } from './fake/fake-office';

jest.setTimeout(120_000);

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

/** The site fixed, submitted, approved; the CFO on the District section with the generic CSV chosen. */
async function approvedAsCfo(options: Partial<FakeOptions>, before?: string) {
  const opened = await openPane(browser, url, { sheets: await districtSheets(), ...options }, before);
  const { page } = opened;
  await page.waitForSelector('#site option', { state: 'attached' });
  await page.evaluate(
    async ([s, a]) => {
      const f = (window as unknown as FakeWindow).__fake;
      await f.userEdit(s as string, a as string, [['100-2220-640-100-001']]);
      await f.settle();
    },
    [SITE_SHEET, `${siteColumn('Account')}3`],
  );
  await pick(page, BUILDER.email);
  expect(await clickAndWait(page, '#submit')).toMatch(/submitted for approval/);
  await pick(page, APPROVER.email);
  await page.waitForSelector('#approve:not([hidden])');
  expect(await clickAndWait(page, '#approve')).toMatch(/approved/);
  await pick(page, CFO.email);
  await page.waitForSelector('#district:not([hidden])');
  await page.selectOption('#format', 'generic-csv');
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  return opened;
}

const exportSheet = (page: Page): Promise<unknown[][]> =>
  page.evaluate((name) => (window as unknown as FakeWindow).__fake.values(name), EXPORT_SHEET);

async function clipboard(page: Page): Promise<string> {
  await page.click('#export-copy');
  await page.waitForFunction(() => /^Copied /.test(document.getElementById('export-how')?.textContent ?? ''));
  return page.evaluate(() => navigator.clipboard.readText());
}

describe('export from the built pane', () => {
  it('downloads where the pane can; the same file goes on a sheet or the clipboard on request', async () => {
    const { page, errors } = await approvedAsCfo({});
    const download = page.waitForEvent('download');
    expect(await clickAndWait(page, '#export')).toMatch(/exported/);
    const file = await download;
    const content = readFileSync((await file.path()) as string, 'utf8');
    expect(await page.textContent('#export-how')).toBe(
      `Downloaded ${file.suggestedFilename()}. No file? Put it in a sheet, or copy it.`,
    );
    expect(
      await page.evaluate(
        (n) => (window as unknown as FakeWindow).__fake.book.sheet(n) !== undefined,
        EXPORT_SHEET,
      ),
    ).toBe(false);

    await page.click('#export-sheet');
    await page.waitForFunction(() =>
      /save a copy/.test(document.getElementById('export-how')?.textContent ?? ''),
    );
    // the sheet is the file: every record, every field, as text (codes keep their leading zeros)
    expect(await exportSheet(page)).toEqual(parse(content, { relax_column_count: true }));
    expect(await clipboard(page)).toBe(content);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('Excel on the Mac: no download; the export is on the Budgetline Export sheet, with how to save it', async () => {
    const { page, errors } = await approvedAsCfo({ platform: 'Mac' });
    let downloads = 0;
    page.on('download', () => downloads++);
    expect(await clickAndWait(page, '#export')).toMatch(/exported/);
    await page.waitForFunction(() => !document.getElementById('export-out')?.hidden);
    const how = (await page.textContent('#export-how')) ?? '';
    expect(how).toMatch(
      /^Excel on the Mac and iPad does not save files from an add-in: the export is on a sheet instead\./,
    );
    expect(how).toMatch(
      /"Budgetline Export" sheet .* save a copy of it as CSV UTF-8 \(Comma delimited\), named .*\.csv/,
    );
    const content = await clipboard(page);
    expect(await exportSheet(page)).toEqual(parse(content, { relax_column_count: true }));
    expect(downloads).toBe(0);

    // a second export replaces the sheet, never appends to it
    expect(await clickAndWait(page, '#export')).toMatch(/exported/);
    expect(await exportSheet(page)).toEqual(parse(content, { relax_column_count: true }));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('"Applied amendments only" asks for the changes alone: refused whole before adoption, nothing written', async () => {
    const { page, errors } = await approvedAsCfo({});
    await page.selectOption('#export-what', 'amendments');
    expect(await clickAndWait(page, '#export')).toMatch(
      /^No amendment was exported: there is no adopted budget to export amendments of/,
    );
    expect(
      await page.evaluate(
        (n) => (window as unknown as FakeWindow).__fake.book.sheet(n) !== undefined,
        EXPORT_SHEET,
      ),
    ).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a web view without downloads (capability, not platform): the sheet again', async () => {
    const { page, errors } = await approvedAsCfo({}, 'delete HTMLAnchorElement.prototype.download;');
    expect(await clickAndWait(page, '#export')).toMatch(/exported/);
    await page.waitForFunction(() => !document.getElementById('export-out')?.hidden);
    expect(await page.textContent('#export-how')).toMatch(
      /^This pane cannot save files: the export is on a sheet instead/,
    );
    expect((await exportSheet(page)).length).toBeGreaterThan(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
