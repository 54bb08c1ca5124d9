/**
 * The district's Settings table (Setting | Value). Unknown settings are left for other parts of the
 * product; known ones are checked.
 */
import { cellText, isBlank, type Grid } from '../cells';
import { diag } from '../diagnostics';
import { SETUP_TABLE } from '../workbook/schema';
import { normalizeHeader } from '../tables';
import { openTable, type TableOptions } from './table';
import { parseFte, parsePercent, type MilliFte, type Ppm } from './units';
import type { Diagnostic } from '../diagnostics';

export interface BudgetSettings {
  /** Over-planning an allocation: a warning (default) or a blocking error. */
  readonly overPlanning: 'warning' | 'fatal';
  /** FTE step in thousandths; 100 = 0.1 FTE. Default 1. */
  readonly fteStep: MilliFte;
  /** Salary increase for roll-forward, parts per million. Default 0. */
  readonly salaryIncrease: Ppm;
  /**
   * Setup "Approvals need verified identity" (yes/no, default no). Yes: a self-declared user (Excel
   * without sign-on, the command line's --as) cannot approve, reopen, consolidate or export. No: such
   * steps are allowed, and verify and the Master Budget list every one of them.
   */
  readonly verifiedIdentity: boolean;
}

export const DEFAULT_SETTINGS: BudgetSettings = {
  overPlanning: 'warning',
  fteStep: 1,
  salaryIncrease: 0,
  verifiedIdentity: false,
};

const YES_NO = new Map<string, boolean>([
  ['yes', true],
  ['y', true],
  ['true', true],
  ['no', false],
  ['n', false],
  ['false', false],
]);

const OVER = new Map<string, BudgetSettings['overPlanning']>([
  ['warning', 'warning'],
  ['warn', 'warning'],
  ['allow', 'warning'],
  ['error', 'fatal'],
  ['block', 'fatal'],
  ['blocking', 'fatal'],
  ['fatal', 'fatal'],
]);

export function readSettings(
  grid: Grid,
  options: TableOptions = {},
): { settings: BudgetSettings; diagnostics: Diagnostic[] } {
  const t = openTable(grid, SETUP_TABLE.columns, SETUP_TABLE.table, options);
  const diagnostics = [...t.diagnostics];
  let s: { -readonly [K in keyof BudgetSettings]: BudgetSettings[K] } = { ...DEFAULT_SETTINGS };
  for (const { row, index } of t.rows) {
    const name = normalizeHeader(t.value(row, 'setting'));
    const raw = t.value(row, 'value');
    const where = t.where(index, 'value');
    const shown = cellText(raw);
    if (name === 'overplanning' || name === 'overplanned' || name === 'overbudget') {
      const v = OVER.get(shown.trim().toLowerCase());
      if (v) s = { ...s, overPlanning: v };
      else
        diagnostics.push(
          diag('BL423', { setting: 'Over-planning', shown, expected: '"warning" or "error"' }, where),
        );
    } else if (name === 'ftestep' || name === 'fteincrement') {
      const f = parseFte(raw, where);
      if (f.ok && 1000 % f.value === 0) s = { ...s, fteStep: f.value };
      else
        diagnostics.push(
          diag(
            'BL423',
            {
              setting: 'FTE step',
              shown,
              expected: 'a step that divides 1 FTE evenly, such as 0.1, 0.25 or 0.5',
            },
            where,
          ),
        );
    } else if (name === 'salaryincrease' || name === 'raise' || name === 'cola') {
      if (isBlank(raw)) continue;
      const p = parsePercent(raw, where, 'salary increase');
      if (p.ok) s = { ...s, salaryIncrease: p.value };
      else diagnostics.push(p.diagnostic);
    } else if (name === 'approvalsneedverifiedidentity' || name === 'verifiedidentity') {
      if (isBlank(raw)) continue;
      const v = typeof raw === 'boolean' ? raw : YES_NO.get(shown.trim().toLowerCase());
      if (v !== undefined) s = { ...s, verifiedIdentity: v };
      else
        diagnostics.push(
          diag(
            'BL423',
            { setting: 'Approvals need verified identity', shown, expected: '"yes" or "no"' },
            where,
          ),
        );
    }
  }
  return { settings: s, diagnostics };
}
