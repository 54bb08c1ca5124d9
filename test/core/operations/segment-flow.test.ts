/**
 * The district workbook with Setup "Account columns" = per segment (NCES): createWorkbook writes the
 * segment columns and their dropdowns in its one write; then validate → fix → submit → approve →
 * consolidate → export, and roll forward keeps the layout. Each operation: one read, at most one write.
 */
import {
  categoryDropdown,
  MemoryPort,
  SHEETS,
  SITE_HEADER,
  operations,
  runOperation,
  siteFormats,
  siteHeader,
  type CellValue,
  type OperationOptions,
  type PortUser,
} from '../../../core';
import { once, seedDistrict } from '../../fixtures/district';

const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };
const BUILDER: PortUser = { email: 'principal@district.k12.us', verified: true };
const APPROVER: PortUser = { email: 'approver@district.k12.us', verified: true };
const SEGMENTS = ['Fund', 'Function', 'Object', 'Program', 'Site'];
const HEADER = siteHeader(SEGMENTS);
const SHEET = 'Lincoln Elementary';

let clock = 0;
const options: OperationOptions = {
  now: () => new Date(Date.UTC(2026, 10, 28, 9, 30, clock++)).toISOString(),
};

const row = (o: Record<string, CellValue>): CellValue[] => HEADER.map((h) => o[h] ?? null);
const acct = (s: string): Record<string, string> => {
  const [Fund, Function, Object, Program, Site] = s.split('-') as [string, string, string, string, string];
  return { Fund, Function, Object, Program, Site };
};

/** The four NCES segments that list codes, each fed from its own block of the Codes sheet. */
const NCES_DROPDOWNS = (sheet: string): unknown[] => [
  { sheet, range: 'B2:B1001', source: { sheet: 'Codes', range: 'B2:B21' } },
  { sheet, range: 'C2:C1001', source: { sheet: 'Codes', range: 'B22:B87' } },
  { sheet, range: 'D2:D1001', source: { sheet: 'Codes', range: 'B88:B168' } },
  { sheet, range: 'E2:E1001', source: { sheet: 'Codes', range: 'B169:B177' } },
];

async function newDistrict(): Promise<MemoryPort> {
  const port = new MemoryPort({ user: CFO });
  const r = await once(
    port,
    () =>
      runOperation(
        port,
        operations.createWorkbook,
        {
          preset: 'nces',
          fiscalYear: 2027,
          district: 'Springfield USD',
          accountColumns: 'per segment',
          sites: [{ code: '001', name: SHEET }],
        },
        options,
      ),
    1,
  );
  expect(r.ok).toBe(true);
  seedDistrict(port, { cfo: CFO.email, builder: BUILDER.email, approver: APPROVER.email }, SHEET);
  port.setSheet(SHEET, [
    HEADER,
    row({ Type: 'Line', ...acct('100-1000-610-100-001'), Description: 'Classroom supplies', Amount: 3500 }),
    row({ Type: 'Line', ...acct('100-2220-641-100-001'), Description: 'Library periodicals', Amount: 450 }),
    row({ Type: 'Position', 'Job type': 'TCH', Employee: 'Ortiz', FTE: 1, ...acct('100-1000-111-100-001') }),
    row({
      Type: 'Line',
      ...acct('100-1000-640-100-001'),
      Site: 1, // pasted as a number: the zeros are restored, with a warning
      Description: 'Library books',
      Amount: 2750,
      'One-time': 'Yes',
    }),
  ]);
  return port;
}

describe('Account columns: per segment', () => {
  it('createWorkbook writes the segment columns and one dropdown per segment column, in one write', async () => {
    const port = new MemoryPort({ user: CFO });
    await once(
      port,
      () =>
        runOperation(
          port,
          operations.createWorkbook,
          {
            preset: 'nces',
            fiscalYear: 2027,
            district: 'Springfield USD',
            accountColumns: 'per segment',
            sites: [
              { code: '001', name: 'Lincoln Elementary' },
              { code: '002', name: 'Washington Middle', sheet: 'Washington' },
            ],
          },
          options,
        ),
      1,
    );
    expect(port.sheet(SHEETS.setup)).toContainEqual(['Account columns', 'per segment']);
    expect(
      port
        .sheet(SHEETS.sites)
        ?.slice(1)
        .map((r) => r.slice(0, 3)),
    ).toEqual([
      ['001', 'Lincoln Elementary', null],
      ['002', 'Washington Middle', 'Washington'],
    ]);
    expect(port.sheet('Lincoln Elementary')).toEqual([
      [
        'Type',
        'Fund',
        'Function',
        'Object',
        'Program',
        'Site',
        'Description',
        'Quantity',
        'Unit cost',
      ].concat(SITE_HEADER.slice(5)),
    ]);
    expect(port.sheet('Washington')?.[0]).toEqual(HEADER);
    expect(siteFormats(SEGMENTS).slice(1, 6)).toEqual(['@', '@', '@', '@', '@']); // codes stay text
    // NCES lists no site codes (any three digits): the Site column has no dropdown.
    expect(port.dropdowns()).toEqual([
      ...NCES_DROPDOWNS('Lincoln Elementary'),
      ...NCES_DROPDOWNS('Washington'),
      categoryDropdown(),
    ]);
    const codes = port.sheet(SHEETS.codes) ?? [];
    expect([codes[1]?.[0], codes[20]?.[0], codes[21]?.[0], codes[86]?.[0], codes[87]?.[0]]).toEqual([
      'fund',
      'fund',
      'function',
      'function',
      'object',
    ]);
    // The NCES revenue-source list follows the segments' codes (no dropdown: it is not a segment).
    expect([codes[167]?.[0], codes[168]?.[0], codes[176]?.[0], codes[177]?.[0], codes.length]).toEqual([
      'object',
      'program',
      'program',
      'revenueSource',
      198,
    ]);
  });

  it('keeps the one-column layout by default: Account column, no dropdowns', async () => {
    const port = new MemoryPort({ user: CFO });
    await runOperation(
      port,
      operations.createWorkbook,
      { preset: 'nces', fiscalYear: 2027, district: 'X', sites: [{ code: '001', name: 'Lincoln' }] },
      options,
    );
    expect(port.sheet(SHEETS.setup)).toContainEqual(['Account columns', 'one']);
    expect(port.sheet('Lincoln')).toEqual([[...SITE_HEADER]]);
    // Only the Proposals sheet's Category list.
    expect(port.dropdowns()).toEqual([categoryDropdown()]);
  });

  it('refuses an Account columns value it does not understand, on its Setup cell', async () => {
    const port = await newDistrict();
    const setup = port.sheet(SHEETS.setup) ?? [];
    const i = setup.findIndex((r) => r[0] === 'Account columns');
    port.setCell(SHEETS.setup, `B${i + 1}`, 'two');
    const v = await runOperation(port, operations.validateSites, {}, options);
    expect(v.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'BL804', sheet: SHEETS.setup, cell: `B${i + 1}` }),
    );
  });

  it('runs the year: validate, fix, submit, approve, consolidate, export', async () => {
    const port = await newDistrict();

    // validate: the bad object code is marked on the Object cell; the dropped zeros are a warning
    const v = await once(port, () => runOperation(port, operations.validateSites, {}, options), 1);
    expect(v.ok).toBe(false);
    expect(port.marks(SHEET)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ cell: 'D3', severity: 'fatal', note: expect.stringContaining('BL104') }),
        expect.objectContaining({ cell: 'F5', severity: 'warning', note: expect.stringContaining('BL006') }),
      ]),
    );
    expect(port.marks(SHEET)).toHaveLength(2);
    expect(port.sheet(SHEET)?.[4]?.[5]).toBe(1); // the user's cell is not changed

    port.user = BUILDER;
    const refused = await once(
      port,
      () => runOperation(port, operations.submit, { site: '001' }, options),
      0,
    );
    expect(refused.diagnostics.map((d) => d.code)).toContain('BL605');

    // fix the Object cell: live validation of that row clears its mark
    port.setCell(SHEET, 'D3', '640');
    const live = await once(
      port,
      () => runOperation(port, operations.validateRows, { sheet: SHEET, from: 2, to: 2 }, options),
      1,
    );
    expect(live.diagnostics).toEqual([]);
    expect(port.marks(SHEET).map((m) => m.cell)).toEqual(['F5']);

    // a live check of a pasted row puts the finding on the segment cell
    port.setCell(SHEET, 'C4', '9999');
    const pasted = await runOperation(
      port,
      operations.validateRows,
      { sheet: SHEET, from: 3, to: 3 },
      options,
    );
    expect(pasted.diagnostics).toEqual([expect.objectContaining({ code: 'BL104', cell: 'C4' })]);
    port.setCell(SHEET, 'C4', '1000');
    await runOperation(port, operations.validateRows, { sheet: SHEET, from: 3, to: 3 }, options);

    const st = await once(port, () => runOperation(port, operations.status, { site: '001' }, options), 0);
    expect(st.view.site?.can.submit).toBe(true);
    expect(st.view.site?.allocations.find((a) => a.label === 'Site total')?.plannedCents).toBe(
      350_000 + 45_000 + 6_600_000 + 275_000,
    );

    const sub = await once(port, () => runOperation(port, operations.submit, { site: '001' }, options), 1);
    expect(sub.ok).toBe(true);
    port.user = APPROVER;
    const ok = await once(port, () => runOperation(port, operations.approve, { site: '001' }, options), 1);
    expect(ok.ok).toBe(true);
    expect(port.state.sites['001']?.state).toBe('approved');

    port.user = CFO;
    const c = await once(
      port,
      () => runOperation(port, operations.consolidate, { unapproved: 'exclude' }, options),
      1,
    );
    expect(c).toMatchObject({ ok: true, control: { agree: true, masterCents: 7_270_000 } });

    const e = await once(
      port,
      () => runOperation(port, operations.exportBudget, { format: 'generic-csv' }, options),
      0,
    );
    expect(e.ok).toBe(true);
    expect(e.content).toContain('100-2220-640-100-001');
    expect(e.content).toContain('100-1000-640-100-001');

    const clean = await once(port, () => runOperation(port, operations.verify, {}, options), 0);
    expect(clean.diagnostics).toEqual([]);
    port.setCell(SHEET, 'D2', '640'); // a segment changed after approval
    const changed = await once(port, () => runOperation(port, operations.verify, {}, options), 0);
    expect(changed.diagnostics.map((d) => d.code)).toContain('BL612');
  });

  it('rolls forward keeping the layout and the dropdowns', async () => {
    const port = await newDistrict();
    port.setCell(SHEET, 'D3', '640');
    const target = new MemoryPort();
    const r = await once(port, () => runOperation(port, operations.rollForward, {}, options), 0);
    expect(r.ok).toBe(true);
    if (r.next) await target.write(r.next);
    const next = target.sheet(SHEET) ?? [];
    expect(next[0]).toEqual(HEADER);
    expect(next.slice(1).map((x) => x.slice(1, 6))).toEqual([
      ['100', '1000', '610', '100', '001'],
      ['100', '2220', '640', '100', '001'],
      ['100', '1000', '111', '100', '001'],
    ]);
    expect(target.dropdowns()).toEqual(NCES_DROPDOWNS(SHEET));
    const v = await runOperation(target, operations.validateSites, {}, options);
    expect(v.diagnostics.filter((d) => d.severity === 'fatal')).toEqual([]);
  });
});
