/**
 * The demo's board steps (issue 15), after the budget is built: the principals whose schools were
 * refused fix their mistakes and are approved, the board adopts the budget (the CFO records the
 * vote), and one amendment is drafted by a principal, approved by the budget office with its
 * resolution and applied by the CFO; the original vs final budget is shown for what changed.
 */
import { OFFICE } from './proposals';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { reconciliationLines } from '../commands/consolidate';
import { writeFileAtomic } from '../files';
import {
  budgetColumns,
  formatCents,
  operations,
  receiptLine,
  runOperation,
  SHEETS,
  cellText,
  type OperationOptions,
  type Receipt,
  type WorkbookPort,
} from '../../core';
import type { DemoDistrict } from './generate';
import type { DemoStep } from './run';

/** The board vote the demo records. */
export const DEMO_VOTE = { date: '2026-06-18', resolution: '2026-27' } as const;
const AMENDMENT_RESOLUTION = '2026-41';
/** The ERP format of the demo's exports (run.ts's). */
const FINAL_FORMAT = 'erp-budget';

const signed = (c: number): string => `${c > 0 ? '+' : ''}${formatCents(c)}`;

export async function boardSteps(
  port: WorkbookPort,
  d: DemoDistrict,
  base: Pick<OperationOptions, 'now' | 'progress'>,
  receiptsFile: string,
): Promise<DemoStep[]> {
  const steps: DemoStep[] = [];
  const receipts: Receipt[] = [];
  const as = (email: string): OperationOptions => ({ ...base, actAs: { email, verified: false } });

  /** A site's budget submitted by `builder` and approved by the approver: "submitted and approved", or why not. */
  const submitAndApprove = async (site: string, builder: string, comment: string): Promise<string> => {
    const s = await runOperation(port, operations.submit, { site, comment }, as(builder));
    const a = s.ok
      ? await runOperation(port, operations.approve, { site, comment: 'Approved.' }, as(d.people.approver))
      : s;
    receipts.push(...(s.receipts ?? []), ...(a !== s ? (a.receipts ?? []) : []));
    return a.ok ? 'submitted and approved' : a.summary;
  };

  // 13. the refused schools fix their mistakes, submit, and are approved.
  const fixed: string[] = [];
  for (const m of d.mistakes) {
    if (m.fix === undefined) continue;
    const site = d.sites.find((s) => s.code === m.site);
    if (!site) continue;
    await port.write({ sheets: [{ sheet: m.sheet, at: m.cell, values: [[m.fix]] }] });
    const done = await submitAndApprove(m.site, site.principal, 'Fixed.');
    fixed.push(`${m.sheet}!${m.cell} corrected to ${cellText(m.fix)}: ${done}`);
  }
  // The district office (added for the district-wide proposals) submits its budget and is approved too:
  // the board adopts the whole district's budget.
  const office = await runOperation(port, operations.status, {}, as(d.people.cfo));
  if (office.view.sites.some((x) => x.code === OFFICE.code && x.state !== 'approved'))
    fixed.push(
      `${OFFICE.name} (${OFFICE.code}): ${await submitAndApprove(OFFICE.code, OFFICE.builder, 'District office budget.')}`,
    );
  steps.push({
    step: 'fix',
    ok: fixed.every((f) => f.endsWith('approved')),
    summary: `${fixed.length} budgets fixed or completed and approved: every site is approved.`,
    details: fixed,
    diagnostics: [],
  });

  // 14. the board adopts the budget; the CFO records the vote.
  const adopted = await runOperation(port, operations.adopt, DEMO_VOTE, as(d.people.cfo));
  receipts.push(...(adopted.receipts ?? []));
  steps.push({
    step: 'adopt',
    ok: adopted.ok,
    summary: adopted.summary,
    details: [],
    diagnostics: adopted.diagnostics.filter((x) => x.severity === 'fatal'),
  });

  // 15. one amendment: a principal moves money between two of the school's lines; the budget
  // office approves it with the board's resolution, the CFO applies it.
  const snap = await port.read({ sheets: [SHEETS.adopted] });
  const school = d.sites[0];
  const lines = (snap.sheets[SHEETS.adopted] ?? [])
    .slice(1)
    .filter((r) => cellText(r[0]) === school?.code && Number(r[3]) === 0 && Number(r[4]) >= 2_500);
  const from = lines[0];
  // Into another function (the second segment), so that original vs final differs by function too.
  const fn = (r: readonly unknown[] | undefined): string => cellText(r?.[1] as string).split('-')[1] ?? '';
  const to =
    lines.find((r) => fn(r) !== fn(from)) ?? lines.find((r) => cellText(r[1]) !== cellText(from?.[1]));
  const details: string[] = [];
  let ok = false;
  if (school && from && to) {
    const id = 'A-1';
    const add = await runOperation(
      port,
      operations.amend,
      {
        step: 'add',
        id,
        site: school.code,
        accounts: [cellText(from[1]), cellText(to[1])],
        amounts: ['-2,500.00', '2,500.00'],
        reason: `Move $2,500.00 from ${cellText(from[2])} to ${cellText(to[2])}`,
      },
      as(school.principal),
    );
    const approve = await runOperation(
      port,
      operations.amend,
      { step: 'approve', id, resolution: AMENDMENT_RESOLUTION },
      as(d.people.approver),
    );
    const apply = await runOperation(port, operations.amend, { step: 'apply', id }, as(d.people.cfo));
    for (const r of [add, approve, apply]) {
      receipts.push(...(r.receipts ?? []));
      details.push(r.summary);
    }
    ok = add.ok && approve.ok && apply.ok;
    const all = await port.read({ sheets: 'all', state: true });
    const c = budgetColumns(all);
    details.push('original vs final, where they differ:');
    for (const [label, rows] of [
      ['object', c.byObject],
      ['function', c.byFunction],
      ['site', c.bySite],
    ] as const)
      for (const r of rows.filter((x) => x.varianceCents !== 0))
        details.push(
          `  ${label} ${r.key} (${r.class}): original ${formatCents(r.originalCents)}, final ${formatCents(r.finalCents)}, variance ${signed(r.varianceCents)}`,
        );
    for (const t of c.totals)
      details.push(
        `  total ${t.class}: original ${formatCents(t.originalCents)}, final ${formatCents(t.finalCents)}, variance ${signed(t.varianceCents)}`,
      );
  }
  steps.push({
    step: 'amend',
    ok,
    summary: ok
      ? `Amendment A-1 drafted by ${school?.principal ?? ''}, approved by ${d.people.approver} (resolution ${AMENDMENT_RESOLUTION}), applied by ${d.people.cfo}: each an audit row with a receipt.`
      : 'The amendment was not applied.',
    details,
    diagnostics: [],
  });
  await appendFile(receiptsFile, receipts.map((r) => `${receiptLine(r)}\n`).join(''));
  return steps;
}

/**
 * After the amendment (h22): the Master Budget and the ERP file carry the FINAL budget, reconciled
 * original → final class by class and fund by fund; the accounting system that loaded the adopted
 * budget gets the amendment alone, as signed changes. The files go to `dir`.
 */
export async function finalSteps(
  port: WorkbookPort,
  d: DemoDistrict,
  base: Pick<OperationOptions, 'now' | 'progress'>,
  dir: string,
  receiptsFile: string,
): Promise<DemoStep[]> {
  const receipts: Receipt[] = [];
  const as = (email: string): OperationOptions => ({ ...base, actAs: { email, verified: false } });
  const c = await runOperation(port, operations.consolidate, { unapproved: 'exclude' }, as(d.people.cfo));
  receipts.push(...(c.receipts ?? []));
  const full = await runOperation(port, operations.exportBudget, { format: FINAL_FORMAT }, as(d.people.cfo));
  const changes = await runOperation(
    port,
    operations.exportBudget,
    { format: FINAL_FORMAT, amendments: 'all' },
    as(d.people.cfo),
  );
  const written: string[] = [];
  for (const x of [full, changes]) {
    receipts.push(...(x.receipts ?? []));
    if (x.ok && x.content !== undefined && x.fileName) {
      const file = join(dir, x.fileName);
      await writeFileAtomic(file, x.content);
      written.push(`${x.summary} Written to ${file}.`);
    } else written.push(x.summary);
  }
  await appendFile(receiptsFile, receipts.map((r) => `${receiptLine(r)}\n`).join(''));
  return [
    {
      step: 'final',
      ok: c.ok && full.ok,
      summary: `${c.summary}${c.budget ? ` ${c.budget.text}.` : ''}`,
      details: [
        ...reconciliationLines(c.reconciliation ?? []).map((l) => `  ${l}`),
        ...(written[0] ? [`  export: ${written[0]}`] : []),
      ],
      diagnostics: [...c.diagnostics, ...full.diagnostics].filter((x) => x.severity === 'fatal'),
    },
    {
      step: 'changes',
      ok: changes.ok,
      summary: written[1] ?? changes.summary,
      details: (changes.content ?? '')
        .trim()
        .split('\r\n')
        .map((l) => `  ${l}`),
      diagnostics: changes.diagnostics.filter((x) => x.severity === 'fatal'),
    },
  ];
}
