/**
 * The BUILT task pane (dist/excel-addin, from `npm run build`) in Debian's Chromium, with the fake
 * Office.js served where office.js would be. One browser for the file.
 */
import type { Server } from 'node:http';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { APPROVER, BUILDER, CFO, SITE_SHEET, districtSheets, siteColumn, siteRow } from './district';
import { axeViolations } from './axe';
import { DIST, launch, openPane, serveDist } from './browser';
import type { FakeCellValue, FakeOffice } from './fake/fake-office';
import { AUDIT_COLUMNS, SITE_HEADER } from '../../core';

jest.setTimeout(90_000);

const SHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');
const ACCOUNT = siteColumn('Account');
const describeBuilt = existsSync(join(DIST, 'taskpane.html')) ? describe : describe.skip;

type FakeWindow = Window & { __fake: FakeOffice; __xss?: unknown };

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

async function cell(page: Page, sheet: string, address: string) {
  return page.evaluate(
    ([s, a]) => (window as unknown as FakeWindow).__fake.cell(s as string, a as string),
    [sheet, address],
  );
}

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

async function clickAndWait(page: Page, selector: string): Promise<string> {
  await page.evaluate(() => {
    const m = document.getElementById('message');
    if (m) m.textContent = '';
  });
  await page.click(selector);
  return message(page);
}

/**
 * Every run writes the pictures under dist/screenshots (for a look); docs/screenshots, which the README
 * shows, only on request (UPDATE_SCREENSHOTS=1, as `npm run screenshots:excel` sets), so `npm test`
 * leaves the work tree as it was.
 */
async function shot(page: Page, name: string): Promise<void> {
  const dirs = [join(__dirname, '..', '..', 'dist', 'screenshots')];
  if (process.env['UPDATE_SCREENSHOTS'] === '1') dirs.push(SHOTS);
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, name), fullPage: true, animations: 'disabled', caret: 'hide' });
  }
}

describeBuilt('the built task pane in Chromium', () => {
  it('walks validate → fix → submit → approve → consolidate, on the page and in the workbook', async () => {
    const { page, errors } = await openPane(browser, url, { sheets: await districtSheets() });
    await page.waitForSelector('#site option', { state: 'attached' });
    expect(await page.textContent('#user')).toContain('self-declared');
    expect(await page.isVisible('#identity')).toBe(true);
    await pick(page, BUILDER.email);

    // validate: the wrong object code is listed, and marked in the workbook
    expect(await clickAndWait(page, '#validate')).toMatch(/1 problem to fix/);
    await page.waitForSelector('#findings .bl-finding');
    const finding = page.locator('#findings .bl-finding', { hasText: 'BL104' }).first();
    expect(await finding.textContent()).toContain(`${SITE_SHEET}!${ACCOUNT}3`);
    expect((await cell(page, SITE_SHEET, `${ACCOUNT}3`)).fill).toBe('#FFC7CE');
    expect((await cell(page, SITE_SHEET, `${ACCOUNT}3`)).note).toContain('BL104');
    expect(await page.isVisible('#submit')).toBe(true);
    expect(await page.isVisible('#approve')).toBe(false);
    await shot(page, 'excel-findings.png');

    // click a finding → the cell is selected
    await finding.click();
    await page.waitForFunction(() => (window as unknown as FakeWindow).__fake.book.selection !== null);
    expect(await page.evaluate(() => (window as unknown as FakeWindow).__fake.book.selection)).toEqual({
      sheet: SITE_SHEET,
      address: `${ACCOUNT}3`,
    });

    // submitting is refused while the finding stands
    expect(await clickAndWait(page, '#submit')).not.toMatch(/submitted for approval\.?$/i);
    expect((await page.textContent('#state'))?.trim()).toBe('draft');

    // fix the cell as a user would: live validation clears the mark and the finding
    const syncs = await page.evaluate(
      async ([s, a]) => {
        const f = (window as unknown as FakeWindow).__fake;
        f.resetStats();
        await f.userEdit(s as string, a as string, [['100-2220-640-100-001']]);
        await f.settle();
        return f.book.stats.syncs;
      },
      [SITE_SHEET, `${ACCOUNT}3`],
    );
    expect(syncs).toBe(2);
    expect(await cell(page, SITE_SHEET, `${ACCOUNT}3`)).not.toHaveProperty('fill');
    await page.waitForFunction(() => !document.getElementById('findings')?.textContent?.includes('BL104'));

    // submit
    expect(await clickAndWait(page, '#submit')).toMatch(/submitted/i);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'submitted');
    const model = await page.evaluate(
      (s) => (window as unknown as FakeWindow).__fake.sheetModel(s).protected,
      SITE_SHEET,
    );
    expect(model).toBe(true);
    expect(await page.isVisible('#submit')).toBe(false);

    // the approver approves
    await pick(page, APPROVER.email);
    await page.waitForSelector('#approve:not([hidden])');
    expect(await page.isVisible('#return')).toBe(true);
    expect(await clickAndWait(page, '#approve')).toMatch(/approved/i);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'approved');
    const audit = await page.evaluate(() => (window as unknown as FakeWindow).__fake.values('Audit'));
    expect(audit.map((r) => r.join(' ')).join('\n')).toMatch(/self-declared/);

    // the CFO consolidates
    await pick(page, CFO.email);
    await page.waitForSelector('#district:not([hidden])');
    expect(await page.isVisible('#reopen')).toBe(true);
    expect(await clickAndWait(page, '#consolidate')).toMatch(/Master Budget written/);
    const master = await page.evaluate(() =>
      (window as unknown as FakeWindow).__fake.values('Master Budget'),
    );
    expect(master.length).toBeGreaterThan(1);
    await shot(page, 'excel-approved.png');

    // export downloads a file
    const download = page.waitForEvent('download');
    await page.click('#export');
    expect((await download).suggestedFilename()).toMatch(/\w/);

    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows a finding that names many sites with the first few, the whole list folded under "All N"', async () => {
    const sheets = await districtSheets();
    const sites = sheets['Sites'] ?? [];
    const head = (sites[0] ?? []).map(String);
    for (const [code, name] of [
      ['002', 'Adams Middle'],
      ['003', 'Baker High'],
      ['004', 'Carver Elementary'],
    ] as const) {
      const row: FakeCellValue[] = head.map(() => '');
      row[head.indexOf('Site')] = code;
      row[head.indexOf('Name')] = name;
      row[head.indexOf('Enrollment')] = 300;
      sites.push(row);
      sheets[name] = [[...SITE_HEADER]];
    }
    const { page, errors } = await openPane(browser, url, { sheets });
    await page.waitForSelector('#site option', { state: 'attached' });
    await pick(page, CFO.email);
    await page.waitForSelector('#district:not([hidden])');
    await page.selectOption('#unapproved', 'include-marked');
    expect(await clickAndWait(page, '#consolidate')).toMatch(/Master Budget written/);
    const item = page.locator('#messages li', { hasText: 'BL713' });
    expect(await item.locator('.bl-finding').textContent()).toMatch(
      /4 sites are included but not approved \(marked unapproved\): 001, 002, 003 and 1 more/,
    );
    const summary = item.locator('details.bl-items summary');
    expect(await summary.textContent()).toBe('All 4');
    expect(await item.locator('details.bl-items p').isVisible()).toBe(false);
    await summary.focus();
    await page.keyboard.press('Enter');
    expect(await item.locator('details.bl-items p').textContent()).toBe('001; 002; 003; 004');
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows the CFO the fund summary and the three-year projection, warnings in words, by keyboard', async () => {
    const { page, errors } = await openPane(browser, url, { sheets: await districtSheets() });
    await page.waitForSelector('#site option', { state: 'attached' });
    await pick(page, CFO.email);
    await page.waitForSelector('#district:not([hidden])');
    await page.selectOption('#unapproved', 'include-marked');
    expect(await clickAndWait(page, '#consolidate')).toMatch(/Master Budget written/);
    await page.waitForSelector('#funds:not([hidden]) table');
    const summary = await page.$$eval('#funds tbody tr', (trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')),
    );
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
    const all = summary.find((r) => r[0] === 'All funds');
    expect(all).toBeDefined();
    // the site's lines are expenditures: a workbook with no revenue estimates deficit-spends, said in words
    expect(all?.[2]).not.toBe('$0.00');
    expect(all?.[10]).toMatch(/Deficit spending: \$[\d,]+\.\d\d more out than in/);
    expect(summary.length).toBeGreaterThan(1);

    // the projection, reached and run from the keyboard only
    await page.focus('#consolidate');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('project');
    await page.evaluate(() => {
      const m = document.getElementById('message');
      if (m) m.textContent = '';
    });
    await page.keyboard.press('Enter');
    expect(await message(page)).toMatch(/^Projection FY2027–FY2029/);
    await page.waitForSelector('#projection-view:not([hidden]) table');
    const years = await page.$$eval('#projection-view tbody tr', (trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')),
    );
    expect([...new Set(years.map((r) => r[0]))]).toEqual(['FY2027', 'FY2028', 'FY2029']);
    expect(years.filter((r) => r[1] === 'All funds')).toHaveLength(3);
    expect(years.every((r) => (r[6] ?? '') !== '')).toBe(true);
    // the scrolling tables take focus, so a keyboard user can scroll them
    expect(await page.getAttribute('#projection-view', 'tabindex')).toBe('0');
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'excel-funds.png');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("shows each step's receipt with copy and download, and refuses a step whose chain head moved", async () => {
    const { page, errors } = await openPane(browser, url, { sheets: await districtSheets() });
    await page.waitForSelector('#site option', { state: 'attached' });
    await pick(page, BUILDER.email);
    expect(await page.isVisible('#receipt')).toBe(false);
    await page.evaluate(
      ([s, a]) =>
        (window as unknown as FakeWindow).__fake.userEdit(s as string, a as string, [
          ['100-2220-640-100-001'],
        ]),
      [SITE_SHEET, `${ACCOUNT}3`],
    );
    expect(await clickAndWait(page, '#submit')).toMatch(/submitted/i);

    // the receipt: one JSON line naming the step and the audit row it wrote
    await page.waitForSelector('#receipt:not([hidden])');
    const text = (await page.textContent('#receipt-text')) ?? '';
    const receipt = JSON.parse(text) as {
      site: string;
      action: string;
      entryHash: string;
      chainHead: string;
    };
    expect(receipt).toMatchObject({ site: '001', action: 'submit' });
    const audit = await page.evaluate(() => (window as unknown as FakeWindow).__fake.values('Audit'));
    expect(audit.at(-1)).toContain(receipt.chainHead);

    // copy: without clipboard permission the text is selected for Ctrl+C
    await page.evaluate(() => {
      Object.defineProperty(navigator, 'clipboard', {
        configurable: true,
        value: { writeText: () => Promise.reject(new Error('denied')) },
      });
    });
    expect(await clickAndWait(page, '#receipt-copy')).toMatch(/selected/i);
    expect(await page.evaluate(() => window.getSelection()?.toString())).toBe(text);
    // with the clipboard, the receipt is on it
    await page.evaluate(() => {
      const w = window as unknown as { __copied?: string };
      Object.defineProperty(navigator, 'clipboard', {
        configurable: true,
        value: {
          writeText: (t: string) => {
            w.__copied = t;
            return Promise.resolve();
          },
        },
      });
    });
    expect(await clickAndWait(page, '#receipt-copy')).toMatch(/copied/i);
    expect(await page.evaluate(() => (window as unknown as { __copied?: string }).__copied)).toBe(text);

    // download: a .jsonl file holding the receipt
    const download = page.waitForEvent('download');
    await page.click('#receipt-download');
    const file = await download;
    expect(file.suggestedFilename()).toBe('budgetline.receipts.jsonl');
    const path = await file.path();
    expect(readFileSync(path, 'utf8').trim()).toBe(text);

    // co-authoring: between the pane's read and its write, someone else changes the chain head
    await pick(page, APPROVER.email);
    await page.waitForSelector('#approve:not([hidden])');
    await page.evaluate(
      ([col]) => {
        const w = window as unknown as FakeWindow & { Excel: { run: (...a: unknown[]) => Promise<unknown> } };
        const run = w.Excel.run.bind(w.Excel);
        let calls = 0;
        w.Excel.run = async (...a: unknown[]) => {
          calls += 1;
          if (calls === 2) {
            const rows = w.__fake.values('Audit').length;
            await w.__fake.userEdit('Audit', `${col as string}${rows}`, [['f'.repeat(64)]]);
          }
          return run(...a);
        };
      },
      [String.fromCharCode(64 + AUDIT_COLUMNS.length)],
    );
    const auditBefore = await page.evaluate(() => (window as unknown as FakeWindow).__fake.values('Audit'));
    expect(await clickAndWait(page, '#approve')).toMatch(
      /changed by someone else.*nothing was written.*Run it again/,
    );
    expect(await page.evaluate(() => (window as unknown as FakeWindow).__fake.values('Audit'))).toHaveLength(
      auditBefore.length,
    );
    const after = await page.evaluate(() => (window as unknown as FakeWindow).__fake.values('Audit'));
    expect(after.some((r) => r.includes('approve'))).toBe(false);
    expect(await page.isVisible('#receipt')).toBe(false);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('runs the ribbon commands through Office.actions.associate', async () => {
    const { page, errors } = await openPane(browser, url, { sheets: await districtSheets() });
    await page.waitForSelector('#site option', { state: 'attached' });
    const names = await page.evaluate(() =>
      [...(window as unknown as FakeWindow).__fake.actions.keys()].sort(),
    );
    expect(names).toEqual(['boardReport', 'consolidateDistrict', 'submitForApproval', 'validateWorkbook']);
    await page.evaluate(() => (window as unknown as FakeWindow).__fake.invoke('validateWorkbook'));
    expect(await message(page)).toMatch(/1 problem to fix/);
    expect((await cell(page, SITE_SHEET, `${ACCOUNT}3`)).fill).toBe('#FFC7CE');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('uses the Office single sign-on user, verified, without asking for a name', async () => {
    const { page, errors } = await openPane(browser, url, {
      sheets: await districtSheets(),
      ssoUser: BUILDER.email,
    });
    await page.waitForSelector('#site option', { state: 'attached' });
    expect(await page.textContent('#user')).toContain(`${BUILDER.email} (verified`);
    expect(await page.isVisible('#identity')).toBe(false);
    await page.waitForSelector('#submit:not([hidden])');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('never fetches MSAL in a build without a client ID, even in an Excel with NAA', async () => {
    // MSAL is its own chunk beside taskpane.js, not in it (src/signin.ts imports it on demand).
    const chunk = readdirSync(DIST).find((f) => /^msal\.[0-9a-f]{8}\.js$/.test(f));
    expect(chunk).toBeDefined();
    expect(readFileSync(join(DIST, chunk ?? ''), 'utf8')).toContain('nestedAppAuthBridge');
    expect(readFileSync(join(DIST, 'taskpane.js'), 'utf8')).not.toContain('nestedAppAuthBridge');
    const { page, errors, outside, served } = await openPane(browser, url, {
      sheets: await districtSheets(),
      naa: { user: BUILDER.email },
      ssoUser: BUILDER.email,
    });
    await page.waitForSelector('#site option', { state: 'attached' });
    expect(await page.textContent('#user')).toBe(
      `Signed in as ${BUILDER.email} (verified by Office single sign-on)`,
    );
    expect(await page.evaluate(() => (window as unknown as FakeWindow).__fake.naaRequests.length)).toBe(0);
    expect(served).toContain('/taskpane.js');
    expect(served.filter((f) => /msal/.test(f))).toEqual([]);
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows cell text as text: a description or account holding markup never becomes HTML', async () => {
    const payload = '<img src=x onerror="window.__xss=1">';
    const sheets = await districtSheets([
      siteRow({ Type: 'Line', Account: payload, Description: payload, Amount: 10 }) as FakeCellValue[],
    ]);
    const sites = sheets['Sites'] as FakeCellValue[][];
    (sites[1] as FakeCellValue[])[1] = `Lincoln ${payload}`;
    const { page, errors } = await openPane(browser, url, { sheets });
    await page.waitForSelector('#site option', { state: 'attached' });
    await pick(page, BUILDER.email);
    await clickAndWait(page, '#validate');
    await page.waitForSelector('#findings .bl-finding');
    expect(await page.textContent('#findings')).toContain('<img src=x');
    expect(await page.textContent('#site')).toContain('<img src=x');
    expect(await page.evaluate(() => document.querySelectorAll('body img').length)).toBe(1); // the header icon
    expect(await page.evaluate(() => (window as unknown as FakeWindow).__xss)).toBeUndefined();
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
