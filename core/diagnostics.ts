/**
 * Diagnostics: findings as values, never thrown, and the one catalogue of their texts.
 *
 * Every finding Budgetline reports has a stable code (BL104), a severity, where it is (sheet, cell,
 * segment, character span inside the account string), a message a principal understands, and a
 * remedy. The texts live only here; docs/diagnostics.md is generated from this catalogue and the
 * examples in test/fixtures/diagnostics (a test keeps the page current).
 *
 * Code ranges: BL0xx cell input and normalisation, BL1xx account strings, BL2xx cross-segment
 * rules, BL3xx the chart itself, BL4xx money, lines and staffing, BL5xx allocations and formulas,
 * BL6xx approval and audit, BL7xx consolidation and export, BL8xx the workbook, its stored state
 * and the operations, BL9xx budget-change proposals, their scores and decisions, and scenarios,
 * BL95x the board report.
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
  /**
   * The whole list a finding names, when it names more than its message shows (the message gives the
   * count and the first few: see `few`). `--json` carries it, so nothing is lost.
   */
  readonly items?: readonly string[];
}

type Entry<A> = {
  readonly severity: Severity;
  readonly title: string;
  readonly message: (a: A) => string;
  readonly remedy: (a: A) => string;
  /** The list the message or remedy names, shortened by `few`: kept whole as the finding's `items`. */
  readonly items?: (a: A) => readonly string[];
};

function entry<A>(e: Entry<A>): Entry<A> {
  return e;
}

const q = (s: string): string => `"${s}"`;

/** "6119", "6119 or 6112", "6119, 6112 or 6129". */
function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** How many items of a list a message shows; the rest are counted, and the finding's `items` keeps them all. */
export const FEW = 3;

/**
 * A list as a message shows it: every item when there are at most FEW, otherwise the first FEW and
 * how many more ("101, 102, 103, 104, 105 and 35 more"). The whole list goes into the finding's
 * `items` (the entry's `items`), so a terminal line stays readable and `--json` still has everything.
 */
export function few(items: readonly string[], separator = ', '): string {
  if (items.length <= FEW) return items.join(separator);
  return `${items.slice(0, FEW).join(separator)} and ${items.length - FEW} more`;
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
      "Format the column as Text (or type an apostrophe first, e.g. '1-10), then retype the account string.",
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
    message: (a) =>
      `${a.segment} ${q(a.from)} was read as ${q(a.to)}: the spreadsheet dropped its leading zeros`,
    remedy: () => 'Format the column as Text so the zeros are kept; the restored code is used meanwhile.',
  }),
  BL007: entry<{ char: string; position: number }>({
    severity: 'warning',
    title: 'typographic dash read as a hyphen',
    message: (a) => `the dash ${a.char} at position ${a.position + 1} was read as a plain hyphen "-"`,
    remedy: () =>
      'Retype the dashes as plain hyphens (word processors and e-mail turn them into long dashes).',
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

  BL011: entry<{ from: string; to: string }>({
    severity: 'warning',
    title: 'separators removed',
    message: (a) => `${q(a.from)} was read as ${q(a.to)}: this chart writes accounts without separators`,
    remedy: () => 'Type the account without dashes so it matches the accounting system.',
  }),

  BL012: entry<{ shown: string; split: string }>({
    severity: 'fatal',
    title: 'whole account in one segment cell',
    message: (a) =>
      `this cell holds a whole account string (${q(a.shown)}); this sheet has one column per segment`,
    remedy: (a) =>
      a.split
        ? `Put each segment in its own column: ${a.split}.`
        : 'Put each segment in its own column; this text does not split into the chart’s segments, so check it against the chart first.',
  }),

  BL013: entry<{ length: number }>({
    severity: 'fatal',
    title: 'text too long for a cell',
    message: (a) =>
      `the cell holds ${a.length.toLocaleString('en-US')} characters; a spreadsheet cell holds at most 32,767`,
    remedy: () =>
      'Shorten the text (move long notes to a document and link to it); Budgetline does not copy it into Approved Lines or an export.',
  }),
  BL014: entry<{ shown: string }>({
    severity: 'warning',
    title: 'formula result may be stale',
    message: (a) =>
      `the cell holds a formula; its saved result ${JSON.stringify(a.shown)} may be out of date (the file was not recalculated)`,
    remedy: () =>
      'Open the workbook in Excel or Sheets and save it so formulas are recalculated, or type the value instead of a formula.',
  }),
  // ---- BL1xx: account strings -----------------------------------------------------------------
  BL101: entry<{ found: number; expected: number; format: string }>({
    severity: 'fatal',
    title: 'wrong number of segments',
    message: (a) =>
      `the account has ${a.found} segment${a.found === 1 ? '' : 's'}; this chart has ${a.expected}`,
    remedy: (a) => `Write the account as ${a.format}.`,
  }),
  BL102: entry<{ segment: string; code: string; length: number; suggestions: readonly string[] }>({
    severity: 'fatal',
    title: 'segment of the wrong length',
    message: (a) => `${a.segment} code ${q(a.code)} has ${chars(a.code.length)}; it needs ${a.length}`,
    remedy: (a) =>
      `${cap(article(a.segment))} ${a.segment} code is ${chars(a.length)} long, with its leading zeros.${didYouMean(a.suggestions)}`,
  }),
  BL103: entry<{ segment: string; code: string; allowed: string }>({
    severity: 'fatal',
    title: 'character not allowed in segment',
    message: (a) => `${a.segment} code ${q(a.code)} may contain only ${a.allowed}`,
    remedy: (a) => `Retype the ${a.segment} code using ${a.allowed}.`,
  }),
  BL104: entry<{
    segment: string;
    code: string;
    chart: string;
    fiscalYear: string;
    suggestions: readonly string[];
  }>({
    severity: 'fatal',
    title: 'unknown code',
    message: (a) => `unknown ${a.segment} code ${q(a.code)}`,
    remedy: (a) =>
      `${a.code} is not ${article(a.segment)} ${a.segment} code in the ${a.chart} chart for ${a.fiscalYear}.${didYouMean(a.suggestions)}`,
  }),
  BL105: entry<{
    segment: string;
    code: string;
    validity: string;
    fiscalYear: string;
    suggestions: readonly string[];
  }>({
    severity: 'fatal',
    title: 'code not valid in this fiscal year',
    message: (a) => `${a.segment} code ${q(a.code)} is not valid in ${a.fiscalYear}: it ${a.validity}`,
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
    remedy: () =>
      'Change one of the segments the rule names, or ask the budget office if the rule should not apply.',
  }),
  BL202: entry<{ ruleId: string; a: string; aCode: string; b: string; bCode: string; text: string }>({
    severity: 'fatal',
    title: 'combination not allowed',
    message: (x) => `${x.a} ${x.aCode} may not be used with ${x.b} ${x.bCode} (${x.ruleId})`,
    remedy: (x) => `${x.text}`,
  }),

  BL203: entry<{ finding: string; explanation: string }>({
    severity: 'warning',
    title: 'exception kept with an explanation',
    message: (a) => `${a.finding} — kept with the explanation "${a.explanation}"`,
    remedy: () =>
      'The district recorded why this exception is right (Explanations table); it stays listed so reviewers see it. Delete the explanation row when it no longer applies.',
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
    message: (a) =>
      `${a.segment} code ${q(a.code)} has ${a.code.length} characters; the segment is ${a.length} long`,
    remedy: () => 'Correct the code (keep leading zeros: format the column as Text) or the segment length.',
  }),
  BL303: entry<{ ruleId: string; segment: string; known: readonly string[] }>({
    severity: 'fatal',
    title: 'rule names an unknown segment',
    message: (a) => `rule ${a.ruleId} names the segment ${q(a.segment)}, which the chart does not have`,
    remedy: (a) => `Use one of: ${few(a.known)}.`,
    items: (a) => a.known,
  }),
  BL304: entry<{ segment: string; known: readonly string[] }>({
    severity: 'fatal',
    title: 'code for an unknown segment',
    message: (a) => `the segment ${q(a.segment)} is not defined`,
    remedy: (a) => `Use one of: ${few(a.known)}, or add the segment to the Segments table.`,
    items: (a) => a.known,
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

  // ---- BL4xx: money and budget lines ------------------------------------------------------------
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

  BL407: entry<{ what: string; shown: string }>({
    severity: 'fatal',
    title: 'ambiguous decimal point',
    message: (a) =>
      `the ${a.what} ${q(a.shown)} could mean ${a.shown.replace('.', ',')} (a European thousands separator) or ${a.shown} dollars with three decimals`,
    remedy: () =>
      'Write whole dollars without the point (1234 or 1,234), or cents with two decimals (1.23); amounts are never guessed.',
  }),
  BL408: entry<{ shown: string; problem: string }>({
    severity: 'fatal',
    title: 'bad FTE',
    message: (a) => `the FTE ${q(a.shown)} ${a.problem}`,
    remedy: () => 'Enter the FTE as a number more than 0 and at most 1, e.g. 1, 0.5 or 0.8.',
  }),
  BL409: entry<{ shown: string; step: string }>({
    severity: 'fatal',
    title: 'FTE not in district steps',
    message: (a) => `the FTE ${q(a.shown)} is not a multiple of ${a.step}, the district's FTE step`,
    remedy: (a) => `Round the FTE to a multiple of ${a.step}.`,
  }),
  BL410: entry<{ what: string; shown: string; problem: string }>({
    severity: 'fatal',
    title: 'bad percentage',
    message: (a) => `the ${a.what} ${q(a.shown)} ${a.problem}`,
    remedy: () => 'Type the percentage with a % sign (60%, 7.65%) or format the cell as a percentage.',
  }),
  BL411: entry<{ total: string }>({
    severity: 'fatal',
    title: 'split does not total 100%',
    message: (a) => `the funding split totals ${a.total}, not 100%`,
    remedy: () => 'Change the percentages so that they add up to exactly 100%.',
  }),
  BL412: entry<{ code: string; suggestions: readonly string[] }>({
    severity: 'fatal',
    title: 'unknown job type',
    message: (a) => `there is no job type ${q(a.code)} in the Job Types table`,
    remedy: (a) =>
      `Use a job type code from the Job Types table, or add this one there.${didYouMean(a.suggestions)}`,
  }),
  BL413: entry<{ code: string; suggestions: readonly string[] }>({
    severity: 'fatal',
    title: 'unknown benefits package',
    message: (a) => `there is no benefits package ${q(a.code)} in the Benefits table`,
    remedy: (a) =>
      `Use a package from the Benefits table, or add this one there.${didYouMean(a.suggestions)}`,
  }),
  BL414: entry<Record<string, never>>({
    severity: 'fatal',
    title: 'position without job type or salary',
    message: () => 'the position has neither a job type nor an employee with a salary',
    remedy: () => 'Enter a job type (priced at its average salary), or the employee and their actual salary.',
  }),
  BL415: entry<{ amount: string; quantity: string; unitCost: string; product: string }>({
    severity: 'fatal',
    title: 'amount does not match quantity × unit cost',
    message: (a) => `the amount ${a.amount} does not equal ${a.quantity} × ${a.unitCost} = ${a.product}`,
    remedy: () => 'Enter either an amount or a quantity and a unit cost, or make them agree.',
  }),
  BL416: entry<Record<string, never>>({
    severity: 'fatal',
    title: 'line without an amount',
    message: () => 'the line has no amount and no quantity × unit cost',
    remedy: () => 'Enter an amount, or a quantity and a unit cost; type 0 if the line really costs nothing.',
  }),
  BL417: entry<{ what: string; shown: string; problem: string }>({
    severity: 'fatal',
    title: 'bad number',
    message: (a) => `the ${a.what} ${q(a.shown)} ${a.problem}`,
    remedy: (a) => `Enter the ${a.what} as a plain number such as 12 or 2.5.`,
  }),
  BL418: entry<{ what: string; shown: string }>({
    severity: 'fatal',
    title: 'not yes or no',
    message: (a) => `the ${a.what} ${q(a.shown)} is not yes or no`,
    remedy: () => 'Enter Yes or No (or leave the cell blank for No).',
  }),
  BL419: entry<{ what: string; shown: string }>({
    severity: 'fatal',
    title: 'bad count',
    message: (a) => `the ${a.what} ${q(a.shown)} is not a whole number of students`,
    remedy: (a) => `Enter the ${a.what} as a whole number, 0 or more.`,
  }),
  BL420: entry<{ table: string; what: string; key: string; first: string }>({
    severity: 'fatal',
    title: 'listed twice',
    message: (a) => `${a.what} ${q(a.key)} is listed twice in the ${a.table} table (first at ${a.first})`,
    remedy: () => 'Delete one of the two rows or give them different names.',
  }),
  BL421: entry<{ packageName: string; item: string }>({
    severity: 'fatal',
    title: 'benefit needs a rate or an amount',
    message: (a) =>
      `benefit ${q(a.item)} of package ${q(a.packageName)} needs either a rate or an amount per FTE, not both or neither`,
    remedy: () =>
      'Give percentage benefits (retirement, social security) a rate, and flat benefits (health) an amount per FTE.',
  }),
  BL422: entry<{ account: string; fiscalYear: string; problem: string }>({
    severity: 'fatal',
    title: 'account not valid next year',
    message: (a) =>
      `the account ${a.account} was carried forward, but it is not valid in ${a.fiscalYear}: ${a.problem}`,
    remedy: (a) => `Choose an account that is valid in ${a.fiscalYear}; the line is kept so nothing is lost.`,
  }),
  BL423: entry<{ setting: string; shown: string; expected: string }>({
    severity: 'fatal',
    title: 'bad setting',
    message: (a) => `the setting ${q(a.setting)} has the value ${q(a.shown)}`,
    remedy: (a) => `Set ${a.setting} to ${a.expected}.`,
  }),
  BL424: entry<{ employee: string }>({
    severity: 'warning',
    title: 'position without benefits',
    message: (a) => `${a.employee} has no job type and no benefits package, so no benefits are budgeted`,
    remedy: () =>
      'Enter a job type or a benefits package for the position, unless it really has no benefits.',
  }),

  BL430: entry<{ column: string; shown: string; now: string }>({
    severity: 'warning',
    title: 'computed cost replaced',
    message: (a) =>
      `the ${a.column} cell held ${a.shown}: it was typed over, or is out of date (its row changed while live validation was not running); it is written by Budgetline and never read, and now shows ${a.now}`,
    remedy: (a) =>
      `Do not type in ${a.column}: it shows what the row costs (quantity × unit cost or the amount for a line; salary and benefits for the FTE for a position, per funding piece in the "Cost, Account …" columns). To change a cost, change the row's Quantity, Unit cost, Amount, Salary, Benefits package, FTE or Percent. If you typed nothing there, nothing is lost: the cell now shows the row's cost.`,
  }),
  BL432: entry<{ count: number }>({
    severity: 'warning',
    title: 'computed costs refreshed',
    message: (a) =>
      a.count === 1
        ? '1 computed cost was refreshed: its row changed while live validation was not running (the file edited elsewhere, or the add-in closed); nothing had been typed over it'
        : `${a.count} computed costs were refreshed: their rows changed while live validation was not running (the file edited elsewhere, or the add-in closed); nothing had been typed over them`,
    remedy: () =>
      'Nothing to do: the cost columns show what each row and funding piece costs now. Budgetline keeps a short hash of those columns as it last wrote them, which is how it knows they were not typed over.',
  }),
  BL431: entry<{ what: string; column: string; cell: string }>({
    severity: 'warning',
    title: 'no room for a computed column',
    message: (a) =>
      `Budgetline did not write the ${a.what} in column ${a.column}: cell ${a.cell} holds something of yours`,
    remedy: (a) =>
      `Move what is in column ${a.column} (or delete it if it is not needed); Budgetline never writes over your cells. The next validation writes the ${a.what}.`,
  }),
  // ---- BL5xx: allocations and funding formulas --------------------------------------------------
  BL501: entry<{ allocation: string; planned: string; allocated: string; over: string }>({
    severity: 'warning',
    title: 'allocation over-planned',
    message: (a) =>
      `${a.allocation}: planned ${a.planned} is ${a.over} more than the ${a.allocated} allocated`,
    remedy: () => 'Reduce or move lines charged to this allocation, or ask the budget office for more.',
  }),
  BL502: entry<{ allocation: string; planned: string; allocated: string; over: string }>({
    severity: 'warning',
    title: 'allocation FTE over-planned',
    message: (a) =>
      `${a.allocation}: planned ${a.planned} FTE is ${a.over} FTE more than the ${a.allocated} FTE allocated`,
    remedy: () =>
      'Reduce the FTE of positions charged to this allocation, or ask the budget office for more.',
  }),
  BL503: entry<{ account: string; site: string }>({
    severity: 'warning',
    title: 'line charged to no allocation',
    message: (a) => `the account ${a.account} is charged to no allocation of ${a.site}`,
    remedy: () =>
      "Change the account so its fund (and other fixed segments) match one of the site's allocations, or ask the budget office for one.",
  }),
  BL504: entry<{ account: string; allocations: readonly string[] }>({
    severity: 'warning',
    title: 'line matches two allocations',
    message: (a) =>
      `the account ${a.account} matches ${orList(a.allocations)} equally; it is charged to ${a.allocations[0] ?? ''}`,
    remedy: () => "Ask the budget office to make the allocations' fixed segments distinct.",
  }),
  BL505: entry<{ allocation: string; segment: string; code: string; allowed: string }>({
    severity: 'fatal',
    title: 'code not allowed by allocation',
    message: (a) =>
      `${a.segment} ${q(a.code)} may not be charged to ${a.allocation}, which allows ${a.segment} ${a.allowed}`,
    remedy: (a) =>
      `Use ${article(a.segment)} ${a.segment} code in ${a.allowed}, or charge the line to another allocation.`,
  }),
  BL506: entry<{ allocation: string; label: string; share: string; max: string; amount: string }>({
    severity: 'fatal',
    title: 'maximum share exceeded',
    message: (a) =>
      `${a.allocation}: ${a.label} is ${a.amount}, ${a.share} of the allocation; at most ${a.max} is allowed`,
    remedy: (a) => `Bring ${a.label} down to ${a.max} of the allocation or less.`,
  }),
  BL507: entry<{ shown: string; problem: string }>({
    severity: 'fatal',
    title: 'bad fixed segments',
    message: (a) => `fixed segments ${q(a.shown)}: ${a.problem}`,
    remedy: () =>
      'Write fixed segments as segment=code pairs separated by semicolons: fund=211; programIntent=24.',
  }),
  BL508: entry<{ what: string; shown: string; problem: string }>({
    severity: 'fatal',
    title: 'bad restriction',
    message: (a) => `${a.what} ${q(a.shown)}: ${a.problem}`,
    remedy: () =>
      'Write allowed codes as a list of codes, ranges and masks (6100-6399, 6499, 64XX) and a maximum share as: administration: function 21-23 <= 10%.',
  }),
  BL509: entry<{ site: string; suggestions: readonly string[] }>({
    severity: 'fatal',
    title: 'unknown site',
    message: (a) => `there is no site ${q(a.site)} in the Sites table`,
    remedy: (a) => `Use a site code from the Sites table.${didYouMean(a.suggestions)}`,
  }),
  BL510: entry<{ type: string; known: readonly string[] }>({
    severity: 'fatal',
    title: 'unknown rule type',
    message: (a) => `${q(a.type)} is not a funding rule type`,
    // A fixed vocabulary of eight: listed whole, like the roles (BL608) and formats (BL805).
    remedy: (a) => `Use one of: ${a.known.join(', ')}.`,
  }),
  BL511: entry<{ rule: string; type: string; column: string; problem: string }>({
    severity: 'fatal',
    title: 'rule parameter missing or wrong',
    message: (a) => `rule ${q(a.rule)} (${a.type}): ${a.column} ${a.problem}`,
    remedy: (a) => `Correct the ${a.column} column of rule ${q(a.rule)}.`,
  }),
  BL512: entry<{ shown: string; problem: string }>({
    severity: 'fatal',
    title: 'bad staffing bands',
    message: (a) => `bands ${q(a.shown)}: ${a.problem}`,
    remedy: () =>
      'Write bands from 0 upward with no gaps or overlaps: 0-299: 0.5; 300-499: 1; 500-699: 1.5; 700+: 2.',
  }),
  BL513: entry<{ shown: string; known: readonly string[] }>({
    severity: 'fatal',
    title: 'unknown site group',
    message: (a) => `${q(a.shown)} is not a group of sites`,
    remedy: (a) =>
      `Use all, title1, non-title1, a grade band (${few(a.known) || 'none defined'}) or a list of site codes.`,
    items: (a) => a.known,
  }),
  BL514: entry<{ site: string; ratio: string; limit: string; average: string; band: string }>({
    severity: 'warning',
    title: 'Title I comparability',
    message: (a) =>
      `${a.site} (Title I) has ${a.ratio} students per state/local staff FTE, more than ${a.limit} (110% of the ${a.average} non-Title I average${a.band ? ` for ${a.band}` : ''})`,
    remedy: () =>
      'Add state/local staff at this school (or rebalance) so that its ratio is within 110% of the non-Title I average.',
  }),
  BL515: entry<{ rule: string; source: string; appliesTo: string }>({
    severity: 'warning',
    title: 'supplement, not supplant',
    message: (a) =>
      `rule ${q(a.rule)} gives ${a.source} (state/local money) only to ${a.appliesTo} schools: it depends on Title I status`,
    remedy: () =>
      'State and local money must be allocated without regard to Title I status; apply the rule to all schools or on a Title I-neutral basis.',
  }),
  BL516: entry<{ allocation: string; amount: string }>({
    severity: 'warning',
    title: 'negative allocation',
    message: (a) => `${a.allocation} comes to ${a.amount}, below zero`,
    remedy: () => 'Check the manual adjustments for this site and source.',
  }),
  BL517: entry<{ site: string; first: string; second: string }>({
    severity: 'fatal',
    title: 'allocations overlap',
    message: (a) =>
      `${a.first} and ${a.second} of ${a.site} fix the same segments, so a line cannot tell them apart`,
    remedy: () => 'Merge the two allocations, or give them different fixed segments.',
  }),
  BL518: entry<{ rule: string; site: string }>({
    severity: 'fatal',
    title: 'no prior-year budget',
    message: (a) =>
      `rule ${q(a.rule)} is based on last year's budget, but ${a.site} has none in the Sites table`,
    remedy: () => 'Fill in the Prior year budget column for this site (0 if it had none).',
  }),

  // ---- BL6xx: approval workflow and audit -------------------------------------------------------
  BL601: entry<{ site: string; action: string; state: string; allowed: string }>({
    severity: 'fatal',
    title: 'step not possible in this state',
    message: (a) => `the ${a.site} budget is ${a.state}; it cannot be ${a.action}`,
    remedy: (a) => `From ${a.state} the budget can only be ${a.allowed}.`,
  }),
  BL602: entry<{ site: string; who: string; action: string; needed: string }>({
    severity: 'fatal',
    title: 'not allowed for this site',
    message: (a) => `${a.who} may not ${a.action} the ${a.site} budget`,
    remedy: (a) =>
      `Only ${a.needed} can do this. Ask the budget office to add the site to your row in the Roles table, or ask someone who has that role.`,
  }),
  BL603: entry<{ site: string; who: string; action: string }>({
    severity: 'fatal',
    title: 'cannot review your own submission',
    message: (a) => `${a.who} submitted the ${a.site} budget and so cannot ${a.action} it`,
    remedy: () =>
      'Segregation of duties: another approver assigned to this site must review it. Ask the budget office to assign one if there is none.',
  }),
  BL604: entry<{ site: string; action: string }>({
    severity: 'fatal',
    title: 'comment required',
    message: (a) => `a comment is required to ${a.action} the ${a.site} budget`,
    remedy: () => 'Write the reason in the comment box so the site knows what to change, then try again.',
  }),
  BL605: entry<{ site: string; place: string; code: string; finding: string }>({
    severity: 'fatal',
    title: 'problem must be fixed before submitting',
    message: (a) =>
      `the ${a.site} budget cannot be submitted: ${a.place ? `${a.place} ` : ''}${a.code} ${a.finding}`,
    remedy: () =>
      'Fix this problem on the budget sheet (run Validate to see all of them), then submit again.',
  }),
  BL606: entry<{ site: string; what: string; over: string }>({
    severity: 'fatal',
    title: 'over its allocation',
    message: (a) => `the ${a.site} budget cannot be submitted: ${a.what} is over its allocation by ${a.over}`,
    remedy: () =>
      'Reduce the planned amounts (or ask the budget office for a larger allocation), then submit again.',
  }),
  BL607: entry<{ shown: string }>({
    severity: 'fatal',
    title: 'bad e-mail address in Roles',
    message: (a) =>
      a.shown ? `${JSON.stringify(a.shown)} is not an e-mail address` : 'the e-mail address is blank',
    remedy: () => 'Enter the person’s e-mail address as they sign in with it, e.g. pat.lee@district.org.',
  }),
  BL608: entry<{ shown: string; known: string }>({
    severity: 'fatal',
    title: 'unknown role',
    message: (a) => (a.shown ? `${JSON.stringify(a.shown)} is not a role` : 'the role is blank'),
    remedy: (a) => `Use one of: ${a.known}.`,
  }),
  BL609: entry<{ shown: string; role: string }>({
    severity: 'fatal',
    title: 'bad site list in Roles',
    message: (a) =>
      a.shown
        ? `the site ${JSON.stringify(a.shown)} is not one of the district’s sites`
        : `no sites are given for this ${a.role}`,
    remedy: () => 'List the site codes separated by commas, or write "all".',
  }),
  BL610: entry<{ who: string }>({
    severity: 'fatal',
    title: 'not in the Roles table',
    message: (a) => `${a.who} is not listed in the Roles table`,
    remedy: () => 'Ask the budget office to add you to the Roles table with your role and sites.',
  }),
  BL611: entry<{ site: string }>({
    severity: 'warning',
    title: 'no approver for site',
    message: (a) => `no approver other than the submitter is assigned to ${a.site}`,
    remedy: () =>
      'Add an approver for this site to the Roles table, or the submitted budget cannot be approved.',
  }),
  BL612: entry<{ site: string; date: string; approver: string; detail: string }>({
    severity: 'fatal',
    title: 'changed after approval',
    message: (a) =>
      `the ${a.site} budget was changed after approval on ${a.date} by ${a.approver} (${a.detail})`,
    remedy: () =>
      'If the change is intended, the CFO reopens the budget with a comment and it goes through approval again; otherwise restore the approved lines.',
  }),
  BL613: entry<{ site: string; line: string }>({
    severity: 'fatal',
    title: 'line added after approval',
    message: (a) => `${a.site}: line added after approval: ${a.line}`,
    remedy: () => 'Remove the line, or have the CFO reopen the budget.',
  }),
  BL614: entry<{ site: string; line: string }>({
    severity: 'fatal',
    title: 'line removed after approval',
    message: (a) => `${a.site}: approved line removed: ${a.line}`,
    remedy: () => 'Restore the line, or have the CFO reopen the budget.',
  }),
  BL615: entry<{ site: string; before: string; after: string }>({
    severity: 'fatal',
    title: 'line changed after approval',
    message: (a) => `${a.site}: approved line ${a.before} is now ${a.after}`,
    remedy: () => 'Restore the approved figures, or have the CFO reopen the budget.',
  }),
  BL616: entry<{ position: number; site: string; action: string }>({
    severity: 'fatal',
    title: 'audit entry altered',
    message: (a) => `audit entry ${a.position} (${a.site}, ${a.action}) was altered after it was recorded`,
    remedy: () =>
      'The audit log can no longer be trusted from this entry on. Restore it from the last backup or version history and report the change to the CFO.',
  }),
  BL617: entry<{ position: number }>({
    severity: 'fatal',
    title: 'audit entries removed or reordered',
    message: (a) =>
      `the audit log is broken before entry ${a.position}: an earlier entry was removed, moved or rewritten`,
    remedy: () => 'Restore the audit log from version history and report the change to the CFO.',
  }),
  BL618: entry<{ count: number }>({
    severity: 'fatal',
    title: 'audit log cut short or replaced',
    message: (a) =>
      `the last of the ${a.count} audit entries is not the last one recorded: entries were removed from the end or the log was replaced`,
    remedy: () => 'Restore the audit log from version history and report the change to the CFO.',
  }),
  BL619: entry<{ site: string }>({
    severity: 'fatal',
    title: 'approved copy altered',
    message: (a) => `the stored copy of the approved ${a.site} budget does not match what was approved`,
    remedy: () =>
      'The line-by-line comparison cannot be trusted. Restore the approved copy from version history and report the change to the CFO.',
  }),

  BL620: entry<{ site: string; stored: string; chain: string }>({
    severity: 'fatal',
    title: 'stored state disagrees with the audit chain',
    message: (a) =>
      `the stored workflow state says the ${a.site} budget is ${a.stored}, but the audit chain says it is ${a.chain}`,
    remedy: () =>
      'Budgetline follows the audit chain, never the stored state. If the stored state was edited by hand, report it to the CFO; the next workflow step rewrites the stored state from the chain.',
  }),
  BL621: entry<{ site: string; place: string; code: string; finding: string }>({
    severity: 'fatal',
    title: 'approved line no longer valid',
    message: (a) =>
      `${a.site}: a line of the approved budget${a.place ? ` (${a.place})` : ''} is no longer valid: ${a.code} ${a.finding}`,
    remedy: () =>
      'An approved line is never left out silently. Restore the approved account (or reactivate its code), or have the CFO reopen the budget.',
  }),
  BL622: entry<{ site: string; detail: string }>({
    severity: 'fatal',
    title: 'Approved Lines do not match an approval',
    message: (a) => `the Approved Lines rows of ${a.site} ${a.detail}`,
    remedy: () =>
      'The Approved Lines sheet is written by Budgetline only at approval. Restore it from version history and report the change to the CFO.',
  }),
  BL623: entry<{ site: string; date: string }>({
    severity: 'fatal',
    title: 'approved site missing from Sites',
    message: (a) =>
      `the ${a.site} budget was approved on ${a.date}, but ${a.site} is no longer in the Sites table`,
    remedy: () =>
      'Put the site back in the Sites table, or have the CFO reopen its budget before the site is removed.',
  }),
  BL624: entry<{ position: number; site: string; who: string }>({
    severity: 'fatal',
    title: 'submitter approved their own budget',
    message: (a) =>
      `audit entry ${a.position}: ${a.who} approved the ${a.site} budget that they submitted themselves`,
    remedy: () =>
      'Segregation of duties was broken. The CFO reopens the budget and another approver reviews it.',
  }),
  BL625: entry<{ site: string; who: string; position?: number }>({
    severity: 'fatal',
    title: 'approver is a builder of the site',
    message: (a) =>
      `${a.position !== undefined ? `audit entry ${a.position}: ` : ''}${a.who} is a builder of ${a.site} and so ${a.position !== undefined ? 'should not have approved' : 'cannot approve'} its budget`,
    remedy: () =>
      'Segregation of duties: an approver who does not build this site reviews it. Ask the budget office to change the Roles table if the assignment is wrong.',
  }),
  BL626: entry<{ position: number; site: string; action: string; state: string }>({
    severity: 'fatal',
    title: 'audit step out of order',
    message: (a) =>
      `audit entry ${a.position}: "${a.action}" of the ${a.site} budget while it was ${a.state} is not a workflow step`,
    remedy: () =>
      'The audit log was not written by Budgetline in this order. Restore it from version history and report the change to the CFO.',
  }),
  BL627: entry<Record<string, never>>({
    severity: 'warning',
    title: 'no approvals recorded',
    message: () => 'no approvals recorded: the audit log is empty and there is no stored workflow state',
    remedy: () =>
      'Nothing can be verified yet. If budgets were approved in this workbook, its Audit sheet and state were removed: restore them from version history.',
  }),
  BL628: entry<{ detail: string }>({
    severity: 'fatal',
    title: 'workbook incomplete',
    message: (a) => `the district workbook is incomplete: ${a.detail}`,
    remedy: () =>
      'Restore the missing parts from version history (or from the last copy you trust); nothing can be verified or consolidated until then.',
  }),
  BL629: entry<{ n: number; site: string; action: string; at: string; detail: string }>({
    severity: 'fatal',
    title: 'audit chain rewritten',
    message: (a) =>
      `receipt ${a.n} (${a.site} ${a.action}, ${a.at}) does not match the audit chain: ${a.detail}`,
    remedy: () =>
      'The audit log in the workbook is not the one the receipts were given for: it was rewritten. Restore the workbook from a copy you trust and report it to the CFO.',
  }),
  BL630: entry<{ n: number; position: number; count: number }>({
    severity: 'fatal',
    title: 'audit chain cut short',
    message: (a) =>
      `receipt ${a.n} was given for audit entry ${a.position}, but the chain has only ${a.count} entr${a.count === 1 ? 'y' : 'ies'}`,
    remedy: () =>
      'Entries were removed from the end of the audit log. Restore the workbook from a copy you trust and report it to the CFO.',
  }),
  BL631: entry<{ file: string; detail: string }>({
    severity: 'fatal',
    title: 'copy cannot be taken',
    message: (a) => `${a.file}: ${a.detail}`,
    remedy: () =>
      'A site is taken from a copy only with its audit entries, and only from a copy whose audit log is intact. Ask the site for the copy its approver worked in, or approve the budget in the district workbook.',
  }),
  BL632: entry<{ who: string; action: string }>({
    severity: 'fatal',
    title: 'verified identity required',
    message: (a) =>
      `${a.who} is self-declared, and Setup "Approvals need verified identity" is yes: a self-declared user cannot ${a.action}`,
    remedy: () =>
      'Sign in with your district account (Excel single sign-on or your Google account), or ask the CFO to change the Setup setting.',
  }),
  BL633: entry<{ steps: readonly string[] }>({
    severity: 'warning',
    title: 'self-declared steps',
    message: (a) =>
      `${a.steps.length} workflow step${a.steps.length === 1 ? ' was' : 's were'} taken by a self-declared user: ${few(a.steps, '; ')}`,
    items: (a) => a.steps,
    remedy: () =>
      'Anyone who can open the file could have typed these names. Set Setup "Approvals need verified identity" to yes to refuse such steps.',
  }),
  BL634: entry<{ what: string; total: string }>({
    severity: 'fatal',
    title: 'total too large to add exactly',
    message: (a) =>
      `the ${a.what} total (${a.total}) is past $90,071,992,547,409.91, the largest total Budgetline can carry exactly`,
    remedy: () => 'An amount is almost certainly mistyped: check the amounts on this sheet.',
  }),

  // ---- BL635-BL639: approval of what was submitted (h23) ----------------------------------------
  BL635: entry<{ site: string; who: string; date: string; detail: string }>({
    severity: 'fatal',
    title: 'changed since it was submitted',
    message: (a) =>
      `the ${a.site} budget cannot be approved: it changed after ${a.who} submitted it on ${a.date} (${a.detail})`,
    remedy: () =>
      'Approving now would approve lines you may not have reviewed. Return the budget with a comment so that its principal submits it again as it should stand; then review and approve what was submitted.',
  }),
  BL636: entry<{ site: string; change: string }>({
    severity: 'fatal',
    title: 'line changed since submission',
    message: (a) => `${a.site}: since submission, ${a.change}`,
    remedy: () =>
      'Return the budget so that its principal submits it again with this change (or without it); it is approved as submitted.',
  }),
  BL637: entry<{ position: number; site: string; who: string; approved: string; submitted: string }>({
    severity: 'fatal',
    title: 'approval differs from submission',
    message: (a) =>
      `audit entry ${a.position}: ${a.who} approved the ${a.site} budget with content hash ${a.approved}, but it was submitted with ${a.submitted}: what was approved is not what was submitted`,
    remedy: () =>
      'The approver approved lines that changed after submission and may not have been reviewed. The CFO reopens the budget, the site submits it again, and it is approved as submitted.',
  }),

  // ---- BL640-BL659: adoption by the board, amendments, back to the drawing board (issue 15) -----
  BL640: entry<{ site: string; state: string }>({
    severity: 'fatal',
    title: 'site not approved for adoption',
    message: (a) => `the budget cannot be adopted: site ${a.site} is ${a.state}, not approved`,
    remedy: () =>
      'Every site must be approved (and unchanged since) before the board adopts the budget. Approve the site, or run status to see where each one stands.',
  }),
  BL641: entry<{ date: string; resolution: string }>({
    severity: 'fatal',
    title: 'budget already adopted',
    message: (a) => `the budget was already adopted on ${a.date} (resolution ${a.resolution})`,
    remedy: () =>
      'The adopted budget is the original budget and is never replaced. Change it through an amendment (budgetline amend).',
  }),
  BL642: entry<{ shown: string }>({
    severity: 'fatal',
    title: 'board vote date not a date',
    message: (a) => `the board vote date ${JSON.stringify(a.shown)} is not a date written YYYY-MM-DD`,
    remedy: () => 'Give the date of the board meeting that voted, e.g. 2026-06-18.',
  }),
  BL643: entry<{ what: string }>({
    severity: 'fatal',
    title: 'resolution number missing',
    message: (a) => `${a.what} needs the board's resolution number`,
    remedy: () => "Type the resolution number from the board's minutes (e.g. 2026-14).",
  }),
  BL644: entry<{ shown: string; adopted: string }>({
    severity: 'fatal',
    title: 'adopted budget changed',
    message: (a) =>
      `this cell of the adopted budget was changed: it shows ${a.shown}, the board adopted ${a.adopted}`,
    remedy: () =>
      'The Adopted Budget sheet is the original budget as the board adopted it; nobody edits it. Restore the cell (version history), and make changes through amendments.',
  }),
  BL645: entry<{ detail: string }>({
    severity: 'fatal',
    title: 'adopted budget does not match its adoption',
    message: (a) => `the Adopted Budget sheet is not what the board adopted: ${a.detail}`,
    remedy: () =>
      'Restore the Adopted Budget sheet from a copy you trust (version history); its hash is recorded in the audit log at adoption.',
  }),
  BL646: entry<{ id: string; account: string; reasons: string }>({
    severity: 'fatal',
    title: 'amendment account not valid',
    message: (a) => `amendment ${a.id}: account ${JSON.stringify(a.account)} is not valid: ${a.reasons}`,
    remedy: () =>
      'Correct the account (a full account string of the chart), one per amount, separated by ";".',
  }),
  BL647: entry<{ id: string; detail: string }>({
    severity: 'fatal',
    title: 'amendment amounts not readable',
    message: (a) => `amendment ${a.id}: ${a.detail}`,
    remedy: () =>
      'Give one signed amount per account, in the same order, separated by ";" (e.g. "-1,500.00; 1,500.00"): negative takes money away, positive adds it.',
  }),
  BL648: entry<{ id: string }>({
    severity: 'fatal',
    title: 'amendment without a reason',
    message: (a) => `amendment ${a.id} has no reason`,
    remedy: () => 'Say why the budget changes; the board and the auditors read it.',
  }),
  BL649: entry<{ id: string; at: string }>({
    severity: 'fatal',
    title: 'amendment already applied',
    message: (a) => `amendment ${a.id} was already applied (${a.at}); applying it again would count it twice`,
    remedy: () => 'Nothing to do: the final budget already includes it. A further change is a new amendment.',
  }),
  BL650: entry<{ id: string; action: string; state: string }>({
    severity: 'fatal',
    title: 'amendment not ready for this step',
    message: (a) => `amendment ${a.id} cannot be ${a.action}: it is ${a.state}`,
    remedy: () =>
      'An amendment is drafted, then approved (with its resolution), then applied, in that order.',
  }),
  BL651: entry<{ id: string; who: string }>({
    severity: 'fatal',
    title: 'own amendment',
    message: (a) => `${a.who} drafted amendment ${a.id} and may not approve it`,
    remedy: () => "Someone else approves it: the site's approver or the CFO.",
  }),
  BL652: entry<{ action: string }>({
    severity: 'fatal',
    title: 'budget not adopted',
    message: (a) => `there is no adopted budget to ${a.action}`,
    remedy: () => 'Amendments change the adopted budget: record the adoption first (budgetline adopt).',
  }),
  BL653: entry<{ id: string }>({
    severity: 'fatal',
    title: 'amendment changed after approval',
    message: (a) => `amendment ${a.id} is not what was approved: its row was changed after approval`,
    remedy: () =>
      'Restore the row as approved (version history), or write the change as a new amendment and have it approved.',
  }),
  BL654: entry<{ id: string; known: readonly string[] }>({
    severity: 'fatal',
    title: 'no such amendment',
    message: (a) =>
      `there is no amendment ${JSON.stringify(a.id)}${a.known.length ? ` (the Amendments table has ${few(a.known)})` : ''}`,
    items: (a) => a.known,
    remedy: () => 'Check the ID in the Amendments table.',
  }),
  BL655: entry<{ site: string; action: string }>({
    severity: 'fatal',
    title: 'budget adopted',
    message: (a) => `the ${a.site} budget cannot be ${a.action}: the board has adopted the budget`,
    remedy: () => 'After adoption the budget changes only through amendments (budgetline amend).',
  }),
  BL656: entry<{ position: number; action: string; what: string; state: string }>({
    severity: 'fatal',
    title: 'board step out of order',
    message: (a) =>
      `audit entry ${a.position} records ${a.what} ${a.action}, which is not possible when it is ${a.state}`,
    remedy: () =>
      'The audit log holds a board step that could not have been taken: it was written by hand. Restore the workbook from a copy you trust and report it to the CFO.',
  }),
  BL657: entry<{ id: string; shown: string }>({
    severity: 'fatal',
    title: 'amendment site unknown',
    message: (a) => `amendment ${a.id}: site ${JSON.stringify(a.shown)} is not in the Sites table`,
    remedy: () => 'Give the code of the site whose budget the amendment changes.',
  }),
  BL658: entry<{ what: string }>({
    severity: 'fatal',
    title: 'board comment missing',
    message: (a) => `${a.what} needs a comment`,
    remedy: () => "Give the board's reasons (or the CFO's): the sites are told why their budgets reopen.",
  }),
  BL659: entry<{ site: string; place: string; code: string; finding: string }>({
    severity: 'fatal',
    title: 'problem must be fixed before approving',
    message: (a) =>
      `the ${a.site} budget cannot be approved: ${a.place ? `${a.place} ` : ''}${a.code} ${a.finding}`,
    remedy: () =>
      'Return the budget to its site to fix this problem (run Validate to see all of them); it is approved after it is submitted again.',
  }),

  // ---- BL7xx: consolidation and export ----------------------------------------------------------
  BL701: entry<{ line: number; account: string; reasons: string }>({
    severity: 'fatal',
    title: 'invalid account in export',
    message: (a) => `line ${a.line}: account ${JSON.stringify(a.account)} cannot be exported: ${a.reasons}`,
    remedy: () => 'Correct the account on the budget sheet; no file is written until every line is valid.',
  }),
  BL702: entry<{ line: number; column: string; shown: string }>({
    severity: 'fatal',
    title: 'invalid amount in export',
    message: (a) =>
      `line ${a.line}: the ${a.column} ${JSON.stringify(a.shown)} is not a whole number of cents`,
    remedy: () => 'Correct the amount on the budget sheet; no file is written until every line is valid.',
  }),
  BL703: entry<{ line: number; column: string; shown: string; width: number }>({
    severity: 'fatal',
    title: 'value too long for its column',
    message: (a) =>
      `line ${a.line}: ${a.column} ${JSON.stringify(a.shown)} is longer than the ${a.width} characters the file allows`,
    remedy: () => 'Shorten the value, or ask the budget office to widen the column in the export format.',
  }),
  BL704: entry<{ line: number; column: string; shown: string }>({
    severity: 'fatal',
    title: 'character not allowed in fixed-width file',
    message: (a) =>
      `line ${a.line}: ${a.column} ${JSON.stringify(a.shown)} has characters a fixed-width file cannot hold`,
    remedy: () =>
      'Use plain letters, digits and punctuation (no accents, tabs or line breaks) in this field, or use a CSV export.',
  }),
  BL705: entry<{ line: number; column: string }>({
    severity: 'fatal',
    title: 'required value missing',
    message: (a) => `line ${a.line}: the ${a.column} is missing`,
    remedy: () =>
      'Fill in the value (or the export setting it comes from); no file is written until every line is complete.',
  }),
  BL706: entry<{ format: string }>({
    severity: 'fatal',
    title: 'nothing to export',
    message: (a) => `there are no budget lines to export as ${a.format}`,
    remedy: () => 'Check that the sites to export are approved and included, then export again.',
  }),
  BL707: entry<{ format: string; problem: string }>({
    severity: 'fatal',
    title: 'export format cannot be used',
    message: (a) => `export format ${JSON.stringify(a.format)}: ${a.problem}`,
    remedy: () => 'Correct the export format definition; docs/exports.md describes its columns and fields.',
  }),
  BL708: entry<{ format: string; lines: number }>({
    severity: 'fatal',
    title: 'export refused',
    message: (a) =>
      `no ${a.format} file was made: ${a.lines} line${a.lines === 1 ? ' has' : 's have'} problems`,
    remedy: () =>
      'Fix every line listed, then export again; an accounting system rejects a file with any bad line.',
  }),
  BL709: entry<{ line: number; column: string; shown: string }>({
    severity: 'fatal',
    title: 'code with characters not allowed',
    message: (a) => `line ${a.line}: the ${a.column} ${JSON.stringify(a.shown)} is not a plain code`,
    remedy: () =>
      'Codes may contain only letters, digits, spaces and . _ / - and must start with a letter or digit; correct it on the sheet.',
  }),
  BL711: entry<{ master: string; sites: string; exported: string }>({
    severity: 'fatal',
    title: 'control totals disagree',
    message: (a) =>
      `control totals disagree: master budget ${a.master}, sum of sites ${a.sites}, exported lines ${a.exported}`,
    remedy: () =>
      'Do not send the export. Consolidate and export again from the same lines; if they still disagree, report it.',
  }),
  BL712: entry<{ sites: readonly string[] }>({
    severity: 'warning',
    title: 'unapproved sites left out',
    message: (a) =>
      `${a.sites.length} site${a.sites.length === 1 ? ' is' : 's are'} not approved and left out: ${few(a.sites)}`,
    items: (a) => a.sites,
    remedy: () => 'Approve these budgets, or consolidate again including them marked unapproved.',
  }),
  BL713: entry<{ sites: readonly string[] }>({
    severity: 'warning',
    title: 'unapproved sites included',
    message: (a) =>
      `${a.sites.length} site${a.sites.length === 1 ? ' is' : 's are'} included but not approved (marked unapproved): ${few(a.sites)}`,
    items: (a) => a.sites,
    remedy: () => 'Treat these figures as provisional until the budgets are approved.',
  }),
  BL714: entry<{ site: string }>({
    severity: 'fatal',
    title: 'lines for an unknown site',
    message: (a) =>
      `there are budget lines for the site ${JSON.stringify(a.site)}, which is not in the list of sites`,
    remedy: () => 'Add the site to the Sites table, or correct the site on those lines.',
  }),
  BL715: entry<{ account: string; lines: number }>({
    severity: 'warning',
    title: 'account cannot be split into segments',
    message: (a) =>
      `account ${JSON.stringify(a.account)} (${a.lines} line${a.lines === 1 ? '' : 's'}) cannot be split into segments; it is totalled as "(invalid account)"`,
    remedy: () =>
      'Validate the sites and correct the account; the totals by segment show it separately until then.',
  }),
  BL716: entry<{ recordedAt: string }>({
    severity: 'fatal',
    title: 'adopted budget already recorded',
    message: (a) => `the adopted budget was already recorded on ${a.recordedAt} and is never overwritten`,
    remedy: () => 'Changes after adoption are budget revisions; the adopted figures stay as they were.',
  }),
  BL720: entry<{ fund: string; when: string; reserve: string; policy: string; shortfall: string }>({
    severity: 'warning',
    title: 'reserve below policy',
    message: (a) =>
      `${a.fund}: the projected ending balance in ${a.when} is ${a.reserve} of expenditures, below the reserve policy of ${a.policy} (short by ${a.shortfall})`,
    remedy: () =>
      'Raise revenue estimates or reduce expenditures or transfers out, or have the board change the reserve policy (Setup "Reserve policy").',
  }),
  BL721: entry<{ fund: string; amount: string; when: string; ending: string }>({
    severity: 'warning',
    title: 'deficit spending',
    message: (a) =>
      `${a.fund} spends ${a.amount} more than it takes in during ${a.when} (expenditures and other uses above revenues and other sources); the ending balance is ${a.ending}`,
    remedy: () =>
      'Deficit spending draws down the fund balance; boards and county offices watch it across the multi-year projection. Plan the reductions or revenues that close the gap, or document the planned use of reserves.',
  }),
  BL722: entry<{ fund: string; computed: string; recorded: string; difference: string }>({
    severity: 'fatal',
    title: 'ending balance does not match the ledger',
    message: (a) =>
      `${a.fund}: the computed ending balance ${a.computed} (beginning balance + adjustments + revenues + other sources + contributions − expenditures − other uses) differs from the ending-balance line ${a.recorded} by ${a.difference}`,
    remedy: () =>
      'Find the missing or misclassified lines (check the Classes table and the beginning balance) or correct the ending-balance line; the identity holds to the cent in a sound ledger.',
  }),
  BL723: entry<{ fund: string }>({
    severity: 'fatal',
    title: 'revenue for an unknown fund',
    message: (a) => `the fund "${a.fund}" is not a fund of the chart`,
    remedy: () => 'Use a fund code from the Codes sheet.',
  }),
  BL724: entry<{ source: string; list: string }>({
    severity: 'fatal',
    title: 'not a revenue source',
    message: (a) => `"${a.source}" is not a revenue or other-financing-source code of the chart (${a.list})`,
    remedy: () =>
      'Use a code the Classes table marks as Revenue or Other financing source, or add the code to the chart.',
  }),
  BL725: entry<{ problem: string }>({
    severity: 'fatal',
    title: 'revenue estimate cannot be worked out',
    message: (a) => `revenue estimate: ${a.problem}`,
    remedy: () =>
      'Basis is blank or "typed" (type the Estimate), "rate × enrollment" or "rate × ADA" (fill Rate, and Count unless the Sites enrollment applies), or "rule" (name a Formula rule in Rule).',
  }),
  BL726: entry<{ typed: string; computed: string }>({
    severity: 'warning',
    title: 'typed estimate differs from its basis',
    message: (a) =>
      `the Estimate typed, ${a.typed}, differs from what its basis gives, ${a.computed}; the basis is used`,
    remedy: () => 'Clear the Estimate (it is worked out from the basis) or set Basis to "typed".',
  }),
  BL727: entry<{ count: number; amount: string; examples: string }>({
    severity: 'warning',
    title: 'accounts with no class',
    message: (a) =>
      `${a.count} account${a.count === 1 ? ' matches' : 's match'} no row of the Classes table (${a.amount}), left out of the fund summary: ${a.examples}`,
    remedy: () => 'Add the codes to the Classes table (revenue, expenditure, ...) or correct the accounts.',
  }),
  BL728: entry<{ fund: string; problem: string }>({
    severity: 'fatal',
    title: 'fund balance row cannot be read',
    message: (a) => `Fund Balances, fund "${a.fund}": ${a.problem}`,
    remedy: () => 'List each fund of the chart once, with its beginning balance as an amount.',
  }),
  BL729: entry<{ problem: string }>({
    severity: 'fatal',
    title: 'projection assumption cannot be read',
    message: (a) => `projection assumption: ${a.problem}`,
    remedy: () =>
      'Each Assumptions row: Year (1, 2 or the fiscal year), Assumption (enrollment change, COLA, step and column, salary increase, benefit rate change, one-time, contract change), Fund (blank: all), Applies to, Value (% or amount).',
  }),
  // ---- BL8xx: workbook and operations ---------------------------------------------------------
  BL801: entry<{ sheet: string; purpose: string }>({
    severity: 'fatal',
    title: 'sheet missing',
    message: (a) => `the workbook has no "${a.sheet}" sheet (${a.purpose})`,
    remedy: (a) =>
      `Add a sheet named "${a.sheet}" with its header row, or create a new district workbook and copy your data into it.`,
  }),
  BL802: entry<{ site: string; known: readonly string[] }>({
    severity: 'fatal',
    title: 'unknown site',
    message: (a) => `there is no site "${a.site}" in the Sites table`,
    remedy: (a) =>
      a.known.length
        ? `Pick one of the sites listed: ${few(a.known)}.`
        : 'Add the site to the Sites table first.',
    items: (a) => a.known,
  }),
  BL803: entry<{ action: string }>({
    severity: 'fatal',
    title: 'user not known',
    message: (a) => `Budgetline cannot tell who is asking to ${a.action}`,
    remedy: () =>
      'Sign in to your district account, or choose your name from the Roles table (the step is then recorded as self-declared).',
  }),
  BL804: entry<{ setting: string; shown: string; expected: string }>({
    severity: 'fatal',
    title: 'setup value missing or not understood',
    message: (a) =>
      a.shown ? `Setup "${a.setting}" is "${a.shown}", not ${a.expected}` : `Setup "${a.setting}" is blank`,
    remedy: (a) => `Enter ${a.expected} as the value of "${a.setting}" on the Setup sheet.`,
  }),
  BL805: entry<{ format: string; known: string }>({
    severity: 'fatal',
    title: 'unknown export format',
    message: (a) => `there is no export format "${a.format}"`,
    remedy: (a) => `Choose one of: ${a.known}.`,
  }),
  BL806: entry<{ shown: string }>({
    severity: 'fatal',
    title: 'row type not understood',
    message: (a) => `the Type "${a.shown}" is neither "Line" nor "Position"`,
    remedy: () =>
      'Write "Line" for a purchase or other non-personnel line and "Position" for staff, or leave Type blank to let Budgetline tell from the FTE and Job type columns.',
  }),
  BL807: entry<{ district: string }>({
    severity: 'fatal',
    title: 'workbook already set up',
    message: (a) =>
      `this workbook already holds a Budgetline district workbook${a.district ? ` (${a.district})` : ''}`,
    remedy: () =>
      "Create the new district workbook in an empty spreadsheet; nothing was changed here. Only the CFO may rebuild a district workbook over this one on purpose, by asking for it explicitly (rebuild: true; the command line's init --rebuild), which replaces its tables and resets its approvals.",
  }),
  BL808: entry<{ row: number; problem: string }>({
    severity: 'fatal',
    title: 'audit row cannot be read',
    message: (a) => `audit row ${a.row} cannot be read: ${a.problem}`,
    remedy: () =>
      'The Audit sheet is written by Budgetline only. Restore it from the version history; the audit chain cannot be trusted until then.',
  }),
  BL809: entry<{ who: string }>({
    severity: 'warning',
    title: 'identity not verified',
    message: (a) => `${a.who} is recorded as self-declared: the host could not verify who is signed in`,
    remedy: () => 'Sign in with your district account so that the audit log records a verified identity.',
  }),
  BL810: entry<{ site: string; sheet: string }>({
    severity: 'fatal',
    title: 'site sheet missing',
    message: (a) => `site ${a.site} has no sheet "${a.sheet}"`,
    remedy: (a) =>
      `Add a sheet named "${a.sheet}" with the site's lines and positions, or correct the Sheet column of the Sites table.`,
  }),
  BL811: entry<{ who: string; action: string }>({
    severity: 'fatal',
    title: 'only the CFO',
    message: (a) => `${a.who} may not ${a.action}: only the CFO may`,
    remedy: () =>
      'Ask the CFO to do this, or ask the budget office to give you the cfo role in the Roles table.',
  }),
  BL812: entry<{ site: string; sheet: string; taken: string }>({
    severity: 'fatal',
    title: 'site sheet name taken',
    message: (a) => `site ${a.site}'s sheet would be "${a.sheet}", which is already ${a.taken}`,
    remedy: () =>
      "Give the site a sheet name of its own in the Sites table's Sheet column (sheet names are compared without regard to case, after dropping [ ] : * ? / \\ and cutting to 31 characters). Nothing is read from or written to that sheet for this site until then.",
  }),
  BL820: entry<{ problem: string }>({
    severity: 'fatal',
    title: 'document state cannot be read',
    message: (a) => `Budgetline's record of each site's approval state cannot be read: ${a.problem}`,
    remedy: () =>
      'Restore the document from its version history to before the record was changed. Until then Budgetline treats every site as a draft and refuses approval steps; Verify approvals compares the Audit sheet with what is left.',
  }),
  BL821: entry<{ site: string; state: string }>({
    severity: 'fatal',
    title: 'site is locked',
    message: (a) => `the ${a.site} budget is ${a.state}; its lines cannot be changed`,
    remedy: (a) =>
      a.state === 'approved'
        ? 'Ask the CFO to reopen the budget (with a comment), then import again.'
        : 'Ask an approver to return the budget (with a comment), then import again.',
  }),
  BL822: entry<{ shown: string }>({
    severity: 'fatal',
    title: 'fiscal year not understood',
    message: (a) => `the fiscal year "${a.shown}" is not a year between 2000 and 2100`,
    remedy: () => 'Enter the fiscal year as its ending year, e.g. 2027 for July 2026 – June 2027.',
  }),
  BL823: entry<{ shown: string; known: string }>({
    severity: 'fatal',
    title: 'unknown chart preset',
    message: (a) => `there is no chart preset "${a.shown}"`,
    remedy: (a) => `Choose one of: ${a.known}.`,
  }),
  BL824: entry<{ copy: string; setup: string; first: string; firstSetup: string }>({
    severity: 'fatal',
    title: 'not a copy of the same district workbook',
    message: (a) =>
      a.setup
        ? `${a.copy} is for another fiscal year or chart (${a.setup}) than ${a.first} (${a.firstSetup})`
        : `${a.copy} is not a district workbook (it has no Setup sheet)`,
    remedy: () =>
      'Consolidate copies of one district workbook only: the same fiscal year and chart in every file.',
  }),
  BL825: entry<{ site: string; first: string; second: string }>({
    severity: 'fatal',
    title: 'site filled in two copies',
    message: (a) =>
      `site ${a.site} has lines in both ${a.first} and ${a.second}, and neither is further along the approval workflow`,
    remedy: () =>
      'Keep the site in one copy only (clear its sheet in the other), or submit it from the copy that should count.',
  }),
  BL826: entry<{ sheet: string; table: string; range: string; wanted: string }>({
    severity: 'warning',
    title: "a user's Excel table is in the way",
    message: (a) =>
      `Budgetline made no Excel table on ${q(a.sheet)}: your table ${q(a.table)} (${a.range}) overlaps part of ${a.wanted}, where the sheet's table goes, and Excel tables cannot overlap`,
    remedy: (a) =>
      `Nothing of yours was changed, and the sheet is read and checked as before. To give it a table, resize your table to exactly ${a.wanted} (Table Design > Resize Table): Budgetline then keeps it as the sheet's table, under its own name, and extends it as rows are added; or move it clear of ${a.wanted}, or convert it to a range (Table Design > Convert to Range).`,
  }),
  BL827: entry<{ sheet: string; cells: string; wanted: string }>({
    severity: 'warning',
    title: 'merged cells where the Excel table goes',
    message: (a) =>
      `Budgetline made no Excel table on ${q(a.sheet)}: the cells ${a.cells} are merged, inside ${a.wanted} where the sheet's table goes, and an Excel table cannot hold merged cells`,
    remedy: () =>
      'Nothing was changed, and the sheet is read and checked as before. To give it a table, unmerge those cells (Home > Merge & Center > Unmerge Cells); for a heading across columns, Format Cells > Alignment > Center Across Selection looks the same without merging.',
  }),
  // ---- BL83x: who is signed in (the Excel add-in's sign-in, core/approval/identity.ts) ---------
  BL830: entry<{ path: string; who: string; reason: string }>({
    severity: 'warning',
    title: 'sign-in is not a district account',
    message: (a) =>
      `${a.who ? `${a.who} signed in` : 'The sign-in'} through ${a.path}, but it is not taken as a district identity: ${a.reason}`,
    remedy: () =>
      'Sign in to Excel with your district (work or school) account. Until then, pick your name from the Roles table: the audit trail records it as self-declared.',
  }),
  BL831: entry<{ path: string; problem: string }>({
    severity: 'warning',
    title: 'sign-in failed',
    message: (a) => `sign-in through ${a.path} failed: ${a.problem}`,
    remedy: () =>
      'Check that you are signed in to Excel with your district account; if it keeps failing, ask IT whether Budgetline is registered for sign-in (README: "Deploying the Excel add-in"). Meanwhile, pick your name: it is recorded as self-declared.',
  }),
  // ---- BL84x: extracts from the accounting system (import by site, actuals) ---------------------
  BL840: entry<{ site: string; known: readonly string[] }>({
    severity: 'fatal',
    title: 'extract names a site not in Sites',
    message: (a) => `this line is for site "${a.site}", which is not in the Sites table`,
    remedy: (a) =>
      `Add site ${a.site} to the Sites table (with its sheet), or correct the line's site${a.known.length ? `; the sites are ${few(a.known)}` : ''}. Nothing was imported.`,
    items: (a) => a.known,
  }),
  BL841: entry<{ column: string; shown: string }>({
    severity: 'fatal',
    title: 'amount typed as text',
    message: (a) =>
      `the ${a.column} "${a.shown}" is text (a dollar sign, thousands commas or parentheses), not a number`,
    remedy: () =>
      'Export amounts from the accounting system as plain numbers (1234.50, with a minus sign for negatives: -1234.50), then import the file again. Nothing was imported.',
  }),
  BL842: entry<{ first: number }>({
    severity: 'fatal',
    title: 'duplicate line in the extract',
    message: (a) => `this line repeats row ${a.first} of the extract (same site and the same values)`,
    remedy: () =>
      'Remove the repeated line from the extract (an accounting system exports each line once), then import the file again. Nothing was imported.',
  }),
  BL843: entry<{ problem: string }>({
    severity: 'fatal',
    title: 'no site for a line',
    message: (a) => `Budgetline cannot tell this line's site: ${a.problem}`,
    remedy: () =>
      'Give the extract a site column (name it with --site-column, e.g. --site-column Org) or make sure each account string carries its site segment. Nothing was imported.',
  }),
  BL844: entry<{ date: string; year: string }>({
    severity: 'fatal',
    title: 'posting date outside the fiscal year',
    message: (a) => `the posting date "${a.date}" is not a date within fiscal year ${a.year}`,
    remedy: () =>
      "Export only the current fiscal year's postings (dates as YYYY-MM-DD), or correct the date. Nothing was imported.",
  }),
  BL845: entry<{ site: string; account: string; budget: string; spent: string; over: string }>({
    severity: 'warning',
    title: 'line over budget',
    message: (a) =>
      `site ${a.site}, account ${a.account}: actuals and encumbrances of ${a.spent} exceed the budget of ${a.budget} by ${a.over}`,
    remedy: () =>
      'Move budget to this line from one with money remaining (a budget transfer), or stop further spending on it; the forecast shows where the year will end.',
  }),
  BL846: entry<{ site: string; account: string; spent: string }>({
    severity: 'warning',
    title: 'actuals with no budget',
    message: (a) =>
      `site ${a.site}, account ${a.account} carries ${a.spent} of actuals and encumbrances but has no budget`,
    remedy: () =>
      'Add a budget line for this account on the site sheet (or a transfer to it), or have the posting corrected to the account that holds the budget.',
  }),
  BL847: entry<{ problem: string }>({
    severity: 'fatal',
    title: 'forecast method not understood',
    message: (a) => `this Forecast Methods row cannot be used: ${a.problem}`,
    remedy: () =>
      'Each row: Applies to (an object code such as 610, a range 100-199, a mask 1XX, * for every line, or an account string with its Site), Method (straight-line, seasonal, encumbrance only or typed), Profile for seasonal (twelve weights July to June, or pay-10, pay-12, utilities), Amount for typed.',
  }),
  // ---- BL850–BL869: known cost changes (the Cost Changes table) applied at roll-forward ---------
  BL850: entry<{ shown: string }>({
    severity: 'fatal',
    title: 'cost change kind not understood',
    message: (a) =>
      `the change "${a.shown}" is not raise, step and column, benefit rate, contract or one-time ends`,
    remedy: () =>
      'Write one of: raise (a % by bargaining unit or job type), step and column (a % or an amount per FTE by job type or unit), benefit rate (a benefit of a package), contract (by object code or vendor), one-time ends (lines that end this year).',
  }),
  BL851: entry<{ id: string; column: string }>({
    severity: 'fatal',
    title: 'cost change incomplete',
    message: (a) => `cost change ${a.id || '(no ID)'} has no ${a.column}`,
    remedy: (a) =>
      a.column === 'ID'
        ? "Give every cost change an ID (CC-01, CC-02 …): the change lines on next year's site sheets name it."
        : a.column === 'Description'
          ? 'Describe the change in a few words (the bargaining agreement, the contract, the board action): budget owners read it next to the lines it makes.'
          : `Fill in the ${a.column}.`,
  }),
  BL852: entry<{ id: string; shown: string }>({
    severity: 'fatal',
    title: 'cost change effective year not understood',
    message: (a) => `cost change ${a.id}: the effective fiscal year "${a.shown}" is not a fiscal year`,
    remedy: () =>
      'Write the fiscal year the change takes effect in as its ending year (2028 or FY2028 for July 2027 – June 2028); a roll-forward into that year applies it.',
  }),
  BL853: entry<{ id: string; code: string; suggestions: readonly string[] }>({
    severity: 'fatal',
    title: 'cost change names an unknown job type or bargaining unit',
    message: (a) =>
      `cost change ${a.id} applies to "${a.code}", which is neither a job type nor a bargaining unit of the Job Types table`,
    remedy: (a) =>
      `${a.suggestions.length ? `Did you mean ${orList(a.suggestions)}? ` : ''}Name job type codes or bargaining units as the Job Types table writes them (Code, Bargaining unit), separated by commas, or * for every position.`,
  }),
  BL854: entry<{ id: string; shown: string; suggestions: readonly string[] }>({
    severity: 'fatal',
    title: 'cost change names an unknown benefit',
    message: (a) =>
      `cost change ${a.id} applies to "${a.shown}", which is not a benefit of the Benefits table`,
    remedy: (a) =>
      `${a.suggestions.length ? `Did you mean ${orList(a.suggestions)}? ` : ''}Name a benefit (Retirement: in every package) or one package's benefit (CERT/Retirement), as the Benefits table writes them.`,
  }),
  BL855: entry<{ id: string; shown: string; problem: string }>({
    severity: 'fatal',
    title: 'cost change applies to an unknown object or account',
    message: (a) => `cost change ${a.id} applies to "${a.shown}": ${a.problem}`,
    remedy: () =>
      'Name object codes (330), ranges (300-399) or masks (3XX) of the chart, whole account strings, or a vendor as "vendor: Name" (matched in the lines\' Description and Notes), separated by commas.',
  }),
  BL856: entry<{ id: string; shown: string; low: string; high: string; what: string }>({
    severity: 'fatal',
    title: 'cost change percentage out of range',
    message: (a) => `cost change ${a.id}: ${a.shown} is outside ${a.low} to ${a.high} for ${a.what}`,
    remedy: () =>
      'Check the figure: a percentage is typed with its % sign (3% or 0.03 in a percentage cell); a larger change is entered as an amount, or in steps over several changes.',
  }),
  BL857: entry<{ id: string; problem: string }>({
    severity: 'fatal',
    title: 'cost change value not usable',
    message: (a) => `cost change ${a.id}: ${a.problem}`,
    remedy: () =>
      'Fill exactly one of Percent and Amount, as the kind of change takes it: raise a %; step and column a % or an amount per FTE; benefit rate percentage points for a rate benefit, a % or an amount per FTE for a flat one; contract a % or an amount for the year; one-time ends neither.',
  }),
  BL858: entry<{ id: string; site: string; known: readonly string[] }>({
    severity: 'fatal',
    title: 'cost change scoped to a site not in Sites',
    message: (a) => `cost change ${a.id} is limited to site "${a.site}", which is not in the Sites table`,
    remedy: (a) =>
      `Name sites by their code (${few(a.known)}), separated by commas, or leave Sites blank for every site.`,
    items: (a) => a.known,
  }),
  BL859: entry<{ id: string; fund: string; suggestions: readonly string[] }>({
    severity: 'fatal',
    title: 'cost change scoped to an unknown fund',
    message: (a) =>
      `cost change ${a.id} is limited to fund "${a.fund}", which is not a fund code of the chart`,
    remedy: (a) =>
      `${a.suggestions.length ? `Did you mean ${orList(a.suggestions)}? ` : ''}Name one fund code of the chart, or leave Fund blank for every fund.`,
  }),
  BL860: entry<{ id: string; first: string }>({
    severity: 'fatal',
    title: 'cost change ID listed twice',
    message: (a) => `the cost change ID ${a.id} is already used at ${a.first}`,
    remedy: () => "Give each cost change its own ID: the lines it makes on next year's site sheets name it.",
  }),
  BL861: entry<{ ids: readonly string[]; next: string }>({
    severity: 'warning',
    title: 'cost changes from earlier years',
    message: (a) =>
      `${a.ids.length === 1 ? `cost change ${few(a.ids)} took` : `${a.ids.length} cost changes (${few(a.ids)}) took`} effect before ${a.next}; this roll-forward does not apply ${a.ids.length === 1 ? 'it' : 'them'} again`,
    items: (a) => a.ids,
    remedy: () =>
      "Nothing to do when they are already in this year's figures (rows from earlier years stay in the table as its history); otherwise set the effective year to the year being built. Only changes effective in the new year are applied.",
  }),
  BL862: entry<{ id: string; next: string }>({
    severity: 'warning',
    title: 'cost change matched nothing',
    message: (a) => `cost change ${a.id} (effective ${a.next}) matched no position or line on any site`,
    remedy: () =>
      'Check what it applies to, its Sites and its Fund against the site sheets; as written it changes nothing.',
  }),
  BL863: entry<{ increase: string; ids: readonly string[] }>({
    severity: 'warning',
    title: 'salary increase and raises both applied',
    message: (a) =>
      `the salary increase of ${a.increase} raises every salary in place, and the raise cost changes ${few(a.ids)} raise them again`,
    items: (a) => a.ids,
    remedy: () =>
      'When the negotiated raises are entered as cost changes, set the Setup "Salary increase" to 0% (or leave out --salary-increase) so that each raise is counted once.',
  }),
  BL864: entry<{ sheet: string }>({
    severity: 'fatal',
    title: 'no site to roll forward',
    message: (a) =>
      `the ${a.sheet} table lists no site that can be read: next year's workbook would have no site sheets`,
    remedy: () =>
      "Fill in the Sites table (or restore it from version history) and roll forward again; next year's workbook was not written.",
  }),
  BL865: entry<{ ids: readonly string[]; fy: number }>({
    severity: 'warning',
    title: "amendments not carried into next year's lines",
    message: (a) =>
      `${a.ids.length === 1 ? 'amendment' : `${a.ids.length} amendments`} ${few(a.ids)} changed this year's budget but ${a.ids.length === 1 ? 'is' : 'are'} not in FY${a.fy}'s site lines: roll-forward carries the lines the sites typed; this year's ending balance counts ${a.ids.length === 1 ? 'it' : 'them'}`,
    items: (a) => a.ids,
    remedy: (a) =>
      `For a change that recurs, add its lines to the site's sheet in the FY${a.fy} workbook (the Amendments sheet and amend's receipts list each account and amount); a one-time change needs nothing.`,
  }),
  // ---- BL9xx: proposals, prioritisation, decisions and scenarios ------------------------------
  BL901: entry<{ id: string; problem: string }>({
    severity: 'fatal',
    title: 'proposal row cannot be read',
    message: (a) => `proposal${a.id ? ` ${a.id}` : ''}: ${a.problem}`,
    remedy: () =>
      'Each Proposals row: a unique ID, Type addition or reduction, Recurrence one-time or recurring, an account, amounts typed as positive numbers, and Status draft, submitted, under review, accepted, rejected or deferred.',
  }),
  BL902: entry<{ id: string; recurrence: string; problem: string }>({
    severity: 'fatal',
    title: 'yearly amounts do not match one-time or recurring',
    message: (a) => `proposal ${a.id} is ${a.recurrence}, but ${a.problem}`,
    remedy: () =>
      'A one-time proposal has an amount in the budget year only (leave Year 2 and Year 3 blank); a recurring one has an amount in every year. Correct the amounts or the Recurrence.',
  }),
  BL903: entry<{ shown: string; low: number; high: number }>({
    severity: 'fatal',
    title: 'score outside the scale',
    message: (a) => `the score "${a.shown}" is not a whole number from ${a.low} to ${a.high}`,
    remedy: (a) =>
      `Score each criterion ${a.low} (least) to ${a.high} (most); leave the row out if the reviewer did not score it.`,
  }),
  BL904: entry<{ id: string; decision: string }>({
    severity: 'fatal',
    title: 'decision without a reason',
    message: (a) => `proposal ${a.id} is ${a.decision} without a reason`,
    remedy: () =>
      'Write why leadership decided so in the Decision reason column (or decide again with --reason): the owner and the board read it.',
  }),
  BL905: entry<{ id: string; site: string }>({
    severity: 'fatal',
    title: "proposal's site no longer exists",
    message: (a) => `proposal ${a.id} names site "${a.site}", which is not in the Sites table`,
    remedy: () =>
      'Correct the Site of the proposal (or leave it blank for a district-wide proposal), or add the site back to the Sites table.',
  }),
  BL906: entry<{ table: string; problem: string }>({
    severity: 'fatal',
    title: 'rubric, score or community row cannot be read',
    message: (a) => `${a.table}: ${a.problem}`,
    remedy: () =>
      'Rubric: one row per criterion with a positive weight. Scores and Community Input: a proposal ID from the Proposals sheet and, for scores, a criterion from the Rubric, once per reviewer.',
  }),
  BL907: entry<{ id: string; decision: string; status: string }>({
    severity: 'fatal',
    title: 'proposal cannot be decided now',
    message: (a) => `proposal ${a.id} is ${a.status}; it cannot be ${a.decision}`,
    remedy: (a) =>
      a.status === 'draft'
        ? 'Its owner submits it first (Status submitted); leadership decides submitted proposals.'
        : 'Leadership decides submitted, under-review and deferred proposals, and may reject or defer an accepted one.',
  }),
  BL908: entry<{ id: string; known: readonly string[] }>({
    severity: 'fatal',
    title: 'unknown proposal',
    message: (a) => `there is no proposal "${a.id}" on the Proposals sheet`,
    remedy: (a) =>
      a.known.length ? `Pick one of: ${few(a.known)}.` : 'Add the proposal to the Proposals sheet first.',
    items: (a) => a.known,
  }),
  BL909: entry<{ scenario: string; problem: string }>({
    severity: 'fatal',
    title: 'scenario change cannot be read',
    message: (a) => `scenario "${a.scenario}": ${a.problem}`,
    remedy: () =>
      'Each Scenarios row: Scenario (a name), Change (accepted proposals, enrollment change, salary increase, funding-rate change, one-time cut), Fund (blank: all), Applies to (proposal IDs, salary objects, or the account of a cut), Value (on/off, a %, or an amount).',
  }),
  BL660: entry<{ ids: readonly string[] }>({
    severity: 'warning',
    title: 'this export is the final budget, amendments included',
    message: (a) =>
      `this file is the FINAL budget: the adopted budget with ${a.ids.length === 1 ? 'amendment' : `${a.ids.length} amendments`} ${few(a.ids)} applied; an accounting system that already loaded the adopted budget would count ${a.ids.length === 1 ? 'it' : 'them'} twice if it adds this file to it`,
    items: (a) => a.ids,
    remedy: () =>
      'To replace the budget in the accounting system, load this file in place of the adopted one; to add only the changes, export them with export --amendments.',
  }),
  // ---- BL661-BL679: the final budget carried by consolidate and export ----------------------------
  BL661: entry<{ class: string; fund: string; original: string; amendments: string; final: string }>({
    severity: 'fatal',
    title: 'final budget does not reconcile',
    message: (a) =>
      `${a.class}, fund ${a.fund}: the original budget ${a.original} plus the applied amendments ${a.amendments} is not the final budget ${a.final}`,
    remedy: () =>
      "Nothing was written. Run verify: the Adopted Budget sheet, the sites' approved lines or the Amendments table is not what the audit log records.",
  }),
  BL662: entry<{ id: string; at: string; detail: string }>({
    severity: 'fatal',
    title: 'applied amendment changed since',
    message: (a) =>
      `amendment ${a.id} was applied${a.at ? ` (${a.at})` : ''} but its row is no longer what was applied: ${a.detail}`,
    remedy: () =>
      'Restore the row as it was applied (version history); a further change is a new amendment, approved and applied. Nothing is consolidated or exported until then.',
  }),
  BL663: entry<{ id: string; state: string }>({
    severity: 'fatal',
    title: 'amendment not applied',
    message: (a) => `amendment ${a.id} is ${a.state}, not applied: it is not part of the final budget`,
    remedy: () =>
      'Export only applied amendments (amend --apply first), or leave this one out of the list. Nothing was exported.',
  }),
  BL664: entry<Record<string, never>>({
    severity: 'fatal',
    title: 'no applied amendments',
    message: () =>
      'no amendment has been applied since the board adopted the budget: there are no changes to export',
    remedy: () => 'Export the whole budget (without --amendments), or apply an amendment first.',
  }),
  BL665: entry<{ id: string; site: string }>({
    severity: 'fatal',
    title: 'amendment to a site outside the adopted budget',
    message: (a) =>
      `amendment ${a.id} changes site ${a.site}, whose lines are not in the adopted budget carried here: its change would be lost`,
    remedy: () =>
      'An amendment changes a site the board adopted. Check the Site cell of the amendment, or the Sites table.',
  }),
  BL666: entry<{ shown: string; adopted: string }>({
    severity: 'fatal',
    title: 'revenues changed after adoption',
    message: (a) =>
      `the Revenues table changed after the board adopted the budget: this row now gives ${a.shown}; the board adopted ${a.adopted}`,
    remedy: () =>
      'The adopted revenues are frozen on the Adopted Revenues sheet. Restore the row (version history) — its estimate, rate, count or the enrollment it uses — and change revenues through an amendment (revenue accounts).',
  }),
  BL667: entry<{ detail: string }>({
    severity: 'fatal',
    title: 'adopted revenues do not match the adoption',
    message: (a) => `the Adopted Revenues sheet is not what the board adopted: ${a.detail}`,
    remedy: () =>
      'Restore the Adopted Revenues sheet from a copy you trust (version history); its hash, with the Adopted Budget sheet, is recorded in the audit log at adoption.',
  }),
  // ---- BL95x: the board report -----------------------------------------------------------------
  BL950: entry<{ given: number; expected: number; budget: number }>({
    severity: 'fatal',
    title: 'prior-year figures for the wrong year',
    message: (a) =>
      `the prior-year figures are for FY${a.given}, not FY${a.expected}, the year before the FY${a.budget} budget`,
    remedy: (a) =>
      `Give last year's workbook (FY${a.expected}) for the prior-year comparison, or leave it out: the report then says the prior year is not available.`,
  }),
  BL951: entry<{ problem: string }>({
    severity: 'fatal',
    title: "last year's workbook cannot be used",
    message: (a) => `last year's workbook cannot give prior-year figures: ${a.problem}`,
    remedy: () =>
      "Name last year's district workbook, with its approvals intact (run verify on it), or leave it out: the report then says the prior year is not available.",
  }),
  BL910: entry<{ who: string; site: string }>({
    severity: 'fatal',
    title: 'may not submit this proposal',
    message: (a) =>
      a.site
        ? `${a.who} may not submit a proposal for site ${a.site}: only its builders (and the CFO) may`
        : `${a.who} may not submit a district-wide proposal (no Site): only the CFO may`,
    remedy: (a) =>
      a.site
        ? `Ask a builder of site ${a.site} to submit it, or have the Roles table list you as a builder of ${a.site}.`
        : 'Name the site (school, department or program) the proposal belongs to, or ask the CFO to submit it.',
  }),
  BL911: entry<{ id: string; step: string; status: string }>({
    severity: 'fatal',
    title: 'proposal cannot take this step now',
    message: (a) => `proposal ${a.id} is ${a.status}; it cannot be ${a.step}`,
    remedy: () =>
      'A draft is submitted by its owner; a submitted proposal is taken under review by leadership; leadership then accepts, rejects or defers it.',
  }),
  BL912: entry<{ id: string }>({
    severity: 'fatal',
    title: 'proposal ID already used',
    message: (a) => `there is already a proposal ${a.id} on the Proposals sheet`,
    remedy: (a) => `Give the new proposal another ID, or submit the draft row ${a.id} as it is.`,
  }),
  BL913: entry<{ id: string }>({
    severity: 'fatal',
    title: 'proposal line of no proposal',
    message: (a) =>
      a.id
        ? `this Proposal Lines row names proposal "${a.id}", which is not on the Proposals sheet`
        : 'this Proposal Lines row names no proposal',
    remedy: () =>
      'Type the ID of a proposal on the Proposals sheet in the Proposal column (or add the proposal there first).',
  }),
  BL914: entry<{ id: string; site: string; state: string }>({
    severity: 'fatal',
    title: "proposal's site is submitted or approved",
    message: (a) =>
      `proposal ${a.id} would change the lines of site ${a.site}, whose budget is ${a.state}: an approved or submitted budget does not change silently`,
    remedy: (a) =>
      a.state === 'approved'
        ? `Reopen site ${a.site}'s budget first (the CFO, with a comment), decide again, then submit and approve it again.`
        : `Return site ${a.site}'s budget first (its approver, with a comment), decide again, then submit it again.`,
  }),
  BL915: entry<{ id: string; problem: string }>({
    severity: 'fatal',
    title: "proposal's lines cannot go into the budget",
    message: (a) => `proposal ${a.id}: ${a.problem}`,
    remedy: () =>
      "Name the site of each line (the proposal's Site, or the Site of its Proposal Lines rows), a site of the Sites table with its sheet; clear the Proposal cell of lines you typed yourself.",
  }),
  BL916: entry<{ id: string; category: string; known: readonly string[] }>({
    severity: 'fatal',
    title: 'category not in the list',
    message: (a) => `proposal ${a.id}: the category "${a.category}" is not on the Proposal Categories list`,
    items: (a) => a.known,
    remedy: (a) =>
      `Pick one of: ${few(a.known)}, or add "${a.category}" to the Proposal Categories sheet (student-facing or operational).`,
  }),
  BL917: entry<{ problem: string }>({
    severity: 'fatal',
    title: 'category row cannot be read',
    message: (a) => `Proposal Categories: ${a.problem}`,
    remedy: () => 'One row per category: its name once, and Kind student-facing or operational.',
  }),
  BL918: entry<{ scenario: string; problem: string }>({
    severity: 'fatal',
    title: 'scenario cannot be adopted',
    message: (a) => `scenario "${a.scenario}" was not adopted: ${a.problem}`,
    remedy: () =>
      'Adopting applies a scenario to the budget once, with a reason: decide its proposals first (accept, reject or defer), reopen the sites its cuts change, and fix its rows on the Scenarios sheet.',
  }),
  BL919: entry<{ scenario: string; known: readonly string[] }>({
    severity: 'fatal',
    title: 'unknown scenario',
    message: (a) => `there is no scenario "${a.scenario}" on the Scenarios sheet`,
    remedy: (a) =>
      a.known.length ? `Pick one of: ${few(a.known)}.` : 'Add the scenario to the Scenarios sheet first.',
    items: (a) => a.known,
  }),
  BL920: entry<{ id: string; position: string; priced: string; scored: string; difference: string }>({
    severity: 'warning',
    title: "accepted position costs other than the proposal's amount",
    message: (a) =>
      `proposal ${a.id}: ${a.position} costs ${a.priced} by the Job Types and Benefits tables, ${a.difference} the ${a.scored} it was scored and ranked at; the budget carries ${a.priced}`,
    remedy: () =>
      "Nothing is wrong in the workbook: a position is priced like every other one. If the proposal's amount was meant, correct the job type's average salary or benefits; otherwise correct the proposal's amount, so the funding line weighs what the budget will carry.",
  }),
  BL921: entry<{ id: string; problem: string }>({
    severity: 'fatal',
    title: 'proposal line cannot become a position',
    message: (a) => `proposal ${a.id}: ${a.problem}`,
    remedy: () =>
      'A line with a Job type adds staff: name a job type of the Job Types sheet and the FTE it adds (more than 0), on an addition. To cut staff, cut the amount on a line without a Job type (a decision never removes a position someone typed).',
  }),
  BL922: entry<{ id: string; site: string; source: string; account: string }>({
    severity: 'fatal',
    title: "proposal's funding source has no allocation to change",
    message: (a) =>
      `proposal ${a.id} changes site ${a.site}'s allocation from ${q(a.source)}, but the Allocations table has no allocation of site ${a.site} from ${q(a.source)} that ${a.account} is charged to`,
    remedy: (a) =>
      `Add site ${a.site}'s allocation from ${q(a.source)} to the Allocations table first (its source type and the segments its lines are charged to), or clear the Funding source cell if the line only adds spending.`,
  }),
} as const;

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function chars(n: number): string {
  return `${n} character${n === 1 ? '' : 's'}`;
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
  const items = e.items?.(args);
  if (items && items.length > FEW) d.items = [...items];
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
 * With `excerpt`, the account string and a caret line under the span, then the remedy. When the
 * finding's list was shortened (`items`), `whole` says where the whole list is ("--json lists all"),
 * followed by its count.
 */
export function formatDiagnostic(d: Diagnostic, options: { excerpt?: boolean; whole?: string } = {}): string {
  const place = placeOf(d);
  const whole = d.items && options.whole ? ` (${options.whole} ${d.items.length})` : '';
  const head = `${place ? `${place}  ` : ''}${d.code} ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}${whole}`;
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
