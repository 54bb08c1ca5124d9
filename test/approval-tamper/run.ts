/** Runs one operation on a port through the core's driver (the corpus's one adapter). */
import {
  runOperation,
  type Operation,
  type OperationOptions,
  type OperationResult,
  type WorkbookPort,
} from '../../core';

export function exec<A, R extends OperationResult>(
  port: WorkbookPort,
  op: Operation<A, R>,
  args: A,
  options: OperationOptions,
): Promise<R> {
  return runOperation(port, op, args, options);
}
