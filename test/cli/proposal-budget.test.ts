/**
 * `budgetline decide` on a real .xlsx: accepting a proposal that adds staff and changes a funding
 * source's allocation writes Position rows priced by the staffing tables and an Allocations row, each
 * carrying its ID; rejecting it afterwards leaves every part of the file byte for byte as it was
 * before the accept, except the Audit and Proposals sheets (the chain and the status) and the
 * document state that caches the chain's head.
 */
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ALLOCATIONS_TABLE,
  BENEFITS_TABLE,
  JOB_TYPES_TABLE,
  PROPOSALS_TABLE,
  ROLES_TABLE,
  SHEETS,
  SITES_TABLE,
  headerOf,
  operations,
  rowOf,
  runOperation,
  siteSheetWrite,
  SITE_TABLE,
  type CellValue,
  type SheetWrite,
  type TableDecl,
} from '../../core';
import { Package } from '../../cli/xlsx/package';
import { XlsxPort } from '../../cli/xlsx-port';
import { runCli, tempDir } from './helpers';

jest.setTimeout(60_000);

const CFO = 'cfo@district.k12.us';
const SHEET = 'Lincoln Elementary';
const now = (): string => '2026-11-28T09:30:00.000Z';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

/** A one-row table under its declared header (init's Excel tables keep their headers). */
const table = <K extends string>(decl: TableDecl<K>, fields: Partial<Record<K, CellValue>>): SheetWrite => ({
  sheet: decl.sheet,
  values: [headerOf(decl), rowOf(decl, fields)],
});

/** A district workbook saved as .xlsx: site 001 with a line, a counselor job type, its allocation, P-02. */
async function workbook(file: string): Promise<void> {
  const port = await XlsxPort.create(file);
  await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD', sites: [{ code: '001', name: SHEET }] },
    { now, actAs: { email: CFO, verified: false } },
  );
  const snap = await port.read({ sheets: [SHEETS.allocations] });
  await port.write({
    sheets: [
      table(SITES_TABLE, { code: '001', name: SHEET, enrollment: 420, el: 0, sped: 0, lowIncome: 0 }),
      table(ROLES_TABLE, { email: CFO, role: 'cfo', sites: 'all' }),
      table(JOB_TYPES_TABLE, { code: 'CNS', title: 'Counselor', salary: 62_000, benefits: 'CERT' }),
      table(BENEFITS_TABLE, { pkg: 'CERT', name: 'Retirement', rate: '10%' }),
      {
        sheet: SHEETS.allocations,
        // Under init's own header (its Excel table keeps it), which has the Proposal column.
        values: [
          (snap.sheets[SHEETS.allocations]?.[0] ?? []).map((h) => h),
          rowOf(ALLOCATIONS_TABLE, {
            id: 'Lincoln general',
            site: '001',
            source: 'General fund',
            sourceType: 'local',
            amount: 900_000,
            fixed: 'fund=100',
          }),
        ],
      },
      siteSheetWrite(SHEET, [
        rowOf(SITE_TABLE, {
          type: 'Line',
          account: '100-1000-610-100-001',
          description: 'Supplies',
          amount: 3_500,
        }),
      ]),
      {
        sheet: SHEETS.proposals,
        values: [
          headerOf(PROPOSALS_TABLE),
          rowOf(PROPOSALS_TABLE, {
            id: 'P-02',
            title: 'Two more counselors',
            site: '001',
            type: 'Addition',
            recurrence: 'Recurring',
            account: '100-2120-110-100-001',
            year1: 120_000,
            year2: 123_600,
            year3: 127_308,
            fte: 2,
            jobType: 'CNS',
            source: 'General fund',
            status: 'Under review',
          }),
        ],
      },
    ],
  });
}

/** Every part of the package, by name, as bytes. */
async function parts(file: string): Promise<Map<string, Buffer>> {
  const pkg = await Package.read(readFileSync(file));
  return new Map(pkg.names().map((n) => [n, pkg.bytes(n) ?? Buffer.alloc(0)]));
}

/** The part of each named sheet (xl/worksheets/sheetN.xml). */
async function sheetParts(file: string): Promise<Record<string, string>> {
  const pkg = await Package.read(readFileSync(file));
  const workbookXml = pkg.text('xl/workbook.xml') ?? '';
  const rels = pkg.rels('xl/workbook.xml');
  const out: Record<string, string> = {};
  for (const m of workbookXml.matchAll(/<sheet\b[^>]*name="([^"]+)"[^>]*r:id="([^"]+)"/g)) {
    const target = rels.find((r) => r.id === m[2])?.target ?? '';
    out[(m[1] ?? '').replace(/&amp;/g, '&')] = target.replace(/^\/?(xl\/)?/, 'xl/');
  }
  return out;
}

test('accept then reject through the CLI: Position rows and an Allocations row in, then the file as it was', async () => {
  const file = join(dir, 'district.xlsx');
  await workbook(file);
  const before = await parts(file);
  const accepted = await runCli([
    'decide',
    file,
    '--proposal',
    'P-02',
    '--accept',
    '--reason',
    'Ranked first',
    '--as',
    CFO,
  ]);
  expect(accepted.stderr).toBe('');
  expect(accepted.code).toBe(0);
  expect(accepted.stdout).toContain('2 positions ($136,400.00) added to Lincoln Elementary rows 3–4');
  expect(accepted.stdout).toContain(
    '1 allocation changed by $136,400.00 (Allocations row 3: Lincoln general)',
  );
  expect(accepted.stdout).toMatch(/BL920 warning: proposal P-02: 2\.000 FTE of Counselor \(CNS\)/);
  const port = await XlsxPort.open(file);
  const site = port.sheet(SHEET) ?? [];
  const h = site[0] ?? [];
  expect(
    site
      .slice(2)
      .map((r) => ['Type', 'Job type', 'FTE', 'Account', 'Percent', 'Proposal'].map((n) => r[h.indexOf(n)])),
  ).toEqual([
    ['Position', 'CNS', 1, '100-2120-110-100-001', 1, 'P-02'],
    ['Position', 'CNS', 1, '100-2120-110-100-001', 1, 'P-02'],
  ]);
  // Priced like any position: validate computes their cost (salary and benefits) on the sheet.
  // (validate writes its computed cells and marks: it runs on a copy).
  const copy = join(dir, 'validated.xlsx');
  copyFileSync(file, copy);
  const validated = await runCli(['validate', copy, '--json']);
  expect(validated.stdout).not.toMatch(/"severity": ?"fatal"/);
  const allocations = port.sheet(SHEETS.allocations) ?? [];
  expect(allocations[2]?.[(allocations[0] ?? []).indexOf('Proposal')]).toBe('P-02');

  const rejected = await runCli([
    'decide',
    file,
    '--proposal',
    'P-02',
    '--reject',
    '--reason',
    'The state budget',
    '--as',
    CFO,
  ]);
  expect(rejected.code).toBe(0);
  expect(rejected.stdout).toContain('2 positions removed from Lincoln Elementary');
  expect(rejected.stdout).toContain('1 allocation row removed from Allocations');
  const after = await parts(file);
  const names = await sheetParts(file);
  // What a decision is: the Audit chain, the proposal's Status and the cached head of the chain.
  const expected = new Set([names[SHEETS.audit], names[SHEETS.proposals], names['_budgetline']]);
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter((n) => {
    const x = before.get(n);
    const y = after.get(n);
    return !x || !y || !x.equals(y);
  });
  // The decision's own parts did change (the test compares something), and nothing else did.
  expect([...expected].every((n) => n !== undefined && changed.includes(n))).toBe(true);
  expect(changed.filter((n) => !expected.has(n))).toEqual([]);
});

test('propose --job-type and --funding-source fill the new columns; accepted, they become a position and an allocation row', async () => {
  const file = join(dir, 'proposed.xlsx');
  await workbook(file);
  const proposed = await runCli([
    'propose',
    file,
    '--id',
    'P-40',
    '--as',
    CFO,
    '--title',
    'A third counselor',
    '--site',
    '001',
    '--type',
    'addition',
    '--recurrence',
    'recurring',
    '--account',
    '100-2120-110-100-001',
    '--budget-year',
    '68200',
    '--year2',
    '70246',
    '--year3',
    '72353',
    '--fte',
    '1',
    '--job-type',
    'CNS',
    '--funding-source',
    'General fund',
  ]);
  expect(proposed.code).toBe(0);
  const listed = JSON.parse((await runCli(['proposals', file, '--json'])).stdout) as {
    proposals: { id: string; lines: { jobType?: string; source?: string }[] }[];
  };
  expect(listed.proposals.find((p) => p.id === 'P-40')?.lines).toEqual([
    expect.objectContaining({ jobType: 'CNS', source: 'General fund' }),
  ]);
  const r = await runCli(['decide', file, '--proposal', 'P-40', '--accept', '--reason', 'Fits', '--as', CFO]);
  expect(r.code).toBe(0);
  // 1.0 FTE at $62,000 with 10% retirement is $68,200.00: what it was scored at, so no BL920.
  expect(r.stdout).toContain('1 position ($68,200.00) added to Lincoln Elementary row 3');
  expect(r.stdout).toContain('1 allocation changed by $68,200.00');
  expect(r.stdout).not.toContain('BL920');
});
