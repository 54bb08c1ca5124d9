/**
 * The command line as a user runs it, the compiled bin (dist/cli/budgetline.js, rebuilt first):
 *
 * - `bench cli-start <ms> ms`: `budgetline --help`, process start to exit (median of 7);
 * - `bench cli-status <ms> ms`: `budgetline status` on the 40-school demo workbook (median of 3);
 * - `bench import-1m-peak-memory <MB> MB` and `bench import-1m <lines/s> lines/s`: importing a
 *   1,000,000-row CSV into a site sheet of the demo workbook. Above IMPORT_ROW_LIMIT rows the import
 *   is refused before anything is written: then `bench import-1m-refused <ms> ms` is how long the
 *   refusal took, and `bench import-limit <lines/s> lines/s` / `bench import-limit-peak-memory <MB> MB`
 *   measure an import of IMPORT_ROW_LIMIT rows, the largest one accepted.
 *
 * Peak memory is the child's max RSS, reported by a preloaded exit hook.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { IMPORT_ROW_LIMIT } from '../cli/import-csv';
import { report, rng } from './util';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'dist', 'cli', 'budgetline.js');
const OBJECTS = ['610', '640', '650', '430', '510', '580'];

interface Run {
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly peakMb: number;
}

function run(args: readonly string[], hook: string): Run {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-r', hook, BIN, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const peak = /peak-rss-kb (\d+)/.exec(r.stderr);
  return {
    ms,
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr.replace(/peak-rss-kb \d+\n/, ''),
    peakMb: peak ? Number(peak[1]) / 1024 : NaN,
  };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** A CSV export of `rows` budget lines for site 103 (Account, Description, Amount). */
async function csv(file: string, rows: number): Promise<void> {
  const r = rng(1_000_000);
  const out = createWriteStream(file);
  let chunk = 'Account,Description,Amount\n';
  for (let i = 0; i < rows; i++) {
    chunk += `100-1000-${OBJECTS[Math.floor(r() * OBJECTS.length)]}-100-103,Line ${i + 1} supplies,${1 + Math.floor(r() * 5000)}.${String(Math.floor(r() * 100)).padStart(2, '0')}\n`;
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

export default async function main(): Promise<void> {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.js')], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'budgetline-cli-bench-'));
  try {
    const hook = join(dir, 'peak.js');
    writeFileSync(
      hook,
      "process.on('exit', () => require('fs').writeSync(2, `peak-rss-kb ${process.resourceUsage().maxRSS}\\n`));\n",
    );
    const help = Array.from({ length: 7 }, () => run(['--help'], hook));
    if (help.some((h) => h.code !== 0)) throw new Error('budgetline --help failed');
    report('cli-start', median(help.map((h) => h.ms)), 'ms');

    const demo = run(['demo', '--out', join(dir, 'demo'), '--json'], hook);
    if (demo.code !== 0) throw new Error(`budgetline demo failed: ${demo.stderr}`);
    const workbook = (JSON.parse(demo.stdout) as { workbook: string }).workbook;
    const status = Array.from({ length: 3 }, () => run(['status', workbook], hook));
    if (status.some((s) => s.code !== 0)) throw new Error('budgetline status failed');
    report('cli-status', median(status.map((s) => s.ms)), 'ms');

    const big = join(dir, '1m.csv');
    await csv(big, 1_000_000);
    const target = join(dir, 'import.xlsx');
    copyFileSync(workbook, target);
    const million = run(['import', target, big, '--sheet', '103'], hook);
    report('import-1m-peak-memory', million.peakMb, 'MB');
    if (million.code === 2 && /Nothing was imported/.test(million.stderr)) {
      report('import-1m-refused', million.ms, 'ms');
      const limit = join(dir, 'limit.csv');
      await csv(limit, IMPORT_ROW_LIMIT);
      copyFileSync(workbook, target);
      const most = run(['import', target, limit, '--sheet', '103'], hook);
      if (most.code !== 0 && most.code !== 1)
        throw new Error(`the import at the limit failed: ${most.stderr}`);
      report('import-limit', IMPORT_ROW_LIMIT / (most.ms / 1000), 'lines/s');
      report('import-limit-peak-memory', most.peakMb, 'MB');
    } else {
      if (million.code !== 0 && million.code !== 1) throw new Error(`the import failed: ${million.stderr}`);
      report('import-1m', 1_000_000 / (million.ms / 1000), 'lines/s');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main();
