/**
 * Export formats as data: columns in order, each naming where its value comes from and how it is
 * written (docs/exports.md). `export` offers BUILT_IN_FORMATS; a new format is one more such object.
 */

/** Fields of a line (and of the export run) a column can take its value from. */
export type ExportField =
  /** The canonical account string. */
  | 'account'
  /** The line's amount (cents). */
  | 'amount'
  /** Stage amounts for ERP budget imports; use `fallback: 'amount'` when a district keeps one figure. */
  | 'requested'
  | 'recommended'
  | 'approved'
  | 'description'
  /** The line's site (budget unit). */
  | 'site'
  /** The fiscal year of the export, written as its ending year ("2027"). */
  | 'fiscalYear';

export type ColumnSource =
  | { readonly field: ExportField; readonly fallback?: ExportField }
  /** A segment of the account, by chart key ("object"). */
  | { readonly segment: string }
  /** A setting given at export time (e.g. "districtId"). */
  | { readonly param: string }
  | { readonly constant: string };

export type ColumnType =
  /** Free text: neutralised against formula injection (OWASP); plain printable ASCII in fixed width. */
  | 'text'
  /** A code: strictly letters, digits, space and . _ / -, starting with a letter or digit. */
  | 'code'
  /** Cents, written without $ or thousands separators, "-" for negatives. */
  | 'amount';

export interface ExportColumn {
  readonly header: string;
  readonly source: ColumnSource;
  readonly type: ColumnType;
  /** Amounts: "decimal" writes 1234.56 (default); "impliedCents" writes 123456. */
  readonly amountStyle?: 'decimal' | 'impliedCents';
  /** Fixed width: the column's width in characters (required). */
  readonly width?: number;
  /** Fixed width: alignment (default: right for amounts, left otherwise). */
  readonly align?: 'left' | 'right';
  /** Fixed width: pad character (default " "); "0" pads amounts after the minus sign. */
  readonly pad?: ' ' | '0';
  /** Fixed width text longer than the column: "truncate" or "error" (default). */
  readonly overflow?: 'truncate' | 'error';
}

export interface ExportFormat {
  readonly id: string;
  readonly name: string;
  readonly kind: 'csv' | 'fixed';
  /** CSV: write a header row (default true). */
  readonly header?: boolean;
  /** CSV: the field separator (default ","). */
  readonly delimiter?: ',' | ';' | '\t' | '|';
  /** Record terminator (default CRLF, as RFC 4180 asks). */
  readonly lineEnd?: '\r\n' | '\n';
  readonly columns: readonly ExportColumn[];
}

/** Generic CSV: account, amount, description (RFC 4180). */
export const GENERIC_CSV: ExportFormat = {
  id: 'generic-csv',
  name: 'Generic CSV',
  kind: 'csv',
  columns: [
    { header: 'Account', source: { field: 'account' }, type: 'code' },
    { header: 'Amount', source: { field: 'amount' }, type: 'amount' },
    { header: 'Description', source: { field: 'description' }, type: 'text' },
  ],
};

/**
 * An ERP budget import: fiscal year, budget unit, account and the three stage amounts. A line
 * without a separate requested / recommended / approved figure exports its amount in that column.
 */
const ERP_BUDGET_IMPORT: ExportFormat = {
  id: 'erp-budget',
  name: 'ERP budget import',
  kind: 'csv',
  columns: [
    { header: 'Fiscal Year', source: { field: 'fiscalYear' }, type: 'code' },
    { header: 'Budget Unit', source: { field: 'site' }, type: 'code' },
    { header: 'Account', source: { field: 'account' }, type: 'code' },
    { header: 'Requested Amount', source: { field: 'requested', fallback: 'amount' }, type: 'amount' },
    { header: 'Recommended Amount', source: { field: 'recommended', fallback: 'amount' }, type: 'amount' },
    { header: 'Approved Amount', source: { field: 'approved', fallback: 'amount' }, type: 'amount' },
  ],
};

/** California SACS general-ledger CSV (segment keys of the California preset). */
const SACS_GL_CSV: ExportFormat = {
  id: 'ca-sacs-gl',
  name: 'California SACS general ledger',
  kind: 'csv',
  columns: [
    { header: 'Fund', source: { segment: 'fund' }, type: 'code' },
    { header: 'Resource', source: { segment: 'resource' }, type: 'code' },
    { header: 'ProjectYear', source: { segment: 'projectYear' }, type: 'code' },
    { header: 'Goal', source: { segment: 'goal' }, type: 'code' },
    { header: 'Function', source: { segment: 'function' }, type: 'code' },
    { header: 'Object', source: { segment: 'object' }, type: 'code' },
    { header: 'Value', source: { field: 'amount' }, type: 'amount' },
  ],
};

/**
 * A Texas fixed-width budget record (segment keys of the Texas preset), laid out after the PEIMS
 * budget record: district, the account's segments, the amount (15 characters, zero-padded,
 * leading minus for negatives) and a description (30 characters, cut to fit). Records end in CRLF.
 */
export const TEXAS_FIXED_WIDTH: ExportFormat = {
  id: 'tx-budget-fixed',
  name: 'Texas fixed-width budget record',
  kind: 'fixed',
  columns: [
    { header: 'District', source: { param: 'districtId' }, type: 'code', width: 6, align: 'right', pad: '0' },
    { header: 'Fund', source: { segment: 'fund' }, type: 'code', width: 3 },
    { header: 'Function', source: { segment: 'function' }, type: 'code', width: 2 },
    { header: 'Object', source: { segment: 'object' }, type: 'code', width: 4 },
    { header: 'Sub-Object', source: { segment: 'subObject' }, type: 'code', width: 2 },
    { header: 'Organization', source: { segment: 'organization' }, type: 'code', width: 3 },
    { header: 'Fiscal Year', source: { segment: 'fiscalYear' }, type: 'code', width: 1 },
    { header: 'Program Intent', source: { segment: 'programIntent' }, type: 'code', width: 2 },
    { header: 'Local', source: { segment: 'local' }, type: 'code', width: 3 },
    { header: 'Amount', source: { field: 'amount' }, type: 'amount', width: 15, align: 'right', pad: '0' },
    {
      header: 'Description',
      source: { field: 'description' },
      type: 'text',
      width: 30,
      overflow: 'truncate',
    },
  ],
};

export const BUILT_IN_FORMATS: readonly ExportFormat[] = [
  GENERIC_CSV,
  ERP_BUDGET_IMPORT,
  SACS_GL_CSV,
  TEXAS_FIXED_WIDTH,
];
