/**
 * `bench sheets-consolidate-500x300 <ms> ms`: "Consolidate district" in the BUILT Sheets add-on
 * (dist/sheets-addon/Code.js in node:vm over the Apps Script fakes), 500 site sheets × 300 lines:
 * every site read, the Master Budget written with one setValues. Apps Script allows 6 minutes.
 * Also `bench sheets-consolidate-500x300-batchget …` with the Sheets advanced service enabled, and
 * the service calls made (`bench sheets-consolidate-500x300-calls <n> calls`).
 */
import { FakeEnv, type FakeValue } from '../test/sheets-addon/fakes/apps-script';
import { CFO, SITE_HEADER, call, loadBundle, newDistrict, siteRow } from '../test/sheets-addon/bundle';
import { ALLOCATIONS_TABLE, headerOf, SITES_TABLE } from '../core';
import { report, rng } from './util';

const SITES = 500;
const LINES = 300;

function district(advanced: boolean): { env: FakeEnv; bundle: ReturnType<typeof loadBundle> } {
  const env = new FakeEnv({ advancedSheets: advanced });
  const bundle = loadBundle(env);
  newDistrict(env, bundle);
  const r = rng(500);
  const objects = ['610', '640', '111', '121', '730'];
  const functions = ['1000', '2220', '2410'];
  const sites: FakeValue[][] = [
    headerOf(SITES_TABLE, ['code', 'name', 'sheet', 'enrollment', 'gradeBand', 'titleI']),
  ];
  const allocations: FakeValue[][] = [
    headerOf(ALLOCATIONS_TABLE, ['id', 'site', 'source', 'amount', 'fixed']),
  ];
  env.spreadsheet.deleteSheet(env.spreadsheet.sheet('Lincoln Elementary'));
  for (let s = 0; s < SITES; s++) {
    const code = String(s + 1).padStart(3, '0');
    const name = `School ${code}`;
    sites.push([code, name, name, 300 + s, 'elementary', 'No']);
    allocations.push([`${name} general`, code, 'General fund', 5_000_000, 'fund=100']);
    const rows: FakeValue[][] = [[...SITE_HEADER]];
    for (let i = 0; i < LINES; i++) {
      const f = functions[Math.floor(r() * functions.length)] as string;
      const o = objects[Math.floor(r() * objects.length)] as string;
      rows.push(
        siteRow({
          Type: 'Line',
          Account: `100-${f}-${o}-100-${code}`,
          Description: `Line ${i}`,
          Amount: Math.round(r() * 500_000) / 100,
        }),
      );
    }
    env.spreadsheet.load(name, rows);
  }
  env.spreadsheet.load('Sites', sites);
  env.spreadsheet.load('Allocations', allocations);
  return { env, bundle };
}

export default function main(): void {
  for (const advanced of [false, true]) {
    const { env, bundle } = district(advanced);
    env.counts.reset();
    const t0 = process.hrtime.bigint();
    const result = call<{ ok: boolean; summary: string }>(
      bundle,
      env,
      CFO,
      'consolidateDistrict',
      'include-marked',
    );
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (!result.summary.startsWith('Master Budget written'))
      throw new Error(`consolidation failed: ${result.summary}`);
    if (env.counts.get('Range.setValues') !== 1)
      throw new Error('the Master Budget was not written with one setValues');
    report(`sheets-consolidate-${SITES}x${LINES}${advanced ? '-batchget' : ''}`, ms, 'ms');
    if (!advanced) report(`sheets-consolidate-${SITES}x${LINES}-calls`, env.counts.total(), 'calls');
  }
}

if (require.main === module) main();
