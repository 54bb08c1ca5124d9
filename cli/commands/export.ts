/** export --format <id>: the approved sites' lines in an ERP format, written whole or not at all. */
import { dirname, join } from 'node:path';
import { BUILT_IN_FORMATS, operations, runOperation } from '../../core';
import { openWorkbook, operationOptions } from '../context';
import { UsageError } from '../errors';
import { writeFileAtomic } from '../files';
import { printResult, type GlobalOptions } from '../output';

export async function exportCommand(
  file: string,
  opts: { format: string; out?: string; as?: string },
  global: GlobalOptions,
): Promise<number> {
  if (!BUILT_IN_FORMATS.some((f) => f.id === opts.format))
    throw new UsageError(
      `--format "${opts.format}" is not an export format; choose ${BUILT_IN_FORMATS.map((f) => f.id).join(', ')}`,
    );
  const port = await openWorkbook(file, { readOnly: true });
  const { options, done } = operationOptions(global, opts.as);
  const r = await runOperation(port, operations.exportBudget, { format: opts.format }, options);
  done();
  let written: string | undefined;
  if (r.ok && r.content !== undefined) {
    written = opts.out ?? join(dirname(file), r.fileName ?? `budget-${opts.format}.txt`);
    await writeFileAtomic(written, r.content);
  }
  return printResult(
    'export',
    { ...r, summary: written ? `${r.summary} Written to ${written}.` : r.summary },
    global,
    { json: { file, ...(written ? { out: written } : {}) } },
  );
}
