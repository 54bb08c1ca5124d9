/**
 * Account classes as data: which codes are revenue, expenditure, other financing source or use,
 * contribution, beginning balance (and its adjustments), ending balance, balance sheet.
 *
 * A chart's Classes table lists, per class, the codes of one segment (usually the object) or of the
 * chart's revenue-source list (NCES keeps revenue sources apart from objects). Rows are tried in
 * order and the first match wins, so a specific row (9791 beginning balance) may come before a
 * broader one (9700-9799 balance sheet). An account no row matches is unclassified.
 */
import { parsePattern, tester, type Tester } from './patterns';
import { resolveSegment } from './conditions';
import type { AccountClass, Chart, ClassRow, SegmentDef } from './types';

/** The classes in the order a fund summary lists them. */
export const ACCOUNT_CLASSES: readonly AccountClass[] = [
  'revenue',
  'otherSource',
  'contribution',
  'expenditure',
  'otherUse',
  'beginningBalance',
  'balanceAdjustment',
  'endingBalance',
  'balanceSheet',
];

/** How each class is written in the workbook's Classes table. */
export const CLASS_LABELS: Readonly<Record<AccountClass, string>> = {
  revenue: 'Revenue',
  otherSource: 'Other financing source',
  contribution: 'Contribution',
  expenditure: 'Expenditure',
  otherUse: 'Other financing use',
  beginningBalance: 'Beginning balance',
  balanceAdjustment: 'Beginning balance adjustment',
  endingBalance: 'Ending balance',
  balanceSheet: 'Balance sheet',
};

const norm = (s: string): string => s.toLowerCase().replace(/[^a-z]/g, '');

const CLASS_NAMES: ReadonlyMap<string, AccountClass> = new Map<string, AccountClass>([
  ...ACCOUNT_CLASSES.map((c) => [norm(CLASS_LABELS[c]), c] as const),
  ...ACCOUNT_CLASSES.map((c) => [norm(c), c] as const),
  ['revenues', 'revenue'],
  ['expenditures', 'expenditure'],
  ['expense', 'expenditure'],
  ['expenses', 'expenditure'],
  ['otherfinancingsources', 'otherSource'],
  ['transferin', 'otherSource'],
  ['transfersin', 'otherSource'],
  ['otherfinancinguses', 'otherUse'],
  ['transferout', 'otherUse'],
  ['transfersout', 'otherUse'],
  ['contributions', 'contribution'],
  ['beginningfundbalance', 'beginningBalance'],
  ['openingbalance', 'beginningBalance'],
  ['adjustment', 'balanceAdjustment'],
  ['balanceadjustment', 'balanceAdjustment'],
  ['restatement', 'balanceAdjustment'],
  ['endingfundbalance', 'endingBalance'],
  ['closingbalance', 'endingBalance'],
  ['balancesheet', 'balanceSheet'],
  ['assetsandliabilities', 'balanceSheet'],
]);

/** "Other financing source", "other sources", "transfers in" → otherSource; undefined when not a class. */
export function readAccountClass(text: string): AccountClass | undefined {
  return CLASS_NAMES.get(norm(text));
}

/** The key of the revenue-source list in a Classes row and a Codes row ("Revenue Source"). */
export const REVENUE_SOURCE_KEY = 'revenueSource';

/** The revenue-source list as a pseudo-segment, for checking its codes: 4 characters (NCES). */
export const REVENUE_SOURCE_SEGMENT: SegmentDef = {
  key: REVENUE_SOURCE_KEY,
  name: 'Revenue Source',
  length: 4,
  chars: 'alnum',
};

/** Splits a Codes cell of a Classes row: "8010-8799, 8900-8979; 979Z" → the patterns' texts. */
export function splitCodeList(text: string): string[] {
  return text
    .replace(/^\s*\[|\]\s*$/g, '')
    .replace(/\s*[-–]\s*/g, '-')
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The segment a Classes row names: a chart segment, or the revenue-source list. */
export function classSegment(segments: readonly SegmentDef[], name: string): SegmentDef | undefined {
  const i = resolveSegment(segments, name);
  if (i >= 0) return segments[i];
  return resolveSegment([REVENUE_SOURCE_SEGMENT], name) === 0 ? REVENUE_SOURCE_SEGMENT : undefined;
}

/** A chart's classes compiled for classifying accounts. */
export interface Classifier {
  /** True when the chart has a Classes table. */
  readonly defined: boolean;
  /** The class of an account given as segment codes in chart order. */
  classify(parts: readonly string[]): AccountClass | undefined;
  /**
   * The class of a revenue estimate's source code: a revenue-source code (NCES) or an object code
   * (the segment the chart's revenue rows name).
   */
  classOfSource(code: string): AccountClass | undefined;
  /** The segment key (or "revenueSource") revenue estimates are coded in; undefined without classes. */
  readonly sourceKey?: string;
}

interface CompiledRow {
  readonly class: AccountClass;
  /** Segment index, or -1 for the revenue-source list. */
  readonly index: number;
  readonly key: string;
  readonly tests: readonly Tester[];
}

function compileRow(chart: Chart, row: ClassRow): CompiledRow | undefined {
  const seg = classSegment(chart.segments, row.segment);
  if (!seg) return undefined;
  const index = chart.segments.indexOf(seg);
  const tests: Tester[] = [];
  for (const c of row.codes) {
    const p = parsePattern(c, seg.length, seg.chars);
    if ('pattern' in p) tests.push(tester(p.pattern));
  }
  return { class: row.class, index, key: seg.key, tests };
}

/** Compiles the chart's Classes table (rows the loader refused are skipped). */
export function compileClasses(chart: Chart): Classifier {
  const rows = (chart.classes ?? []).flatMap((r) => compileRow(chart, r) ?? []);
  const segmentRows = rows.filter((r) => r.index >= 0);
  const revenueRow =
    rows.find((r) => r.class === 'revenue' && r.index < 0) ?? rows.find((r) => r.class === 'revenue');
  const sourceKey = revenueRow?.key;
  const sourceRows = rows.filter((r) => r.key === sourceKey);
  const matchIn = (
    rs: readonly CompiledRow[],
    codeOf: (r: CompiledRow) => string,
  ): AccountClass | undefined => {
    for (let i = 0; i < rs.length; i++) {
      const r = rs[i] as CompiledRow;
      const code = codeOf(r);
      for (let k = 0; k < r.tests.length; k++) if ((r.tests[k] as Tester)(code)) return r.class;
    }
    return undefined;
  };
  return {
    defined: rows.length > 0,
    classify: (parts) => matchIn(segmentRows, (r) => parts[r.index] ?? ''),
    classOfSource: (code) => matchIn(sourceRows, () => code),
    ...(sourceKey !== undefined ? { sourceKey } : {}),
  };
}
