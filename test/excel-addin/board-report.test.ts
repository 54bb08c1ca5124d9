/**
 * The "Board report" command of the BUILT task pane (dist/excel-addin) in Chromium over the fake
 * Office.js: the CFO's pane button and the ribbon command write the report sheets with native charts
 * and print setup, in one read and one write; the pane says how to print or save the packet as PDF.
 */
import type { Server } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { REPORT_SHEETS } from '../../core/report/sheets';
import { axeViolations } from './axe';
import { DIST, launch, openPane, serveDist } from './browser';
import { BUILDER, CFO, SITE_SHEET, districtSheets } from './district';
import type { FakeOffice } from './fake/fake-office';

jest.setTimeout(90_000);

const describeBuilt = existsSync(join(DIST, 'taskpane.html')) ? describe : describe.skip;
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

async function message(page: Page): Promise<string> {
  await page.waitForFunction(() => (document.getElementById('message')?.textContent ?? '') !== '');
  return (await page.textContent('#message')) ?? '';
}

async function clearMessage(page: Page): Promise<void> {
  await page.evaluate(() => {
    const m = document.getElementById('message');
    if (m) m.textContent = '';
  });
}

/** What the report wrote to the workbook: per report sheet, its charts and its page layout. */
function reportOf(page: Page) {
  return page.evaluate((names) => {
    const f = (window as unknown as FakeWindow).__fake;
    return names.map((n) => {
      const s = f.book.sheet(n);
      return s
        ? {
            name: n,
            rows: f.values(n).length,
            charts: s.charts.map((c) => ({ name: c.name, type: c.type, title: c.title, source: c.source })),
            layout: s.pageLayout,
          }
        : { name: n, missing: true };
    });
  }, Object.values(REPORT_SHEETS));
}

describeBuilt('the Board report in the built task pane', () => {
  it('writes the report sheets with charts and print setup in one read and one write, and says how to print', async () => {
    const { page, errors } = await openPane(browser, url, { sheets: await districtSheets() });
    await page.waitForSelector('#site option', { state: 'attached' });
    await pick(page, CFO.email);
    await page.waitForSelector('#district:not([hidden])');
    expect(await page.isVisible('#board-report')).toBe(true);
    await page.selectOption('#unapproved', 'include-marked');
    await page.selectOption('#report-status', 'proposed');
    const siteBefore = await page.evaluate(
      (s) => (window as unknown as FakeWindow).__fake.values(s),
      SITE_SHEET,
    );

    await page.evaluate(() => (window as unknown as FakeWindow).__fake.resetStats());
    await clearMessage(page);
    await page.click('#board-report');
    expect(await message(page)).toMatch(/^Board report written \(PROPOSED/);
    // one read and one write for the report, then the pane's own refresh of its view (one read)
    const stats = await page.evaluate(() => (window as unknown as FakeWindow).__fake.book.stats);
    expect(stats.syncs).toBe(3);
    expect(stats.runs).toBe(3);

    const report = await reportOf(page);
    expect(report.filter((s) => 'missing' in s)).toEqual([]);
    const charts = report.flatMap((s) => ('charts' in s ? s.charts : []));
    expect(charts.length).toBeGreaterThanOrEqual(3);
    for (const c of charts) {
      expect(['Pie', 'ColumnClustered', 'BarClustered', 'Line']).toContain(c.type);
      expect(c.title).not.toBe('');
      expect(Object.values(REPORT_SHEETS)).toContain(c.source.sheet);
    }
    for (const s of report) {
      if (!('layout' in s)) continue;
      expect(s.layout.zoom).toEqual({ horizontalFitToPages: 1, verticalFitToPages: 0 });
      expect(s.layout.defaultForAllPages.centerHeader + s.layout.defaultForAllPages.leftHeader).toMatch(
        /Springfield USD/,
      );
      expect(Object.values(s.layout.defaultForAllPages).join(' ')).toMatch(/&P\b.*&N\b/);
    }
    // nothing else was touched
    expect(
      await page.evaluate((s) => (window as unknown as FakeWindow).__fake.values(s), SITE_SHEET),
    ).toEqual(siteBefore);

    // the pane names the sheets and says how to print them or save them as PDF
    await page.waitForSelector('#board-report-done:not([hidden])');
    const done = (await page.textContent('#board-report-done')) ?? '';
    expect(done).toContain(REPORT_SHEETS.cover);
    expect(done).toMatch(/Save As › PDF/);
    expect(await axeViolations(page)).toEqual([]);

    // again: each chart is replaced by name, never doubled
    await clearMessage(page);
    await page.click('#board-report');
    expect(await message(page)).toMatch(/^Board report written/);
    const again = (await reportOf(page)).flatMap((s) => ('charts' in s ? s.charts : []));
    expect(again.map((c) => c.name).sort()).toEqual(charts.map((c) => c.name).sort());
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('runs from the ribbon, and is refused (nothing written) for anyone but the CFO', async () => {
    const { page, errors } = await openPane(browser, url, { sheets: await districtSheets() });
    await page.waitForSelector('#site option', { state: 'attached' });
    const names = await page.evaluate(() =>
      [...(window as unknown as FakeWindow).__fake.actions.keys()].sort(),
    );
    expect(names).toContain('boardReport');

    await pick(page, BUILDER.email);
    expect(await page.isVisible('#board-report')).toBe(false);
    await clearMessage(page);
    await page.evaluate(() => (window as unknown as FakeWindow).__fake.invoke('boardReport'));
    expect(await message(page)).toMatch(/^No board report was written/);
    expect(
      await page.evaluate(() => (window as unknown as FakeWindow).__fake.book.sheet('Report – Cover')),
    ).toBe(undefined);

    await pick(page, CFO.email);
    await page.selectOption('#unapproved', 'include-marked');
    await clearMessage(page);
    await page.evaluate(() => (window as unknown as FakeWindow).__fake.invoke('boardReport'));
    expect(await message(page)).toMatch(/^Board report written \(DRAFT/);
    expect((await reportOf(page)).filter((s) => 'missing' in s)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
