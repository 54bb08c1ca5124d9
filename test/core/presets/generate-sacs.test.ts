import { readFileSync } from 'node:fs';
import {
  DEFAULT_SOURCE_DIR,
  OUTPUT_FILE,
  SACS_TABLES,
  generateSacsChart,
  readCdeTable,
  readSacsCsvs,
  type SacsCsvs,
  type SacsTable,
} from '../../../scripts/generate-sacs';
import { loadChartFromJson } from '../../../core';

describe('scripts/generate-sacs.ts', () => {
  test('regenerating from the CDE tables vendored in vendor/ca-sacs gives the committed california.json byte for byte', () => {
    const csvs = readSacsCsvs(DEFAULT_SOURCE_DIR);
    expect(Object.keys(csvs)).toEqual(['2021', '2022']);
    expect(generateSacsChart(csvs)).toBe(readFileSync(OUTPUT_FILE, 'utf8'));
  });

  const cde = (rows: [string, string][]): string =>
    ['Code,Title', ...rows.map(([c, t]) => `"${c.padEnd(4)}","${t.padEnd(60)}"`)].join('\n') + '\n';
  const year = (over: Partial<Record<SacsTable, [string, string][]>>): Record<SacsTable, string> => {
    const base: Record<SacsTable, [string, string][]> = {
      fund: [['01', 'General Fund']],
      resource: [['0000', 'Unrestricted']],
      goal: [['0000', 'Undistributed']],
      function: [['0000', 'Not Applicable']],
      object: [['1100', "Certificated Teachers' Salaries"]],
    };
    return Object.fromEntries(SACS_TABLES.map((t) => [t, cde(over[t] ?? base[t])])) as Record<
      SacsTable,
      string
    >;
  };
  const small: SacsCsvs = {
    2021: year({
      resource: [
        ['0000', 'Unrestricted'],
        ['3200', 'Retired Grant'],
        ['3550', 'Carl D. Perkins'],
        ['VARY', 'Various Resources'],
      ],
    }),
    2022: year({
      resource: [
        ['0000', 'Unrestricted'],
        ['2600', 'New\r\n        Program'],
        ['3550', 'Perkins V'],
        ['VARY', 'Various Resources'],
      ],
    }),
  };
  const codesOf = (text: string, seg: string): unknown =>
    (JSON.parse(text) as { codes: Record<string, unknown> }).codes[seg];

  test('bounds each code by the years that list it, keeps the latest title and sorts digits before letters', () => {
    expect(codesOf(generateSacsChart(small), 'resource')).toEqual([
      ['0000', 'Unrestricted'],
      { code: '2600', description: 'New Program', fromFY: 2022 },
      { code: '3200', description: 'Retired Grant', toFY: 2021 },
      ['3550', 'Perkins V'],
      ['VARY', 'Various Resources'],
    ]);
  });

  test('the output does not depend on the order the years are given in, and loads cleanly', () => {
    const text = generateSacsChart(small);
    expect(
      generateSacsChart({
        2022: small[2022] as Record<SacsTable, string>,
        2021: small[2021] as Record<SacsTable, string>,
      }),
    ).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
    expect(loadChartFromJson(JSON.parse(text)).diagnostics).toEqual([]);
    expect(JSON.parse(text)).toMatchObject({ id: 'california', delimiter: null, defaultFiscalYear: 2022 });
  });

  test('trims padded codes and titles, and reads a byte-order mark', () => {
    expect(readCdeTable('\uFEFFCode,Title\n"01  ","General Fund    "\n', 't')).toEqual([
      { code: '01', title: 'General Fund' },
    ]);
  });

  test.each([
    ['a wrong header', 'Id,Name\n"01","General"\n', /header/],
    ['a code listed twice', 'Code,Title\n"01","A"\n"01 ","B"\n', /twice/],
    ['a blank code', 'Code,Title\n"  ","A"\n', /no code/],
  ])('refuses a table with %s', (_, text, message) => {
    expect(() => readCdeTable(text, 't')).toThrow(message);
  });

  test('refuses a code of the wrong length for its segment', () => {
    const bad: SacsCsvs = { 2022: year({ fund: [['1', 'One digit']] }) };
    expect(() => generateSacsChart(bad)).toThrow(/not 2 characters/);
  });
});
