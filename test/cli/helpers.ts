/**
 * Helpers for the command-line tests: temporary folders, the CLI run in process through main(argv)
 * with its output captured, and a few real runs of the compiled `budgetline` bin.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseA1 } from '../../core';
import { main } from '../../cli/index';
import { XlsxPort } from '../../cli/xlsx-port';

export const ROOT = join(__dirname, '..', '..');
/** The compiled bin (package.json "bin"), built by `npm run build` and `prepare`. */
export const BIN = join(ROOT, 'dist', 'cli', 'budgetline.js');

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'budgetline-cli-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `budgetline <args>` in this process: main(argv) with stdout and stderr captured (not a
 * terminal) and the environment given.
 */
export async function runCli(
  args: readonly string[],
  options: { env?: Record<string, string | undefined> } = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'budgetline', ...args], {
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}

let built = false;
/** Compiles the bin from the current sources, once per test file (esbuild: well under a second). */
export function buildBin(): string {
  if (!built) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.js')], { stdio: 'ignore' });
  built = true;
  return BIN;
}

/**
 * Spawns the compiled bin as a user runs it (`budgetline <args>`); `untilStdout` stops reading stdout
 * (closes the pipe, as `| head` does) once that many bytes came.
 */
export function spawnCli(
  args: readonly string[],
  options: { cwd?: string; untilStdout?: number } = {},
): Promise<CliRun> {
  const bin = buildBin();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (options.untilStdout !== undefined && stdout.length >= options.untilStdout) child.stdout.destroy();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Corrects the account cells named by fatal findings as a principal would: an unknown object code
 * 641 becomes 640 (books), a four-digit site code its three digits, typographic dashes hyphens.
 */
export async function fixLines(
  file: string,
  findings: readonly { severity: string; sheet: string | null; cell: string | null }[],
): Promise<void> {
  const port = await XlsxPort.open(file);
  const cells = findings.filter((d) => d.severity === 'fatal' && d.sheet && d.cell);
  const snap = await port.read({ sheets: [...new Set(cells.map((d) => d.sheet as string))] });
  const sheets = cells.map((d) => {
    const at = parseA1(d.cell as string);
    const was = String(snap.sheets[d.sheet as string]?.[at?.row ?? -1]?.[at?.column ?? -1] ?? '');
    const fixed = was
      .replace(/[\u2012-\u2015]/g, '-')
      .replace(/-641-/, '-640-')
      .replace(/-(\d{3})0$/, '-$1');
    return { sheet: d.sheet as string, at: d.cell as string, values: [[fixed]] };
  });
  await port.write({ sheets });
}
