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
  GENESIS_HASH,
  readWorkbook,
  SHEETS,
  SITE_FORMATS,
  type CellValue,
  type DocumentState,
  type Grid,
  type Snapshot,
  type SiteBudget,
  type FundJson,
  type UnapprovedChoice,
  type WorkbookPort,
} from '../../core';
import { consolidate } from '../../core/operations';
import { newWorkbook, openWorkbook, operationOptions } from '../context';
import { UsageError } from '../errors';
import { dollars, printResult, type GlobalOptions } from '../output';
import { XlsxPort } from '../xlsx-port';

const CHOICES: readonly UnapprovedChoice[] = ['exclude', 'include-marked'];
const RANK: Readonly<Record<SiteBudget['state'], number>> = {
  approved: 3,
  submitted: 2,
  returned: 1,
  draft: 0,
};

interface Source {
  readonly file: string;
  readonly snap: Snapshot;
}

function hasRows(grid: Grid | undefined): boolean {
  return (grid ?? [])
    .slice(1)
    .some((r) => r.some((v) => v !== null && v !== undefined && String(v).trim() !== ''));
}

/** One workbook from many copies: every site from the copy that holds it. */
export function mergeCopies(sources: readonly Source[]): {
  sheets: Record<string, Grid>;
  order: string[];
  siteSheets: string[];
  state: DocumentState;
} {
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
  const sheets: Record<string, Grid> = {};
  for (const name of base.snap.sheetNames) {
    const g = base.snap.sheets[name];
    if (g) sheets[name] = g;
  }
  const sites: Record<string, SiteBudget> = {};
  const approvedRows: CellValue[][] = [];
  const approvedHeader = base.snap.sheets[SHEETS.approved]?.[0] ?? [];
  for (const site of baseWb.sites) {
    let chosen: { source: Source; rank: number; rows: boolean } | undefined;
    for (const s of sources) {
      const state = s.snap.state?.sites[site.code];
      const rank = state ? RANK[state.state] : 0;
      const rows = hasRows(s.snap.sheets[site.sheet]);
      if (!rows && rank === 0) continue;
      if (!chosen || rank > chosen.rank || (rank === chosen.rank && rows && !chosen.rows)) {
        chosen = { source: s, rank, rows };
      } else if (
        rank === chosen.rank &&
        rows &&
        chosen.rows &&
        JSON.stringify(s.snap.sheets[site.sheet]) !== JSON.stringify(chosen.source.snap.sheets[site.sheet])
      )
        throw new UsageError(
          `site ${site.code} (${site.name}) has lines in both ${chosen.source.file} and ${s.file}, and neither is further along; keep one copy of each site`,
        );
    }
    if (!chosen) continue;
    const g = chosen.source.snap.sheets[site.sheet];
    if (g) sheets[site.sheet] = g;
    const st = chosen.source.snap.state?.sites[site.code];
    if (st) sites[site.code] = st;
    const approved = chosen.source.snap.sheets[SHEETS.approved] ?? [];
    for (const r of approved.slice(1)) if (String(r[0] ?? '').trim() === site.code) approvedRows.push([...r]);
  }
  if (approvedHeader.length) sheets[SHEETS.approved] = [[...approvedHeader], ...approvedRows];
  delete sheets[SHEETS.master];
  const state: DocumentState = {
    version: 1,
    sites,
    lastAuditHash: base.snap.state?.lastAuditHash ?? GENESIS_HASH,
  };
  return { sheets, order: Object.keys(sheets), siteSheets: baseWb.sites.map((s) => s.sheet), state };
}

/** Writes the merged workbook to a new file (one write), site sheets with their number formats. */
async function writeMerged(port: WorkbookPort, merged: ReturnType<typeof mergeCopies>): Promise<void> {
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

/** The control totals: per account class when the chart has classes (never a sum across classes). */
export function controlLine(c: {
  masterCents: number;
  sitesCents: number;
  agree: boolean;
  byClass?: readonly { label: string; masterCents: number; sitesCents: number }[];
}): string {
  if (!c.byClass?.length)
    return `Control totals: Master Budget ${dollars(c.masterCents)}, sites ${dollars(c.sitesCents)} (${c.agree ? 'agree' : 'DISAGREE'}).`;
  return `Control totals (${c.agree ? 'agree' : 'DISAGREE'}): ${c.byClass
    .map(
      (x) =>
        `${x.label.toLowerCase()} Master Budget ${dollars(x.masterCents)}, sites ${dollars(x.sitesCents)}`,
    )
    .join('; ')}.`;
}

/** One line per fund and the district: revenues, expenditures, ending balance, reserve %. */
export function fundLines(r: { funds?: readonly FundJson[]; district?: FundJson }): string[] {
  if (!r.funds || !r.district) return [];
  const line = (f: FundJson): string =>
    `  ${`${f.fund} ${f.name}`.padEnd(40).slice(0, 40)} revenues ${dollars(f.revenuesCents + f.otherSourcesCents)}, expenditures ${dollars(f.expendituresCents + f.otherUsesCents)}, net ${dollars(f.netChangeCents)}, ending balance ${dollars(f.endingBalanceCents)}${f.reservePercent === null ? '' : ` (${f.reservePercent}% of expenditures)`}`;
  return [
    'Fund summary (revenues and sources; expenditures and uses):',
    ...r.funds.map(line),
    line(r.district),
  ];
}

export async function consolidateCommand(
  files: readonly string[],
  opts: { out?: string; unapproved?: string; force?: boolean; as?: string },
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
    const port = opts.out ? await XlsxPort.open(file, { saveTo: opts.out }) : await openWorkbook(file);
    r = await consolidate(port, { unapproved }, options);
  } else {
    const sources: Source[] = [];
    for (const [i, file] of files.entries()) {
      options.progress?.(i, files.length, file);
      const port = await openWorkbook(file);
      sources.push({ file, snap: await port.read({ sheets: 'all', state: true }) });
    }
    const merged = mergeCopies(sources);
    const out = opts.out as string;
    const port = await newWorkbook(out, true);
    await writeMerged(port, merged);
    r = await consolidate(port, { unapproved }, options);
    // A refusal writes no Master Budget: leave no half-made master behind.
    if (!r.control) await rm(out, { force: true });
  }
  done();
  const control = r.control ? [controlLine(r.control)] : [];
  const where = opts.out ?? files[0];
  return printResult(
    'consolidate',
    { ...r, summary: `${r.summary}${r.control ? ` Saved in ${where}.` : ''}` },
    global,
    {
      lines: [...control, ...fundLines(r)],
      json: {
        files,
        out: where,
        ...(r.control ? { control: r.control } : {}),
        ...(r.funds ? { funds: r.funds, district: r.district } : {}),
      },
    },
  );
}
