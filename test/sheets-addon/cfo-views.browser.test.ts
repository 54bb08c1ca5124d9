/**
 * The CFO's views in the BUILT Sidebar.html (Chromium), every google.script.run call running the
 * BUILT Code.js over the Apps Script fakes (with the advanced Sheets service, so one read is one
 * batchGet): ranked proposals with the CFO's decisions by keyboard, the scenario comparison, budget
 * vs actual vs forecast, and import by site from a picked CSV — axe-core at zero violations.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SHEETS } from '../../core';
import { axeViolations } from '../excel-addin/axe';
import { cfoSheets } from '../fixtures/cfo-views';
import { FakeEnv } from './fakes';
import {
  BUILDER,
  CFO,
  DIST,
  call,
  fakeGrid,
  loadBundle,
  newDistrict,
  topLevelFunctions,
  type Bundle,
} from './bundle';

jest.setTimeout(120_000);

const SITE = 'Lincoln Elementary';
let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
});

afterAll(async () => {
  await browser?.close();
});

interface Host {
  env: FakeEnv;
  bundle: Bundle;
  user: string;
  calls: string[];
}

function newHost(user: string): Host {
  const env = new FakeEnv({ advancedSheets: true });
  const bundle = loadBundle(env);
  newDistrict(env, bundle);
  // the district's valid lines (the shared fixture's row 3 has a wrong object code on purpose)
  env.spreadsheet.sheet(SITE).loadRaw([['100-2220-640-100-001']], { row: 3, col: 2 });
  for (const [sheet, grid] of Object.entries(cfoSheets())) env.spreadsheet.load(sheet, fakeGrid(grid));
  return { env, bundle, user, calls: [] };
}

async function openSidebar(host: Host): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 300, height: 700 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await context.route('**/*', (route) =>
    route.request().url().startsWith('file:') ? route.continue() : route.abort(),
  );
  await page.exposeFunction('__gasCall', (name: string, args: string) => {
    host.calls.push(name);
    try {
      const value = call(host.bundle, host.env, host.user, name, ...(JSON.parse(args) as unknown[]));
      return JSON.stringify({ value: value ?? null });
    } catch (e) {
      return JSON.stringify({ error: e instanceof Error ? e.message : String(e) });
    }
  });
  await page.addInitScript(
    ({ names }) => {
      type Handler = ((v: unknown) => void) | null;
      const w = window as unknown as {
        __gasCall: (n: string, a: string) => Promise<string>;
        google: unknown;
      };
      function runner(ok: Handler, fail: Handler): Record<string, unknown> {
        const r: Record<string, unknown> = {
          withSuccessHandler: (f: Handler) => runner(f, fail),
          withFailureHandler: (f: Handler) => runner(ok, f),
        };
        for (const name of names)
          r[name] = (...args: unknown[]) => {
            void w.__gasCall(name, JSON.stringify(args)).then((text) => {
              const reply = JSON.parse(text) as { value?: unknown; error?: string };
              if (reply.error !== undefined) fail?.(new Error(reply.error));
              else ok?.(reply.value);
            });
          };
        return r;
      }
      w.google = { script: { run: runner(null, null), host: { close: () => undefined } } };
    },
    { names: topLevelFunctions(host.bundle) },
  );
  await page.goto(`file://${join(DIST, 'Sidebar.html')}`);
  await page.waitForFunction(() => {
    const b = (window as unknown as { budgetline?: { current: () => unknown } }).budgetline;
    return !!b?.current();
  });
  return { page, errors };
}

async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} cannot be reached with Tab`);
}

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

/** A picture of the Plan tab under dist/screenshots; docs/screenshots too with UPDATE_SCREENSHOTS=1. */
async function shot(page: Page, name: string): Promise<void> {
  const dirs = [join(DIST, '..', 'screenshots')];
  if (process.env['UPDATE_SCREENSHOTS'] === '1')
    dirs.push(join(__dirname, '..', '..', 'docs', 'screenshots'));
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, name), fullPage: true });
  }
}

async function noViolations(page: Page, state: string): Promise<void> {
  expect({ state, violations: await axeViolations(page) }).toEqual({ state, violations: [] });
}

const rows = (page: Page, box: string): Promise<string[][]> =>
  page.$$eval(`${box} tbody tr`, (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));

/** The Plan tab, reached from the Site tab by keyboard. */
async function openPlan(page: Page): Promise<void> {
  await tabTo(page, '#tab-site');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-plan');
  expect(await page.isVisible('#panel-plan')).toBe(true);
}

describe('the CFO views in the built sidebar', () => {
  it('shows the ranked proposals and lets the CFO decide by keyboard: one read, a reason required', async () => {
    const host = newHost(CFO);
    const { page, errors } = await openSidebar(host);
    await openPlan(page);
    await tabTo(page, '#cfo-proposals-load');
    host.env.counts.reset();
    host.calls.length = 0;
    await settle(page, '#cfo-proposals-status', () => page.keyboard.press('Enter'));
    expect(host.calls).toEqual(['getProposals']);
    expect(host.env.counts.get('Sheets.Spreadsheets.Values.batchGet')).toBe(1);
    expect(host.env.counts.get('Range.setValues')).toBe(0);
    expect((await rows(page, '#cfo-proposals-table')).map((r) => r[1])).toEqual([
      'P-01',
      'P-02',
      'P-04',
      'P-03',
      'P-05',
    ]);
    await noViolations(page, 'proposals, CFO');
    await shot(page, 'sheets-proposals.png');

    await tabTo(page, '#cfo-decide-proposal');
    await page.keyboard.type('P-03');
    await tabTo(page, '#cfo-decide-defer');
    host.env.counts.reset();
    const refused = await settle(page, '#cfo-proposals-status', () => page.keyboard.press('Enter'));
    expect(refused).toMatch(/P-03 was not deferred: a decision needs a reason/);
    expect(await page.textContent('#cfo-proposals-findings')).toMatch(/BL904/);
    expect(host.env.counts.get('Range.setValues')).toBe(0);

    await tabTo(page, '#cfo-decide-reason');
    await page.keyboard.type('Wait for the route study');
    await tabTo(page, '#cfo-decide-defer');
    host.env.counts.reset();
    const deferred = await settle(page, '#cfo-proposals-status', () => page.keyboard.press('Enter'));
    expect(deferred).toMatch(/Proposal P-03 \(Transportation route\) deferred by cfo@district\.org/);
    expect(host.env.counts.get('Sheets.Spreadsheets.Values.batchGet')).toBe(1);
    expect(host.env.counts.get('Range.setValues')).toBeGreaterThan(0);
    expect((await rows(page, '#cfo-proposals-table')).find((r) => r[1] === 'P-03')?.[12]).toBe(
      'Deferred: Wait for the route study',
    );
    const grid = host.env.spreadsheet.sheet(SHEETS.proposals).grid();
    const header = (grid[0] ?? []) as unknown[];
    expect(grid.find((r) => r[0] === 'P-03')?.[header.indexOf('Status')]).toBe('deferred');
    await noViolations(page, 'decided');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows a budget owner the proposals read-only; the server refuses a decision the page sends anyway', async () => {
    const host = newHost(BUILDER);
    const { page, errors } = await openSidebar(host);
    await openPlan(page);
    await settle(page, '#cfo-proposals-status', () => page.click('#cfo-proposals-load'));
    expect(await page.isVisible('#cfo-decision')).toBe(false);
    expect(await page.isVisible('#cfo-read-only')).toBe(true);
    const r = call<{ ok: boolean; diagnostics: { code: string }[] }>(
      host.bundle,
      host.env,
      BUILDER,
      'decideProposal',
      'P-01',
      'accept',
      'I like it',
    );
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL811']);
    await noViolations(page, 'proposals, read-only');
    // the owner submits the site's draft
    host.env.counts.reset();
    await settle(page, '#cfo-proposals-status', () => page.click('#cfo-propose-go'));
    expect(host.env.counts.get('Sheets.Spreadsheets.Values.batchGet')).toBe(1);
    expect((await rows(page, '#cfo-proposals-table')).find((r) => r[1] === 'P-05')?.[12]).toBe('Submitted');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('compares scenarios and shows budget vs actual vs forecast, one read each', async () => {
    const host = newHost(CFO);
    const { page, errors } = await openSidebar(host);
    await openPlan(page);
    await page.focus('#cfo-tab-proposals');
    await page.keyboard.press('ArrowRight');
    host.env.counts.reset();
    await settle(page, '#cfo-scenarios-status', () => page.click('#cfo-scenarios-load'));
    expect(host.env.counts.get('Sheets.Spreadsheets.Values.batchGet')).toBe(1);
    const all = await rows(page, '#cfo-scenarios-tables table:last-child');
    expect(all).toHaveLength(18);
    expect(all[0]?.[0]).toBe('FY2027 revenues');
    await noViolations(page, 'scenarios');
    await tabTo(page, '#cfo-adopt-scenario');
    await page.keyboard.type('Lean');
    await tabTo(page, '#cfo-adopt-reason');
    await page.keyboard.type('Enrollment is falling');
    await tabTo(page, '#cfo-adopt-go');
    host.env.counts.reset();
    const adopted = await settle(page, '#cfo-scenarios-status', () => page.keyboard.press('Enter'));
    expect(adopted).not.toMatch(/not adopted/);
    expect(host.env.counts.get('Sheets.Spreadsheets.Values.batchGet')).toBe(1);
    expect(
      host.env.spreadsheet
        .sheet('Assumptions')
        .grid()
        .map((r) => r.join(' '))
        .join('\n'),
    ).toMatch(/Lean/);

    await page.focus('#cfo-tab-scenarios');
    await page.keyboard.press('ArrowRight');
    host.env.counts.reset();
    await settle(page, '#cfo-actuals-status', () => page.click('#cfo-actuals-load'));
    expect(host.env.counts.get('Sheets.Spreadsheets.Values.batchGet')).toBe(1);
    expect(host.env.counts.get('Range.setValues')).toBe(0);
    const flagged = await rows(page, '#cfo-actuals-lines');
    expect(flagged.find((r) => r[1] === '100-1000-610-100-001')?.[7]).toMatch(
      /Warning: Over budget by \$400\.00/,
    );
    await noViolations(page, 'actuals');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('imports by site from a picked CSV (Windows-1252): all or nothing, the same core operation as the CLI', async () => {
    const host = newHost(CFO);
    const { page, errors } = await openSidebar(host);
    await openPlan(page);
    await page.focus('#cfo-tab-proposals');
    await page.keyboard.press('End');
    const before = host.env.spreadsheet.sheet(SITE).grid().length;
    const bad =
      'Site,Account,Description,Amount\n999,100-1000-610-100-001,Pens,40\n001,100-1000-610-100-001,Caf\xe9 supplies,"(12.00)"\n';
    await page.setInputFiles('#cfo-import-file', {
      name: 'erp.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(bad, 'latin1'),
    });
    host.env.counts.reset();
    const refused = await settle(page, '#cfo-import-status', () => page.click('#cfo-import-go'));
    expect(refused).toMatch(/^Nothing was imported: 2 problems in erp\.csv/);
    expect(host.env.counts.get('Range.setValues')).toBe(0);
    expect(host.env.spreadsheet.sheet(SITE).grid().length).toBe(before);
    const problems = await page.$$eval('#cfo-import-findings li', (lis) =>
      lis.map((l) => l.textContent ?? ''),
    );
    expect(problems.some((p) => p.includes('erp.csv!A2'))).toBe(true);
    expect(problems.some((p) => p.includes('erp.csv!D3'))).toBe(true);

    const good = 'Site,Account,Description,Amount\n001,100-1000-610-100-001,Caf\xe9 supplies,12\n';
    await page.setInputFiles('#cfo-import-file', {
      name: 'erp.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(good, 'latin1'),
    });
    host.env.counts.reset();
    await settle(page, '#cfo-import-status', () => page.click('#cfo-import-go'));
    expect(host.env.counts.get('Sheets.Spreadsheets.Values.batchGet')).toBe(1);
    expect(await rows(page, '#cfo-import-report')).toEqual([
      ['001', SITE, '1', 'Added after the lines there'],
    ]);
    const grid = host.env.spreadsheet.sheet(SITE).grid();
    expect(grid.length).toBe(before + 1);
    expect(grid.at(-1)).toContain('Café supplies');
    await noViolations(page, 'import done');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
