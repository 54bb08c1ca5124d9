/**
 * The operations every host offers, written once as pure plans (contract: api.ts). Each names one
 * read and computes at most one write; a host runs it with a driver from core/port/driver.ts.
 */
import type { Operations } from './api';
import {
  computeAllocations,
  consolidate,
  createWorkbook,
  exportBudget,
  rollForward,
  verify,
} from './district';
import { importLines } from './import';
import { importBySite } from './import-by-site';
import { projection } from './projection';
import { boardReport } from './report';
import { status, validateRows, validateSites } from './validate';
import { approve, reopen, reopenSites, returnBudget, submit } from './workflow';
import { adopt, amend, notAdopted } from './board';

export * from './api';
export { boardReportFeed, boardView, budgetColumns } from './board';
export { basisText, combineAmended, finalBudget, reconcile } from './final';
export type { BudgetBasis, BudgetClass, FinalBudget, ReconciliationRow } from './final';
export type {
  AmendArgs,
  AmendResult,
  BoardReportFeed,
  BoardResult,
  BoardStatus,
  BoardView,
  BudgetColumns,
  ColumnsClass,
  ColumnsRow,
} from './board';
export { forecast, type ForecastResult } from './forecast';
export { actualsReport, importActuals, type ActualsResult, type ImportActualsArgs } from './actuals';
export { mergeCopies, type MergeResult, type WorkbookCopy } from './merge';
export { actorOf, cfoOf, marksOf } from './common';
export { EXPORT_SHEET, exportSheetWrite, exportWhat } from './export-sheet';
export type { ImportBySiteArgs, ImportBySiteResult, SiteImport } from './import-by-site';
export type { ProjectionResult, ProjectionYearJson } from './projection';
export type { BoardReportArgs, BoardReportResult } from './report';
export { decide, moneyAvailable, proposals, scenarios } from './proposals';
export { propose } from './propose';
export { adoptScenario } from './adopt';
export { proposalLinesOnSheets, type PlacedLine } from './proposal-budget';
export type {
  AdoptScenarioArgs,
  AdoptScenarioResult,
  ProposalField,
  ProposeArgs,
  ProposeResult,
} from './propose';
export type {
  DecideArgs,
  DecideResult,
  DecisionChoice,
  ProposalView,
  ProposalsResult,
  ScenarioFundJson,
  ScenarioJson,
  ScenarioYearJson,
  ScenariosResult,
} from './proposals';
export {
  adopt,
  amend,
  notAdopted,
  reopenSites,
  approve,
  boardReport,
  computeAllocations,
  consolidate,
  createWorkbook,
  exportBudget,
  importBySite,
  importLines,
  projection,
  reopen,
  returnBudget,
  rollForward,
  status,
  submit,
  validateRows,
  validateSites,
  verify,
};

export const operations: Operations = {
  createWorkbook,
  status,
  validateSites,
  validateRows,
  computeAllocations,
  submit,
  approve,
  returnBudget,
  reopen,
  consolidate,
  exportBudget,
  verify,
  rollForward,
  importLines,
  importBySite,
  adopt,
  notAdopted,
  reopenSites,
  amend,
  boardReport,
};
export { actualsView, adoptView, decideView, proposalsView, proposeView, scenariosView } from './cfo';
export type {
  ActualsViewResult,
  AdoptViewResult,
  DecideViewResult,
  ProposalsViewResult,
  ProposeViewResult,
  ScenariosViewResult,
} from './cfo';
