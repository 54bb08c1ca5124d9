/**
 * Runs an export format over budget lines, all or nothing: either the whole file as one string,
 * or every problem of every line and no file at all (an ERP rejects a file with one bad row).
 */
import type { Validator } from '../accounts/api';
import type { FiscalYear } from '../accounts/types';
import type { LedgerLine } from '../approval/lines';
import { diag, type Diagnostic } from '../diagnostics';
import { formatCentsPlain, type Cents } from '../money';
import type { ColumnSource, ExportColumn, ExportField, ExportFormat } from './format';

/** A line to export; stage amounts are optional (see ERP_BUDGET_IMPORT). */
export interface ExportLine extends LedgerLine {
  readonly requestedCents?: Cents;
  readonly recommendedCents?: Cents;
  readonly approvedCents?: Cents;
}

export interface ExportOptions {
  /** The compiled chart: accounts are checked strictly and split into segments with it. */
  readonly validator: Pick<Validator, 'check' | 'keys' | 'indexOf'>;
  readonly fiscalYear: FiscalYear;
  /** Settings columns can refer to ({ param: "districtId" }). */
  readonly params?: Readonly<Record<string, string>>;
}

export type ExportResult =
  | {
      readonly ok: true;
      /** The whole file. */
      readonly content: string;
      /**
       * The same file as a table: each record's fields before CSV quoting (a header record first
       * when the file has one); a fixed-width record is one field, the whole line. What a host
       * writes to a sheet when it cannot hand the user a file (exportSheetWrite).
       */
      readonly rows: readonly (readonly string[])[];
      readonly lines: number;
      /** Sum of the lines' amounts, for the control totals. */
      readonly totalCents: Cents;
      /** Warnings from the account checks (e.g. leading zeros restored); never fatal. */
      readonly diagnostics: readonly Diagnostic[];
    }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection), incl. full-width forms. */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;
const CODE = /^[A-Za-z0-9][A-Za-z0-9 ._/-]*$/;
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;
const AMOUNT_FIELDS: ReadonlySet<ExportField> = new Set(['amount', 'requested', 'recommended', 'approved']);
const FIELDS: ReadonlySet<string> = new Set([
  'account',
  'amount',
  'requested',
  'recommended',
  'approved',
  'description',
  'site',
  'fiscalYear',
]);

/** Prefixes a single quote to text a spreadsheet would read as a formula (OWASP guidance). */
export function neutralizeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** RFC 4180: a field containing the separator, a quote, CR or LF is quoted, quotes doubled. */
export function csvField(text: string, delimiter = ','): string {
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function isAmountSource(s: ColumnSource): boolean {
  return (
    'field' in s && AMOUNT_FIELDS.has(s.field) && (s.fallback === undefined || AMOUNT_FIELDS.has(s.fallback))
  );
}

/** Problems with a format definition itself (a district-written format is data, so these are findings). */
function checkFormat(
  format: ExportFormat,
  options: Pick<ExportOptions, 'validator' | 'params'>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const bad = (problem: string): void => void out.push(diag('BL707', { format: format.name, problem }));
  if (format.kind !== 'csv' && format.kind !== 'fixed') bad(`the kind must be "csv" or "fixed"`);
  if (format.columns.length === 0) bad('it has no columns');
  if (format.delimiter !== undefined && ![',', ';', '\t', '|'].includes(format.delimiter))
    bad('the delimiter must be a comma, semicolon, tab or |');
  for (const c of format.columns) {
    const col = `column ${JSON.stringify(c.header)}`;
    if (/[\r\n]/.test(c.header)) bad(`${col}: a header cannot contain a line break`);
    const s = c.source;
    if ('segment' in s && options.validator.indexOf(s.segment) < 0)
      bad(
        `${col} takes the segment "${s.segment}", which the chart does not have (it has ${options.validator.keys.join(', ')})`,
      );
    if ('param' in s && options.params?.[s.param] === undefined) bad(`${col} needs the setting "${s.param}"`);
    if ('field' in s && (!FIELDS.has(s.field) || (s.fallback !== undefined && !FIELDS.has(s.fallback))))
      bad(`${col} takes an unknown field; use one of ${[...FIELDS].join(', ')}`);
    if (c.type === 'amount' && !isAmountSource(s))
      bad(`${col} is an amount but does not take an amount field`);
    if (c.type !== 'amount' && 'field' in s && AMOUNT_FIELDS.has(s.field))
      bad(`${col} takes an amount; give it type "amount"`);
    if (c.type !== 'text' && c.type !== 'code' && c.type !== 'amount')
      bad(`${col}: the type must be text, code or amount`);
    if ('constant' in s && c.type === 'code' && !CODE.test(s.constant))
      bad(`${col}: the constant is not a plain code`);
    if (format.kind === 'fixed') {
      if (c.width === undefined || !Number.isInteger(c.width) || c.width < 1)
        bad(`${col} needs a width of at least 1`);
      if (c.pad !== undefined && c.pad !== ' ' && c.pad !== '0') bad(`${col}: pad with " " or "0"`);
    }
  }
  return out;
}

interface Cell {
  readonly text: string;
}

/** Exports every line or none. */
export function exportLines(
  format: ExportFormat,
  lines: readonly ExportLine[],
  options: ExportOptions,
): ExportResult {
  const formatProblems = checkFormat(format, options);
  if (formatProblems.length) return { ok: false, diagnostics: formatProblems };
  if (lines.length === 0) return { ok: false, diagnostics: [diag('BL706', { format: format.name })] };

  const { validator, params = {} } = options;
  const delimiter = format.delimiter ?? ',';
  const lineEnd = format.lineEnd ?? '\r\n';
  const segIndex = format.columns.map((c) =>
    'segment' in c.source ? validator.indexOf(c.source.segment) : -1,
  );
  const needsAccount = format.columns.some(
    (c) => 'segment' in c.source || ('field' in c.source && c.source.field === 'account'),
  );
  const problems: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  let badLines = 0;
  const records: string[] = [];
  const rows: string[][] = [];
  if (format.kind === 'csv' && format.header !== false) {
    records.push(format.columns.map((c) => csvField(c.header, delimiter)).join(delimiter));
    rows.push(format.columns.map((c) => c.header));
  }
  let total = 0;

  lines.forEach((l, i) => {
    const n = i + 1;
    const where = {
      ...(l.sheet !== undefined ? { sheet: l.sheet } : {}),
      ...(l.cell !== undefined ? { cell: l.cell } : {}),
    };
    const before = problems.length;
    let normalized: string | undefined;
    let segments: readonly string[] | undefined;
    if (needsAccount) {
      const chk = validator.check(l.account, where);
      for (const d of chk.diagnostics) if (d.severity !== 'fatal') warnings.push(d);
      if (!chk.ok || chk.normalized === undefined || chk.segments === undefined) {
        const reasons = chk.diagnostics.filter((d) => d.severity === 'fatal').map((d) => d.message);
        problems.push(
          diag(
            'BL701',
            {
              line: n,
              account: l.account,
              reasons: reasons.length ? reasons.join('; ') : 'it cannot be read',
            },
            where,
          ),
        );
      } else {
        normalized = chk.normalized;
        segments = chk.segments;
      }
    }
    if (!Number.isSafeInteger(l.cents))
      problems.push(diag('BL702', { line: n, column: 'amount', shown: String(l.cents) }, where));
    const fieldValue = (f: ExportField): string | number | undefined => {
      switch (f) {
        case 'account':
          return normalized;
        case 'amount':
          return l.cents;
        case 'requested':
          return l.requestedCents;
        case 'recommended':
          return l.recommendedCents;
        case 'approved':
          return l.approvedCents;
        case 'description':
          return l.description;
        case 'site':
          return l.site;
        case 'fiscalYear':
          return String(options.fiscalYear);
      }
    };
    const cells: Cell[] = [];
    format.columns.forEach((c, ci) => {
      const s = c.source;
      let v: string | number | undefined;
      if ('field' in s) {
        v = fieldValue(s.field);
        if (v === undefined && s.fallback !== undefined) v = fieldValue(s.fallback);
      } else if ('segment' in s) v = segments?.[segIndex[ci] as number];
      else if ('param' in s) v = params[s.param];
      else v = s.constant;
      if (v === undefined) {
        // an unreadable account is already reported; anything else is a missing value
        if (!('segment' in s) && !('field' in s && s.field === 'account'))
          problems.push(diag('BL705', { line: n, column: c.header }, where));
        return;
      }
      const cell = renderCell(format, c, v, n, where, problems);
      if (cell !== undefined) cells.push(cell);
    });
    if (problems.length > before) {
      badLines++;
      return;
    }
    total += l.cents;
    records.push(
      cells
        .map((c) => (format.kind === 'csv' ? csvField(c.text, delimiter) : c.text))
        .join(format.kind === 'csv' ? delimiter : ''),
    );
    rows.push(format.kind === 'csv' ? cells.map((c) => c.text) : [records[records.length - 1] as string]);
  });

  if (problems.length)
    return { ok: false, diagnostics: [diag('BL708', { format: format.name, lines: badLines }), ...problems] };
  if (!Number.isSafeInteger(total)) throw new RangeError('export: total exceeds exact integer range');
  return {
    ok: true,
    content: records.map((r) => r + lineEnd).join(''),
    rows,
    lines: lines.length,
    totalCents: total,
    diagnostics: warnings,
  };
}

function renderCell(
  format: ExportFormat,
  c: ExportColumn,
  v: string | number,
  n: number,
  where: { sheet?: string; cell?: string },
  problems: Diagnostic[],
): Cell | undefined {
  let text: string;
  if (c.type === 'amount') {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      problems.push(diag('BL702', { line: n, column: c.header, shown: String(v) }, where));
      return undefined;
    }
    text = c.amountStyle === 'impliedCents' ? String(v === 0 ? 0 : v) : formatCentsPlain(v);
  } else {
    text = String(v);
    if (c.type === 'code') {
      if (text === '') {
        problems.push(diag('BL705', { line: n, column: c.header }, where));
        return undefined;
      }
      if (!CODE.test(text)) {
        problems.push(diag('BL709', { line: n, column: c.header, shown: text }, where));
        return undefined;
      }
    } else text = neutralizeFormula(text);
  }
  if (format.kind === 'csv') return { text };

  // fixed width
  const width = c.width as number;
  if (c.type === 'text' && !PRINTABLE_ASCII.test(text)) {
    problems.push(diag('BL704', { line: n, column: c.header, shown: text }, where));
    return undefined;
  }
  if (text.length > width) {
    if (c.type === 'text' && c.overflow === 'truncate') text = text.slice(0, width);
    else {
      problems.push(diag('BL703', { line: n, column: c.header, shown: text, width }, where));
      return undefined;
    }
  }
  const pad = c.pad ?? ' ';
  const align = c.align ?? (c.type === 'amount' ? 'right' : 'left');
  if (align === 'left') return { text: text.padEnd(width, pad) };
  if (pad === '0' && text.startsWith('-')) return { text: `-${text.slice(1).padStart(width - 1, '0')}` };
  return { text: text.padStart(width, pad) };
}
