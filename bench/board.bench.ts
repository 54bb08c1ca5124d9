/**
 * bench board: the adopted budget of a large district (200 sites of 1,000 lines): lines per second
 * to hash it for the adopt entry (adoptedHash), and to check the Adopted Budget sheet against that
 * hash as verify does (checkAdoptedSheet: read back from the sheet's cells, sorted, hashed), both
 * for an intact sheet and for one changed cell named by sheet and cell.
 */
import {
  adoptedHash,
  adoptedSheetRows,
  checkAdoptedSheet,
  type AdoptedLine,
  type AdoptionRecord,
} from '../core';
import { bestRate, report, rng } from './util';

const SITES = 200;
const PER_SITE = 1_000;

export default function run(): void {
  const r = rng(15);
  const lines: AdoptedLine[] = [];
  for (let s = 0; s < SITES; s++) {
    const site = String(s + 1).padStart(3, '0');
    for (let i = 0; i < PER_SITE; i++)
      lines.push({
        site,
        account: `100-1000-6${String(Math.floor(r() * 100)).padStart(2, '0')}-100-${site}`,
        cents: Math.floor(r() * 10_000_000),
        fte: i % 10 === 0 ? 1000 : 0,
        description: `Line ${i} of site ${site}`,
      });
  }
  const n = lines.length;
  let hash = '';
  report(
    'adopt-hash',
    bestRate(n, () => (hash = adoptedHash(lines))),
    'lines/s',
  );
  const adoption: AdoptionRecord = {
    date: '2026-06-18',
    resolution: '2026-14',
    at: '2026-06-18T19:00:00Z',
    actor: 'cfo@district.org',
    hash,
    position: 1,
  };
  const grid = adoptedSheetRows(lines);
  const out = { found: -1 };
  /** The findings of the last run (read through a call: each run assigns it). */
  const found = (): number => out.found;
  report(
    'adopted-verify',
    bestRate(n, () => (out.found = checkAdoptedSheet(grid, adoption, lines).length)),
    'lines/s',
  );
  if (found() !== 0) throw new Error(`bench board: an intact sheet gave ${found()} findings`);
  const changed = grid.map((row, i) => (i === 5_000 ? [...row.slice(0, 4), 1] : row));
  report(
    'adopted-verify-changed',
    bestRate(n, () => (out.found = checkAdoptedSheet(changed, adoption, lines).length)),
    'lines/s',
  );
  if (found() !== 1) throw new Error(`bench board: one changed cell gave ${found()} findings`);
}
