/**
 * The CFO's views as tables of figures (./table.ts), worded here once for the Excel pane and the
 * Sheets sidebar: the fund summary and projection, the ranked proposals and the funding line, the
 * scenario comparison, budget vs actual vs forecast by fund and by site, and the per-site report of
 * an import by site. Pure: results of the core's operations in, texts out.
 */
import type { ActualsReport, GroupActuals, LineActuals } from '../actuals';
import type { LineForecast } from '../actuals/forecast';
import { formatCents, type Cents } from '../money';
import type { FundingLine } from '../proposals';
import type { FundJson } from '../rollup/funds';
import { formatPercent } from '../rollup/funds';
import type { FundViewRow, FundViewYear } from '../rollup/fund-view';
import { viewRow, type CellInput, type ViewCell, type ViewTable } from './table';

const money = (c: Cents): string => formatCents(c);
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

// ---- fund summary and projection -------------------------------------------------------------

type FundColumn = readonly [string, (r: FundViewRow) => string];

const SUMMARY_COLUMNS: readonly FundColumn[] = [
  ['Revenues', (r) => r.revenues],
  ['Expenditures', (r) => r.expenditures],
  ['Other sources', (r) => r.otherSources],
  ['Other uses', (r) => r.otherUses],
  ['Net change', (r) => r.netChange],
  ['Beginning balance', (r) => r.beginningBalance],
  ['Ending balance', (r) => r.endingBalance],
  ['Reserve', (r) => r.reserve],
  ['Policy', (r) => r.policy],
];

const YEAR_COLUMNS: readonly FundColumn[] = [
  ['Revenues', (r) => r.revenues],
  ['Expenditures', (r) => r.expenditures],
  ['Ending balance', (r) => r.endingBalance],
  ['Reserve', (r) => r.reserve],
];

const warningsCell = (warnings: readonly string[]): CellInput =>
  warnings.length ? { text: warnings.join('; '), flag: 'warning' } : 'None';

/** The fund summary of a consolidation (fundView's rows): one row per fund, then all funds. */
export function fundSummaryView(rows: readonly FundViewRow[]): ViewTable {
  return {
    caption: 'Fund summary (budget year)',
    columns: ['Fund', ...SUMMARY_COLUMNS.map(([h]) => h), 'Warnings'],
    numeric: SUMMARY_COLUMNS.map((_, i) => i + 1).slice(0, 8),
    rowHeader: 0,
    rows: rows.map((r) =>
      viewRow(r.fund, [r.label, ...SUMMARY_COLUMNS.map(([, v]) => v(r)), warningsCell(r.warnings)]),
    ),
  };
}

/** The three-year projection (projectionView's years): one row per fund and year. */
export function projectionViewTable(years: readonly FundViewYear[]): ViewTable {
  return {
    caption: 'Three-year projection',
    columns: ['Year', 'Fund', ...YEAR_COLUMNS.map(([h]) => h), 'Warnings'],
    numeric: [2, 3, 4, 5],
    rowHeader: 1,
    rows: years.flatMap((y) =>
      y.rows.map((r) =>
        viewRow(`${y.label} ${r.fund}`, [
          y.label,
          r.label,
          ...YEAR_COLUMNS.map(([, v]) => v(r)),
          warningsCell(r.warnings),
        ]),
      ),
    ),
  };
}

// ---- proposals ---------------------------------------------------------------------------------

/** What the proposals view needs of each proposal (ProposalView, as core/operations/proposals gives it). */
export interface ProposalInput {
  readonly id: string;
  readonly title: string;
  readonly owner: string;
  readonly type: 'addition' | 'reduction';
  readonly category: string;
  readonly amountsCents: readonly [Cents, Cents, Cents];
  readonly fte: number;
  readonly status: string;
  readonly reason: string;
  readonly score: number | null;
  readonly rank?: number;
  readonly reviewers: number;
  readonly community: {
    readonly support: number;
    readonly oppose: number;
    readonly summaries: readonly string[];
  };
  readonly funding: 'above' | 'below' | 'unranked';
  /** Why it is where it is against the funding line, in words (core/proposals/rank.ts). */
  readonly fundingReason?: string;
}

export interface ProposalsBoard {
  readonly table: ViewTable;
  /** The funding line in a sentence: the money available, what the proposals above it cost, what is left. */
  readonly fundingLine: string;
  /** The proposals a decision may name, as "ID — title". */
  readonly choices: readonly { readonly id: string; readonly label: string }[];
}

const capital = (s: string): string => (s ? `${s[0]?.toUpperCase()}${s.slice(1)}` : s);

function communityText(c: ProposalInput['community']): string {
  if (c.support === 0 && c.oppose === 0 && c.summaries.length === 0) return 'None recorded';
  return [`${c.support} for, ${c.oppose} against`, ...c.summaries].join('; ');
}

function fundingCell(p: ProposalInput): CellInput {
  const why = p.fundingReason ? ` — ${p.fundingReason}` : '';
  if (p.funding === 'above') return { text: `Above the line${why}`, flag: 'ok' };
  if (p.funding === 'below') return `Below the line${why}`;
  return p.fundingReason ? capital(p.fundingReason) : 'Not ranked';
}

/**
 * The ranked proposals: rank, ID, title, owner, type, category, weighted score, community input,
 * cost per year (a reduction's saving is negative), status with the decision's reason, and where
 * each falls against the funding line.
 */
export function proposalsBoard(
  proposals: readonly ProposalInput[],
  funding: FundingLine | undefined,
  fiscalYear: number | undefined,
): ProposalsBoard {
  const fy = (k: number): string => (fiscalYear === undefined ? `Year ${k + 1}` : `FY${fiscalYear + k}`);
  const cost = (p: ProposalInput, k: 0 | 1 | 2): string =>
    money(p.type === 'reduction' ? -p.amountsCents[k] : p.amountsCents[k]);
  const table: ViewTable = {
    caption: `Proposals in rank order (${plural(proposals.length, 'proposal')})`,
    columns: [
      'Rank',
      'ID',
      'Title',
      'Owner',
      'Type',
      'Category',
      'Score',
      'Community input',
      `Cost ${fy(0)}`,
      `Cost ${fy(1)}`,
      `Cost ${fy(2)}`,
      'FTE',
      'Status',
      'Funding line',
    ],
    numeric: [0, 6, 8, 9, 10, 11],
    rowHeader: 1,
    rows: proposals.map((p) =>
      viewRow(p.id, [
        p.rank === undefined ? '—' : String(p.rank),
        p.id,
        p.title,
        p.owner,
        capital(p.type),
        p.category || '—',
        p.score === null ? 'Not scored' : `${p.score.toFixed(2)} (${plural(p.reviewers, 'reviewer')})`,
        communityText(p.community),
        cost(p, 0),
        cost(p, 1),
        cost(p, 2),
        p.fte ? p.fte.toFixed(3) : '0',
        p.reason ? `${capital(p.status)}: ${p.reason}` : capital(p.status),
        fundingCell(p),
      ]),
    ),
  };
  const fundingLine = funding
    ? `Funding line: ${money(funding.availableCents)} available (the lowest margin above the reserve minimum, ${fy(0)}–${fy(2)}). ${plural(funding.fits.length, 'proposal')} above the line cost ${money(funding.costCents)} in ${fy(0)} and leave ${money(funding.leftCents)} at the tightest; ${plural(funding.below.length, 'proposal')} below it.`
    : 'No funding line: the fund summary cannot be computed (see the findings).';
  return {
    table,
    fundingLine,
    choices: proposals.map((p) => ({ id: p.id, label: p.title ? `${p.id} — ${p.title}` : p.id })),
  };
}

// ---- scenarios ---------------------------------------------------------------------------------

interface ScenarioFundInput extends FundJson {
  readonly fte: number;
  readonly perPupilCents: number | null;
}

/** What the comparison needs of each scenario (ScenarioJson). */
export interface ScenarioInput {
  readonly name: string;
  readonly proposals: readonly string[];
  readonly years: readonly {
    readonly fiscalYear: number;
    readonly enrollment: number;
    readonly funds: readonly ScenarioFundInput[];
    readonly district: ScenarioFundInput;
  }[];
}

const MEASURES: readonly (readonly [string, (f: ScenarioFundInput) => CellInput])[] = [
  ['Revenues', (f) => money(f.revenuesCents)],
  ['Expenditures', (f) => money(f.expendituresCents)],
  [
    'Ending balance',
    (f) =>
      f.endingBalanceCents < 0
        ? { text: `${money(f.endingBalanceCents)} (negative)`, flag: 'warning' }
        : money(f.endingBalanceCents),
  ],
  ['Reserve', (f) => (f.reservePercent === null ? '—' : formatPercent(f.reservePercent))],
  ['FTE', (f) => f.fte.toFixed(3)],
  ['Per pupil', (f) => (f.perPupilCents === null ? '—' : money(f.perPupilCents))],
];

/**
 * The scenarios side by side: one table per fund (and one for all funds), a row per year and
 * measure (revenues, expenditures, ending balance, reserve %, FTE, per-pupil spending), a column
 * per scenario, the base first.
 */
export function scenarioTables(scenarios: readonly ScenarioInput[]): ViewTable[] {
  const first = scenarios[0];
  if (!first) return [];
  const funds: { code: string; label: string }[] = [
    ...(first.years[0]?.funds ?? []).map((f) => ({
      code: f.fund,
      label: `${f.fund}${f.name ? ` ${f.name}` : ''}`,
    })),
    { code: 'District', label: 'All funds' },
  ];
  const pick = (s: ScenarioInput, year: number, fund: string): ScenarioFundInput | undefined => {
    const y = s.years[year];
    return fund === 'District' ? y?.district : y?.funds.find((f) => f.fund === fund);
  };
  return funds.map(({ code, label }) => ({
    caption: `${label}: scenarios compared, FY${first.years[0]?.fiscalYear ?? ''}–FY${first.years[first.years.length - 1]?.fiscalYear ?? ''}`,
    columns: [
      'Year and measure',
      ...scenarios.map((s) => (s.proposals.length ? `${s.name} (${s.proposals.join(', ')})` : s.name)),
    ],
    numeric: scenarios.map((_, i) => i + 1),
    rowHeader: 0,
    rows: first.years.flatMap((y, k) =>
      MEASURES.map(([measure, value]) =>
        viewRow(`${code} FY${y.fiscalYear} ${measure}`, [
          `FY${y.fiscalYear} ${measure === 'FTE' ? measure : measure.toLowerCase()}`,
          ...scenarios.map((s): CellInput => {
            const f = pick(s, k, code);
            return f ? value(f) : '—';
          }),
        ]),
      ),
    ),
  }));
}

// ---- budget vs actual vs forecast --------------------------------------------------------------

export interface ActualsBoard {
  /** "Actuals as of 2027-03-31; forecast of FY2027 …". */
  readonly asOf: string;
  readonly byFund: ViewTable;
  readonly bySite: ViewTable;
  /** Lines over budget, with actuals and no budget, refunds, or forecast over budget. */
  readonly flagged: ViewTable;
  /** The forecast's estimated ending balance per fund (the budget year's beginning), when there is one. */
  readonly balances?: ViewTable;
}

const AMOUNT_HEADS = [
  'Budget',
  'Actual',
  'Encumbered',
  'Remaining',
  'Forecast',
  'Forecast variance',
  'Flags',
] as const;

const METHOD_ORDER = ['straight-line', 'seasonal', 'encumbrance only', 'typed'] as const;

/**
 * How a total's forecast was made, in words: its lines per method, and how many of them had no
 * actuals yet and were forecast at their budget ("4 lines: 3 straight-line (1 with no actuals yet, at
 * its budget), 1 seasonal").
 */
export function forecastTally(lines: readonly LineForecast[]): string {
  if (!lines.length) return 'No lines';
  const parts = METHOD_ORDER.flatMap((m) => {
    const of = lines.filter((l) => l.method === m);
    if (!of.length) return [];
    const atBudget = of.filter((l) => l.basis.atBudget).length;
    const note = atBudget
      ? ` (${atBudget} with no actuals yet, at ${atBudget === 1 ? 'its' : 'their'} budget)`
      : '';
    return [`${of.length} ${m}${note}`];
  });
  return `${plural(lines.length, 'line')}: ${parts.join(', ')}`;
}

function groupCells(g: GroupActuals, forecastCents: Cents | undefined): CellInput[] {
  const flags: string[] = [];
  if (g.remainingCents < 0) flags.push(`Over budget by ${money(-g.remainingCents)}`);
  const variance = forecastCents === undefined ? undefined : g.budgetCents - forecastCents;
  if (variance !== undefined && variance < 0) flags.push(`Forecast over budget by ${money(-variance)}`);
  return [
    money(g.budgetCents),
    money(g.actualCents),
    money(g.encumberedCents),
    money(g.remainingCents),
    forecastCents === undefined ? '—' : money(forecastCents),
    variance === undefined ? '—' : money(variance),
    flags.length ? { text: flags.join('; '), flag: 'warning' } : 'None',
  ];
}

function lineFlags(l: LineActuals, f: LineForecast | undefined): ViewCell {
  const words: string[] = [];
  if (l.flags.includes('over budget'))
    words.push(`Over budget by ${money(l.actualCents + l.encumberedCents - l.budgetCents)}`);
  if (l.flags.includes('no budget')) words.push('Actuals with no budget');
  if (f && f.varianceCents < 0) words.push(`Forecast over budget by ${money(-f.varianceCents)}`);
  const refund = l.flags.includes('refund') ? 'Refund (negative actual, kept as posted)' : '';
  if (words.length) return { text: [...words, ...(refund ? [refund] : [])].join('; '), flag: 'warning' };
  return { text: refund || 'None' };
}

/**
 * Budget vs actual vs encumbered vs remaining, with the forecast (actual + encumbered + the estimated
 * remainder) and its variance, per fund and per site, and the lines that carry a flag, each flag in
 * words. `forecast` is absent when the forecast cannot be made (its findings say why).
 */
export function actualsBoard(
  report: ActualsReport,
  siteNames: Readonly<Record<string, string>>,
  forecast?: {
    readonly lines: readonly LineForecast[];
    readonly funds?: readonly FundJson[];
    readonly district?: FundJson;
    readonly fiscalYear?: number;
  },
): ActualsBoard {
  const group = (key: (l: LineForecast) => string): Map<string, LineForecast[]> => {
    const m = new Map<string, LineForecast[]>();
    for (const l of forecast?.lines ?? []) m.set(key(l), [...(m.get(key(l)) ?? []), l]);
    return m;
  };
  const byFund = group((l) => l.fund);
  const bySite = group((l) => l.site);
  const totalOf = (lines: readonly LineForecast[]): Cents => lines.reduce((n, l) => n + l.forecastCents, 0);
  const fundName = (code: string): string => {
    const name = forecast?.funds?.find((f) => f.fund === code)?.name;
    return name ? `${code} ${name}` : code || '(no fund)';
  };
  const lineForecast = new Map((forecast?.lines ?? []).map((l) => [`${l.site}\u0000${l.account}`, l]));
  const flaggedLines = report.lines.filter((l) => {
    const f = lineForecast.get(`${l.site}\u0000${l.account}`);
    return l.flags.length > 0 || (f !== undefined && f.varianceCents < 0);
  });
  const table = (
    caption: string,
    head: string,
    groups: readonly GroupActuals[],
    label: (key: string) => string,
    f: Map<string, LineForecast[]>,
  ): ViewTable => {
    const cellsOf = (g: GroupActuals, lines: readonly LineForecast[]): CellInput[] => [
      ...groupCells(g, forecast ? totalOf(lines) : undefined),
      forecast ? forecastTally(lines) : 'No forecast',
    ];
    return {
      caption,
      columns: [head, ...AMOUNT_HEADS, 'How forecast'],
      numeric: [1, 2, 3, 4, 5, 6],
      rowHeader: 0,
      rows: [
        ...groups.map((g) => viewRow(g.key, [label(g.key), ...cellsOf(g, f.get(g.key) ?? [])])),
        viewRow('District', ['All', ...cellsOf(report.district, forecast?.lines ?? [])]),
      ],
    };
  };
  const balances: ViewTable | undefined =
    forecast?.funds && forecast.district
      ? {
          caption: `Estimated ending fund balances${forecast.fiscalYear !== undefined ? ` (FY${forecast.fiscalYear + 1}'s beginning balances)` : ''}`,
          columns: [
            'Fund',
            'Beginning balance',
            'Revenues (budgeted)',
            'Expenditures (forecast)',
            'Estimated ending balance',
          ],
          numeric: [1, 2, 3, 4],
          rowHeader: 0,
          rows: [...forecast.funds, forecast.district].map((f) =>
            viewRow(f.fund, [
              f.fund === 'District' ? 'All funds' : `${f.fund}${f.name ? ` ${f.name}` : ''}`,
              money(f.beginningBalanceCents),
              money(f.revenuesCents + f.otherSourcesCents),
              money(f.expendituresCents + f.otherUsesCents),
              f.endingBalanceCents < 0
                ? { text: `${money(f.endingBalanceCents)} (negative)`, flag: 'warning' }
                : money(f.endingBalanceCents),
            ]),
          ),
        }
      : undefined;
  return {
    asOf: `Actuals as of ${report.asOf || 'an unknown date'}${forecast ? `; forecast to the end of ${forecast.fiscalYear !== undefined ? `FY${forecast.fiscalYear}` : 'the year'}` : '; no forecast'}.`,
    byFund: table('Budget vs actual vs forecast by fund', 'Fund', report.funds, fundName, byFund),
    bySite: table(
      'Budget vs actual vs forecast by site',
      'Site',
      report.sites,
      (code) => (siteNames[code] ? `${siteNames[code]} (${code})` : code),
      bySite,
    ),
    flagged: {
      caption: `Flagged lines (${plural(flaggedLines.length, 'line')})`,
      columns: ['Site', 'Account', ...AMOUNT_HEADS.slice(0, 5), 'Flags'],
      numeric: [2, 3, 4, 5, 6],
      rowHeader: 1,
      rows: flaggedLines.map((l) => {
        const f = lineForecast.get(`${l.site}\u0000${l.account}`);
        return viewRow(`${l.site} ${l.account}`, [
          l.site,
          l.account,
          money(l.budgetCents),
          money(l.actualCents),
          money(l.encumberedCents),
          money(l.remainingCents),
          f ? money(f.forecastCents) : '—',
          lineFlags(l, f),
        ]);
      }),
    },
    ...(balances ? { balances } : {}),
  };
}

// ---- import by site ----------------------------------------------------------------------------

/** The per-site report of an import by site (ImportBySiteResult's sites). */
export function importReportTable(
  sites: readonly {
    readonly code: string;
    readonly sheet: string;
    readonly imported: number;
    readonly appended: boolean;
  }[],
  lines: number,
): ViewTable {
  return {
    caption: `Imported by site: ${plural(lines, 'line')} into ${plural(sites.length, 'site')}`,
    columns: ['Site', 'Sheet', 'Lines', 'How'],
    numeric: [2],
    rowHeader: 0,
    rows: sites.map((s) =>
      viewRow(s.code, [
        s.code,
        s.sheet,
        String(s.imported),
        s.appended ? 'Added after the lines there' : 'Replacing its lines',
      ]),
    ),
  };
}
