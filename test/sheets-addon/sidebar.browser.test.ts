/**
 * The BUILT Sidebar.html in Chromium, its google.script.run a stub with a real key for each
 * top-level function of the BUILT Code.js, every call sent (page.exposeFunction) to that Code.js
 * running in node:vm over the Apps Script fakes. One browser for the file.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { gridOf, SITES_TABLE } from '../../core';
import { axeViolations } from '../excel-addin/axe';
import { FakeEnv } from './fakes';
import {
  APPROVER,
  BUILDER,
  CFO,
  DIST,
  call,
  fakeGrid,
  loadBundle,
  newDistrict,
  siteRow,
  topLevelFunctions,
  type Bundle,
} from './bundle';

jest.setTimeout(90_000);

const SITE = 'Lincoln Elementary';
const SHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');
const XSS = '<img src=x onerror="window.__xss=1">';

let browser: Browser;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
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

/** Opens the built sidebar as `host.user`; every google.script.run call runs the built Code.js. */
async function openSidebar(host: Host, panel?: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 300, height: 640 } });
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
    ({ names, panel }) => {
      type Handler = ((v: unknown) => void) | null;
      const w = window as unknown as {
        __gasCall: (n: string, a: string) => Promise<string>;
        google: unknown;
        BUDGETLINE_PANEL?: string;
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
      if (panel) w.BUDGETLINE_PANEL = panel;
    },
    { names: topLevelFunctions(host.bundle), panel },
  );
  await page.goto(`file://${join(DIST, 'Sidebar.html')}`);
  await page.waitForFunction(() => {
    const b = (window as unknown as { budgetline?: { current: () => unknown } }).budgetline;
    return !!b?.current();
  });
  return { page, errors };
}

async function screenshot(page: Page, name: string): Promise<void> {
  // docs/screenshots are refreshed on demand (UPDATE_SCREENSHOTS=1) or when missing, so a test run
  // does not churn tracked files; every run also writes a copy under dist/ for inspection.
  const out = join(DIST, '..', 'screenshots');
  mkdirSync(out, { recursive: true });
  await page.screenshot({ path: join(out, name), fullPage: true });
  if (process.env['UPDATE_SCREENSHOTS'] === '1' || !existsSync(join(SHOTS, name))) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, name), fullPage: true });
  }
}

function newHost(lines?: Parameters<typeof newDistrict>[2]): Host {
  const env = new FakeEnv();
  const bundle = loadBundle(env);
  newDistrict(env, bundle, lines);
  return { env, bundle, user: BUILDER, calls: [] };
}

async function idle(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLButtonElement>('button.action')].every((b) => !b.disabled),
  );
}

describe('Sidebar.html (built) in Chromium', () => {
  it('runs the approval flow: findings → go to cell → fix → submit → approve (another user) → consolidate', async () => {
    const host = newHost();
    // the builder sees the finding, with go-to-cell and the allocation summary
    let { page, errors } = await openSidebar(host);
    await page.getByText('BL104').first().waitFor();
    await expect(page.locator('#state').textContent()).resolves.toBe('draft');
    await expect(page.locator('#allocations tbody tr').count()).resolves.toBeGreaterThanOrEqual(2);
    await expect(page.locator('#btn-approve').isHidden()).resolves.toBe(true);
    await screenshot(page, 'sheets-findings.png');
    await page.locator('#findings button.goto', { hasText: `${SITE}!B3` }).click();
    for (let i = 0; i < 50 && !host.calls.includes('goToCell'); i++) await page.waitForTimeout(20);
    await page.waitForTimeout(50);
    expect(host.env.spreadsheet.activeRange?.getA1Notation()).toBe('B3');

    // submit is refused while the finding stands
    await page.locator('#btn-submit').click();
    await idle(page);
    await expect(page.locator('#message').getAttribute('class')).resolves.toBe('error');
    await expect(page.locator('#message').textContent()).resolves.toMatch(
      /Could not submit|not submitted|refused|fix/i,
    );

    // the principal fixes the cell; validate clears it; submit
    host.env.spreadsheet.sheet(SITE).loadRaw([['100-2220-640-100-001']], { row: 3, col: 2 });
    await page.locator('#btn-validate').click();
    await idle(page);
    await expect(page.locator('#findings li').count()).resolves.toBe(0);
    await page.locator('#btn-submit').click();
    await idle(page);
    await expect(page.locator('#state').textContent()).resolves.toBe('submitted');
    await expect(page.locator('#message').textContent()).resolves.toMatch(/submitted for approval/);
    expect(errors).toEqual([]);
    await page.context().close();

    // the approver opens the sidebar: approve and return are offered; approve with a comment
    host.user = APPROVER;
    ({ page, errors } = await openSidebar(host));
    await expect(page.locator('#state').textContent()).resolves.toBe('submitted');
    await expect(page.locator('#btn-approve').isVisible()).resolves.toBe(true);
    await expect(page.locator('#btn-return').isVisible()).resolves.toBe(true);
    await expect(page.locator('#btn-submit').isHidden()).resolves.toBe(true);
    await page.locator('#comment').fill('Looks right. Approved for the board packet.');
    await page.locator('#btn-approve').click();
    await idle(page);
    await expect(page.locator('#state').textContent()).resolves.toBe('approved');
    await screenshot(page, 'sheets-approval.png');
    expect(errors).toEqual([]);
    await page.context().close();

    // the CFO consolidates from the District panel (the menu opens it there)
    host.user = CFO;
    ({ page, errors } = await openSidebar(host, 'consolidate'));
    await page.locator('#tab-district').click();
    await expect(page.locator('#district-actions').isVisible()).resolves.toBe(true);
    await page.locator('#btn-consolidate').click();
    await idle(page);
    await expect(page.locator('#message').textContent()).resolves.toMatch(/Master Budget written/);
    expect(host.env.spreadsheet.sheet('Master Budget').grid().length).toBeGreaterThan(3);
    await page.locator('#btn-export').click();
    await idle(page);
    await expect(page.locator('#download').isVisible()).resolves.toBe(true);
    // the same file on the Export sheet, for a browser that blocks the sidebar's download
    const exported = Number(
      /(\d+) lines? exported/.exec((await page.locator('#message').textContent()) ?? '')?.[1],
    );
    const sheet = host.env.spreadsheet.sheet('Budgetline Export').grid();
    expect(sheet.length).toBe(exported + 1); // the CSV's header row, then one row per line
    await expect(page.locator('#export-sheet-note').textContent()).resolves.toMatch(
      /also on the "Budgetline Export" sheet .*File › Download › Comma-separated values/,
    );
    await screenshot(page, 'sheets-consolidate.png');
    expect(errors).toEqual([]);
    expect(host.calls).toEqual(expect.arrayContaining(['getStatus', 'consolidateDistrict', 'exportBudget']));
    await page.context().close();
  });

  it("refuses a new workbook over the district's (BL807), and rebuilds it when the CFO ticks Rebuild", async () => {
    const host = newHost();
    host.user = CFO;
    const { page, errors } = await openSidebar(host, 'new');
    await page.locator('#fy').fill('2028');
    await page.locator('#district').fill('Springfield USD');
    await page.locator('#btn-create').click();
    await idle(page);
    await expect(page.locator('#result-findings').innerText()).resolves.toMatch(/BL807/);
    await page.locator('#rebuild').check();
    await page.locator('#btn-create').click();
    await idle(page);
    await expect(page.locator('#message').textContent()).resolves.toMatch(
      /^Rebuilt the Springfield USD workbook for FY2028/,
    );
    expect(host.env.spreadsheet.sheet('Setup').grid()).toContainEqual(['Fiscal Year', 2028]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('refuses approval to the builder even if the page calls approveSite itself', async () => {
    const host = newHost();
    host.env.spreadsheet.sheet(SITE).loadRaw([['100-2220-640-100-001']], { row: 3, col: 2 });
    call(host.bundle, host.env, BUILDER, 'submitSite', '001', '');
    const { page } = await openSidebar(host);
    await expect(page.locator('#btn-approve').isHidden()).resolves.toBe(true);
    const reply = await page.evaluate(
      () =>
        new Promise<{ result: { ok: boolean } }>((ok) => {
          const g = (
            window as unknown as { google: { script: { run: Record<string, (...a: unknown[]) => unknown> } } }
          ).google;
          const r = g.script.run['withSuccessHandler']?.(ok) as Record<string, (...a: unknown[]) => void>;
          r['approveSite']?.('001', 'self-approval');
        }),
    );
    expect(reply.result.ok).toBe(false);
    expect(host.env.documentProperties.data.get('budgetline.site.001')).toContain('"submitted"');
    await page.context().close();
  });

  it('renders cell text as text, never as HTML (XSS)', async () => {
    const host = newHost([
      siteRow({ Type: 'Line', Account: XSS, Description: XSS, Amount: 10 }),
      siteRow({ Type: 'Line', Account: '100-1000-610-100-001', Description: XSS, Amount: 20 }),
    ]);
    host.env.spreadsheet.load(
      SITES_TABLE.sheet,
      fakeGrid(
        gridOf(
          SITES_TABLE,
          ['code', 'name', 'sheet', 'enrollment', 'gradeBand', 'titleI'],
          [['001', `Lincoln ${XSS}`, SITE, 420, 'elementary', 'No']],
        ),
      ),
    );
    const { page, errors } = await openSidebar(host);
    await page.getByText('BL1', { exact: false }).first().waitFor();
    const text = await page.locator('body').innerText();
    expect(text).toContain('<img src=x onerror=');
    await expect(page.locator('img').count()).resolves.toBe(0);
    await expect(
      page.evaluate(() => (window as unknown as { __xss?: number }).__xss),
    ).resolves.toBeUndefined();
    await expect(page.locator('#site option').first().textContent()).resolves.toContain('<img');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('loads no script or style from the network (everything inlined)', () => {
    const html = readFileSync(join(DIST, 'Sidebar.html'), 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+stylesheet/i);
    expect(html).toMatch(/<style>/);
  });
});

describe('Sidebar.html (built), accessibly', () => {
  /** Presses Tab until `selector` has the focus (at most 80 times). */
  async function tabTo(page: Page, selector: string): Promise<void> {
    for (let i = 0; i < 80; i++) {
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`${selector} cannot be reached with Tab`);
  }

  async function noViolations(page: Page, state: string): Promise<void> {
    expect({ state, violations: await axeViolations(page) }).toEqual({ state, violations: [] });
  }

  it('has a complete tab pattern: roving tabindex, arrows, Home and End, labelled panels', async () => {
    const host = newHost();
    const { page, errors } = await openSidebar(host);
    await page.getByText('BL104').first().waitFor();
    const tabs = () =>
      page.$$eval('nav [role=tab]', (ts) =>
        ts.map((t) => [t.id, t.getAttribute('aria-selected'), (t as HTMLElement).tabIndex]),
      );
    expect(await tabs()).toEqual([
      ['tab-site', 'true', 0],
      ['tab-district', 'false', -1],
      ['tab-plan', 'false', -1],
      ['tab-new', 'false', -1],
    ]);
    for (const id of ['site', 'district', 'plan', 'new']) {
      expect(await page.getAttribute(`#tab-${id}`, 'aria-controls')).toBe(`panel-${id}`);
      expect(await page.getAttribute(`#panel-${id}`, 'aria-labelledby')).toBe(`tab-${id}`);
    }
    await tabTo(page, '#tab-site');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-district');
    expect(await page.isVisible('#panel-district')).toBe(true);
    expect(await page.isVisible('#panel-site')).toBe(false);
    await page.keyboard.press('End');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-new');
    await page.keyboard.press('ArrowRight');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-site');
    await page.keyboard.press('ArrowLeft');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-new');
    await page.keyboard.press('Home');
    expect(await tabs()).toEqual([
      ['tab-site', 'true', 0],
      ['tab-district', 'false', -1],
      ['tab-plan', 'false', -1],
      ['tab-new', 'false', -1],
    ]);
    // Tab leaves the tab list for the panel (only one tab is in the Tab order)
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('tabpanel');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('has no axe-core violations, says severity in words, and is walked submit → approve → consolidate by keyboard', async () => {
    const host = newHost();
    let { page, errors } = await openSidebar(host);
    await page.getByText('BL104').first().waitFor();
    await noViolations(page, 'builder, a finding listed');
    const sev = page.locator('#findings li.fatal .sev').first();
    expect(await sev.textContent()).toMatch(/Error:$/);
    expect(await sev.locator('.icon').getAttribute('aria-hidden')).toBe('true');
    await tabTo(page, '#tab-site');
    await page.keyboard.press('ArrowRight');
    await noViolations(page, 'builder, District panel');
    await page.keyboard.press('Home');

    // the principal fixes the cell in the sheet, then validates and submits from the keyboard
    host.env.spreadsheet.sheet(SITE).loadRaw([['100-2220-640-100-001']], { row: 3, col: 2 });
    await tabTo(page, '#btn-validate');
    await page.keyboard.press('Enter');
    await idle(page);
    await expect(page.locator('#findings li').count()).resolves.toBe(0);
    await tabTo(page, '#btn-submit');
    await page.keyboard.press('Enter');
    await idle(page);
    await expect(page.locator('#state').textContent()).resolves.toBe('submitted');
    await noViolations(page, 'builder, submitted');
    expect(errors).toEqual([]);
    await page.context().close();

    host.user = APPROVER;
    ({ page, errors } = await openSidebar(host));
    await tabTo(page, '#comment');
    await page.keyboard.type('Checked against the enrollment projection.');
    await noViolations(page, 'approver with a comment');
    await tabTo(page, '#btn-approve');
    await page.keyboard.press('Space');
    await idle(page);
    await expect(page.locator('#state').textContent()).resolves.toBe('approved');
    expect(errors).toEqual([]);
    await page.context().close();

    host.user = CFO;
    ({ page, errors } = await openSidebar(host));
    await tabTo(page, '#tab-site');
    await page.keyboard.press('ArrowRight');
    await tabTo(page, '#btn-consolidate');
    await page.keyboard.press('Enter');
    await idle(page);
    await expect(page.locator('#message').textContent()).resolves.toMatch(/Master Budget written/);
    expect(host.env.spreadsheet.sheet('Master Budget').grid().length).toBeGreaterThan(3);
    await noViolations(page, 'CFO, consolidated');
    await tabTo(page, '#btn-export');
    await page.keyboard.press('Enter');
    await idle(page);
    await expect(page.locator('#download').isVisible()).resolves.toBe(true);
    await noViolations(page, 'CFO, exported');
    await tabTo(page, '#tab-district');
    await page.keyboard.press('End');
    await noViolations(page, 'New workbook panel');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows the CFO the fund summary and the three-year projection, warnings in words, by keyboard', async () => {
    const host = newHost();
    host.user = CFO;
    const { page, errors } = await openSidebar(host);
    await tabTo(page, '#tab-site');
    await page.keyboard.press('ArrowRight');
    await page.selectOption('#unapproved', 'include-marked');
    await tabTo(page, '#btn-consolidate');
    await page.keyboard.press('Enter');
    await idle(page);
    await expect(page.locator('#message').textContent()).resolves.toMatch(/Master Budget written/);
    await page.locator('#funds table').waitFor();
    const heads = await page.$$eval('#funds thead th', (ths) => ths.map((t) => t.textContent));
    expect(heads).toEqual([
      'Fund',
      'Revenues',
      'Expenditures',
      'Other sources',
      'Other uses',
      'Net change',
      'Beginning balance',
      'Ending balance',
      'Reserve',
      'Policy',
      'Warnings',
    ]);
    const summary = await page.$$eval('#funds tbody tr', (trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')),
    );
    const all = summary.find((r) => r[0] === 'All funds');
    expect(all?.[2]).not.toBe('$0.00');
    expect(all?.[10]).toMatch(/Warning: Deficit spending: \$[\d,]+\.\d\d more out than in/);
    await noViolations(page, 'CFO, fund summary');

    await tabTo(page, '#btn-project');
    await page.keyboard.press('Enter');
    await idle(page);
    await expect(page.locator('#message').textContent()).resolves.toMatch(/^Projection FY2027–FY2029/);
    const years = await page.$$eval('#projection tbody tr', (trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')),
    );
    expect([...new Set(years.map((r) => r[0]))]).toEqual(['FY2027', 'FY2028', 'FY2029']);
    expect(years.filter((r) => r[1] === 'All funds')).toHaveLength(3);
    // the scrolling tables are reachable with Tab
    await tabTo(page, '#projection');
    await noViolations(page, 'CFO, projection');
    expect(host.calls).toEqual(expect.arrayContaining(['consolidateDistrict', 'projectDistrict']));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('writes the board report for the CFO and lists the print settings to choose (no print API in Sheets)', async () => {
    const host = newHost();
    host.user = CFO;
    const { page, errors } = await openSidebar(host, 'district');
    await page.selectOption('#unapproved', 'include-marked');
    await page.selectOption('#report-status', 'proposed');
    expect(await page.isVisible('#report-print')).toBe(false);
    await page.click('#btn-report');
    await idle(page);
    await expect(page.locator('#message').textContent()).resolves.toMatch(/^Board report written \(PROPOSED/);
    await page.locator('#report-print:not([hidden]) li').first().waitFor();
    expect(await page.textContent('#report-print p')).toMatch(/File › Download › PDF/);
    const steps = await page.$$eval('#report-print li', (lis) => lis.map((li) => li.textContent ?? ''));
    expect(steps[0]).toMatch(/^Report – Cover: (portrait|landscape), fit to width/);
    expect(host.env.spreadsheet.sheets.some((s) => s.name === 'Report – Cover')).toBe(true);
    expect(host.calls).toContain('boardReport');
    await noViolations(page, 'CFO, board report');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
