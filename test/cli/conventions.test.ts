/**
 * Command-line conventions: --version, help on stdout, global options before or after the command,
 * variadic --site beside the workbook, exit statuses (3 for internal errors), status's table, and a
 * few real runs of the compiled bin (the bin itself, a closed pipe as `| head` closes it).
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_IN_FORMATS } from '../../core';
import { runDemo } from '../../cli/demo/run';
import { describeError, EXIT, UsageError } from '../../cli/errors';
import { splitSites } from '../../cli/index';
import { runCli, spawnCli, tempDir } from './helpers';

jest.setTimeout(180_000);

const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  version: string;
};

let dir: string;
let cleanup: () => void;
let demo: string;
let n = 0;
const copy = (): string => {
  const f = join(dir, `c-${++n}.xlsx`);
  copyFileSync(demo, f);
  return f;
};

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  demo = (
    await runDemo(join(dir, 'demo'), { schools: 4, seed: 7 }, { now: () => '2026-11-28T09:30:00.000Z' })
  ).workbook;
});
afterAll(() => cleanup());

describe('help and version', () => {
  it('prints the version from package.json on stdout and exits 0', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('prints help on stdout, with the exit statuses, and exits 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Usage: budgetline/);
    expect(r.stdout).toMatch(/3 internal error/);
    const sub = await runCli(['validate', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/Usage: budgetline validate/);
    expect(sub.stdout).toMatch(/--json/);
  });

  it('prints help on stdout with no command, and exits 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^Usage: budgetline/);
  });

  it('lists the export formats core has', async () => {
    const r = await runCli(['export', '--help']);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(`one of ${BUILT_IN_FORMATS.map((f) => f.id).join(', ')}`);
  });
});

describe('global options', () => {
  it.each([
    ['before the command', (f: string) => ['--json', 'validate', f]],
    ['after the command', (f: string) => ['validate', '--json', f]],
    ['after the workbook', (f: string) => ['validate', f, '--json']],
  ])('--json works %s', async (_where, args) => {
    const r = await runCli(args(demo));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ command: 'validate', ok: false });
  });

  it('--explain works before the command', async () => {
    const r = await runCli(['--explain', 'validate', demo]);
    expect(r.stdout).toMatch(/\^/);
  });
});

describe('--site with several codes', () => {
  it('does not swallow the workbook after it', async () => {
    const status = JSON.parse((await runCli(['status', demo, '--json'])).stdout) as {
      view: { sites: { code: string; state: string }[] };
    };
    const approved = status.view.sites.filter((s) => s.state === 'approved').map((s) => s.code);
    expect(approved.length).toBeGreaterThanOrEqual(2);
    const [a, b] = approved as [string, string];
    for (const args of [
      ['validate', '--site', a, b, demo, '--json'],
      ['validate', demo, '--site', a, b, '--json'],
      ['validate', '--site', `${a},${b}`, demo, '--json'],
    ]) {
      const r = await runCli(args);
      expect(r.stderr).toBe('');
      expect((JSON.parse(r.stdout) as { summary: string }).summary).toMatch(
        /^2 sites checked: 0 problems to fix|^2 sites checked: no problems found/,
      );
      expect(r.code).toBe(0);
    }
  });

  it('splitSites takes the workbook out of the site codes', () => {
    expect(splitSites(undefined, ['101', '102', 'book.xlsx'])).toEqual({
      workbook: 'book.xlsx',
      sites: ['101', '102'],
    });
    expect(splitSites('b.xlsx', ['101,102'])).toEqual({ workbook: 'b.xlsx', sites: ['101', '102'] });
    expect(() => splitSites(undefined, ['101'])).toThrow(/missing required argument 'workbook'/);
  });
});

describe('exit statuses', () => {
  it('2 for usage errors and unusable files, 3 for internal errors, with no stack trace unless asked', () => {
    expect(describeError(new UsageError('x')).exit).toBe(EXIT.usage);
    const enoent = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT', path: '/x.xlsx' });
    expect(describeError(enoent)).toEqual({ message: 'cannot use /x.xlsx: ENOENT: no such file', exit: 2 });
    const bug = describeError(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(bug.exit).toBe(3);
    expect(bug.message).toMatch(/^internal error: .*please report it/);
    expect(new Set(Object.values(EXIT)).size).toBe(4);
  });
});

describe('status', () => {
  it('prints a table with column headers', async () => {
    const r = await runCli(['status', demo]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^ {2}Site {2}State +Name$/);
    expect(lines[1]).toMatch(/^ {2}\d{3} {3}(draft|approved|submitted|returned) +\S/);
  });

  it('with --site: allocated / planned / remaining under headers, the findings, and what --as may do', async () => {
    const status = JSON.parse((await runCli(['status', demo, '--json'])).stdout) as {
      view: { sites: { code: string; state: string }[] };
    };
    const draft = status.view.sites.find((s) => s.state === 'draft')?.code ?? '';
    const validate = JSON.parse((await runCli(['validate', copy(), '--site', draft, '--json'])).stdout) as {
      diagnostics: { code: string; sheet: string; cell: string }[];
    };
    const r = await runCli(['status', demo, '--site', draft, '--as', 'cfo@cedarvalley.k12.us']);
    expect(r.stdout).toMatch(
      /^ {2}Allocation +Allocated +Planned +Remaining +FTE allocated +FTE planned +FTE remaining$/m,
    );
    expect(r.stdout).toMatch(/^ {2}Site total +\$[\d,]+\.\d\d +\$[\d,]+\.\d\d +-?\$[\d,]+\.\d\d/m);
    const site = validate.diagnostics.filter((d) => d.code !== 'BL501');
    expect(site.length).toBeGreaterThan(0);
    expect(r.stdout).toContain(`Findings (`);
    for (const d of site) expect(r.stdout).toContain(`${d.sheet}!${d.cell}  ${d.code}`);
    expect(r.stdout).toMatch(/^cfo@cedarvalley\.k12\.us may /m);
  });
});

describe('the compiled bin', () => {
  it('runs as budgetline: --version, and a usage error exits 2 on stderr', async () => {
    const v = await spawnCli(['--version']);
    expect(v).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    const bad = await spawnCli(['frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('reads a workbook (status) and gives the same output as in process', async () => {
    const r = await spawnCli(['status', demo]);
    expect(r.stderr).toBe('');
    expect(r).toEqual(await runCli(['status', demo]));
  });

  it('ends quietly when the reader closes the pipe, as `| head` does', async () => {
    // Enough findings that the output is far larger than a pipe's buffer.
    const file = copy();
    const csv = join(dir, 'many.csv');
    writeFileSync(
      csv,
      [
        'Account,Description,Amount',
        ...Array.from({ length: 1500 }, (_, i) => `100-1000-641-100-104,x${i},1`),
      ].join('\n'),
    );
    const status = JSON.parse((await runCli(['status', file, '--json'])).stdout) as {
      view: { sites: { code: string; state: string }[] };
    };
    const draft = status.view.sites.find((s) => s.state === 'draft')?.code ?? '';
    expect((await runCli(['import', file, csv, '--sheet', draft])).code).toBe(1);
    const full = await runCli(['validate', file, '--explain']);
    expect(full.stdout.length).toBeGreaterThan(150_000); // a pipe holds 64 KiB
    const r = await spawnCli(['validate', file, '--explain'], { untilStdout: 1 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  });
});
