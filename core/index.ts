/**
 * Budgetline core: the public API, in pipeline order.
 * money → accounts (chart, parse, validate) → lines & staffing → allocations → approval → rollup → export
 */
export * from './cells';
export * from './diagnostics';
export * from './money';
export * from './accounts';
// ---- Core II: budget lines, staffing, allocations, formulas, roll-forward ----
// ---- Core III: approval, rollup, export ----
