/**
 * budgetline propose (a budget owner submits, or adds and submits, a proposal; --review), on a small
 * demo district: exit statuses, the receipt beside the workbook, and the row and audit entry in the
 * saved .xlsx.
 */
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROPOSALS_TABLE, readAuditLog, SHEETS } from '../../core';
import { runDemo } from '../../cli/demo/run';
import { XlsxPort } from '../../cli/xlsx-port';
import { runCli, tempDir } from './helpers';

jest.setTimeout(180_000);

let dir: string;
let cleanup: () => void;
let demo: string;
let builder: string;
let site: string;
let n = 0;
const CFO = 'cfo@cedarvalley.k12.us';
const copy = (): string => {
  const f = join(dir, `copy-${++n}.xlsx`);
  copyFileSync(demo, f);
  return f;
};

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  const run = await runDemo(
    join(dir, 'demo'),
    { schools: 4, seed: 7 },
    { now: () => '2026-11-28T09:30:00.000Z' },
  );
  demo = run.workbook;
  const first = run.district.sites[0];
  site = first?.code ?? '';
  builder = first?.principal ?? '';
});
afterAll(() => cleanup());

async function sheet(file: string, name: string): Promise<unknown[][]> {
  const port = await XlsxPort.open(file);
  const snap = await port.read({ sheets: [name] });
  return (snap.sheets[name] ?? []) as unknown[][];
}

describe('propose', () => {
  it("a school's builder adds and submits a proposal for their own site: the row, the audit entry, a receipt", async () => {
    const file = copy();
    const r = await runCli([
      'propose',
      file,
      '--id',
      'P-40',
      '--as',
      builder,
      '--title',
      'Library books',
      '--site',
      site,
      '--type',
      'addition',
      '--category',
      'Student-facing',
      '--recurrence',
      'one-time',
      '--account',
      `100-1000-640-100-${site}`,
      '--budget-year',
      '12500',
      '--json',
    ]);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, status: 'submitted', proposal: 'P-40' });
    expect(r.code).toBe(0);
    const grid = await sheet(file, SHEETS.proposals);
    const header = grid[0] ?? [];
    const row = grid.find((x) => x[0] === 'P-40') ?? [];
    expect(row[header.indexOf(PROPOSALS_TABLE.columns.status.header)]).toBe('submitted');
    expect(row[header.indexOf(PROPOSALS_TABLE.columns.title.header)]).toBe('Library books');
    const audit = readAuditLog((await sheet(file, SHEETS.audit)) as never).entries;
    expect(audit[audit.length - 1]).toMatchObject({
      site: 'Proposal P-40',
      action: 'propose',
      actor: builder,
    });
    const receipts = JSON.parse(r.stdout).receiptsFile as string;
    expect(existsSync(receipts)).toBe(true);
    expect(readFileSync(receipts, 'utf8')).toContain('"action":"propose"');
    // The chain still verifies, with the receipt.
    const v = await runCli(['verify', file, '--as', CFO, '--receipts', receipts]);
    expect(v.stdout).not.toMatch(/BL6\d\d (?!warning)/);
    expect(v.code).toBe(0);
  });

  it('someone else is refused (exit 1) and the workbook is not changed; a missing --as is a usage error', async () => {
    const file = copy();
    const before = readFileSync(file);
    const other = await runCli([
      'propose',
      file,
      '--id',
      'P-41',
      '--as',
      builder,
      '--title',
      'Bus',
      '--type',
      'addition',
      '--recurrence',
      'recurring',
      '--account',
      '100-2700-510-100-900',
      '--budget-year',
      '1000',
      '--year2',
      '1000',
      '--year3',
      '1000',
    ]);
    expect(other.code).toBe(1);
    // Its account names the district office (site 900): the office's builders submit it.
    expect(other.stdout).toMatch(/BL910 .* may not submit a proposal for site 900: only its builders/);
    expect(readFileSync(file).equals(before)).toBe(true);
    const usage = await runCli(['propose', file, '--id', 'P-41']);
    expect(usage.code).toBe(2);
  });

  it('--review: the CFO takes a submitted proposal under review', async () => {
    const file = copy();
    const list = JSON.parse((await runCli(['proposals', file, '--json'])).stdout) as {
      proposals: { id: string; status: string }[];
    };
    const deferred = list.proposals.find((p) => p.status === 'deferred')?.id ?? '';
    const refused = await runCli(['propose', file, '--id', deferred, '--review', '--as', CFO]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/BL911/);
    const r = await runCli(['propose', file, '--id', 'P-40', '--review', '--as', CFO]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/BL908/);
  });
});

describe('scenarios --adopt', () => {
  it("the CFO adopts the demo's Lean year: the projection then is the scenario's; once only; others refused", async () => {
    const file = copy();
    type Funds = { fund: string; expendituresCents: number; endingBalanceCents: number }[];
    const compared = JSON.parse((await runCli(['scenarios', file, '--json'])).stdout) as {
      scenarios: { name: string; years: { funds: Funds }[] }[];
    };
    const lean = compared.scenarios.find((x) => x.name === 'Lean year');
    const before = readFileSync(file);
    const notCfo = await runCli([
      'scenarios',
      file,
      '--adopt',
      'Lean year',
      '--reason',
      'x',
      '--as',
      builder,
    ]);
    expect(notCfo.code).toBe(1);
    expect(notCfo.stdout).toMatch(/BL811/);
    const noReason = await runCli(['scenarios', file, '--adopt', 'Lean year', '--as', CFO]);
    expect(noReason.code).toBe(2);
    expect(readFileSync(file).equals(before)).toBe(true);
    const r = await runCli([
      'scenarios',
      file,
      '--adopt',
      'Lean year',
      '--reason',
      'The board adopted the lean budget',
      '--as',
      CFO,
      '--json',
    ]);
    const j = JSON.parse(r.stdout) as { ok: boolean; applied: string[]; receiptsFile: string };
    expect(r.code).toBe(0);
    expect(j.ok).toBe(true);
    expect(j.applied[0]).toMatch(
      /^one-time cut of \$[\d,.]+ on 100-2300-330-100-900: District Office row \d+$/,
    );
    expect(j.applied).toContain('Enrollment change -3% in FY2028');
    expect(readFileSync(j.receiptsFile, 'utf8')).toContain('"action":"adopt"');
    const p = JSON.parse((await runCli(['projection', file, '--json'])).stdout) as {
      years: { funds: Funds }[];
    };
    const pick = (ys: { funds: Funds }[] | undefined) =>
      ys?.map((y) => y.funds.map((f) => [f.fund, f.expendituresCents, f.endingBalanceCents]));
    expect(pick(p.years)).toEqual(pick(lean?.years));
    const again = await runCli(['scenarios', file, '--adopt', 'lean year', '--reason', 'again', '--as', CFO]);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/BL918 .*was not adopted: it was adopted on /);
    const v = await runCli(['verify', file, '--as', CFO]);
    expect(v.stdout).toMatch(/Audit log intact/);
  });
});
