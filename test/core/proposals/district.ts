/**
 * An NCES district workbook with one school (001, Lincoln Elementary), its lines, revenues, a
 * beginning balance and the proposals fixtures: the starting point of the propose, decide-into-the-
 * budget and adopt tests.
 */
import {
  MemoryPort,
  SHEETS,
  SITE_HEADER,
  operations,
  runOperation,
  type CellValue,
  type OperationOptions,
  type PortUser,
} from '../../../core';
import { seedDistrict } from '../../fixtures/district';
import { seedProposals } from './fixtures';

export const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };
export const BUILDER = 'b@district.k12.us';
export const APPROVER = 'a@district.k12.us';
export const SHEET = 'Lincoln Elementary';
export const options: OperationOptions = { now: () => '2026-11-28T09:30:00.000Z' };
export const as = (email: string): OperationOptions => ({ ...options, actAs: { email, verified: false } });

export const siteLine = (account: string, amount: number, oneTime = 'No'): CellValue[] =>
  SITE_HEADER.map((h) =>
    h === 'Type'
      ? 'Line'
      : h === 'Account'
        ? account
        : h === 'Amount'
          ? amount
          : h === 'One-time'
            ? oneTime
            : h === 'Description'
              ? `typed ${account}`
              : null,
  );

export const TYPED_LINES: readonly CellValue[][] = [
  siteLine('100-1000-111-100-001', 3_000_000),
  siteLine('100-1000-230-100-001', 600_000),
  siteLine('100-1000-610-100-001', 100_000, 'Yes'),
  siteLine('100-2700-910-100-001', 50_000),
  siteLine('210-1000-111-100-001', 180_000),
];

/** The district, with no user on the port (each test says who acts). */
export async function district(): Promise<MemoryPort> {
  const port = new MemoryPort({ user: null });
  await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD', sites: [{ code: '001', name: SHEET }] },
    { ...options, actAs: CFO },
  );
  seedDistrict(port, { cfo: CFO.email, builder: BUILDER, approver: APPROVER }, SHEET);
  port.setSheet(SHEET, [[...SITE_HEADER], ...TYPED_LINES.map((r) => [...r])]);
  port.setSheet(SHEETS.revenues, [
    ['Fund', 'Source', 'Basis', 'Rate', 'Estimate'],
    ['100', '1100', 'typed', null, 1_100_000],
    ['100', '3100', 'rate × enrollment', 5_000, null],
    ['210', '4500', 'typed', null, 180_000],
  ]);
  port.setSheet(SHEETS.fundBalances, [
    ['Fund', 'Name', 'Beginning balance'],
    ['100', 'General Fund', 900_000],
  ]);
  seedProposals(port);
  return port;
}
