/**
 * `bench cost-changes <n> rows/s`: the known cost changes applied at roll-forward (core
 * applyCostChanges) over 500 sites × 400 rows (300 positions, a third split across two funds, and 100
 * lines): eight changes of every kind — one-time ends, two raises, step and column, two benefit
 * rates, a contract % and a contract amount split across every matching line of the district.
 */
import {
  applyCostChanges,
  compileChart,
  COST_CHANGES_TABLE,
  gridOf,
  loadPreset,
  readBenefits,
  readCostChanges,
  readJobTypes,
  readLines,
  readPositions,
  SITE_HEADER,
  staffingOf,
  type CellValue,
} from '../core';
import { bestRate, report } from './util';

const SITES = 500;
const POSITIONS = 300;
const LINES = 100;

export default function (): void {
  const nces = compileChart(loadPreset('nces'), 2028);
  const packages = readBenefits([
    ['Package', 'Benefit', 'Rate', 'Amount per FTE'],
    ['CERT', 'Retirement', '12%', null],
    ['CERT', 'Health', null, 11_400],
    ['CLASS', 'Retirement', '8.5%', null],
    ['CLASS', 'Health', null, 11_400],
  ]).rows;
  const staffing = staffingOf(
    readJobTypes(
      [
        ['Code', 'Average salary', 'Benefits package', 'Bargaining unit'],
        ['TCH', 60_000, 'CERT', 'SEA'],
        ['AIDE', 30_000, 'CLASS', 'CSEA'],
      ],
      packages,
    ).rows,
    packages,
  );
  const row = (fields: Partial<Record<(typeof SITE_HEADER)[number], CellValue>>): CellValue[] =>
    SITE_HEADER.map((h) => fields[h] ?? null);
  const sites = Array.from({ length: SITES }, (_, s) => {
    const code = String(100 + s);
    const grid: CellValue[][] = [[...SITE_HEADER]];
    for (let p = 0; p < POSITIONS; p++)
      grid.push(
        row({
          Type: 'Position',
          'Job type': p % 4 === 0 ? 'AIDE' : 'TCH',
          FTE: p % 5 === 0 ? 0.5 : 1,
          Account: `100-1000-111-100-${code}`,
          ...(p % 3 === 0 ? { Percent: 0.6, 'Account 2': `210-1000-111-200-${code}`, 'Percent 2': 0.4 } : {}),
        }),
      );
    for (let l = 0; l < LINES; l++)
      grid.push(
        row({
          Type: 'Line',
          Account: `100-2700-${['510', '610', '330', '430'][l % 4] ?? '610'}-100-${code}`,
          Description: l % 10 === 0 ? 'Acme buses' : `Line ${l}`,
          Amount: 1000 + ((l * 37 + s) % 5000),
          'One-time': l % 25 === 0 ? 'Yes' : 'No',
        }),
      );
    const lines = readLines(grid, nces, { sheet: code }).rows.filter((x) => !x.oneTime);
    const positions = readPositions(grid, nces, staffing, { sheet: code }).rows;
    return { site: code, lines, positions };
  });
  const known = readCostChanges(
    gridOf(
      COST_CHANGES_TABLE,
      ['id', 'change', 'description', 'year', 'appliesTo', 'percent', 'amount'],
      [
        ['CC-1', 'one-time ends', 'Grant ends', 2028, '330', null, null],
        ['CC-2', 'raise', 'SEA', 2028, 'SEA', '3%', null],
        ['CC-3', 'raise', 'CSEA', 2028, 'CSEA', '2.5%', null],
        ['CC-4', 'step and column', 'Steps', 2028, 'TCH', null, 1150],
        ['CC-5', 'benefit rate', 'Retirement', 2028, 'CERT/Retirement', '1.1%', null],
        ['CC-6', 'benefit rate', 'Health', 2028, 'Health', '6%', null],
        ['CC-7', 'contract', 'Acme', 2028, 'vendor: acme', '4%', null],
        ['CC-8', 'contract', 'Repairs', 2028, '430', null, 250_000],
      ],
    ),
    { validator: nces, staffing, sites: sites.map((s) => ({ code: s.site, name: s.site, sheet: s.site })) },
  );
  if (known.diagnostics.length) throw new Error('cost changes went wrong');
  const rows = sites.reduce((n, s) => n + s.lines.length + s.positions.length, 0);
  let out: ReturnType<typeof applyCostChanges> | undefined;
  const rate = bestRate(rows, () => {
    out = applyCostChanges(sites, known.changes, { fiscalYear: 2028, validator: nces, staffing });
  });
  const repairs = out?.applied.find((a) => a.change.id === 'CC-8');
  if (out?.applied.length !== 8 || repairs?.cents !== 25_000_000) throw new Error('cost changes went wrong');
  report('cost-changes', rate, 'rows/s');
}
