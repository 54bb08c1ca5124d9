/**
 * adoptScenario: the CFO adopts a named scenario of the Scenarios sheet into the budget — a
 * deliberate, audited step; the base is untouched until then. One read, one write (or nothing):
 *
 * - its percent changes (enrollment change, salary increase, funding-rate change) become rows of the
 *   Assumptions sheet, one per projected year, noted with the scenario's name;
 * - its one-time cuts become one-time lines (negative amounts) on the sheets of the sites their
 *   accounts name — refused while such a site is submitted or approved (it is reopened first);
 * - its proposals are not decided by adoption: a scenario that turns on proposals not yet in the
 *   budget, or off accepted ones, is refused until leadership decides them (`decide`);
 * - one audit row on the budgets' chain (site "Scenario <name>", action adopt) recording what was
 *   applied, with a receipt. A scenario is adopted once: the chain says whether it was.
 */
import { makeEntry, verifyAuditLog } from '../approval/audit';
import { receiptForEntry } from '../approval/receipts';
import { escapeField, sha256Hex } from '../approval/hash';
import { normalizeEmail } from '../approval/roles';
import { cellText, type CellValue } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { formatCents } from '../money';
import type { DocumentState, SheetWrite, WriteBatch } from '../port/types';
import { readProposals, readScenarios, type Proposal } from '../proposals';
import { normalizeHeader } from '../tables';
import { ASSUMPTIONS_TABLE, formatsFor, formatsOf, headerOf, rowOf, SHEETS } from '../workbook/schema';
import type { Operation } from './api';
import { auditWrite, cfoOf, refuse, result } from './common';
import { projectionBase } from './projection';
import { appendSiteRows, marksAfter, proposalContext, siteOfLine } from './proposal-budget';
import type { AdoptScenarioArgs, AdoptScenarioResult } from './propose';
import { chainOf, siteState, storedStateOf } from './trust';

const ASSUMPTION_NAMES: Readonly<Record<string, string>> = {
  enrollment: 'Enrollment change',
  salary: 'Salary increase',
  cola: 'COLA',
};

/** A percentage in parts per million as typed in a sheet: 25_000 → "2.5%". */
const percentText = (ppm: number): string => `${ppm / 10_000}%`;

const sameName = (a: string, b: string): boolean => normalizeHeader(a) === normalizeHeader(b);

export const adoptScenario: Operation<AdoptScenarioArgs, AdoptScenarioResult> = {
  name: 'adoptScenario',
  reads: () => ({ sheets: 'all', state: true, user: true }),
  run(snap, args, options) {
    const name = args.scenario.trim();
    const notDone = `Scenario "${name}" was not adopted`;
    const base = projectionBase(snap, 'include-marked', 'adoption');
    if ('refused' in base) return { result: base.refused };
    const { wb, validator } = base;
    const cfo = cfoOf(wb, snap.user, options, 'adopt-scenario');
    if ('refused' in cfo) return { result: refuse([cfo.refused], `${notDone}: ${cfo.refused.message}.`) };
    if (snap.stateDiagnostics?.length)
      return {
        result: refuse(
          snap.stateDiagnostics,
          `${notDone}: Budgetline's record of approvals cannot be read, and would be overwritten.`,
        ),
      };
    const refusal = (problem: string): { result: AdoptScenarioResult } => ({
      result: refuse([diag('BL918', { scenario: name, problem })], `${notDone}: ${problem}.`),
    });
    if (!args.reason.trim()) return refusal('adopting a scenario needs a reason');
    const grid = snap.sheets[SHEETS.scenarios];
    if (!grid)
      return {
        result: refuse(
          [diag('BL801', { sheet: SHEETS.scenarios, purpose: 'what-if scenarios' })],
          `${notDone}: the workbook has no Scenarios sheet.`,
        ),
      };
    const proposalGrid = snap.sheets[SHEETS.proposals];
    const proposals: readonly Proposal[] = proposalGrid
      ? readProposals(proposalGrid, proposalContext(wb, snap, validator)).rows
      : [];
    const read = readScenarios(grid, {
      validator,
      proposals: new Set(proposals.map((p) => p.id.toUpperCase())),
    });
    const scenario = read.rows.find((s) => sameName(s.name, name));
    if (!scenario)
      return {
        result: refuse(
          [diag('BL919', { scenario: name, known: read.rows.map((s) => s.name) })],
          `${notDone}: there is no such scenario.`,
        ),
      };
    // Its rows, exactly as read: nothing is adopted from a row with a finding.
    const rowsOf = (r: readonly CellValue[]): boolean => sameName(cellText(r[0]), scenario.name);
    const mine = read.diagnostics.filter((d) => {
      const row = d.cell ? Number(/\d+$/.exec(d.cell)?.[0] ?? 0) - 1 : -1;
      return row > 0 && rowsOf(grid[row] ?? []);
    });
    if (mine.some((d) => d.severity === 'fatal'))
      return { result: refuse(mine, `${notDone}: fix its rows on the Scenarios sheet.`) };

    const chain = chainOf(snap, wb);
    const stored = storedStateOf(snap);
    const broken = [
      ...chain.findings,
      ...verifyAuditLog(chain.log, stored.kind === 'present' ? stored.lastAuditHash : undefined),
    ];
    if (broken.length)
      return {
        result: refuse(
          broken,
          `${notDone}: the audit log cannot be trusted, so nothing is added to it. Run verify.`,
        ),
      };
    const earlier = chain.log.find(
      (e) => e.action === 'adopt-scenario' && sameName(e.site, `Scenario ${scenario.name}`),
    );
    if (earlier) return refusal(`it was adopted on ${earlier.at} by ${earlier.actor}`);

    // Proposals are leadership's decisions, not adoption's.
    const inBase = new Set(base.inBudget.map((p) => p.id.toUpperCase()));
    const on = scenario.proposals;
    if (on?.on) {
      const wanted = on.ids.length
        ? proposals.filter((p) => on.ids.includes(p.id.toUpperCase()))
        : proposals.filter((p) => p.status === 'accepted');
      const missing = wanted.filter((p) => !inBase.has(p.id.toUpperCase())).map((p) => p.id);
      if (missing.length)
        return refusal(
          `it turns on proposals not in the budget (${missing.join(', ')}): accept them with decide first`,
        );
    } else if (on && inBase.size)
      return refusal(
        `it turns accepted proposals off (${base.inBudget.map((p) => p.id).join(', ')}): reject or defer them with decide first`,
      );

    const sheets: SheetWrite[] = [];
    const applied: string[] = [];
    const problems: Diagnostic[] = [];
    // One-time cuts: lines on the sites their accounts name.
    for (const cut of scenario.cuts) {
      const code = siteOfLine({ site: '', account: cut.account }, wb, validator);
      const site = wb.sites.find((s) => s.code === code);
      if (!site) {
        problems.push(
          diag(
            'BL918',
            {
              scenario: scenario.name,
              problem: `the cut on ${cut.account} names no site of the Sites table`,
            },
            cut.where,
          ),
        );
        continue;
      }
      const state = siteState(chain, site.code).state;
      if (state === 'submitted' || state === 'approved') {
        problems.push(
          diag(
            'BL918',
            {
              scenario: scenario.name,
              problem: `its cut on ${cut.account} would change site ${site.code}, whose budget is ${state}: return or reopen it first`,
            },
            cut.where,
          ),
        );
        continue;
      }
      const after = { ...snap, sheets: { ...snap.sheets } };
      // Several cuts on one site go one under the other.
      for (const w of sheets.filter((x) => x.sheet === site.sheet))
        after.sheets[site.sheet] = [...(after.sheets[site.sheet] ?? []), ...w.values];
      const { writes, from } = appendSiteRows(
        site,
        [
          {
            type: 'Line',
            account: cut.account,
            description: `One-time cut (scenario ${scenario.name})`,
            amount: -cut.cents / 100,
            oneTime: 'Yes',
            notes: `scenario ${scenario.name} adopted ${options.now().slice(0, 10)}`,
          },
        ],
        after,
        validator,
      );
      sheets.push(...writes);
      applied.push(
        `one-time cut of ${formatCents(cut.cents)} on ${cut.account}: ${site.sheet} row ${from + 1}`,
      );
    }
    if (problems.length) return { result: refuse(problems, `${notDone}: nothing was changed.`) };
    // Percent changes: Assumptions rows, one per projected year.
    const assumptionRows = scenario.assumptions.map((a) =>
      rowOf(ASSUMPTIONS_TABLE, {
        year: a.year,
        assumption: ASSUMPTION_NAMES[a.kind] ?? a.kind,
        fund: a.fund ?? null,
        appliesTo: a.appliesTo.join(', ') || null,
        value: percentText(a.ppm ?? 0),
        notes: `scenario ${scenario.name} adopted: ${args.reason.trim()}`,
      }),
    );
    if (assumptionRows.length) {
      const existing = snap.sheets[SHEETS.assumptions];
      if (!existing || existing.length === 0)
        sheets.push({
          sheet: SHEETS.assumptions,
          values: [headerOf(ASSUMPTIONS_TABLE), ...assumptionRows],
          header: true,
          columnFormats: formatsOf(ASSUMPTIONS_TABLE) ?? [],
        });
      else {
        // In the sheet's own column order.
        const header = existing[0] ?? [];
        const declared = headerOf(ASSUMPTIONS_TABLE).map(normalizeHeader);
        const values = assumptionRows.map((r) =>
          header.map((h) => {
            const i = declared.indexOf(normalizeHeader(h));
            return i >= 0 ? (r[i] ?? null) : null;
          }),
        );
        let last = existing.length - 1;
        while (last > 0 && (existing[last] ?? []).every((v) => cellText(v).trim() === '')) last--;
        sheets.push({
          sheet: SHEETS.assumptions,
          at: `A${last + 2}`,
          values,
          columnFormats: formatsFor(ASSUMPTIONS_TABLE, header),
        });
      }
      for (const a of scenario.assumptions)
        applied.push(
          `${ASSUMPTION_NAMES[a.kind] ?? a.kind} ${percentText(a.ppm ?? 0)} in FY${base.fiscalYear + a.year}${a.fund ? ` (fund ${a.fund})` : ''}`,
        );
    }
    if (!applied.length)
      return refusal(
        'it changes nothing in the budget (its proposals are decided, and it has no other change)',
      );

    const at = options.now();
    const content = grid
      .filter((r, i) => i > 0 && rowsOf(r))
      .map((r) => r.map((v) => escapeField(cellText(v))).join('\t'))
      .join('\n');
    const entry = makeEntry({
      at,
      site: `Scenario ${scenario.name}`,
      action: 'adopt-scenario',
      actor: normalizeEmail(cfo.actor.email),
      role: 'cfo',
      identity: cfo.actor.identity,
      contentHash: sha256Hex(content),
      comment: `adopted: ${args.reason.trim()} [${applied.join('; ')}]`,
      prevHash: chain.head,
    });
    sheets.push(auditWrite(snap, [entry]));
    const state: DocumentState = {
      version: 1,
      sites: Object.fromEntries(chain.replay.sites),
      lastAuditHash: entry.hash,
    };
    const cuts = sheets.filter((w) => wb.sites.some((x) => x.sheet === w.sheet));
    const write: WriteBatch = { sheets, ...(cuts.length ? marksAfter(snap, cuts, options) : {}), state };
    return {
      result: {
        ...result(
          true,
          cfo.diagnostics,
          `Scenario "${scenario.name}" adopted by ${entry.actor}: ${args.reason.trim()}.`,
        ),
        applied,
        receipts: [receiptForEntry(entry, chain.log.length + 1)],
      },
      write,
    };
  },
};
