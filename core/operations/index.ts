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
import { status, validateRows, validateSites } from './validate';
import { approve, reopen, returnBudget, submit } from './workflow';

export * from './api';
export { actorOf, cfoOf, marksOf } from './common';
export type { Notification, WorkflowResult } from './workflow';
export {
  approve,
  computeAllocations,
  consolidate,
  createWorkbook,
  exportBudget,
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
