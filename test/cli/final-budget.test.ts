/**
 * The CFO's year on a real .xlsx (h22): adopt, amend, apply, then consolidate and export carry the
 * FINAL budget; `export --amendments` writes only the changes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { operations, SHEETS, type WriteBatch } from '../../core';
import { XlsxPort } from '../../cli/xlsx-port';
import { approvedDistrict, PEOPLE } from '../fixtures/board';
import { runCli, tempDir } from './helpers';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('budgetline-final-')));
afterAll(() => cleanup());

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

async function ok(argv: string[]): Promise<string> {
  const r = await runCli(argv);
  expect([r.code, r.stderr]).toEqual([0, '']);
  return r.stdout;
}

/** Budget Unit + Account → Approved Amount in cents, from an erp-budget file. */
function amounts(file: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').trim().split('\r\n').slice(1)) {
    const [, unit, account, , , approved] = line.split(',');
    const k = `${unit} ${account}`;
    out.set(k, (out.get(k) ?? 0) + Math.round(Number(approved) * 100));
  }
  return out;
}

describe('adopt → amend → apply → consolidate and export', () => {
  it('the export carries the final amounts; --amendments carries only the deltas', async () => {
    const file = await approvedWorkbook('year.xlsx');
    const adopt = await ok([
      'adopt',
      file,
      '--date',
      '2026-06-18',
      '--resolution',
      '2026-14',
      '--as',
      PEOPLE.cfo,
    ]);
    expect(adopt).toContain("(revenues: none on the sites' lines; expenditures $71,950.50)");
    const original = join(dir, 'original.csv');
    await ok(['export', file, '--format', 'erp-budget', '--out', original, '--as', PEOPLE.cfo]);
    await ok([
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
    await ok(['amend', file, '--id', 'A-1', '--approve', '--resolution', '2026-41', '--as', PEOPLE.approver]);
    await ok(['amend', file, '--id', 'A-1', '--apply', '--as', PEOPLE.cfo]);

    const consolidated = await ok(['consolidate', file, '--as', PEOPLE.cfo]);
    expect(consolidated).toContain('Budget: FINAL budget as of amendment A-1 (resolution 2026-41)');
    expect(consolidated).toMatch(/Expenditure, fund 100 +\$71,950\.50 \+ \$0\.00 = \$71,950\.50/);
    const port = await XlsxPort.open(file);
    const snap = await port.read({ sheets: [SHEETS.master] });
    expect(String(snap.sheets[SHEETS.master]?.[0]?.[0])).toContain(
      'Budget: FINAL budget as of amendment A-1',
    );
    const json = JSON.parse(await ok(['--json', 'consolidate', file, '--as', PEOPLE.cfo])) as {
      budget: { kind: string; asOf: { id: string } };
      reconciliation: { agree: boolean }[];
    };
    expect(json.budget).toMatchObject({ kind: 'final', asOf: { id: 'A-1' } });
    expect(json.reconciliation.every((r) => r.agree)).toBe(true);

    const final = join(dir, 'final.csv');
    const exported = await runCli([
      'export',
      file,
      '--format',
      'erp-budget',
      '--out',
      final,
      '--as',
      PEOPLE.cfo,
    ]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('BL660');
    expect(exported.stdout).toContain('the FINAL budget as of amendment A-1');
    const before = amounts(original);
    const after = amounts(final);
    expect(after.get('001 100-1000-610-100-001')).toBe(3300_00);
    expect(after.get('001 100-2220-640-100-001')).toBe(650_00);
    expect(before.get('001 100-1000-610-100-001')).toBe(3500_00);

    const changes = join(dir, 'changes.csv');
    const only = await ok([
      'export',
      file,
      '--format',
      'erp-budget',
      '--amendments',
      'A-1',
      '--out',
      changes,
      '--as',
      PEOPLE.cfo,
    ]);
    expect(only).toContain('changes only: amendment A-1');
    expect(readFileSync(changes, 'utf8')).toBe(
      'Fiscal Year,Budget Unit,Account,Requested Amount,Recommended Amount,Approved Amount\r\n' +
        '2027,001,100-1000-610-100-001,-200.00,-200.00,-200.00\r\n' +
        '2027,001,100-2220-640-100-001,200.00,200.00,200.00\r\n',
    );
    const deltas = amounts(changes);
    for (const k of new Set([...before.keys(), ...after.keys()]))
      expect([k, (after.get(k) ?? 0) - (before.get(k) ?? 0)]).toEqual([k, deltas.get(k) ?? 0]);
    // --amendments alone: every applied amendment, beside the workbook under its own name.
    const all = await ok(['export', file, '--format', 'generic-csv', '--amendments', '--as', PEOPLE.cfo]);
    expect(all).toContain('springfield-usd-fy2027-generic-csv-amendments-A-1.csv');
    // An amendment not applied refuses the whole file: nothing written.
    const refused = await runCli([
      'export',
      file,
      '--format',
      'generic-csv',
      '--amendments',
      'A-1,A-2',
      '--out',
      join(dir, 'never.csv'),
      '--as',
      PEOPLE.cfo,
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('BL654');
    expect(() => readFileSync(join(dir, 'never.csv'))).toThrow();
  });
});
