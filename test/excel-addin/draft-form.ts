/**
 * The Board panel's Draft amendment form (ui/board.ts), filled by keyboard alone in a built pane or
 * sidebar: the same ids in both hosts but the button's.
 */
import type { Page } from 'playwright-core';

const focused = (page: Page): Promise<string | undefined> => page.evaluate(() => document.activeElement?.id);

/**
 * From the ID field, Tab to the site (ArrowDown `siteDown` times), the lines (Enter between them), the
 * reason and the button, checking where the focus is at each step; presses the button with Enter and
 * returns the message the host shows.
 */
export async function draftByKeyboard(
  page: Page,
  f: {
    readonly siteDown?: number;
    readonly lines: readonly string[];
    readonly reason: string;
    readonly button: string;
  },
): Promise<string> {
  await page.focus('#draft-id');
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('draft-site');
  for (let i = 0; i < (f.siteDown ?? 0); i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('draft-lines');
  for (const [i, line] of f.lines.entries()) {
    if (i > 0) await page.keyboard.press('Enter');
    await page.keyboard.type(line);
  }
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('draft-reason');
  await page.keyboard.type(f.reason);
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe(f.button);
  await page.evaluate(() => {
    const m = document.getElementById('message');
    if (m) m.textContent = '';
  });
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => (document.getElementById('message')?.textContent ?? '') !== '');
  return (await page.textContent('#message')) ?? '';
}

/** What the form offers once shown: the next free ID and the sites' labels. */
export async function draftOffer(page: Page): Promise<{ id: string; sites: (string | null)[] }> {
  await page.waitForSelector('#board-draft:not([hidden])');
  return {
    id: await page.inputValue('#draft-id'),
    sites: await page.$$eval('#draft-site option', (os) => os.map((o) => o.textContent)),
  };
}
