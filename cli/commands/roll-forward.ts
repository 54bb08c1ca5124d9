/**
 * roll-forward [--out <next.xlsx>]: next year's workbook from this one, written to a new file (this one
 * is left as it is). Without --out, a dry run: the findings and what would be carried forward.
 * `--explain` lists, per site, what dropped off and what each known cost change did; `--json` gives
 * the same as `sites`, `costChanges` and `beginningBalances` (cents).
 */
import { formatCents, operations, runOperation, type RollForwardResult } from '../../core';
import { newWorkbook, operationOptions } from '../context';
import { withLockedWorkbook } from '../lock';
import { UsageError } from '../errors';
import { printResult, type GlobalOptions } from '../output';

export function parsePercent(text: string): number {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  if (!m) throw new UsageError(`--salary-increase "${text}" is not a percentage (e.g. 2.5 or 2.5%)`);
  return Number(m[1]);
}

export async function rollForwardCommand(
  file: string,
  opts: { out?: string; salaryIncrease?: string; force?: boolean },
  global: GlobalOptions,
): Promise<number> {
  if (opts.out === file) throw new UsageError('--out must name a new file: the current year stays as it is');
  const salaryIncrease = opts.salaryIncrease !== undefined ? parsePercent(opts.salaryIncrease) : undefined;
  const target = opts.out !== undefined ? await newWorkbook(opts.out, opts.force === true) : undefined;
  const { options, done } = operationOptions(global);
  const { next, ...r } = await withLockedWorkbook(file, (port) =>
    runOperation(
      port,
      operations.rollForward,
      salaryIncrease !== undefined ? { salaryIncrease } : {},
      options,
    ),
  );
  // This year's workbook is only read; next year's is one write to the new file, and only when the
  // roll-forward is whole (a refusal has no `next`: the --out file is not even created).
  if (target && next && r.ok) await target.write(next);
  done();
  // One block: --explain spaces the findings apart, not the lines of the explanation.
  const explained = global.explain ? explainRollForward(r) : [];
  const lines = explained.length ? [explained.join('\n')] : [];
  const saved = !r.ok ? '' : target ? ` Saved as ${opts.out ?? ''}.` : ' (Dry run: nothing written.)';
  return printResult('roll-forward', { ...r, summary: `${r.summary}${saved}` }, global, {
    lines,
    json: {
      file,
      ...(opts.out ? { out: opts.out } : {}),
      ...(r.fiscalYear !== undefined ? { fiscalYear: r.fiscalYear } : {}),
      ...(r.sites ? { sites: r.sites, costChanges: r.costChanges ?? [] } : {}),
      ...(r.beginningBalances ? { beginningBalances: r.beginningBalances } : {}),
    },
  });
}

const signed = (c: number): string => `${c >= 0 ? '+' : ''}${formatCents(c)}`;

/** Per site: what dropped off, and each cost change's effect in the order applied. */
export function explainRollForward(r: RollForwardResult): string[] {
  const out: string[] = [];
  if (r.costChanges?.length) {
    out.push(`Known cost changes effective FY${r.fiscalYear ?? ''}, in the order applied:`);
    for (const c of r.costChanges)
      out.push(
        `    ${c.id} ${c.kind}: ${c.description} — ${signed(c.cents)} district-wide (${c.matched} matched)`,
      );
  }
  for (const s of r.sites ?? []) {
    if (!s.changes.length && !s.dropped.length) continue;
    out.push(
      `${s.site} ${s.name}: ${s.carried} lines and positions carried, ${signed(s.changeCents)} in ${s.changeLines} change lines`,
    );
    for (const d of s.dropped)
      out.push(`    drops ${d.account} ${d.description} ${formatCents(d.cents)} (${d.why})`);
    for (const e of s.changes) out.push(`    ${e.change} ${e.what}: ${signed(e.cents)}`);
  }
  for (const b of r.beginningBalances ?? [])
    out.push(
      `Fund ${b.fund} ${b.name} begins FY${r.fiscalYear ?? ''} at ${formatCents(b.cents)} (${b.basis})`,
    );
  return out;
}
