/**
 * The drivers that run an operation (core/operations) against a workbook port: read what the
 * operation asks for, run it (pure, synchronous), write its batch if it has one. One driver per kind
 * of host: asynchronous for Excel, .xlsx files and memory (`runOperation`), synchronous for Apps
 * Script, whose functions must return their result (`runOperationSync` over a SyncWorkbookPort).
 */
import type { Operation, OperationOptions, OperationResult } from '../operations/api';
import type { ReadRequest, Snapshot, WorkbookPort, WriteBatch } from './types';

/** A port whose host answers at once (Apps Script): the same contract as WorkbookPort, without promises. */
export interface SyncWorkbookPort {
  readSync(request: ReadRequest): Snapshot;
  writeSync(batch: WriteBatch): void;
}

/** One read, the operation's pure run, and at most one write. */
export async function runOperation<A, R extends OperationResult>(
  port: WorkbookPort,
  operation: Operation<A, R>,
  args: A,
  options: OperationOptions,
): Promise<R> {
  const snapshot = await port.read(operation.reads(args));
  const { result, write } = operation.run(snapshot, args, options);
  if (write) await port.write(write);
  return result;
}

/** runOperation for a synchronous host. */
export function runOperationSync<A, R extends OperationResult>(
  port: SyncWorkbookPort,
  operation: Operation<A, R>,
  args: A,
  options: OperationOptions,
): R {
  const snapshot = port.readSync(operation.reads(args));
  const { result, write } = operation.run(snapshot, args, options);
  if (write) port.writeSync(write);
  return result;
}

/** A synchronous port seen as an asynchronous one (the contract suite runs every adapter this way). */
export function asyncPort(port: SyncWorkbookPort): WorkbookPort {
  return {
    read: (request) => {
      try {
        return Promise.resolve(port.readSync(request));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
    write: (batch) => {
      try {
        port.writeSync(batch);
        return Promise.resolve();
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
  };
}
