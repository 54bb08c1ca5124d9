/**
 * Browser test support: serves the BUILT task pane (dist/excel-addin) over http://127.0.0.1, and
 * turns the fake Office.js into a plain script that Chromium loads where office.js would be (the
 * manifest's CDN address is intercepted; nothing reaches the network).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import ts from 'typescript';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { FakeOptions } from './fake/fake-office';

export const DIST = join(__dirname, '..', '..', 'dist', 'excel-addin');
export const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.xml': 'application/xml',
};

/** Serves `dir` (default: the build in dist/excel-addin) over http://127.0.0.1 on a free port. */
export function serveDist(dir: string = DIST): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/')).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    try {
      const body = readFileSync(join(dir, path));
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

let fakeScript: string | undefined;

/** The fake as a browser script: installs Excel, Office and OfficeRuntime on window from window.__fakeOptions. */
export function fakeOfficeScript(): string {
  if (fakeScript) return fakeScript;
  const source = readFileSync(join(__dirname, 'fake', 'fake-office.ts'), 'utf8');
  const js = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS },
  }).outputText;
  fakeScript = `(function () { var exports = {}; var module = { exports: exports };\n${js}\n
    window.__fake = exports.installFakeOffice(window, window.__fakeOptions || {}); })();`;
  return fakeScript;
}

export function launch(): Promise<Browser> {
  return chromium.launch({
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
}

/** Opens the built task pane with the fake injected where office.js would be. */
export async function openPane(
  browser: Browser,
  url: string,
  options: FakeOptions,
  /** A script run in the page before anything else (e.g. to take a capability away). */
  before?: string,
): Promise<{ page: Page; errors: string[]; outside: string[]; served: string[] }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  /** Requests for anything but the served pane and office.js: refused, and listed here. */
  const outside: string[] = [];
  /** Files the page asked the pane's server for, by path ("/taskpane.js"), in order. */
  const served: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u === OFFICE_JS)
      return route.fulfill({ status: 200, contentType: 'text/javascript', body: fakeOfficeScript() });
    if (u.startsWith(url)) {
      served.push(u.slice(url.length).split('?')[0] ?? '');
      return route.continue();
    }
    outside.push(u);
    return route.abort();
  });
  await page.addInitScript(
    (o) => {
      (window as unknown as { __fakeOptions: unknown }).__fakeOptions = o;
    },
    options as unknown as Record<string, unknown>,
  );
  if (before) await page.addInitScript(before);
  await page.goto(`${url}/taskpane.html`);
  return { page, errors, outside, served };
}
