/**
 * The workbook-port contract: one jest suite every adapter must pass (memory, .xlsx, Excel over its
 * fake, Sheets over its fake). Written once, run against each adapter:
 *
 *   import { describePortContract } from '../port/contract';   // path from your test file
 *
 *   describePortContract('XlsxPort', async () => {
 *     const file = tempFile();
 *     const port = await XlsxPort.create(file);
 *     return {
 *       port,
 *       inspect: {
 *         marks: async (sheet) => ...,          // Budgetline's marks on a sheet: severity from the fill, note text
 *         protectedSheets: async () => ...,     // names of the protected sheets
 *         dropdowns: async () => ...,           // optional: data-validation lists Budgetline wrote
 *         numberFormat: async (sheet, cell) => ..., // optional: a cell's number format
 *         charts: async (sheet) => ...,         // optional: the charts on a sheet, as ChartSpecs
 *         print: async (sheet) => ...,          // optional: a sheet's print setup as a PrintSetup, or null
 *       },
 *       reopen: async () => XlsxPort.open(file),     // optional: file-backed adapters (persistence tests)
 *       cleanup: async () => rm(file),               // optional
 *       expectedUser: { email: 'a@b.org', verified: false }, // optional: the user the host should report
 *       supportsDates: true,                         // optional: Date values round trip
 *     };
 *   });
 *
 * `make` is called once per test, so every test starts from a fresh document. A fresh document may
 * already hold sheets of its own (Excel's "Sheet1"); the tests use their own sheet names and never
 * assume an empty workbook.
 *
 * What the contract says (see core/port/types.ts):
 * - read: each sheet from A1 to the last used cell, every row as long as the used width; blank
 *   cells read as null or '' ; missing sheets are skipped (absent from `sheets` and `windows`);
 *   'all' reads every sheet; `sheetNames` in tab order, a new sheet appended at the end.
 * - values round trip: a string stays the same string ("001", "=1+1", "2026-27", "TRUE" are text,
 *   not numbers, formulas, dates or booleans); numbers and booleans stay what they are.
 * - write: at `at` (default A1); null and '' clear a cell; without `replace` every other cell is
 *   kept; with `replace` every other cell is cleared. Headers and number formats never change values.
 * - marks: set by severity with a note; clearMarks removes the marks of rows from..to (0-based,
 *   inclusive), or of the whole sheet; marks never change values; a new mark on a cell replaces it.
 * - protection guards a sheet against users, not Budgetline: writes to a protected sheet succeed
 *   and it stays protected.
 * - document state round trips exactly, including a state larger than 9 KB (Sheets adapters split
 *   it across properties); a new document reads the empty state; a damaged or foreign stored state
 *   reads as the empty state with BL820 in stateDiagnostics (decodeDocumentState), never a throw.
 * - windows: the header row plus rows from..to; rows past the end are blank.
 * - charts and print setup (issue 15, the board report): written after the sheets of the same
 *   batch, over their data; a chart replaces the chart of the same name on the same sheet (never a
 *   second one), even after the document is opened again, and leaves other charts alone; print
 *   setup is applied to its sheet; neither changes a value, a mark, a protection or another sheet.
 *   A chart or print setup on a sheet that does not exist, or one that cannot be drawn, fails the
 *   write before anything is written (core/port/charts.ts). Hosts without a print-setup API (Google
 *   Sheets) accept `print` and leave it out: their inspector has no `print`.
 */
import {
  GENESIS_HASH,
  isBlank,
  type CellMark,
  type CellValue,
  type ChartSpec,
  type PrintSetup,
  type DocumentState,
  type Dropdown,
  type PortUser,
  type SiteBudget,
  type TableSpec,
  type WorkbookPort,
} from '../../core';

/** A dropdown as the host holds it; `strict`: the host refuses a value not in the list. */
export type InspectedDropdown = Dropdown & { readonly strict?: boolean };

export interface PortInspector {
  /** Budgetline's marks on one sheet (order does not matter). */
  marks(sheet: string): Promise<readonly CellMark[]>;
  /** Names of the protected sheets. */
  protectedSheets(): Promise<readonly string[]>;
  /** The dropdowns Budgetline wrote; omit when the adapter cannot show them. */
  dropdowns?(): Promise<readonly InspectedDropdown[]>;
  /** The Excel tables (sheet, name, range); omit when the host has none (Google Sheets). */
  tables?(): Promise<readonly TableSpec[]>;
  /** A cell's number format ("#,##0.00"); omit when the adapter cannot show it. */
  numberFormat?(sheet: string, cell: string): Promise<string | null>;
  /**
   * The charts on a sheet as the host holds them, read back as ChartSpecs (type, title, data range
   * and anchor from the host's own chart); omit when the adapter cannot show them.
   */
  charts?(sheet: string): Promise<readonly ChartSpec[]>;
  /**
   * A sheet's print setup read back from the host as a PrintSetup (header and footer codes turned
   * back into tokens: fromHeaderFooterCodes), or null when none; omit when the host has no print setup.
   */
  print?(sheet: string): Promise<PrintSetup | null>;
}

/** Excel's header / footer codes back into PrintSetup tokens (&P → {page}, && → &), for inspectors. */
export function fromHeaderFooterCodes(codes: string): string {
  const tokens: Readonly<Record<string, string>> = {
    '&P': '{page}',
    '&N': '{pages}',
    '&A': '{sheet}',
    '&D': '{date}',
    '&&': '&',
  };
  return codes.replace(/&[PNAD&]/g, (m) => tokens[m] ?? m);
}

/** A chart as the contract compares it (only ChartSpec's fields; A1 in capitals). */
function chartOf(c: ChartSpec): ChartSpec {
  return {
    sheet: c.sheet,
    name: c.name,
    type: c.type,
    title: c.title,
    data: c.data.replace(/\$/g, '').toUpperCase(),
    anchor: { at: c.anchor.at.toUpperCase(), columns: c.anchor.columns, rows: c.anchor.rows },
  };
}

/** A print setup as the contract compares it: empty header and footer parts left out. */
function printOf(p: PrintSetup | null | undefined): PrintSetup | null {
  if (!p) return null;
  const parts = (x: PrintSetup['header']): PrintSetup['header'] | undefined => {
    const kept = Object.fromEntries(
      Object.entries(x ?? {}).filter(([, v]) => typeof v === 'string' && v !== ''),
    );
    return Object.keys(kept).length ? kept : undefined;
  };
  const header = parts(p.header);
  const footer = parts(p.footer);
  return {
    sheet: p.sheet,
    orientation: p.orientation,
    fitToWidth: p.fitToWidth,
    ...(p.titleRows !== undefined ? { titleRows: p.titleRows.replace(/\$/g, '') } : {}),
    ...(header ? { header } : {}),
    ...(footer ? { footer } : {}),
  };
}

export interface PortUnderTest {
  readonly port: WorkbookPort;
  readonly inspect: PortInspector;
  /** Opens the same document again (file-backed adapters): the persistence tests run when given. */
  readonly reopen?: () => Promise<WorkbookPort>;
  readonly cleanup?: () => Promise<void>;
  /** The user the host should report on read({ user: true }); undefined skips the equality check. */
  readonly expectedUser?: PortUser | null;
  /** Date values round trip (Apps Script, .xlsx). */
  readonly supportsDates?: boolean;
  /**
   * False where the host cannot resize a table it did not make without remaking it (Excel before
   * ExcelApi 1.13, which has no Table.resize): a user's table is then kept as it is, not extended.
   */
  readonly extendsUsersTables?: boolean;
  /**
   * Merges cells as a user does by hand, where the adapter's host reports merged cells to Budgetline
   * (Excel from ExcelApi 1.13, memory); omit otherwise.
   */
  readonly mergeCells?: (sheet: string, range: string) => Promise<void>;
  /**
   * Stores `raw` where the host keeps the document state, as a hand edit or another program would
   * (Excel: the setting; Sheets: the DocumentProperties key; .xlsx: the hidden sheet's record), and
   * gives the port that reads that document.
   */
  readonly storeRawState: (raw: string) => Promise<WorkbookPort>;
}

/** Blank cells as null, so that adapters returning '' compare equal. */
function norm(grid: readonly (readonly CellValue[])[] | undefined): CellValue[][] | undefined {
  return grid?.map((row) => row.map((v) => (v === undefined || v === '' ? null : v)));
}

function site(code: string, i: number): SiteBudget {
  const h = (n: number): string => (n.toString(16).padStart(2, '0') + code).padEnd(64, 'a').slice(0, 64);
  return {
    site: code,
    state: i % 2 ? 'approved' : 'submitted',
    submittedBy: `builder${i}@district.k12.us`,
    submittedAt: '2026-11-28T09:30:00.000Z',
    submittedHash: h(i),
    ...(i % 2
      ? {
          approvedBy: `approver${i}@district.k12.us`,
          approvedAt: '2026-11-29T10:00:00.000Z',
          approvedHash: h(i + 1),
        }
      : {}),
  };
}

export function describePortContract(name: string, make: () => Promise<PortUnderTest>): void {
  describe(`workbook port contract: ${name}`, () => {
    let t: PortUnderTest;
    let port: WorkbookPort;

    beforeEach(async () => {
      t = await make();
      port = t.port;
    });

    afterEach(async () => {
      await t.cleanup?.();
    });

    async function readSheet(sheet: string): Promise<CellValue[][] | undefined> {
      const snap = await port.read({ sheets: [sheet] });
      return norm(snap.sheets[sheet]);
    }

    describe('values', () => {
      it('round trips strings, numbers, booleans and blanks', async () => {
        const values: CellValue[][] = [
          ['Account', 'Amount', 'Active', 'Note'],
          ['100-1000-111-100-001', 1234.56, true, 'a b'],
          ['001', 0, false, null],
          ['x', -3, true, 'Ünïcödé — “quotes”'],
          ['big', 123456789012, false, 'end'],
        ];
        await port.write({ sheets: [{ sheet: 'BL Values', values }] });
        expect(await readSheet('BL Values')).toEqual(values);
      });

      it.each([['001'], ['0100'], ['=1+1'], ['2026-27'], ['TRUE'], ['1e5'], ['6/1'], [' 12 ']])(
        'keeps the string %j a string',
        async (s) => {
          await port.write({ sheets: [{ sheet: 'BL Text', values: [['Value'], [s]] }] });
          const grid = await readSheet('BL Text');
          expect(grid?.[1]?.[0]).toBe(s);
        },
      );

      it('round trips dates when the host supports them', async () => {
        if (!t.supportsDates) return;
        const d = new Date(Date.UTC(2026, 6, 1));
        await port.write({ sheets: [{ sheet: 'BL Dates', values: [['When'], [d]] }] });
        const v = (await readSheet('BL Dates'))?.[1]?.[0];
        expect(v).toBeInstanceOf(Date);
        expect((v as Date).getTime()).toBe(d.getTime());
      });

      it('reads every row as long as the used width, blanks as null or empty', async () => {
        await port.write({ sheets: [{ sheet: 'BL Ragged', values: [['a', null, 'c'], ['x']] }] });
        expect(await readSheet('BL Ragged')).toEqual([
          ['a', null, 'c'],
          ['x', null, null],
        ]);
      });

      it('writes at a given cell, leaving the cells above and left blank', async () => {
        await port.write({
          sheets: [
            {
              sheet: 'BL At',
              at: 'C3',
              values: [
                [1, 2],
                [3, 4],
              ],
            },
          ],
        });
        expect(await readSheet('BL At')).toEqual([
          [null, null, null, null],
          [null, null, null, null],
          [null, null, 1, 2],
          [null, null, 3, 4],
        ]);
      });

      it('keeps other cells without replace, and clears them with replace', async () => {
        await port.write({
          sheets: [
            {
              sheet: 'BL Replace',
              values: [
                ['a', 'b', 'c'],
                ['d', 'e', 'f'],
                ['g', 'h', 'i'],
              ],
            },
          ],
        });
        await port.write({ sheets: [{ sheet: 'BL Replace', at: 'B2', values: [['E']] }] });
        expect(await readSheet('BL Replace')).toEqual([
          ['a', 'b', 'c'],
          ['d', 'E', 'f'],
          ['g', 'h', 'i'],
        ]);
        await port.write({ sheets: [{ sheet: 'BL Replace', values: [['z']], replace: true }] });
        expect(await readSheet('BL Replace')).toEqual([['z']]);
      });

      it('clears a cell written as null or empty', async () => {
        await port.write({
          sheets: [
            {
              sheet: 'BL Clear',
              values: [
                ['a', 'b'],
                ['c', 'd'],
              ],
            },
          ],
        });
        await port.write({
          sheets: [
            {
              sheet: 'BL Clear',
              values: [
                [null, ''],
                ['c', null],
              ],
            },
          ],
        });
        expect(await readSheet('BL Clear')).toEqual([[null], ['c']]);
      });

      it('reads a sheet replaced with nothing as empty, and keeps the sheet', async () => {
        await port.write({ sheets: [{ sheet: 'BL Empty', values: [['a']] }] });
        await port.write({ sheets: [{ sheet: 'BL Empty', values: [], replace: true }] });
        const snap = await port.read({ sheets: ['BL Empty'] });
        expect(snap.sheetNames).toContain('BL Empty');
        expect(norm(snap.sheets['BL Empty'])?.filter((r) => r.some((v) => v !== null))).toEqual([]);
      });

      it('never changes values for a header row or number formats', async () => {
        const values = [
          ['Account', 'Amount', 'FTE', 'Code'],
          ['100-1000-111-100-001', 1234.5, 0.5, '007'],
        ];
        await port.write({
          sheets: [
            { sheet: 'BL Formats', values, header: true, columnFormats: ['@', '#,##0.00', '0.000', '@'] },
          ],
        });
        expect(await readSheet('BL Formats')).toEqual(values);
        if (t.inspect.numberFormat) expect(await t.inspect.numberFormat('BL Formats', 'B2')).toBe('#,##0.00');
      });

      it('clears a cell with its number format only when asked (clearFormats); a plain clear keeps it', async () => {
        const formats = ['@', '#,##0.00'];
        await port.write({
          sheets: [
            {
              sheet: 'BL Clear',
              values: [
                ['Account', 'Amount'],
                ['100-1000-111-100-001', 10],
                ['100-1000-610-100-001', 20],
              ],
              header: true,
              columnFormats: formats,
            },
          ],
        });
        await port.write({
          sheets: [
            { sheet: 'BL Clear', at: 'A2', values: [[null, null]] },
            { sheet: 'BL Clear', at: 'A3', values: [[null, null]], clearFormats: true },
          ],
        });
        const rows = (await readSheet('BL Clear')) ?? [];
        expect(rows[0]).toEqual(['Account', 'Amount']);
        expect(rows.slice(1).every((r) => r.every((v) => v === null))).toBe(true);
        if (t.inspect.numberFormat) {
          expect(await t.inspect.numberFormat('BL Clear', 'B2')).toBe('#,##0.00');
          expect([null, 'General']).toContain(await t.inspect.numberFormat('BL Clear', 'B3'));
        }
      });
    });

    describe('sheets', () => {
      it('skips missing sheets in sheets and windows', async () => {
        const snap = await port.read({
          sheets: ['BL Nowhere'],
          rows: [{ sheet: 'BL Nowhere', from: 1, to: 2 }],
        });
        expect(snap.sheets['BL Nowhere']).toBeUndefined();
        expect(snap.windows).toEqual([]);
        expect(snap.sheetNames).not.toContain('BL Nowhere');
      });

      it("reads every sheet for 'all', in tab order with new sheets at the end", async () => {
        await port.write({
          sheets: [
            { sheet: 'BL First', values: [['1']] },
            { sheet: 'BL Second', values: [['2']] },
          ],
        });
        const snap = await port.read({ sheets: 'all' });
        for (const n of snap.sheetNames) expect(snap.sheets[n]).toBeDefined();
        const i = snap.sheetNames.indexOf('BL First');
        expect(i).toBeGreaterThanOrEqual(0);
        expect(snap.sheetNames.slice(i)).toEqual(['BL First', 'BL Second']);
        expect(norm(snap.sheets['BL Second'])).toEqual([['2']]);
      });

      it('leaves out the state and the user unless asked', async () => {
        const snap = await port.read({});
        expect(snap.state).toBeUndefined();
        expect(snap.user).toBeUndefined();
        expect(snap.windows).toEqual([]);
      });
    });

    describe('row windows', () => {
      const grid: CellValue[][] = [
        ['Account', 'Amount'],
        ...Array.from({ length: 9 }, (_, i) => [`A${i + 1}`, i + 1]),
      ];

      it('gives the header row and rows from..to', async () => {
        await port.write({ sheets: [{ sheet: 'BL Window', values: grid }] });
        const snap = await port.read({ rows: [{ sheet: 'BL Window', from: 3, to: 5 }] });
        expect(snap.sheets['BL Window']).toBeUndefined();
        expect(snap.windows).toHaveLength(1);
        const w = snap.windows[0];
        expect(w).toMatchObject({ sheet: 'BL Window', from: 3, to: 5 });
        expect(norm([w?.header ?? []])).toEqual([['Account', 'Amount']]);
        expect(norm(w?.values)).toEqual([
          ['A3', 3],
          ['A4', 4],
          ['A5', 5],
        ]);
      });

      it('gives blank rows past the end of the sheet', async () => {
        await port.write({ sheets: [{ sheet: 'BL Window', values: grid }] });
        const snap = await port.read({ rows: [{ sheet: 'BL Window', from: 9, to: 12 }] });
        const rows = snap.windows[0]?.values ?? [];
        expect(rows).toHaveLength(4);
        expect(norm(rows.slice(0, 1))).toEqual([['A9', 9]]);
        for (const r of rows.slice(1)) expect(r.every((v) => isBlank(v))).toBe(true);
      });

      it('reads windows and whole sheets in the same round trip', async () => {
        await port.write({
          sheets: [
            { sheet: 'BL Window', values: grid },
            { sheet: 'BL Other', values: [['o']] },
          ],
        });
        const snap = await port.read({
          sheets: ['BL Other'],
          rows: [{ sheet: 'BL Window', from: 1, to: 1 }],
          state: true,
        });
        expect(norm(snap.sheets['BL Other'])).toEqual([['o']]);
        expect(norm(snap.windows[0]?.values)).toEqual([['A1', 1]]);
        expect(snap.state?.version).toBe(1);
      });
    });

    describe('marks', () => {
      const values = [
        ['Account', 'Amount'],
        ['100-1000-641-100-001', 10],
        ['100-1000-111-100-001', 20],
        ['100-5000-111-100-001', 30],
      ];
      const fatal: CellMark = {
        sheet: 'BL Marks',
        cell: 'A2',
        severity: 'fatal',
        note: 'BL104 unknown object code "641"',
      };
      const warning: CellMark = {
        sheet: 'BL Marks',
        cell: 'B3',
        severity: 'warning',
        note: 'BL401 check the amount',
      };
      const third: CellMark = { sheet: 'BL Marks', cell: 'A4', severity: 'fatal', note: 'BL201 rule' };

      const sorted = (ms: readonly CellMark[]): CellMark[] =>
        [...ms]
          .map((m) => ({ sheet: m.sheet, cell: m.cell, severity: m.severity, note: m.note }))
          .sort((a, b) => a.cell.localeCompare(b.cell));

      it('sets marks by severity with their notes, in the same write as the values', async () => {
        await port.write({ sheets: [{ sheet: 'BL Marks', values }], marks: [fatal, warning] });
        expect(sorted(await t.inspect.marks('BL Marks'))).toEqual(sorted([fatal, warning]));
        expect(await readSheet('BL Marks')).toEqual(values);
      });

      it('clears the marks of rows from..to only', async () => {
        await port.write({ sheets: [{ sheet: 'BL Marks', values }], marks: [fatal, warning, third] });
        await port.write({ clearMarks: [{ sheet: 'BL Marks', from: 1, to: 2 }] });
        expect(sorted(await t.inspect.marks('BL Marks'))).toEqual([third]);
        expect(await readSheet('BL Marks')).toEqual(values);
      });

      it('clears every mark of a sheet, then applies new marks of the same write', async () => {
        await port.write({ sheets: [{ sheet: 'BL Marks', values }], marks: [fatal, warning, third] });
        await port.write({ clearMarks: [{ sheet: 'BL Marks' }], marks: [{ ...warning, note: 'new note' }] });
        expect(sorted(await t.inspect.marks('BL Marks'))).toEqual([{ ...warning, note: 'new note' }]);
      });

      it('replaces the mark of a cell marked again', async () => {
        await port.write({ sheets: [{ sheet: 'BL Marks', values }], marks: [fatal] });
        await port.write({ marks: [{ ...fatal, severity: 'warning', note: 'now a warning' }] });
        expect(sorted(await t.inspect.marks('BL Marks'))).toEqual([
          { ...fatal, severity: 'warning', note: 'now a warning' },
        ]);
      });

      it('keeps a multi-line note', async () => {
        const note =
          'A2  BL104 unknown object code "641"\n  100-1000-641-100-001\n           ^^^\n  Did you mean 640?';
        await port.write({ sheets: [{ sheet: 'BL Marks', values }], marks: [{ ...fatal, note }] });
        expect((await t.inspect.marks('BL Marks'))[0]?.note).toBe(note);
      });
    });

    describe('protection and dropdowns', () => {
      it('protects and unprotects sheets', async () => {
        await port.write({
          sheets: [
            { sheet: 'BL Site', values: [['a']] },
            { sheet: 'BL Site 2', values: [['b']] },
          ],
        });
        await port.write({ protect: [{ sheet: 'BL Site', reason: 'Submitted for approval' }] });
        expect(await t.inspect.protectedSheets()).toContain('BL Site');
        expect(await t.inspect.protectedSheets()).not.toContain('BL Site 2');
        await port.write({ unprotect: ['BL Site'] });
        expect(await t.inspect.protectedSheets()).not.toContain('BL Site');
      });

      it('lets Budgetline write values and marks to a protected sheet, which stays protected', async () => {
        await port.write({
          sheets: [{ sheet: 'BL Site', values: [['a', 1]] }],
          protect: [{ sheet: 'BL Site', reason: 'Approved' }],
        });
        await port.write({
          sheets: [{ sheet: 'BL Site', at: 'B1', values: [[2]] }],
          marks: [{ sheet: 'BL Site', cell: 'A1', severity: 'warning', note: 'n' }],
        });
        expect(await readSheet('BL Site')).toEqual([['a', 2]]);
        expect(await t.inspect.protectedSheets()).toContain('BL Site');
        expect(await t.inspect.marks('BL Site')).toHaveLength(1);
      });

      it('adds a dropdown fed from another sheet', async () => {
        if (!t.inspect.dropdowns) return;
        await port.write({
          sheets: [
            { sheet: 'BL Codes', values: [['Code'], ['100'], ['200']] },
            { sheet: 'BL Site', values: [['Fund']] },
          ],
          dropdowns: [{ sheet: 'BL Site', range: 'A2:A100', source: { sheet: 'BL Codes', range: 'A2:A3' } }],
        });
        const ds = await t.inspect.dropdowns();
        expect(ds).toContainEqual(
          expect.objectContaining({
            sheet: 'BL Site',
            range: 'A2:A100',
            source: { sheet: 'BL Codes', range: 'A2:A3' },
          }),
        );
      });

      it('writes a dropdown that allows values not in its list (ranges and masks are valid codes too)', async () => {
        if (!t.inspect.dropdowns) return;
        await port.write({
          sheets: [
            { sheet: 'BL Codes', values: [['Code'], ['6141-6149'], ['57XX']] },
            { sheet: 'BL Site', values: [['Object'], ['6143']] },
          ],
          dropdowns: [{ sheet: 'BL Site', range: 'A2:A50', source: { sheet: 'BL Codes', range: 'A2:A3' } }],
        });
        const d = (await t.inspect.dropdowns()).find((x) => x.sheet === 'BL Site' && x.range === 'A2:A50');
        expect(d).toBeDefined();
        expect(d?.strict).toBe(false);
        expect(await readSheet('BL Site')).toEqual([['Object'], ['6143']]);
      });
    });

    describe('charts and print setup', () => {
      const report: CellValue[][] = [
        ['Fund', 'Expenditures', 'Revenues'],
        ['100 General Fund', 97931221.78, 104140064],
        ['210 Title I', 3239343.5, 5854470],
        ['220 IDEA', 6068305.89, 6394281.3],
      ];
      const fundMix: ChartSpec = {
        sheet: 'BL Report',
        name: 'fund-mix',
        type: 'pie',
        title: 'Expenditures by fund',
        data: 'A1:B4',
        anchor: { at: 'E2', columns: 6, rows: 15 },
      };
      const setup: PrintSetup = {
        sheet: 'BL Report',
        orientation: 'landscape',
        fitToWidth: true,
        titleRows: '1:1',
        header: { center: 'Smith & Jones USD — FY2027 — DRAFT' },
        footer: { left: '{date}', center: 'Page {page} of {pages}', right: '{sheet}' },
      };
      const charts = async (sheet: string): Promise<ChartSpec[] | undefined> =>
        t.inspect.charts ? (await t.inspect.charts(sheet)).map(chartOf) : undefined;

      it('writes a chart over the data the same batch writes (charts come after sheets)', async () => {
        await port.write({
          sheets: [{ sheet: 'BL Report', values: report, header: true }],
          charts: [fundMix],
        });
        expect(await readSheet('BL Report')).toEqual(report);
        if (!t.inspect.charts) return;
        expect(await charts('BL Report')).toEqual([fundMix]);
      });

      it('replaces a chart of the same name on the same sheet, never adds a second', async () => {
        await port.write({ sheets: [{ sheet: 'BL Report', values: report }], charts: [fundMix] });
        const revised: ChartSpec = {
          ...fundMix,
          type: 'column',
          title: 'Expenditures and revenues by fund',
          data: 'A1:C4',
          anchor: { at: 'E20', columns: 8, rows: 12 },
        };
        await port.write({ charts: [revised] });
        await port.write({ charts: [revised] });
        expect(await readSheet('BL Report')).toEqual(report);
        if (!t.inspect.charts) return;
        expect(await charts('BL Report')).toEqual([revised]);
      });

      it('keeps the other charts: other names on the sheet, the same name on another sheet', async () => {
        const other: ChartSpec = {
          ...fundMix,
          name: 'revenues',
          type: 'bar',
          data: 'A1:C4',
          title: 'Revenues',
        };
        const elsewhere: ChartSpec = { ...fundMix, sheet: 'BL Report 2', title: 'Elsewhere' };
        await port.write({
          sheets: [
            { sheet: 'BL Report', values: report },
            { sheet: 'BL Report 2', values: report },
          ],
          charts: [fundMix, other, elsewhere],
        });
        const line: ChartSpec = { ...fundMix, type: 'line', title: 'As a line' };
        await port.write({ charts: [line] });
        if (!t.inspect.charts) return;
        const here = await charts('BL Report');
        expect(here).toHaveLength(2);
        expect(here).toEqual(expect.arrayContaining([line, other]));
        expect(await charts('BL Report 2')).toEqual([elsewhere]);
      });

      it('replaces a chart by name after the document is opened again', async () => {
        if (!t.reopen || !t.inspect.charts) return;
        await port.write({ sheets: [{ sheet: 'BL Report', values: report }], charts: [fundMix] });
        const again = await t.reopen();
        await again.read({ sheets: ['BL Report'] });
        const revised: ChartSpec = { ...fundMix, title: 'Revised after reopening' };
        await again.write({ charts: [revised] });
        expect(await charts('BL Report')).toEqual([revised]);
      });

      it('applies print setup: orientation, fit to width, title rows, header and footer', async () => {
        await port.write({ sheets: [{ sheet: 'BL Report', values: report, header: true }], print: [setup] });
        expect(await readSheet('BL Report')).toEqual(report);
        if (!t.inspect.print) return;
        expect(printOf(await t.inspect.print('BL Report'))).toEqual(printOf(setup));
        // A new setup replaces the old one; header and footer parts it leaves out are cleared.
        const portrait: PrintSetup = {
          sheet: 'BL Report',
          orientation: 'portrait',
          fitToWidth: false,
          titleRows: '1:2',
          footer: { center: 'Page {page} of {pages}' },
        };
        await port.write({ print: [portrait] });
        expect(printOf(await t.inspect.print('BL Report'))).toEqual(printOf(portrait));
      });

      it('writes charts and print setup to a protected sheet, which stays protected', async () => {
        await port.write({
          sheets: [{ sheet: 'BL Report', values: report }],
          protect: [{ sheet: 'BL Report', reason: 'Board report' }],
        });
        await port.write({ charts: [fundMix], print: [setup] });
        expect(await t.inspect.protectedSheets()).toContain('BL Report');
        expect(await readSheet('BL Report')).toEqual(report);
        if (t.inspect.charts) expect(await charts('BL Report')).toEqual([fundMix]);
        if (t.inspect.print) expect(printOf(await t.inspect.print('BL Report'))).toEqual(printOf(setup));
      });

      it('touches nothing else: other sheets, values, marks, protections, dropdowns', async () => {
        const site: CellValue[][] = [
          ['Account', 'Amount'],
          ['100-1000-641-100-001', 10],
          ['001', 20],
        ];
        const mark: CellMark = {
          sheet: 'BL Site',
          cell: 'A2',
          severity: 'fatal',
          note: 'BL104 unknown object',
        };
        await port.write({
          sheets: [
            { sheet: 'BL Site', values: site, header: true, columnFormats: ['@', '#,##0.00'] },
            { sheet: 'BL Codes', values: [['Code'], ['100']] },
            { sheet: 'BL Report', values: report },
          ],
          marks: [mark],
          dropdowns: [{ sheet: 'BL Site', range: 'A2:A50', source: { sheet: 'BL Codes', range: 'A2:A2' } }],
          protect: [{ sheet: 'BL Site', reason: 'Approved' }],
        });
        const before = await port.read({ sheets: 'all' });
        const dropdownsBefore = t.inspect.dropdowns ? await t.inspect.dropdowns() : undefined;
        await port.write({ charts: [fundMix], print: [setup] });
        const after = await port.read({ sheets: 'all' });
        expect(after.sheetNames).toEqual(before.sheetNames);
        for (const n of before.sheetNames) expect(norm(after.sheets[n])).toEqual(norm(before.sheets[n]));
        expect((await t.inspect.marks('BL Site')).map((m) => m.note)).toEqual([mark.note]);
        expect(await t.inspect.protectedSheets()).toContain('BL Site');
        if (t.inspect.dropdowns) expect(await t.inspect.dropdowns()).toEqual(dropdownsBefore);
        if (t.inspect.numberFormat) expect(await t.inspect.numberFormat('BL Site', 'B2')).toBe('#,##0.00');
        if (t.inspect.charts) expect(await charts('BL Site')).toEqual([]);
        if (t.inspect.print) expect(await t.inspect.print('BL Site')).toBeNull();
      });

      it.each<[string, Partial<ChartSpec>]>([
        ['on a sheet that does not exist', { sheet: 'BL Nowhere' }],
        ['of an unknown type', { type: 'radar' as ChartSpec['type'] }],
        ['over data that is not a range of cells', { data: 'Fund mix' }],
        ['anchored nowhere', { anchor: { at: 'top left', columns: 6, rows: 15 } }],
      ])('refuses a chart %s, writing nothing', async (_, change) => {
        await expect(
          port.write({
            sheets: [{ sheet: 'BL Report', values: report }],
            charts: [{ ...fundMix, ...change }],
          }),
        ).rejects.toThrow(/Nothing was written/);
        expect((await port.read({})).sheetNames).not.toContain('BL Report');
      });

      it('refuses print setup of a sheet that does not exist, or with title rows that are not rows, writing nothing', async () => {
        for (const bad of [
          { ...setup, sheet: 'BL Nowhere' },
          { ...setup, titleRows: 'A1:B2' },
        ]) {
          await expect(
            port.write({ sheets: [{ sheet: 'BL Report', values: report }], print: [bad] }),
          ).rejects.toThrow(/Nothing was written/);
          expect((await port.read({})).sheetNames).not.toContain('BL Report');
        }
      });
    });

    describe('data validation over the whole table (lists and number rules)', () => {
      /** Row 2 to the sheet's last row of `column`: open-ended, or closed at the host's last row. */
      const wholeColumn = (range: string, column: string): boolean => {
        const m = new RegExp(`^${column}2:${column}(\\d*)$`).exec(range);
        return m !== null && (m[1] === '' || Number(m[1]) >= 1000);
      };
      const rulesOn = async (sheet: string): Promise<readonly InspectedDropdown[]> =>
        ((await t.inspect.dropdowns?.()) ?? []).filter((d) => d.sheet === sheet);

      it('writes an inline list and a number rule down the whole column, and keeps every value', async () => {
        if (!t.inspect.dropdowns) return;
        await port.write({
          sheets: [
            {
              sheet: 'BL Rules',
              values: [
                ['Type', 'FTE'],
                ['Line', 0.5],
                ['Staff', 2],
              ],
            },
          ],
          dropdowns: [
            { sheet: 'BL Rules', range: 'A2:A', values: ['Line', 'Position'] },
            { sheet: 'BL Rules', range: 'B2:B', number: { min: 0, max: 1 }, message: 'FTE is 0 to 1.' },
          ],
        });
        const rules = await rulesOn('BL Rules');
        const list = rules.find((d) => 'values' in d);
        const number = rules.find((d) => 'number' in d);
        expect(list).toMatchObject({ values: ['Line', 'Position'], strict: false });
        expect(wholeColumn(list?.range ?? '', 'A')).toBe(true);
        expect(number).toMatchObject({
          number: { min: 0, max: 1 },
          message: 'FTE is 0 to 1.',
          strict: false,
        });
        expect(wholeColumn(number?.range ?? '', 'B')).toBe(true);
        expect(rules).toHaveLength(2);
        // A rule only suggests: values outside it stay as they were.
        expect(await readSheet('BL Rules')).toEqual([
          ['Type', 'FTE'],
          ['Line', 0.5],
          ['Staff', 2],
        ]);
      });

      it('replaces the rule it wrote on a range, never stacking a second', async () => {
        if (!t.inspect.dropdowns) return;
        const write = (values: string[]): Promise<void> =>
          port.write({
            sheets: [{ sheet: 'BL Rules', values: [['One-time']] }],
            dropdowns: [{ sheet: 'BL Rules', range: 'A2:A', values }],
          });
        await write(['Yes', 'No']);
        await write(['Yes', 'No', 'Maybe']);
        const rules = await rulesOn('BL Rules');
        expect(rules).toHaveLength(1);
        expect(rules[0]).toMatchObject({ values: ['Yes', 'No', 'Maybe'] });
      });

      it('feeds a list from an open-ended range of another sheet', async () => {
        if (!t.inspect.dropdowns) return;
        await port.write({
          sheets: [
            { sheet: 'BL Jobs', values: [['Code'], ['TCH'], ['AIDE']] },
            { sheet: 'BL Rules', values: [['Job type']] },
          ],
          dropdowns: [{ sheet: 'BL Rules', range: 'A2:A', source: { sheet: 'BL Jobs', range: 'A2:A' } }],
        });
        const [rule] = await rulesOn('BL Rules');
        expect(rule && 'source' in rule ? rule.source.sheet : undefined).toBe('BL Jobs');
        expect(rule && 'source' in rule && wholeColumn(rule.source.range, 'A')).toBe(true);
        expect(wholeColumn(rule?.range ?? '', 'A')).toBe(true);
      });
    });

    describe('Excel tables', () => {
      const grid = [
        ['Type', 'Amount'],
        ['Line', 10],
        ['Line', 20],
      ];

      it('makes a table over a block, and the sheet reads exactly as before', async () => {
        if (!t.inspect.tables) return;
        await port.write({
          sheets: [{ sheet: 'BL Table', values: grid }],
          tables: [{ sheet: 'BL Table', name: 'BL_Lines', range: 'A1:B3' }],
        });
        expect(await t.inspect.tables()).toEqual([{ sheet: 'BL Table', name: 'BL_Lines', range: 'A1:B3' }]);
        expect(await readSheet('BL Table')).toEqual(grid);
      });

      it('keeps a table that is there: resizes its own, never adds a second or renames another', async () => {
        if (!t.inspect.tables) return;
        await port.write({
          sheets: [{ sheet: 'BL Table', values: grid }],
          tables: [{ sheet: 'BL Table', name: 'BL_Lines', range: 'A1:B3' }],
        });
        await port.write({
          sheets: [{ sheet: 'BL Table', at: 'A4', values: [['Line', 30]] }],
          tables: [{ sheet: 'BL Table', name: 'BL_Lines', range: 'A1:B4' }],
        });
        expect(await t.inspect.tables()).toEqual([{ sheet: 'BL Table', name: 'BL_Lines', range: 'A1:B4' }]);
        await port.write({ tables: [{ sheet: 'BL Table', name: 'BL_Other', range: 'A1:B2' }] });
        expect(await t.inspect.tables()).toEqual([{ sheet: 'BL Table', name: 'BL_Lines', range: 'A1:B4' }]);
      });

      it('gives a table whose name is taken a name of its own', async () => {
        if (!t.inspect.tables) return;
        await port.write({
          sheets: [
            { sheet: 'BL Table', values: grid },
            { sheet: 'BL Table 2', values: grid },
          ],
          tables: [
            { sheet: 'BL Table', name: 'BL_Lines', range: 'A1:B3' },
            { sheet: 'BL Table 2', name: 'BL_Lines', range: 'A1:B3' },
          ],
        });
        const names = (await t.inspect.tables()).map((x) => [x.sheet, x.name]);
        expect(names).toEqual([
          ['BL Table', 'BL_Lines'],
          ['BL Table 2', 'BL_Lines_2'],
        ]);
      });

      // A user's own Excel table on the sheet (made here through the port under a name that is not
      // Budgetline's: to an adapter, a table it did not ask for by that name is the user's).
      const sorted = (ts: readonly TableSpec[]): TableSpec[] =>
        [...ts]
          .map((x) => ({ sheet: x.sheet, name: x.name, range: x.range.toUpperCase() }))
          .sort((a, b) => a.name.localeCompare(b.name));
      const userGrid = [
        ['Type', 'Amount', 'Note', 'Who', 'When'],
        ['Line', 10, 'a', 'b', 'c'],
        ['Line', 20, 'd', 'e', 'f'],
      ];
      const withUserTable = async (range: string, sheet = 'BL Table', name = 'My_Staff'): Promise<void> => {
        await port.write({ sheets: [{ sheet, values: userGrid }], tables: [{ sheet, name, range }] });
      };

      it("reads every table of the workbook, Budgetline's and the user's, when asked", async () => {
        if (!t.inspect.tables) return;
        await withUserTable('D1:E3');
        await port.write({ tables: [{ sheet: 'BL Table', name: 'BL_Lines', range: 'A1:B3' }] });
        const snap = await port.read({ sheets: ['BL Table'], tables: true });
        expect(sorted(snap.tables ?? [])).toEqual(sorted(await t.inspect.tables()));
        expect(sorted(snap.tables ?? [])).toEqual([
          { sheet: 'BL Table', name: 'BL_Lines', range: 'A1:B3' },
          { sheet: 'BL Table', name: 'My_Staff', range: 'D1:E3' },
        ]);
      });

      it("keeps a user's table over exactly the block as the table: extended, never renamed or shortened", async () => {
        if (!t.inspect.tables) return;
        await withUserTable('A1:B3');
        await port.read({ sheets: 'all', tables: true });
        await port.write({
          sheets: [{ sheet: 'BL Table', at: 'A4', values: [['Line', 30]] }],
          tables: [{ sheet: 'BL Table', name: 'BL_Lines', range: 'A1:B4' }],
        });
        const extent = t.extendsUsersTables === false ? 'A1:B3' : 'A1:B4';
        expect(sorted(await t.inspect.tables())).toEqual([
          { sheet: 'BL Table', name: 'My_Staff', range: extent },
        ]);
        // Fewer rows wanted: the user's table keeps its extent.
        await port.write({ tables: [{ sheet: 'BL Table', name: 'BL_Lines', range: 'A1:B2' }] });
        expect(sorted(await t.inspect.tables())).toEqual([
          { sheet: 'BL Table', name: 'My_Staff', range: extent },
        ]);
        expect(((await readSheet('BL Table')) ?? []).slice(0, 4).map((r) => r.slice(0, 2))).toEqual([
          ...grid,
          ['Line', 30],
        ]);
      });

      it("adds Budgetline's table beside a user's table that does not overlap it", async () => {
        if (!t.inspect.tables) return;
        await withUserTable('D1:E3');
        await port.read({ sheets: 'all', tables: true });
        await port.write({ tables: [{ sheet: 'BL Table', name: 'BL_Lines', range: 'A1:B3' }] });
        expect(sorted(await t.inspect.tables())).toEqual([
          { sheet: 'BL Table', name: 'BL_Lines', range: 'A1:B3' },
          { sheet: 'BL Table', name: 'My_Staff', range: 'D1:E3' },
        ]);
      });

      it("adds nothing over a user's table that overlaps part of the block, and leaves it as it is", async () => {
        if (!t.inspect.tables) return;
        const cases = [
          ['B1:D3', 'A1:B3'], // across the block's last column
          ['A1:A3', 'A1:B3'], // the same first cell, fewer columns
          ['A2:B3', 'A1:B3'], // under the header row
        ] as const;
        for (const [i, [user]] of cases.entries()) await withUserTable(user, `BL Part ${i}`, `My_Part${i}`);
        await port.read({ sheets: 'all', tables: true });
        await port.write({
          tables: cases.map(([, wanted], i) => ({
            sheet: `BL Part ${i}`,
            name: `BL_Part${i}`,
            range: wanted,
          })),
        });
        expect(sorted(await t.inspect.tables())).toEqual(
          cases.map(([user], i) => ({ sheet: `BL Part ${i}`, name: `My_Part${i}`, range: user })),
        );
      });

      it('makes or grows no table over merged cells, reports them, and writes the rest', async () => {
        if (!t.inspect.tables || !t.mergeCells) return;
        await port.write({
          sheets: [
            { sheet: 'BL Merged', values: [...grid, ['Total', 30]] },
            { sheet: 'BL Grown', values: grid },
          ],
          tables: [{ sheet: 'BL Grown', name: 'BL_Grown', range: 'A1:B3' }],
        });
        await t.mergeCells('BL Merged', 'A4:B4');
        await port.write({ sheets: [{ sheet: 'BL Grown', at: 'A4', values: [['Note', null]] }] });
        await t.mergeCells('BL Grown', 'A4:B4');
        const snap = await port.read({ sheets: 'all', tables: true });
        expect(
          [...(snap.merged ?? [])]
            .map((m) => [m.sheet, m.range])
            .sort((a, b) => a.join().localeCompare(b.join())),
        ).toEqual([
          ['BL Grown', 'A4:B4'],
          ['BL Merged', 'A4:B4'],
        ]);
        await port.write({
          sheets: [{ sheet: 'BL Merged', at: 'D1', values: [['kept']] }],
          tables: [
            { sheet: 'BL Merged', name: 'BL_Merged', range: 'A1:B4' },
            { sheet: 'BL Grown', name: 'BL_Grown', range: 'A1:B4' },
          ],
        });
        expect(sorted(await t.inspect.tables())).toEqual([
          { sheet: 'BL Grown', name: 'BL_Grown', range: 'A1:B3' },
        ]);
        expect((await readSheet('BL Merged'))?.[0]?.[3]).toBe('kept');
      });

      it("does not grow Budgetline's table into a user's table under it", async () => {
        if (!t.inspect.tables) return;
        await port.write({
          sheets: [{ sheet: 'BL Table', values: [...grid, [null, null], ['Note', 'Who']] }],
          tables: [
            { sheet: 'BL Table', name: 'BL_Lines', range: 'A1:B3' },
            { sheet: 'BL Table', name: 'My_Notes', range: 'A5:B6' },
          ],
        });
        await port.read({ sheets: 'all', tables: true });
        await port.write({ tables: [{ sheet: 'BL Table', name: 'BL_Lines', range: 'A1:B6' }] });
        expect(sorted(await t.inspect.tables())).toEqual([
          { sheet: 'BL Table', name: 'BL_Lines', range: 'A1:B3' },
          { sheet: 'BL Table', name: 'My_Notes', range: 'A5:B6' },
        ]);
      });
    });

    describe('document state and user', () => {
      it('reads the empty state from a new document', async () => {
        const snap = await port.read({ state: true });
        expect(snap.state).toEqual({ version: 1, sites: {}, lastAuditHash: GENESIS_HASH });
        expect(snap.stateDiagnostics).toBeUndefined();
      });

      it.each([
        ['damaged (cut short)', '{"version":1,"sites":{"001":{"site":"001","sta', /not valid JSON/],
        ['foreign (another version)', '{"version":7,"records":[]}', /version 7/],
        [
          'foreign (a site in an unknown state)',
          `{"version":1,"lastAuditHash":"${'a'.repeat(64)}","sites":{"001":{"site":"001","state":"done"}}}`,
          /site 001 has the state "done"/,
        ],
      ])('reads a %s stored state as the empty state with BL820, never a throw', async (_, raw, why) => {
        const damaged = await t.storeRawState(raw);
        const snap = await damaged.read({ state: true });
        expect(snap.state).toEqual({ version: 1, sites: {}, lastAuditHash: GENESIS_HASH });
        expect(snap.stateDiagnostics?.map((d) => [d.code, d.severity])).toEqual([['BL820', 'fatal']]);
        expect(snap.stateDiagnostics?.[0]?.message).toMatch(why);
        // Writing a good state replaces the damaged one.
        const state: DocumentState = {
          version: 1,
          sites: { '001': site('001', 1) },
          lastAuditHash: 'f'.repeat(64),
        };
        await damaged.write({ state });
        const again = await damaged.read({ state: true });
        expect(again.state).toEqual(state);
        expect(again.stateDiagnostics).toBeUndefined();
      });

      it('round trips the state exactly', async () => {
        const state: DocumentState = {
          version: 1,
          sites: { '001': site('001', 1), '002': site('002', 2) },
          lastAuditHash: 'f'.repeat(64),
        };
        await port.write({ state });
        expect((await port.read({ state: true })).state).toEqual(state);
      });

      it('round trips a state larger than 9 KB (60 sites)', async () => {
        const sites: Record<string, SiteBudget> = {};
        for (let i = 0; i < 60; i++) {
          const code = String(i + 1).padStart(3, '0');
          sites[code] = site(code, i);
        }
        const state: DocumentState = { version: 1, sites, lastAuditHash: 'e'.repeat(64) };
        expect(JSON.stringify(state).length).toBeGreaterThan(9 * 1024);
        await port.write({ state });
        expect((await port.read({ state: true })).state).toEqual(state);
      });

      it('keeps the computed-column hashes beside the state: by sheet, merged, removed by "", state untouched', async () => {
        const state: DocumentState = {
          version: 1,
          sites: { '001': site('001', 1) },
          lastAuditHash: 'c'.repeat(64),
        };
        await port.write({ state });
        expect((await port.read({ state: true })).computedHashes ?? {}).toEqual({});
        await port.write({
          computedHashes: { 'Lincoln Elementary': '0123456789ab', Roosevelt: 'ba9876543210' },
        });
        await port.write({ computedHashes: { Roosevelt: '', 'Lincoln Elementary': 'aaaaaaaaaaaa' } });
        const snap = await port.read({ state: true });
        expect(snap.computedHashes).toEqual({ 'Lincoln Elementary': 'aaaaaaaaaaaa' });
        expect(snap.state).toEqual(state);
        // Asked for on their own (live validation), without the state; left out unless asked.
        const live = await port.read({ computedHashes: true });
        expect(live.computedHashes).toEqual({ 'Lincoln Elementary': 'aaaaaaaaaaaa' });
        expect(live.state).toBeUndefined();
        expect((await port.read({ sheets: 'all' })).computedHashes).toBeUndefined();
        if (!t.reopen) return;
        expect((await (await t.reopen()).read({ computedHashes: true })).computedHashes).toEqual({
          'Lincoln Elementary': 'aaaaaaaaaaaa',
        });
      });

      it('reports the current user, or null when the host cannot tell', async () => {
        const { user } = await port.read({ user: true });
        expect(user === null || (typeof user?.email === 'string' && typeof user.verified === 'boolean')).toBe(
          true,
        );
        if (t.expectedUser !== undefined) expect(user).toEqual(t.expectedUser);
      });
    });

    describe('persistence', () => {
      it('keeps values, sheets and state when the document is opened again', async () => {
        if (!t.reopen) return;
        const values = [
          ['Account', 'Amount'],
          ['001', 12.5],
        ];
        const state: DocumentState = {
          version: 1,
          sites: { '001': site('001', 1) },
          lastAuditHash: 'a'.repeat(64),
        };
        await port.write({ sheets: [{ sheet: 'BL Kept', values, header: true }], state });
        const again = await t.reopen();
        const snap = await again.read({ sheets: ['BL Kept'], state: true });
        expect(norm(snap.sheets['BL Kept'])).toEqual(values);
        expect(snap.state).toEqual(state);
      });
    });
  });
}
