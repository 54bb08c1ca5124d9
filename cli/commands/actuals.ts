/**
 * actuals <workbook> [extract.csv] --as-of 2027-03-31: year-to-date actuals and encumbrances from the
 * accounting system into the Actuals table (core importActuals: all or nothing, one read, one write),
 * then budget vs actual vs encumbered vs remaining per site and fund, with the flagged lines. Without
 * an extract, the report from the Actuals table already in the workbook (read-only).
 */
import { basename } from 'node:path';
import {
  actualsReport,
  formatCents,
  importActuals,
  runOperation,
  type ActualsReport,
  type GroupActuals,
} from '../../core';
import { operationOptions } from '../context';
import { withLockedWorkbook } from '../lock';
import { UsageError } from '../errors';
import { describeEncoding, readCsvRecords, type CsvEncoding } from '../import-csv';
import { printResult, type GlobalOptions } from '../output';

const money = (c: number): string => formatCents(c).padStart(16);

function row(label: string, g: GroupActuals): string {
  return `    ${label.padEnd(24).slice(0, 24)}${money(g.budgetCents)}${money(g.actualCents)}${money(g.encumberedCents)}${money(g.remainingCents)}`;
}

/** The report as text: per site, per fund, the district, then the flagged lines. */
export function reportLines(r: ActualsReport, siteNames: ReadonlyMap<string, string>): string[] {
  const head = `    ${''.padEnd(24)}${'budget'.padStart(16)}${'actual'.padStart(16)}${'encumbered'.padStart(16)}${'remaining'.padStart(16)}`;
  const lines = [`Budget vs actual as of ${r.asOf}, by site:`, head];
  for (const s of r.sites) lines.push(row(`${s.key} ${siteNames.get(s.key) ?? ''}`, s));
  lines.push('By fund:', head);
  for (const f of r.funds) lines.push(row(`fund ${f.key}`, f));
  lines.push(row('District', r.district));
  const flagged = r.lines.filter((l) => l.flags.length);
  if (flagged.length) {
    lines.push('Flagged lines:');
    for (const l of flagged)
      lines.push(
        `    ${l.site} ${l.account}  ${l.flags.join(', ')}: budget ${formatCents(l.budgetCents)}, actual ${formatCents(l.actualCents)}, encumbered ${formatCents(l.encumberedCents)}, remaining ${formatCents(l.remainingCents)}`,
      );
  }
  return lines;
}

export async function actualsCommand(
  file: string,
  extract: string | undefined,
  opts: { asOf?: string; delimiter?: string; encoding?: string },
  global: GlobalOptions,
): Promise<number> {
  if (extract !== undefined && opts.asOf === undefined)
    throw new UsageError('actuals: give the date the extract is as of, e.g. --as-of 2027-03-31');
  if (extract === undefined && opts.asOf !== undefined)
    throw new UsageError(
      'actuals: --as-of goes with an extract to import (actuals <workbook> <extract.csv> --as-of …)',
    );
  const read =
    extract !== undefined
      ? await readCsvRecords(extract, {
          ...(opts.delimiter !== undefined ? { delimiter: opts.delimiter } : {}),
          ...(opts.encoding !== undefined ? { encoding: opts.encoding as CsvEncoding } : {}),
        })
      : undefined;
  const { options, done } = operationOptions(global);
  const r =
    extract !== undefined && read
      ? await withLockedWorkbook(file, (port) =>
          runOperation(
            port,
            importActuals,
            { header: read.header, records: read.records, asOf: opts.asOf ?? '', source: basename(extract) },
            options,
          ),
        )
      : await withLockedWorkbook(file, (port) => runOperation(port, actualsReport, {}, options), {
          readOnly: true,
        });
  done();
  const names = new Map(Object.entries(r.siteNames ?? {}));
  return printResult('actuals', r, global, {
    lines: [
      ...(read && extract ? [`Read ${extract} as ${describeEncoding(read.encoding)}.`] : []),
      ...(r.report ? reportLines(r.report, names) : []),
    ],
    json: {
      file,
      ...(extract !== undefined ? { extract } : {}),
      ...(r.report ? { report: r.report } : {}),
    },
  });
}
