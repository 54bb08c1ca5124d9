/**
 * The BUILT task pane (dist/excel-addin) in Debian's Chromium with Microsoft's real office.js, from
 * the @microsoft/office-js package, outside Office. Every request is routed: the pane's own files come
 * from a local server, the CDN address of office.js (and the files office.js loads next to itself) from
 * the package on disk; anything else is aborted and fails the test, so nothing leaves the machine.
 *
 * The other browser tests run over the Office.js test double; this one shows the pane boots with the
 * library Excel really serves, and says plainly where it belongs when opened anywhere else.
 */
import type { Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { axeViolations } from './axe';
import { DIST, OFFICE_JS, launch, serveDist } from './browser';

jest.setTimeout(60_000);

const PACKAGE = join(__dirname, '..', '..', 'node_modules', '@microsoft', 'office-js');
const PACKAGE_DIST = join(PACKAGE, 'dist');
/** office.js loads its companion files from the folder it was loaded from. */
const CDN_FOLDER = OFFICE_JS.slice(0, OFFICE_JS.lastIndexOf('/') + 1);
/**
 * office.js starts a telemetry logger that, 3 s after loading, appends a hidden iframe to
 * https://telemetryservice.firstpartyapps.oaspapps.com (o15apptofilemappingtable.js, ULSEndpointProxy).
 * The pane's Content-Security-Policy allows frames of login.microsoftonline.com only, so frame-src blocks the frame before
 * any request is made, and Chromium reports it: the frame, and its style="display:none" attribute
 * (style-src 'self'; the hash is sha256("display:none")). Those two reports, and only those, are
 * expected; they are the CSP doing its job.
 */
const TELEMETRY_FRAME =
  /^Framing 'https:\/\/telemetryservice\.firstpartyapps\.oaspapps\.com\/' violates .*frame-src https:\/\/login\.microsoftonline\.com/;
const TELEMETRY_FRAME_STYLE =
  /^Applying inline style violates .*style-src 'self'.*'sha256-aqNNdDLnnrDOnTNdkJpYlAxKVJtLt9CtFLklmInuUAE='/;

const built = existsSync(join(DIST, 'taskpane.html'));

let browser: Browser;
let server: Server;
let url: string;

beforeAll(async () => {
  if (!built) throw new Error('dist/excel-addin is missing: run `npm run build` (npm test does) first');
  ({ server, url } = await serveDist());
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
});

interface Opened {
  page: Page;
  /** Page errors (uncaught exceptions, unhandled rejections). */
  pageErrors: string[];
  /** Console errors and warnings. */
  consoleErrors: string[];
  /** Requests served from the package, by path under dist/. */
  fromPackage: string[];
  /** Requests that would have left the machine (aborted). */
  outside: string[];
}

async function openWithRealOfficeJs(): Promise<Opened> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 700 },
    serviceWorkers: 'block',
  });
  const page = await context.newPage();
  const opened: Opened = { page, pageErrors: [], consoleErrors: [], fromPackage: [], outside: [] };
  page.on('pageerror', (e) => opened.pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') opened.consoleErrors.push(m.text());
  });
  await context.route('**/*', async (route) => {
    const u = route.request().url();
    if (u.startsWith(`${url}/`)) return route.continue();
    if (u.startsWith(CDN_FOLDER)) {
      const path = normalize(new URL(u).pathname.slice(new URL(CDN_FOLDER).pathname.length));
      const file = join(PACKAGE_DIST, path);
      if (!path.startsWith('..') && existsSync(file)) {
        opened.fromPackage.push(path);
        return route.fulfill({ status: 200, contentType: 'text/javascript', body: readFileSync(file) });
      }
    }
    opened.outside.push(u);
    return route.abort('blockedbyclient');
  });
  return opened;
}

/** Waits until office.js's telemetry frame was blocked (it is attempted 3 s after load). */
function telemetryFrameBlocked(page: Page): Promise<ConsoleMessage> {
  return page.waitForEvent('console', { predicate: (m) => TELEMETRY_FRAME.test(m.text()), timeout: 15_000 });
}

describe('the built task pane with the real office.js, outside Office', () => {
  it('boots: Office.onReady resolves, the pane says to open it in Excel, nothing throws, nothing leaves', async () => {
    const o = await openWithRealOfficeJs();
    const blocked = telemetryFrameBlocked(o.page);
    await o.page.goto(`${url}/taskpane.html`);

    // The real library, not the double: Microsoft's OSF runtime is there and loaded its companion file.
    expect(await o.page.evaluate(() => typeof (window as unknown as { OSF?: unknown }).OSF)).toBe('object');
    expect(await o.page.evaluate(() => '__fake' in window)).toBe(false);
    expect(o.fromPackage).toEqual(expect.arrayContaining(['office.js', 'o15apptofilemappingtable.js']));

    // Office.onReady resolves, outside Office, with no host.
    const info = await o.page.evaluate(() =>
      Promise.race([
        Office.onReady().then((i) => ({ host: i.host, platform: i.platform })),
        new Promise((_, reject) =>
          setTimeout(() => reject(new Error('Office.onReady did not resolve')), 10_000),
        ),
      ]),
    );
    expect(info).toEqual({ host: null, platform: null });

    // The pane says where it belongs, and shows none of the controls that need a workbook.
    await o.page.waitForSelector('#outside', { state: 'visible' });
    expect(await o.page.textContent('#outside h2')).toBe('Open this in Excel');
    expect(await o.page.textContent('#outside')).toMatch(/only works inside Excel/);
    expect(await o.page.getAttribute('#outside', 'role')).toBe('alert');
    expect(await o.page.textContent('#user')).toBe('Not running in Excel.');
    const visibleSections = await o.page.$$eval('body > section', (s) =>
      s.filter((e) => !(e as HTMLElement).hidden).map((e) => e.id),
    );
    expect(visibleSections).toEqual(['outside']);
    expect(await o.page.textContent('#message')).toBe('');
    expect(await axeViolations(o.page)).toEqual([]);

    // Let office.js finish starting (its telemetry frame comes 3 s in), then check nothing went wrong.
    await blocked;
    expect(o.pageErrors).toEqual([]);
    expect(o.outside).toEqual([]);
    const unexpected = o.consoleErrors.filter(
      (t) => !TELEMETRY_FRAME.test(t) && !TELEMETRY_FRAME_STYLE.test(t),
    );
    expect(unexpected).toEqual([]);
    await o.page.context().close();
  });

  it('fails when a request would leave the machine (the routing is real)', async () => {
    const o = await openWithRealOfficeJs();
    // (The pane's CSP would stop a fetch before routing; a navigation is not under the pane's CSP.)
    await expect(o.page.goto('https://example.com/')).rejects.toThrow();
    expect(o.outside).toEqual(['https://example.com/']);
    await o.page.context().close();
  });
});

describe('the office.js the production build references', () => {
  const html = built ? readFileSync(join(DIST, 'taskpane.html'), 'utf8') : '';
  // The production build minifies the page: attribute values may be unquoted.
  const scripts = [...html.matchAll(/<script[^>]*\ssrc=(?:"([^"]+)"|([^\s>"]+))/g)].map(
    (m) => (m[1] ?? m[2]) as string,
  );

  it("is Microsoft's CDN office.js on the same version line as @microsoft/office-js", () => {
    const cdn = scripts.filter((s) => /office\.js$/.test(s));
    expect(cdn).toEqual([OFFICE_JS]);
    const line = /^https:\/\/appsforoffice\.microsoft\.com\/lib\/(\d+)\/hosted\/office\.js$/.exec(
      cdn[0] ?? '',
    )?.[1];
    const pkg = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as { version: string };
    expect(line).toBeDefined();
    expect(pkg.version.split('.')[0]).toBe(line);
  });

  it('loads office.js before the bundle (Office.onReady needs it)', () => {
    expect(scripts.indexOf(OFFICE_JS)).toBeGreaterThanOrEqual(0);
    expect(scripts.indexOf(OFFICE_JS)).toBeLessThan(scripts.findIndex((s) => s.endsWith('taskpane.js')));
  });
});
