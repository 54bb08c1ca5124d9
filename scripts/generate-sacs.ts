/**
 * Generates core/presets/california.json, the California SACS chart of accounts, from the California
 * Department of Education's code tables vendored in vendor/ca-sacs (one CSV per segment and fiscal
 * year: fy2020-21-fund-codes.csv, ...; their source in vendor/ca-sacs/README.md).
 *
 *   npx tsx scripts/generate-sacs.ts            (writes core/presets/california.json)
 *   npx tsx scripts/generate-sacs.ts --check    (exits 1 if the committed file is out of date)
 *
 * The generation itself is `generateSacsChart(tables)`: CSV texts in, JSON text out, with no I/O, so
 * a test can regenerate in memory and compare byte for byte with the committed file.
 *
 * Each code gets its fiscal-year validity from the years that list it: listed in every year → no
 * bounds; missing from the latest year → toFY = the last year that lists it; missing from the earliest
 * year → fromFY = the first year that lists it. Titles are the latest year's.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';

/** The CDE tables the chart is built from, by segment. */
export const SACS_TABLES = ['fund', 'resource', 'goal', 'function', 'object'] as const;
export type SacsTable = (typeof SACS_TABLES)[number];

/** CSV texts by fiscal year (ending year: FY2020-21 → 2021), then by table. */
export type SacsCsvs = Readonly<Record<number, Readonly<Record<SacsTable, string>>>>;

interface Row {
  readonly code: string;
  readonly title: string;
}

/** Trims a CDE cell: codes and titles are padded with spaces, and a few titles hold line breaks. */
function clean(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Reads one CDE table (header `Code,Title`). Throws on a malformed file: this is a build step. */
export function readCdeTable(text: string, label: string): Row[] {
  const records = parse(text, { bom: true, relax_column_count: false, skip_empty_lines: true }) as string[][];
  const [header, ...rows] = records;
  if (
    !header ||
    clean(header[0] ?? '').toLowerCase() !== 'code' ||
    clean(header[1] ?? '').toLowerCase() !== 'title'
  )
    throw new Error(`${label}: expected the header "Code,Title"`);
  const seen = new Set<string>();
  const out: Row[] = [];
  for (const [i, r] of rows.entries()) {
    const code = clean(r[0] ?? '');
    const title = clean(r[1] ?? '');
    if (code === '') throw new Error(`${label}: row ${i + 2} has no code`);
    if (seen.has(code)) throw new Error(`${label}: code ${code} is listed twice`);
    seen.add(code);
    out.push({ code, title });
  }
  return out;
}

// ---- The chart's fixed parts -----------------------------------------------------------------

const SEGMENTS = [
  { key: 'fund', name: 'Fund', length: 2, chars: 'digits', synonyms: ['Fund Code'] },
  { key: 'resource', name: 'Resource', length: 4, chars: 'alnum', synonyms: ['Resource Code', 'Res'] },
  {
    key: 'projectYear',
    name: 'Project Year',
    length: 1,
    chars: 'digits',
    synonyms: ['Proj Yr', 'PY'],
  },
  { key: 'goal', name: 'Goal', length: 4, chars: 'alnum', synonyms: ['Goal Code'] },
  { key: 'function', name: 'Function', length: 4, chars: 'digits', synonyms: ['Function Code', 'Func'] },
  { key: 'object', name: 'Object', length: 4, chars: 'alnum', synonyms: ['Object Code', 'Obj'] },
] as const;

const PROJECT_YEAR_CODES = [{ code: '0-9', description: 'Project Year', kind: 'range' }];

/**
 * CDE technical-review checks, modelled from the facts in vendor/ca-sacs/README.md, in the
 * scopes CDE states: Function×Object covers expenditure objects (1000–7999) only. Revenue and
 * balance-sheet lines are usually coded goal 0000 and function 0000, but ledgers CDE accepts carry
 * revenue objects with other goals and functions: warnings a district can lower or switch off.
 */
const RULES = [
  {
    id: 'SACS-GOAL-0000',
    severity: 'warning',
    when: 'object in [8000-8999, 9000-9999]',
    then: 'goal = 0000',
    message:
      'Revenue (objects 8000–8999) and balance-sheet (objects 9000–9999) lines are usually coded goal 0000 (Undistributed); CDE accepts others, so this is a warning.',
  },
  {
    id: 'SACS-FUNCTION-0000',
    severity: 'warning',
    when: 'object in [8000-8999, 9000-9999]',
    then: 'function = 0000',
    message:
      'Revenue (objects 8000–8999) and balance-sheet (objects 9000–9999) lines are usually coded function 0000; CDE accepts others, so this is a warning.',
  },
];

const COMBINATIONS = [
  {
    id: 'CHK-FUNCTIONxOBJECT',
    severity: 'fatal',
    a: 'object',
    b: 'function',
    allowed: [['1000-7999', '1000-9999']],
    message: 'Expenditure objects (1000–7999) need a function other than 0000.',
  },
];

/** Object classes (reference README): rows tried in order, the first match wins. */
const CLASSES = [
  {
    class: 'Expenditure',
    segment: 'object',
    codes: '1000-6999, 7000-7499',
    description: 'Expenditures and other outgo',
  },
  {
    class: 'Other financing use',
    segment: 'object',
    codes: '7600-7699',
    description: 'Transfers out and other uses',
  },
  {
    class: 'Revenue',
    segment: 'object',
    codes: '8010-8799',
    description: 'LCFF, federal, other state and other local revenue',
  },
  {
    class: 'Other financing source',
    segment: 'object',
    codes: '8900-8979',
    description: 'Transfers in and other sources',
  },
  {
    class: 'Contribution',
    segment: 'object',
    codes: '8980-8999',
    description: 'Contributions between unrestricted and restricted resources',
  },
  { class: 'Beginning balance', segment: 'object', codes: '9791', description: 'Beginning fund balance' },
  {
    class: 'Beginning balance adjustment',
    segment: 'object',
    codes: '9793, 9795',
    description: 'Audit adjustments and other restatements',
  },
  {
    class: 'Ending balance',
    segment: 'object',
    codes: '979Z',
    description: 'Ending fund balance (calculated)',
  },
  {
    class: 'Balance sheet',
    segment: 'object',
    codes: '9100-9699, 9700-9790, 9796-9799',
    description: 'Assets, liabilities and components of fund balance',
  },
];

// ---- Generation ------------------------------------------------------------------------------

type CodeOut = [string, string] | { code: string; description: string; fromFY?: number; toFY?: number };

function yearLabel(fy: number): string {
  return `${fy - 1}-${String(fy % 100).padStart(2, '0')}`;
}

/** Merges one table across the fiscal years into a code list with fiscal-year bounds. */
function mergeTable(byYear: ReadonlyMap<number, Row[]>): CodeOut[] {
  const years = [...byYear.keys()].sort((a, b) => a - b);
  const first = years[0] as number;
  const last = years[years.length - 1] as number;
  const info = new Map<string, { years: number[]; title: string }>();
  for (const fy of years) {
    for (const r of byYear.get(fy) ?? []) {
      const e = info.get(r.code) ?? { years: [], title: r.title };
      e.years.push(fy);
      e.title = r.title; // years ascend: the latest title wins
      info.set(r.code, e);
    }
  }
  const out: CodeOut[] = [];
  for (const code of [...info.keys()].sort(compareCodes)) {
    const e = info.get(code) as { years: number[]; title: string };
    const from = e.years[0] as number;
    const to = e.years[e.years.length - 1] as number;
    if (e.years.length !== years.indexOf(to) - years.indexOf(from) + 1)
      throw new Error(
        `code ${code} is listed in ${e.years.join(', ')} only: a gap cannot be expressed as one entry`,
      );
    if (from === first && to === last) out.push([code, e.title]);
    else {
      const entry: { code: string; description: string; fromFY?: number; toFY?: number } = {
        code,
        description: e.title,
      };
      if (from !== first) entry.fromFY = from;
      if (to !== last) entry.toFY = to;
      out.push(entry);
    }
  }
  return out;
}

/** Plain code-point order: digits before letters ("9790" < "979Z" < "ADLT"). */
function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The california.json text for the given CDE tables. Deterministic: same input, same bytes. */
export function generateSacsChart(csvs: SacsCsvs): string {
  const years = Object.keys(csvs)
    .map(Number)
    .sort((a, b) => a - b);
  if (years.length === 0) throw new Error('no fiscal years given');
  const codes: Record<string, CodeOut[] | typeof PROJECT_YEAR_CODES> = {};
  for (const seg of SEGMENTS) {
    if (seg.key === 'projectYear') {
      codes[seg.key] = PROJECT_YEAR_CODES;
      continue;
    }
    const table = seg.key as SacsTable;
    const byYear = new Map<number, Row[]>();
    for (const fy of years) {
      const text = csvs[fy]?.[table];
      if (text === undefined) throw new Error(`FY${yearLabel(fy)}: the ${table} table is missing`);
      const rows = readCdeTable(text, `fy${yearLabel(fy)}-${table}-codes.csv`);
      for (const r of rows)
        if (r.code.length !== seg.length)
          throw new Error(
            `FY${yearLabel(fy)} ${table} code "${r.code}" is not ${seg.length} characters long`,
          );
      byYear.set(fy, rows);
    }
    codes[seg.key] = mergeTable(byYear);
  }
  const last = years[years.length - 1] as number;
  const chart = {
    id: 'california',
    name: 'California SACS',
    delimiter: null,
    defaultFiscalYear: last,
    source: `California Department of Education, Standardized Account Code Structure (SACS) code tables for ${years
      .map((y) => `FY${yearLabel(y)}`)
      .join(' and ')}; generated by scripts/generate-sacs.ts — do not edit by hand.`,
    segments: SEGMENTS,
    codes,
    rules: RULES,
    combinations: COMBINATIONS,
    hierarchical: ['function', 'object', 'goal'],
    classes: CLASSES,
  };
  return `${formatJson(chart)}\n`;
}

/**
 * JSON with 2-space indentation where every array or object holding only scalars is written on one
 * line when it fits (a code entry, a synonyms list, an allowed pair), so the data file reads as a table.
 */
export function formatJson(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const flat = value.every((v) => v === null || typeof v !== 'object');
    const one = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
    if (flat && indent.length + one.length <= 160) return one;
    return `[\n${value.map((v) => inner + formatJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  const flat = entries.every(([, v]) => v === null || typeof v !== 'object');
  const one = `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`;
  if (flat && indent.length + one.length <= 160) return one;
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

// ---- Files -----------------------------------------------------------------------------------

const FILE = /^fy(\d{4})-(\d{2})-(fund|resource|goal|function|object)-codes\.csv$/;

/** Reads every fyYYYY-YY-<table>-codes.csv of a directory. */
export function readSacsCsvs(dir: string): SacsCsvs {
  const out: Record<number, Partial<Record<SacsTable, string>>> = {};
  for (const name of readdirSync(dir).sort()) {
    const m = FILE.exec(name);
    if (!m) continue;
    const start = Number(m[1]);
    const fy = start + 1;
    if ((start + 1) % 100 !== Number(m[2])) throw new Error(`${name}: the years do not follow each other`);
    (out[fy] ??= {})[m[3] as SacsTable] = readFileSync(join(dir, name), 'utf8');
  }
  for (const [fy, tables] of Object.entries(out))
    for (const t of SACS_TABLES)
      if (tables[t] === undefined)
        throw new Error(`FY${yearLabel(Number(fy))}: ${t} table missing in ${dir}`);
  return out as SacsCsvs;
}

export const REPO_ROOT = resolve(__dirname, '..');
export const DEFAULT_SOURCE_DIR = resolve(REPO_ROOT, 'vendor/ca-sacs');
export const OUTPUT_FILE = resolve(REPO_ROOT, 'core/presets/california.json');

function main(argv: readonly string[]): number {
  const check = argv.includes('--check');
  const dirArg = argv.find((a) => !a.startsWith('--'));
  const dir = dirArg ? resolve(dirArg) : DEFAULT_SOURCE_DIR;
  const text = generateSacsChart(readSacsCsvs(dir));
  if (check) {
    let current = '';
    try {
      current = readFileSync(OUTPUT_FILE, 'utf8');
    } catch {
      /* missing counts as out of date */
    }
    if (current !== text) {
      console.error(`${OUTPUT_FILE} is out of date: run npx tsx scripts/generate-sacs.ts`);
      return 1;
    }
    console.log(`${OUTPUT_FILE} is up to date`);
    return 0;
  }
  writeFileSync(OUTPUT_FILE, text);
  console.log(`wrote ${OUTPUT_FILE} from ${dir}`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
