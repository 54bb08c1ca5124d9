/**
 * What the Excel task pane downloads, built twice in production mode as a district would build it:
 * without sign-in (no BUDGETLINE_CLIENT_ID) and with it. MSAL is its own chunk (src/signin.ts imports
 * it on demand), fetched only when a client ID is configured and Excel has NAA:
 *
 * - `bench pane-bundle <KB> KB` / `pane-bundle-gz`: taskpane.js, raw and gzipped, without a client ID;
 * - `bench msal-chunk <KB> KB` / `msal-chunk-gz`: the MSAL chunk, raw and gzipped (never fetched then);
 * - `bench pane-bundle-client-id <KB> KB` / `pane-bundle-client-id-gz`: taskpane.js with a client ID;
 * - `bench msal-chunk-client-id <KB> KB` / `msal-chunk-client-id-gz`: its MSAL chunk, fetched at sign-in.
 *
 * KB is 1,000 bytes; gzip at its default level, as a web server would send it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { report } from './util';

const ROOT = join(__dirname, '..');
const CLIENT = '3f2a9c1e-5b7d-4e2f-9a10-6c8d2e4b1f07';

function build(env: NodeJS.ProcessEnv): string {
  const out = mkdtempSync(join(tmpdir(), 'budgetline-bundle-'));
  const r = spawnSync(
    process.execPath,
    [
      require.resolve('webpack-cli/bin/cli.js'),
      '--config',
      join(ROOT, 'excel-addin', 'webpack.config.js'),
      '--mode',
      'production',
      '--output-path',
      out,
    ],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } },
  );
  if (r.status !== 0) throw new Error(`bench excel-bundle: webpack failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

function sizes(dir: string, file: string): { raw: number; gz: number } {
  const bytes = readFileSync(join(dir, file));
  return { raw: bytes.length / 1000, gz: gzipSync(bytes).length / 1000 };
}

export default function excelBundle(): void {
  const builds: [string, NodeJS.ProcessEnv][] = [
    ['', { BUDGETLINE_CLIENT_ID: '' }],
    ['-client-id', { BUDGETLINE_CLIENT_ID: CLIENT }],
  ];
  for (const [suffix, env] of builds) {
    const dir = build(env);
    try {
      const chunk = readdirSync(dir).find((f) => /^msal\.[0-9a-f]+\.js$/.test(f));
      if (!chunk) throw new Error('bench excel-bundle: no MSAL chunk beside taskpane.js');
      const pane = sizes(dir, 'taskpane.js');
      const msal = sizes(dir, chunk);
      report(`pane-bundle${suffix}`, pane.raw, 'KB');
      report(`pane-bundle${suffix}-gz`, pane.gz, 'KB');
      report(`msal-chunk${suffix}`, msal.raw, 'KB');
      report(`msal-chunk${suffix}-gz`, msal.gz, 'KB');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
