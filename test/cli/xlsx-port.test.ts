import fsp from 'node:fs/promises';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { XlsxFileError, XlsxPort, STATE_SHEET } from '../../cli/xlsx-port';
import { Package, REL } from '../../cli/xlsx/package';
import { describePortContract } from '../port/contract';
import { tempDir } from './helpers';
import { xlsxCharts, xlsxPrint } from './xlsx-inspect';

describePortContract('XlsxPort', async () => {
  const { dir, cleanup } = tempDir('budgetline-port-');
  const file = join(dir, 'book.xlsx');
  const port = await XlsxPort.create(file);
  // Inspect what is on disk, not what the port holds in memory.
  const disk = (): Promise<XlsxPort> => XlsxPort.open(file);
  return {
    port,
    inspect: {
      marks: async (sheet: string) => (await disk()).marks(sheet),
      protectedSheets: async () => Object.keys((await disk()).protectedSheets()),
      dropdowns: async () => (await disk()).dropdowns(),
      tables: async () => (await disk()).tables(),
      numberFormat: async (sheet: string, cell: string) => (await disk()).numberFormat(sheet, cell),
      charts: (sheet: string) => xlsxCharts(file, sheet),
      print: (sheet: string) => xlsxPrint(file, sheet),
    },
    reopen: disk,
    storeRawState: async (raw: string) => {
      await port.write({ state: { version: 1, sites: {}, lastAuditHash: '0'.repeat(64) } });
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(file);
      const ws = book.getWorksheet(STATE_SHEET);
      ws?.eachRow((row) => {
        if (row.getCell(1).value !== 'state') return;
        row.eachCell((cell, c) => {
          if (c > 1) cell.value = null;
        });
        row.getCell(2).value = raw;
      });
      await book.xlsx.writeFile(file);
      return XlsxPort.open(file);
    },
    cleanup: () => Promise.resolve(cleanup()),
    expectedUser: null,
    supportsDates: true,
  };
});

describe('XlsxPort', () => {
  let dir: string;
  let cleanup: () => void;
  beforeEach(() => ({ dir, cleanup } = tempDir('budgetline-port-')));
  afterEach(() => {
    jest.restoreAllMocks();
    cleanup();
  });

  it('reads a workbook written by Excel: formulas as their cached result, errors as text, rich text as text', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Lincoln Elementary');
    ws.getCell('A1').value = 'Account';
    ws.getCell('B1').value = 'Amount';
    ws.getCell('A2').value = '100-1000-111-100-001';
    ws.getCell('B2').value = { formula: 'C2*2', result: 1200 };
    ws.getCell('A3').value = {
      richText: [{ text: '100-1000-' }, { text: '640-100-001', font: { bold: true } }],
    };
    ws.getCell('B3').value = { error: '#REF!' };
    ws.getCell('A4').value = '007';
    ws.getCell('B4').value = new Date(Date.UTC(2026, 6, 1));
    ws.getCell('C2').value = 600;
    const file = join(dir, 'excel.xlsx');
    await wb.xlsx.writeFile(file);

    const port = await XlsxPort.open(file);
    const snap = await port.read({ sheets: 'all', state: true, user: true });
    expect(snap.sheetNames).toEqual(['Lincoln Elementary']);
    expect(snap.sheets['Lincoln Elementary']).toEqual([
      ['Account', 'Amount', null],
      ['100-1000-111-100-001', 1200, 600],
      ['100-1000-640-100-001', '#REF!', null],
      ['007', new Date(Date.UTC(2026, 6, 1)), null],
    ]);
    expect(snap.user).toBeNull();
    expect(snap.state?.sites).toEqual({});
  });

  it('reports merged cells, and makes no table part over them (Excel would repair it away)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Lincoln Elementary');
    ws.addRows([
      ['Type', 'Amount'],
      ['Line', 10],
      ['Line', 20],
      ['Total', 30],
    ]);
    ws.mergeCells('A4:B4');
    ws.addRows([[], ['Notes', 'Who']]);
    const file = join(dir, 'merged.xlsx');
    await wb.xlsx.writeFile(file);

    const port = await XlsxPort.open(file);
    const snap = await port.read({ sheets: 'all', tables: true });
    expect(snap.merged).toEqual([{ sheet: 'Lincoln Elementary', range: 'A4:B4' }]);
    await port.write({
      tables: [
        { sheet: 'Lincoln Elementary', name: 'Site_Lincoln', range: 'A1:B4' },
        { sheet: 'Lincoln Elementary', name: 'Notes', range: 'A6:B7' },
      ],
    });
    expect((await XlsxPort.open(file)).tables()).toEqual([
      { sheet: 'Lincoln Elementary', name: 'Notes', range: 'A6:B7' },
    ]);
  });

  it('keeps the document state in a hidden sheet left out of the sheet names', async () => {
    const file = join(dir, 'state.xlsx');
    const port = await XlsxPort.create(file);
    const state = { version: 1 as const, sites: {}, lastAuditHash: 'b'.repeat(64) };
    await port.write({ sheets: [{ sheet: 'Sites', values: [['Code'], ['001']] }], state });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => [w.name, w.state])).toEqual([
      ['Sites', 'visible'],
      [STATE_SHEET, 'hidden'],
    ]);
    expect((await (await XlsxPort.open(file)).read({ sheets: 'all', state: true })).state).toEqual(state);
    expect((await port.read({ sheets: 'all' })).sheetNames).toEqual(['Sites']);
  });

  it('refuses to write the reserved state sheet', async () => {
    const port = await XlsxPort.create(join(dir, 'x.xlsx'));
    await expect(port.write({ sheets: [{ sheet: STATE_SHEET, values: [['x']] }] })).rejects.toThrow(
      /reserved/,
    );
  });

  it('restores a fill the user had when a mark is cleared', async () => {
    const file = join(dir, 'fill.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Site');
    ws.getCell('A1').value = 'x';
    ws.getCell('A1').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF00B0F0' } };
    await wb.xlsx.writeFile(file);
    const port = await XlsxPort.open(file);
    await port.write({ marks: [{ sheet: 'Site', cell: 'A1', severity: 'fatal', note: 'BL104' }] });
    await port.write({ marks: [{ sheet: 'Site', cell: 'A1', severity: 'warning', note: 'BL007' }] });
    expect((await XlsxPort.open(file)).marks('Site')).toEqual([
      { sheet: 'Site', cell: 'A1', severity: 'warning', note: 'BL007' },
    ]);
    await port.write({ clearMarks: [{ sheet: 'Site' }] });
    const again = new ExcelJS.Workbook();
    await again.xlsx.readFile(file);
    const cell = again.getWorksheet('Site')?.getCell('A1');
    expect(cell?.fill).toMatchObject({ fgColor: { argb: 'FF00B0F0' } });
    expect(cell?.note).toBeUndefined();
    expect(cell?.value).toBe('x');
  });

  it('bolds and freezes a header written at A1, and formats columns', async () => {
    const file = join(dir, 'h.xlsx');
    const port = await XlsxPort.create(file);
    await port.write({
      sheets: [
        {
          sheet: 'T',
          values: [
            ['Account', 'Amount'],
            ['1', 2],
          ],
          header: true,
          columnFormats: ['@', '#,##0.00'],
        },
      ],
    });
    const again = await XlsxPort.open(file);
    expect(again.frozenRows('T')).toBe(1);
    expect(again.numberFormat('T', 'B2')).toBe('#,##0.00');
    expect(again.numberFormat('T', 'B1')).toBeNull();
  });

  it('leaves the previous file untouched and no temporary file when the save fails', async () => {
    const file = join(dir, 'atomic.xlsx');
    const port = await XlsxPort.create(file);
    await port.write({ sheets: [{ sheet: 'S', values: [['kept']] }] });
    const before = readFileSync(file);
    jest
      .spyOn(fsp, 'rename')
      .mockRejectedValueOnce(Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' }));
    await expect(port.write({ sheets: [{ sheet: 'S', values: [['lost']] }] })).rejects.toThrow(
      /cannot save .*atomic\.xlsx: ENOSPC.*left as it was/,
    );
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['atomic.xlsx']);
    expect((await XlsxPort.open(file)).sheet('S')).toEqual([['kept']]);
  });

  it('cleans up the temporary file when writing it fails', async () => {
    const file = join(dir, 'atomic2.xlsx');
    const port = await XlsxPort.create(file);
    const real = fsp.writeFile;
    jest.spyOn(fsp, 'writeFile').mockImplementationOnce(async (path, data) => {
      await real(path, 'half');
      void data;
      throw new Error('EIO: i/o error');
    });
    await expect(port.write({ sheets: [{ sheet: 'S', values: [['x']] }] })).rejects.toThrow(XlsxFileError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['a missing file', (d: string) => join(d, 'nope.xlsx'), /cannot open .*nope\.xlsx: no such file/],
    ['a folder', (d: string) => d, /it is a folder/],
    [
      'a CSV file',
      (d: string) => {
        writeFileSync(join(d, 'site.xlsx'), 'Account,Amount\n1,2\n');
        return join(d, 'site.xlsx');
      },
      /site\.xlsx is not an \.xlsx workbook/,
    ],
    [
      'an empty file',
      (d: string) => {
        writeFileSync(join(d, 'empty.xlsx'), '');
        return join(d, 'empty.xlsx');
      },
      /empty\.xlsx is not an \.xlsx workbook \(the file is empty\)/,
    ],
    [
      'an old .xls file',
      (d: string) => {
        writeFileSync(
          join(d, 'old.xls'),
          Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
        );
        return join(d, 'old.xls');
      },
      /old\.xls is an old Excel 97-2003/,
    ],
    [
      'a damaged zip',
      (d: string) => {
        writeFileSync(
          join(d, 'bad.xlsx'),
          Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 7)]),
        );
        return join(d, 'bad.xlsx');
      },
      /bad\.xlsx cannot be read as an \.xlsx workbook/,
    ],
  ])('refuses %s with a message naming it', async (_what, make, message) => {
    const path = make(dir);
    const err = await XlsxPort.open(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XlsxFileError);
    expect((err as XlsxFileError).message).toMatch(message);
    expect((err as XlsxFileError).file).toBe(path);
  });

  it('reads a hand-edited state record as BL820 (the same answer as every host), not an exception', async () => {
    const file = join(dir, 'edited.xlsx');
    const port = await XlsxPort.create(file);
    await port.write({
      sheets: [{ sheet: 'S', values: [['x']] }],
      state: { version: 1, sites: {}, lastAuditHash: 'c'.repeat(64) },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    wb.getWorksheet(STATE_SHEET)!.getCell('B2').value = '{not json';
    await wb.xlsx.writeFile(file);
    const snap = await (await XlsxPort.open(file)).read({ sheets: ['S'], state: true });
    expect(snap.sheets.S).toEqual([['x']]);
    expect(snap.stateDiagnostics?.map((d) => d.code)).toEqual(['BL820']);
    expect(snap.state?.lastAuditHash).toBe('0'.repeat(64));
  });

  it('counts one round trip per read and per write', async () => {
    const port = await XlsxPort.create(join(dir, 'c.xlsx'));
    await port.read({ sheets: 'all', state: true });
    await port.write({ sheets: [{ sheet: 'A', values: [['x']] }] });
    expect(port.roundTrips).toEqual({ reads: 1, writes: 1 });
  });

  /** The text of a part of the package on disk. */
  async function part(file: string, name: string): Promise<string | undefined> {
    return (await Package.read(readFileSync(file))).text(name);
  }

  it("restores the user's own note and fill, byte for byte, when a mark clears", async () => {
    const file = join(dir, 'note.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Site');
    ws.getCell('A1').value = 'Account';
    ws.getCell('A2').value = '100-1000-641-100-001';
    ws.getCell('A2').note = 'Our own note: ask Maria';
    ws.getCell('A2').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF00B0F0' } };
    ws.getCell('B2').note = 'another note, left alone';
    await wb.xlsx.writeFile(file);
    const comments = (await Package.read(readFileSync(file)))
      .names()
      .find((n) => /comments\d*\.xml$/.test(n));
    const before = await part(file, comments ?? '');
    const port = await XlsxPort.open(file);
    await port.write({
      marks: [{ sheet: 'Site', cell: 'A2', severity: 'fatal', note: 'BL104 unknown object code' }],
    });
    expect((await XlsxPort.open(file)).marks('Site')).toEqual([
      { sheet: 'Site', cell: 'A2', severity: 'fatal', note: 'BL104 unknown object code' },
    ]);
    expect(await part(file, comments ?? '')).toContain('another note, left alone');
    await port.write({ clearMarks: [{ sheet: 'Site' }] });
    // The user's note is back as it was (Budgetline's author entry stays in the authors list).
    const list = (xml: string | undefined): string | undefined =>
      /<commentList>[\s\S]*<\/commentList>/.exec(xml ?? '')?.[0];
    expect(list(await part(file, comments ?? ''))).toBe(list(before));
    const again = new ExcelJS.Workbook();
    await again.xlsx.readFile(file);
    const cell = again.getWorksheet('Site')?.getCell('A2');
    expect(cell?.fill).toMatchObject({ fgColor: { argb: 'FF00B0F0' } });
    expect(cell?.note).toBe('Our own note: ask Maria');
  });

  it('keeps the text of every row it does not write, and does not save a write that changes nothing', async () => {
    const file = join(dir, 'rows.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Site');
    ws.addRows([
      ['Account', 'Amount'],
      ['a', 1],
      ['b', 2],
    ]);
    ws.getCell('C3').value = { formula: 'B3*2', result: 4 };
    await wb.xlsx.writeFile(file);
    const rowsOf = (xml: string | undefined): string[] => xml?.match(/<row\b[\s\S]*?<\/row>/g) ?? [];
    const before = rowsOf(await part(file, 'xl/worksheets/sheet1.xml'));
    const port = await XlsxPort.open(file);
    await port.write({ sheets: [{ sheet: 'Site', at: 'B2', values: [[10]] }] });
    const after = rowsOf(await part(file, 'xl/worksheets/sheet1.xml'));
    expect(after[0]).toBe(before[0]);
    expect(after[2]).toBe(before[2]);
    expect(after[1]).not.toBe(before[1]);
    const bytes = readFileSync(file);
    await port.write({
      sheets: [{ sheet: 'Site', at: 'B2', values: [[10]] }],
      clearMarks: [{ sheet: 'Site' }],
    });
    await port.write({});
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('never saves a workbook opened read-only', async () => {
    const file = join(dir, 'ro.xlsx');
    await (await XlsxPort.create(file)).write({ sheets: [{ sheet: 'S', values: [['x']] }] });
    const bytes = readFileSync(file);
    const port = await XlsxPort.open(file, { readOnly: true });
    await port.write({
      sheets: [{ sheet: 'S', values: [['changed']] }],
      marks: [{ sheet: 'S', cell: 'A1', severity: 'fatal', note: 'n' }],
    });
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses, before writing, to rename the column of an Excel table', async () => {
    const file = join(dir, 'table.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Site');
    ws.addTable({
      name: 'Lines',
      ref: 'A1',
      columns: [{ name: 'Account' }, { name: 'Amount' }],
      rows: [['100-1000-111-100-001', 5]],
    });
    await wb.xlsx.writeFile(file);
    const bytes = readFileSync(file);
    const port = await XlsxPort.open(file);
    await expect(port.write({ sheets: [{ sheet: 'Site', values: [['Acct']] }] })).rejects.toThrow(
      /Site!A1 heads the column "Account" of the Excel table "Lines".*nothing was written/,
    );
    expect(readFileSync(file).equals(bytes)).toBe(true);
    // the same header text, and the rows below, are fine
    const ok = await XlsxPort.open(file);
    await ok.write({
      sheets: [
        {
          sheet: 'Site',
          values: [
            ['Account', 'Amount'],
            ['100-1000-112-100-001', 6],
          ],
        },
      ],
    });
    expect((await XlsxPort.open(file)).sheet('Site')?.[1]).toEqual(['100-1000-112-100-001', 6]);
  });

  it('refuses to overwrite the first cell of a shared formula that other cells use', async () => {
    const file = join(dir, 'shared.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Site');
    ws.getCell('A1').value = 1;
    ws.getCell('A2').value = 2;
    ws.getCell('B1').value = {
      formula: 'A1*2',
      result: 2,
      shareType: 'shared',
      ref: 'B1:B2',
    } as ExcelJS.CellValue;
    ws.getCell('B2').value = { sharedFormula: 'B1', result: 4 } as ExcelJS.CellValue;
    await wb.xlsx.writeFile(file);
    const xml = await part(file, 'xl/worksheets/sheet1.xml');
    expect(xml).toMatch(/t="shared"/);
    const port = await XlsxPort.open(file);
    await expect(port.write({ sheets: [{ sheet: 'Site', at: 'B1', values: [[7]] }] })).rejects.toThrow(
      /first cell of a shared formula/,
    );
  });

  it('drops the calcChain entry of a formula it overwrote', async () => {
    const file = join(dir, 'calc.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Site');
    ws.getCell('A1').value = 2;
    ws.getCell('B1').value = { formula: 'A1*2', result: 4 };
    ws.getCell('C1').value = { formula: 'A1*3', result: 6 };
    await wb.xlsx.writeFile(file);
    const pkg = await Package.read(readFileSync(file));
    pkg.set(
      'xl/calcChain.xml',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="B1" i="1"/><c r="C1"/></calcChain>',
    );
    pkg.addRel('xl/workbook.xml', REL.calcChain, 'xl/calcChain.xml');
    pkg.addOverride(
      'xl/calcChain.xml',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml',
    );
    writeFileSync(file, pkg.toBuffer());
    const port = await XlsxPort.open(file);
    await port.write({ sheets: [{ sheet: 'Site', at: 'B1', values: [[5]] }] });
    expect(await part(file, 'xl/calcChain.xml')).toMatch(/<calcChain [^>]*><c i="1" r="C1"\/><\/calcChain>$/);
    await port.write({ sheets: [{ sheet: 'Site', at: 'C1', values: [[6]] }] });
    expect(await part(file, 'xl/calcChain.xml')).toBeUndefined();
    expect(await part(file, 'xl/_rels/workbook.xml.rels')).not.toMatch(/calcChain/);
    expect((await XlsxPort.open(file)).sheet('Site')).toEqual([[2, 5, 6]]);
  });

  it('marks a cell holding a threaded comment with its fill only, leaving the comment', async () => {
    const file = join(dir, 'threaded.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Site');
    ws.getCell('A1').value = 'Account';
    ws.getCell('A2').value = '100-1000-641-100-001';
    ws.getCell('A2').note = '[Threaded comment] Is this right?';
    await wb.xlsx.writeFile(file);
    const pkg = await Package.read(readFileSync(file));
    pkg.set(
      'xl/threadedComments/threadedComment1.xml',
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"><threadedComment ref="A2" dT="2026-11-01T10:00:00.00" personId="{00000000-0000-0000-0000-000000000001}" id="{00000000-0000-0000-0000-000000000002}"><text>Is this right?</text></threadedComment></ThreadedComments>',
    );
    pkg.addRel('xl/worksheets/sheet1.xml', REL.threadedComment, 'xl/threadedComments/threadedComment1.xml');
    writeFileSync(file, pkg.toBuffer());
    const comments =
      (await Package.read(readFileSync(file))).names().find((n) => /comments\d*\.xml$/.test(n)) ?? '';
    const before = await part(file, comments);
    const port = await XlsxPort.open(file);
    await port.write({ marks: [{ sheet: 'Site', cell: 'A2', severity: 'fatal', note: 'BL104' }] });
    expect(await part(file, comments)).toBe(before);
    expect(await part(file, 'xl/threadedComments/threadedComment1.xml')).toMatch(/Is this right\?/);
    expect((await XlsxPort.open(file)).numberFormat('Site', 'A2')).toBeNull();
    await port.write({ clearMarks: [{ sheet: 'Site' }] });
    expect(await part(file, comments)).toBe(before);
  });

  it('refuses a Strict Open XML workbook with a message naming it', async () => {
    const file = join(dir, 'strict.xlsx');
    await (await XlsxPort.create(file)).write({ sheets: [{ sheet: 'S', values: [['x']] }] });
    const pkg = await Package.read(readFileSync(file));
    pkg.set(
      '_rels/.rels',
      (pkg.text('_rels/.rels') ?? '').replace(
        'http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument',
        'http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument',
      ),
    );
    writeFileSync(file, pkg.toBuffer());
    await expect(XlsxPort.open(file)).rejects.toThrow(/strict\.xlsx is a Strict Open XML workbook/);
  });

  it('marks and clears a cell again and again without growing styles.xml, and gives the cell its own format back', async () => {
    const file = join(dir, 'cycle.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Site');
    ws.getCell('A1').value = 'x';
    ws.getCell('A1').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF00B0F0' } };
    await wb.xlsx.writeFile(file);
    const cellXml = async (): Promise<string | undefined> =>
      /<c r="A1"[^>]*>/.exec((await part(file, 'xl/worksheets/sheet1.xml')) ?? '')?.[0];
    const own = await cellXml();
    const port = await XlsxPort.open(file);
    const mark = { sheet: 'Site', cell: 'A1', severity: 'fatal' as const, note: 'BL104' };
    await port.write({ marks: [mark] });
    await port.write({ clearMarks: [{ sheet: 'Site' }] });
    const styles = await part(file, 'xl/styles.xml');
    expect(await cellXml()).toBe(own);
    for (let i = 0; i < 3; i++) {
      await (await XlsxPort.open(file)).write({ marks: [mark] });
      await (await XlsxPort.open(file)).write({ clearMarks: [{ sheet: 'Site' }], marks: [mark] });
      await (await XlsxPort.open(file)).write({ clearMarks: [{ sheet: 'Site' }] });
    }
    expect(await part(file, 'xl/styles.xml')).toBe(styles);
    expect(await cellXml()).toBe(own);
  });

  it('saves to another file (saveTo) on the first write even when it changes nothing', async () => {
    const file = join(dir, 'src.xlsx');
    await (await XlsxPort.create(file)).write({ sheets: [{ sheet: 'S', values: [['x']] }] });
    const out = join(dir, 'out.xlsx');
    const port = await XlsxPort.open(file, { saveTo: out });
    await port.write({ sheets: [{ sheet: 'S', values: [['x']] }] });
    expect((await XlsxPort.open(out)).sheet('S')).toEqual([['x']]);
  });
});
