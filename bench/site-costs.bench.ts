/**
 * bench site-costs-write / site-costs-live: the computed cost columns of one site sheet of 5,000
 * rows (half lines, half positions split over two accounts) — Cost, each funding piece's cost and
 * the hash kept of them (core/workbook/site-view.ts costColumnWrite) — rows per second for the whole
 * sheet (validation) and for a window of 50 rows (live validation).
 */
import {
  MemoryPort,
  operations,
  readSiteSheet,
  readWorkbook,
  runOperation,
  SITE_HEADER,
  type CellValue,
} from '../core';
import { costColumnWrite } from '../core/workbook/site-view';
import { seedDistrict } from '../test/fixtures/district';
import { bestRate, report } from './util';

const N = 5_000;
const SHEET = 'Lincoln Elementary';

const row = (o: Readonly<Record<string, CellValue>>): CellValue[] => SITE_HEADER.map((h) => o[h] ?? null);

export default async function (): Promise<void> {
  const port = new MemoryPort({ user: { email: 'cfo@district.k12.us', verified: true } });
  await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD' },
    { now: () => '2026-11-28T09:30:00.000Z' },
  );
  seedDistrict(port, {
    cfo: 'cfo@district.k12.us',
    builder: 'b@district.k12.us',
    approver: 'a@district.k12.us',
  });
  const rows: CellValue[][] = [[...SITE_HEADER]];
  for (let i = 0; i < N; i++)
    rows.push(
      i % 2
        ? row({
            Type: 'Line',
            Account: '100-1000-610-100-001',
            Description: `Item ${i}`,
            Quantity: i % 40,
            'Unit cost': 3.17,
          })
        : row({
            Type: 'Position',
            'Job type': 'TCH',
            FTE: 0.5,
            Account: '100-1000-111-100-001',
            Percent: 0.3333,
            'Account 2': '100-2220-111-100-001',
            'Percent 2': 0.6667,
          }),
    );
  port.setSheet(SHEET, rows);
  const snap = await port.read({ sheets: 'all', state: true });
  const wb = readWorkbook(snap);
  const site = wb.sites[0];
  if (!site) throw new Error('no site');
  const grid = snap.sheets[SHEET] ?? [];
  const sheet = readSiteSheet(wb, site, grid);
  const first = costColumnWrite(sheet, grid);
  const written = first.sheets[0]?.values.length ?? 0;
  report(
    'site-costs-write',
    bestRate(N, () => costColumnWrite(sheet, grid, undefined, first.hash)),
    'rows/s',
  );
  // Live validation reads the header and the edited rows only (core/operations/validate.ts).
  const window = { from: 2000, to: 2049, columns: { from: 12, to: 12 } };
  const seen: CellValue[][] = grid.map((r, i) =>
    i === 0 || (i >= window.from && i <= window.to) ? [...r] : [],
  );
  const rowsOnly = readSiteSheet(wb, site, seen);
  report(
    'site-costs-live',
    bestRate(50, () => costColumnWrite(rowsOnly, seen, window, first.hash)),
    'rows/s',
  );
  console.log(
    `# site-costs: ${N} rows, ${written - 1} written per computed column run, hash ${first.hash ?? ''}`,
  );
}
