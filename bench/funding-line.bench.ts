/**
 * `bench proposals-three-year-line-40 <ms> ms`: the `proposals` operation on the demo's 40 schools
 * (about 1,700 lines and positions, a dozen scored proposals): read, scored, ranked and cut at the
 * funding line over three years — one projection of the district per proposal tried — from one
 * in-memory snapshot. The best of three runs.
 */
import {
  MemoryPort,
  operations,
  proposals,
  runOperation,
  SETUP_TABLE,
  SHEETS,
  siteSheetWrite,
  tableWrite,
  type CellValue,
} from '../core';
import { generateDemo } from '../cli/demo/generate';
import { report } from './util';

export default async function (): Promise<void> {
  const d = generateDemo({ schools: 40 });
  const options = { now: () => '2026-11-28T09:30:00.000Z', actAs: { email: d.people.cfo, verified: false } };
  const port = new MemoryPort({ user: null });
  await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: d.fiscalYear, district: d.district },
    options,
  );
  const setup = (port.sheet(SHEETS.setup) ?? []).map((r) => [...r]);
  for (const [k, v] of d.settings) setup.push([k, v] as CellValue[]);
  await port.write({
    sheets: [
      tableWrite(SETUP_TABLE.sheet, setup),
      ...Object.entries({
        [SHEETS.sites]: d.tables.sites,
        [SHEETS.jobTypes]: d.tables.jobTypes,
        [SHEETS.benefits]: d.tables.benefits,
        [SHEETS.formula]: d.tables.formula,
        [SHEETS.roles]: d.tables.roles,
        [SHEETS.revenues]: d.tables.revenues,
        [SHEETS.fundBalances]: d.tables.fundBalances,
        [SHEETS.assumptions]: d.tables.assumptions,
        [SHEETS.proposals]: d.tables.proposals,
        [SHEETS.rubric]: d.tables.rubric,
        [SHEETS.scores]: d.tables.scores,
        [SHEETS.community]: d.tables.community,
      }).map(([sheet, grid]) => tableWrite(sheet, grid)),
      ...d.sites.map((s) => siteSheetWrite(s.name, s.rows)),
    ],
  });
  await runOperation(port, operations.computeAllocations, {}, options);
  let best = Infinity;
  let tried = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    const r = await runOperation(port, proposals, { unapproved: 'include-marked' }, options);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
    tried = (r.funding?.fits.length ?? 0) + (r.funding?.below.length ? 1 : 0);
    if (!r.funding || r.proposals?.length !== 12) throw new Error('proposals bench: no funding line');
  }
  report('proposals-three-year-line-40', best, 'ms');
  report('proposals-three-year-line-40-projections', tried + 1, 'projections');
}
