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
import { status, validateRows, validateSites } from './validate';
import { approve, reopen, returnBudget, submit } from './workflow';

export * from './api';
export { forecast, type ForecastResult } from './forecast';
export { actualsReport, importActuals, type ActualsResult, type ImportActualsArgs } from './actuals';
export { mergeCopies, type MergeResult, type WorkbookCopy } from './merge';
export { actorOf, cfoOf, marksOf } from './common';
export type { ImportBySiteArgs, ImportBySiteResult, SiteImport } from './import-by-site';
export type { ProjectionResult, ProjectionYearJson } from './projection';
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
  approve,
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
