/**
 * `bench fund-summary <n> lines/s`: the fund summary (classes, identity, reserve, findings) of
 * 1,000,000 generated Texas lines across two funds, revenues, expenditures, transfers and balance
 * sheet mixed, summed per account from the lines themselves.
 */
import { compileChart, compileClasses, fundSummary, loadPreset } from '../core';
import { bestRate, report, rng } from './util';

const LINES = 1_000_000;

export default function (): void {
  const v = compileChart(loadPreset('texas'), 2027);
  const classes = compileClasses(v.chart);
  const r = rng(2027);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const objects = ['6119', '6129', '6399', '6141', '6112', '5711', '5812', '5929', '7915', '8911', '1110'];
  const pool: string[] = [];
  for (let k = 0; k < 20_000; k++)
    pool.push(
      `${pick(['199', '211', '224'])}-${pick(['00', '11', '12', '13', '23'])}-${pick(objects)}-00-${String(1 + (k % 699)).padStart(3, '0')}-7-${pick(['00', '11', '23'])}-000`,
    );
  const lines = Array.from({ length: LINES }, () => ({
    account: pick(pool),
    cents: Math.floor(r() * 10_000_000),
  }));
  const beginning = new Map([['199', { cents: 5_000_000_00 }]]);
  let result: ReturnType<typeof fundSummary> | undefined;
  const rate = bestRate(lines.length, () => {
    result = fundSummary({
      accounts: v,
      chart: v.chart,
      classes,
      ledger: lines,
      beginning,
      policy: { minimumPpm: 30_000, funds: ['199'] },
    });
  });
  if (!result || result.funds.length !== 3 || result.district.expendituresCents <= 0)
    throw new Error('fund summary went wrong');
  report('fund-summary', rate, 'lines/s');
}
