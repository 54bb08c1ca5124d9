/**
 * `bench consolidate <n> lines/s`: the real consolidation of 1,000,000 generated lines across
 * 2,000 sites (Texas-like chart, every site approved), all tables included.
 */
import { consolidate, type LedgerLine, type SiteInfo } from '../core';
import { texasValidator } from '../test/fixtures/charts';
import { bestRate, report, rng } from './util';

const SITES = 2000;
const LINES = 1_000_000;

export function generate(seed = 2027): { lines: LedgerLine[]; sites: SiteInfo[] } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const funds = ['199', '211'];
  const functions = ['11', '12', '13', '23'];
  const objects = ['6119', '6129', '6399', '6141', '6112'];
  const jobs = ['Teacher', 'Aide', 'Counselor', 'Principal'];
  const sites: SiteInfo[] = [];
  const lines: LedgerLine[] = [];
  const perSite = LINES / SITES;
  for (let s = 0; s < SITES; s++) {
    const site = String(s + 1).padStart(4, '0');
    const org = String((s % 699) + 1).padStart(3, '0');
    sites.push({
      site,
      name: `School ${s + 1}`,
      state: 'approved',
      enrollment: 200 + Math.floor(r() * 1200),
    });
    // each site budgets against its own pool of account strings (as read from its sheet)
    const pool: string[] = [];
    for (let k = 0; k < 25; k++)
      pool.push(
        `${pick(funds)}-${pick(functions)}-${pick(objects)}-00-${org}-7-${pick(['11', '23', '24'])}-000`,
      );
    for (let i = 0; i < perSite; i++) {
      const position = r() < 0.3;
      lines.push({
        site,
        account: pick(pool),
        cents: Math.floor(r() * 10_000_000) - 100_000,
        ...(position ? { fte: 500 + Math.floor(r() * 500), jobType: pick(jobs) } : {}),
        description: 'line',
      });
    }
  }
  return { lines, sites };
}

export default function (): void {
  const { lines, sites } = generate();
  const accounts = texasValidator();
  let result: ReturnType<typeof consolidate> | undefined;
  const rate = bestRate(lines.length, () => {
    result = consolidate(lines, sites, { accounts, unapproved: 'exclude' });
  });
  if (!result || !result.control.agree || result.control.masterCents === 0)
    throw new Error('consolidation went wrong');
  report('consolidate', rate, 'lines/s');
}
