/**
 * What-if scenarios: named sets of changes on top of the base budget (the Scenarios table), and the
 * effect of proposals on the ledger and the projection. The base is never changed: a scenario is
 * the base's ledger and assumptions with its changes added, computed afresh.
 *
 * - Accepted proposals on / off (Applies to may name proposal IDs instead, decided or not): their
 *   budget-year amounts join the ledger (one-time ones drop off the next year); a recurring
 *   proposal's later amounts are contract changes in the projected years.
 * - Enrollment change, salary increase, funding-rate change: a % applied in each projected year,
 *   like an Assumptions row with a blank Year (salary increases name their salary objects).
 * - One-time cut: an amount off the account in Applies to, in the budget year only.
 */
import type { Validator } from '../accounts/api';
import { openTable, type TableOptions } from '../budget/table';
import { parseSignedPercent, parseYesNo, type MilliFte } from '../budget/units';
import { isBlank, type CellValue, type Grid, type Where } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { parseMoney, type Cents } from '../money';
import type { Assumption } from '../rollup/projection';
import { SCENARIOS_TABLE, SHEETS, specOf } from '../workbook/schema';
import type { Proposal } from './read';

export type ScenarioChangeKind = 'proposals' | 'enrollment' | 'salary' | 'fundingRate' | 'cut';

export interface Scenario {
  readonly name: string;
  /** Accepted proposals on (or the IDs listed); absent or off: none. */
  readonly proposals?: { readonly on: boolean; readonly ids: readonly string[] };
  /** Percent changes as projection assumptions (years 1 and 2). */
  readonly assumptions: readonly Assumption[];
  /** One-time cuts in the budget year: a positive amount off the account. */
  readonly cuts: readonly { readonly account: string; readonly cents: Cents; readonly where: Where }[];
  /** The enrollment change per projected year, parts per million (for per-pupil figures). */
  readonly enrollmentPpm: number;
}

const COLUMNS = specOf(SCENARIOS_TABLE);

export function readScenarioChange(text: string): ScenarioChangeKind | undefined {
  const t = text.toLowerCase().replace(/[^a-z]/g, '');
  if (/^(acceptedproposals|proposals?)/.test(t)) return 'proposals';
  if (/^(enrol|ada|attendance)/.test(t)) return 'enrollment';
  if (/^(salary|raise|wage)/.test(t)) return 'salary';
  if (/^(fundingrate|cola|ratechange|fundingratechange)/.test(t)) return 'fundingRate';
  if (/^(onetimecut|cut|reduction)/.test(t)) return 'cut';
  return undefined;
}

/** A signed percentage as ppm, up to 1,000,000 ppm either way (core/budget/units). */
function signedPpm(v: CellValue, where: Where, what: string): { ppm: number } | { diagnostic: Diagnostic } {
  const p = parseSignedPercent(v, where, what, 1_000_000);
  return p.ok ? { ppm: p.value } : { diagnostic: p.diagnostic };
}

/** The Scenarios table, grouped by scenario in the order first seen. */
export function readScenarios(
  grid: Grid,
  ctx: {
    readonly validator: Pick<Validator, 'check' | 'lookup' | 'chart'>;
    readonly proposals: ReadonlySet<string>;
    readonly years?: number;
  },
  options: TableOptions = { sheet: SHEETS.scenarios },
): { rows: Scenario[]; diagnostics: Diagnostic[] } {
  const t = openTable(grid, COLUMNS, SCENARIOS_TABLE.table, options);
  const diagnostics: Diagnostic[] = [...t.diagnostics];
  const years = ctx.years ?? 2;
  type Mutable = {
    name: string;
    proposals?: { on: boolean; ids: string[] };
    assumptions: Assumption[];
    cuts: { account: string; cents: Cents; where: Where }[];
    enrollmentPpm: number;
  };
  const byName = new Map<string, Mutable>();
  const fundLength = ctx.validator.chart.segments.find((x) => x.key === 'fund')?.length ?? 0;
  for (const { row, index } of t.rows) {
    const at = (k: keyof typeof COLUMNS): Where => t.where(index, k);
    const name = t.text(row, 'scenario');
    const problem = (k: keyof typeof COLUMNS, p: string): void => {
      diagnostics.push(diag('BL909', { scenario: name, problem: p }, at(k)));
    };
    const before = diagnostics.length;
    if (!name) problem('scenario', 'the scenario has no name');
    const changeText = t.text(row, 'change');
    const kind = readScenarioChange(changeText);
    if (!kind) problem('change', `"${changeText}" is not a change Budgetline knows`);
    const fundCell = t.value(row, 'fund');
    const fund =
      typeof fundCell === 'number' ? t.text(row, 'fund').padStart(fundLength, '0') : t.text(row, 'fund');
    if (fund && !ctx.validator.lookup('fund', fund))
      problem('fund', `the fund "${fund}" is not a fund of the chart`);
    const applies = t.has('appliesTo')
      ? t
          .text(row, 'appliesTo')
          .split(/[,;]/)
          .map((x) => x.trim())
          .filter(Boolean)
      : [];
    const value = t.value(row, 'value');
    const s: Mutable = byName.get(name) ?? { name, assumptions: [], cuts: [], enrollmentPpm: 0 };
    if (kind === 'proposals') {
      const on = parseYesNo(
        typeof value === 'string' ? value.trim().replace(/^on$/i, 'yes').replace(/^off$/i, 'no') : value,
        at('value'),
        'accepted proposals on or off',
      );
      if (!on.ok) diagnostics.push(on.diagnostic);
      const unknown = applies.find((id) => !ctx.proposals.has(id.toUpperCase()));
      if (unknown) problem('appliesTo', `"${unknown}" is not a proposal ID on the Proposals sheet`);
      if (s.proposals) problem('change', 'the scenario already says which proposals are on');
      if (diagnostics.length === before && on.ok)
        s.proposals = { on: on.value, ids: applies.map((x) => x.toUpperCase()) };
    } else if (kind === 'cut') {
      const account = ctx.validator.check(applies[0] ?? '', at('appliesTo'));
      if (!applies[0]) problem('appliesTo', 'a one-time cut names the account it comes off');
      else diagnostics.push(...account.diagnostics);
      const m = parseMoney(value, at('value'), 'one-time cut');
      if (!m.ok) diagnostics.push(m.diagnostic);
      else if (m.value <= 0) problem('value', 'type the cut as a positive amount');
      if (!diagnostics.slice(before).some((d) => d.severity === 'fatal') && m.ok && account.normalized)
        s.cuts.push({ account: account.normalized, cents: m.value, where: at('appliesTo') });
    } else if (kind) {
      const p = isBlank(value) ? undefined : signedPpm(value, at('value'), changeText.toLowerCase());
      if (!p) problem('value', `${changeText.toLowerCase()}: the percentage is blank`);
      else if ('diagnostic' in p) diagnostics.push(p.diagnostic);
      if (kind === 'salary' && !applies.length)
        problem(
          'appliesTo',
          'a salary increase names the salary objects it applies to (a code, range or mask)',
        );
      if (diagnostics.length === before && p && 'ppm' in p) {
        for (let year = 1; year <= years; year++)
          s.assumptions.push({
            year,
            kind: kind === 'fundingRate' ? 'cola' : kind,
            ...(fund ? { fund } : {}),
            appliesTo: applies,
            ppm: p.ppm,
            note: `scenario ${name}`,
            where: at('change'),
          });
        if (kind === 'enrollment' && !fund) s.enrollmentPpm += p.ppm;
      }
    }
    if (name) byName.set(name, s);
  }
  return { rows: [...byName.values()], diagnostics };
}

export interface ProposalEffects {
  /** Budget-year lines to add to the ledger (one-time ones marked so). */
  readonly ledger: readonly { account: string; cents: Cents; fte: MilliFte; oneTimeCents?: Cents }[];
  /** Contract changes for a recurring proposal's later amounts (by fund and object). */
  readonly assumptions: readonly Assumption[];
  /** FTE added each year (thousandths; year 0 is the budget year). */
  readonly fte: readonly [MilliFte, MilliFte, MilliFte];
}

/**
 * What proposals do to the budget: their budget-year amounts as ledger lines and, for recurring ones,
 * the change to their amount in each later year as a contract change on their fund and object.
 */
export function proposalEffects(
  proposals: readonly Proposal[],
  accounts: Pick<Validator, 'keys' | 'split'>,
  objectSegment = 'object',
  fundSegment = 'fund',
): ProposalEffects {
  const ledger: { account: string; cents: Cents; fte: MilliFte; oneTimeCents?: Cents }[] = [];
  const assumptions: Assumption[] = [];
  const fte: [MilliFte, MilliFte, MilliFte] = [0, 0, 0];
  const oi = accounts.keys.indexOf(objectSegment);
  const fi = accounts.keys.indexOf(fundSegment);
  for (const p of proposals) {
    const sign = p.type === 'reduction' ? -1 : 1;
    fte[0] += sign * p.fte;
    if (p.recurrence === 'recurring') {
      fte[1] += sign * p.fte;
      fte[2] += sign * p.fte;
    }
    for (const l of p.lines) {
      const y = (i: 0 | 1 | 2): Cents => sign * l.amounts[i];
      ledger.push({
        account: l.account,
        cents: y(0),
        fte: sign * l.fte,
        ...(p.recurrence === 'one-time' ? { oneTimeCents: y(0) } : {}),
      });
      if (p.recurrence === 'one-time') continue;
      const segs = accounts.split(l.account);
      const object = segs?.[oi];
      const fund = segs?.[fi];
      for (const year of [1, 2] as const) {
        const change = y(year) - y((year - 1) as 0 | 1);
        if (change !== 0 && object !== undefined)
          assumptions.push({
            year,
            kind: 'contract',
            ...(fund !== undefined ? { fund } : {}),
            appliesTo: [object],
            cents: change,
            note: `proposal ${p.id} ${p.title}`.trim(),
          });
      }
    }
  }
  return { ledger, assumptions, fte };
}
