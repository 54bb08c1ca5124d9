/**
 * Reading an import's CSV: the encodings (UTF-8 with or without a byte-order mark, UTF-16LE/BE with
 * one, Windows-1252 detected or named), streaming a file larger than one read chunk, and the row limit.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SITE_HEADER } from '../../core';
import {
  bomEncoding,
  describeEncoding,
  IMPORT_ROW_LIMIT,
  mapCsv,
  readCsvFile,
  type CsvEncoding,
} from '../../cli/import-csv';
import { tempDir } from './helpers';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('budgetline-csv-')));
afterAll(() => cleanup());

const TEXT = 'Account,Description,Amount\r\n100-1000-610-100-104,Café “supplies” – 2026,"$1,250.00"\r\n';
const ROW = ['Line', '100-1000-610-100-104', 'Café “supplies” – 2026', null, null, 1250];
let n = 0;
const file = (bytes: Uint8Array | string): string => {
  const f = join(dir, `f${++n}.csv`);
  writeFileSync(f, bytes);
  return f;
};
const utf16be = (s: string): Buffer => {
  const le = Buffer.from(s, 'utf16le');
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1] as number, le[i] as number];
  return le;
};
/** Windows-1252 for the few characters TEXT uses beyond ASCII. */
const cp1252 = (s: string): Buffer =>
  Buffer.from([...s].map((c) => ({ é: 0xe9, '“': 0x93, '”': 0x94, '–': 0x96 })[c] ?? c.charCodeAt(0)));

describe('readCsvFile encodings', () => {
  it.each<[string, Buffer, CsvEncoding, boolean, RegExp]>([
    ['UTF-8', Buffer.from(TEXT, 'utf8'), 'utf-8', false, /^UTF-8 \(detected\)$/],
    [
      'UTF-8 with a BOM',
      Buffer.from(`\uFEFF${TEXT}`, 'utf8'),
      'utf-8',
      true,
      /^UTF-8 \(from its byte-order mark\)$/,
    ],
    ['UTF-16LE with a BOM', Buffer.from(`\uFEFF${TEXT}`, 'utf16le'), 'utf-16le', true, /^UTF-16LE \(from/],
    ['UTF-16BE with a BOM', utf16be(`\uFEFF${TEXT}`), 'utf-16be', true, /^UTF-16BE \(from/],
    [
      'Windows-1252',
      cp1252(TEXT),
      'windows-1252',
      false,
      /^Windows-1252 \(detected: the file is not valid UTF-8\)$/,
    ],
  ])('reads %s and says so', async (_name, bytes, encoding, bom, said) => {
    const r = await readCsvFile(file(bytes));
    expect(r.encoding).toMatchObject({ encoding, bom });
    expect(describeEncoding(r.encoding)).toMatch(said);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]?.slice(0, 6)).toEqual(ROW);
    expect(r.rows[0]).toHaveLength(SITE_HEADER.length);
  });

  it('reads the encoding --encoding names, and refuses bytes that are not in it', async () => {
    const latin = file(cp1252(TEXT));
    const r = await readCsvFile(latin, { encoding: 'windows-1252' });
    expect(describeEncoding(r.encoding)).toBe('Windows-1252 (as --encoding says)');
    expect(r.rows[0]?.[2]).toBe('Café “supplies” – 2026');
    await expect(readCsvFile(latin, { encoding: 'utf-8' })).rejects.toThrow(
      /f\d+\.csv is not valid UTF-8 .*--encoding/,
    );
  });

  it('refuses an --encoding that its byte-order mark contradicts', async () => {
    await expect(
      readCsvFile(file(Buffer.from(`\uFEFF${TEXT}`, 'utf16le')), { encoding: 'utf-8' }),
    ).rejects.toThrow(/starts with a UTF-16LE byte-order mark, but --encoding says utf-8/);
  });

  it('names the byte-order marks', () => {
    expect(bomEncoding(new Uint8Array([0xef, 0xbb, 0xbf]))).toBe('utf-8');
    expect(bomEncoding(new Uint8Array([0xff, 0xfe, 0x41]))).toBe('utf-16le');
    expect(bomEncoding(new Uint8Array([0xfe, 0xff, 0x00]))).toBe('utf-16be');
    expect(bomEncoding(new Uint8Array([0x41, 0x42, 0x43]))).toBeUndefined();
  });
});

describe('readCsvFile streaming', () => {
  it('reads a file of many chunks whole, with multi-byte characters across chunk edges', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `100-1000-610-100-104,Café ${i} “x”,${i}.25`);
    const r = await readCsvFile(
      file(Buffer.from(`\uFEFF${['Account,Description,Amount', ...lines].join('\n')}`, 'utf16le')),
    );
    expect(r.rows).toHaveLength(20_000);
    expect(r.rows[19_999]?.slice(1, 6)).toEqual([
      '100-1000-610-100-104',
      'Café 19999 “x”',
      null,
      null,
      19_999.25,
    ]);
    expect(r.rows.every((row, i) => row[2] === `Café ${i} “x”`)).toBe(true);
  });

  it('refuses a file above the row limit, naming the limit, and a missing file or a bad quote', async () => {
    expect(IMPORT_ROW_LIMIT).toBeGreaterThanOrEqual(10_000);
    const body = ['Account,Amount', ...Array.from({ length: 11 }, () => '100-1000-610-100-104,1')].join('\n');
    await expect(readCsvFile(file(body), { maxRows: 10 })).rejects.toThrow(
      /has more than 10 rows; Budgetline imports at most 10 lines into one site sheet at a time\. Nothing was imported/,
    );
    expect((await readCsvFile(file(body), { maxRows: 11 })).rows).toHaveLength(11);
    await expect(readCsvFile(join(dir, 'none.csv'))).rejects.toThrow(/cannot read .*none\.csv: no such file/);
    await expect(readCsvFile(file('Account,Amount\n"100-1000,5\n'))).rejects.toThrow(/cannot be read as CSV/);
    await expect(readCsvFile(file(''))).rejects.toThrow(/is empty: no header row/);
  });

  it('maps like mapCsv does for the same rows, with blank rows counted', async () => {
    const text = 'GL Acct,Amt\n100-1000-610-100-104,5\n,\n100-1000-640-100-104,(1.50)\n';
    const mapping = [
      { target: 'Account' as const, source: 'GL Acct' },
      { target: 'Amount' as const, source: 'Amt' },
    ];
    const streamed = await readCsvFile(file(text), { mapping });
    const grid = text
      .trimEnd()
      .split('\n')
      .map((l) => l.split(','));
    const held = mapCsv(grid, 'x.csv', mapping);
    expect(streamed.rows).toEqual(held.rows);
    expect(streamed.blankRows).toBe(1);
    expect(held.rows[1]?.[5]).toBe(-1.5);
  });
});
