/**
 * The board report as sheets: one write batch that replaces Budgetline's report sheets ("Report –
 * Cover", "Report – Funds", …) with values in accounting formats (negatives in parentheses), native
 * charts over tables on those sheets, and print setup (orientation, fit to width, title rows, header
 * and footer with the district, the status and "Page x of y"). No other sheet is touched.
 */
import type { CellValue } from '../cells';
import type { Cents } from '../money';
import type { ChartSpec, PrintSetup, SheetWrite, WriteBatch } from '../port/types';
import type { BoardReport, CodeAmount, ReportFund } from './types';

/** The report sheets, in tab order (each name ≤ 31 characters and Excel-safe). */
export const REPORT_SHEETS = {
  cover: 'Report – Cover',
  funds: 'Report – Funds',
  projection: 'Report – Projection',
  expenditures: 'Report – Expenditures',
  sites: 'Report – Sites',
  staffing: 'Report – Staffing',
  prior: 'Report – Prior Year',
  proposals: 'Report – Proposals',
} as const;

/** Accounting formats: negatives in parentheses, zero aligned with the figures. */
export const REPORT_FORMAT = {
  money: '#,##0.00_);(#,##0.00)',
  percent: '0.00%_);(0.00%)',
  count: '#,##0_);(#,##0)',
  fte: '#,##0.000_);(#,##0.000)',
  text: '@',
} as const;

const { money: MONEY, percent: PCT, count: COUNT, fte: FTE, text: TEXT } = REPORT_FORMAT;

const dollars = (c: Cents): number => c / 100;
const fteOf = (t: number): number => t / 1000;
/** A reserve or change percentage (2 decimals, e.g. 12.5) as a fraction for a % format. */
const fraction = (p: number | null): number | null => (p === null ? null : Math.round(p * 100) / 10000);

/** "FY2027 (July 2026 – June 2027)". */
export function fiscalYearText(fy: number): string {
  return `FY${fy} (July ${fy - 1} – June ${fy})`;
}

/** A text cut into lines of at most `width` characters, at spaces. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** Stacks titled tables on one sheet, a blank row between them. */
class SheetBuilder {
  readonly writes: SheetWrite[] = [];
  row = 1;
  constructor(readonly sheet: string) {}

  title(lines: readonly string[]): this {
    this.writes.push({
      sheet: this.sheet,
      at: `A${this.row}`,
      values: lines.map((l) => [l]),
      header: true,
      ...(this.row === 1 ? { replace: true } : {}),
    });
    this.row += lines.length + 1;
    return this;
  }

  /** A table: its caption, a bold header and rows; returns the A1 range of header and rows. */
  table(
    caption: string | undefined,
    header: readonly string[],
    rows: readonly (readonly CellValue[])[],
    formats: readonly string[],
    column = 'A',
  ): string {
    if (caption) {
      this.writes.push({ sheet: this.sheet, at: `${column}${this.row}`, values: [[caption]], header: true });
      this.row++;
    }
    const first = this.row;
    // A total row (its first cell "Total" or "District") is bold, like the header.
    const lastRow = rows[rows.length - 1];
    const total = lastRow !== undefined && (lastRow[0] === 'Total' || lastRow[0] === 'District');
    const body = total ? rows.slice(0, -1) : rows;
    this.writes.push({
      sheet: this.sheet,
      at: `${column}${first}`,
      values: [[...header], ...body.map((r) => [...r])],
      header: true,
      columnFormats: formats,
    });
    if (total) {
      // Bold first (a header row takes no number format), then its number formats over it.
      const at = `${column}${first + rows.length}`;
      this.writes.push({ sheet: this.sheet, at, values: [[...lastRow]], header: true });
      this.writes.push({ sheet: this.sheet, at, values: [[...lastRow]], columnFormats: formats });
    }
    this.row += rows.length + 2;
    const last = String.fromCharCode(column.charCodeAt(0) + header.length - 1);
    return `${column}${first}:${last}${first + rows.length}`;
  }

  /** A two-column table whose rows each have their own number format (label, value). */
  rows(
    header: readonly [string, string],
    rows: readonly (readonly [readonly [string, CellValue], string])[],
  ): void {
    this.writes.push({ sheet: this.sheet, at: `A${this.row}`, values: [[...header]], header: true });
    rows.forEach(([values, format], i) =>
      this.writes.push({
        sheet: this.sheet,
        at: `A${this.row + 1 + i}`,
        values: [[...values]],
        columnFormats: [TEXT, format],
      }),
    );
    this.row += rows.length + 2;
  }

  /** Lines of text (notes), one per row. */
  notes(text: readonly string[]): void {
    if (!text.length) return;
    // Wrapped at about 90 characters: a long line would widen the printed page, not wrap.
    const lines = text.flatMap((t) => wrap(t, 90));
    this.writes.push({ sheet: this.sheet, at: `A${this.row}`, values: lines.map((l) => [l]) });
    this.row += lines.length + 1;
  }

  /** Leaves `rows` rows for a chart; returns its top-left cell. */
  space(rows: number): string {
    const at = `A${this.row}`;
    this.row += rows + 1;
    return at;
  }
}

function fundRow(label: string, name: string, f: ReportFund): CellValue[] {
  return [
    label,
    name,
    dollars(f.beginningBalanceCents),
    dollars(f.revenuesCents),
    dollars(f.otherSourcesCents),
    dollars(f.expendituresCents),
    dollars(f.otherUsesCents),
    dollars(f.netChangeCents),
    dollars(f.endingBalanceCents),
    fraction(f.reservePercent),
  ];
}

function codeTable(
  b: SheetBuilder,
  caption: string,
  label: string,
  rows: readonly CodeAmount[],
  total: Cents,
): void {
  const hasOriginal = rows.some((r) => r.originalCents !== undefined);
  const share = (c: Cents): number | null => (total === 0 ? null : Math.round((c / total) * 10000) / 10000);
  if (hasOriginal) {
    const orig = rows.reduce((n, r) => n + (r.originalCents ?? 0), 0);
    const fin = rows.reduce((n, r) => n + r.cents, 0);
    b.table(
      caption,
      ['Code', label, 'Original budget', 'Final budget', 'Variance', '% of total'],
      [
        ...rows.map((r) => [
          r.code,
          r.name,
          dollars(r.originalCents ?? 0),
          dollars(r.cents),
          dollars(r.cents - (r.originalCents ?? 0)),
          share(r.cents),
        ]),
        ['Total', '', dollars(orig), dollars(fin), dollars(fin - orig), share(fin)],
      ],
      [TEXT, TEXT, MONEY, MONEY, MONEY, PCT],
    );
    return;
  }
  const sum = rows.reduce((n, r) => n + r.cents, 0);
  b.table(
    caption,
    ['Code', label, 'Amount', '% of total'],
    [
      ...rows.map((r) => [r.code, r.name, dollars(r.cents), share(r.cents)]),
      ['Total', '', dollars(sum), share(sum)],
    ],
    [TEXT, TEXT, MONEY, PCT],
  );
}

/** The report sheets, their charts and print setup, as one write batch. */
export function reportBatch(r: BoardReport): WriteBatch {
  const { cover } = r;
  const subtitle = `${fiscalYearText(cover.fiscalYear)} · ${cover.statusText}`;
  const titled = (sheet: string, what: string): SheetBuilder =>
    new SheetBuilder(sheet).title([`${cover.district} — ${what}`, subtitle]);
  const builders: SheetBuilder[] = [];
  const charts: ChartSpec[] = [];
  const layout: Record<string, 'portrait' | 'landscape'> = {};

  // Cover: what the packet is, its status, the district's figures at a glance, and its contents.
  const c = new SheetBuilder(REPORT_SHEETS.cover).title([
    cover.district,
    `Budget for ${fiscalYearText(cover.fiscalYear)}`,
    `Status: ${cover.statusText}`,
  ]);
  const d = r.district;
  const pupils = r.sites.reduce((n, s) => n + s.enrollment, 0);
  const pupilSpending = r.sites.filter((s) => s.enrollment > 0).reduce((n, s) => n + s.expendituresCents, 0);
  c.table(
    'The budget at a glance (all funds)',
    ['Item', 'Amount'],
    [
      ['Beginning fund balance', dollars(d.beginningBalanceCents)],
      ['Revenues', dollars(d.revenuesCents)],
      ['Other financing sources', dollars(d.otherSourcesCents)],
      ['Expenditures', dollars(d.expendituresCents)],
      ['Other financing uses', dollars(d.otherUsesCents)],
      ['Net change in fund balance', dollars(d.netChangeCents)],
      ['Ending fund balance', dollars(d.endingBalanceCents)],
      ...(pupils > 0 ? [['Expenditures per pupil (sites)', Math.round(pupilSpending / pupils) / 100]] : []),
      ...(r.original
        ? [
            [
              `Original budget expenditures${r.original.adoptedOn ? ` (adopted ${r.original.adoptedOn})` : ''}`,
              dollars(r.original.expendituresCents),
            ],
            ['Final budget expenditures', dollars(d.expendituresCents)],
            ['Variance (final − original)', dollars(d.expendituresCents - r.original.expendituresCents)],
            ['Original budget revenues', dollars(r.original.revenuesCents)],
            ['Final budget revenues', dollars(d.revenuesCents)],
            ['Revenue variance (final − original)', dollars(d.revenuesCents - r.original.revenuesCents)],
          ]
        : []),
    ],
    [TEXT, MONEY],
  );
  c.rows(
    ['Measure', 'Value'],
    [
      [['Reserve (ending balance, % of expenditures)', fraction(d.reservePercent)], PCT],
      [['Enrollment (sites in this report)', pupils], COUNT],
      [['FTE (positions, expenditures)', fteOf(r.totals.fte)], FTE],
      [['Sites in this report', cover.sitesIncluded], COUNT],
    ],
  );
  const notApproved = cover.sitesNotApproved;
  c.notes(
    notApproved.length === 0
      ? ['Every site budget in this report is approved; the figures are exactly what was approved.']
      : cover.unapproved === 'exclude'
        ? [
            `Only approved site budgets are included. Not approved, left out (${notApproved.length}): ${notApproved.map((s) => `${s.name || s.code} (${s.state})`).join(', ')}.`,
          ]
        : [
            `Includes ${notApproved.length} site budget${notApproved.length === 1 ? '' : 's'} NOT YET APPROVED, marked in the Sites page: ${notApproved.map((s) => `${s.name || s.code} (${s.state})`).join(', ')}.`,
          ],
  );
  c.table(
    'Contents',
    ['Page', 'What it shows'],
    [
      [REPORT_SHEETS.funds, 'Fund summary: balances, revenues, expenditures, reserve; fund mix chart'],
      [REPORT_SHEETS.projection, 'Three-year projection by fund; fund balance chart'],
      [
        REPORT_SHEETS.expenditures,
        `Expenditures by ${r.functionLabel.toLowerCase()} and by ${r.objectLabel.toLowerCase()} class`,
      ],
      [REPORT_SHEETS.sites, 'Each site: enrollment, expenditures, per pupil; per-pupil chart'],
      [REPORT_SHEETS.staffing, 'FTE by job type'],
      [REPORT_SHEETS.prior, 'Prior year vs proposed, change in $ and %'],
      [REPORT_SHEETS.proposals, 'Accepted budget proposals with their cost'],
    ],
    [TEXT, TEXT],
  );
  c.notes([`Prepared ${cover.preparedAt.slice(0, 10)} by Budgetline from the district workbook.`]);
  builders.push(c);
  layout[c.sheet] = 'portrait';

  // Fund summary, and the fund mix (expenditures by fund).
  const f = titled(REPORT_SHEETS.funds, 'Fund summary');
  f.table(
    undefined,
    [
      'Fund',
      'Name',
      'Beginning balance',
      'Revenues',
      'Other sources',
      'Expenditures',
      'Other uses',
      'Net change',
      'Ending balance',
      'Reserve %',
    ],
    [...r.funds.map((x) => fundRow(x.fund, x.name, x)), fundRow('District', 'All funds', d)],
    [TEXT, TEXT, MONEY, MONEY, MONEY, MONEY, MONEY, MONEY, MONEY, PCT],
  );
  const mix = f.table(
    'Fund mix: expenditures by fund',
    ['Fund', 'Expenditures'],
    r.funds
      .filter((x) => x.expendituresCents > 0)
      .map((x) => [`${x.fund} ${x.name}`.trim(), dollars(x.expendituresCents)]),
    [TEXT, MONEY],
    'B',
  );
  if (r.funds.some((x) => x.expendituresCents > 0))
    charts.push({
      sheet: f.sheet,
      name: 'Fund mix',
      type: 'pie',
      title: 'Fund mix: expenditures by fund',
      data: mix,
      anchor: { at: f.space(20), columns: 7, rows: 20 },
    });
  if (r.original)
    codeTable(
      f,
      `Original vs final budget by fund (expenditures${r.original.adoptedOn ? `; original adopted ${r.original.adoptedOn}` : ''})`,
      'Fund name',
      r.byFund,
      d.expendituresCents,
    );
  if (r.original && r.revenuesByFund.length)
    codeTable(
      f,
      `Original vs final budget by fund (revenues${r.original.adoptedOn ? `; original adopted ${r.original.adoptedOn}` : ''})`,
      'Fund name',
      r.revenuesByFund,
      d.revenuesCents,
    );
  builders.push(f);
  layout[f.sheet] = 'landscape';

  // Three-year projection: the district by year, each fund's ending balance by year (and its chart).
  const p = titled(REPORT_SHEETS.projection, 'Three-year projection');
  const years = r.projection;
  const line = (label: string, pick: (x: ReportFund) => number | null, pct = false): CellValue[] => [
    label,
    ...years.map((y) => (pct ? fraction(pick(y.district)) : dollars(pick(y.district) ?? 0))),
  ];
  p.table(
    'District, all funds',
    ['', ...years.map((y) => `FY${y.fiscalYear}`)],
    [
      line('Beginning fund balance', (x) => x.beginningBalanceCents),
      line('Revenues', (x) => x.revenuesCents),
      line('Other financing sources', (x) => x.otherSourcesCents),
      line('Expenditures', (x) => x.expendituresCents),
      line('Other financing uses', (x) => x.otherUsesCents),
      line('Net change in fund balance', (x) => x.netChangeCents),
      line('Ending fund balance', (x) => x.endingBalanceCents),
    ],
    [TEXT, ...years.map(() => MONEY)],
  );
  p.table(
    undefined,
    ['Reserve', ...years.map((y) => `FY${y.fiscalYear}`)],
    [line('Ending balance, % of expenditures', (x) => x.reservePercent, true)],
    [TEXT, ...years.map(() => PCT)],
  );
  const funds = [...new Set(years.flatMap((y) => y.funds.map((x) => x.fund)))];
  const fundName = new Map(years.flatMap((y) => y.funds.map((x) => [x.fund, x.name] as const)));
  const balance = p.table(
    'Ending fund balance by fund',
    ['Fund', ...years.map((y) => `FY${y.fiscalYear}`)],
    funds.map((x) => [
      `${x} ${fundName.get(x) ?? ''}`.trim(),
      ...years.map((y) => dollars(y.funds.find((g) => g.fund === x)?.endingBalanceCents ?? 0)),
    ]),
    [TEXT, ...years.map(() => MONEY)],
  );
  if (funds.length)
    charts.push({
      sheet: p.sheet,
      name: 'Fund balance',
      type: 'column',
      title: 'Three-year ending fund balance by fund',
      data: balance,
      anchor: { at: p.space(20), columns: 8, rows: 20 },
    });
  builders.push(p);
  layout[p.sheet] = 'landscape';

  // Expenditures by function and by object class (original vs final vs variance when adopted).
  const e = titled(REPORT_SHEETS.expenditures, 'Expenditures');
  codeTable(
    e,
    `Expenditures by ${r.functionLabel.toLowerCase()}`,
    r.functionLabel,
    r.byFunction,
    d.expendituresCents,
  );
  codeTable(
    e,
    `Expenditures by ${r.objectLabel.toLowerCase()} class`,
    r.objectLabel,
    r.byObject,
    d.expendituresCents,
  );
  builders.push(e);
  layout[e.sheet] = 'portrait';

  // Sites: enrollment and per-pupil spending, and the per-pupil chart.
  const s = titled(REPORT_SHEETS.sites, 'Sites and per-pupil spending');
  const siteTotal = r.sites.reduce((n, x) => n + x.expendituresCents, 0);
  // The chart first, the table after it: a chart is never cut by a page break in the table.
  const chartRows = Math.min(48, Math.max(20, r.sites.length + 8));
  const chartAt = r.sites.length ? s.space(chartRows) : undefined;
  // Name and Per pupil side by side: the chart reads them from this table (its Total row left out).
  const siteTable = s.table(
    undefined,
    ['Site', 'Name', 'Per pupil', 'Enrollment', 'Expenditures', 'FTE', 'Status'],
    [
      ...r.sites.map((x) => [
        x.code,
        x.name || x.code,
        x.perPupilCents === null ? null : dollars(x.perPupilCents),
        x.enrollment,
        dollars(x.expendituresCents),
        fteOf(x.fte),
        x.state === 'approved' ? 'approved' : `NOT APPROVED (${x.state})`,
      ]),
      [
        'Total',
        'All sites',
        pupils > 0 ? Math.round(pupilSpending / pupils) / 100 : null,
        pupils,
        dollars(siteTotal),
        fteOf(r.sites.reduce((n, x) => n + x.fte, 0)),
        '',
      ],
    ],
    [TEXT, TEXT, MONEY, COUNT, MONEY, FTE, TEXT],
  );
  const headerRow = Number(/^A(\d+):/.exec(siteTable)?.[1]);
  if (chartAt)
    charts.push({
      sheet: s.sheet,
      name: 'Per pupil',
      type: 'bar',
      title: 'Expenditures per pupil by school',
      data: `B${headerRow}:C${headerRow + r.sites.length}`,
      anchor: { at: chartAt, columns: 7, rows: chartRows },
    });
  builders.push(s);
  layout[s.sheet] = 'portrait';

  // FTE by job type.
  const t = titled(REPORT_SHEETS.staffing, 'Staffing (FTE by job type)');
  t.table(
    undefined,
    ['Job type', 'Title', 'FTE', 'Salaries and benefits'],
    [
      ...r.fteByJob.map((j) => [j.job, j.title, fteOf(j.fte), dollars(j.cents)]),
      [
        'Total',
        '',
        fteOf(r.fteByJob.reduce((n, j) => n + j.fte, 0)),
        dollars(r.fteByJob.reduce((n, j) => n + j.cents, 0)),
      ],
    ],
    [TEXT, TEXT, FTE, MONEY],
  );
  builders.push(t);
  layout[t.sheet] = 'portrait';

  // Prior year vs proposed.
  const y = titled(REPORT_SHEETS.prior, 'Prior year vs proposed');
  y.table(
    undefined,
    ['Item', 'Prior year', 'Proposed', 'Change ($)', 'Change (%)'],
    r.comparison.rows.map((x) => [
      x.label,
      x.priorCents === null ? 'not available' : dollars(x.priorCents),
      dollars(x.proposedCents),
      x.changeCents === null ? null : dollars(x.changeCents),
      fraction(x.changePercent),
    ]),
    [TEXT, MONEY, MONEY, MONEY, PCT],
  );
  y.notes(r.comparison.notes);
  builders.push(y);
  layout[y.sheet] = 'portrait';

  // Accepted proposals.
  const q = titled(REPORT_SHEETS.proposals, 'Accepted budget proposals');
  if (r.proposals.length)
    q.table(
      undefined,
      ['ID', 'Title', 'Site', 'Type', 'Recurrence', 'Cost (budget year)'],
      [
        ...r.proposals.map((x) => [
          x.id,
          x.title,
          x.site || 'District-wide',
          x.type,
          x.recurrence,
          dollars(x.costCents),
        ]),
        ['Total', '', '', '', '', dollars(r.proposals.reduce((n, x) => n + x.costCents, 0))],
      ],
      [TEXT, TEXT, TEXT, TEXT, TEXT, MONEY],
    );
  else q.notes(['No proposal has been accepted.']);
  q.notes(['Cost: what each proposal adds to the budget year (a reduction is negative, in parentheses).']);
  builders.push(q);
  layout[q.sheet] = 'landscape';

  const print: PrintSetup[] = builders.map((b) => ({
    sheet: b.sheet,
    orientation: layout[b.sheet] ?? 'portrait',
    fitToWidth: true,
    titleRows: b.sheet === REPORT_SHEETS.cover ? '1:3' : '1:2',
    header: { left: cover.district, right: cover.statusText },
    footer: { left: `${fiscalYearText(cover.fiscalYear)} budget — {sheet}`, right: 'Page {page} of {pages}' },
  }));
  return { sheets: builders.flatMap((b) => b.writes), charts, print };
}
