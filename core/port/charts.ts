/**
 * What every adapter needs to write a batch's `charts` and `print` (core/port/types.ts ChartSpec,
 * PrintSetup) the same way: the check that refuses a bad chart or print setup before anything is
 * written, the cells a chart covers, and the header / footer codes of Excel and .xlsx.
 */
import { a1, parseA1 } from '../cells';
import type { ChartSpec, WriteBatch } from './types';

export const CHART_TYPES: readonly ChartSpec['type'][] = ['pie', 'column', 'bar', 'line'];

/** A rectangle of cells, 0-based and inclusive. */
export interface CellBox {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

/** "A4:C44" (or one cell, "$A$4") → its box; undefined for anything else (whole rows, columns, sheet names). */
export function parseCellRange(range: string): CellBox | undefined {
  const [p, q, extra] = range.split(':');
  if (p === undefined || extra !== undefined) return undefined;
  const a = parseA1(p);
  const b = parseA1(q ?? p);
  if (!a || !b) return undefined;
  return {
    top: Math.min(a.row, b.row),
    left: Math.min(a.column, b.column),
    bottom: Math.max(a.row, b.row),
    right: Math.max(a.column, b.column),
  };
}

/** The cells a chart sits over: its anchor cell and the cell `columns` × `rows` on (bottom-right, inclusive). */
export function chartBox(spec: ChartSpec): CellBox {
  const at = parseA1(spec.anchor.at) ?? { row: 0, column: 0 };
  return {
    top: at.row,
    left: at.column,
    bottom: at.row + spec.anchor.rows - 1,
    right: at.column + spec.anchor.columns - 1,
  };
}

/** The bottom-right cell of a chart's box ("J20"). */
export function chartEndCell(spec: ChartSpec): string {
  const box = chartBox(spec);
  return a1(box.bottom, box.right);
}

/** "1:4" or "$1:$4" → [0, 3] (0-based rows), undefined for anything else. */
export function parseTitleRows(rows: string): readonly [number, number] | undefined {
  const m = /^\$?([1-9][0-9]*):\$?([1-9][0-9]*)$/.exec(rows.trim());
  if (!m) return undefined;
  const a = Number(m[1]) - 1;
  const b = Number(m[2]) - 1;
  return a <= b ? [a, b] : undefined;
}

/**
 * Header and footer text in Excel's (and SpreadsheetML's) codes: {page} → &P, {pages} → &N,
 * {sheet} → &A, {date} → &D; a literal "&" (a district called "Smith & Jones") is doubled, or Excel
 * would read "& J" as a code.
 */
export function headerFooterCodes(text: string): string {
  const tokens: Readonly<Record<string, string>> = {
    '{page}': '&P',
    '{pages}': '&N',
    '{sheet}': '&A',
    '{date}': '&D',
  };
  return text.replace(/\{page\}|\{pages\}|\{sheet\}|\{date\}|&/g, (m) => tokens[m] ?? '&&');
}

/** Excel's header and footer limit (characters of each part's codes). */
export const HEADER_FOOTER_LIMIT = 255;

/**
 * Why the batch's charts or print setup cannot be written (one sentence each), or [] when they can.
 * Every adapter calls it before it writes anything, so a bad chart never leaves half a batch behind.
 * `sheets`: the workbook's sheet names before the write (a chart or print setup may also be on a
 * sheet the same batch writes).
 */
export function chartAndPrintProblems(batch: WriteBatch, sheets: readonly string[]): string[] {
  const problems: string[] = [];
  const known = new Set([...sheets, ...(batch.sheets ?? []).map((w) => w.sheet)].map((n) => n.toLowerCase()));
  const names = new Set<string>();
  for (const c of batch.charts ?? []) {
    const what = `chart "${c.name}" on "${c.sheet}"`;
    if (!known.has(c.sheet.toLowerCase())) problems.push(`${what}: the sheet does not exist`);
    if (!c.name.trim()) problems.push(`a chart on "${c.sheet}" has no name`);
    const key = `${c.sheet.toLowerCase()}\u0000${c.name}`;
    if (names.has(key)) problems.push(`${what}: the batch writes it twice`);
    names.add(key);
    if (!CHART_TYPES.includes(c.type)) problems.push(`${what}: unknown chart type "${String(c.type)}"`);
    if (!parseCellRange(c.data)) problems.push(`${what}: data "${c.data}" is not a range of cells`);
    if (!parseA1(c.anchor.at)) problems.push(`${what}: anchor "${c.anchor.at}" is not a cell`);
    for (const [k, v] of [
      ['columns', c.anchor.columns],
      ['rows', c.anchor.rows],
    ] as const)
      if (!Number.isInteger(v) || v < 1) problems.push(`${what}: ${k} must be a whole number of at least 1`);
  }
  const printed = new Set<string>();
  for (const p of batch.print ?? []) {
    const what = `print setup of "${p.sheet}"`;
    if (!known.has(p.sheet.toLowerCase())) problems.push(`${what}: the sheet does not exist`);
    if (printed.has(p.sheet.toLowerCase())) problems.push(`${what}: the batch writes it twice`);
    printed.add(p.sheet.toLowerCase());
    if (p.orientation !== 'portrait' && p.orientation !== 'landscape')
      problems.push(`${what}: unknown orientation "${String(p.orientation)}"`);
    if (p.titleRows !== undefined && !parseTitleRows(p.titleRows))
      problems.push(`${what}: title rows "${p.titleRows}" are not rows such as "1:4"`);
    for (const [place, parts] of [
      ['header', p.header],
      ['footer', p.footer],
    ] as const)
      for (const [side, text] of Object.entries(parts ?? {}))
        if (typeof text === 'string' && headerFooterCodes(text).length > HEADER_FOOTER_LIMIT)
          problems.push(`${what}: the ${side} ${place} is longer than ${HEADER_FOOTER_LIMIT} characters`);
  }
  return problems;
}

/** Throws (before anything is written) when the batch's charts or print setup cannot be written. */
export function checkChartsAndPrint(batch: WriteBatch, sheets: readonly string[]): void {
  const problems = chartAndPrintProblems(batch, sheets);
  if (problems.length) throw new RangeError(`Nothing was written: ${problems.join('; ')}.`);
}
