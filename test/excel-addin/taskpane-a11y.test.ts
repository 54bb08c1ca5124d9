/**
 * Accessibility of the BUILT task pane in Chromium (over the Office.js test double): axe-core finds
 * no WCAG 2.1 A/AA violation in any state the pane shows, severity is said in words and an icon, and
 * the whole approval path — pick a name, validate, submit, approve, consolidate, export — is walked
 * with the keyboard alone (Tab to a control, Enter / Space / typing to use it; no mouse, no clicks).
 */
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { APPROVER, BUILDER, CFO, SITE_SHEET, districtSheets, siteColumn } from './district';
import { axeViolations } from './axe';
import { launch, openPane, serveDist } from './browser';
import type { FakeOffice } from './fake/fake-office';

jest.setTimeout(120_000);

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

/** Presses Tab until `selector` has the focus (at most 80 times); the path there is the pane's tab order. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`${selector} cannot be reached with Tab`);
}

/** Picks a name in the identity list by typing it, as a keyboard user does on a focused <select>. */
async function pickByKeyboard(page: Page, email: string): Promise<void> {
  await tabTo(page, '#act-as');
  await page.keyboard.type(email);
  await page.waitForFunction(
    (e) => document.getElementById('user')?.textContent?.includes(e as string),
    email,
  );
}

async function pressAndWait(page: Page, selector: string, key: 'Enter' | ' ' = 'Enter'): Promise<string> {
  await page.evaluate(() => {
    const m = document.getElementById('message');
    if (m) m.textContent = '';
  });
  await tabTo(page, selector);
  await page.keyboard.press(key === ' ' ? 'Space' : key);
  await page.waitForFunction(() => (document.getElementById('message')?.textContent ?? '') !== '');
  return (await page.textContent('#message')) ?? '';
}

async function noViolations(page: Page, state: string): Promise<void> {
  const found = await axeViolations(page);
  expect({ state, violations: found }).toEqual({ state, violations: [] });
}

describe('the built task pane, accessibly', () => {
  it('has no axe-core violations, and is walked submit → approve → consolidate → export by keyboard alone', async () => {
    const { page, errors } = await openPane(browser, url, { sheets: await districtSheets() });
    await page.waitForSelector('#site option', { state: 'attached' });
    await noViolations(page, 'opened, no name picked');

    await pickByKeyboard(page, BUILDER.email);
    expect(await pressAndWait(page, '#validate')).toMatch(/1 problem to fix/);
    await page.waitForSelector('#findings .bl-finding');
    await noViolations(page, 'a finding listed');

    // severity in words and an icon, not colour alone
    const finding = page.locator('#findings .bl-finding', { hasText: 'BL104' }).first();
    expect(await finding.locator('.bl-sev').textContent()).toMatch(/^\S+\s*Error: $/);
    expect(await finding.locator('.bl-icon').getAttribute('aria-hidden')).toBe('true');

    // a finding is a button: Enter on it selects the cell in Excel
    await tabTo(page, '#findings .bl-finding.fatal');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => (window as unknown as FakeWindow).__fake.book.selection !== null);

    // the user fixes the cell in Excel, then submits from the keyboard
    await page.evaluate(
      async ([s, a]) => {
        const fake = (window as unknown as FakeWindow).__fake;
        await fake.userEdit(s as string, a as string, [['100-2220-640-100-001']]);
        await fake.settle();
      },
      [SITE_SHEET, `${ACCOUNT}3`],
    );
    await page.waitForFunction(() => !document.getElementById('findings')?.textContent?.includes('BL104'));
    expect(await pressAndWait(page, '#submit', ' ')).toMatch(/submitted/i);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'submitted');
    expect(await page.isVisible('#receipt')).toBe(true); // checked with the receipt shown
    await noViolations(page, 'submitted');

    // the approver: a comment typed into the labelled box, then Approve
    await pickByKeyboard(page, APPROVER.email);
    await page.waitForSelector('#approve:not([hidden])');
    await tabTo(page, '#comment');
    await page.keyboard.type('Checked against the enrollment projection.');
    await noViolations(page, 'approver with a comment');
    expect(await pressAndWait(page, '#approve')).toMatch(/approved/i);
    await page.waitForFunction(() => document.getElementById('state')?.textContent === 'approved');

    // the CFO consolidates and exports
    await pickByKeyboard(page, CFO.email);
    await page.waitForSelector('#district:not([hidden])');
    await noViolations(page, 'the CFO, district actions shown');
    expect(await pressAndWait(page, '#consolidate')).toMatch(/Master Budget written/);
    const master = await page.evaluate(() =>
      (window as unknown as FakeWindow).__fake.values('Master Budget'),
    );
    expect(master.length).toBeGreaterThan(1);
    const download = page.waitForEvent('download');
    await tabTo(page, '#export');
    await page.keyboard.press('Enter');
    expect((await download).suggestedFilename()).toMatch(/\w/);
    await noViolations(page, 'after consolidate and export');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('has no axe-core violations at ExcelApi 1.14 (the no-notes notice shown)', async () => {
    const { page, errors } = await openPane(browser, url, { sheets: await districtSheets(), excelApi: 14 });
    await page.waitForSelector('#capability:not([hidden])');
    await noViolations(page, 'ExcelApi 1.14');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('names its progress bar and labels every control', async () => {
    const { page } = await openPane(browser, url, { sheets: await districtSheets() });
    await page.waitForSelector('#site option', { state: 'attached' });
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('button, select, textarea, input, progress')]
        .filter((e) => {
          const labelled = (e as HTMLInputElement).labels?.length;
          const named = e.getAttribute('aria-label') || e.getAttribute('aria-labelledby');
          const text = e.tagName === 'BUTTON' && (e.textContent ?? '').trim();
          return !labelled && !named && !text;
        })
        .map((e) => e.id || e.outerHTML),
    );
    expect(unnamed).toEqual([]);
    await page.context().close();
  });

  it('would report a violation (axe-core really runs in the page)', async () => {
    const { page } = await openPane(browser, url, { sheets: await districtSheets() });
    await page.waitForSelector('#site option', { state: 'attached' });
    await page.evaluate(() => {
      const unlabelled = document.createElement('select');
      document.body.append(unlabelled);
    });
    expect((await axeViolations(page)).map((v) => v.id)).toContain('select-name');
    await page.context().close();
  });
});
