/**
 * Budgetline core: the public API, in pipeline order.
 * money → accounts (chart, parse, validate) → lines & staffing → allocations → approval → rollup → export
 */
export * from './cells';
export * from './cell-limits';
export * from './diagnostics';
export * from './money';
export * from './accounts';
export * from './presets';
// ---- Budget lines, staffing, allocations, formulas, roll-forward ----
export * from './budget';
export * from './allocations';
export * from './rollforward';
// ---- Approval, rollup, export ----
export * from './approval';
export * from './rollup';
export * from './export';
// ---- Budget-change proposals, prioritisation and scenarios ----
export * from './proposals';
// ---- The board report (its model; the operation is boardReport) ----
export type * from './report/types';
export { REPORT_FORMAT, REPORT_SHEETS } from './report/sheets';
export { checkPriorYear, priorYearOf } from './report/prior';
// ---- The workbook port and the operations written once against it ----
export * from './port';
// The operations, as plans a driver runs: `runOperation(port, operations.consolidate, args, options)`.
// computeAllocations, consolidate and rollForward share their names with the pure functions above,
// so import those three from './operations' itself.
export {
  operations,
  adopt,
  amend,
  notAdopted,
  reopenSites,
  boardReportFeed,
  boardView,
  budgetColumns,
  actorOf,
  cfoOf,
  marksOf,
  decide,
  moneyAvailable,
  actualsView,
  adoptView,
  decideView,
  proposalsView,
  proposeView,
  scenariosView,
  proposals,
  scenarios,
  approve,
  boardReport,
  createWorkbook,
  exportBudget,
  actualsReport,
  forecast,
  importActuals,
  importBySite,
  importLines,
  mergeCopies,
  projection,
  reopen,
  returnBudget,
  status,
  submit,
  validateRows,
  validateSites,
  verify,
} from './operations';
export type {
  AllocationView,
  BoardReportArgs,
  BoardReportResult,
  ConsolidateResult,
  CreateWorkbookArgs,
  ExportResult,
  ImportArgs,
  ActualsResult,
  ForecastResult,
  ImportActualsArgs,
  ImportBySiteArgs,
  ImportBySiteResult,
  ImportResult,
  SiteImport,
  MergeResult,
  WorkbookCopy,
  Notification,
  Operation,
  Outcome,
  ProjectionResult,
  ProjectionYearJson,
  RollForwardResult,
  StatusResult,
  OperationOptions,
  OperationResult,
  Operations,
  StatusView,
  UnapprovedChoice,
  WorkflowResult,
  DecideArgs,
  DecideResult,
  DecisionChoice,
  ProposalView,
  ProposalsResult,
  ScenarioFundJson,
  ScenarioJson,
  ScenarioYearJson,
  ScenariosResult,
  AmendArgs,
  Receipted,
  AmendResult,
  BoardReportFeed,
  BoardResult,
  BoardStatus,
  BoardView,
  BudgetColumns,
  ColumnsClass,
  ColumnsRow,
  ActualsViewResult,
  AdoptViewResult,
  DecideViewResult,
  ProposalsViewResult,
  ProposeViewResult,
  ScenariosViewResult,
} from './operations';
// ---- The CFO's views as tables of figures (the pane and the sidebar draw them with ui/) ----
export * from './views/table';
export * from './views/cfo';
// Proposals on their way into the budget (propose), scenario adoption (issue 14).
export { adoptScenario, propose, proposalLinesOnSheets } from './operations';
export type {
  AdoptScenarioArgs,
  AdoptScenarioResult,
  ProposalField,
  ProposeArgs,
  PlacedLine,
  ProposeResult,
} from './operations';
export * from './workbook';
export * from './actuals';
export * from './actuals/forecast';
// The final budget after adoption: adopted lines plus applied amendments (h22).
export { basisText, combineAmended, finalBudget, reconcile } from './operations/final';
export type { BudgetBasis, BudgetClass, FinalBudget, ReconciliationRow } from './operations/final';
// Where an export goes when the host cannot hand the user a file.
export { EXPORT_SHEET, exportSheetWrite, exportWhat } from './operations/export-sheet';
