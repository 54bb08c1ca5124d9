/**
 * `bench sheets-onedit-paste-5000 <ms> ms`: the BUILT Sheets add-on's onEdit (dist/sheets-addon/Code.js
 * in node:vm over the Apps Script fakes) re-checking a 5,000-row paste: one read, one batched write of
 * marks. A simple trigger has 30 s. (test/sheets-addon/code.test.ts checks the calls it makes; the time
 * is measured here, not asserted in a test.) The Excel add-in's paste is in excel-live-paste.bench.ts.
 */
import { FakeEnv } from '../test/sheets-addon/fakes/apps-script';
import { loadBundle, newDistrict, siteRow } from '../test/sheets-addon/bundle';
import { report } from './util';

const SITE = 'Lincoln Elementary';
const ROWS = 5000;

export default function main(): void {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const env = new FakeEnv();
    const bundle = loadBundle(env);
    newDistrict(env, bundle);
    const rows = Array.from({ length: ROWS }, (_, i) =>
      siteRow({
        Type: 'Line',
        Account:
          i % 100 === 7 ? `100-1000-6${String(i % 90).padStart(2, '0')}-100-001` : '100-1000-610-100-001',
        Description: `Pasted line ${i}`,
        Amount: 10 + i,
      }),
    );
    env.spreadsheet.sheet(SITE).loadRaw(rows, { row: 2, col: 1 });
    const range = env.spreadsheet.sheet(SITE).getRange(`A2:Q${ROWS + 1}`);
    const event = { authMode: 'LIMITED', range, source: env.spreadsheet, user: { getEmail: () => '' } };
    env.counts.reset();
    const t0 = process.hrtime.bigint();
    env.simple('onEdit', () => (bundle['onEdit'] as (e: unknown) => void)(event));
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    if (env.counts.get('Range.setBackgrounds') !== 1)
      throw new Error('the paste was not marked in one write');
  }
  report(`sheets-onedit-paste-${ROWS}`, best, 'ms');
}

if (require.main === module) main();
