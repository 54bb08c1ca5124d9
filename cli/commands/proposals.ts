/**
 * proposals <workbook> [--json]: every proposal with its status, weighted score, rank, community
 * input and the funding line (read-only).
 * decide <workbook> --proposal ID --accept|--reject|--defer --reason "…" --as <cfo>: leadership's
 * decision, written to the Proposals sheet and the audit log in one save, or not at all.
 * scenarios <workbook> [--json]: the base and each scenario per fund for the budget year plus two
 * (read-only).
 */
import {
  adoptScenario,
  decide,
  formatCents,
  proposals,
  propose,
  runOperation,
  scenarios,
  type CellValue,
  type DecisionChoice,
  type OperationResult,
  type ProposalField,
  type Receipted,
  type ScenarioFundJson,
} from '../../core';
import { operationOptions } from '../context';
import { UsageError } from '../errors';
import { withLockedWorkbook } from '../lock';
import { printResult, type GlobalOptions } from '../output';
import { appendReceipts, receiptsPath } from '../receipts';
import { optionKey, PROPOSE_FIELDS } from '../propose-fields';

/** Receipts go outside the workbook (verify --receipts checks the chain against them). */
async function withReceipts<R extends OperationResult & Receipted>(
  file: string,
  r: R,
  receiptsFile: string | undefined,
): Promise<{ r: R; json: Record<string, unknown> }> {
  const receipts = r.receipts ?? [];
  if (!receipts.length) return { r, json: {} };
  const where = receiptsPath(file, receiptsFile);
  await appendReceipts(where, receipts);
  return {
    r: { ...r, summary: `${r.summary} Receipt added to ${where}.` },
    json: { receipts, receiptsFile: where },
  };
}

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
  const { options, done } = operationOptions(global);
  const r = await withLockedWorkbook(file, (port) => runOperation(port, proposals, { unapproved }, options), {
    readOnly: true,
  });
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
      `${''.padStart(13)}${p.fundingReason}`,
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
    receipts?: string;
  },
  global: GlobalOptions,
): Promise<number> {
  const chosen = (['accept', 'reject', 'defer'] as const).filter((c) => opts[c] === true);
  if (chosen.length !== 1) throw new UsageError('decide needs exactly one of --accept, --reject or --defer');
  if (!opts.as) throw new UsageError('decide needs --as <email>: the CFO, who decides for leadership');
  if (!opts.reason?.trim())
    throw new UsageError('decide needs --reason "<why>": the owner and the board read it');
  const { options, done } = operationOptions(global, opts.as);
  const decided = await withLockedWorkbook(file, (port) =>
    runOperation(
      port,
      decide,
      { proposal: opts.proposal, decision: chosen[0] as DecisionChoice, reason: opts.reason ?? '' },
      options,
    ),
  );
  done();
  const { r, json } = await withReceipts(file, decided, opts.receipts);
  return printResult('decide', r, global, {
    json: { file, proposal: opts.proposal, ...(r.status ? { status: r.status } : {}), ...json },
  });
}

export async function proposeCommand(
  file: string,
  opts: Record<string, string | boolean | undefined> & { id: string; as?: string },
  global: GlobalOptions,
): Promise<number> {
  if (!opts.as)
    throw new UsageError(
      'propose needs --as <email>: the budget owner submitting it (recorded as self-declared)',
    );
  const add: Partial<Record<ProposalField, CellValue>> = {};
  for (const [field, flag] of PROPOSE_FIELDS) {
    const v = opts[optionKey(flag)];
    if (typeof v === 'string') add[field] = v;
  }
  const adding = Object.keys(add).length > 0;
  if (adding && opts.review === true)
    throw new UsageError('propose --review takes a submitted proposal under review: it adds no new row');
  const { options, done } = operationOptions(global, opts.as);
  const ran = await withLockedWorkbook(file, (port) =>
    runOperation(
      port,
      propose,
      {
        proposal: opts.id,
        step: opts.review === true ? 'review' : 'submit',
        ...(adding ? { add } : {}),
        ...(typeof opts.comment === 'string' ? { comment: opts.comment } : {}),
      },
      options,
    ),
  );
  done();
  const { r, json } = await withReceipts(
    file,
    ran,
    typeof opts.receipts === 'string' ? opts.receipts : undefined,
  );
  return printResult('propose', r, global, {
    json: { file, proposal: opts.id, ...(r.status ? { status: r.status } : {}), ...json },
  });
}

const money = (c: number): string => formatCents(c).padStart(16);

function fundRow(f: ScenarioFundJson): string {
  return `      ${`${f.fund} ${f.name}`.padEnd(30).slice(0, 30)}${money(f.revenuesCents + f.otherSourcesCents)}${money(f.expendituresCents + f.otherUsesCents)}${money(f.endingBalanceCents)}${(f.reservePercent === null ? '' : `${f.reservePercent}%`).padStart(9)}${f.fte.toFixed(3).padStart(10)}${(f.perPupilCents === null ? '' : formatCents(f.perPupilCents)).padStart(12)}`;
}

export async function scenariosCommand(
  file: string,
  opts: { unapproved?: string; adopt?: string; reason?: string; as?: string; receipts?: string },
  global: GlobalOptions,
): Promise<number> {
  if (opts.adopt !== undefined) {
    if (!opts.as) throw new UsageError('scenarios --adopt needs --as <email>: the CFO');
    if (!opts.reason?.trim())
      throw new UsageError('scenarios --adopt needs --reason "<why>": adopting changes the budget');
    const { options, done } = operationOptions(global, opts.as);
    const adopted = await withLockedWorkbook(file, (port) =>
      runOperation(port, adoptScenario, { scenario: opts.adopt ?? '', reason: opts.reason ?? '' }, options),
    );
    done();
    const { r, json } = await withReceipts(file, adopted, opts.receipts);
    return printResult('scenarios', r, global, {
      lines: (r.applied ?? []).map((a) => `    ${a}`),
      json: { file, adopted: opts.adopt, ...(r.applied ? { applied: r.applied } : {}), ...json },
    });
  }
  const unapproved = unapprovedOf(opts.unapproved);
  const { options, done } = operationOptions(global);
  const r = await withLockedWorkbook(file, (port) => runOperation(port, scenarios, { unapproved }, options), {
    readOnly: true,
  });
  done();
  const lines: string[] = [];
  for (const s of r.scenarios ?? []) {
    lines.push(
      `${s.name}${s.proposals.length ? ` (proposals ${s.proposals.join(', ')})` : ''}${s.removed.length ? ` (without ${s.removed.join(', ')})` : ''}:`,
    );
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
