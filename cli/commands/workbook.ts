/** init, validate, allocate, verify, status: one workbook, one operation each. */
import { existsSync } from 'node:fs';
import { operations, runOperation } from '../../core';
import { looksLikeDistrictWorkbook } from '../../core/operations/trust';
import { newWorkbook, openWorkbook, operationOptions } from '../context';
import { withLockedWorkbook } from '../lock';
import { readReceiptsFile } from '../receipts';
import { UsageError } from '../errors';
import { dollars, printResult, type GlobalOptions } from '../output';

/** "2027", "FY2027" or "2026-27" as the fiscal year's ending year; the core checks its range. */
export function parseFiscalYear(text: string): number {
  const m = /^(?:FY)?(\d{4})$/i.exec(text.trim()) ?? /^(\d{4})-(\d{2})$/.exec(text.trim());
  if (!m)
    throw new UsageError(`--fiscal-year "${text}" is not a fiscal year (write 2027, FY2027 or 2026-27)`);
  return m[2] !== undefined ? Number(m[1]) + 1 : Number(m[1]);
}

/**
 * init: a new file, or an existing workbook given to the core's new-workbook checks: a district
 * workbook already there is refused (BL807) unless the CFO asks for --rebuild. --force replaces
 * the file itself with a new one.
 */
export async function init(
  file: string,
  opts: {
    chart: string;
    fiscalYear: string;
    district: string;
    accountColumns?: string;
    force?: boolean;
    rebuild?: boolean;
    as?: string;
  },
  global: GlobalOptions,
): Promise<number> {
  const fiscalYear = parseFiscalYear(opts.fiscalYear);
  const port =
    existsSync(file) && opts.force !== true ? await openWorkbook(file) : await newWorkbook(file, true);
  const { options, done } = operationOptions(global, opts.as);
  const r = await runOperation(
    port,
    operations.createWorkbook,
    {
      preset: opts.chart.toLowerCase(),
      fiscalYear,
      district: opts.district,
      accountColumns: opts.accountColumns === 'per-segment' ? 'per segment' : 'one',
      ...(opts.rebuild === true ? { rebuild: true } : {}),
    },
    options,
  );
  done();
  return printResult('init', { ...r, summary: r.ok ? `${r.summary} Saved as ${file}.` : r.summary }, global, {
    json: { file },
  });
}

export async function validate(
  file: string,
  opts: { site?: string[] },
  global: GlobalOptions,
): Promise<number> {
  const { options, done } = operationOptions(global);
  const r = await withLockedWorkbook(file, (port) =>
    runOperation(port, operations.validateSites, opts.site?.length ? { sites: opts.site } : {}, options),
  );
  done();
  return printResult('validate', r, global, { json: { file } });
}

export async function allocate(file: string, global: GlobalOptions): Promise<number> {
  const { options, done } = operationOptions(global);
  const r = await withLockedWorkbook(file, (port) =>
    runOperation(port, operations.computeAllocations, {}, options),
  );
  done();
  return printResult('allocate', r, global, { json: { file } });
}

export async function verify(
  file: string,
  opts: { as: string; receipts?: string },
  global: GlobalOptions,
): Promise<number> {
  const receipts = opts.receipts !== undefined ? await readReceiptsFile(opts.receipts) : undefined;
  const { options, done } = operationOptions(global, opts.as);
  const r = await withLockedWorkbook(file, async (port) => {
    // A file that is not a district workbook is a usage error (exit 2), not a list of findings.
    const names = (await port.read({})).sheetNames;
    if (!looksLikeDistrictWorkbook({ sheetNames: names, sheets: {}, windows: [] }))
      throw new UsageError(
        `${file} is not a Budgetline district workbook (it has no Setup, Sites, Roles, Codes or Audit sheet)`,
      );
    return runOperation(port, operations.verify, receipts ? { receipts } : {}, options);
  });
  done();
  return printResult('verify', r, global, {
    json: { file, ...(opts.receipts !== undefined ? { receiptsFile: opts.receipts } : {}) },
  });
}

export async function status(
  file: string,
  opts: { site?: string; as?: string },
  global: GlobalOptions,
): Promise<number> {
  const { options, done } = operationOptions(global, opts.as);
  const r = await withLockedWorkbook(file, (port) =>
    runOperation(port, operations.status, opts.site !== undefined ? { site: opts.site } : {}, options),
  );
  done();
  const lines = r.view.sites.map((s) => `  ${s.code.padEnd(6)} ${s.state.padEnd(10)} ${s.name}`);
  if (r.view.site)
    for (const a of r.view.site.allocations)
      lines.push(
        `  ${a.label}: allocated ${dollars(a.allocatedCents)}, planned ${dollars(a.plannedCents)}, remaining ${dollars(a.remainingCents)}${a.over ? '  OVER' : ''}`,
      );
  return printResult('status', r, global, {
    lines: [`${r.view.sites.length} sites:`, ...lines, ''],
    json: { file, view: r.view },
  });
}
