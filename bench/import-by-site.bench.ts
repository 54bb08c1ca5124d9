/**
 * `bench import-by-site <n> lines/s` and `bench import-by-site-peak-memory <n> MB`: one extract of
 * 200,000 lines across 500 sites (a CSV on disk, read with the CLI's streaming decoder) imported by
 * site into a district of 500 sites held in a MemoryPort: the file read, the core's checks, the
 * validation of every site and the one write. The .xlsx save is not included (bench xlsx measures
 * it). Run in a child process so that its peak memory is its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryPort, SHEETS, SITES_TABLE, gridOf, operations, runOperation, type PortUser } from '../core';
import { readCsvRecords } from '../cli/import-csv';
import { report } from './util';

const SITES = 500;
const LINES = 200_000;
const OBJECTS = ['610', '640', '320', '610', '730', '580'];

async function child(dir: string): Promise<Record<string, number>> {
  const cfo: PortUser = { email: 'cfo@district.k12.us', verified: true };
  const options = { now: () => '2026-11-28T09:30:00.000Z' };
  const port = new MemoryPort({ user: cfo });
  const sites = Array.from({ length: SITES }, (_, i) => ({
    code: String(100 + i).padStart(3, '0'),
    name: `School ${100 + i}`,
  }));
  await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2027, district: 'Bench USD' },
    options,
  );
  port.setSheet(
    SHEETS.sites,
    gridOf(
      SITES_TABLE,
      ['code', 'name', 'enrollment'],
      sites.map((s) => [s.code, s.name, 400]),
    ),
  );
  const csv = join(dir, 'extract.csv');
  const rows = ['Org,Account,Description,Amount'];
  for (let i = 0; i < LINES; i++) {
    const site = sites[i % SITES]?.code ?? '';
    rows.push(`${site},100-1000-${OBJECTS[i % OBJECTS.length]}-100-${site},Line ${i},${(i % 5000) + 0.25}`);
  }
  writeFileSync(csv, rows.join('\n'));
  const t0 = process.hrtime.bigint();
  const extract = await readCsvRecords(csv);
  const r = await runOperation(
    port,
    operations.importBySite,
    { header: extract.header, records: extract.records, siteColumn: 'Org', source: 'extract.csv' },
    options,
  );
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!r.ok || r.lines !== LINES || r.sites.length !== SITES)
    throw new Error(`import by site went wrong: ${r.summary} ${JSON.stringify(r.diagnostics.slice(0, 2))}`);
  return { ms };
}

export default function run(): void {
  const dir = mkdtempSync(join(tmpdir(), 'budgetline-by-site-bench-'));
  try {
    const out = execFileSync(
      process.execPath,
      ['--max-old-space-size=6144', '-r', 'tsx/cjs', __filename, '--child', dir],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    const r = JSON.parse(out.trim().split('\n').pop() as string) as { ms: number; peakMb: number };
    report('import-by-site', Math.round((LINES / r.ms) * 1000), 'lines/s');
    report('import-by-site-peak-memory', Math.round(r.peakMb), 'MB');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  child(process.argv[3] as string)
    .then((r) => console.log(JSON.stringify({ ...r, peakMb: process.resourceUsage().maxRSS / 1024 })))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
}
