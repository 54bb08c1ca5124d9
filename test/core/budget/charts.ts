/** Small inline charts and grid helpers for the budget and allocation tests (no dependency on the presets). */
import { compileChart } from '../../../core/accounts';
import type { Chart, CodeEntry } from '../../../core/accounts';
import type { CellValue, Grid } from '../../../core/cells';

const codes = (xs: string[], extra: Partial<CodeEntry> = {}): CodeEntry[] =>
  xs.map((code) => ({ code, description: code, ...extra }));

/** Texas-like: fund(3)-function(2)-object(4)-fiscalYear(1)-programIntent(2)-organization(3). */
export const texas: Chart = {
  id: 'tx-mini',
  name: 'Texas (mini)',
  delimiter: '-',
  segments: [
    { key: 'fund', name: 'Fund', length: 3, chars: 'digits' },
    { key: 'function', name: 'Function', length: 2, chars: 'digits' },
    { key: 'object', name: 'Object', length: 4, chars: 'digits' },
    { key: 'fiscalYear', name: 'Fiscal year', length: 1, chars: 'digits', role: 'fiscalYear' },
    { key: 'programIntent', name: 'Program intent', length: 2, chars: 'digits' },
    { key: 'organization', name: 'Organization', length: 3, chars: 'digits' },
  ],
  codes: {
    fund: codes(['199', '211', '255']),
    function: codes(['11', '13', '21', '23', '31', '41']),
    object: [
      ...codes(['6119', '6129', '6141', '6399', '6411', '6499']),
      { code: '6118', description: 'retired', toFY: 2027 },
      { code: '6112', description: 'new', fromFY: 2028 },
    ],
    programIntent: codes(['11', '23', '24', '30', '99']),
  },
  rules: [],
  combinations: [],
};

export const tx2027 = compileChart(texas, 2027);
export const tx2028 = compileChart(texas, 2028);

/** A grid from rows; `_` is a blank cell. */
export function grid(...rows: CellValue[][]): Grid {
  return rows;
}

/** Account strings for FY2027 in the mini Texas chart. */
export function acct(fund: string, fn: string, obj: string, pi = '11', org = '001', fy = '7'): string {
  return `${fund}-${fn}-${obj}-${fy}-${pi}-${org}`;
}
