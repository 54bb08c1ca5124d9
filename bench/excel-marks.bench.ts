// The Excel adapter names Office's global types; the root tsconfig (which checks bench/) lists none.
/// <reference types="office-js" />
/// <reference types="office-runtime" />
/**
 * What marks cost the Excel add-in at each ExcelApi level, over the Office.js test double: 2,000
 * cells marked in one write, then cleared in one write, on a sheet where every other marked cell has
 * the user's own fill (kept, and put back when the mark clears).
 * - `bench excel-marks-2000-api18 <ms> ms`: notes (Microsoft 365);
 * - `bench excel-marks-2000-api14 <ms> ms`: no notes, fills plus the Budgetline Findings sheet
 *   (Office LTSC 2021);
 * - `bench excel-marks-2000-api<level>-commands <n> commands`: commands in the one batch that marks.
 */
import { ExcelPort } from '../excel-addin/src/port';
import { installFakeOffice } from '../test/excel-addin/fake/fake-office';
import type { CellMark } from '../core';
import { report } from './util';

const CELLS = 2000;

async function run(excelApi: number): Promise<void> {
  const rows = [['Account'], ...Array.from({ length: CELLS }, (_, i) => [`bad-${i}`])];
  const fake = installFakeOffice(globalThis as unknown as Record<string, unknown>, {
    sheets: { Site: rows },
    excelApi,
  });
  const model = fake.sheetModel('Site');
  for (let r = 1; r <= CELLS; r += 2) {
    const row = model.cells[r];
    if (row?.[0]) row[0] = { ...row[0], fill: '#BDD7EE' };
  }
  const marks: CellMark[] = Array.from({ length: CELLS }, (_, i) => ({
    sheet: 'Site',
    cell: `A${i + 2}`,
    severity: i % 3 ? 'fatal' : 'warning',
    note: `BL104 unknown object code in row ${i + 2}`,
  }));
  const port = new ExcelPort({ sso: false });
  await port.read({ sheets: ['Site'] });
  let best = Infinity;
  let commands = 0;
  for (let k = 0; k < 3; k++) {
    fake.resetStats();
    const t0 = process.hrtime.bigint();
    await port.write({ marks });
    commands = fake.book.stats.commands[0] ?? 0;
    await port.write({ clearMarks: [{ sheet: 'Site' }] });
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    if (fake.cell('Site', 'A2').fill !== '#BDD7EE') throw new Error('the user fill was not put back');
  }
  report(`excel-marks-${CELLS}-api${excelApi}`, best, 'ms');
  report(`excel-marks-${CELLS}-api${excelApi}-commands`, commands, 'commands');
}

export default async function bench(): Promise<void> {
  await run(18);
  await run(14);
}
