/**
 * The demo (a small district, through runDemo and through main(argv)), and LibreOffice Calc opening what we write:
 * `soffice --headless --convert-to csv` with a fresh profile per run, every sheet to its own CSV.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { proposalLinesOnSheets, readWorkbook } from '../../core';
import { generateDemo } from '../../cli/demo/generate';
import { demoReport, runDemo } from '../../cli/demo/run';
import { XlsxPort } from '../../cli/xlsx-port';
import { runCli, tempDir } from './helpers';

jest.setTimeout(240_000);
const run = promisify(execFile);

describe('demo generator', () => {
  it('is deterministic for a seed, and differs between seeds', () => {
    expect(JSON.stringify(generateDemo({ schools: 10, seed: 1 }))).toBe(
      JSON.stringify(generateDemo({ schools: 10, seed: 1 })),
    );
    expect(JSON.stringify(generateDemo({ schools: 10, seed: 1 }))).not.toBe(
      JSON.stringify(generateDemo({ schools: 10, seed: 2 })),
    );
  });

  it('makes about 40 schools of each level with Title I status, and four deliberate mistakes', () => {
    const d = generateDemo();
    expect(d.sites).toHaveLength(40);
    expect(new Set(d.sites.map((s) => s.band))).toEqual(new Set(['Elementary', 'Middle', 'High']));
    expect(d.sites.some((s) => s.titleI) && d.sites.some((s) => !s.titleI)).toBe(true);
    expect(new Set(d.sites.map((s) => s.code)).size).toBe(40);
    expect(d.mistakes).toHaveLength(4);
  });
});

describe('demo', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => ({ dir, cleanup } = tempDir('budgetline-demo-')));
  afterAll(() => cleanup());

  it('runs every step and finds each deliberate mistake', async () => {
    const r = await runDemo(
      join(dir, 'in-process'),
      // The board packet's PDF is made once, by the command below (LibreOffice is slow).
      { schools: 6, seed: 11, pdf: false },
      { now: () => '2026-11-28T09:30:00.000Z' },
    );
    expect(r.steps.map((s) => s.step)).toEqual([
      'init',
      'populate',
      'allocate',
      'validate',
      'submit',
      'approve',
      'consolidate',
      'export',
      'projection',
      'proposals',
      'decide',
      'scenarios',
      'report',
    ]);
    const validate = r.steps.find((s) => s.step === 'validate');
    const found = new Set(validate?.diagnostics.map((d) => `${d.sheet ?? ''}!${d.cell ?? ''}`));
    for (const m of r.district.mistakes.filter((x) => !x.what.startsWith('Title I')))
      expect(found).toContain(`${m.sheet}!${m.cell}`);
    expect(validate?.diagnostics.map((d) => d.code)).toEqual(
      expect.arrayContaining(['BL104', 'BL007', 'BL102', 'BL501']),
    );
    const consolidated = r.steps.find((s) => s.step === 'consolidate');
    expect(consolidated?.details[0]).toMatch(/^Control totals \(agree\): expenditure Master Budget/);
    expect(consolidated?.details).toEqual(
      expect.arrayContaining([expect.stringMatching(/^100 General Fund +revenues \$[\d,.]+, expenditures/)]),
    );
    // The projection: the general fund deficit-spends by the third year, and the demo says why.
    const projected = r.steps.find((s) => s.step === 'projection');
    expect(projected?.summary).toMatch(
      /^Projection FY2027–FY2029: 3 funds, .* deficit spending in FY2029: fund 100\.$/,
    );
    expect(projected?.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^fund 100 \(General Fund\) deficit-spends \$[\d,.]+ in FY2029; what moved it:$/,
        ),
        expect.stringMatching(/Salary increase 2\.5% on objects 110-199/),
      ]),
    );
    // Proposals: a dozen, ranked; leadership accepts those above the funding line and defers or
    // rejects the rest, each decision an audit row; two scenarios against the base.
    const ranked = r.steps.find((s) => s.step === 'proposals');
    expect(ranked?.summary).toMatch(
      /^12 proposals, 12 ranked; \d+ proposals? above the funding line, [1-9]\d* proposals? below\.$/,
    );
    const decided = r.steps.find((s) => s.step === 'decide');
    expect(decided?.ok).toBe(true);
    expect(
      decided?.details.some((x) => / accepted by .*: Above the three-year funding line .* added to /.test(x)),
    ).toBe(true);
    expect(decided?.details.some((x) => / (deferred|rejected) by .*: /.test(x))).toBe(true);
    // An approved school is reopened for its accepted proposal, then submitted and approved again.
    expect(
      decided?.details.some((x) =>
        /whose budget is approved: an approved or submitted budget does not change silently/.test(x),
      ),
    ).toBe(true);
    const compared = r.steps.find((s) => s.step === 'scenarios');
    expect(compared?.summary).toBe('2 scenarios compared with the base, FY2027–FY2029.');
    expect(
      compared?.details.filter((x) =>
        /^(Base|Without accepted proposals|Lean year) FY20(27|28|29): /.test(x),
      ),
    ).toHaveLength(9);
    expect(r.export && existsSync(r.export)).toBe(true);
    const packet = r.steps.find((s) => s.step === 'report');
    expect(packet?.summary).toMatch(/^Board report written \(PROPOSED\): 8 sheets, .*; no PDF asked for\.$/);
    const port = await XlsxPort.open(r.workbook);
    expect(port.sheetNames()).toContain('Master Budget');
    expect(port.sheetNames()).toContain('Report – Funds');
    // Each accepted proposal's lines are in a site's sheet, carrying its ID.
    const accepted = (decided?.details ?? []).flatMap(
      (x) => /^Proposal (P-\d\d) .* accepted by /.exec(x)?.[1] ?? [],
    );
    expect(accepted.length).toBeGreaterThan(0);
    const snap = await port.read({ sheets: 'all', state: true });
    const placed = proposalLinesOnSheets(readWorkbook(snap), snap).map((l) => l.id);
    expect([...new Set(placed)].sort()).toEqual([...accepted].sort());
    expect(Object.keys(port.protectedSheets()).length).toBeGreaterThan(0);
  });

  it('starts the year from the accounting system: one extract, actuals, forecast, roll-forward with the known cost changes', async () => {
    const r = await runDemo(
      join(dir, 'start-of-year'),
      { schools: 6, seed: 11 },
      { now: () => '2026-11-28T09:30:00.000Z' },
    );
    const act = r.startOfYear;
    expect(act.steps.map((s) => [s.step, s.ok])).toEqual([
      ['extract', true],
      ['import', true],
      ['actuals', true],
      ['forecast', true],
      ['roll-forward', true],
    ]);
    const step = (name: string) => act.steps.find((s) => s.step === name);
    // All six schools from one file, in the accounting system's own layout.
    const csv = readFileSync(join(act.dir, 'erp-budget-fy2026-all-sites.csv'), 'utf8').split('\r\n');
    expect(csv[0]).toBe(
      'Org,Line Type,GL Account,Line Description,Qty,Unit Price,FY26 Budget,Non-Recurring,Job Class,Employee Name,Position Number,FTE,Split Pct,Comments,GL Account 2,Split Pct 2',
    );
    expect(new Set(csv.slice(1, -1).map((l) => l.split(',')[0])).size).toBe(6);
    expect(step('import')?.summary).toMatch(
      /^import --by-site: \d+ lines and positions into 6 schools' sheets, the whole file checked and written at once\.$/,
    );
    // Actuals as of March 31: lines over budget are flagged, the refund is kept, encumbrances counted.
    expect(step('actuals')?.summary).toMatch(
      /Actuals as of 2026-03-31: \d+ lines, [1-9]\d* lines? over budget, .*1 refund\./,
    );
    expect(step('actuals')?.details[0]).toMatch(/[1-9]\d* with open orders$/);
    expect(step('forecast')?.summary).toMatch(
      /^Forecast of FY2026 as of 2026-03-31: \d+ lines \(\d+ seasonal, \d+ straight-line\)/,
    );
    // Roll-forward: each known cost change named, in the stated order, one school in full.
    const rolled = step('roll-forward');
    expect(rolled?.summary).toMatch(
      /^FY2027: \d+ lines and positions carried forward, \d+ one-time lines dropped; 8 known cost changes applied as \d+ change lines \(\$[\d,.]+\)\. Beginning balances: the forecast ending balance of FY2026 \(actuals as of 2026-03-31\)\./,
    );
    const order = (rolled?.details ?? [])
      .map((l) => /^ {4}(CC-\d\d) /.exec(l)?.[1])
      .filter((x): x is string => x !== undefined);
    // District-wide first, then the school's own list, each in the order applied.
    expect(order.slice(0, 8)).toEqual([
      'CC-08',
      'CC-01',
      'CC-02',
      'CC-03',
      'CC-04',
      'CC-05',
      'CC-06',
      'CC-07',
    ]);
    expect(rolled?.details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ {4}CC-01 raise \+3% on CVTA: \d+ positions: \+\$[\d,.]+$/),
        expect.stringMatching(
          /^ {4}drops .* Chromebooks for a classroom cart \$[\d,.]+ \(marked One-time at /,
        ),
      ]),
    );
    // The forecast's estimated ending balance is next year's beginning balance, fund by fund.
    expect(act.balances.length).toBe(3);
    for (const b of act.balances) expect(b.beginningCents).toBe(b.forecastEndingCents);
    // Next year's site sheets carry the change lines, each naming its change; the typed lines are as they were.
    const next = await XlsxPort.open(act.next);
    const site = r.district.sites[0];
    const rows = next.sheet(site?.name ?? '') ?? [];
    const changeRows = rows.filter((row) => /^CC-\d\d: /.test(String(row[2] ?? '')));
    expect(changeRows.length).toBeGreaterThan(5);
    const notesAt = (rows[0] ?? []).indexOf('Notes');
    expect(notesAt).toBeGreaterThan(0);
    expect(
      changeRows.every((row) =>
        /^Cost change CC-\d\d \(Cost Changes!A\d+\), FY2027: /.test(String(row[notesAt])),
      ),
    ).toBe(true);
    expect(next.sheet('Cost Changes')?.length).toBe(10);
    // The whole demo's report prints act one first, numbered apart from the budget year's steps.
    const report = demoReport(r);
    expect(report).toMatch(/^Act one: the start of the year — FY2026 from the accounting system/m);
    expect(report).toMatch(/^A5\. roll-forward FY2027: /m);
    expect(report).toMatch(/^Act two: the FY2027 budget, school by school\n1\. init {9}/m);
  });

  it('goes on, with board: true, to fix the refused schools, adopt the budget and apply one amendment', async () => {
    const r = await runDemo(
      join(dir, 'board'),
      { schools: 6, seed: 11, board: true, pdf: false },
      { now: () => '2026-06-18T19:30:00.000Z' },
    );
    const steps = r.steps.slice(12);
    expect(steps.map((s) => [s.step, s.ok])).toEqual([
      ['fix', true],
      ['adopt', true],
      ['amend', true],
      ['report', true],
      ['final', true],
      ['changes', true],
    ]);
    // After the amendment the Master Budget and the export are the FINAL budget, reconciled; the
    // amendment alone goes out as signed changes.
    expect(steps[4]?.summary).toContain('Master Budget written (FINAL budget as of amendment A-1)');
    expect(steps[4]?.details[0]).toBe(
      '  Original → final (reconciles): original + amendments = final, per class and fund:',
    );
    const finalFile = /Written to (\S+-erp-budget-final-A-1\.csv)\./.exec(
      steps[4]?.details.join('\n') ?? '',
    )?.[1];
    const changesFile = /Written to (\S+-erp-budget-amendments-A-1\.csv)\./.exec(
      steps[5]?.summary ?? '',
    )?.[1];
    const rows = (f: string | undefined) =>
      readFileSync(f ?? '', 'utf8')
        .trim()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(','));
    const changes = rows(changesFile);
    expect(changes.map((c) => c[5])).toEqual(['-2500.00', '2500.00']);
    // Each changed account's final amount is the adopted amount plus the change.
    const adoptedRows =
      (await (await XlsxPort.open(r.workbook)).read({ sheets: ['Adopted Budget'] })).sheets[
        'Adopted Budget'
      ]?.slice(1) ?? [];
    const final = rows(finalFile);
    for (const [, unit, account, , , delta] of changes) {
      const adopted = adoptedRows
        .filter((a) => a[0] === unit && a[1] === account)
        .reduce((n, a) => n + Math.round(Number(a[4]) * 100), 0);
      const line = final.filter((f) => f[1] === unit && f[2] === account);
      expect(line).toHaveLength(1);
      expect(Math.round(Number(line[0]?.[5]) * 100)).toBe(adopted + Math.round(Number(delta) * 100));
    }
    // The packet after the board's steps: ADOPTED, from the chain.
    expect(steps[3]?.summary).toMatch(/^Board report written \(ADOPTED 2026-06-18 \(Resolution 2026-27\)\)/);
    expect(steps[1]?.summary).toMatch(/^ADOPTED on 2026-06-18 \(resolution 2026-27\): 7 sites/);
    const amend = steps[2]?.details ?? [];
    // Original vs final for what changed: $2,500.00 moved from one object to another, totals equal.
    const objects = amend.filter((x) => x.startsWith('  object '));
    expect(objects).toHaveLength(2);
    expect(objects.join('\n')).toMatch(
      /variance -\$2,500\.00[\s\S]*variance \+\$2,500\.00|variance \+\$2,500\.00[\s\S]*variance -\$2,500\.00/,
    );
    expect(amend.find((x) => x.startsWith('  total expenditure'))).toMatch(/variance \$0\.00$/);
    // The workbook verifies, its receipts included.
    const v = await runCli([
      'verify',
      r.workbook,
      '--as',
      r.district.people.cfo,
      '--receipts',
      `${r.workbook}.receipts.jsonl`,
    ]);
    expect(v.code).toBe(0);
    expect((await runCli(['status', r.workbook])).stdout).toContain(
      'ADOPTED by the board on 2026-06-18, resolution 2026-27.',
    );
  });

  it('prints a summary of each step through the command, and --json', async () => {
    const out = join(dir, 'command');
    const r = await runCli(['demo', '--out', out, '--schools', '5', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      steps: { step: string; summary: string }[];
      workbook: string;
      export: string;
      boardPacket: string;
    };
    expect(j.steps).toHaveLength(18);
    expect((j as unknown as { startOfYear: { steps: unknown[] } }).startOfYear.steps).toHaveLength(5);
    // The command goes on to the board's steps (fix, adopt, amend), then the board packet: ADOPTED.
    expect(j.steps.map((s) => s.step).slice(12)).toEqual([
      'fix',
      'adopt',
      'amend',
      'report',
      'final',
      'changes',
    ]);
    expect(j.steps[15]?.summary).toMatch(
      /^Board report written \(ADOPTED 2026-06-18 \(Resolution 2026-27\)\)/,
    );
    expect(existsSync(j.workbook) && existsSync(j.export)).toBe(true);
    // The board packet: six pages or more (charts are looked at in test/cli/report.test.ts).
    expect(j.boardPacket).toBe(join(out, 'board-packet.pdf'));
    const pages = Number(/board-packet\.pdf: (\d+) pages/.exec(j.steps[15]?.summary ?? '')?.[1]);
    expect(pages).toBeGreaterThanOrEqual(6);
    const info = await run('pdfinfo', [j.boardPacket]);
    expect(info.stdout).toMatch(new RegExp(`Pages:\\s+${pages}\\n`));
    const bad = await runCli(['demo', '--out', out, '--schools', 'many']);
    expect(bad.code).toBe(2);
  });

  it('writes a workbook LibreOffice Calc opens, with every sheet and value where we put it', async () => {
    const r = await runDemo(
      join(dir, 'lo'),
      { schools: 4, seed: 3, pdf: false },
      { now: () => '2026-11-28T09:30:00.000Z' },
    );
    const outdir = join(dir, 'lo-csv');
    const profile = `file://${join(dir, 'lo-profile')}`;
    await run(
      'soffice',
      [
        `-env:UserInstallation=${profile}`,
        '--headless',
        '--convert-to',
        // Every sheet to its own CSV (last token -1), UTF-8 (76), comma-separated, quoted text.
        'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
        '--outdir',
        outdir,
        r.workbook,
      ],
      { timeout: 180_000 },
    );
    const files = readdirSync(outdir);
    const csv = (sheet: string): string => readFileSync(join(outdir, `demo-district-${sheet}.csv`), 'utf8');
    expect(files).toEqual(
      expect.arrayContaining(['demo-district-Setup.csv', 'demo-district-Master Budget.csv']),
    );
    expect(csv('Setup')).toMatch(/^District,Cedar Valley Unified School District$/m);
    const mistake = r.district.mistakes[0];
    const site = csv(mistake?.sheet ?? '').split('\n');
    expect(site[0]).toMatch(/^Type,Account,Description,Quantity,Unit cost,Amount/);
    const row = Number(/\d+$/.exec(mistake?.cell ?? '')?.[0]);
    expect(site[row - 1]).toMatch(/^Line,100-1000-641-100-\d{3},Classroom library books,/);
    expect(csv('Sites')).toMatch(/^"?\d{3}"?,/m);
  });
});
