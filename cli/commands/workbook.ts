/** init, validate, allocate, verify, status: one workbook, one operation each. */
import { operations, type PresetId } from '../../core';
import { newWorkbook, openWorkbook, operationOptions } from '../context';
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
    existing?: boolean;
    as?: string;
  },
  global: GlobalOptions,
): Promise<number> {
  const preset = opts.chart.toLowerCase() as PresetId;
  if (!PRESETS.includes(preset))
    throw new UsageError(`--chart "${opts.chart}" is not a preset; choose ${PRESETS.join(', ')}`);
  const fiscalYear = parseFiscalYear(opts.fiscalYear);
  if (opts.existing && opts.force)
    throw new UsageError('--existing keeps the workbook and --force replaces it: choose one');
  // --existing: the district's sheets join what the workbook already holds (charts, pivot tables, …).
  const port = opts.existing ? await openWorkbook(file) : await newWorkbook(file, opts.force === true);
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
  opts: { site?: string[]; check?: boolean },
  global: GlobalOptions,
): Promise<number> {
  // --check: the findings only; the workbook is opened read-only, so no cell is marked.
  const port = await openWorkbook(file, { readOnly: opts.check === true });
  const { options, done } = operationOptions(global);
  const r = await operations.validateSites(port, opts.site?.length ? { sites: opts.site } : {}, options);
  done();
  return printResult(
    'validate',
    opts.check
      ? { ...r, summary: `${r.summary} (--check: no cell was marked; the workbook was not written)` }
      : r,
    global,
    { json: { file, ...(opts.check ? { check: true } : {}) } },
  );
}

export async function allocate(file: string, global: GlobalOptions): Promise<number> {
  const port = await openWorkbook(file);
  const { options, done } = operationOptions(global);
  const r = await operations.computeAllocations(port, {}, options);
  done();
  return printResult('allocate', r, global, { json: { file } });
}

export async function verify(file: string, global: GlobalOptions): Promise<number> {
  const port = await openWorkbook(file, { readOnly: true });
  const { options, done } = operationOptions(global);
  const r = await operations.verify(port, {}, options);
  done();
  return printResult('verify', r, global, { json: { file } });
}

export async function status(
  file: string,
  opts: { site?: string; as?: string },
  global: GlobalOptions,
): Promise<number> {
  const port = await openWorkbook(file, { readOnly: true });
  const { options, done } = operationOptions(global, opts.as);
  const r = await operations.status(port, opts.site !== undefined ? { site: opts.site } : {}, options);
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
