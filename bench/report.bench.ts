/**
 * The board report on the 40-school demo district (1,687 lines and positions):
 *
 * - `bench board-report <n> lines/s`: the boardReport plan (approval gate, consolidation, fund
 *   summary, projection, every section, the sheets with charts and print setup), best of 3;
 * - `bench board-report-pdf <ms> ms`: the report sheets alone to an .xlsx and LibreOffice's PDF of
 *   it (one conversion; skipped without soffice).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boardReport } from '../core';
import { convertToPdf, packetWorkbook } from '../cli/commands/report';
import { runDemo } from '../cli/demo/run';
import { XlsxPort } from '../cli/xlsx-port';
import { bestRate, report } from './util';

export default async function (): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'budgetline-bench-report-'));
  try {
    const now = (): string => '2026-11-28T09:30:00.000Z';
    const demo = await runDemo(join(dir, 'demo'), { schools: 40, seed: 1, pdf: false }, { now });
    const snap = await (await XlsxPort.open(demo.workbook, { readOnly: true })).read(boardReport.reads({}));
    const options = { now, actAs: { email: demo.district.people.cfo, verified: false } };
    const lines = demo.district.sites.reduce((n, s) => n + s.rows.length, 0);
    let out: ReturnType<typeof boardReport.run> | undefined;
    const rate = bestRate(lines, () => {
      out = boardReport.run(snap, {}, options);
    });
    if (!out?.result.ok || !out.write)
      throw new Error(`board report went wrong: ${out?.result.summary ?? ''}`);
    report('board-report', rate, 'lines/s');
    const t0 = process.hrtime.bigint();
    try {
      await convertToPdf(await packetWorkbook(out.write, dir), dir);
      report('board-report-pdf', Number(process.hrtime.bigint() - t0) / 1e6, 'ms');
    } catch (e) {
      console.log(`bench board-report-pdf skipped: ${(e as Error).message}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
