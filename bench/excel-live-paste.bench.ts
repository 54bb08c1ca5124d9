/**
 * `bench excel-live-paste-5000 <ms> ms`: the Excel add-in's live validation (worksheet onChanged) over
 * the Office.js fake, re-checking a paste of 5,000 rows with one read and one write sync.
 * (test/excel-addin/live.test.ts checks the round trips; the time is measured here, not asserted in a
 * test.) Type-checked with the add-in (excel-addin/tsconfig.json), which has the Office types.
 */
import { operations } from '../core';
import { LiveValidation } from '../excel-addin/src/live';
import { ExcelPort } from '../excel-addin/src/port';
import { BUILDER, SITE_SHEET, districtSheets, siteColumn } from '../test/excel-addin/district';
import type { FakeCellValue } from '../test/excel-addin/fake/fake-office';
import { install, marksOf } from '../test/excel-addin/helpers';
import { report } from './util';

const ROWS = 5000;

export default async function main(): Promise<void> {
  const account = siteColumn('Account');
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const fake = install({ sheets: await districtSheets([]) });
    const live = new LiveValidation({
      port: new ExcelPort({ sso: false }),
      validateRows: operations.validateRows,
      options: () => ({ now: () => '2026-11-28T10:00:00.000Z', actAs: BUILDER }),
      onError: (e) => {
        throw e;
      },
    });
    await live.start();
    await fake.settle();
    const rows: FakeCellValue[][] = Array.from({ length: ROWS }, (_, i) => [
      'Line',
      i % 2 ? '100-1000-610-100-001' : '100-1000-618-100-001',
      `Pasted ${i}`,
    ]);
    fake.resetStats();
    const t0 = process.hrtime.bigint();
    await fake.userEdit(SITE_SHEET, `A6:C${ROWS + 5}`, rows);
    await fake.settle();
    await live.idle();
    await fake.settle();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    if (fake.book.stats.syncs !== 2) throw new Error(`the paste took ${fake.book.stats.syncs} syncs, not 2`);
    if (marksOf(fake, SITE_SHEET).filter((m) => m.cell.startsWith(account)).length < ROWS / 2)
      throw new Error('the paste was not checked');
  }
  report(`excel-live-paste-${ROWS}`, best, 'ms');
}

if (require.main === module) void main();
