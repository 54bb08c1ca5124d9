/**
 * bench xlsx-exceljs-*: write and read a 100,000-line site workbook (the Lines table of a site sheet:
 * Account, Description, Quantity, Unit cost, Amount, One-time, Notes) with ExcelJS. (SheetJS, the npm
 * `xlsx` 0.18.5 release, was measured beside it when the .xlsx adapter was chosen; the README keeps
 * those figures. That package is no longer a dependency: it has known advisories.)
 *
 * Each library runs in its own child process so that its peak memory (max RSS) is its own. Figures:
 * write and read time in ms (best of 2), peak memory in MB, and file size in KB.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report, rng } from './util';

const N = 100_000;
const HEADER = ['Account', 'Description', 'Quantity', 'Unit cost', 'Amount', 'One-time', 'Notes'];
const OBJECTS = ['111', '112', '121', '211', '220', '430', '510', '610', '640', '650', '730'];
const FUNCTIONS = ['1000', '2120', '2150', '2220', '2410', '2610', '2700'];

type Row = (string | number)[];

function lines(n: number): Row[] {
  const r = rng(7);
  const pick = (a: readonly string[]): string => a[Math.floor(r() * a.length)] as string;
  const out: Row[] = [HEADER];
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

async function writeExcelJs(file: string, rows: Row[]): Promise<void> {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Lincoln Elementary');
  ws.addRows(rows);
  await wb.xlsx.writeFile(file);
}

async function readExcelJs(file: string): Promise<number> {
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet('Lincoln Elementary');
  let cells = 0;
  ws?.eachRow((row) => {
    const v = row.values as unknown[];
    cells += v.length - 1;
  });
  return cells;
}

const LIBS = {
  exceljs: { write: writeExcelJs, read: readExcelJs },
} as const;
type Lib = keyof typeof LIBS;

/** In the child: time write and read (best of 2), then print one JSON line. */
async function child(lib: Lib, dir: string): Promise<void> {
  const rows = lines(N);
  const file = join(dir, `${lib}.xlsx`);
  let write = Infinity;
  let read = Infinity;
  let cells = 0;
  for (let run = 0; run < 2; run++) {
    let t0 = process.hrtime.bigint();
    await LIBS[lib].write(file, rows);
    write = Math.min(write, Number(process.hrtime.bigint() - t0) / 1e6);
    t0 = process.hrtime.bigint();
    cells = await LIBS[lib].read(file);
    read = Math.min(read, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ write, read, cells, peakMb, sizeKb: statSync(file).size / 1024 }));
}

export default function run(): void {
  const dir = mkdtempSync(join(tmpdir(), 'budgetline-xlsx-bench-'));
  try {
    for (const lib of Object.keys(LIBS) as Lib[]) {
      const out = execFileSync(
        process.execPath,
        ['--max-old-space-size=4096', '-r', 'tsx/cjs', __filename, '--child', lib, dir],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      const r = JSON.parse(out.trim().split('\n').pop() as string) as {
        write: number;
        read: number;
        cells: number;
        peakMb: number;
        sizeKb: number;
      };
      if (r.cells < N * 6) throw new Error(`${lib} read back only ${r.cells} cells`);
      report(`xlsx-${lib}-write`, r.write, 'ms');
      report(`xlsx-${lib}-read`, r.read, 'ms');
      report(`xlsx-${lib}-peak-memory`, r.peakMb, 'MB');
      report(`xlsx-${lib}-file-size`, r.sizeKb, 'KB');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  child(process.argv[3] as Lib, process.argv[4] as string).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else if (require.main === module) {
  run();
}
