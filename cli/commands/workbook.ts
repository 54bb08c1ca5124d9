/** init, validate, allocate, verify, status: one workbook, one operation each. */
import { operations, type PresetId } from '../../core';
import { looksLikeDistrictWorkbook } from '../../core/operations/trust';
import { newWorkbook, operationOptions } from '../context';
import { withLockedWorkbook } from '../lock';
import { readReceiptsFile } from '../receipts';
import { UsageError } from '../errors';
import { dollars, printResult, type GlobalOptions } from '../output';

const PRESETS: readonly PresetId[] = ['nces', 'texas', 'california'];

export function parseFiscalYear(text: string): number {
  const m = /^(?:FY)?(\d{4})$/i.exec(text.trim()) ?? /^(\d{4})-(\d{2})$/.exec(text.trim());
  if (!m)
    throw new UsageError(`--fiscal-year "${text}" is not a fiscal year (write 2027, FY2027 or 2026-27)`);
  const year = m[2] !== undefined ? Number(m[1]) + 1 : Number(m[1]);
  if (year < 2000 || year > 2100) throw new UsageError(`--fiscal-year ${text} is out of range`);
  return year;
}

export async function init(
  file: string,
  opts: {
    chart: string;
    fiscalYear: string;
    district: string;
    accountColumns?: string;
    force?: boolean;
    as?: string;
  },
  global: GlobalOptions,
): Promise<number> {
  const preset = opts.chart.toLowerCase() as PresetId;
  if (!PRESETS.includes(preset))
    throw new UsageError(`--chart "${opts.chart}" is not a preset; choose ${PRESETS.join(', ')}`);
  const fiscalYear = parseFiscalYear(opts.fiscalYear);
  const port = await newWorkbook(file, opts.force === true);
  const { options, done } = operationOptions(global, opts.as);
  const r = await operations.createWorkbook(
    port,
    {
      preset,
      fiscalYear,
      district: opts.district,
      accountColumns: opts.accountColumns === 'per-segment' ? 'per segment' : 'one',
    },
    options,
  );
  done();
  return printResult('init', { ...r, summary: `${r.summary} Saved as ${file}.` }, global, { json: { file } });
}

export async function validate(
  file: string,
  opts: { site?: string[] },
  global: GlobalOptions,
): Promise<number> {
  const { options, done } = operationOptions(global);
  const r = await withLockedWorkbook(file, (port) =>
    operations.validateSites(port, opts.site?.length ? { sites: opts.site } : {}, options),
  );
  done();
  return printResult('validate', r, global, { json: { file } });
}

export async function allocate(file: string, global: GlobalOptions): Promise<number> {
  const { options, done } = operationOptions(global);
  const r = await withLockedWorkbook(file, (port) => operations.computeAllocations(port, {}, options));
  done();
  return printResult('allocate', r, global, { json: { file } });
}

export async function verify(
  file: string,
  opts: { receipts?: string },
  global: GlobalOptions,
): Promise<number> {
  const receipts = opts.receipts !== undefined ? await readReceiptsFile(opts.receipts) : undefined;
  const { options, done } = operationOptions(global);
  const r = await withLockedWorkbook(file, async (port) => {
    // A file that is not a district workbook is a usage error (exit 2), not a list of findings.
    const names = (await port.read({})).sheetNames;
    if (!looksLikeDistrictWorkbook({ sheetNames: names, sheets: {}, windows: [] }))
      throw new UsageError(
        `${file} is not a Budgetline district workbook (it has no Setup, Sites, Roles, Codes or Audit sheet)`,
      );
    return operations.verify(port, receipts ? { receipts } : {}, options);
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
    operations.status(port, opts.site !== undefined ? { site: opts.site } : {}, options),
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
