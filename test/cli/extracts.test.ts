/**
 * Extracts from the accounting system. `budgetline import <wb> <extract> --by-site`: one extract
 * holding every site's lines, read once (in Windows-1252 as Excel on Windows saves it), written once
 * into each site's sheet, or not at all. `budgetline actuals <wb> <extract> --as-of`: year-to-date
 * actuals into the Actuals sheet, and budget vs actual per site and fund.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { budgetOf, readWorkbook, siteSheetsOf, SHEETS } from '../../core';
import { runDemo } from '../../cli/demo/run';
import { XlsxPort } from '../../cli/xlsx-port';
import { runCli, tempDir } from './helpers';

jest.setTimeout(180_000);

let dir: string;
let cleanup: () => void;
let demo: string;
let n = 0;
const copy = (): string => {
  const f = join(dir, `copy-${++n}.xlsx`);
  copyFileSync(demo, f);
  return f;
};

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  const run = await runDemo(
    join(dir, 'demo'),
    { schools: 4, seed: 7 },
    { now: () => '2026-11-28T09:30:00.000Z' },
  );
  demo = run.workbook;
});
afterAll(() => cleanup());

async function sites(file: string): Promise<{ code: string; name: string; sheet: string; state: string }[]> {
  const snap = await (await XlsxPort.open(file)).read({ sheets: 'all', state: true });
  const wb = readWorkbook(snap);
  return wb.sites.map((s) => ({
    code: s.code,
    name: s.name,
    sheet: s.sheet,
    state: budgetOf(wb.state, s.code).state,
  }));
}

/** Text as Windows-1252 bytes (é and curly quotes as Excel on Windows writes them). */
function cp1252(text: string): Buffer {
  const special: Record<string, number> = { '“': 0x93, '”': 0x94 };
  return Buffer.from([...text].map((c) => special[c] ?? c.charCodeAt(0)));
}

interface JsonOut {
  ok: boolean;
  summary: string;
  lines: number;
  sites: { code: string; sheet: string; imported: number; appended: boolean }[];
  diagnostics: { code: string; sheet: string | null; cell: string | null }[];
}

describe('import --by-site', () => {
  it('puts each line of a Windows-1252 extract into its site sheet, one report per site', async () => {
    const file = copy();
    const drafts = (await sites(file)).filter((s) => s.state === 'draft');
    expect(drafts.length).toBeGreaterThanOrEqual(2);
    const [a, b] = drafts as [(typeof drafts)[number], (typeof drafts)[number]];
    const before = (await XlsxPort.open(file)).sheet(a.sheet)?.length ?? 0;
    const csv = join(dir, 'extract.csv');
    writeFileSync(
      csv,
      cp1252(
        [
          'Org,GL Account,Desc,FY26 Budget',
          `${a.code},100-1000-610-100-${a.code},Café “supplies”,1250.00`,
          `${b.code},100-1000-610-100-${b.code},Paper,300`,
          `${b.code},100-1000-610-100-${b.code},Ink,-20.5`,
          '',
        ].join('\r\n'),
      ),
    );
    const r = await runCli([
      'import',
      file,
      csv,
      '--by-site',
      '--site-column',
      'Org',
      '--map',
      'Account=GL Account,Description=Desc,Amount=FY26 Budget',
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(
      `Read ${csv} as Windows-1252 (detected: the file is not valid UTF-8): 3 lines.`,
    );
    expect(r.stdout).toContain(`  ${a.code} ${a.sheet}: 1 line added after the lines there`);
    expect(r.stdout).toMatch(/Imported 3 lines from extract\.csv into 2 sites/);
    const port = await XlsxPort.open(file);
    const gridA = port.sheet(a.sheet) ?? [];
    expect(gridA).toHaveLength(before + 1);
    expect(gridA.at(-1)?.slice(0, 3)).toEqual(['Line', `100-1000-610-100-${a.code}`, 'Café “supplies”']);
    expect((port.sheet(b.sheet) ?? []).slice(-2).map((row) => [row[1], row[2], row[5]])).toEqual([
      [`100-1000-610-100-${b.code}`, 'Paper', 300],
      [`100-1000-610-100-${b.code}`, 'Ink', -20.5],
    ]);
  });

  it('refuses the whole file, every problem on its row, and leaves the workbook as it was', async () => {
    const file = copy();
    const all = await sites(file);
    const draft = all.find((s) => s.state === 'draft');
    const locked = all.find((s) => s.state === 'approved' || s.state === 'submitted');
    expect(draft && locked).toBeDefined();
    const csv = join(dir, 'bad.csv');
    writeFileSync(
      csv,
      [
        'Site,Account,Description,Amount',
        `${draft?.code},100-1000-610-100-${draft?.code},Paper,"$1,200.00"`,
        `999,100-1000-610-100-999,Paper,5`,
        `${locked?.code},100-1000-610-100-${locked?.code},Paper,5`,
        `${draft?.code},100-1000-6118-100-${draft?.code},Typo,5`,
      ].join('\n'),
    );
    const bytes = readFileSync(file);
    const r = await runCli(['import', file, csv, '--by-site', '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as JsonOut;
    expect(out.ok).toBe(false);
    expect(out.sites).toEqual([]);
    expect(out.lines).toBe(4);
    expect(out.diagnostics.map((d) => `${d.code}@${d.sheet}!${d.cell}`)).toEqual([
      'BL841@bad.csv!D2',
      'BL840@bad.csv!A3',
      'BL821@bad.csv!A4',
      'BL102@bad.csv!B5',
    ]);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('reads an .xlsx extract (its first sheet; amounts typed as numbers stay numbers)', async () => {
    const file = copy();
    const [a] = (await sites(file)).filter((s) => s.state === 'draft');
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Extract');
    sheet.addRow(['Site', 'Account', 'Description', 'Amount']);
    sheet.addRow([a?.code, `100-1000-610-100-${a?.code}`, 'Paper', 1234.5]);
    sheet.addRow([a?.code, `100-1000-610-100-${a?.code}`, 'Ink', '$20.00']);
    const xlsx = join(dir, 'extract.xlsx');
    await book.xlsx.writeFile(xlsx);
    const bad = JSON.parse((await runCli(['import', file, xlsx, '--by-site', '--json'])).stdout) as JsonOut;
    expect(bad.diagnostics.map((d) => `${d.code}@${d.sheet}!${d.cell}`)).toEqual(['BL841@extract.xlsx!D3']);
    sheet.spliceRows(3, 1);
    await book.xlsx.writeFile(xlsx);
    const r = await runCli(['import', file, xlsx, '--by-site']);
    // Imported; the demo's own mistakes already on that sheet are still reported (exit 1).
    expect(r.stdout).toMatch(/Imported 1 line from extract\.xlsx into 1 site/);
    expect(r.stdout).toContain(`Read ${xlsx}: 1 line.`);
    const grid = (await XlsxPort.open(file)).sheet(a?.sheet ?? '') ?? [];
    expect(grid.at(-1)?.slice(0, 6)).toEqual([
      'Line',
      `100-1000-610-100-${a?.code}`,
      'Paper',
      null,
      null,
      1234.5,
    ]);
  });

  it('exits 2 for --sheet with --by-site, and for neither', async () => {
    const csv = join(dir, 'x.csv');
    writeFileSync(csv, 'Account,Amount\n100-1000-610-100-101,5\n');
    const both = await runCli(['import', copy(), csv, '--by-site', '--sheet', '101']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either --sheet <site> or --by-site/);
    const neither = await runCli(['import', copy(), csv]);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/--by-site for an extract holding every site/);
  });
});

describe('actuals', () => {
  it('imports actuals as of a date, shows budget vs actual by site and fund, flags lines; the report alone is read-only', async () => {
    const file = copy();
    const snap = await (await XlsxPort.open(file)).read({ sheets: 'all', state: true });
    const ledger = siteSheetsOf(readWorkbook(snap), snap).flatMap((s) => s.ledger);
    const [first, second] = ledger.filter((l) => l.cents > 0) as [
      (typeof ledger)[number],
      (typeof ledger)[number],
    ];
    const csv = join(dir, 'actuals.csv');
    writeFileSync(
      csv,
      [
        'Org,Account,YTD Actual,Encumbered,Posting date',
        `${first.site},${first.account},${((first.cents + 100_000) / 100).toFixed(2)},0,2027-02-01`,
        `${second.site},${second.account},-12.50,,2026-08-15`,
        `${second.site},${second.account},${(second.cents / 400).toFixed(2)},100,2026-12-01`,
      ].join('\n'),
    );
    const r = await runCli(['actuals', file, csv, '--as-of', '2027-03-31']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Budget vs actual as of 2027-03-31, by site:');
    expect(r.stdout).toContain('By fund:');
    expect(r.stdout).toMatch(new RegExp(`${first.site} ${first.account} {2}over budget`));
    expect(r.stdout).toMatch(/1 refund, kept as negative actuals/);
    const actuals = (await XlsxPort.open(file)).sheet(SHEETS.actuals) ?? [];
    expect(actuals[0]).toEqual(['Site', 'Account', 'Actual', 'Encumbered', 'As of']);
    expect(actuals.length).toBeGreaterThanOrEqual(2);

    const bytes = readFileSync(file);
    const report = await runCli(['actuals', file, '--json']);
    expect(report.code).toBe(0);
    const j = JSON.parse(report.stdout) as { report: { asOf: string; district: { actualCents: number } } };
    expect(j.report.asOf).toBe('2027-03-31');
    expect(j.report.district.actualCents).toBe(first.cents + 100_000 - 1250 + Math.round(second.cents / 4));
    expect(readFileSync(file).equals(bytes)).toBe(true);

    writeFileSync(
      csv,
      ['Org,Account,YTD Actual,Posting date', `${first.site},${first.account},5,2027-07-01`].join('\n'),
    );
    const late = await runCli(['actuals', file, csv, '--as-of', '2027-03-31', '--json']);
    expect(late.code).toBe(1);
    expect(
      (JSON.parse(late.stdout) as JsonOut).diagnostics.map((d) => `${d.code}@${d.sheet}!${d.cell}`),
    ).toEqual(['BL844@actuals.csv!D2']);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    const noDate = await runCli(['actuals', file, csv]);
    expect(noDate.code).toBe(2);
    expect(noDate.stderr).toMatch(/--as-of 2027-03-31/);
  });
});

describe('forecast', () => {
  it('forecasts each line from the actuals, says how, and reports ending fund balances; read-only', async () => {
    const file = copy();
    const snap = await (await XlsxPort.open(file)).read({ sheets: 'all', state: true });
    const ledger = siteSheetsOf(readWorkbook(snap), snap).flatMap((s) => s.ledger);
    const first = ledger.find((l) => l.cents > 0) as (typeof ledger)[number];
    const csv = join(dir, 'ytd.csv');
    writeFileSync(csv, ['Org,Account,YTD Actual', `${first.site},${first.account},900.00`].join('\n'));
    expect((await runCli(['actuals', file, csv, '--as-of', '2027-03-31'])).code).toBe(0);
    const bytes = readFileSync(file);
    const r = await runCli(['forecast', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${first.site} ${first.account}`);
    expect(r.stdout).toContain(
      'straight-line (the default): $900.00 in 9.0 of 12 months, $300.00 more at that rate',
    );
    expect(r.stdout).toContain("Estimated ending fund balances (next year's beginning balances):");
    const j = JSON.parse((await runCli(['forecast', file, '--json'])).stdout) as {
      lines: { account: string; site: string; forecastCents: number; how: string }[];
      funds: { fund: string; endingBalanceCents: number }[];
      nextYearBeginning: { fund: string; beginningBalanceCents: number }[];
    };
    const line = j.lines.find((l) => l.account === first.account && l.site === first.site);
    expect(line?.forecastCents).toBe(120_000);
    expect(j.nextYearBeginning).toEqual(
      j.funds.map((f) => ({ fund: f.fund, beginningBalanceCents: f.endingBalanceCents })),
    );
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });
});
