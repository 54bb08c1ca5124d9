/** init, validate, allocate, verify, status: one workbook, one operation each. */
import { existsSync } from 'node:fs';
import {
  formatCents,
  formatDiagnostic,
  formatFte,
  operations,
  runOperation,
  sortDiagnostics,
} from '../../core';
import { looksLikeDistrictWorkbook } from '../../core/operations/trust';
import { actAs, newWorkbook, openWorkbook, operationOptions } from '../context';
import { withLockedWorkbook, withWorkbookLock } from '../lock';
import { readReceiptsFile } from '../receipts';
import { UsageError } from '../errors';
import { printResult, WHOLE_LIST, type GlobalOptions } from '../output';

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
  const { options, done } = operationOptions(global, opts.as);
  // Under the workbook's lock like every command that writes one: an existing workbook (joined, or
  // rebuilt) is another command's too, and a new file must not be created by two inits at once.
  const r = await withWorkbookLock(
    file,
    // An existing workbook keeps everything in it (charts, pivot tables, …): the district's sheets join it.
    async () =>
      existsSync(file) && opts.force !== true ? await openWorkbook(file) : await newWorkbook(file, true),
    (port) =>
      runOperation(
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
      ),
  );
  done();
  return printResult('init', { ...r, summary: r.ok ? `${r.summary} Saved as ${file}.` : r.summary }, global, {
    json: { file },
  });
}

export async function validate(
  file: string,
  opts: { site?: string[]; check?: boolean },
  global: GlobalOptions,
): Promise<number> {
  // --check: the findings only; the workbook is opened read-only, so no cell is marked.
  const { options, done } = operationOptions(global);
  const r = await withLockedWorkbook(
    file,
    (port) =>
      runOperation(port, operations.validateSites, opts.site?.length ? { sites: opts.site } : {}, options),
    opts.check === true ? { readOnly: true } : {},
  );
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
  const r = await withLockedWorkbook(
    file,
    async (port) => {
      // A file that is not a district workbook is a usage error (exit 2), not a list of findings.
      const names = (await port.read({})).sheetNames;
      if (!looksLikeDistrictWorkbook({ sheetNames: names, sheets: {}, windows: [] }))
        throw new UsageError(
          `${file} is not a Budgetline district workbook (it has no Setup, Sites, Roles, Codes or Audit sheet)`,
        );
      return runOperation(port, operations.verify, receipts ? { receipts } : {}, options);
    },
    { readOnly: true },
  );
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
  const r = await withLockedWorkbook(
    file,
    (port) =>
      runOperation(port, operations.status, opts.site !== undefined ? { site: opts.site } : {}, options),
    { readOnly: true },
  );
  done();
  const view = r.view;
  const lines = table(
    ['Site', 'State', 'Name'],
    view.sites.map((s) => [s.code, s.state, s.name]),
  );
  const board = view.board;
  if (board?.adopted)
    lines.push('', `ADOPTED by the board on ${board.adopted.date}, resolution ${board.adopted.resolution}.`);
  else if (board?.state === 'revision')
    lines.push('', `NOT ADOPTED: back to revision. Board's comment: ${board.comment ?? ''}`);
  if (board?.amendments.length)
    lines.push(
      '',
      'Amendments:',
      ...table(
        ['ID', 'Site', 'State', 'Resolution', 'Reason'],
        board.amendments.map((a) => [a.id, a.site, a.state, a.resolution, a.reason]),
      ),
    );
  const site = view.site;
  if (site) {
    lines.push('', `${site.code} is ${site.state}.`);
    lines.push(
      ...table(
        [
          'Allocation',
          'Allocated',
          'Planned',
          'Remaining',
          'FTE allocated',
          'FTE planned',
          'FTE remaining',
          '',
        ],
        site.allocations.map((a) => [
          a.label,
          formatCents(a.allocatedCents),
          formatCents(a.plannedCents),
          formatCents(a.remainingCents),
          a.fteTracked ? formatFte(a.allocatedFte) : '',
          formatFte(a.plannedFte),
          a.fteTracked ? formatFte(a.remainingFte) : '',
          a.over ? 'OVER' : '',
        ]),
        [false, true, true, true, true, true, true, false],
      ),
    );
    const findings = sortDiagnostics(site.findings);
    lines.push('', findings.length ? `Findings (${findings.length}):` : 'Findings: none.');
    for (const d of findings)
      lines.push(`  ${formatDiagnostic(d, { excerpt: global.explain === true, whole: WHOLE_LIST })}`);
    const may = (Object.keys(site.can) as (keyof typeof site.can)[]).filter((k) => site.can[k]);
    const who = view.user?.email ?? actAs(opts.as)?.email;
    if (who) lines.push('', `${who} may ${may.length ? may.join(', ') : 'do nothing to this site now'}.`);
  }
  if (view.notice && opts.as !== undefined) lines.push('', view.notice);
  return printResult('status', r, global, { lines: [...lines, ''], json: { file, view } });
}

/** Rows under a header, each column as wide as its widest cell; `right` columns aligned right. */
function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly boolean[] = [],
): string[] {
  const width = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((v, c) => (right[c] ? v.padStart(width[c] ?? 0) : v.padEnd(width[c] ?? 0)))
      .join('  ')
      .trimEnd();
  return [header, ...rows].map((r) => `  ${line(r)}`);
}
