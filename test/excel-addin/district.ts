/**
 * A small district workbook for the Excel add-in's tests: created by the core's createWorkbook on a
 * MemoryPort (NCES chart, FY2027), with one site, its roles and an allocation filled in, then handed
 * to the fake Office.js as plain grids.
 */
import { MemoryPort, SITE_HEADER, operations, runOperation, type CellValue, type PortUser } from '../../core';
import { SITE_001_ROWS, seedDistrict } from '../fixtures/district';
import type { FakeCellValue } from './fake/fake-office';

export const CFO: PortUser = { email: 'cfo@district.k12.us', verified: false };
export const BUILDER: PortUser = { email: 'principal@district.k12.us', verified: false };
export const APPROVER: PortUser = { email: 'approver@district.k12.us', verified: false };
export const SITE_SHEET = 'Lincoln Elementary';

export const siteRow = (o: Partial<Record<(typeof SITE_HEADER)[number], CellValue>>): CellValue[] =>
  SITE_HEADER.map((h) => o[h] ?? null);

export const SITE_ROWS: CellValue[][] = [
  [...SITE_HEADER],
  ...SITE_001_ROWS.map((r) => [...r]),
  siteRow({ Type: 'Line', Account: '100-1000-640-100-001', Description: 'Library books', Amount: 2750 }),
];

/** Column letter of a site-sheet header. */
export function siteColumn(header: (typeof SITE_HEADER)[number]): string {
  return String.fromCharCode(65 + SITE_HEADER.indexOf(header));
}

export async function districtSheets(
  extraRows: CellValue[][] = [],
): Promise<Record<string, FakeCellValue[][]>> {
  const port = new MemoryPort({ user: { ...CFO, verified: true } });
  const r = await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD' },
    { now: () => '2026-11-28T09:00:00.000Z' },
  );
  if (!r.ok) throw new Error(`createWorkbook: ${r.summary}`);
  seedDistrict(port, { cfo: CFO.email, builder: BUILDER.email, approver: APPROVER.email });
  port.setSheet(SITE_SHEET, [...SITE_ROWS, ...extraRows]);
  const out: Record<string, FakeCellValue[][]> = {};
  for (const name of port.sheetNames())
    out[name] = (port.sheet(name) ?? []).map((row) =>
      row.map((v) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : v)),
    );
  return out;
}
