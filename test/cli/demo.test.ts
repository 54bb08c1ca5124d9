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
import { runDemo } from '../../cli/demo/run';
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
      { schools: 6, seed: 11 },
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
    const port = await XlsxPort.open(r.workbook);
    expect(port.sheetNames()).toContain('Master Budget');
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

  it('prints a summary of each step through the command, and --json', async () => {
    const out = join(dir, 'command');
    const r = await runCli(['demo', '--out', out, '--schools', '5', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { steps: { step: string }[]; workbook: string; export: string };
    expect(j.steps).toHaveLength(12);
    expect(existsSync(j.workbook) && existsSync(j.export)).toBe(true);
    const bad = await runCli(['demo', '--out', out, '--schools', 'many']);
    expect(bad.code).toBe(2);
  });

  it('writes a workbook LibreOffice Calc opens, with every sheet and value where we put it', async () => {
    const r = await runDemo(
      join(dir, 'lo'),
      { schools: 4, seed: 3 },
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
