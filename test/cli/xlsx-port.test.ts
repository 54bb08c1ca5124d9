import fsp from 'node:fs/promises';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { XlsxFileError, XlsxPort, STATE_SHEET } from '../../cli/xlsx-port';
import { describePortContract } from '../port/contract';
import { tempDir } from './helpers';

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
      numberFormat: async (sheet: string, cell: string) => (await disk()).numberFormat(sheet, cell),
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
});
