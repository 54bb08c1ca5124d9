/**
 * Sign-in in the BUILT task pane, built as a district would build it (BUDGETLINE_ADDIN_URL and
 * BUDGETLINE_CLIENT_ID set), in Chromium over the Office.js test double:
 * - Excel with nested app authentication: the real MSAL.js in the bundle asks Excel's broker (the
 *   fake's `window.nestedAppAuthBridge`, which speaks MSAL's bridge protocol) for a token of the
 *   configured client ID; the pane shows the verified user and how;
 * - the broker needs the user (consent): MSAL's popup through the broker;
 * - Excel without NAA: the legacy Office single sign-on;
 * - the sign-in fails or is not a district account: the person picks their name, self-declared, and
 *   the pane says why and what self-declared means.
 * Nothing leaves the machine: every request but the pane's own and office.js is refused and listed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CONSUMER_TENANT } from '../../core';
import { axeViolations } from './axe';
import { launch, openPane, serveDist } from './browser';
import { BUILDER, SITE_SHEET, districtSheets, siteColumn } from './district';
import type { FakeOffice, FakeOptions } from './fake/fake-office';

jest.setTimeout(240_000);

const root = join(__dirname, '..', '..');
const CLIENT = '3f2a9c1e-5b7d-4e2f-9a10-6c8d2e4b1f07';
const ADDIN_URL = 'https://apps.lincoln-usd.org/budgetline';
type FakeWindow = Window & { __fake: FakeOffice };

let out: string;
let browser: Browser;
let server: Server;
let url: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'budgetline-signin-'));
  const build = spawnSync(
    process.execPath,
    [
      require.resolve('webpack-cli/bin/cli.js'),
      '--config',
      join(root, 'excel-addin', 'webpack.config.js'),
      '--mode',
      'production',
      '--output-path',
      out,
    ],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, BUDGETLINE_ADDIN_URL: ADDIN_URL, BUDGETLINE_CLIENT_ID: CLIENT },
    },
  );
  if (build.status !== 0) throw new Error(`webpack failed:\n${build.stdout}\n${build.stderr}`);
  ({ server, url } = await serveDist(out));
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  rmSync(out, { recursive: true, force: true });
});

/** The legacy SSO token is for the manifest's WebApplicationInfo Resource, as Office issues it. */
function resource(): string {
  return /<Resource>([^<]+)<\/Resource>/.exec(readFileSync(join(out, 'manifest.xml'), 'utf8'))?.[1] ?? '';
}

async function open(options: FakeOptions) {
  const o = await openPane(browser, url, {
    sheets: await districtSheets(),
    ssoResource: resource(),
    ...options,
  });
  await o.page.waitForSelector('#site option', { state: 'attached' });
  return o;
}

/** The district's site sheet has one wrong account (row 3): the user corrects it, as before submitting. */
async function fixTheBadAccount(page: Page): Promise<void> {
  await page.evaluate(
    async ([sheet, cell]) => {
      const f = (window as unknown as FakeWindow).__fake;
      await f.userEdit(sheet as string, cell as string, [['100-2220-640-100-001']]);
      await f.settle();
    },
    [SITE_SHEET, `${siteColumn('Account')}3`],
  );
}

const fake = <T>(page: Page, f: (fake: FakeOffice) => T): Promise<T> =>
  page.evaluate(`(${f.toString()})(window.__fake)`) as Promise<T>;

describe('the production build', () => {
  it('carries the configuration: the manifest for its URL and client ID, the client ID in the bundle', () => {
    const manifest = readFileSync(join(out, 'manifest.xml'), 'utf8');
    expect(manifest).toContain(`<SourceLocation DefaultValue="${ADDIN_URL}/taskpane.html"/>`);
    expect(manifest).toContain(`<Id>${CLIENT}</Id>`);
    expect(manifest).not.toMatch(/localhost/);
    const check = spawnSync(process.execPath, [join(root, 'scripts', 'check-manifests.js'), out], {
      encoding: 'utf8',
    });
    expect(check.stdout).toContain('manifest.xml: valid against the Office add-in manifest schema');
    expect(check.status).toBe(0);
    expect(readFileSync(join(out, 'taskpane.js'), 'utf8')).toContain(CLIENT);
  });

  it("lets the pane reach Microsoft's sign-in endpoint and nothing else new (CSP)", () => {
    const html = readFileSync(join(out, 'taskpane.html'), 'utf8');
    const csp = /http-equiv="?Content-Security-Policy"?\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives['connect-src']).toEqual(["'self'", 'https://login.microsoftonline.com']);
    expect(directives['frame-src']).toEqual(['https://login.microsoftonline.com']);
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'", 'https://appsforoffice.microsoft.com']);
  });
});

describe('sign-in in the built pane', () => {
  it('Excel with NAA: MSAL gets a token through Excel for the configured app; verified, no name to pick', async () => {
    const { page, errors, outside, served } = await open({ naa: { user: 'Principal@District.k12.us' } });
    await page.waitForFunction(() => document.getElementById('user')?.textContent?.includes('Signed in'));
    // MSAL came from the pane's own origin, as its own chunk, once.
    expect(served.filter((f) => /msal/.test(f))).toEqual([
      expect.stringMatching(/^\/msal\.[0-9a-f]{8}\.js$/),
    ]);
    expect(await page.textContent('#user')).toBe(
      `Signed in as ${BUILDER.email} (verified by Microsoft Entra ID (nested app authentication))`,
    );
    expect(await page.isVisible('#identity')).toBe(false);
    const asked = await fake(page, (f) => ({ naa: f.naaRequests, sso: f.ssoCalls }));
    expect(asked.naa.map((r) => r.method)).toEqual(['GetInitContext', 'GetToken']);
    expect(asked.naa[1]).toMatchObject({ clientId: CLIENT, scope: expect.stringContaining('User.Read') });
    expect(asked.sso).toBe(0);

    // the verified identity is what the audit trail records
    await fixTheBadAccount(page);
    await page.waitForSelector('#submit:not([hidden])');
    await page.click('#submit');
    await page.waitForFunction(() =>
      / submitted for approval\./.test(document.getElementById('message')?.textContent ?? ''),
    );
    const audit = await fake(page, (f) => f.values('Audit'));
    const submit = audit.find((r) => r.some((v) => /^submit/.test(String(v))));
    expect(submit).toEqual(expect.arrayContaining([BUILDER.email, 'verified']));
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('NAA needs the user (consent): the popup through Excel, then verified', async () => {
    const { page, errors, outside } = await open({ naa: { user: BUILDER.email, fail: 'interaction' } });
    await page.waitForFunction(() => document.getElementById('user')?.textContent?.includes('Signed in'));
    expect(await page.textContent('#user')).toContain(
      '(verified by Microsoft Entra ID (nested app authentication))',
    );
    const methods = await fake(page, (f) => f.naaRequests.map((r) => r.method));
    expect(methods).toEqual(['GetInitContext', 'GetToken', 'GetTokenPopup']);
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('Excel without NAA: the legacy Office single sign-on, and MSAL is never fetched', async () => {
    const { page, errors, outside, served } = await open({ ssoUser: BUILDER.email });
    await page.waitForFunction(() => document.getElementById('user')?.textContent?.includes('Signed in'));
    expect(await page.textContent('#user')).toBe(
      `Signed in as ${BUILDER.email} (verified by Office single sign-on)`,
    );
    expect(served.filter((f) => /msal/.test(f))).toEqual([]);
    expect(await fake(page, (f) => ({ naa: f.naaRequests.length, sso: f.ssoCalls }))).toEqual({
      naa: 0,
      sso: 1,
    });
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('NAA fails (the user closes the sign-in), no legacy SSO: self-declared, saying why and what it means', async () => {
    const { page, errors, outside } = await open({ naa: { user: BUILDER.email, fail: 'cancel' } });
    await page.waitForSelector('#identity', { state: 'visible' });
    expect(await page.textContent('#user')).toBe('Not signed in: pick your name below (self-declared).');
    expect(await page.textContent('#identity-why')).toMatch(
      /^BL831 sign-in through Microsoft Entra ID \(nested app authentication\) failed: .*cancel/i,
    );
    const help = (await page.textContent('#identity-help')) ?? '';
    expect(help).toMatch(/self-declared \(not verified\)/);
    expect(help).toMatch(/anyone who opens this workbook could pick the same name/);
    expect(await axeViolations(page)).toEqual([]);

    await page.selectOption('#act-as', BUILDER.email);
    await page.waitForFunction(() => document.getElementById('user')?.textContent?.includes('self-declared'));
    await fixTheBadAccount(page);
    await page.waitForSelector('#submit:not([hidden])');
    await page.click('#submit');
    await page.waitForFunction(() =>
      / submitted for approval\./.test(document.getElementById('message')?.textContent ?? ''),
    );
    const audit = await fake(page, (f) => f.values('Audit'));
    expect(audit.find((r) => r.some((v) => /^submit/.test(String(v))))).toEqual(
      expect.arrayContaining([BUILDER.email, 'self-declared']),
    );
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a personal Microsoft account through NAA is not a district identity: BL830, then the legacy SSO', async () => {
    const { page, errors } = await open({
      naa: { user: 'pat@outlook.com', tenantId: CONSUMER_TENANT },
      ssoUser: BUILDER.email,
    });
    await page.waitForFunction(() => document.getElementById('user')?.textContent?.includes('Signed in'));
    expect(await page.textContent('#user')).toBe(
      `Signed in as ${BUILDER.email} (verified by Office single sign-on)`,
    );
    expect(await fake(page, (f) => f.ssoCalls)).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();

    const alone = await open({ naa: { user: 'pat@outlook.com', tenantId: CONSUMER_TENANT } });
    await alone.page.waitForSelector('#identity', { state: 'visible' });
    expect(await alone.page.textContent('#identity-why')).toMatch(
      /^BL830 pat@outlook\.com signed in through .*personal Microsoft account/,
    );
    expect(alone.errors).toEqual([]);
    await alone.page.context().close();
  });
});
