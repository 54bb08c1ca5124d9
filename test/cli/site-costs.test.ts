/**
 * Site sheets' computed costs through the command line on a real .xlsx: each funding piece's cost
 * written by `validate`, and, after the file was edited in another program (ExcelJS here, as
 * LibreOffice or Excel without the add-in would), a stale cost told from one typed over.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SITE_HEADER, type CellValue } from '../../core';
import { columnLetter } from '../../core/cells';
import { XlsxPort } from '../../cli/xlsx-port';
import { districtTables } from '../fixtures/district';
import { runCli, tempDir } from './helpers';

jest.setTimeout(120_000);

const SHEET = 'Lincoln Elementary';
const people = { cfo: 'cfo@district.k12.us', builder: 'b@district.k12.us', approver: 'a@district.k12.us' };
const row = (o: Readonly<Record<string, CellValue>>): CellValue[] => SITE_HEADER.map((h) => o[h] ?? null);
const col = (h: string): number => SITE_HEADER.indexOf(h as (typeof SITE_HEADER)[number]);
const cell = (r: number, h: string): string => `${columnLetter(col(h))}${r + 1}`;

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('budgetline-costs-')));
afterEach(() => cleanup());

/** A district workbook made by `init`, with the sample district's tables and one site sheet. */
async function workbook(): Promise<string> {
  const file = join(dir, 'district.xlsx');
  expect((await runCli(['init', file, '--fiscal-year', '2027', '--district', 'Springfield USD'])).code).toBe(
    0,
  );
  const port = await XlsxPort.open(file);
  const rows = [
    [...SITE_HEADER],
    row({
      Type: 'Line',
      Account: '100-1000-610-100-001',
      Description: 'Paper',
      Quantity: 12,
      'Unit cost': 4.25,
    }),
    row({
      Type: 'Position',
      'Job type': 'TCH',
      Employee: 'Lee',
      FTE: 0.5,
      Account: '100-1000-111-100-001',
      Percent: 0.3333,
      'Account 2': '100-2220-111-100-001',
      'Percent 2': 0.6667,
    }),
  ];
  // The sample district's rows, each cell under its column of the header `init` wrote.
  const made = await port.read({ sheets: 'all' });
  const tables = Object.entries(districtTables(people)).map(([sheet, [head = [], ...body]]) => {
    const header = made.sheets[sheet]?.[0] ?? head;
    // (The Sites counts the sample leaves out are 0 here: a blank count is a finding.)
    const counts = ['English learners', 'Special education', 'Low income'];
    const values = body.map((r) =>
      header.map((h) => r[head.indexOf(h)] ?? (sheet === 'Sites' && counts.includes(String(h)) ? 0 : null)),
    );
    return { sheet, values: [[...header], ...values], replace: true };
  });
  await port.write({ sheets: [...tables, { sheet: SHEET, values: rows, header: true }] });
  return file;
}

/**
 * Edits numbers in cells of the site sheet as another program would (LibreOffice, or Excel without
 * the add-in): the worksheet's XML changed in the package, nothing else, Budgetline not involved.
 */
function editElsewhere(file: string, cells: Readonly<Record<string, number>>): void {
  const zip = unzipSync(readFileSync(file));
  const text = (name: string): string => strFromU8(zip[name] ?? new Uint8Array());
  const rid = new RegExp(`<sheet [^>]*name="${SHEET}"[^>]*r:id="([^"]+)"`).exec(text('xl/workbook.xml'))?.[1];
  const target = new RegExp(`Id="${rid}"[^>]*Target="([^"]+)"`).exec(text('xl/_rels/workbook.xml.rels'))?.[1];
  const part = `xl/${(target ?? '').replace(/^\/?xl\//, '')}`;
  let xml = text(part);
  for (const [at, v] of Object.entries(cells)) {
    const re = new RegExp(
      `<c r="${at}"((?: (?!t=)[a-z]+="[^"]*")*)(?: t="[^"]*")?((?: [a-z]+="[^"]*")*)(?:/>|>.*?</c>)`,
    );
    expect(re.test(xml)).toBe(true);
    xml = xml.replace(re, `<c r="${at}"$1$2><v>${v}</v></c>`);
  }
  zip[part] = strToU8(xml);
  writeFileSync(file, zipSync(zip));
}

interface Out {
  diagnostics: { code: string; cell: string | null; message: string }[];
}
const validate = async (file: string): Promise<Out> =>
  JSON.parse((await runCli(['validate', file, '--json'])).stdout) as Out;
const costCodes = (o: Out): string[] =>
  o.diagnostics.map((d) => d.code).filter((c) => c === 'BL430' || c === 'BL432');

async function costs(file: string, r: number): Promise<CellValue[]> {
  const grid = (await (await XlsxPort.open(file)).read({ sheets: [SHEET] })).sheets[SHEET] ?? [];
  return ['Cost (computed)', 'Cost, Account (computed)', 'Cost, Account 2 (computed)'].map(
    (h) => grid[r]?.[col(h)] ?? null,
  );
}

describe('budgetline validate: the computed costs of a site sheet', () => {
  it('widens the Excel table of a sheet validated before the piece columns, moving its summary right', async () => {
    const file = await workbook();
    // The layout of the last release: the table up to Cost (computed), an Excel table over it, a
    // blank column, then the summary block.
    const port = await XlsxPort.open(file);
    const grid = (await port.read({ sheets: [SHEET] })).sheets[SHEET] ?? [];
    const cost = col('Cost (computed)');
    const summary = ['Funding source (computed)', 'Allocated', 'Planned', 'Remaining', 'FTE allocated'];
    await port.write({
      sheets: [
        {
          sheet: SHEET,
          values: grid.map((r, i) => [
            ...r.slice(0, cost + 1),
            null,
            ...(i === 0 ? summary : i === 1 ? ['Site total', 1, 2, 3, 4] : [null, null, null, null, null]),
          ]),
          replace: true,
          header: true,
        },
      ],
      tables: [{ sheet: SHEET, name: 'Site_Lincoln_Elementary', range: `A1:${columnLetter(cost)}3` }],
    });
    const out = await validate(file);
    expect(out.diagnostics.filter((d) => d.code === 'BL431')).toEqual([]);
    const after = await XlsxPort.open(file);
    const header = (await after.read({ sheets: [SHEET] })).sheets[SHEET]?.[0] ?? [];
    expect(header.slice(cost, cost + 4)).toEqual([
      'Cost (computed)',
      'Cost, Account (computed)',
      'Cost, Account 2 (computed)',
      null,
    ]);
    expect(header[cost + 4]).toBe('Funding source (computed)');
    expect(after.tables().filter((t) => t.sheet === SHEET)).toEqual([
      { sheet: SHEET, name: 'Site_Lincoln_Elementary', range: `A1:${columnLetter(cost + 2)}3` },
    ]);
    expect(await costs(file, 1)).toEqual([51, 51, null]);
  });

  it('writes each funding piece’s cost, summing to the row’s cost', async () => {
    const file = await workbook();
    expect(costCodes(await validate(file))).toEqual([]);
    const [total, a, b] = (await costs(file, 2)) as number[];
    expect(total).toBe(33000);
    expect(Math.round((a ?? 0) * 100) + Math.round((b ?? 0) * 100)).toBe(3_300_000);
    expect(await costs(file, 1)).toEqual([51, 51, null]);
  });

  it('after inputs were edited in another program: the stale costs are refreshed with one BL432', async () => {
    const file = await workbook();
    await validate(file);
    editElsewhere(file, { [cell(1, 'Quantity')]: 20, [cell(2, 'FTE')]: 1 });
    const out = await validate(file);
    expect(costCodes(out)).toEqual(['BL432']);
    expect(out.diagnostics.find((d) => d.code === 'BL432')?.message).toMatch(
      /^5 computed costs were refreshed/,
    );
    expect((await costs(file, 1))[0]).toBe(85);
    expect((await costs(file, 2))[0]).toBe(66000);
    expect(costCodes(await validate(file))).toEqual([]);
  });

  it('after a cost was typed over in another program: BL430 on each differing cell, "typed over, or out of date"', async () => {
    const file = await workbook();
    await validate(file);
    editElsewhere(file, { [cell(1, 'Quantity')]: 20, [cell(2, 'Cost (computed)')]: 1 });
    const out = await validate(file);
    expect(costCodes(out)).toEqual(['BL430', 'BL430', 'BL430']);
    expect(out.diagnostics.filter((d) => d.code === 'BL430').map((d) => d.cell)).toEqual([
      cell(1, 'Cost (computed)'),
      cell(1, 'Cost, Account (computed)'),
      cell(2, 'Cost (computed)'),
    ]);
    expect(out.diagnostics.find((d) => d.code === 'BL430')?.message).toMatch(/typed over, or is out of date/);
    expect((await costs(file, 2))[0]).toBe(33000);
  });
});
