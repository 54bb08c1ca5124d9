/**
 * The BUILT Code.js in node:vm over the Apps Script fakes: the entry points exist as top-level
 * functions, onOpen builds the menu, onEdit marks cells in O(1) service calls, and the sidebar API
 * re-checks who is calling.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeEnv, marksOf, servicesOf, type FakeMenu } from './fakes';
import { operations } from '../../core/operations';
import { runOperationSync } from '../../core/port/driver';
import { SheetsPort } from '../../sheets-addon/src/port';
import {
  APPROVER,
  BUILDER,
  CFO,
  DIST,
  OUTSIDER,
  builtCode,
  call,
  loadBundle,
  newDistrict,
  siteRow,
  topLevelFunctions,
  type Bundle,
} from './bundle';

const SITE = 'Lincoln Elementary';
const DISTRICT_NAME = 'Springfield USD';

function editEvent(env: FakeEnv, sheet: string, a1: string, value?: string): Record<string, unknown> {
  const range = env.spreadsheet.sheet(sheet).getRange(a1);
  env.counts.reset();
  return {
    authMode: 'LIMITED',
    range,
    source: env.spreadsheet,
    user: { getEmail: () => '' },
    ...(value !== undefined ? { value } : {}),
  };
}

function setup(): { env: FakeEnv; bundle: Bundle } {
  const env = new FakeEnv();
  const bundle = loadBundle(env);
  newDistrict(env, bundle);
  return { env, bundle };
}

describe('Code.js (built) in node:vm', () => {
  it('declares every menu item and every google.script.run target as a top-level function', () => {
    const env = new FakeEnv();
    const bundle = loadBundle(env);
    const fns = topLevelFunctions(bundle);
    env.simple('onOpen', () => (bundle['onOpen'] as (e: unknown) => void)({ authMode: 'NONE' }));
    const menu = env.ui.menus[0] as FakeMenu;
    const items = menu.items.filter((i) => i !== 'separator');
    expect(items.map((i) => i.caption)).toEqual([
      'Open sidebar',
      'Validate this site',
      'Consolidate district',
      'Export',
      'Verify approvals',
      'Board report',
      'New district workbook',
    ]);
    for (const i of items) expect(fns).toContain(i.functionName);

    const html = readFileSync(join(DIST, 'Sidebar.html'), 'utf8');
    const targets = [
      ...new Set(
        [
          ...html.matchAll(
            /google\.script\.run\.withSuccessHandler\([^)]*\)\.withFailureHandler\([^)]*\)\.(\w+)\(/g,
          ),
        ].map((m) => m[1] as string),
      ),
    ];
    expect(targets.length).toBeGreaterThanOrEqual(12);
    for (const t of targets) expect(fns).toContain(t);
    expect(fns).toEqual(expect.arrayContaining(['onOpen', 'onEdit', 'onInstall']));
    // helpers are not callable from the sidebar
    expect(Object.keys(bundle).filter((k) => k.endsWith('_'))).toEqual([]);
  });

  it('builds the menu in onOpen without any other service (it may run in AuthMode.NONE)', () => {
    const env = new FakeEnv();
    const bundle = loadBundle(env);
    env.counts.reset();
    env.simple('onOpen', () => (bundle['onOpen'] as (e: unknown) => void)({ authMode: 'NONE' }));
    expect(env.ui.menus).toHaveLength(1);
    expect(env.counts.snapshot()).toEqual({
      'Menu.addItem': 7,
      'Menu.addToUi': 1,
      'SpreadsheetApp.getUi': 1,
      'Ui.createAddonMenu': 1,
    });
  });

  it('opens the sidebar from the menu (a full execution), with the built Sidebar.html', () => {
    const { env, bundle } = setup();
    call(bundle, env, BUILDER, 'showSidebar');
    expect(env.ui.sidebar?.getTitle()).toBe('Budgetline');
    expect(env.ui.sidebar?.getContent()).toContain('google.script.run');
  });

  it('onEdit marks a bad account typed into one cell, with the finding in the note', () => {
    const { env, bundle } = setup();
    const sh = env.spreadsheet.sheet(SITE);
    sh.loadRaw([['100-1000-999-100-001']], { row: 2, col: 2 });
    env.simple('onEdit', () =>
      (bundle['onEdit'] as (e: unknown) => void)(editEvent(env, SITE, 'B2', '100-1000-999-100-001')),
    );
    expect(marksOf(env, SITE)).toEqual([
      expect.objectContaining({ cell: 'B2', severity: 'fatal', note: expect.stringContaining('BL104') }),
    ]);
    // fix it: the mark goes away
    sh.loadRaw([['100-1000-610-100-001']], { row: 2, col: 2 });
    env.simple('onEdit', () =>
      (bundle['onEdit'] as (e: unknown) => void)(editEvent(env, SITE, 'B2', '100-1000-610-100-001')),
    );
    expect(marksOf(env, SITE)).toEqual([]);
  });

  it('onEdit re-checks only the edited rows (row 3 keeps its mark while row 2 is edited)', () => {
    const { env, bundle } = setup();
    call(bundle, env, BUILDER, 'validateSite', '001');
    expect(marksOf(env, SITE).map((m) => m.cell)).toEqual(['B3']);
    env.simple('onEdit', () =>
      (bundle['onEdit'] as (e: unknown) => void)(editEvent(env, SITE, 'F2', '3600')),
    );
    expect(marksOf(env, SITE).map((m) => m.cell)).toEqual(['B3']);
  });

  it('onEdit handles a 5,000-row paste (no e.value) with O(1) service calls inside the simple-trigger limits', () => {
    const { env, bundle } = setup();
    const rows = Array.from({ length: 5000 }, (_, i) =>
      siteRow({
        Type: 'Line',
        Account:
          i % 100 === 7 ? `100-1000-6${String(i % 90).padStart(2, '0')}-100-001` : '100-1000-610-100-001',
        Description: `Pasted line ${i}`,
        Amount: 10 + i,
      }),
    );
    const sh = env.spreadsheet.sheet(SITE);
    sh.loadRaw(rows, { row: 2, col: 1 });
    const e = editEvent(env, SITE, `A2:Q${rows.length + 1}`);
    // How long it takes is bench/sheets-onedit-paste.bench.ts's (sheets-onedit-paste-5000), not asserted here.
    env.simple('onEdit', () => (bundle['onEdit'] as (ev: unknown) => void)(e));
    const counts = env.counts.snapshot();
    const marks = marksOf(env, SITE);
    expect(marks.length).toBeGreaterThan(0);
    expect(marks.every((m) => m.severity === 'fatal' || m.severity === 'warning')).toBe(true);
    // O(1): a handful of reads (the base sheets, the window) and one batched write of marks
    expect(counts['Range.getValues'] ?? 0).toBeLessThanOrEqual(12);
    expect(counts['Range.setBackgrounds']).toBe(1);
    expect(counts['Range.setNotes']).toBe(1);
    expect(counts['Range.setBackground'] ?? 0).toBe(0);
    expect(counts['Range.setNote'] ?? 0).toBe(0);
    expect(counts['Range.getValue'] ?? 0).toBe(0);
    // …and one batched write of the rows' Cost (computed) cells (setValues, its number format).
    expect(counts['Range.setValues']).toBe(1);
    // One Sheet.getName per sheet of the workbook (the tab list is read once) and one for the edited
    // sheet, whatever the paste; everything else is a fixed handful.
    const tabs = env.spreadsheet.sheets.length;
    expect(counts['Sheet.getName'] ?? 0).toBeLessThanOrEqual(tabs + 1);
    expect(env.counts.total() - (counts['Sheet.getName'] ?? 0)).toBeLessThan(70);
    expect(env.overruns).toEqual([]);
  });

  it('onEdit never calls a service a simple trigger may not use', () => {
    const { env, bundle } = setup();
    expect(() =>
      env.simple('onEdit', () => (bundle['onEdit'] as (e: unknown) => void)(editEvent(env, SITE, 'B2', 'x'))),
    ).not.toThrow();
    expect(env.counts.get('Session.getActiveUser')).toBe(0);
    expect(env.counts.get('Ui.showSidebar')).toBe(0);
  });

  it('ignores edits outside site sheets and in AuthMode.NONE', () => {
    const { env, bundle } = setup();
    env.simple('onEdit', () =>
      (bundle['onEdit'] as (e: unknown) => void)(editEvent(env, 'Roles', 'A2', 'x')),
    );
    expect(env.counts.get('Range.setBackgrounds')).toBe(0);
    const e = { ...editEvent(env, SITE, 'B2', 'x'), authMode: 'NONE' };
    env.simple('onEdit', () => (bundle['onEdit'] as (ev: unknown) => void)(e));
    expect(env.counts.total()).toBe(0);
  });
});

describe('the sidebar API re-checks the caller on the server', () => {
  interface Reply {
    result: { ok: boolean; summary: string; diagnostics: { code: string }[] };
    status: { view: { site?: { state: string; can: Record<string, boolean> }; notice?: string } };
  }
  function fixed(env: FakeEnv): void {
    env.spreadsheet.sheet(SITE).loadRaw([['100-2220-640-100-001']], { row: 3, col: 2 });
  }

  it("refuses an import into the approved site with the core's BL821 over SheetsPort (runOperationSync)", () => {
    const { env, bundle } = setup();
    fixed(env);
    call<Reply>(bundle, env, BUILDER, 'submitSite', '001', '');
    expect(call<Reply>(bundle, env, APPROVER, 'approveSite', '001', '').result.ok).toBe(true);
    // The add-on has no import command; the same core operation runs on its synchronous port.
    const before = env.spreadsheet.sheet(SITE).getDataRange().getValues();
    const port = new SheetsPort(servicesOf(env));
    const r = runOperationSync(
      port,
      operations.importLines,
      { site: '001', rows: [['Line', '100-1000-610-100-001', 'Paper', null, null, 5]] },
      { now: () => '2026-11-28T10:00:00.000Z' },
    );
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL821']);
    expect(env.spreadsheet.sheet(SITE).getDataRange().getValues()).toEqual(before);
  });

  it('refuses approveSite called directly by the builder, and by the submitter', () => {
    const { env, bundle } = setup();
    fixed(env);
    const sub = call<Reply>(bundle, env, BUILDER, 'submitSite', '001', '');
    expect(sub.result.ok).toBe(true);
    const asBuilder = call<Reply>(bundle, env, BUILDER, 'approveSite', '001', '');
    expect(asBuilder.result.ok).toBe(false);
    expect(asBuilder.status.view.site?.state).toBe('submitted');
    const ok = call<Reply>(bundle, env, APPROVER, 'approveSite', '001', 'fine');
    expect(ok.result.ok).toBe(true);
    expect(ok.status.view.site?.state).toBe('approved');
  });

  it('refuses approveSite when the site changed after submission (a principal still an editor), naming the cell; return and resubmit, then it is approved', () => {
    const { env, bundle } = setup();
    fixed(env);
    expect(call<Reply>(bundle, env, BUILDER, 'submitSite', '001', '').result.ok).toBe(true);
    // Google never removes the person running the script: the principal can still type.
    env.spreadsheet.sheet(SITE).loadRaw([[9999]], { row: 2, col: 6 });
    const audit = env.spreadsheet.sheet('Audit').getDataRange().getValues();
    const refused = call<Reply & { result: { diagnostics: { cell?: string; message: string }[] } }>(
      bundle,
      env,
      APPROVER,
      'approveSite',
      '001',
      '',
    );
    expect(refused.result.ok).toBe(false);
    expect(refused.result.diagnostics.map((d) => d.code)).toEqual(['BL635', 'BL636']);
    expect(refused.result.diagnostics[1]?.message).toMatch(/ is now .*\$9,999\.00/);
    expect(refused.status.view.site?.state).toBe('submitted');
    expect(env.spreadsheet.sheet('Audit').getDataRange().getValues()).toEqual(audit);
    expect(call<Reply>(bundle, env, APPROVER, 'returnSite', '001', 'resubmit, please').result.ok).toBe(true);
    expect(call<Reply>(bundle, env, BUILDER, 'submitSite', '001', '').result.ok).toBe(true);
    expect(call<Reply>(bundle, env, APPROVER, 'approveSite', '001', '').result.ok).toBe(true);
  });

  it('gives no rights to a user Google does not name (outside the domain), and says why', () => {
    const { env, bundle } = setup();
    fixed(env);
    const st = call<Reply['status']>(bundle, env, OUTSIDER, 'getStatus', '001');
    expect(st.view.notice).toMatch(/outside the district’s Google Workspace domain/);
    expect(st.view.site?.can).toEqual({ submit: false, approve: false, return: false, reopen: false });
    const sub = call<Reply>(bundle, env, OUTSIDER, 'submitSite', '001', '');
    expect(sub.result.ok).toBe(false);
    const c = call<{ ok: boolean; summary: string }>(bundle, env, OUTSIDER, 'consolidateDistrict', 'exclude');
    expect(c.ok).toBe(false);
    expect(c.summary).toMatch(/outside the district/);
  });

  it('sends the projection as the core words it, and refuses a user Google does not name', () => {
    const { env, bundle } = setup();
    type Years = { ok: boolean; summary: string; years?: { label: string; rows: { label: string }[] }[] };
    const p = call<Years>(bundle, env, CFO, 'projectDistrict', 'include-marked');
    expect(p.ok).toBe(true);
    expect(p.years?.map((y) => y.label)).toEqual(['FY2027', 'FY2028', 'FY2029']);
    expect(p.years?.every((y) => y.rows.at(-1)?.label === 'All funds')).toBe(true);
    const refused = call<Years>(bundle, env, OUTSIDER, 'projectDistrict', 'include-marked');
    expect(refused.ok).toBe(false);
    expect(refused.years).toBeUndefined();
  });

  it('lets only the CFO consolidate, export and verify', () => {
    const { env, bundle } = setup();
    for (const [fn, args] of [
      ['consolidateDistrict', ['exclude']],
      ['exportBudget', ['generic-csv']],
      ['verifyApprovals', []],
    ] as const) {
      const r = call<{ ok: boolean; summary: string; diagnostics: { code: string }[] }>(
        bundle,
        env,
        BUILDER,
        fn,
        ...args,
      );
      expect(r.ok).toBe(false);
      expect(r.summary).toMatch(/only the CFO/);
      // The core's refusal, the same as on the command line and in Excel.
      expect(r.diagnostics.map((d) => d.code)).toEqual(['BL811']);
    }
  });

  it("refuses a new workbook over the district's (BL807) unless the CFO rebuilds it on purpose", () => {
    const { env, bundle } = setup();
    type R = { ok: boolean; summary: string; diagnostics: { code: string; remedy: string }[] };
    const again = call<R>(bundle, env, CFO, 'createDistrictWorkbook', 'nces', 2028, DISTRICT_NAME);
    expect(again.ok).toBe(false);
    expect(again.diagnostics.map((d) => d.code)).toEqual(['BL807']);
    expect(again.diagnostics[0]?.remedy).toMatch(/Only the CFO may rebuild/);
    const notCfo = call<R>(bundle, env, BUILDER, 'createDistrictWorkbook', 'nces', 2028, DISTRICT_NAME, true);
    expect(notCfo.diagnostics.map((d) => d.code)).toEqual(['BL811']);
    const badYear = call<R>(bundle, env, CFO, 'createDistrictWorkbook', 'nces', 27, DISTRICT_NAME, true);
    expect(badYear.diagnostics.map((d) => d.code)).toEqual(['BL822']);
    const badPreset = call<R>(bundle, env, CFO, 'createDistrictWorkbook', 'ohio', 2028, DISTRICT_NAME, true);
    expect(badPreset.diagnostics.map((d) => d.code)).toEqual(['BL823']);
    const setupBefore = env.spreadsheet.sheet('Setup').getDataRange().getValues();
    expect(setupBefore.some((r) => r[1] === 2027)).toBe(true);
    const rebuilt = call<R>(bundle, env, CFO, 'createDistrictWorkbook', 'nces', 2028, DISTRICT_NAME, true);
    expect(rebuilt.ok).toBe(true);
    expect(rebuilt.summary).toMatch(/^Rebuilt/);
    expect(
      env.spreadsheet
        .sheet('Setup')
        .getDataRange()
        .getValues()
        .some((r) => r[1] === 2028),
    ).toBe(true);
  });

  it('refuses a new workbook when the Setup sheet was deleted: Roles, Sites and the Audit sheet stay', () => {
    const { env, bundle } = setup();
    type R = { ok: boolean; diagnostics: { code: string }[] };
    const roles = env.spreadsheet.sheet('Roles').getDataRange().getValues();
    env.spreadsheet.deleteSheet(env.spreadsheet.sheet('Setup'));
    const r = call<R>(bundle, env, BUILDER, 'createDistrictWorkbook', 'nces', 2028, 'Someone Else ISD');
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL807']);
    expect(env.spreadsheet.sheet('Roles').getDataRange().getValues()).toEqual(roles);
  });

  it('is built for ES2020 and replaces no Promise: operations run as synchronous plans', () => {
    const code = builtCode();
    expect(code).not.toMatch(/\bPromise\s*=[^=]/);
    expect(code).not.toMatch(/globalThis\.Promise/);
    // ES2020 syntax is kept as written (an ES2016 target would have lowered it).
    expect(code).toMatch(/\?\?|\?\./);
  });

  it('makes a double submit harmless, and holds the document lock around submit', () => {
    const { env, bundle } = setup();
    fixed(env);
    const first = call<Reply>(bundle, env, BUILDER, 'submitSite', '001', '');
    const second = call<Reply>(bundle, env, BUILDER, 'submitSite', '001', '');
    expect(first.result.ok).toBe(true);
    expect(second.result.ok).toBe(false);
    expect(second.status.view.site?.state).toBe('submitted');
    const audit = env.spreadsheet.sheet('Audit').grid();
    expect(audit).toHaveLength(2); // header + one submit
    expect(env.counts.get('Lock.tryLock')).toBeGreaterThanOrEqual(2);
    expect(env.documentLock.holder).toBeNull();
  });

  it('answers "busy" while another execution holds the document lock', () => {
    const { env, bundle } = setup();
    fixed(env);
    env.documentLock.holder = 99_999; // another person's submit, in flight
    const r = call<Reply>(bundle, env, BUILDER, 'submitSite', '001', '');
    expect(r.result.ok).toBe(false);
    expect(r.result.summary).toMatch(/right now/);
    expect(r.status.view.site?.state).toBe('draft');
  });

  it('protects a submitted site, keeps the state in DocumentProperties, and detects a hand edit of the Audit sheet', () => {
    const { env, bundle } = setup();
    fixed(env);
    call(bundle, env, BUILDER, 'submitSite', '001', '');
    expect(env.spreadsheet.sheet(SITE).isProtected()).toBe(true);
    expect(env.documentProperties.data.get('budgetline.site.001')).toContain('"submitted"');
    call(bundle, env, APPROVER, 'approveSite', '001', '');
    const clean = call<{ diagnostics: { code: string }[] }>(bundle, env, CFO, 'verifyApprovals');
    expect(clean.diagnostics).toEqual([]);
    // delete the last audit row by hand: the chain no longer ends where DocumentProperties says
    const audit = env.spreadsheet.sheet('Audit');
    audit.values.splice(2, 1);
    const v = call<{ ok: boolean; diagnostics: { code: string }[] }>(bundle, env, CFO, 'verifyApprovals');
    expect(v.ok).toBe(false);
    expect(v.diagnostics.map((d) => d.code).some((c) => c.startsWith('BL61'))).toBe(true);
  });

  it('keeps the chain head in ScriptProperties per spreadsheet, and refuses a step after an editor rolled the chain back', () => {
    const { env, bundle } = setup();
    fixed(env);
    const key = 'budgetline.head.fake-spreadsheet-id';
    const lastHash = (): string => String(env.spreadsheet.sheet('Audit').grid().at(-1)?.at(-1));
    expect(call<Reply>(bundle, env, BUILDER, 'submitSite', '001', '').result.ok).toBe(true);
    // kept in the add-on's ScriptProperties, keyed by spreadsheet: not in DocumentProperties, which editors can write
    expect(env.scriptProperties.data.get(key)).toBe(lastHash());
    expect([...env.documentProperties.data.keys()]).not.toContain(key);
    const afterSubmit = new Map(env.documentProperties.data);
    expect(call<Reply>(bundle, env, APPROVER, 'approveSite', '001', '').result.ok).toBe(true);
    expect(env.scriptProperties.data.get(key)).toBe(lastHash());

    // An editor undoes the approval consistently: the last Audit row and the DocumentProperties both
    // rolled back, so the chain inside the spreadsheet is whole again and agrees with its cache.
    env.spreadsheet.sheet('Audit').values.splice(-1, 1);
    env.documentProperties.data.clear();
    for (const [k, v] of afterSubmit) env.documentProperties.data.set(k, v);
    const auditBefore = env.spreadsheet.sheet('Audit').grid();
    const propsBefore = new Map(env.documentProperties.data);

    // The next step finds the chain not ending at the head kept outside: refused, nothing written.
    const r = call<Reply>(bundle, env, APPROVER, 'returnSite', '001', 'Fix supplies');
    expect(r.result.ok).toBe(false);
    expect(r.result.summary).toMatch(/changed by someone else, outside Budgetline\. Nothing was written/);
    expect(env.spreadsheet.sheet('Audit').grid()).toEqual(auditBefore);
    expect(env.documentProperties.data).toEqual(propsBefore);
    expect(env.documentLock.holder).toBeNull();
  });

  it('verify reads the head kept in ScriptProperties: a chain rolled back with its stored state is still found', () => {
    const { env, bundle } = setup();
    fixed(env);
    expect(call<Reply>(bundle, env, BUILDER, 'submitSite', '001', '').result.ok).toBe(true);
    const afterSubmit = new Map(env.documentProperties.data);
    expect(call<Reply>(bundle, env, APPROVER, 'approveSite', '001', '').result.ok).toBe(true);
    const intact = call<{ ok: boolean; diagnostics: { code: string }[] }>(
      bundle,
      env,
      CFO,
      'verifyApprovals',
    );
    expect(intact.diagnostics).toEqual([]);
    // An editor removes the approval consistently: the Audit row and DocumentProperties rolled back together.
    env.spreadsheet.sheet('Audit').values.splice(-1, 1);
    env.documentProperties.data.clear();
    for (const [k, v] of afterSubmit) env.documentProperties.data.set(k, v);
    const v = call<{ ok: boolean; diagnostics: { code: string }[] }>(bundle, env, CFO, 'verifyApprovals');
    expect(v.ok).toBe(false);
    // BL618 from the kept head (the Approved Lines copy left behind also gives BL622)
    expect(v.diagnostics.map((d) => d.code)).toContain('BL618');
  });

  it('records the head on first use of a spreadsheet that has none kept yet (trust on first use)', () => {
    const { env, bundle } = setup();
    fixed(env);
    env.scriptProperties.data.clear();
    expect(call<Reply>(bundle, env, BUILDER, 'submitSite', '001', '').result.ok).toBe(true);
    expect(env.scriptProperties.data.get('budgetline.head.fake-spreadsheet-id')).toBe(
      String(env.spreadsheet.sheet('Audit').grid().at(-1)?.at(-1)),
    );
  });

  it("consolidates with one setValues for the Master Budget, and goes to a finding's cell", () => {
    const { env, bundle } = setup();
    fixed(env);
    call(bundle, env, BUILDER, 'submitSite', '001', '');
    call(bundle, env, APPROVER, 'approveSite', '001', '');
    env.counts.reset();
    const c = call<{ ok: boolean }>(bundle, env, CFO, 'consolidateDistrict', 'exclude');
    expect(c.ok).toBe(true);
    expect(env.counts.get('Range.setValues')).toBe(1);
    expect(env.spreadsheet.sheet('Master Budget').grid().length).toBeGreaterThan(3);
    expect(call(bundle, env, BUILDER, 'goToCell', SITE, 'B3')).toBe(true);
    expect(env.spreadsheet.activeRange?.getA1Notation()).toBe('B3');
    expect(call(bundle, env, BUILDER, 'goToCell', SITE, 'B3:Z9')).toBe(false);
  });
});
