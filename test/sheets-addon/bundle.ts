/**
 * The BUILT add-on (dist/sheets-addon/Code.js) running in node:vm with the Apps Script fakes as its
 * globals — and nothing else: no TextEncoder, setTimeout, require or process, as in Apps Script.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { SITE_HEADER, type CellValue } from '../../core';
import { districtTables, SITE_001_ROWS } from '../fixtures/district';
import { FakeEnv, type FakeValue } from './fakes/apps-script';

export const DIST = join(__dirname, '..', '..', 'dist', 'sheets-addon');

export type Bundle = Record<string, unknown> & {
  [name: string]: unknown;
};

export function builtCode(): string {
  const file = join(DIST, 'Code.js');
  if (!existsSync(file)) throw new Error('dist/sheets-addon/Code.js is missing: run `npm run build` first');
  return readFileSync(file, 'utf8');
}

/** Loads Code.js into a fresh context whose globals are the fakes of `env`. */
export function loadBundle(env: FakeEnv): Bundle {
  const context = createContext({ ...env.globals() });
  runInContext(builtCode(), context, { filename: 'Code.js' });
  return context as Bundle;
}

/** Calls a top-level function of the bundle, as google.script.run or a menu would (a new execution as `email`). */
export function call<T = unknown>(
  bundle: Bundle,
  env: FakeEnv,
  email: string,
  name: string,
  ...args: unknown[]
): T {
  const fn = bundle[name];
  if (typeof fn !== 'function') throw new TypeError(`${name} is not a top-level function of Code.js`);
  // google.script.run sends arguments and results as JSON-like values
  const sent = JSON.parse(JSON.stringify(args)) as unknown[];
  const out = env.as(email, () => (fn as (...a: unknown[]) => unknown)(...sent));
  return (out === undefined ? undefined : JSON.parse(JSON.stringify(out))) as T;
}

/** Top-level function names of Code.js that google.script.run may call (not ending in `_`). */
export function topLevelFunctions(bundle: Bundle): string[] {
  return Object.keys(bundle).filter((k) => typeof bundle[k] === 'function' && !k.endsWith('_'));
}

export const CFO = 'cfo@district.org';
export const BUILDER = 'principal@district.org';
export const APPROVER = 'approver@district.org';
export const OUTSIDER = 'someone@gmail.com';

/** The site-sheet header of the shared workbook layout. */
export { SITE_HEADER };

export function siteRow(o: Record<string, FakeValue>): FakeValue[] {
  return SITE_HEADER.map((h) => o[h] ?? '');
}

/** A grid as Apps Script holds it: a blank cell is ''. */
export function fakeGrid(grid: readonly (readonly CellValue[])[]): FakeValue[][] {
  return grid.map((row) => row.map((v): FakeValue => (v === null || v === undefined ? '' : v)));
}

/** A district workbook made by the bundle itself (New district workbook), then filled in as people would. */
export function newDistrict(env: FakeEnv, bundle: Bundle, lines?: FakeValue[][]): void {
  const r = call<{ ok: boolean; summary: string }>(
    bundle,
    env,
    CFO,
    'createDistrictWorkbook',
    'nces',
    2027,
    'Springfield USD',
  );
  if (!r.ok) throw new Error(`createDistrictWorkbook failed: ${r.summary}`);
  const ss = env.spreadsheet;
  // The shared sample district (test/fixtures/district.ts).
  for (const [sheet, grid] of Object.entries(
    districtTables({ cfo: CFO, builder: BUILDER, approver: APPROVER }),
  ))
    ss.load(sheet, fakeGrid(grid));
  ss.load('Lincoln Elementary', [SITE_HEADER, ...(lines ?? fakeGrid(SITE_001_ROWS))]);
}
