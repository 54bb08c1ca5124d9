/**
 * The board's steps in the Sheets add-on (issue 15): the BUILT Code.js in node:vm over the Apps Script
 * fakes (adoptBudget, amendBudget, notAdoptedBudget, reopenAllSites re-check the caller), and the BUILT
 * Sidebar.html in Chromium, its google.script.run sent to that Code.js; axe finds nothing.
 */
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { gridOf, SHEETS, SITES_TABLE } from '../../core';
import { amendmentsGrid, SITE_001_BOARD_ROWS, SITE_002_ROWS } from '../fixtures/board';
import { axeViolations } from '../excel-addin/axe';
import { FakeEnv } from './fakes';
import { draftByKeyboard, draftOffer } from '../excel-addin/draft-form';
import {
  APPROVER,
  BUILDER,
  CFO,
  DIST,
  SITE_HEADER,
  call,
  fakeGrid,
  loadBundle,
  newDistrict,
  topLevelFunctions,
  type Bundle,
} from './bundle';

jest.setTimeout(90_000);

interface Reply {
  result: { ok: boolean; summary: string; diagnostics: { code: string; sheet?: string; cell?: string }[] };
  status: { view: { board?: { state: string; adopted?: { date: string } } } };
}

/** Two sites, both submitted and approved through the bundle, an amendment typed in. */
function approvedHost(): { env: FakeEnv; bundle: Bundle } {
  const env = new FakeEnv();
  const bundle = loadBundle(env);
  newDistrict(env, bundle, fakeGrid(SITE_001_BOARD_ROWS));
  const ss = env.spreadsheet;
  ss.load(
    SHEETS.sites,
    fakeGrid(
      gridOf(
        SITES_TABLE,
        ['code', 'name', 'sheet', 'enrollment'],
        [
          ['001', 'Lincoln Elementary', '', 420],
          ['002', 'Washington Middle', '', 610],
        ],
      ),
    ),
  );
  ss.load(SHEETS.roles, [
    ['Email', 'Role', 'Sites'],
    [CFO, 'cfo', 'all'],
    [BUILDER, 'builder', '001, 002'],
    [APPROVER, 'approver', '001, 002'],
  ]);
  ss.load('Washington Middle', [SITE_HEADER, ...fakeGrid(SITE_002_ROWS)]);
  for (const site of ['001', '002']) {
    const s = call<Reply>(bundle, env, BUILDER, 'submitSite', site, '');
    if (!s.result.ok) throw new Error(s.result.summary);
    const a = call<Reply>(bundle, env, APPROVER, 'approveSite', site, '');
    if (!a.result.ok) throw new Error(a.result.summary);
  }
  ss.load(
    SHEETS.amendments,
    fakeGrid(
      amendmentsGrid([
        [
          'A-1',
          '001',
          '100-1000-610-100-001; 100-2220-640-100-001',
          '-200.00; 200.00',
          'Move supplies money to library books',
          '',
          '',
          BUILDER,
        ],
      ]),
    ),
  );
  return { env, bundle };
}

describe('the board functions of Code.js (built) in node:vm', () => {
  it('are top-level functions, re-check the caller, adopt, approve and apply an amendment once', () => {
    const { env, bundle } = approvedHost();
    expect(topLevelFunctions(bundle)).toEqual(
      expect.arrayContaining(['adoptBudget', 'notAdoptedBudget', 'reopenAllSites', 'amendBudget']),
    );
    const byBuilder = call<Reply>(bundle, env, BUILDER, 'adoptBudget', '2026-06-18', '2026-14', '001');
    expect(byBuilder.result.diagnostics.map((d) => d.code)).toEqual(['BL811']);
    const r = call<Reply>(bundle, env, CFO, 'adoptBudget', '2026-06-18', '2026-14', '001');
    expect(r.result.ok).toBe(true);
    expect(r.status.view.board).toMatchObject({ state: 'adopted', adopted: { date: '2026-06-18' } });
    expect(env.spreadsheet.sheet(SHEETS.adopted).getDataRange().getValues()).toHaveLength(6);
    const ok = call<Reply>(bundle, env, APPROVER, 'amendBudget', 'A-1', 'approve', '2026-22', '001');
    expect(ok.result.ok).toBe(true);
    expect(
      call<Reply>(bundle, env, APPROVER, 'amendBudget', 'A-1', 'apply', '', '001').result.diagnostics[0]
        ?.code,
    ).toBe('BL811');
    expect(call<Reply>(bundle, env, CFO, 'amendBudget', 'A-1', 'apply', '', '001').result.ok).toBe(true);
    const again = call<Reply>(bundle, env, CFO, 'amendBudget', 'A-1', 'apply', '', '001');
    expect(again.result.diagnostics.map((d) => [d.code, d.sheet, d.cell])).toEqual([
      ['BL649', 'Amendments', 'G2'],
    ]);
    expect(call<{ ok: boolean }>(bundle, env, CFO, 'verifyApprovals').ok).toBe(true);
  });

  it('consolidate and export write the FINAL budget once an amendment is applied', () => {
    const { env, bundle } = approvedHost();
    expect(call<Reply>(bundle, env, CFO, 'adoptBudget', '2026-06-18', '2026-14', '001').result.ok).toBe(true);
    expect(
      call<Reply>(bundle, env, APPROVER, 'amendBudget', 'A-1', 'approve', '2026-22', '001').result.ok,
    ).toBe(true);
    expect(call<Reply>(bundle, env, CFO, 'amendBudget', 'A-1', 'apply', '', '001').result.ok).toBe(true);
    const c = call<{ ok: boolean; summary: string }>(bundle, env, CFO, 'consolidateDistrict', 'exclude');
    expect(c.ok).toBe(true);
    expect(c.summary).toContain('FINAL budget as of amendment A-1');
    const master = env.spreadsheet.sheet(SHEETS.master).getDataRange().getValues();
    expect(String(master[0]?.[0])).toMatch(
      /^Budget: FINAL budget as of amendment A-1 \(resolution 2026-22\)/,
    );
    const e = call<{ ok: boolean; content?: string; fileName?: string; sheet?: string }>(
      bundle,
      env,
      CFO,
      'exportBudget',
      'generic-csv',
    );
    expect(e.ok).toBe(true);
    expect(e.fileName).toBe('springfield-usd-fy2027-generic-csv-final-A-1.csv');
    expect(e.content).toContain('100-1000-610-100-001,3300.00,Classroom supplies (amended by A-1)');
    // The same file on the Export sheet, which File › Download saves.
    const sheet = env.spreadsheet
      .sheet(e.sheet ?? '')
      .getDataRange()
      .getValues()
      .map((r) => r.map(String));
    expect(sheet).toContainEqual(['100-2220-640-100-001', '650.00', 'Library books (amended by A-1)']);
    // "Applied amendments only" in the sidebar's What to export: the changes alone.
    const only = call<{ ok: boolean; content?: string; fileName?: string }>(
      bundle,
      env,
      CFO,
      'exportBudget',
      'generic-csv',
      'amendments',
    );
    expect(only.ok).toBe(true);
    expect(only.fileName).toBe('springfield-usd-fy2027-generic-csv-amendments-A-1.csv');
    expect(only.content?.trim().split('\r\n').slice(1)).toEqual([
      '100-1000-610-100-001,-200.00,Amendment A-1 (resolution 2026-22): Move supplies money to library books',
      '100-2220-640-100-001,200.00,Amendment A-1 (resolution 2026-22): Move supplies money to library books',
    ]);
  });

  it('draft an amendment from the form through amend --add, the form read again on the server', () => {
    const { env, bundle } = approvedHost();
    expect(topLevelFunctions(bundle)).toContain('draftAmendment');
    const lines = '100-1000-610-100-001 -75.00\n100-2220-640-100-001 75.00';
    const early = call<Reply>(bundle, env, BUILDER, 'draftAmendment', 'A-2', '001', lines, 'Books', '001');
    expect(early.result.diagnostics.map((d) => d.code)).toEqual(['BL652']);
    expect(call<Reply>(bundle, env, CFO, 'adoptBudget', '2026-06-18', '2026-14', '001').result.ok).toBe(true);
    const r = call<Reply>(bundle, env, BUILDER, 'draftAmendment', 'A-2', '001', lines, 'More books', '001');
    expect(r.result.ok).toBe(true);
    expect(r.result.summary).toMatch(/^Amendment A-2 \(001: .*\) drafted by /);
    const rows = env.spreadsheet.sheet(SHEETS.amendments).getDataRange().getValues();
    expect(rows[2]?.slice(0, 4)).toEqual([
      'A-2',
      '001',
      '100-1000-610-100-001; 100-2220-640-100-001',
      '-75.00; 75.00',
    ]);
    const again = call<Reply>(bundle, env, BUILDER, 'draftAmendment', 'A-2', '001', lines, 'Twice', '001');
    expect(again.result.ok).toBe(false);
    expect(env.spreadsheet.sheet(SHEETS.amendments).getDataRange().getValues()).toHaveLength(3);
    expect(call<{ ok: boolean }>(bundle, env, CFO, 'verifyApprovals').ok).toBe(true);
  });

  it('record the board not adopting and reopen every site', () => {
    const { env, bundle } = approvedHost();
    const no = call<Reply>(bundle, env, CFO, 'notAdoptedBudget', 'Cut 2% from supplies', '001');
    expect(no.result.ok).toBe(true);
    expect(no.status.view.board?.state).toBe('revision');
    const r = call<Reply>(bundle, env, CFO, 'reopenAllSites', 'The board asks for 2% less', '001');
    expect(r.result.summary).toBe('001, 002 reopened for changes.');
  });
});

describe('the Board part of Sidebar.html (built) in Chromium', () => {
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

  /** The built sidebar as `user`, every google.script.run call sent to the built Code.js in node:vm. */
  async function open(
    host: { env: FakeEnv; bundle: Bundle },
    user: string,
  ): Promise<{ page: Page; errors: string[] }> {
    const context = await browser.newContext({ viewport: { width: 300, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await context.route('**/*', (route) =>
      route.request().url().startsWith('file:') ? route.continue() : route.abort(),
    );
    await page.exposeFunction('__gasCall', (name: string, args: string) => {
      try {
        const value = call(host.bundle, host.env, user, name, ...(JSON.parse(args) as unknown[]));
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
          BUDGETLINE_PANEL?: string;
        };
        function runner(ok: Handler, fail: Handler): Record<string, unknown> {
          const r: Record<string, unknown> = {
            withSuccessHandler: (f: Handler) => runner(f, fail),
            withFailureHandler: (f: Handler) => runner(ok, f),
          };
          for (const name of names)
            r[name] = (...a: unknown[]) => {
              void w.__gasCall(name, JSON.stringify(a)).then((text) => {
                const reply = JSON.parse(text) as { value?: unknown; error?: string };
                if (reply.error !== undefined) fail?.(new Error(reply.error));
                else ok?.(reply.value);
              });
            };
          return r;
        }
        w.google = { script: { run: runner(null, null), host: { close: () => undefined } } };
        w.BUDGETLINE_PANEL = 'district';
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

  async function click(page: Page, selector: string): Promise<string> {
    await page.evaluate(() => {
      const m = document.getElementById('message');
      if (m) m.textContent = '';
    });
    await page.click(selector);
    await page.waitForFunction(() => (document.getElementById('message')?.textContent ?? '') !== '');
    return (await page.textContent('#message')) ?? '';
  }

  it('lets the CFO adopt and apply an amendment the approver approved; axe finds nothing', async () => {
    const host = approvedHost();
    const cfo = await open(host, CFO);
    const page = cfo.page;
    await page.waitForSelector('#board:not([hidden])');
    expect(await page.textContent('#board-status')).toMatch(/Not adopted yet/);
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('#board-date', '2026-06-18');
    await page.fill('#board-resolution', '2026-14');
    expect(await click(page, '#btn-adopt')).toMatch(/^ADOPTED on 2026-06-18 \(resolution 2026-14\)/);
    await page.waitForFunction(() =>
      document.getElementById('board-status')?.textContent?.startsWith('ADOPTED'),
    );
    expect(await page.isVisible('#board-vote')).toBe(false);
    await page.context().close();

    const approver = await open(host, APPROVER);
    await approver.page.waitForSelector('#board-amend:not([hidden])');
    expect(await approver.page.isVisible('#btn-amend-apply')).toBe(false);
    await approver.page.fill('#amend-resolution', '2026-22');
    expect(await click(approver.page, '#btn-amend-approve')).toMatch(/Amendment A-1 .* approved by/);
    await approver.page.context().close();

    const again = await open(host, CFO);
    await again.page.waitForSelector('#btn-amend-apply:not([hidden])');
    expect(await axeViolations(again.page)).toEqual([]);
    expect(await click(again.page, '#btn-amend-apply')).toMatch(/Amendment A-1 .* applied by/);
    await again.page.waitForFunction(() =>
      document.getElementById('amend-list')?.textContent?.includes('A-1 001: applied'),
    );
    expect([...cfo.errors, ...approver.errors, ...again.errors]).toEqual([]);
    await again.page.context().close();
  });

  it('lets a principal draft an amendment after adoption, by keyboard; axe finds nothing', async () => {
    const host = approvedHost();
    expect(
      call<Reply>(host.bundle, host.env, CFO, 'adoptBudget', '2026-06-18', '2026-14', '001').result.ok,
    ).toBe(true);
    const { page, errors } = await open(host, BUILDER);
    // A-1 is typed on the sheet already: the next free ID is offered, and the principal's two sites.
    expect(await draftOffer(page)).toEqual({
      id: 'A-2',
      sites: ['Lincoln Elementary (001)', 'Washington Middle (002)'],
    });
    expect(await axeViolations(page)).toEqual([]);
    const message = await draftByKeyboard(page, {
      lines: ['100-1000-610-100-001 -75.00', '100-2220-640-100-001 75.00'],
      reason: 'More library books',
      button: 'btn-draft',
    });
    expect(message).toMatch(/^Amendment A-2 \(001: .*\) drafted by /);
    await page.waitForFunction(() =>
      document.getElementById('amend-list')?.textContent?.includes('A-2 001: drafted'),
    );
    await page.waitForFunction(
      () => (document.getElementById('draft-id') as HTMLInputElement).value === 'A-3',
    );
    expect(host.env.spreadsheet.sheet(SHEETS.amendments).getDataRange().getValues()[2]?.slice(0, 5)).toEqual([
      'A-2',
      '001',
      '100-1000-610-100-001; 100-2220-640-100-001',
      '-75.00; 75.00',
      'More library books',
    ]);
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('records the board not adopting and reopens every site', async () => {
    const host = approvedHost();
    const { page, errors } = await open(host, CFO);
    await page.waitForSelector('#board:not([hidden])');
    await page.fill('#board-comment', 'Cut 2% from supplies');
    expect(await click(page, '#btn-not-adopted')).toMatch(/^NOT ADOPTED/);
    expect(await click(page, '#btn-reopen-all')).toBe('001, 002 reopened for changes.');
    expect(await axeViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
