/**
 * The board report's original vs final for revenues (h22): per fund, the Revenues table's estimates
 * and the revenue lines, the original budget's revenue lines in place of the final ones; never added
 * to expenditures. On the Texas chart, whose object codes 57XX-59XX are revenues in account strings.
 */
import { compileClasses } from '../../../core/accounts/classes';
import { compileChart } from '../../../core/accounts/validate';
import { loadPreset } from '../../../core/presets';
import { buildBoardReport } from '../../../core/report/model';
import { reportBatch } from '../../../core/report/sheets';
import { fundSummary } from '../../../core/rollup/funds';

const v = compileChart(loadPreset('texas'), 2027);
const classes = compileClasses(v.chart);
const REVENUE = '199-00-5711-00-001-7-11-000';
const STATE = '199-00-5812-00-001-7-11-000';
const EXPENDITURE = '199-11-6119-00-001-7-11-000';

function report(final: { account: string; cents: number }[], original: { account: string; cents: number }[]) {
  const funds = fundSummary({ accounts: v, chart: v.chart, classes, ledger: final });
  return buildBoardReport({
    district: 'Lone Star ISD',
    fiscalYear: 2027,
    status: { kind: 'adopted', on: '2026-06-18', resolution: '2026-14' },
    preparedAt: '2026-07-01T00:00:00.000Z',
    unapproved: 'exclude',
    accounts: v,
    classes,
    sites: [],
    byAccount: new Map(final.map((l) => [l.account, { cents: l.cents, fte: 0 }])),
    funds,
    projection: [],
    revenues: [],
    jobTitles: new Map(),
    proposals: [],
    hierarchical: [],
    original: { adoptedOn: '2026-06-18', lines: original },
  });
}

describe('revenues, original vs final', () => {
  it('an amendment raising a revenue shows in revenues, not in expenditures', () => {
    const r = report(
      [
        { account: REVENUE, cents: 1_250_000_00 },
        { account: STATE, cents: 400_000_00 },
        { account: EXPENDITURE, cents: 900_000_00 },
      ],
      [
        { account: REVENUE, cents: 1_200_000_00 },
        { account: STATE, cents: 400_000_00 },
        { account: EXPENDITURE, cents: 900_000_00 },
      ],
    );
    expect(r.revenuesByFund.map((f) => [f.code, f.originalCents, f.cents])).toEqual([
      ['199', 1_600_000_00, 1_650_000_00],
    ]);
    expect(r.original).toMatchObject({ expendituresCents: 900_000_00, revenuesCents: 1_600_000_00 });
    expect(r.byFund.map((f) => [f.code, f.originalCents, f.cents])).toEqual([
      ['199', 900_000_00, 900_000_00],
    ]);
    const funds = (reportBatch(r).sheets ?? [])
      .filter((s) => s.sheet === 'Report – Funds')
      .flatMap((s) => s.values);
    expect(funds).toContainEqual([
      'Original vs final budget by fund (revenues; original adopted 2026-06-18)',
    ]);
    expect(funds).toContainEqual(['199', expect.any(String), 1_600_000, 1_650_000, 50_000, 1]);
    const cover = (reportBatch(r).sheets ?? [])
      .filter((s) => s.sheet === 'Report – Cover')
      .flatMap((s) => s.values);
    expect(cover).toContainEqual(['Original budget revenues', 1_600_000]);
    expect(cover).toContainEqual(['Final budget revenues', 1_650_000]);
    expect(cover).toContainEqual(['Revenue variance (final − original)', 50_000]);
  });
});
