/**
 * The .xlsx adapter (cli/xlsx-port.ts) on a large district workbook, each figure in its own child
 * process so that its peak memory is its own:
 *
 * - `bench xlsx-open-read <ms> ms`: open a 200,000-line district workbook (40 schools of 5,000
 *   lines) and read every sheet and the document state through the port;
 * - `bench xlsx-read-only <ms> ms`: open and read the same workbook as every command that only reads
 *   does (status, verify, export, validate --check): the port's read, then the core's reading of the
 *   workbook (readWorkbook, and siteSheetsOf, which reads every line of every site sheet); no write;
 * - `bench xlsx-consolidate <ms> ms`: the whole `consolidate` command on the same workbook (read,
 *   validate and roll up every line, write the Master Budget, save);
 * - `bench xlsx-overhead <ratio> ratio`: the second over the first (the target is at most 1.3);
 * - `bench xlsx-status-demo <ms> ms`: `status` on the 40-school demo workbook, in process;
 * - `bench xlsx-write-100k` / `xlsx-read-100k` (ms), `xlsx-peak-memory-100k` (MB), `xlsx-file-size-100k`
 *   (KB): a 100,000-line site sheet written through the port and read back, and the same with
 *   ExcelJS (`xlsx-exceljs-*`), the library the adapter used before.
 * Each time is the best of a few runs.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cellText,
  operations,
  readWorkbook,
  runOperation,
  SETUP_HEADER,
  SHEETS,
  siteSheetsOf,
  siteSheetWrite,
  tableWrite,
  type CellValue,
  type DocumentState,
  type SiteBudget,
} from '../core';
import { consolidateCommand } from '../cli/commands/consolidate';
import { status } from '../cli/commands/workbook';
import { generateDemo } from '../cli/demo/generate';
import { runDemo } from '../cli/demo/run';
import { XlsxPort } from '../cli/xlsx-port';
import { report, rng } from './util';

const SCHOOLS = 40;
const PER_SITE = 5_000;
const N = 100_000;
const HEADER = ['Account', 'Description', 'Quantity', 'Unit cost', 'Amount', 'One-time', 'Notes'];
const OBJECTS = ['111', '112', '121', '211', '220', '430', '510', '610', '640', '650', '730'];
const FUNCTIONS = ['1000', '2120', '2150', '2220', '2410', '2610', '2700'];

function ms(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** The demo district with every school's lines repeated to PER_SITE, every site approved. */
export async function makeDistrict(file: string): Promise<string> {
  const d = generateDemo({ schools: SCHOOLS, seed: 2027 });
  const port = await XlsxPort.create(file);
  const now = (): string => '2026-11-28T09:30:00.000Z';
  await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: d.fiscalYear, district: d.district },
    { now, actAs: { email: d.people.cfo, verified: false } },
  );
  const setup = (await port.read({ sheets: [SHEETS.setup] })).sheets[SHEETS.setup] ?? [[...SETUP_HEADER]];
  const setupRows = setup.map((r) => [...r]);
  for (const [key, value] of d.settings) {
    const i = setupRows.findIndex(
      (r, k) => k > 0 && cellText(r[0]).trim().toLowerCase() === key.toLowerCase(),
    );
    if (i > 0) (setupRows[i] as CellValue[])[1] = value;
    else setupRows.push([key, value]);
  }
  const sites: Record<string, SiteBudget> = {};
  const writes = d.sites.map((s) => {
    const rows = s.rows.filter((r) => r[0] === 'Line');
    const out: CellValue[][] = [];
    for (let i = 0; out.length < PER_SITE; i++) {
      const r = [...(rows[i % rows.length] ?? [])];
      r[2] = `${cellText(r[2])} (${i + 1})`;
      out.push(r);
    }
    sites[s.code] = {
      site: s.code,
      state: 'approved',
      submittedBy: s.principal,
      submittedAt: now(),
      submittedHash: 'a'.repeat(64),
      approvedBy: d.people.approver,
      approvedAt: now(),
      approvedHash: 'a'.repeat(64),
    };
    return siteSheetWrite(s.name, out);
  });
  const state: DocumentState = { version: 1, sites, lastAuditHash: '0'.repeat(64) };
  await port.write({
    sheets: [
      tableWrite(SHEETS.setup, setupRows, ['@', null]),
      tableWrite(SHEETS.sites, d.tables.sites),
      tableWrite(SHEETS.jobTypes, d.tables.jobTypes),
      tableWrite(SHEETS.benefits, d.tables.benefits),
      tableWrite(SHEETS.formula, d.tables.formula),
      tableWrite(SHEETS.roles, d.tables.roles),
      ...writes,
    ],
    state,
  });
  return d.people.cfo;
}

function lines(n: number): CellValue[][] {
  const r = rng(7);
  const pick = (a: readonly string[]): string => a[Math.floor(r() * a.length)] as string;
  const out: CellValue[][] = [HEADER];
  for (let i = 0; i < n; i++) {
    const qty = 1 + Math.floor(r() * 40);
    const cost = Math.round(r() * 50_000) / 100;
    out.push([
      `100-${pick(FUNCTIONS)}-${pick(OBJECTS)}-100-${String(1 + (i % 40)).padStart(3, '0')}`,
      `Line ${i + 1}: ${pick(['supplies', 'books', 'repairs', 'software', 'travel', 'field trip'])}`,
      qty,
      cost,
      Math.round(qty * cost * 100) / 100,
      r() < 0.1 ? 'Yes' : 'No',
      r() < 0.2 ? 'carried over from last year' : '',
    ]);
  }
  return out;
}

/** Children: each prints one JSON line. */
const CHILD: Record<string, (dir: string, extra: string) => Promise<Record<string, number>>> = {
  /** Read-only and consolidate in turns (the machine's load falls on both alike), best of three each. */
  async district(dir, cfo) {
    let readOnly = Infinity;
    let openRead = Infinity;
    let cons = Infinity;
    let lines = 0;
    const write = process.stdout.write.bind(process.stdout);
    for (let run = 0; run < 3; run++) {
      let t0 = process.hrtime.bigint();
      const port = await XlsxPort.open(join(dir, 'district.xlsx'));
      const snap = await port.read({ sheets: 'all', state: true, user: true });
      openRead = Math.min(openRead, ms(t0));
      const wb = readWorkbook(snap);
      const sheets = siteSheetsOf(wb, snap);
      readOnly = Math.min(readOnly, ms(t0));
      lines = sheets.reduce((n, x) => n + x.ledger.length, 0);
      const file = join(dir, `consolidate-${run}.xlsx`);
      copyFileSync(join(dir, 'district.xlsx'), file);
      process.stdout.write = () => true;
      t0 = process.hrtime.bigint();
      const code = await consolidateCommand([file], { as: cfo }, {}).finally(() => {
        process.stdout.write = write;
      });
      if (code > 1) throw new Error(`consolidate exited ${code}`);
      cons = Math.min(cons, ms(t0));
      rmSync(file);
    }
    return { readOnly, openRead, consolidate: cons, lines };
  },
  async 'status-demo'(dir) {
    const run = await runDemo(
      join(dir, 'demo'),
      { schools: 40, seed: 2027 },
      { now: () => '2026-11-28T09:30:00.000Z' },
    );
    let best = Infinity;
    const write = process.stdout.write.bind(process.stdout);
    for (let i = 0; i < 3; i++) {
      process.stdout.write = () => true;
      const t0 = process.hrtime.bigint();
      await status(run.workbook, {}, {});
      const t = ms(t0);
      process.stdout.write = write;
      best = Math.min(best, t);
    }
    return { ms: best };
  },
  async port100k(dir) {
    const rows = lines(N);
    const file = join(dir, 'port-100k.xlsx');
    let write = Infinity;
    let read = Infinity;
    let cells = 0;
    for (let run = 0; run < 2; run++) {
      rmSync(file, { force: true });
      let t0 = process.hrtime.bigint();
      const port = await XlsxPort.create(file);
      await port.write({ sheets: [{ sheet: 'Lincoln Elementary', values: rows, header: true }] });
      write = Math.min(write, ms(t0));
      t0 = process.hrtime.bigint();
      const grid = (await XlsxPort.open(file)).sheet('Lincoln Elementary') ?? [];
      read = Math.min(read, ms(t0));
      cells = grid.reduce((n, r) => n + r.filter((v) => v !== null).length, 0);
    }
    return { write, read, cells, sizeKb: statSync(file).size / 1024 };
  },
  async exceljs100k(dir) {
    const ExcelJS = (await import('exceljs')).default;
    const rows = lines(N);
    const file = join(dir, 'exceljs-100k.xlsx');
    let write = Infinity;
    let read = Infinity;
    let cells = 0;
    for (let run = 0; run < 2; run++) {
      let t0 = process.hrtime.bigint();
      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('Lincoln Elementary').addRows(rows);
      await wb.xlsx.writeFile(file);
      write = Math.min(write, ms(t0));
      t0 = process.hrtime.bigint();
      const again = new ExcelJS.Workbook();
      await again.xlsx.readFile(file);
      cells = 0;
      again.getWorksheet('Lincoln Elementary')?.eachRow((row) => {
        row.eachCell(() => cells++);
      });
      read = Math.min(read, ms(t0));
    }
    return { write, read, cells, sizeKb: statSync(file).size / 1024 };
  },
};

function child(name: string, dir: string, extra = ''): Record<string, number> {
  const out = execFileSync(
    process.execPath,
    ['--max-old-space-size=6144', '-r', 'tsx/cjs', __filename, '--child', name, dir, extra],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  return JSON.parse(out.trim().split('\n').pop() as string) as Record<string, number>;
}

export default async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'budgetline-xlsx-bench-'));
  try {
    const t0 = process.hrtime.bigint();
    const cfo = await makeDistrict(join(dir, 'district.xlsx'));
    report('xlsx-write-200k', ms(t0), 'ms');
    const r = child('district', dir, cfo);
    if ((r.lines ?? 0) < SCHOOLS * PER_SITE * 0.9) throw new Error(`read only ${r.lines} lines`);
    report('xlsx-open-read', r.openRead ?? 0, 'ms');
    report('xlsx-read-only', r.readOnly ?? 0, 'ms');
    report('xlsx-consolidate', r.consolidate ?? 0, 'ms');
    console.log(`bench xlsx-overhead ${((r.consolidate ?? 0) / (r.readOnly ?? 1)).toFixed(2)} ratio`);
    report('xlsx-district-peak-memory', r.peakMb ?? 0, 'MB');
    report('xlsx-status-demo', child('status-demo', dir).ms ?? 0, 'ms');
    for (const [name, lib] of [
      ['port100k', ''],
      ['exceljs100k', '-exceljs'],
    ] as const) {
      const r = child(name, dir);
      if ((r.cells ?? 0) < N * 6) throw new Error(`${name} read back only ${r.cells} cells`);
      report(`xlsx${lib}-write-100k`, r.write ?? 0, 'ms');
      report(`xlsx${lib}-read-100k`, r.read ?? 0, 'ms');
      report(`xlsx${lib}-peak-memory-100k`, r.peakMb ?? 0, 'MB');
      report(`xlsx${lib}-file-size-100k`, r.sizeKb ?? 0, 'KB');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const fn = CHILD[process.argv[3] as string];
  if (!fn) throw new Error(`no bench child ${process.argv[3]}`);
  fn(process.argv[4] as string, process.argv[5] ?? '')
    .then((r) => console.log(JSON.stringify({ ...r, peakMb: process.resourceUsage().maxRSS / 1024 })))
    .catch((e: unknown) => {
      console.error(e);
      process.exit(1);
    });
} else if (require.main === module) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
