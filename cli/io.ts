/**
 * Where the command line writes: the process's stdout and stderr when run as `budgetline`, or what a
 * caller of `main(argv, io)` injects (the tests run the CLI in process this way). Commands write through
 * `out()` and `err()`, never through `process.stdout` directly.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface CliStream {
  write(text: string): unknown;
  /** A terminal (progress bars are drawn only then). */
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** Environment (BUDGETLINE_DEBUG); the process's by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The process's streams. A reader that goes away (`budgetline status x.xlsx | head`) closes stdout:
 * later writes are dropped and the command finishes quietly instead of dying on EPIPE.
 */
export function processIo(): CliIo {
  let closed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') closed = true;
    else throw e;
  });
  return {
    stdout: {
      write: (text: string) => (closed ? false : process.stdout.write(text)),
      get isTTY() {
        return process.stdout.isTTY === true;
      },
    },
    stderr: { write: (text: string) => process.stderr.write(text) },
    env: process.env,
  };
}

const current = new AsyncLocalStorage<CliIo>();
let fallback: CliIo | undefined;

/** The streams of the running command. */
export function io(): CliIo {
  return current.getStore() ?? (fallback ??= processIo());
}

/** Runs `fn` with `streams` as the command's output. */
export function withIo<T>(streams: CliIo, fn: () => Promise<T>): Promise<T> {
  return current.run(streams, fn);
}

/** Writes to the command's stdout. */
export function out(text: string): void {
  io().stdout.write(text);
}

/** Writes to the command's stderr. */
export function err(text: string): void {
  io().stderr.write(text);
}
