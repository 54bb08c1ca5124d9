/**
 * importBySite as a plan: one extract holding every site's lines, a snapshot in, the result and the
 * one write out. All or nothing: every problem is a finding on the extract's row, and nothing is
 * written when there is one.
 */
import {
  MemoryPort,
  SHEETS,
  SITE_HEADER,
  SITES_TABLE,
  gridOf,
  operations,
  runOperation,
  type CellValue,
  type ImportBySiteArgs,
  type OperationOptions,
  type PortUser,
  type Snapshot,
} from '../../../core';
import { once, seedDistrict } from '../../fixtures/district';

const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };
const BUILDER: PortUser = { email: 'principal@district.k12.us', verified: true };
const APPROVER: PortUser = { email: 'approver@district.k12.us', verified: true };
const options: OperationOptions = { now: () => '2026-11-28T09:30:00.000Z' };

async function district(state: 'draft' | 'submitted' = 'draft'): Promise<MemoryPort> {
  const port = new MemoryPort({ user: CFO });
  await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD' },
    options,
  );
  seedDistrict(port, { cfo: CFO.email, builder: BUILDER.email, approver: APPROVER.email });
  port.setSheet(
    SHEETS.sites,
    gridOf(
      SITES_TABLE,
      ['code', 'name', 'sheet', 'enrollment', 'gradeBand', 'titleI'],
      [
        ['001', 'Lincoln Elementary', '', 420, 'elementary', 'No'],
        ['002', 'Washington Middle', '', 610, 'middle', 'No'],
      ],
    ),
  );
  port.setSheet('Lincoln Elementary', [
    [...SITE_HEADER],
    SITE_HEADER.map((h) =>
      h === 'Type' ? 'Line' : h === 'Account' ? '100-1000-610-100-001' : h === 'Amount' ? 100 : null,
    ),
  ]);
  if (state === 'submitted') {
    port.user = BUILDER;
    expect((await runOperation(port, operations.submit, { site: '001' }, options)).ok).toBe(true);
  }
  port.user = CFO;
  return port;
}

async function snapshot(state: 'draft' | 'submitted' = 'draft'): Promise<Snapshot> {
  const port = await district(state);
  return port.read(operations.importBySite.reads({ header: [], records: [] }));
}

const HEADER = ['Org', 'Account', 'Description', 'Amount'];
const GOOD: CellValue[][] = [
  ['001', '100-1000-610-100-001', 'Classroom supplies', '3500.00'],
  ['002', '100-1000-610-100-002', 'Classroom supplies', '4100.00'],
  ['002', '100-2130-610-100-002', 'Nurse supplies', '-25.50'],
];

interface Case {
  readonly what: string;
  readonly state?: 'draft' | 'submitted';
  readonly args: Partial<ImportBySiteArgs> & { records: readonly (readonly CellValue[])[] };
  /** Each finding as code@cell, in order. */
  readonly findings: readonly string[];
  readonly ok: boolean;
  readonly summary: RegExp;
  readonly written: boolean;
}

const TABLE: readonly Case[] = [
  {
    what: 'every site gets its lines, from the site column',
    args: { siteColumn: 'Org', records: GOOD },
    // Warnings stay on the site sheets (no allocation for site 002 yet) and do not refuse the file.
    findings: ['BL503@Washington Middle!B2', 'BL503@Washington Middle!B3'],
    ok: true,
    summary: /^Imported 3 lines from erp\.csv into 2 sites \(001 1 line added, 002 2 lines\)\./,
    written: true,
  },
  {
    what: "the site from the account's site segment when there is no site column",
    args: { header: ['Account', 'Description', 'Amount'], records: GOOD.map((r) => r.slice(1)) },
    // Warnings stay on the site sheets (no allocation for site 002 yet) and do not refuse the file.
    findings: ['BL503@Washington Middle!B2', 'BL503@Washington Middle!B3'],
    ok: true,
    summary: /^Imported 3 lines from erp\.csv into 2 sites/,
    written: true,
  },
  {
    what: 'a site missing from Sites refuses the whole file',
    args: { siteColumn: 'Org', records: [...GOOD, ['009', '100-1000-610-100-009', 'Paper', '10']] },
    findings: ['BL840@erp.csv!A5'],
    ok: false,
    summary: /^Nothing was imported: 1 problem in erp\.csv/,
    written: false,
  },
  {
    what: 'amounts typed as text with $, commas or parentheses are findings on their cells',
    args: {
      siteColumn: 'Org',
      records: [
        ['001', '100-1000-610-100-001', 'Paper', '$1,200.00'],
        ['002', '100-1000-610-100-002', 'Paper', '(450.00)'],
        ['002', '100-1000-610-100-002', 'Ink', '1,000'],
      ],
    },
    findings: ['BL841@erp.csv!D2', 'BL841@erp.csv!D3', 'BL841@erp.csv!D4'],
    ok: false,
    summary: /^Nothing was imported: 3 problems/,
    written: false,
  },
  {
    what: 'a repeated line is a finding naming the first',
    args: { siteColumn: 'Org', records: [...GOOD, GOOD[1] as CellValue[]] },
    findings: ['BL842@erp.csv!B5'],
    ok: false,
    summary: /^Nothing was imported/,
    written: false,
  },
  {
    what: "a line that fails validation is reported on the extract's cell, and nothing is written",
    args: { siteColumn: 'Org', records: [...GOOD, ['002', '100-2220-641-100-002', 'Periodicals', '45']] },
    findings: ['BL104@erp.csv!B5'],
    ok: false,
    summary: /^Nothing was imported: 1 problem/,
    written: false,
  },
  {
    what: 'a submitted site refuses the file',
    state: 'submitted',
    args: { siteColumn: 'Org', records: GOOD },
    findings: ['BL821@erp.csv!A2'],
    ok: false,
    summary: /^Nothing was imported/,
    written: false,
  },
  {
    what: 'a blank site cell, and a site column that is not there',
    args: { siteColumn: 'Org', records: [['', '100-1000-610-100-001', 'Paper', '10']] },
    findings: ['BL843@erp.csv!A2'],
    ok: false,
    summary: /^Nothing was imported/,
    written: false,
  },
  {
    what: 'a --site-column the extract does not have',
    args: { siteColumn: 'Location', records: GOOD },
    findings: ['BL843@erp.csv!A1'],
    ok: false,
    summary: /^Nothing was imported/,
    written: false,
  },
  {
    what: 'every problem at once, blank rows skipped but counted in the row numbers',
    args: {
      siteColumn: 'Org',
      records: [
        ['009', '100-1000-610-100-009', 'Paper', '10'],
        ['', '', '', ''],
        ['001', '100-1000-610-100-001', 'Paper', '$10'],
      ],
    },
    findings: ['BL840@erp.csv!A2', 'BL841@erp.csv!D4'],
    ok: false,
    summary: /^Nothing was imported: 2 problems/,
    written: false,
  },
];

describe('importBySite: one extract into every site, all or nothing', () => {
  it.each(TABLE.map((c) => [c.what, c] as const))('%s', async (_, c) => {
    const snap = await snapshot(c.state);
    const args: ImportBySiteArgs = { header: HEADER, source: 'erp.csv', ...c.args };
    const out = operations.importBySite.run(snap, args, options);
    expect(out.result.diagnostics.map((d) => `${d.code}@${d.sheet ?? ''}!${d.cell ?? ''}`)).toEqual(
      c.findings,
    );
    expect(out.result.ok).toBe(c.ok);
    expect(out.result.summary).toMatch(c.summary);
    expect(out.write !== undefined).toBe(c.written);
    if (!c.written) expect(out.result.sites).toEqual([]);
    // Pure: the same snapshot gives the same outcome.
    expect(operations.importBySite.run(snap, args, options)).toEqual(out);
  });

  it('writes each site in one write, appending or replacing, with a report per site', async () => {
    const port = await district();
    const r = await once(
      port,
      () =>
        runOperation(
          port,
          operations.importBySite,
          { header: HEADER, records: GOOD, siteColumn: 'Org', source: 'erp.csv' },
          options,
        ),
      1,
    );
    expect(r.ok).toBe(true);
    expect(r.sites).toEqual([
      { code: '001', sheet: 'Lincoln Elementary', imported: 1, appended: true },
      { code: '002', sheet: 'Washington Middle', imported: 2, appended: false },
    ]);
    const lincoln = port.sheet('Lincoln Elementary') ?? [];
    const washington = port.sheet('Washington Middle') ?? [];
    expect(lincoln).toHaveLength(3);
    expect(washington.slice(1).map((row) => [row[1], row[2], row[5], row[0]])).toEqual([
      ['100-1000-610-100-002', 'Classroom supplies', 4100, 'Line'],
      ['100-2130-610-100-002', 'Nurse supplies', -25.5, 'Line'],
    ]);

    const replaced = await runOperation(
      port,
      operations.importBySite,
      { header: HEADER, records: GOOD.slice(0, 1), siteColumn: 'Org', replace: true },
      options,
    );
    expect(replaced.sites).toEqual([
      { code: '001', sheet: 'Lincoln Elementary', imported: 1, appended: false },
    ]);
    // The header and the one line (the summary block right of the table may run longer).
    expect(
      (port.sheet('Lincoln Elementary') ?? []).filter((row) => row[0] !== null && row[0] !== ''),
    ).toHaveLength(2);
  });

  it('writes nothing when the file is refused', async () => {
    const port = await district();
    const before = port.sheet('Lincoln Elementary');
    const r = await once(
      port,
      () =>
        runOperation(
          port,
          operations.importBySite,
          { header: HEADER, records: [...GOOD, ['009', 'x', 'y', '1']], siteColumn: 'Org' },
          options,
        ),
      0,
    );
    expect(r.ok).toBe(false);
    expect(port.sheet('Lincoln Elementary')).toEqual(before);
    expect(port.sheet('Washington Middle')).toBeUndefined();
  });
});
