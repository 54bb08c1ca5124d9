/**
 * Live validation: a worksheet edit or paste re-checks only the changed rows of a site sheet
 * (operations.validateRows: one read round trip, one write round trip), marks the invalid cells and
 * clears the marks of fixed ones. It runs in the shared runtime, so it keeps working with the task
 * pane closed.
 *
 * - Its own writes are ignored: Excel reports them with triggerSource "ThisLocalAddin" (ExcelApi
 *   1.14); on older hosts the port tells us which ranges it wrote and those events are skipped.
 * - Events that arrive while a check runs are merged per sheet (one check for the union of rows).
 * - Dropdowns on segment columns do not stop a paste: the check runs on every change anyway.
 * - Inserted or deleted rows move Budgetline's record of its marks with them (Excel moves the
 *   fills and notes themselves).
 */
import { runOperation, type OperationOptions, type OperationResult, type Operations } from '../../core';
import type { ExcelPort } from './port';
import { supports } from './requirements';

/** Rows checked for one change at most (a change to whole columns is cut to this many rows). */
export const MAX_ROWS_PER_CHECK = 100_000;

export interface LiveValidationDeps {
  readonly port: ExcelPort;
  readonly validateRows: Operations['validateRows'];
  readonly options: () => OperationOptions;
  /** Told after each check (the task pane updates its findings list). */
  readonly onResult?: (sheet: string, from: number, to: number, result: OperationResult) => void;
  readonly onError?: (error: unknown) => void;
}

/** Rows (0-based, inclusive) of an event address: "B2:D5001", "C7", "3:5", "A:C" (all rows). */
export function rowsOfAddress(address: string): { from: number; to: number } | undefined {
  const a = address.replace(/^.*!/, '').replace(/\$/g, '');
  const parts = a.split(':');
  const row = (p: string | undefined): number | undefined => {
    const m = /^[A-Za-z]{0,3}(\d+)$/.exec(p ?? '');
    return m ? Number(m[1]) - 1 : undefined;
  };
  const r1 = row(parts[0]);
  const r2 = parts.length > 1 ? row(parts[1]) : r1;
  if (r1 === undefined || r2 === undefined) {
    if (/^[A-Za-z]{1,3}$/.test(parts[0] ?? '')) return { from: 0, to: MAX_ROWS_PER_CHECK };
    return undefined;
  }
  return { from: Math.min(r1, r2), to: Math.min(Math.max(r1, r2), Math.min(r1, r2) + MAX_ROWS_PER_CHECK) };
}

/** Columns (0-based, inclusive) of an event address: "B2:D5001" → 1..3; whole rows ("3:5") → undefined. */
export function columnsOfAddress(address: string): { from: number; to: number } | undefined {
  const parts = address.replace(/^.*!/, '').replace(/\$/g, '').split(':');
  const col = (p: string | undefined): number | undefined => {
    const m = /^([A-Za-z]{1,3})\d*$/.exec(p ?? '');
    return m
      ? [...(m[1] as string).toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1
      : undefined;
  };
  const c1 = col(parts[0]);
  const c2 = parts.length > 1 ? col(parts[1]) : c1;
  return c1 === undefined || c2 === undefined ? undefined : { from: Math.min(c1, c2), to: Math.max(c1, c2) };
}

type Pending = { from: number; to: number; columns?: { from: number; to: number } };

/** Two pending windows as one: their rows, and their columns when both are known. */
function mergePending(a: Pending | undefined, b: Pending): Pending {
  if (!a) return b;
  const columns =
    a.columns && b.columns
      ? { from: Math.min(a.columns.from, b.columns.from), to: Math.max(a.columns.to, b.columns.to) }
      : undefined;
  return { from: Math.min(a.from, b.from), to: Math.max(a.to, b.to), ...(columns ? { columns } : {}) };
}

export class LiveValidation {
  private readonly names = new Map<string, string>();
  private readonly ownWrites = new Map<string, number>();
  private readonly pending = new Map<string, Pending>();
  private chain: Promise<void> = Promise.resolve();
  private scheduled = false;
  /** Changes seen, checks run, events ignored as our own: for tests and the pane's footer. */
  readonly counts = { events: 0, checks: 0, ignored: 0 };

  constructor(private readonly deps: LiveValidationDeps) {
    deps.port.onOwnWrite = (sheet, address) => {
      const key = `${sheet}!${address}`;
      this.ownWrites.set(key, (this.ownWrites.get(key) ?? 0) + 1);
    };
  }

  /** Registers the handlers and learns the sheets' ids (one round trip, once). */
  async start(): Promise<void> {
    await Excel.run(async (context) => {
      const sheets = context.workbook.worksheets;
      sheets.load('items/id,items/name');
      sheets.onChanged.add((e) => this.onChanged(e));
      if (supports('renameEvents'))
        sheets.onNameChanged.add((e) => {
          this.names.set(e.worksheetId, e.nameAfter);
          return Promise.resolve();
        });
      await context.sync();
      for (const s of sheets.items) this.names.set(s.id, s.name);
    });
  }

  /** The WorksheetChanged handler. Resolves when the check it caused (if any) has run. */
  onChanged(e: Excel.WorksheetChangedEventArgs): Promise<void> {
    this.counts.events++;
    if (supports('triggerSource') && e.triggerSource === 'ThisLocalAddin') {
      this.counts.ignored++;
      return Promise.resolve();
    }
    return this.handle(e).catch((err: unknown) => this.deps.onError?.(err));
  }

  /** Resolves when every check queued so far has run. */
  idle(): Promise<void> {
    return this.chain;
  }

  private async handle(e: Excel.WorksheetChangedEventArgs): Promise<void> {
    const sheet = await this.sheetName(e.worksheetId);
    if (sheet === undefined) return;
    const key = `${sheet}!${e.address}`;
    const own = this.ownWrites.get(key);
    if (own) {
      if (own === 1) this.ownWrites.delete(key);
      else this.ownWrites.set(key, own - 1);
      this.counts.ignored++;
      return;
    }
    const rows = rowsOfAddress(e.address);
    if (!rows) return;
    if (e.changeType === 'RowInserted' || e.changeType === 'RowDeleted') {
      const count = rows.to - rows.from + 1;
      await this.deps.port.shiftMarks(sheet, rows.from, e.changeType === 'RowInserted' ? count : -count);
      if (e.changeType === 'RowDeleted') return;
    }
    const columns = columnsOfAddress(e.address);
    return this.enqueue(sheet, { ...rows, ...(columns ? { columns } : {}) });
  }

  private enqueue(sheet: string, window: Pending): Promise<void> {
    this.pending.set(sheet, mergePending(this.pending.get(sheet), window));
    if (!this.scheduled) {
      this.scheduled = true;
      this.chain = this.chain.then(() => this.flush());
    }
    return this.chain;
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const work = [...this.pending];
    this.pending.clear();
    for (const [sheet, { from, to, columns }] of work) {
      this.counts.checks++;
      try {
        const result = await runOperation(
          this.deps.port,
          this.deps.validateRows,
          { sheet, from, to, ...(columns ? { columns } : {}) },
          this.deps.options(),
        );
        this.deps.onResult?.(sheet, from, to, result);
      } catch (err) {
        this.deps.onError?.(err);
      }
    }
  }

  /** The sheet's name from its id; a sheet added since start costs one round trip. */
  private async sheetName(id: string): Promise<string | undefined> {
    const known = this.names.get(id);
    if (known !== undefined) return known;
    await Excel.run(async (context) => {
      const sheets = context.workbook.worksheets;
      sheets.load('items/id,items/name');
      await context.sync();
      for (const s of sheets.items) this.names.set(s.id, s.name);
    });
    return this.names.get(id);
  }
}
