/** Runs one operation on a port, whatever the operations' shape (the corpus's one adapter). */
import type { OperationOptions, WorkbookPort } from '../../core';

type Op<A, R> = (port: WorkbookPort, args: A, options: OperationOptions) => Promise<R>;

export function exec<A, R>(port: WorkbookPort, op: Op<A, R>, args: A, options: OperationOptions): Promise<R> {
  return op(port, args, options);
}
