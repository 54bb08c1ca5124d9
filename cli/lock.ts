/**
 * No lost updates on the command line: an exclusive lock file beside the workbook around every
 * command's read and write, and a re-check just before writing that the file on disk is still the
 * one that was read.
 *
 *   district.xlsx.lock      {"pid":1234,"host":"office-pc","at":"2026-11-28T09:30:00.000Z"}
 *
 * The lock is created with O_EXCL (only one process can create it). A second command waits for it
 * (up to `waitMs`), then runs on the file the first one left: both land. A lock whose process is gone
 * (same host, no such pid) or that is older than `staleMs` is stale: it is taken over by renaming it
 * away (only one of several waiting processes can win that rename) and the lock is tried again.
 * Before writing, the workbook's identity (inode, size, modification time in nanoseconds) is compared
 * with what it was when the command read it: a program that does not take the lock (Excel saving the
 * file) is caught, and the command refuses with "changed by someone else; run it again", writing
 * nothing.
 */
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import { hostname } from 'node:os';
import type { ReadRequest, Snapshot, WorkbookPort, WriteBatch } from '../core';
import { openWorkbook } from './context';
import { UsageError } from './errors';
import { XlsxPort } from './xlsx-port';

export interface LockOptions {
  /** How long to wait for another command's lock, in ms (default 30 s). */
  readonly waitMs?: number;
  /** A lock older than this is stale whatever its process (default 10 minutes). */
  readonly staleMs?: number;
  /** Poll interval while waiting, in ms. */
  readonly pollMs?: number;
}

interface LockBody {
  readonly pid: number;
  readonly host: string;
  readonly at: string;
  readonly token: string;
}

export interface WorkbookLock {
  readonly file: string;
  readonly lockPath: string;
  /** Removes the lock (only if it is still ours). */
  release(): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLock(path: string): Promise<{ body?: LockBody; mtimeMs: number } | undefined> {
  try {
    const [text, st] = await Promise.all([fsp.readFile(path, 'utf8'), fsp.stat(path)]);
    let body: LockBody | undefined;
    try {
      body = JSON.parse(text) as LockBody;
    } catch {
      body = undefined; // half-written by a process that died: judged by age
    }
    return { ...(body ? { body } : {}), mtimeMs: st.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Takes the lock on `file`, waiting for another command's lock and recovering a stale one. */
export async function lockWorkbook(file: string, options: LockOptions = {}): Promise<WorkbookLock> {
  const lockPath = `${file}.lock`;
  const waitMs = options.waitMs ?? 30_000;
  const staleMs = options.staleMs ?? 10 * 60_000;
  const pollMs = options.pollMs ?? 25;
  const token = randomBytes(8).toString('hex');
  const body: LockBody = { pid: process.pid, host: hostname(), at: new Date().toISOString(), token };
  const started = Date.now();
  for (;;) {
    try {
      const h = await fsp.open(lockPath, 'wx');
      try {
        await h.writeFile(JSON.stringify(body));
      } finally {
        await h.close();
      }
      return {
        file,
        lockPath,
        release: async () => {
          const now = await readLock(lockPath);
          if (now?.body?.token === token) await fsp.rm(lockPath, { force: true });
        },
      };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new UsageError(`cannot open ${file}: no such file or folder`);
      if (code !== 'EEXIST')
        throw new UsageError(
          `cannot lock ${file} (${lockPath}): ${(e as Error).message}; nothing was changed`,
        );
    }
    const held = await readLock(lockPath);
    if (!held) continue; // released meanwhile
    const age = Date.now() - held.mtimeMs;
    const dead =
      held.body !== undefined &&
      held.body.host === hostname() &&
      held.body.pid !== process.pid &&
      !alive(held.body.pid);
    if (dead || age > staleMs || (held.body === undefined && age > 5_000)) {
      // Take the stale lock away; of several processes doing this at once only one rename succeeds.
      const aside = `${lockPath}.stale-${token}`;
      try {
        await fsp.rename(lockPath, aside);
        await fsp.rm(aside, { force: true });
      } catch {
        // someone else took it first
      }
      continue;
    }
    if (Date.now() - started > waitMs) {
      const who = held.body ? ` (process ${held.body.pid} on ${held.body.host} since ${held.body.at})` : '';
      throw new UsageError(
        `${file} is in use by another Budgetline command${who}; nothing was changed. Run it again when that one has finished (or delete ${lockPath} if no command is running)`,
      );
    }
    await sleep(pollMs + Math.floor(Math.random() * pollMs));
  }
}

/** What identifies the file's content on disk: a rename over it changes the inode, a write its mtime. */
export async function fileIdentity(file: string): Promise<string> {
  try {
    const st = await fsp.stat(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw e;
  }
}

/** Thrown when the workbook changed on disk between the command's read and its write. */
export class ChangedBySomeoneElse extends UsageError {
  constructor(file: string) {
    super(`${file} was changed by someone else while this command ran; nothing was written. Run it again`);
    this.name = 'ChangedBySomeoneElse';
  }
}

/**
 * A port whose write first re-checks that `file` is still the file that was read (identity taken by
 * `remember()` right after opening). The check and the port's own temporary-file-and-rename happen
 * under the lock, so no other Budgetline command can come between them.
 */
export class GuardedPort implements WorkbookPort {
  private identity: string | undefined;

  constructor(
    private readonly inner: WorkbookPort,
    private readonly file: string,
  ) {}

  /** Records the file's identity as read; call right after opening the workbook. */
  async remember(): Promise<void> {
    this.identity = await fileIdentity(this.file);
  }

  read(request: ReadRequest): Promise<Snapshot> {
    return this.inner.read(request);
  }

  async write(batch: WriteBatch): Promise<void> {
    if (this.identity !== undefined && (await fileIdentity(this.file)) !== this.identity)
      throw new ChangedBySomeoneElse(this.file);
    await this.inner.write(batch);
    this.identity = await fileIdentity(this.file);
  }
}

/**
 * Runs `fn` holding the lock on `file`: `open` is called under the lock, its identity remembered,
 * and the lock released whatever happens.
 */
export async function withWorkbookLock<T>(
  file: string,
  open: () => Promise<WorkbookPort>,
  fn: (port: GuardedPort) => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const lock = await lockWorkbook(file, options);
  try {
    const before = await fileIdentity(file);
    const inner = await open();
    const port = new GuardedPort(inner, file);
    await port.remember();
    // The file must not have changed while it was being opened either.
    if ((await fileIdentity(file)) !== before) throw new ChangedBySomeoneElse(file);
    return await fn(port);
  } finally {
    await lock.release();
  }
}

/**
 * The command line's way to use a workbook: the lock held around opening (reading) and writing it,
 * and every write re-checked against the file as read. `saveTo` writes elsewhere (the input is still
 * locked, so nobody changes it while it is read); `readOnly` never writes the file (status, verify,
 * export, validate --check).
 */
export async function withLockedWorkbook<T>(
  file: string,
  fn: (port: GuardedPort) => Promise<T>,
  options: { saveTo?: string; readOnly?: boolean } & LockOptions = {},
): Promise<T> {
  const { saveTo, readOnly, ...lock } = options;
  return withWorkbookLock(
    file,
    async () =>
      saveTo !== undefined
        ? XlsxPort.open(file, { saveTo })
        : openWorkbook(file, readOnly === true ? { readOnly: true } : {}),
    fn,
    lock,
  );
}
