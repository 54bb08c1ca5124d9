/**
 * Commands that only read never write the workbook: status, verify, export and validate --check leave
 * the file as it was, bytes and modification time; validate --check still reports every finding.
 * A command whose work changes nothing (validating a workbook already marked) does not save it either.
 */
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { exportCommand } from '../../cli/commands/export';
import { status, validate, verify } from '../../cli/commands/workbook';
import { runDemo } from '../../cli/demo/run';
import { XlsxPort } from '../../cli/xlsx-port';
import { tempDir } from './helpers';

jest.setTimeout(120_000);

let dir: string;
let cleanup: () => void;
let file: string;
let cfo: string;
let out: jest.SpyInstance;
beforeAll(async () => {
  ({ dir, cleanup } = tempDir('budgetline-readonly-'));
  const run = await runDemo(
    join(dir, 'demo'),
    { schools: 4, seed: 7 },
    { now: () => '2026-11-28T09:30:00.000Z' },
  );
  file = run.workbook;
  cfo = run.district.people.cfo;
  // Validated once after the demo's last step (decide adds lines whose Cost cells validate fills in),
  // so that validating again has nothing to change.
  const quiet = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  await validate(file, {}, {});
  quiet.mockRestore();
  // An old time, so that any save would show.
  utimesSync(file, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
  out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
});
afterAll(() => {
  out.mockRestore();
  cleanup();
});

function unchanged(): void {
  expect(statSync(file).mtime.toISOString()).toBe('2026-01-01T00:00:00.000Z');
}

it.each([
  ['status', () => status(file, {}, {})],
  ['verify', () => verify(file, { as: cfo }, {})],
  ['export', () => exportCommand(file, { format: 'generic-csv', as: cfo, out: join(dir, 'x.csv') }, {})],
  ['validate --check', () => validate(file, { check: true }, {})],
  // the demo's workbook is validated already: validating again changes no mark
  ['validate (nothing to change)', () => validate(file, {}, {})],
])('%s does not write the workbook', async (_name, run) => {
  const bytes = readFileSync(file);
  await run();
  expect(readFileSync(file).equals(bytes)).toBe(true);
  unchanged();
});

it('validate --check reports the findings without marking a cell', async () => {
  const port = await XlsxPort.open(file);
  const sheets = port.sheetNames();
  const before = sheets.map((s) => port.marks(s).length).reduce((a, b) => a + b, 0);
  expect(before).toBeGreaterThan(0);
  out.mockClear();
  expect(await validate(file, { check: true }, { json: true })).toBe(1);
  const printed = JSON.parse(String(out.mock.calls.map((c) => String(c[0])).join(''))) as {
    check: boolean;
    summary: string;
    counts: { fatal: number };
  };
  expect(printed.check).toBe(true);
  expect(printed.counts.fatal).toBeGreaterThan(0);
  expect(printed.summary).toMatch(/no cell was marked; the workbook was not written/);
  unchanged();
});
