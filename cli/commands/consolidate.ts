/**
 * consolidate: the Master Budget.
 *   budgetline consolidate district.xlsx                      writes Master Budget into the workbook
 *   budgetline consolidate district.xlsx --out master.xlsx    the same, saved as a new file
 *   budgetline consolidate sites/*.xlsx --out master.xlsx     many copies of the district workbook
 *     (one per principal): each site's sheet and workflow state is taken from the file that holds it,
 *     the district's tables from the first file; the merged workbook is consolidated and saved.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import {
  APPROVED_HEADER,
  AUDIT_HEADER,
  GENESIS_HASH,
  auditRow,
  mergeChains,
  readApprovedLines,
  readAuditLog,
  readWorkbook,
  replayChain,
  type CopyChain,
  type Diagnostic,
  SHEETS,
  SITE_FORMATS,
  type CellValue,
  type DocumentState,
  type Grid,
  type Snapshot,
  type UnapprovedChoice,
  type WorkbookPort,
} from '../../core';
import { consolidate } from '../../core/operations';
import { plural } from '../../core/operations/common';
import { newWorkbook, operationOptions } from '../context';
import { withLockedWorkbook } from '../lock';
import { appendReceipts, receiptsPath } from '../receipts';
import { UsageError } from '../errors';
import { dollars, printResult, type GlobalOptions } from '../output';

const CHOICES: readonly UnapprovedChoice[] = ['exclude', 'include-marked'];

interface Source {
  readonly file: string;
  readonly snap: Snapshot;
}

function hasRows(grid: Grid | undefined): boolean {
  return (grid ?? [])
    .slice(1)
    .some((r) => r.some((v) => v !== null && v !== undefined && String(v).trim() !== ''));
}

/**
 * One workbook from many copies: every site from the copy that holds it, and the copies' audit chains
 * verified and merged (core/approval/merge): a site is taken from a copy only with its audit entries,
 * and a copy that claims an approval its chain does not hold is refused, naming the file.
 */
export function mergeCopies(sources: readonly Source[]):
  | {
      sheets: Record<string, Grid>;
      order: string[];
      siteSheets: string[];
      state: DocumentState;
    }
  | { refused: readonly Diagnostic[] } {
  const base = sources[0] as Source;
  const baseWb = readWorkbook(base.snap);
  const setupOf = (s: Source): string => {
    const w = readWorkbook(s.snap);
    return `${w.setup?.fiscalYear ?? '?'} ${w.setup?.chart ?? '?'}`;
  };
  for (const s of sources.slice(1)) {
    if (!s.snap.sheets[SHEETS.setup])
      throw new UsageError(`${s.file} is not a district workbook (no Setup sheet)`);
    if (setupOf(s) !== setupOf(base))
      throw new UsageError(
        `${s.file} is for another fiscal year or chart (${setupOf(s)}) than ${base.file} (${setupOf(base)}); consolidate copies of one district workbook`,
      );
  }
  const chains: CopyChain[] = sources.map((s) => {
    const audit = readAuditLog(s.snap.sheets[SHEETS.audit]);
    const claimed = new Set<string>();
    for (const [code, b] of Object.entries(s.snap.state?.sites ?? {}))
      if (b.state === 'approved') claimed.add(code);
    for (const code of readApprovedLines(s.snap.sheets[SHEETS.approved]).keys()) if (code) claimed.add(code);
    const last = s.snap.state?.lastAuditHash;
    return {
      file: s.file,
      log: audit.entries,
      logFindings: audit.diagnostics,
      ...(last !== undefined && last !== GENESIS_HASH ? { lastHash: last } : {}),
      claimedApproved: [...claimed],
    };
  });
  const merged = mergeChains(chains);
  if (!merged.ok) return { refused: merged.diagnostics };
  const replay = replayChain(merged.log);
  const sheets: Record<string, Grid> = {};
  for (const name of base.snap.sheetNames) {
    const g = base.snap.sheets[name];
    if (g) sheets[name] = g;
  }
  const approvedRows: CellValue[][] = [];
  const approvedHeader = base.snap.sheets[SHEETS.approved]?.[0] ?? [...APPROVED_HEADER];
  for (const site of baseWb.sites) {
    const owner = merged.owner.get(site.code);
    let chosen: { source: Source; rows: boolean } | undefined = owner
      ? { source: sources.find((s) => s.file === owner) as Source, rows: true }
      : undefined;
    if (!chosen)
      for (const s of sources) {
        const rows = hasRows(s.snap.sheets[site.sheet]);
        if (!rows) continue;
        if (!chosen || !chosen.rows) chosen = { source: s, rows };
        else if (
          s !== base &&
          chosen.source !== base &&
          JSON.stringify(s.snap.sheets[site.sheet]) !== JSON.stringify(chosen.source.snap.sheets[site.sheet])
        )
          throw new UsageError(
            `site ${site.code} (${site.name}) has lines in both ${chosen.source.file} and ${s.file}, and neither has taken a workflow step; keep one copy of each site`,
          );
        else if (
          chosen.source === base &&
          JSON.stringify(s.snap.sheets[site.sheet]) !== JSON.stringify(base.snap.sheets[site.sheet])
        )
          chosen = { source: s, rows };
      }
    if (!chosen) continue;
    const g = chosen.source.snap.sheets[site.sheet];
    if (g) sheets[site.sheet] = g;
    const approved = chosen.source.snap.sheets[SHEETS.approved] ?? [];
    if (replay.approvals.has(site.code))
      for (const r of approved.slice(1))
        if (String(r[0] ?? '').trim() === site.code) approvedRows.push([...r]);
  }
  sheets[SHEETS.approved] = [[...approvedHeader], ...approvedRows];
  sheets[SHEETS.audit] = [[...AUDIT_HEADER], ...merged.log.map(auditRow)];
  delete sheets[SHEETS.master];
  const state: DocumentState = {
    version: 1,
    sites: Object.fromEntries(replay.sites),
    lastAuditHash: merged.log[merged.log.length - 1]?.hash ?? GENESIS_HASH,
  };
  return { sheets, order: Object.keys(sheets), siteSheets: baseWb.sites.map((s) => s.sheet), state };
}

/** Writes the merged workbook to a new file (one write), site sheets with their number formats. */
async function writeMerged(
  port: WorkbookPort,
  merged: Exclude<ReturnType<typeof mergeCopies>, { refused: readonly Diagnostic[] }>,
): Promise<void> {
  await port.write({
    sheets: merged.order.map((name) => ({
      sheet: name,
      values: merged.sheets[name] ?? [],
      header: true,
      replace: true,
      ...(merged.siteSheets.includes(name) ? { columnFormats: SITE_FORMATS } : {}),
    })),
    state: merged.state,
  });
}

export async function consolidateCommand(
  files: readonly string[],
  opts: { out?: string; unapproved?: string; force?: boolean; as?: string; receipts?: string },
  global: GlobalOptions,
): Promise<number> {
  const unapproved = (opts.unapproved ?? 'exclude') as UnapprovedChoice;
  if (!CHOICES.includes(unapproved))
    throw new UsageError(`--unapproved "${opts.unapproved ?? ''}": choose ${CHOICES.join(' or ')}`);
  if (files.length === 0) throw new UsageError('consolidate needs at least one workbook');
  if (files.length > 1 && !opts.out)
    throw new UsageError('consolidating several files needs --out <master.xlsx>');
  if (opts.out && files.includes(opts.out))
    throw new UsageError(`--out ${opts.out} is one of the inputs; name a new file`);
  if (opts.out && existsSync(opts.out) && !opts.force)
    throw new UsageError(`${opts.out} already exists; choose another name or pass --force to replace it`);
  const { options, done } = operationOptions(global, opts.as);
  let r: Awaited<ReturnType<typeof consolidate>>;
  if (files.length === 1) {
    const file = files[0] as string;
    r = await withLockedWorkbook(
      file,
      (port) => consolidate(port, { unapproved }, options),
      opts.out ? { saveTo: opts.out } : {},
    );
  } else {
    const sources: Source[] = [];
    for (const [i, file] of files.entries()) {
      options.progress?.(i, files.length, file);
      sources.push({
        file,
        snap: await withLockedWorkbook(file, (port) => port.read({ sheets: 'all', state: true })),
      });
    }
    const merged = mergeCopies(sources);
    if ('refused' in merged) {
      done();
      return printResult(
        'consolidate',
        {
          ok: false,
          diagnostics: merged.refused,
          summary: `Nothing was consolidated: ${plural(merged.refused.length, 'copy')} cannot be taken (nothing was written).`,
        },
        global,
        { json: { files } },
      );
    }
    const out = opts.out as string;
    const port = await newWorkbook(out, true);
    await writeMerged(port, merged);
    r = await consolidate(port, { unapproved }, options);
    // A refusal writes no Master Budget: leave no half-made master behind.
    if (!r.control) await rm(out, { force: true });
  }
  done();
  const control = r.control
    ? [
        `Control totals: Master Budget ${dollars(r.control.masterCents)}, sites ${dollars(r.control.sitesCents)} (${r.control.agree ? 'agree' : 'DISAGREE'}).`,
      ]
    : [];
  const where = opts.out ?? (files[0] as string);
  const receipts = r.control ? (r.receipts ?? []) : [];
  const receiptsFile = receiptsPath(where, opts.receipts);
  await appendReceipts(receiptsFile, receipts);
  return printResult(
    'consolidate',
    {
      ...r,
      summary: `${r.summary}${r.control ? ` Saved in ${where}.` : ''}${receipts.length ? ` Receipt added to ${receiptsFile}.` : ''}`,
    },
    global,
    {
      lines: control,
      json: {
        files,
        out: where,
        ...(r.control ? { control: r.control } : {}),
        ...(receipts.length ? { receipts, receiptsFile } : {}),
      },
    },
  );
}
