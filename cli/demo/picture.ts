/**
 * `npm run generate:picture`: renders a site sheet of the demo workbook to docs/site-sheet.png for the
 * README (LibreOffice to PDF, then poppler's pdftoppm at 110 dpi, the top of the page). Needs soffice and pdftoppm.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { Package } from '../xlsx/package';
import { runDemo } from './run';

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'budgetline-picture-'));
  try {
    const run = await runDemo(join(dir, 'demo'), { schools: 40 }, { now: () => new Date().toISOString() });
    const mistake = run.district.mistakes[0];
    const sheet = mistake?.sheet ?? '';
    // ExcelJS expands each data-validation range cell by cell: the site sheets' whole-column rules
    // (row 2 to 1,048,576) would exhaust its memory. The picture needs none of them.
    const pkg = await Package.read(readFileSync(run.workbook));
    for (const name of pkg.names())
      if (/^xl\/worksheets\/[^/]+\.xml$/.test(name))
        pkg.set(
          name,
          (pkg.text(name) ?? '').replace(/<(\w+:)?dataValidations\b[\s\S]*?<\/(\w+:)?dataValidations>/, ''),
        );
    const plain = join(dir, 'plain.xlsx');
    writeFileSync(plain, pkg.toBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(plain);
    for (const ws of [...wb.worksheets]) if (ws.name !== sheet) wb.removeWorksheet(ws.id);
    const ws = wb.getWorksheet(sheet);
    if (!ws) throw new Error(`no sheet ${sheet}`);
    // ExcelJS cannot splice the columns of a sheet with an Excel table: the picture needs none.
    for (const t of ws.getTables()) ws.removeTable((t as unknown as { name: string }).name);
    // The columns a principal fills in most (Type to One-time, Job type, FTE, the funding split),
    // the computed costs (each funding piece's too), and the rows around the marked mistake.
    ws.spliceColumns(17, 2);
    ws.spliceColumns(9, 4);
    const last = Number(/\d+$/.exec(mistake?.cell ?? 'A30')?.[0] ?? 30) + 4;
    if (ws.rowCount > last) ws.spliceRows(last + 1, ws.rowCount - last);
    ws.pageSetup = { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 1, paperSize: 9 };
    const one = join(dir, 'site-sheet.xlsx');
    await wb.xlsx.writeFile(one);
    const profile = `-env:UserInstallation=file://${join(dir, 'profile')}`;
    execFileSync('soffice', [profile, '--headless', '--convert-to', 'pdf', '--outdir', dir, one], {
      stdio: 'ignore',
    });
    execFileSync('pdftoppm', [
      '-png',
      // 110 dpi, the top of the page only (the sheet's rows fill about half of it), so the piece
      // cost columns stay legible beside the summary block.
      '-r',
      '110',
      '-y',
      '95',
      '-W',
      '1290',
      '-H',
      '250',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      join(dir, 'site-sheet.pdf'),
      join(dir, 'site-sheet'),
    ]);
    copyFileSync(join(dir, 'site-sheet.png'), join(__dirname, '..', '..', 'docs', 'site-sheet.png'));
    console.log(`docs/site-sheet.png: ${sheet} from the demo workbook`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
