/**
 * `budgetline adopt`, `amend`, `reopen --all|--sites` and `status` on .xlsx workbooks, in process
 * (main(argv)), with receipts beside the workbook.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operations, parseReceipts, type WriteBatch } from '../../core';
import { XlsxPort } from '../../cli/xlsx-port';
import { approvedDistrict, PEOPLE } from '../fixtures/board';
import { runCli, tempDir } from './helpers';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('budgetline-board-')));
afterAll(() => cleanup());

/** Both sites approved, written to a new .xlsx file. */
async function approvedWorkbook(name: string): Promise<string> {
  const book = approvedDistrict(operations);
  const file = join(dir, name);
  const batch: WriteBatch = {
    sheets: book.names.map((sheet) => ({ sheet, values: book.sheets[sheet] ?? [] })),
    state: book.state,
  };
  await (await XlsxPort.create(file)).write(batch);
  return file;
}

const json = (stdout: string) =>
  JSON.parse(stdout) as {
    ok: boolean;
    summary: string;
    diagnostics: { code: string; sheet: string; cell: string }[];
  };

describe('adopt and amend', () => {
  it('adopts, amends (add, approve, apply), refuses a second apply, and verify names a changed adopted cell', async () => {
    const file = await approvedWorkbook('adopt.xlsx');
    const adopt = await runCli([
      'adopt',
      file,
      '--date',
      '2026-06-18',
      '--resolution',
      '2026-14',
      '--as',
      PEOPLE.cfo,
    ]);
    expect(adopt.stderr).toBe('');
    expect(adopt.code).toBe(0);
    expect(adopt.stdout).toContain('ADOPTED on 2026-06-18 (resolution 2026-14)');
    const status = await runCli(['status', file]);
    expect(status.stdout).toContain('ADOPTED by the board on 2026-06-18, resolution 2026-14.');

    const add = await runCli([
      'amend',
      file,
      '--id',
      'A-1',
      '--add',
      '--site',
      '001',
      '--account',
      '100-1000-610-100-001',
      '--amount',
      '-200.00',
      '--account',
      '100-2220-640-100-001',
      '--amount',
      '200.00',
      '--reason',
      'Move supplies money to library books',
      '--as',
      PEOPLE.builder,
    ]);
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('100-1000-610-100-001 -$200.00, 100-2220-640-100-001 +$200.00) drafted');
    const approve = await runCli([
      'amend',
      file,
      '--id',
      'A-1',
      '--approve',
      '--resolution',
      '2026-22',
      '--as',
      PEOPLE.approver,
    ]);
    expect(approve.code).toBe(0);
    const apply = await runCli(['amend', file, '--id', 'A-1', '--apply', '--as', PEOPLE.cfo]);
    expect(apply.code).toBe(0);
    const again = await runCli(['--json', 'amend', file, '--id', 'A-1', '--apply', '--as', PEOPLE.cfo]);
    expect(again.code).toBe(1);
    expect(json(again.stdout).diagnostics.map((d) => [d.code, d.sheet, d.cell])).toEqual([
      ['BL649', 'Amendments', 'G2'],
    ]);

    const receipts = parseReceipts(readFileSync(`${file}.receipts.jsonl`, 'utf8'));
    expect(receipts.problems).toEqual([]);
    expect(receipts.receipts.map((r) => r.action)).toEqual([
      'adopt',
      'amend-draft',
      'amend-approve',
      'amend-apply',
    ]);
    const status2 = await runCli(['status', file]);
    expect(status2.stdout).toMatch(/A-1 +001 +applied +2026-22 +Move supplies money to library books/);

    const verify = await runCli(['verify', file, '--as', PEOPLE.cfo, '--receipts', `${file}.receipts.jsonl`]);
    expect(verify.code).toBe(0);
    const port = await XlsxPort.open(file);
    await port.write({ sheets: [{ sheet: 'Adopted Budget', at: 'E3', values: [[999]] }] });
    const tampered = await runCli(['--json', 'verify', file, '--as', PEOPLE.cfo]);
    expect(tampered.code).toBe(1);
    expect(json(tampered.stdout).diagnostics.map((d) => [d.code, d.sheet, d.cell])).toEqual([
      ['BL644', 'Adopted Budget', 'E3'],
    ]);
  });

  it('refuses usage mistakes with exit 2', async () => {
    const file = await approvedWorkbook('usage.xlsx');
    expect((await runCli(['amend', file, '--id', 'A-1', '--as', PEOPLE.cfo])).code).toBe(2);
    expect(
      (await runCli(['amend', file, '--id', 'A-1', '--approve', '--apply', '--as', PEOPLE.cfo])).code,
    ).toBe(2);
    expect((await runCli(['adopt', file, '--resolution', 'R', '--as', PEOPLE.cfo])).code).toBe(2);
    expect((await runCli(['adopt', file, '--not-adopted', '--as', PEOPLE.cfo])).code).toBe(2);
    expect(
      (await runCli(['reopen', file, '--all', '--sites', '001', '--comment', 'x', '--as', PEOPLE.cfo])).code,
    ).toBe(2);
  });
});

describe('back to the drawing board', () => {
  it('records the board not adopting and reopens sites in bulk, one audit entry and receipt each', async () => {
    const file = await approvedWorkbook('revise.xlsx');
    const no = await runCli([
      'adopt',
      file,
      '--not-adopted',
      '--comment',
      'Cut 2% from supplies',
      '--as',
      PEOPLE.cfo,
    ]);
    expect(no.code).toBe(0);
    expect(no.stdout).toContain(
      "NOT ADOPTED: the budget returns to revision. Board's comment: Cut 2% from supplies.",
    );
    expect((await runCli(['status', file])).stdout).toContain(
      "NOT ADOPTED: back to revision. Board's comment: Cut 2% from supplies",
    );
    const some = await runCli([
      'reopen',
      file,
      '--sites',
      '001,002',
      '--comment',
      'The board asks for 2% less',
      '--as',
      PEOPLE.cfo,
    ]);
    expect(some.code).toBe(0);
    expect(some.stdout).toContain('001, 002 reopened for changes.');
    const status = await runCli(['--json', 'status', file]);
    const view = (JSON.parse(status.stdout) as { view: { sites: { code: string; state: string }[] } }).view;
    expect(view.sites.map((s) => s.state)).toEqual(['draft', 'draft']);
    const none = await runCli(['reopen', file, '--all', '--comment', 'again', '--as', PEOPLE.cfo]);
    expect(none.code).toBe(1);
    const receipts = parseReceipts(readFileSync(`${file}.receipts.jsonl`, 'utf8')).receipts;
    expect(receipts.map((r) => [r.site, r.action])).toEqual([
      ['District', 'not-adopted'],
      ['001', 'reopen'],
      ['002', 'reopen'],
    ]);
  });
});
