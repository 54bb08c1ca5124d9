/**
 * Diagnostics: findings as values, never thrown, and the one catalogue of their texts.
 *
 * Every finding Budgetline reports has a stable code (BL104), a severity, where it is (sheet, cell,
 * segment, character span inside the account string), a message a principal understands, and a
 * remedy. The texts live only here; docs/diagnostics.md is generated from this catalogue and the
 * examples in test/fixtures/diagnostics (a test keeps the page current).
 *
 * Code ranges: BL0xx cell input and normalisation, BL1xx account strings, BL2xx cross-segment
 * rules, BL3xx the chart itself, BL4xx money and lines, BL5xx allocations and formulas, BL6xx
 * approval and audit, BL7xx consolidation and export.
 */
import { parseA1, type Where } from './cells';

export type Severity = 'fatal' | 'warning';

/** Characters [start, end) of the raw account string a finding points at. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly remedy: string;
  readonly sheet?: string;
  readonly cell?: string;
  /** The segment the finding is about ("object"), when there is one. */
  readonly segment?: string;
  /** Where inside `value` the finding points. */
  readonly span?: Span;
  /** The raw text the finding is about (the account string as typed). */
  readonly value?: string;
  /** Closest valid codes, best first. */
  readonly suggestions?: readonly string[];
  /** The chart rule that fired (cross-segment rules). */
  readonly ruleId?: string;
}

type Entry<A> = {
  readonly severity: Severity;
  readonly title: string;
  readonly message: (a: A) => string;
  readonly remedy: (a: A) => string;
};

function entry<A>(e: Entry<A>): Entry<A> {
  return e;
}

const q = (s: string): string => `"${s}"`;

/** "6119", "6119 or 6112", "6119, 6112 or 6129". */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function didYouMean(s: readonly string[]): string {
  return s.length ? ` Did you mean ${orList(s)}?` : '';
}

export const CATALOGUE = {
  // ---- BL0xx: cell input and normalisation ---------------------------------------------------
  BL001: entry<{ what: string }>({
    severity: 'fatal',
    title: 'blank account',
    message: (a) => `the ${a.what} is blank`,
    remedy: () => 'Enter the full account string, or delete the line if it is not needed.',
  }),
  BL002: entry<{ char: string; position: number }>({
    severity: 'fatal',
    title: 'invisible character',
    message: (a) => `invisible character ${a.char} at position ${a.position + 1}`,
    remedy: () =>
      'Zero-width characters usually come from copying text out of a web page or e-mail. Retype the account string.',
  }),
  BL003: entry<{ char: string; looksLike: string; name: string; position: number }>({
    severity: 'fatal',
    title: 'look-alike character',
    message: (a) => `${q(a.char)} at position ${a.position + 1} is ${a.name}, not ${q(a.looksLike)}`,
    remedy: (a) => `Retype it as ${q(a.looksLike)}.`,
  }),
  BL004: entry<{ shown: string }>({
    severity: 'fatal',
    title: 'account turned into a date',
    message: (a) => `the spreadsheet turned this entry into a date (${a.shown})`,
    remedy: () =>
      'Format the column as Text (or type an apostrophe first, e.g. \'1-10), then retype the account string.',
  }),
  BL005: entry<{ digits: number }>({
    severity: 'fatal',
    title: 'number too long',
    message: (a) =>
      `this ${a.digits}-digit number is longer than a spreadsheet can hold exactly (15 digits); its last digits are already lost`,
    remedy: () => 'Format the column as Text, then retype or re-import the account string.',
  }),
  BL006: entry<{ segment: string; from: string; to: string }>({
    severity: 'warning',
    title: 'leading zeros restored',
    message: (a) => `${a.segment} ${q(a.from)} was read as ${q(a.to)}: the spreadsheet dropped its leading zeros`,
    remedy: () => 'Format the column as Text so the zeros are kept; the restored code is used meanwhile.',
  }),
  BL007: entry<{ char: string; position: number }>({
    severity: 'warning',
    title: 'typographic dash read as a hyphen',
    message: (a) => `the dash ${a.char} at position ${a.position + 1} was read as a plain hyphen "-"`,
    remedy: () => 'Retype the dashes as plain hyphens (word processors and e-mail turn them into long dashes).',
  }),
  BL008: entry<{ position: number }>({
    severity: 'warning',
    title: 'non-breaking space read as a space',
    message: (a) => `the non-breaking space at position ${a.position + 1} was read as a plain space`,
    remedy: () => 'Retype the space; non-breaking spaces usually come from copied web text.',
  }),
  BL009: entry<{ error: string }>({
    severity: 'fatal',
    title: 'spreadsheet error in cell',
    message: (a) => `the cell shows the spreadsheet error ${a.error}`,
    remedy: () => 'Fix the formula (or replace it with the value) so the cell shows a real value.',
  }),
  BL010: entry<{ shown: string }>({
    severity: 'fatal',
    title: 'not text',
    message: (a) => `${q(a.shown)} is not an account string`,
    remedy: () => 'Type the account string as text.',
  }),

  // ---- BL1xx: account strings -----------------------------------------------------------------
  BL101: entry<{ found: number; expected: number; format: string }>({
    severity: 'fatal',
    title: 'wrong number of segments',
    message: (a) => `the account has ${a.found} segment${a.found === 1 ? '' : 's'}; this chart has ${a.expected}`,
    remedy: (a) => `Write the account as ${a.format}.`,
  }),
  BL102: entry<{ segment: string; code: string; length: number; suggestions: readonly string[] }>({
    severity: 'fatal',
    title: 'segment of the wrong length',
    message: (a) => `${a.segment} code ${q(a.code)} has ${a.code.length} characters; it needs ${a.length}`,
    remedy: (a) =>
      `A ${a.segment} code is ${a.length} characters long, with its leading zeros.${didYouMean(a.suggestions)}`,
  }),
  BL103: entry<{ segment: string; code: string; allowed: string }>({
    severity: 'fatal',
    title: 'character not allowed in segment',
    message: (a) => `${a.segment} code ${q(a.code)} may contain only ${a.allowed}`,
    remedy: (a) => `Retype the ${a.segment} code using ${a.allowed}.`,
  }),
  BL104: entry<{ segment: string; code: string; chart: string; fiscalYear: string; suggestions: readonly string[] }>({
    severity: 'fatal',
    title: 'unknown code',
    message: (a) => `unknown ${a.segment} code ${q(a.code)}`,
    remedy: (a) =>
      `${a.code} is not ${article(a.segment)} ${a.segment} code in the ${a.chart} chart for ${a.fiscalYear}.${didYouMean(a.suggestions)}`,
  }),
  BL105: entry<{ segment: string; code: string; validFrom: string; validTo: string; fiscalYear: string; suggestions: readonly string[] }>({
    severity: 'fatal',
    title: 'code not valid in this fiscal year',
    message: (a) => `${a.segment} code ${q(a.code)} is not valid in ${a.fiscalYear} (valid ${a.validFrom}–${a.validTo})`,
    remedy: (a) => `Use a ${a.segment} code that is valid in ${a.fiscalYear}.${didYouMean(a.suggestions)}`,
  }),
  BL106: entry<{ segment: string; code: string; suggestions: readonly string[] }>({
    severity: 'fatal',
    title: 'inactive code',
    message: (a) => `${a.segment} code ${q(a.code)} is marked inactive in the chart`,
    remedy: (a) =>
      `Use an active ${a.segment} code, or ask the budget office to reactivate it.${didYouMean(a.suggestions)}`,
  }),
  BL107: entry<{ found: number; expected: number; format: string }>({
    severity: 'fatal',
    title: 'wrong length',
    message: (a) => `the account has ${a.found} characters; this chart's account strings have ${a.expected}`,
    remedy: (a) => `Write the account as ${a.format}, with no separators and every leading zero.`,
  }),
  BL108: entry<{ code: string; expected: string; fiscalYear: string }>({
    severity: 'fatal',
    title: 'wrong fiscal-year code',
    message: (a) => `fiscal-year code ${q(a.code)} does not match ${a.fiscalYear}`,
    remedy: (a) => `Use ${q(a.expected)} for ${a.fiscalYear}.`,
  }),

  // ---- BL2xx: cross-segment rules ---------------------------------------------------------------
  BL201: entry<{ ruleId: string; text: string }>({
    severity: 'fatal',
    title: 'cross-segment rule broken',
    message: (a) => `rule ${a.ruleId}: ${a.text}`,
    remedy: () => 'Change one of the segments the rule names, or ask the budget office if the rule should not apply.',
  }),
  BL202: entry<{ ruleId: string; a: string; aCode: string; b: string; bCode: string; text: string }>({
    severity: 'fatal',
    title: 'combination not allowed',
    message: (x) => `${x.a} ${x.aCode} may not be used with ${x.b} ${x.bCode} (${x.ruleId})`,
    remedy: (x) => `${x.text}`,
  }),

  // ---- BL3xx: the chart itself ------------------------------------------------------------------
  BL301: entry<{ segment: string; code: string; first: string }>({
    severity: 'fatal',
    title: 'duplicate code in chart',
    message: (a) => `${a.segment} code ${q(a.code)} is listed twice (first at ${a.first})`,
    remedy: () => 'Delete one of the two rows, or give them different fiscal years.',
  }),
  BL302: entry<{ segment: string; code: string; length: number }>({
    severity: 'fatal',
    title: 'chart code of the wrong length',
    message: (a) => `${a.segment} code ${q(a.code)} has ${a.code.length} characters; the segment is ${a.length} long`,
    remedy: () => 'Correct the code (keep leading zeros: format the column as Text) or the segment length.',
  }),
  BL303: entry<{ ruleId: string; segment: string; known: readonly string[] }>({
    severity: 'fatal',
    title: 'rule names an unknown segment',
    message: (a) => `rule ${a.ruleId} names the segment ${q(a.segment)}, which the chart does not have`,
    remedy: (a) => `Use one of: ${a.known.join(', ')}.`,
  }),
  BL304: entry<{ segment: string; known: readonly string[] }>({
    severity: 'fatal',
    title: 'code for an unknown segment',
    message: (a) => `the segment ${q(a.segment)} is not defined`,
    remedy: (a) => `Use one of: ${a.known.join(', ')}, or add the segment to the Segments table.`,
  }),
  BL305: entry<{ problem: string }>({
    severity: 'fatal',
    title: 'bad segment definition',
    message: (a) => `segment definition: ${a.problem}`,
    remedy: () =>
      'Each segment needs a unique name, a length from 1 to 12 and allowed characters "digits", "letters" or "letters and digits".',
  }),
  BL306: entry<{ table: string; column: string }>({
    severity: 'fatal',
    title: 'missing column',
    message: (a) => `the ${a.table} table has no ${q(a.column)} column`,
    remedy: (a) => `Add a column headed ${q(a.column)} to the ${a.table} table.`,
  }),
  BL307: entry<{ value: string; column: string }>({
    severity: 'fatal',
    title: 'bad fiscal year',
    message: (a) => `${q(a.value)} in ${a.column} is not a fiscal year`,
    remedy: () => 'Write the fiscal year as its ending year (2027 for 2026-27), "FY2027" or "2026-27".',
  }),
  BL308: entry<{ segment: string; pattern: string; problem: string }>({
    severity: 'fatal',
    title: 'bad range or mask',
    message: (a) => `${a.segment} entry ${q(a.pattern)}: ${a.problem}`,
    remedy: () =>
      'Write a range as low-high with both ends as long as the segment (6100-6699), and a mask with X for any digit (5XXX).',
  }),
  BL309: entry<{ ruleId: string; problem: string }>({
    severity: 'fatal',
    title: 'rule cannot be read',
    message: (a) => `rule ${a.ruleId}: ${a.problem}`,
    remedy: () =>
      'Write conditions like: object in 6100-6699 and function != 00; fund = 599; not (program in [11, 21]).',
  }),
  BL310: entry<{ problem: string }>({
    severity: 'fatal',
    title: 'chart cannot be read',
    message: (a) => `chart: ${a.problem}`,
    remedy: () => 'Correct the chart definition; docs/charts.md describes its format.',
  }),

  // ---- BL4xx: money and budget lines (Core II) --------------------------------------------------
  BL401: entry<{ what: string }>({
    severity: 'fatal',
    title: 'blank amount',
    message: (a) => `the ${a.what} is blank`,
    remedy: () => 'Enter an amount; type 0 if the amount really is zero (a blank is not zero).',
  }),
  BL402: entry<{ what: string; error: string }>({
    severity: 'fatal',
    title: 'spreadsheet error in amount',
    message: (a) => `the ${a.what} shows the spreadsheet error ${a.error}`,
    remedy: () => 'Fix the formula so the cell shows a number; an error is never counted as 0.',
  }),
  BL403: entry<{ what: string; shown: string }>({
    severity: 'fatal',
    title: 'text in amount',
    message: (a) => `the ${a.what} ${q(a.shown)} is not an amount`,
    remedy: () => 'Type a number such as 1234.56, $1,234.56, -1,234.56 or (1,234.56).',
  }),
  BL404: entry<{ what: string; shown: string }>({
    severity: 'fatal',
    title: 'European number format',
    message: (a) => `the ${a.what} ${q(a.shown)} uses a comma as the decimal mark`,
    remedy: () => 'Write amounts with a decimal point and optional comma thousands separators: 1,234.56.',
  }),
  BL405: entry<{ what: string; shown: string }>({
    severity: 'fatal',
    title: 'fraction of a cent',
    message: (a) => `the ${a.what} ${q(a.shown)} has more than two decimal places`,
    remedy: () => 'Round the amount to whole cents (two decimal places).',
  }),
  BL406: entry<{ what: string; shown: string }>({
    severity: 'fatal',
    title: 'amount too large',
    message: (a) => `the ${a.what} ${q(a.shown)} is too large to be counted to the cent`,
    remedy: () => 'Check the amount; amounts above 90 trillion dollars cannot be kept exactly.',
  }),

  // ---- BL5xx: allocations and funding formulas (Core II) ----------------------------------------

  // ---- BL6xx: approval workflow and audit (Core III) --------------------------------------------

  // ---- BL7xx: consolidation and export (Core III) -----------------------------------------------
} as const;

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

export type Catalogue = typeof CATALOGUE;
export type DiagnosticCode = keyof Catalogue;
export type DiagnosticArgs<C extends DiagnosticCode> = Parameters<Catalogue[C]['message']>[0];

/** Everything a finding may carry besides its code's texts. */
export interface DiagnosticExtras extends Where {
  readonly segment?: string;
  readonly span?: Span;
  readonly value?: string;
  readonly suggestions?: readonly string[];
  readonly ruleId?: string;
  /** Overrides the catalogue's severity (rules carry their own). */
  readonly severity?: Severity;
}

/** Makes a finding from the catalogue. */
export function diag<C extends DiagnosticCode>(
  code: C,
  args: DiagnosticArgs<C>,
  extras: DiagnosticExtras = {},
): Diagnostic {
  const e = CATALOGUE[code] as Entry<DiagnosticArgs<C>>;
  const { severity, ...rest } = extras;
  const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = {
    code,
    severity: severity ?? e.severity,
    message: e.message(args),
    remedy: e.remedy(args),
  };
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) (d as Record<string, unknown>)[k] = v;
  return d;
}

/** Sheet!Cell, Sheet, Cell, or "" when the finding has no place. */
export function placeOf(d: Pick<Diagnostic, 'sheet' | 'cell'>): string {
  if (d.sheet && d.cell) return `${d.sheet}!${d.cell}`;
  return d.sheet ?? d.cell ?? '';
}

/**
 * The human form:
 *   Lincoln Elementary!C14  BL104 unknown object code "6118" — did you mean 6119 or 6112?
 * With `excerpt`, the account string and a caret line under the span, then the remedy.
 */
export function formatDiagnostic(d: Diagnostic, options: { excerpt?: boolean } = {}): string {
  const place = placeOf(d);
  const head = `${place ? `${place}  ` : ''}${d.code} ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
  const hint = d.suggestions?.length ? ` — did you mean ${orList(d.suggestions)}?` : '';
  if (!options.excerpt) return head + hint;
  const lines = [head];
  if (d.value !== undefined && d.span) {
    lines.push(`  ${d.value}`);
    lines.push(`  ${' '.repeat(d.span.start)}${'^'.repeat(Math.max(1, d.span.end - d.span.start))}`);
  }
  lines.push(`  ${d.remedy}`);
  return lines.join('\n');
}

export function hasFatal(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'fatal');
}

/** Orders findings by sheet, then row and column of the cell, then code: stable output for reports. */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  const key = (d: Diagnostic): [string, number, number, string] => {
    const at = d.cell ? parseA1(d.cell) : undefined;
    return [d.sheet ?? '', at ? at.row : -1, at ? at.column : -1, d.code];
  };
  return [...ds].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < 4; i++) {
      const x = ka[i] as string | number;
      const y = kb[i] as string | number;
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  });
}
