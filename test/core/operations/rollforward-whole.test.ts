/**
 * Roll-forward is all or nothing and loses nothing typed: any fatal finding refuses it with no next
 * year at all (each finding naming its sheet and cell), a Sites table that cannot be read is refused
 * rather than rolled into a district without sites, and every cell a person typed in a carried row —
 * a position's Description, the columns a district added — is in next year's row (a property over
 * generated site sheets).
 */
import fc from 'fast-check';
import {
  MemoryPort,
  operations,
  runOperation,
  SHEETS,
  SITE_HEADER,
  type CellValue,
  type OperationOptions,
  type PortUser,
  type RollForwardResult,
} from '../../../core';
import { seedDistrict } from '../../fixtures/district';

const CFO: PortUser = { email: 'cfo@district.k12.us', verified: true };
const options: OperationOptions = { now: () => '2026-11-28T09:30:00.000Z' };
const SHEET = 'Lincoln Elementary';
const row = (
  fields: Partial<Record<string, CellValue>>,
  header: readonly string[] = SITE_HEADER,
): CellValue[] => header.map((h) => fields[h] ?? null);

async function district(rows: CellValue[][], header: readonly string[] = SITE_HEADER): Promise<MemoryPort> {
  const port = new MemoryPort({ user: CFO });
  await runOperation(
    port,
    operations.createWorkbook,
    { preset: 'nces', fiscalYear: 2027, district: 'Springfield USD', sites: [{ code: '001', name: SHEET }] },
    options,
  );
  seedDistrict(port, { cfo: CFO.email, builder: 'b@district.k12.us', approver: 'a@district.k12.us' }, SHEET);
  port.setSheet(SHEET, [[...header], ...rows]);
  return port;
}

const roll = (port: MemoryPort): Promise<RollForwardResult> =>
  runOperation(port, operations.rollForward, { salaryIncrease: 2 }, options);

const nextSheet = (r: RollForwardResult): CellValue[][] =>
  (r.next?.sheets?.find((w) => w.sheet === SHEET)?.values ?? []).map((x) => [...x]);

const SUPPLIES = {
  Type: 'Line',
  Account: '100-1000-610-100-001',
  Description: 'Classroom supplies',
  Amount: 3500,
};

describe('roll-forward is all or nothing', () => {
  it('refuses on a line that does not validate: no next year, the finding on its sheet and cell', async () => {
    const port = await district([
      row(SUPPLIES),
      row({ Type: 'Line', Account: '100-1000-618-100-001', Description: 'Typo', Amount: 10 }),
    ]);
    port.resetCounts();
    const r = await roll(port);
    expect(r.ok).toBe(false);
    expect(r.next).toBeUndefined();
    expect(r.summary).toBe(
      "Nothing was rolled forward: 1 problem to fix first, each named below; next year's workbook was not written.",
    );
    expect(r.diagnostics.filter((d) => d.severity === 'fatal').map((d) => [d.code, d.sheet, d.cell])).toEqual(
      [['BL104', SHEET, 'B3']],
    );
    expect(port.roundTrips).toEqual({ reads: 1, writes: 0 });
  });

  it('refuses an account that is not valid next year (BL422) rather than carrying it', async () => {
    const port = await district([row(SUPPLIES)]);
    // Object 610 is retired from FY2028 on.
    const codes = (port.sheet(SHEETS.codes) ?? []).map((r) => [...r]);
    const header = (codes[0] ?? []).map((h) => String(h).toLowerCase());
    const [seg = -1, code = -1, to = -1] = ['segment', 'code', 'to fy'].map((h) => header.indexOf(h));
    expect([seg, code, to].every((i) => i >= 0)).toBe(true);
    let retired = 0;
    for (const r of codes)
      if (String(r[seg]).toLowerCase() === 'object' && String(r[code]) === '610') {
        r[to] = 2027;
        retired++;
      }
    expect(retired).toBe(1);
    port.setSheet(SHEETS.codes, codes);
    const r = await roll(port);
    expect(r.ok).toBe(false);
    expect(r.next).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toContain('BL422');
  });

  it('refuses when the Sites sheet is gone (BL801) or lists no site (BL864), never a district without sites', async () => {
    const gone = await district([row(SUPPLIES)]);
    gone.deleteSheet(SHEETS.sites);
    const a = await roll(gone);
    expect([a.ok, a.next, a.diagnostics[0]?.code]).toEqual([false, undefined, 'BL801']);
    expect(a.diagnostics[0]?.message).toMatch(/no "Sites" sheet/);
    const empty = await district([row(SUPPLIES)]);
    empty.setSheet(SHEETS.sites, [(empty.sheet(SHEETS.sites) ?? [])[0] ?? []]);
    const b = await roll(empty);
    expect([b.ok, b.next]).toEqual([false, undefined]);
    expect(b.diagnostics.map((d) => [d.code, d.sheet])).toContainEqual(['BL864', SHEETS.sites]);
  });
});

describe('roll-forward keeps every typed cell of a carried row', () => {
  it("keeps a position's Description, a line's Proposal and a column the district added", async () => {
    const header = [...SITE_HEADER, 'Priority'];
    const port = await district(
      [
        row({ ...SUPPLIES, Proposal: 'P-07', Priority: 'high' }, header),
        row(
          {
            Type: 'Position',
            'Job type': 'TCH',
            Employee: 'Ortiz',
            Description: 'Grade 3 teacher, room 12',
            FTE: 1,
            Account: '100-1000-111-100-001',
            Priority: 'keep',
          },
          header,
        ),
      ],
      header,
    );
    const r = await roll(port);
    expect(r.ok).toBe(true);
    const [h = [], ...rows] = nextSheet(r);
    const at = (name: string): number => h.indexOf(name);
    expect(at('Priority')).toBeGreaterThan(at('Proposal'));
    const position = rows.find((x) => x[at('Type')] === 'Position') ?? [];
    expect(position[at('Description')]).toBe('Grade 3 teacher, room 12');
    expect(position[at('Priority')]).toBe('keep');
    const line = rows.find((x) => x[at('Description')] === 'Classroom supplies') ?? [];
    expect([line[at('Proposal')], line[at('Priority')]]).toEqual(['P-07', 'high']);
  });

  it('maps a synonym header onto its column and never carries a computed one', async () => {
    const header = SITE_HEADER.map((h) => (h === 'Notes' ? 'Comments' : h));
    const port = await district(
      [row({ ...SUPPLIES, Comments: 'ask PTA', 'Cost (computed)': 99 }, header)],
      header,
    );
    const r = await roll(port);
    const [h = [], first = []] = nextSheet(r);
    expect(h).not.toContain('Comments');
    expect(first[h.indexOf('Notes')]).toBe('ask PTA');
    expect(first[h.indexOf('Cost (computed)')]).toBeNull();
  });

  // The columns roll-forward itself changes (accounts move to next year, salaries are raised,
  // One-time is "No" on what is carried) and the computed one; every other cell must survive as typed.
  const CHANGED = new Set(['Account', 'Salary', 'One-time', 'Cost (computed)']);
  const EXTRA = ['Priority', 'Requested by', 'Room'];
  const text = fc.oneof(
    fc.constant(null),
    fc.stringMatching(/^[A-Za-z][A-Za-z0-9 .,'-]{0,20}$/).filter((s) => s.trim() === s),
  );
  const lineRow = fc.record({
    kind: fc.constant('line' as const),
    description: text,
    amount: fc.integer({ min: 1, max: 5_000_000 }),
    notes: text,
    proposal: text,
    extra: fc.tuple(text, text, text),
  });
  const positionRow = fc.record({
    kind: fc.constant('position' as const),
    description: text,
    employee: text,
    hrId: text,
    fte: fc.integer({ min: 1, max: 10 }).map((n) => n * 100), // the district's FTE step is 0.1
    notes: text,
    extra: fc.tuple(text, text, text),
  });

  it('property: every non-computed cell of every carried row survives', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(lineRow, positionRow), { minLength: 1, maxLength: 8 }),
        async (spec) => {
          const header = [...SITE_HEADER, ...EXTRA];
          const rows = spec.map((s) => {
            const extra = Object.fromEntries(EXTRA.map((h, i) => [h, s.extra[i] ?? null]));
            return s.kind === 'line'
              ? row(
                  {
                    Type: 'Line',
                    Account: '100-1000-610-100-001',
                    Description: s.description,
                    Amount: s.amount / 100,
                    Notes: s.notes,
                    Proposal: s.proposal,
                    ...extra,
                  },
                  header,
                )
              : row(
                  {
                    Type: 'Position',
                    'Job type': 'TCH',
                    Account: '100-1000-111-100-001',
                    Description: s.description,
                    Employee: s.employee,
                    'Position ID': s.hrId,
                    FTE: s.fte / 1000,
                    Notes: s.notes,
                    ...extra,
                  },
                  header,
                );
          });
          const r = await roll(await district(rows, header));
          expect(r.diagnostics.filter((d) => d.severity === 'fatal').map((d) => d.message)).toEqual([]);
          expect(r.ok).toBe(true);
          const [h = [], ...next] = nextSheet(r);
          // Carried rows in order: lines first, then positions (as roll-forward writes them).
          const order = [...rows.filter((x) => x[0] === 'Line'), ...rows.filter((x) => x[0] === 'Position')];
          expect(next).toHaveLength(order.length);
          order.forEach((was, i) => {
            const now = next[i] ?? [];
            header.forEach((name, j) => {
              if (CHANGED.has(name)) return;
              const typed = was[j];
              if (typed === null || typed === undefined) return;
              expect([name, now[h.indexOf(name)]]).toEqual([name, typed]);
            });
          });
        },
      ),
      { numRuns: 40 },
    );
  });
});
