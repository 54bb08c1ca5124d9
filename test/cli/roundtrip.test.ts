/**
 * Lossless workbooks: a district's own workbook (test/fixtures/roundtrip, made by LibreOffice from
 * user-workbook.fods; the .xlsm adds a VBA project) taken through the year — init (adding the district's
 * sheets to it), import, validate, allocate, submit, approve, consolidate and roll-forward, through the
 * command functions — keeps every part that is not Budgetline's byte for byte, keeps the original
 * elements of the parts it shares (workbook, relationships, content types, styles), is never written
 * by the commands that only read, and still opens in LibreOffice Calc.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { operations, parseA1, runOperation, SHEETS, siteSheetWrite, tableWrite } from '../../core';
import { consolidateCommand } from '../../cli/commands/consolidate';
import { exportCommand } from '../../cli/commands/export';
import { importCommand } from '../../cli/commands/import';
import { rollForwardCommand } from '../../cli/commands/roll-forward';
import { allocate, init, status, validate, verify } from '../../cli/commands/workbook';
import { workflow } from '../../cli/commands/workflow';
import { generateDemo } from '../../cli/demo/generate';
import { Package } from '../../cli/xlsx/package';
import { topLevel } from '../../cli/xlsx/xml';
import { XlsxPort } from '../../cli/xlsx-port';
import { ROOT, tempDir } from './helpers';

jest.setTimeout(240_000);
const run = promisify(execFile);
const FIXTURES = join(ROOT, 'test', 'fixtures', 'roundtrip');

/** Parts Budgetline shares with the user: it may add elements to them, never change the others. */
const SHARED = ['[Content_Types].xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml'];

async function pkgOf(file: string): Promise<Package> {
  return Package.read(readFileSync(file));
}

/** The text of every top-level child element of a part. */
function childTexts(xml: string): string[] {
  const { children } = topLevel(xml);
  return children.map((c) => xml.slice(c.start, c.end));
}

function childOf(xml: string, name: string): string | undefined {
  const c = topLevel(xml).children.find((x) => x.name === name);
  return c ? xml.slice(c.start, c.end) : undefined;
}

describe.each([['user-workbook.xlsx'], ['user-workbook.xlsm']])('a year over %s', (fixture) => {
  let dir: string;
  let cleanup: () => void;
  let out: jest.SpyInstance;
  beforeAll(() => {
    ({ dir, cleanup } = tempDir('budgetline-roundtrip-'));
    out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterAll(() => {
    out.mockRestore();
    cleanup();
  });

  it('keeps every part that is not Budgetline’s, and LibreOffice still opens the file', async () => {
    const file = join(dir, fixture);
    copyFileSync(join(FIXTURES, fixture), file);
    const before = await pkgOf(file);
    const g = {};
    const d = generateDemo({ schools: 3, seed: 11 });
    const clean = d.sites.find((s) => !d.mistakes.some((m) => m.sheet === s.name)) ?? d.sites[0];
    const other = d.sites.find((s) => s !== clean) ?? d.sites[1];
    if (!clean || !other) throw new Error('the demo district has too few sites');

    // init: the district's sheets join the user's workbook.
    expect(
      await init(file, { chart: 'nces', fiscalYear: '2027', district: d.district, as: d.people.cfo }, g),
    ).toBe(0);
    // The district fills in its tables (as a user would in Excel), one site's sheet included.
    const port = await XlsxPort.open(file);
    await port.write({
      sheets: [
        tableWrite(SHEETS.sites, d.tables.sites),
        tableWrite(SHEETS.jobTypes, d.tables.jobTypes),
        tableWrite(SHEETS.benefits, d.tables.benefits),
        tableWrite(SHEETS.formula, d.tables.formula),
        tableWrite(SHEETS.roles, d.tables.roles),
        siteSheetWrite(clean.name, clean.rows),
      ],
    });
    // import: last year's ERP lines into the other site's sheet.
    const csv = join(dir, 'lines.csv');
    writeFileSync(csv, readFileSync(join(ROOT, 'samples', 'erp-export-mesa-verde.csv')));
    await importCommand(
      file,
      csv,
      { sheet: other.code, map: 'Account=GL Acct,Amount=FY25 Budget,Description=Desc' },
      g,
    );
    expect(await allocate(file, g)).toBe(0);
    await validate(file, {}, g);
    expect(await workflow('submit', file, { site: clean.code, as: clean.principal }, g)).toBe(0);
    expect(await workflow('approve', file, { site: clean.code, as: d.people.approver }, g)).toBe(0);
    expect(await consolidateCommand([file], { as: d.people.cfo }, g)).toBe(0);

    // Commands that only read never write the file.
    const bytes = readFileSync(file);
    const mtime = statSync(file).mtimeMs;
    await status(file, {}, g);
    await verify(file, { as: d.people.cfo }, g);
    await exportCommand(file, { format: 'generic-csv', as: d.people.cfo, out: join(dir, 'export.csv') }, g);
    await validate(file, { check: true }, g);
    const next = join(dir, 'next-year.xlsx');
    // Roll forward is all or nothing: the imported lines that do not validate refuse it (exit 1) and
    // next year's file is not even created.
    expect(await rollForwardCommand(file, { out: next }, g)).toBe(1);
    expect(existsSync(next)).toBe(false);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    expect(statSync(file).mtimeMs).toBe(mtime);
    // In a copy whose principal deleted those lines (and whose other sites got their sheets: a site
    // without one is fatal too), it writes next year's workbook to a new file.
    const fixed = join(dir, `fixed-${fixture}`);
    copyFileSync(file, fixed);
    const copyPort = await XlsxPort.open(fixed);
    const refused = await runOperation(
      copyPort,
      operations.rollForward,
      {},
      { now: () => '2026-11-28T09:00:00Z' },
    );
    const rows = new Set(
      refused.diagnostics
        .filter((x) => x.severity === 'fatal' && x.sheet === other.name && x.cell)
        .map((x) => parseA1(x.cell as string)?.row ?? 0),
    );
    expect(rows.size).toBeGreaterThan(0);
    const grid = (await copyPort.read({ sheets: [other.name] })).sheets[other.name] ?? [];
    await copyPort.write({
      sheets: [
        { sheet: other.name, values: grid.map((r, i) => (rows.has(i) ? r.map(() => null) : [...r])) },
        ...d.sites.filter((x) => x !== clean && x !== other).map((x) => siteSheetWrite(x.name, [])),
      ],
    });
    expect(await rollForwardCommand(fixed, { out: next }, g)).toBe(0);
    expect((await XlsxPort.open(next)).sheetNames()).toContain(clean.name);

    // Budgetline's work is there.
    const snap = await (await XlsxPort.open(file)).read({ sheets: 'all', state: true });
    expect(snap.sheetNames).toEqual(
      expect.arrayContaining(['Dashboard', 'Lookups', SHEETS.setup, SHEETS.master, clean.name]),
    );
    expect(snap.state?.sites[clean.code]?.state).toBe('approved');

    // Every part that is not Budgetline's is unchanged, byte for byte.
    const after = await pkgOf(file);
    const kept = before.names().filter((n) => !SHARED.includes(n));
    expect(kept).toEqual(
      expect.arrayContaining([
        'xl/charts/chart1.xml',
        'xl/drawings/drawing1.xml',
        'xl/media/image1.png',
        'xl/pivotTables/pivotTable1.xml',
        'xl/pivotCache/pivotCacheDefinition1.xml',
        'xl/pivotCache/pivotCacheRecords1.xml',
        'xl/tables/table1.xml',
        'xl/comments1.xml',
        'xl/drawings/vmlDrawing1.vml',
        'xl/worksheets/sheet1.xml',
        'xl/worksheets/sheet2.xml',
        'xl/sharedStrings.xml',
      ]),
    );
    if (fixture.endsWith('.xlsm'))
      expect(kept).toEqual(
        expect.arrayContaining([
          'xl/vbaProject.bin',
          'customXml/item1.xml',
          'customXml/itemProps1.xml',
          'customXml/_rels/item1.xml.rels',
          'xl/printerSettings/printerSettings1.bin',
          'xl/worksheets/_rels/sheet1.xml.rels',
        ]),
      );
    for (const name of kept) {
      const a = before.bytes(name);
      const b = after.bytes(name);
      expect({ name, same: b !== undefined && a?.equals(b) }).toEqual({ name, same: true });
    }
    // The shared parts keep every element they had, and the workbook's other elements as they were.
    for (const name of SHARED) {
      const a = before.text(name) ?? '';
      const b = after.text(name) ?? '';
      if (name === 'xl/styles.xml') {
        for (const section of ['borders', 'cellStyleXfs', 'cellStyles', 'dxfs'])
          expect({ section, text: childOf(b, section) }).toEqual({ section, text: childOf(a, section) });
        // Formats are only appended: every existing one keeps its index and text.
        for (const section of ['numFmts', 'fonts', 'fills', 'cellXfs']) {
          const old = childTexts(childOf(a, section) ?? '<x/>');
          expect({ section, items: childTexts(childOf(b, section) ?? '<x/>').slice(0, old.length) }).toEqual({
            section,
            items: old,
          });
        }
        continue;
      }
      const inner = name === 'xl/workbook.xml' ? childTexts(childOf(a, 'sheets') ?? '<x/>') : [];
      for (const el of [...childTexts(a).filter((t) => !t.startsWith('<sheets')), ...inner])
        expect({ name, has: b.includes(el), el }).toEqual({ name, has: true, el });
    }
    expect(childOf(after.text('xl/workbook.xml') ?? '', 'definedNames')).toContain('BudgetRange');

    // LibreOffice Calc opens it: every sheet to CSV.
    const outdir = join(dir, `csv-${fixture}`);
    await run(
      'soffice',
      [
        `-env:UserInstallation=file://${join(dir, 'lo-profile')}`,
        '--headless',
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
        '--outdir',
        outdir,
        file,
      ],
      { timeout: 180_000 },
    );
    const stem = fixture.replace(/\.xlsx?m?$/, '');
    const files = readdirSync(outdir);
    expect(files).toEqual(expect.arrayContaining([`${stem}-Dashboard.csv`, `${stem}-Master Budget.csv`]));
    expect(readFileSync(join(outdir, `${stem}-Dashboard.csv`), 'utf8')).toMatch(/^102,250000,over,/m);
    // the pivot table, as LibreOffice reads it back
    expect(readFileSync(join(outdir, `${stem}-Dashboard.csv`), 'utf8')).toMatch(/Total Result,500000/);
    expect(readFileSync(join(outdir, `${stem}-Master Budget.csv`), 'utf8')).toMatch(
      /Control totals|control/i,
    );
  });
});
