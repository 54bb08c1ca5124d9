/**
 * proposals <workbook> [--json]: every proposal with its status, weighted score, rank, community
 * input and the funding line (read-only).
 * decide <workbook> --proposal ID --accept|--reject|--defer --reason "…" --as <cfo>: leadership's
 * decision, written to the Proposals sheet and the audit log in one save, or not at all.
 * scenarios <workbook> [--json]: the base and each scenario per fund for the budget year plus two
 * (read-only).
 */
import {
  decide,
  formatCents,
  proposals,
  runOperation,
  scenarios,
  type DecisionChoice,
  type ScenarioFundJson,
} from '../../core';
import { openWorkbook, operationOptions } from '../context';
import { UsageError } from '../errors';
import { printResult, type GlobalOptions } from '../output';

const CHOICES = ['exclude', 'include-marked'] as const;

function unapprovedOf(value: string | undefined): (typeof CHOICES)[number] {
  const u = value ?? 'include-marked';
  if (!(CHOICES as readonly string[]).includes(u))
    throw new UsageError(`--unapproved "${u}": choose ${CHOICES.join(' or ')}`);
  return u as (typeof CHOICES)[number];
}

export async function proposalsCommand(
  file: string,
  opts: { unapproved?: string },
  global: GlobalOptions,
): Promise<number> {
  const unapproved = unapprovedOf(opts.unapproved);
  const port = await openWorkbook(file, { readOnly: true });
  const { options, done } = operationOptions(global);
  const r = await runOperation(port, proposals, { unapproved }, options);
  done();
  const lines: string[] = [];
  let lineDrawn = false;
  for (const p of r.proposals ?? []) {
    if (!lineDrawn && p.funding === 'below' && r.funding) {
      lines.push(
        `    ---- funding line: ${formatCents(r.funding.availableCents)} available, ${formatCents(r.funding.leftCents)} left ----`,
      );
      lineDrawn = true;
    }
    const amount = `${p.type === 'reduction' ? '-' : ''}${formatCents(p.amountsCents[0])}`;
    const score = p.score === null ? 'unscored' : `score ${p.score.toFixed(2)}`;
    const community =
      p.community.support || p.community.oppose
        ? `, community ${p.community.support} for / ${p.community.oppose} against`
        : '';
    lines.push(
      `${String(p.rank ?? '-').padStart(3)} ${p.id.padEnd(8)} ${p.title.padEnd(32).slice(0, 32)} ${amount.padStart(14)} ${p.recurrence.padEnd(9)} ${p.status.padEnd(12)} ${score}${community}`,
    );
  }
  if (r.funding && !lineDrawn)
    lines.push(
      `    ---- funding line: ${formatCents(r.funding.availableCents)} available, ${formatCents(r.funding.leftCents)} left ----`,
    );
  return printResult('proposals', r, global, {
    lines,
    json: {
      file,
      ...(r.proposals ? { proposals: r.proposals } : {}),
      ...(r.funding ? { funding: r.funding } : {}),
    },
  });
}

export async function decideCommand(
  file: string,
  opts: {
    proposal: string;
    accept?: boolean;
    reject?: boolean;
    defer?: boolean;
    reason?: string;
    as?: string;
  },
  global: GlobalOptions,
): Promise<number> {
  const chosen = (['accept', 'reject', 'defer'] as const).filter((c) => opts[c] === true);
  if (chosen.length !== 1) throw new UsageError('decide needs exactly one of --accept, --reject or --defer');
  if (!opts.as) throw new UsageError('decide needs --as <email>: the CFO, who decides for leadership');
  if (!opts.reason?.trim())
    throw new UsageError('decide needs --reason "<why>": the owner and the board read it');
  const port = await openWorkbook(file);
  const { options, done } = operationOptions(global, opts.as);
  const r = await runOperation(
    port,
    decide,
    { proposal: opts.proposal, decision: chosen[0] as DecisionChoice, reason: opts.reason },
    options,
  );
  done();
  return printResult('decide', r, global, {
    json: { file, proposal: opts.proposal, ...(r.status ? { status: r.status } : {}) },
  });
}

const money = (c: number): string => formatCents(c).padStart(16);

function fundRow(f: ScenarioFundJson): string {
  return `      ${`${f.fund} ${f.name}`.padEnd(30).slice(0, 30)}${money(f.revenuesCents + f.otherSourcesCents)}${money(f.expendituresCents + f.otherUsesCents)}${money(f.endingBalanceCents)}${(f.reservePercent === null ? '' : `${f.reservePercent}%`).padStart(9)}${f.fte.toFixed(3).padStart(10)}${(f.perPupilCents === null ? '' : formatCents(f.perPupilCents)).padStart(12)}`;
}

export async function scenariosCommand(
  file: string,
  opts: { unapproved?: string },
  global: GlobalOptions,
): Promise<number> {
  const unapproved = unapprovedOf(opts.unapproved);
  const port = await openWorkbook(file, { readOnly: true });
  const { options, done } = operationOptions(global);
  const r = await runOperation(port, scenarios, { unapproved }, options);
  done();
  const lines: string[] = [];
  for (const s of r.scenarios ?? []) {
    lines.push(`${s.name}${s.proposals.length ? ` (proposals ${s.proposals.join(', ')})` : ''}:`);
    for (const y of s.years) {
      lines.push(
        `    FY${y.fiscalYear} (${y.enrollment} students)${''.padEnd(8)}${'revenues'.padStart(16)}${'expenditures'.padStart(16)}${'ending'.padStart(16)}${'reserve'.padStart(9)}${'FTE'.padStart(10)}${'per pupil'.padStart(12)}`,
      );
      for (const f of y.funds) lines.push(fundRow(f));
      lines.push(fundRow(y.district));
    }
  }
  return printResult('scenarios', r, global, {
    lines,
    json: { file, ...(r.scenarios ? { scenarios: r.scenarios } : {}) },
  });
}
