/**
 * Property (core operations on MemoryPort): any single-cell change to an approved site's lines — a
 * different amount, account, description, FTE, employee or row type in any row — is caught by verify
 * and refused by export, which then writes nothing.
 */
import fc from 'fast-check';
import {
  MemoryPort,
  SITE_HEADER,
  contentHash,
  operations,
  readWorkbook,
  type CellValue,
  type DocumentState,
  type Grid,
  type OperationOptions,
  type PortUser,
} from '../../core';
import { seedDistrict } from '../fixtures/district';
import { siteContent } from '../../core/operations/trust';
import { exec } from './run';

const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };
const BUILDER: PortUser = { email: 'principal@district.k12.us', verified: true };
const APPROVER: PortUser = { email: 'approver@district.k12.us', verified: true };
const options: OperationOptions = { now: () => '2026-11-28T09:30:00.000Z' };

const row = (o: Partial<Record<(typeof SITE_HEADER)[number], CellValue>>): CellValue[] =>
  SITE_HEADER.map((h) => o[h] ?? null);
const SHEET = 'Lincoln Elementary';
const LINES: CellValue[][] = [
  [...SITE_HEADER],
  row({ Type: 'Line', Account: '100-1000-610-100-001', Description: 'Classroom supplies', Amount: 3500 }),
  row({ Type: 'Line', Account: '100-2220-640-100-001', Description: 'Library books', Amount: 450 }),
  row({ Type: 'Line', Account: '100-1000-610-100-001', Description: 'Art paper', Amount: 120.5 }),
  row({ Type: 'Position', 'Job type': 'TCH', Employee: 'Ortiz', FTE: 1, Account: '100-1000-111-100-001' }),
  row({ Type: 'Position', 'Job type': 'TCH', Employee: 'Lee', FTE: 0.5, Account: '100-1000-111-100-001' }),
];

let approved: { sheets: Record<string, Grid>; state: DocumentState };

beforeAll(async () => {
  const port = new MemoryPort({ user: CFO });
  await exec(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2027, district: 'Springfield' },
    options,
  );
  seedDistrict(port, { cfo: CFO.email, builder: BUILDER.email, approver: APPROVER.email });
  port.setSheet(SHEET, LINES);
  port.user = BUILDER;
  expect((await exec(port, operations.submit, { site: '001' }, options)).ok).toBe(true);
  port.user = APPROVER;
  expect((await exec(port, operations.approve, { site: '001' }, options)).ok).toBe(true);
  approved = {
    sheets: Object.fromEntries(port.sheetNames().map((n) => [n, port.sheet(n) ?? []])),
    state: port.state,
  };
  approvedBudget = await budgetOf(port);
});

async function budgetOf(port: MemoryPort): Promise<string> {
  const snap = await port.read({ sheets: 'all', state: true });
  const wb = readWorkbook(snap);
  const c = siteContent(snap, wb, wb.sites[0]!);
  const fatal = c.findings.filter((f) => f.severity === 'fatal').map((f) => `${f.cell} ${f.code}`);
  return JSON.stringify([contentHash(c.input.lines), fatal]);
}

let approvedBudget: string;
async function changesBudget(port: MemoryPort): Promise<boolean> {
  return (await budgetOf(port)) !== approvedBudget;
}

const col = (h: (typeof SITE_HEADER)[number]): number => SITE_HEADER.indexOf(h);

/** A new value for a cell of a given column, never equal to what a person would read as the old one. */
const edits = fc.oneof(
  fc.record({
    column: fc.constant('Amount' as const),
    value: fc.integer({ min: -1_000_000, max: 1_000_000 }).map((n) => n / 100),
  }),
  fc.record({
    column: fc.constant('Account' as const),
    value: fc.constantFrom(
      '100-1000-610-100-001',
      '100-2220-640-100-001',
      '100-1000-111-100-001',
      '100-1000-640-100-001',
      '100-9999-610-100-001',
      '100-1000-610-100',
      '',
    ),
  }),
  fc.record({
    column: fc.constant('Description' as const),
    value: fc.string({ minLength: 1, maxLength: 20 }),
  }),
  fc.record({ column: fc.constant('FTE' as const), value: fc.constantFrom(0, 0.25, 0.5, 1, 2, -1) }),
  fc.record({ column: fc.constant('Employee' as const), value: fc.constantFrom('Ortiz', 'Lee', 'Kim', '') }),
  fc.record({ column: fc.constant('Type' as const), value: fc.constantFrom('Line', 'Position', '') }),
);

describe('property: a single-cell change to an approved site is caught by verify and refused by export', () => {
  it('holds for any row and any of the cells that make a line', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: LINES.length - 1 }), edits, async (r, e) => {
        const before = LINES[r]![col(e.column)];
        const norm = (v: CellValue): string => String(v ?? '').trim();
        fc.pre(norm(before) !== norm(e.value));
        const port = new MemoryPort({ sheets: approved.sheets, state: approved.state, user: CFO });
        port.setCell(SHEET, `${String.fromCharCode(65 + col(e.column))}${r + 1}`, e.value);
        const v = await exec(port, operations.verify, {}, options);
        const snapshotBefore = JSON.stringify(port.sheetNames().map((n) => port.sheet(n)));
        port.resetCounts();
        const x = await exec(port, operations.exportBudget, { format: 'generic-csv' }, options);
        // The oracle: did the edit change the budget as the reader sees it (its lines, or a line
        // that no longer reads)? A column a row does not use (Amount on a position) changes nothing.
        if (!(await changesBudget(port))) {
          expect(v.ok).toBe(true);
          expect(x.ok).toBe(true);
          return;
        }
        expect(v.ok).toBe(false);
        expect(v.diagnostics.some((d) => d.code === 'BL612')).toBe(true);
        expect(x.ok).toBe(false);
        expect(x.content).toBeUndefined();
        expect(port.roundTrips.writes).toBe(0);
        expect(JSON.stringify(port.sheetNames().map((n) => port.sheet(n)))).toBe(snapshotBefore);
      }),
      { numRuns: 80 },
    );
  });
});
