/**
 * `budgetline report`: the board packet as a PDF made by LibreOffice (one conversion, shared by the
 * tests), its text compared with the consolidation's totals to the cent, its pages looked at as
 * pictures; the report sheets as an .xlsx with native charts (DrawingML) and print setup, written
 * losslessly into a user's own workbook (every part Budgetline does not own byte for byte), and
 * rewritten without a second chart.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { boardReport, operations, runOperation, type WriteBatch } from '../../core';
import { runDemo } from '../../cli/demo/run';
import { Package } from '../../cli/xlsx/package';
import { topLevel } from '../../cli/xlsx/xml';
import { XlsxPort } from '../../cli/xlsx-port';
import { fixLines, ROOT, runCli, tempDir } from './helpers';

jest.setTimeout(300_000);
const run = promisify(execFile);
const now = (): string => '2026-11-28T09:30:00.000Z';

/** "1,234,567.89", or "(1,234.56)" for a negative amount: the accounting format's text. */
function accounting(cents: number): string {
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  const text = `${whole}.${String(abs % 100).padStart(2, '0')}`;
  return cents < 0 ? `(${text})` : text;
}

/** Coloured pixels of one page (pdftoppm): chart fills are coloured, text and rules are grey. */
async function colouredPixels(pdf: string, page: number, dir: string): Promise<number> {
  const prefix = join(dir, `page-${page}`);
  await run('pdftoppm', ['-r', '40', '-f', String(page), '-l', String(page), '-singlefile', pdf, prefix]);
  const img = readFileSync(`${prefix}.ppm`);
  // P6 header: magic, width, height, maxval, each followed by whitespace; then RGB triples.
  const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(img.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('not a PPM image');
  let coloured = 0;
  for (let i = header[0].length; i + 2 < img.length; i += 3) {
    const r = img[i] as number;
    const g = img[i + 1] as number;
    const b = img[i + 2] as number;
    if (Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
  }
  return coloured;
}

/** The page (1-based) whose text contains `marker`. */
async function pageWith(pdf: string, pages: number, marker: string): Promise<number> {
  for (let p = 1; p <= pages; p++) {
    const { stdout } = await run('pdftotext', ['-f', String(p), '-l', String(p), '-layout', pdf, '-']);
    if (stdout.includes(marker)) return p;
  }
  throw new Error(`no page shows "${marker}"`);
}

/** The text of every top-level child element of a part. */
function childTexts(xml: string): string[] {
  return topLevel(xml).children.map((c) => xml.slice(c.start, c.end));
}

function childOf(xml: string, name: string): string | undefined {
  const c = topLevel(xml).children.find((x) => x.name === name);
  return c ? xml.slice(c.start, c.end) : undefined;
}

describe('budgetline report', () => {
  let dir: string;
  let cleanup: () => void;
  let workbook: string;
  let cfo: string;
  let pdf: string;
  let xlsx: string;
  let cli: { code: number | null; stdout: string; stderr: string };
  let before: Buffer;

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir('budgetline-report-'));
    const demo = await runDemo(join(dir, 'demo'), { schools: 6, seed: 11 }, { now });
    workbook = demo.workbook;
    cfo = demo.district.people.cfo;
    before = readFileSync(workbook);
    pdf = join(dir, 'board-packet.pdf');
    xlsx = join(dir, 'report.xlsx');
    // The one LibreOffice conversion every test below looks at.
    cli = await runCli(['report', workbook, '--out', pdf, '--xlsx', xlsx, '--as', cfo]);
  });
  afterAll(() => cleanup());

  test('writes the PDF and the report sheets, and leaves the workbook as it was', () => {
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/Board packet written to .*board-packet\.pdf: \d+ pages\./);
    expect(readFileSync(workbook).equals(before)).toBe(true);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  });

  test('the PDF has six pages or more, and its totals are the consolidation’s to the cent', async () => {
    const { stdout: info } = await run('pdfinfo', [pdf]);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(6);
    expect(cli.stdout).toContain(`: ${pages} pages.`);
    const { stdout: text } = await run('pdftotext', ['-layout', pdf, '-']);
    const port = await XlsxPort.open(workbook, { readOnly: true });
    const c = await runOperation(
      port,
      operations.consolidate,
      { unapproved: 'exclude' },
      { now, actAs: { email: cfo, verified: false } },
    );
    expect(c.ok).toBe(true);
    for (const f of [...(c.funds ?? []), c.district!]) {
      expect(text).toContain(accounting(f.expendituresCents));
      expect(text).toContain(accounting(f.revenuesCents));
      expect(text).toContain(accounting(f.endingBalanceCents));
    }
    expect(text).toContain(`Page 1 of ${pages}`);
    expect(text).toContain('DRAFT');
    expect(text).toContain('Cedar Valley');
    // Only the report sheets are in the PDF: no site sheet, no Master Budget.
    expect(text).not.toContain('Master Budget');
    expect(text).not.toMatch(/Control totals/);
  });

  test('chart pages are not blank: each has a chart’s coloured area, a page of figures has none', async () => {
    const { stdout: info } = await run('pdfinfo', [pdf]);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    const images = join(dir, 'pages');
    mkdirSync(images, { recursive: true });
    const staffing = await colouredPixels(
      pdf,
      await pageWith(pdf, pages, 'District — Staffing (FTE by job type)'),
      images,
    );
    expect(staffing).toBeLessThan(20);
    for (const marker of [
      'District — Fund summary',
      'District — Three-year projection',
      'District — Sites and per-pupil spending',
    ]) {
      expect(await colouredPixels(pdf, await pageWith(pdf, pages, marker), images)).toBeGreaterThan(1000);
    }
  });

  test('the .xlsx holds only the report sheets, with well-formed chart parts their content types and relationships name', async () => {
    const port = await XlsxPort.open(xlsx, { readOnly: true });
    expect(port.sheetNames()).toEqual([
      'Report – Cover',
      'Report – Funds',
      'Report – Projection',
      'Report – Expenditures',
      'Report – Sites',
      'Report – Staffing',
      'Report – Prior Year',
      'Report – Proposals',
    ]);
    const pkg = await Package.read(readFileSync(xlsx));
    const charts = pkg.names().filter((n) => /^xl\/charts\/chart\d+\.xml$/.test(n));
    const drawings = pkg.names().filter((n) => /^xl\/drawings\/drawing\d+\.xml$/.test(n));
    expect(charts).toHaveLength(3);
    expect(drawings).toHaveLength(3);
    const types = pkg.text('[Content_Types].xml') ?? '';
    for (const c of charts)
      expect(types).toContain(
        `PartName="/${c}" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"`,
      );
    for (const d of drawings)
      expect(types).toContain(
        `PartName="/${d}" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"`,
      );
    // Every chart is the target of a drawing's relationship; every drawing of a sheet's <drawing>.
    const chartTargets = drawings.flatMap((d) => pkg.rels(d).map((r) => r.target));
    expect(chartTargets.sort()).toEqual([...charts].sort());
    const xmlDir = join(dir, 'xml');
    mkdirSync(xmlDir, { recursive: true });
    const files = [...charts, ...drawings, '[Content_Types].xml', 'xl/workbook.xml'].map((n, i) => {
      const f = join(xmlDir, `${i}.xml`);
      writeFileSync(f, pkg.text(n) ?? '');
      return f;
    });
    await run('xmllint', ['--noout', ...files]);
    const wb = pkg.text('xl/workbook.xml') ?? '';
    expect(wb).toContain(
      `<definedName name="_xlnm.Print_Titles" localSheetId="0">'Report – Cover'!$1:$3</definedName>`,
    );
    const funds = pkg.rels('xl/workbook.xml').find((r) => r.target.endsWith('sheet2.xml'))!.target;
    const sheet = pkg.text(funds) ?? '';
    expect(sheet).toMatch(/<pageSetUpPr fitToPage="1"\/>/);
    expect(sheet).toMatch(/<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"\/>/);
    expect(sheet).toContain('&amp;R Page &amp;P of &amp;N'.replace('&amp;R ', '&amp;R'));
    expect(sheet).toMatch(/<drawing [^>]*r:id="rId\d+"\/>/);
  });

  test('written into a user’s own workbook twice: one chart each, every part not Budgetline’s kept byte for byte', async () => {
    const snap = await (await XlsxPort.open(workbook, { readOnly: true })).read(boardReport.reads({}));
    const { write } = boardReport.run(snap, {}, { now, actAs: { email: cfo, verified: false } });
    const batch = write as WriteBatch;
    const file = join(dir, 'user-workbook.xlsx');
    copyFileSync(join(ROOT, 'test', 'fixtures', 'roundtrip', 'user-workbook.xlsx'), file);
    const original = await Package.read(readFileSync(file));
    for (let i = 0; i < 2; i++) await (await XlsxPort.open(file)).write(batch);
    const after = await Package.read(readFileSync(file));
    // The user's chart, drawing, pictures, comments, pivot table: byte for byte.
    const shared = ['[Content_Types].xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml'];
    for (const name of original.names()) {
      expect(after.has(name)).toBe(true);
      if (shared.includes(name)) {
        const a = original.text(name) ?? '';
        const b = after.text(name) ?? '';
        if (name === 'xl/styles.xml') {
          // Formats are only appended: every existing one keeps its index and text.
          for (const section of ['numFmts', 'fonts', 'fills', 'cellXfs', 'borders', 'cellStyleXfs', 'dxfs']) {
            const old = childTexts(childOf(a, section) ?? '<x/>');
            expect(childTexts(childOf(b, section) ?? '<x/>').slice(0, old.length)).toEqual(old);
          }
          continue;
        }
        // Every element kept, and inside <sheets> and <definedNames> every sheet and name the user had.
        const inner = ['sheets', 'definedNames'].flatMap((s) => childTexts(childOf(a, s) ?? '<x/>'));
        for (const el of [...childTexts(a).filter((t) => !/^<(sheets|definedNames)\b/.test(t)), ...inner])
          expect({ name, has: b.includes(el), el }).toEqual({ name, has: true, el });
      } else {
        const a = original.bytes(name);
        const b = after.bytes(name);
        expect({ name, same: b !== undefined && a?.equals(b) }).toEqual({ name, same: true });
      }
    }
    const charts = after.names().filter((n) => /^xl\/charts\/chart\d+\.xml$/.test(n));
    expect(charts).toHaveLength(1 + 3);
    const types = after.text('[Content_Types].xml') ?? '';
    expect(types.match(/drawingml\.chart\+xml/g)).toHaveLength(4);
    // LibreOffice still opens it.
    const out = join(dir, 'lo');
    await run('soffice', [
      `-env:UserInstallation=file://${join(dir, 'lo-profile-2')}`,
      '--headless',
      '--convert-to',
      'csv',
      '--outdir',
      out,
      file,
    ]);
    expect(existsSync(join(out, 'user-workbook.csv'))).toBe(true);
  });

  test('without LibreOffice: a clear error, and nothing at --out', async () => {
    const out = join(dir, 'none.pdf');
    writeFileSync(out, 'the old packet');
    const r = await runCli(['report', workbook, '--out', out, '--as', cfo], {
      env: { BUDGETLINE_SOFFICE: join(dir, 'no-such-soffice') },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/LibreOffice is needed to make the PDF/);
    expect(readFileSync(out, 'utf8')).toBe('the old packet');
    expect(readFileSync(workbook).equals(before)).toBe(true);
  });

  test('--prior: last year’s approved figures against this year’s; a workbook of the wrong year is refused', async () => {
    // Next year's workbook (FY2028) from the demo's; the demo's FY2027 workbook is its prior year.
    const next = join(dir, 'next-year.xlsx');
    // Roll-forward refuses the demo's deliberate mistakes (all or nothing): a copy has them corrected.
    const fixed = join(dir, 'fixed.xlsx');
    copyFileSync(workbook, fixed);
    await fixLines(fixed, JSON.parse((await runCli(['roll-forward', fixed, '--json'])).stdout).diagnostics);
    expect((await runCli(['roll-forward', fixed, '--out', next])).code).toBe(0);
    expect(existsSync(next)).toBe(true);
    const r = await runCli([
      'report',
      next,
      '--xlsx',
      join(dir, 'next-report.xlsx'),
      '--prior',
      workbook,
      '--unapproved',
      'include-marked',
      '--as',
      cfo,
      '--json',
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as {
      report: { comparison: { rows: { label: string; priorCents: number | null }[]; notes: string[] } };
    };
    const port = await XlsxPort.open(workbook, { readOnly: true });
    const c = await runOperation(
      port,
      operations.consolidate,
      { unapproved: 'exclude' },
      { now, actAs: { email: cfo, verified: false } },
    );
    const total = j.report.comparison.rows.find((x) => x.label === 'Total expenditures');
    expect(total?.priorCents).toBe(c.district!.expendituresCents);
    expect(j.report.comparison.notes.join(' ')).toMatch(/^Prior year: FY2027 budget of Cedar Valley/);
    // The demo's own workbook is not the year before itself.
    const same = await runCli([
      'report',
      workbook,
      '--xlsx',
      join(dir, 'c.xlsx'),
      '--prior',
      workbook,
      '--as',
      cfo,
    ]);
    expect(same.code).toBe(1);
    expect(same.stdout).toMatch(/BL950 .*FY2027, not FY2026/);
    expect(existsSync(join(dir, 'c.xlsx'))).toBe(false);
  });

  test('usage: a destination is required, adopted needs its date, only the CFO', async () => {
    expect((await runCli(['report', workbook, '--as', cfo])).stderr).toMatch(/say where the report goes/);
    const adopted = await runCli([
      'report',
      workbook,
      '--xlsx',
      join(dir, 'a.xlsx'),
      '--status',
      'adopted',
      '--as',
      cfo,
    ]);
    expect(adopted.code).toBe(2);
    expect(adopted.stderr).toMatch(/--adopted-on YYYY-MM-DD/);
    const someone = await runCli([
      'report',
      workbook,
      '--xlsx',
      join(dir, 'b.xlsx'),
      '--as',
      'someone@cedarvalley.k12.us',
    ]);
    expect(someone.code).toBe(1);
    expect(existsSync(join(dir, 'b.xlsx'))).toBe(false);
  });
});
