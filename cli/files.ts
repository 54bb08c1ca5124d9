/** Writing files whole or not at all: to a temporary file beside the target, then renamed over it. */
import { randomBytes } from 'node:crypto';
import fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UsageError } from './errors';

export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fsp.writeFile(tmp, content);
    await fsp.rename(tmp, path);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw new UsageError(`cannot write ${path}: ${(e as Error).message}; nothing was written`);
  }
}
