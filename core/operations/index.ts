/**
 * The operations every host offers, written once against the workbook port (contract: api.ts).
 * Each is exactly one port.read and at most one port.write.
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
import { projection } from './projection';
import { status, validateRows, validateSites } from './validate';
import { approve, reopen, returnBudget, submit } from './workflow';

export * from './api';
export { actorOf, cfoOf, marksOf } from './common';
export type { Notification, WorkflowResult } from './workflow';
export type { ProjectionYearJson } from './projection';
export {
  approve,
  computeAllocations,
  consolidate,
  createWorkbook,
  exportBudget,
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
};
