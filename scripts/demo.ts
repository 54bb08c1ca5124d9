/**
 * The demo until the command line lands: validates the bundled sample site budget
 * (samples/lincoln-elementary.csv) against the NCES chart and prints every finding.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import {
  checkAccountTable,
  compileChart,
  formatDiagnostic,
  loadPreset,
  sortDiagnostics,
  type CellValue,
} from '../core';

const file = join(__dirname, '..', 'samples', 'lincoln-elementary.csv');
const grid = parse(readFileSync(file, 'utf8'), { relax_column_count: true }) as CellValue[][];
const chart = loadPreset('nces');
const validator = compileChart(chart, 2027);
const { rows, diagnostics } = checkAccountTable(validator, grid, { sheet: 'Lincoln Elementary' });

console.log(
  `Budgetline demo: ${rows.length} lines of ${file} checked against the ${chart.name} chart for FY2027\n`,
);
for (const d of sortDiagnostics(diagnostics)) console.log(`${formatDiagnostic(d, { excerpt: true })}\n`);
const fatal = diagnostics.filter((d) => d.severity === 'fatal').length;
console.log(
  `${rows.filter((r) => r.check.ok).length} of ${rows.length} lines valid; ${fatal} fatal, ${diagnostics.length - fatal} warnings.`,
);
