/**
 * `budgetline demo --out <dir>`: a sample district built and taken through the year's budget steps,
 * each through the same operations every host calls. Act one, the start of the year (start-of-year.ts):
 *   extract → import --by-site → actuals → forecast → roll-forward with the known cost changes
 * on the current year's workbook (<dir>/start-of-year/). Then the budget year:
 *   init → populate → validate → allocate → submit → approve → consolidate → export → projection →
 *   proposals → decide → scenarios → (the command: fix → adopt → amend) → board report
 * Leaves <dir>/demo-district.xlsx and the ERP export in <dir>, and prints a summary of each step.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  cellText,
  formatCents,
  formatDiagnostic,
  operations,
  boardReport,
  BENEFITS_TABLE,
  formatsFor,
  formatsOf,
  headerOf,
  FORMULA_TABLE,
  JOB_TYPES_TABLE,
  ROLES_TABLE,
  projection,
  ASSUMPTIONS_TABLE,
  COMMUNITY_TABLE,
  decide,
  FUND_BALANCES_TABLE,
  proposals,
  PROPOSALS_TABLE,
  RUBRIC_TABLE,
  scenarios,
  SCENARIOS_TABLE,
  SCORES_TABLE,
  REVENUES_TABLE,
  runOperation,
  SETUP_HEADER,
  SETUP_TABLE,
  SHEETS,
  SITES_TABLE,
  siteSheetWrite,
  sortDiagnostics,
  tableWrite,
  type CellValue,
  type Diagnostic,
  type OperationOptions,
  type SheetWrite,
  type TableDecl,
  receiptLine,
  type Receipt,
} from '../../core';
import { newWorkbook } from '../context';
import { writeFileAtomic } from '../files';
import { controlLine, fundLines } from '../commands/consolidate';
import { convertToPdf, packetWorkbook, pdfPageCount } from '../commands/report';
import { generateDemo, type DemoDistrict } from './generate';
import { runStartOfYear, type StartOfYear } from './start-of-year';
import { boardSteps, finalSteps } from './board';
import { OFFICE, officeWrites } from './proposals';

export interface DemoStep {
  readonly step: string;
  readonly ok: boolean;
  readonly summary: string;
  readonly details: readonly string[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface DemoRun {
  /** Act one: the start of the year, from the accounting system to next year's starting budget. */
  readonly startOfYear: StartOfYear;
  readonly workbook: string;
  readonly export: string | undefined;
  /** The board packet PDF (absent without LibreOffice or with `pdf: false`). */
  readonly boardPacket?: string;
  readonly steps: readonly DemoStep[];
  readonly district: DemoDistrict;
}

const EXPORT_FORMAT = 'erp-budget';

/** Setup with the demo's settings applied to what a new workbook has. */
function setupRows(existing: readonly (readonly CellValue[])[], d: DemoDistrict): CellValue[][] {
  const rows = existing.map((r) => [...r]);
  if (rows.length === 0) rows.push([...SETUP_HEADER]);
  for (const [key, value] of d.settings) {
    const i = rows.findIndex((r, k) => k > 0 && cellText(r[0]).trim().toLowerCase() === key.toLowerCase());
    if (i > 0) (rows[i] as CellValue[])[1] = value;
    else rows.push([key, value]);
  }
  return rows;
}

/** A demo table on its sheet, with the formats its declaration gives the columns its header names. */
function demoTable(decl: TableDecl, grid: CellValue[][]): SheetWrite {
  // Every declared column, in the declared order (a new workbook already has the table with this
  // header, as an Excel table whose header Budgetline does not change): the generator's columns
  // are moved under their headers, the others left blank.
  const given = (grid[0] ?? []).map((h) => String(h ?? ''));
  const header = headerOf(decl);
  const from = header.map((h) => given.indexOf(h));
  const extra = given.filter((h) => !header.includes(h));
  if (extra.length) throw new Error(`demo table ${decl.sheet} has undeclared columns: ${extra.join(', ')}`);
  const full = grid.map((row, i) =>
    i === 0 ? [...header] : from.map((c) => (c >= 0 ? (row[c] ?? null) : null)),
  );
  const formats = formatsOf(decl) && formatsFor(decl, header);
  return tableWrite(decl.sheet, full, formats);
}

export async function runDemo(
  dir: string,
  /**
   * `board`: go on to the board's steps (fix, adopt, amend) before the board packet: the `demo`
   * command does; fixtures stop before. `pdf: false`: no PDF of the packet.
   */
  opts: { schools?: number; seed?: number; board?: boolean; pdf?: boolean },
  base: Pick<OperationOptions, 'now' | 'progress'>,
): Promise<DemoRun> {
  await mkdir(dir, { recursive: true });
  const d = generateDemo(opts);
  // Act one: the start of the year, on the current year's own workbook.
  const startOfYear = await runStartOfYear(dir, d, opts.seed ?? 2027, base);
  const file = join(dir, 'demo-district.xlsx');
  const port = await newWorkbook(file, true);
  const steps: DemoStep[] = [];
  const step = (s: DemoStep): void => {
    steps.push(s);
  };
  const as = (email: string): OperationOptions => ({ ...base, actAs: { email, verified: false } });
  // Every step's receipt, left beside the workbook (demo-district.xlsx.receipts.jsonl).
  const receipts: Receipt[] = [];

  // 1. init
  const created = await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: d.fiscalYear, district: d.district },
    as(d.people.cfo),
  );
  step({
    step: 'init',
    ok: created.ok,
    summary: created.summary,
    details: [],
    diagnostics: created.diagnostics,
  });

  // 2. populate: the district's tables and every school's sheet, in one write.
  const snap = await port.read({ sheets: [SHEETS.setup] });
  const writes: SheetWrite[] = [
    tableWrite(SHEETS.setup, setupRows(snap.sheets[SHEETS.setup] ?? [], d), formatsOf(SETUP_TABLE)),
    demoTable(SITES_TABLE, d.tables.sites),
    demoTable(JOB_TYPES_TABLE, d.tables.jobTypes),
    demoTable(BENEFITS_TABLE, d.tables.benefits),
    demoTable(FORMULA_TABLE, d.tables.formula),
    demoTable(ROLES_TABLE, d.tables.roles),
    demoTable(REVENUES_TABLE, d.tables.revenues),
    demoTable(FUND_BALANCES_TABLE, d.tables.fundBalances),
    demoTable(ASSUMPTIONS_TABLE, d.tables.assumptions),
    demoTable(PROPOSALS_TABLE, d.tables.proposals),
    demoTable(RUBRIC_TABLE, d.tables.rubric),
    demoTable(SCORES_TABLE, d.tables.scores),
    demoTable(COMMUNITY_TABLE, d.tables.community),
    demoTable(SCENARIOS_TABLE, d.tables.scenarios),
    ...d.sites.map((s) => siteSheetWrite(s.name, s.rows)),
  ];
  await port.write({ sheets: writes });
  const lines = d.sites.reduce((n, s) => n + s.rows.length, 0);
  step({
    step: 'populate',
    ok: true,
    summary: `${d.sites.length} schools (${d.sites.filter((s) => s.band === 'Elementary').length} elementary, ${d.sites.filter((s) => s.band === 'Middle').length} middle, ${d.sites.filter((s) => s.band === 'High').length} high; ${d.sites.filter((s) => s.titleI).length} Title I), ${d.sites.reduce((n, s) => n + s.enrollment, 0).toLocaleString('en-US')} students, ${lines} lines and positions.`,
    details: d.mistakes.map((m) => `deliberate mistake: ${m.sheet}!${m.cell} ${m.what}`),
    diagnostics: [],
  });

  // 3. allocate (before validation, so that validation checks the sites against their allocations)
  const alloc = await runOperation(port, operations.computeAllocations, {}, base);
  step({
    step: 'allocate',
    ok: alloc.ok,
    summary: alloc.summary,
    details: [],
    diagnostics: alloc.diagnostics,
  });

  // 4. validate
  const checked = await runOperation(port, operations.validateSites, {}, base);
  step({
    step: 'validate',
    ok: checked.ok,
    summary: `${lines} lines and positions checked. ${checked.summary}`,
    details: [],
    diagnostics: checked.diagnostics,
  });

  // 5. submit: each principal submits their school; a school with a fatal finding is refused.
  const submitted: string[] = [];
  const refused: string[] = [];
  for (const [i, s] of d.sites.entries()) {
    base.progress?.(i, d.sites.length, `submit ${s.name}`);
    const r = await runOperation(
      port,
      operations.submit,
      { site: s.code, comment: 'Ready for review.' },
      as(s.principal),
    );
    receipts.push(...(r.receipts ?? []));
    (r.ok ? submitted : refused).push(s.code);
  }
  step({
    step: 'submit',
    ok: submitted.length > 0,
    summary: `${submitted.length} of ${d.sites.length} schools submitted; ${refused.length} refused because of fatal findings (${refused.join(', ') || 'none'}).`,
    details: [],
    diagnostics: [],
  });

  // 6. approve: the budget office approves every submitted school.
  let approved = 0;
  for (const [i, code] of submitted.entries()) {
    base.progress?.(i, submitted.length, `approve ${code}`);
    const r = await runOperation(
      port,
      operations.approve,
      { site: code, comment: 'Approved.' },
      as(d.people.approver),
    );
    receipts.push(...(r.receipts ?? []));
    if (r.ok) approved++;
  }
  step({
    step: 'approve',
    ok: approved === submitted.length,
    summary: `${approved} schools approved by ${d.people.approver}.`,
    details: [],
    diagnostics: [],
  });

  // 7. consolidate the approved schools into the Master Budget.
  const c = await runOperation(port, operations.consolidate, { unapproved: 'exclude' }, as(d.people.cfo));
  receipts.push(...(c.receipts ?? []));
  step({
    step: 'consolidate',
    ok: c.ok,
    summary: c.summary,
    details: [...(c.control ? [controlLine(c.control)] : []), ...fundLines(c).map((l) => l.trimStart())],
    diagnostics: c.diagnostics,
  });

  // 8. export for the accounting system.
  const e = await runOperation(port, operations.exportBudget, { format: EXPORT_FORMAT }, as(d.people.cfo));
  let exported: string | undefined;
  if (e.ok && e.content !== undefined) {
    exported = join(dir, e.fileName ?? `demo-district-${EXPORT_FORMAT}.csv`);
    await writeFileAtomic(exported, e.content);
    receipts.push(...(e.receipts ?? []));
  }
  await writeFileAtomic(`${file}.receipts.jsonl`, receipts.map((r) => `${receiptLine(r)}\n`).join(''));
  step({
    step: 'export',
    ok: e.ok,
    summary: exported ? `${e.summary} Written to ${exported}.` : e.summary,
    details: [],
    diagnostics: e.diagnostics,
  });
  // 9. the three-year projection (read-only) of every school's plan, unapproved ones included (a
  // planning view): which fund deficit-spends, and why.
  const p = await runOperation(port, projection, { unapproved: 'include-marked' }, as(d.people.cfo));
  const last = p.years?.[p.years.length - 1];
  const details: string[] = ['every school included, approved or not (a planning view)'];
  for (const y of p.years ?? [])
    details.push(
      `FY${y.fiscalYear}: ${y.funds
        .map(
          (f) =>
            `fund ${f.fund} net ${formatCents(f.netChangeCents)}, ending ${formatCents(f.endingBalanceCents)}${f.reservePercent === null ? '' : ` (${f.reservePercent}%)`}`,
        )
        .join('; ')}`,
    );
  for (const f of last?.funds ?? [])
    if (f.netChangeCents < 0) {
      details.push(
        `fund ${f.fund} (${f.name}) deficit-spends ${formatCents(-f.netChangeCents)} in FY${last?.fiscalYear}; what moved it:`,
      );
      for (const ch of (p.changes ?? []).filter((x) => x.fund === f.fund))
        details.push(`  FY${ch.fiscalYear} ${ch.cents >= 0 ? '+' : ''}${formatCents(ch.cents)}  ${ch.text}`);
    }
  step({ step: 'projection', ok: p.ok, summary: p.summary, details, diagnostics: p.diagnostics });

  // 10. the proposals, ranked by the reviewers' weighted scores, against the funding line over
  // the budget year and the two after it.
  const ranked = await runOperation(port, proposals, { unapproved: 'include-marked' }, as(d.people.cfo));
  step({
    step: 'proposals',
    ok: ranked.ok,
    summary: ranked.summary,
    details: [
      ...(ranked.funding
        ? [
            `general fund above its 3% reserve at the tightest of FY${d.fiscalYear}–FY${d.fiscalYear + 2}: ${formatCents(ranked.funding.availableCents)}; above the line ${formatCents(ranked.funding.costCents)} in the budget year, ${formatCents(ranked.funding.leftCents)} left at the tightest`,
          ]
        : []),
      ...(ranked.proposals ?? []).map(
        (x) =>
          `${String(x.rank ?? '-').padStart(2)}. ${x.id} ${x.title} (${x.type}, ${x.recurrence}, ${formatCents(x.amountsCents[0])}) score ${x.score?.toFixed(2) ?? '-'}, community ${x.community.support} for / ${x.community.oppose} against: ${x.fundingReason}`,
      ),
    ],
    diagnostics: ranked.diagnostics,
  });

  // 11. leadership decides: those above the line accepted (their lines go into the sites' sheets),
  // the next two deferred, the rest rejected. The district office becomes a budget unit first, for
  // the district-wide proposals; a school already approved is reopened, and submitted and approved
  // again with the accepted lines — an approved budget never changes silently.
  const office = await port.read({ sheets: [SHEETS.sites, SHEETS.roles] });
  await port.write({
    sheets: officeWrites(office.sheets[SHEETS.sites] ?? [], office.sheets[SHEETS.roles] ?? []),
  });
  const below = ranked.funding?.below ?? [];
  const views = new Map((ranked.proposals ?? []).map((x) => [x.id, x]));
  const decisions: string[] = [
    `the ${OFFICE.name} (site ${OFFICE.code}) added to the Sites table, for the district-wide proposals' lines`,
  ];
  let decidedOk = true;
  for (const id of [...(ranked.funding?.fits ?? []), ...below]) {
    const k = below.indexOf(id);
    const why = views.get(id)?.fundingReason ?? '';
    const decision = k < 0 ? 'accept' : k < 2 ? 'defer' : 'reject';
    const reason =
      k < 0
        ? `Above the three-year funding line (${why})`
        : k < 2
          ? `Next in line: revisit at the second interim report (${why})`
          : `Below the three-year funding line this year (${why})`;
    let r = await runOperation(port, decide, { proposal: id, decision, reason }, as(d.people.cfo));
    const locked = r.diagnostics.find((x) => x.code === 'BL914');
    const school = d.sites.find((x) => locked?.message.includes(`site ${x.code},`));
    if (locked && school) {
      decisions.push(`${id} refused at first: ${locked.message}`);
      const steps = [
        await runOperation(
          port,
          operations.reopen,
          { site: school.code, comment: `to add accepted proposal ${id}` },
          as(d.people.cfo),
        ),
        (r = await runOperation(port, decide, { proposal: id, decision, reason }, as(d.people.cfo))),
        await runOperation(
          port,
          operations.submit,
          { site: school.code, comment: `with accepted proposal ${id}` },
          as(school.principal),
        ),
        await runOperation(
          port,
          operations.approve,
          { site: school.code, comment: 'Approved with the accepted proposal.' },
          as(d.people.approver),
        ),
      ];
      for (const x of steps) receipts.push(...(x.receipts ?? []));
      decidedOk &&= steps.every((x) => x.ok);
      decisions.push(
        `  ${school.name} reopened by ${d.people.cfo}, ${id} accepted, submitted again by ${school.principal} and approved by ${d.people.approver}`,
      );
    }
    receipts.push(...(r.receipts ?? []));
    decidedOk &&= r.ok;
    decisions.push(r.ok ? r.summary : `${id} not decided: ${r.summary}`);
  }
  await writeFileAtomic(`${file}.receipts.jsonl`, receipts.map((r) => `${receiptLine(r)}\n`).join(''));
  step({
    step: 'decide',
    ok: decidedOk,
    summary: `${(ranked.funding?.fits ?? []).length + below.length} proposals decided by ${d.people.cfo}, each an audit row; ${(ranked.funding?.fits ?? []).length} accepted into the sites' lines.`,
    details: decisions,
    diagnostics: [],
  });

  // 12. the scenarios side by side (read-only): the base is not changed.
  const sc = await runOperation(port, scenarios, { unapproved: 'include-marked' }, as(d.people.cfo));
  step({
    step: 'scenarios',
    ok: sc.ok,
    summary: sc.summary,
    details: (sc.scenarios ?? []).flatMap((x) =>
      x.years.map((y) => {
        const gf = y.funds.find((f) => f.fund === '100');
        return `${x.name} FY${y.fiscalYear}: general fund ending ${formatCents(gf?.endingBalanceCents ?? 0)}${gf?.reservePercent === null || gf === undefined ? '' : ` (${gf.reservePercent}%)`}, ${gf?.fte.toFixed(1) ?? 0} FTE, ${formatCents(y.district.perPupilCents ?? 0)} per pupil`;
      }),
    ),
    diagnostics: sc.diagnostics,
  });
  // 13-15. the board: fixes, adoption, one amendment (cli/demo/board.ts).
  if (opts.board) steps.push(...(await boardSteps(port, d, base, `${file}.receipts.jsonl`)));
  // The board packet: the report sheets (with charts) written into the demo workbook, and the packet
  // as a PDF made by LibreOffice from those sheets alone. After the board's steps the chain says
  // ADOPTED, and the packet shows the original budget against the final one.
  const packetArgs = opts.board ? {} : { status: { kind: 'proposed' as const } };
  const packetSnap = await port.read(boardReport.reads(packetArgs));
  const packet = boardReport.run(packetSnap, packetArgs, as(d.people.cfo));
  let boardPacket: string | undefined;
  let pdfNote = 'no PDF asked for';
  if (packet.write) {
    await port.write(packet.write);
    if (opts.pdf !== false) {
      const tmp = await mkdtemp(join(tmpdir(), 'budgetline-demo-'));
      try {
        const pdf = await readFile(await convertToPdf(await packetWorkbook(packet.write, tmp), tmp));
        boardPacket = join(dir, 'board-packet.pdf');
        await writeFileAtomic(boardPacket, pdf);
        pdfNote = `board-packet.pdf: ${pdfPageCount(pdf)} pages`;
      } catch (e) {
        // Without LibreOffice the report sheets are still in the workbook, to print from Excel.
        pdfNote = `no PDF: ${(e as Error).message}`;
      } finally {
        await rm(tmp, { recursive: true, force: true });
      }
    }
  }
  step({
    step: 'report',
    ok: packet.result.ok,
    summary: `${packet.result.summary.replace(/\.$/, '')}; ${pdfNote}.`,
    details: [],
    diagnostics: packet.result.diagnostics,
  });
  // After the amendment: the final budget consolidated and exported, the amendment alone exported.
  if (opts.board) steps.push(...(await finalSteps(port, d, base, dir, `${file}.receipts.jsonl`)));
  return {
    startOfYear,
    workbook: file,
    export: exported,
    ...(boardPacket ? { boardPacket } : {}),
    steps,
    district: d,
  };
}

/** The demo's report, step by step, findings as a principal sees them (the first few of each step). */
export function demoReport(run: DemoRun, maxFindings = 8): string {
  const out: string[] = [
    `Budgetline demo: ${run.district.district}, FY${run.district.fiscalYear}, NCES chart`,
    '',
    `Act one: the start of the year — FY${run.district.fiscalYear - 1} from the accounting system to FY${run.district.fiscalYear}'s starting budget (${run.startOfYear.dir})`,
  ];
  run.startOfYear.steps.forEach((s, i) => {
    out.push(`A${i + 1}. ${s.step.padEnd(12)} ${s.summary}`);
    for (const dline of s.details) out.push(`      ${dline}`);
    const ds = sortDiagnostics(s.diagnostics);
    const whole = `budgetline ${s.step} --json lists all`;
    for (const x of ds.slice(0, maxFindings)) out.push(`      ${formatDiagnostic(x, { whole })}`);
  });
  out.push('', `Act two: the FY${run.district.fiscalYear} budget, school by school`);
  run.steps.forEach((s, i) => {
    out.push(`${i + 1}. ${s.step.padEnd(12)} ${s.summary}`);
    for (const dline of s.details) out.push(`     ${dline}`);
    const ds = sortDiagnostics(s.diagnostics.filter((x) => x.code !== 'BL809'));
    const whole = `budgetline ${s.step} --json lists all`;
    for (const x of ds.slice(0, maxFindings)) out.push(`     ${formatDiagnostic(x, { whole })}`);
    if (ds.length > maxFindings)
      out.push(`     … and ${ds.length - maxFindings} more (budgetline validate ${run.workbook})`);
  });
  out.push('', `Workbook: ${run.workbook}`);
  out.push(`Start of year: ${run.startOfYear.current} → ${run.startOfYear.next}`);
  if (run.export) out.push(`Export:   ${run.export}`);
  if (run.boardPacket) out.push(`Packet:   ${run.boardPacket}`);
  return out.join('\n');
}
