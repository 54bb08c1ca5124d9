/**
 * Every figure after adoption is the final budget's (h26): projection, scenarios, forecast and the
 * board report's projection page use the same final budget as consolidate (core/operations/final.ts),
 * so their budget year equals the Master Budget's fund summary to the cent after an amendment.
 */
import {
  actualsReport,
  boardReport,
  forecast,
  operations,
  projection,
  scenarios,
  SHEETS,
  type CellValue,
  type FundJson,
} from '../../../core';
import { amendmentsGrid, approvedDistrict, PEOPLE, type Book } from '../../fixtures/board';

const ADOPT = { date: '2026-06-18', resolution: '2026-14' };
/** Adds $750.00 to fund 100's expenditures at site 001 (not a move: the fund's total changes). */
const ADD: CellValue[] = [
  'A-1',
  '001',
  '100-1000-610-100-001; 100-1000-640-100-001',
  '500.00; 250.00',
  'Reading program materials',
  '',
  '',
  PEOPLE.builder,
];

/** Both sites approved, with Revenues, Fund Balances, Scenarios and Actuals, then adopted. */
function adopted(): Book {
  const book = approvedDistrict(operations);
  book.setSheet(SHEETS.revenues, [
    ['Fund', 'Source', 'Basis', 'Rate', 'Estimate'],
    ['100', '1100', 'typed', null, 200_000],
  ]);
  book.setSheet(SHEETS.fundBalances, [
    ['Fund', 'Name', 'Beginning balance'],
    ['100', 'General Fund', 300_000],
  ]);
  book.setSheet(SHEETS.scenarios, [
    ['Scenario', 'Change', 'Fund', 'Applies to', 'Value'],
    ['Lean', 'Enrollment change', null, null, '-2%'],
  ]);
  book.setSheet(SHEETS.actuals, [
    ['Site', 'Account', 'Actual', 'Encumbered', 'As of'],
    ['001', '100-1000-610-100-001', 3000, 900, '2027-03-31'],
    ['002', '100-2220-640-100-001', 400, 0, '2027-03-31'],
  ]);
  expect(book.run(operations.adopt, ADOPT, PEOPLE.cfo).ok).toBe(true);
  return book;
}

function amend(book: Book): void {
  book.setSheet(SHEETS.amendments, amendmentsGrid([ADD]));
  const a = book.run(
    operations.amend,
    { step: 'approve', id: 'A-1', resolution: '2026-41' },
    PEOPLE.approver,
  );
  expect(a.diagnostics.map((d) => d.message)).toEqual([]);
  expect(book.run(operations.amend, { step: 'apply', id: 'A-1' }, PEOPLE.cfo).ok).toBe(true);
}

const FIGURES = [
  'fund',
  'revenuesCents',
  'expendituresCents',
  'otherSourcesCents',
  'otherUsesCents',
  'netChangeCents',
  'beginningBalanceCents',
  'endingBalanceCents',
] as const;
const figures = (f: Pick<FundJson, (typeof FIGURES)[number]>): Record<string, unknown> =>
  Object.fromEntries(FIGURES.map((k) => [k, f[k]]));

/** The Master Budget's fund summary (consolidate), per fund then the district. */
function master(book: Book): Record<string, unknown>[] {
  const c = book.run(operations.consolidate, { unapproved: 'exclude' }, PEOPLE.cfo);
  expect(c.ok).toBe(true);
  expect(c.funds?.length).toBeGreaterThan(0);
  return [...(c.funds ?? []), ...(c.district ? [c.district] : [])].map(figures);
}

/** Each view's budget year, per fund then the district. */
function views(book: Book): Record<string, Record<string, unknown>[]> {
  const p = book.run(projection, { unapproved: 'exclude' }, PEOPLE.cfo);
  expect(p.diagnostics.filter((d) => d.severity === 'fatal')).toEqual([]);
  const s = book.run(scenarios, { unapproved: 'exclude' }, PEOPLE.cfo);
  expect(s.ok).toBe(true);
  const base = s.scenarios?.find((x) => x.name === 'Base')?.years[0];
  const r = book.run(boardReport, { unapproved: 'exclude' }, PEOPLE.cfo);
  expect(r.ok).toBe(true);
  const y = (x: { funds: readonly FundJson[]; district: FundJson } | undefined) =>
    x ? [...x.funds, x.district].map(figures) : [];
  return {
    projection: y(p.years?.[0]),
    scenarios: y(base),
    'board report (projection page)': y(r.report?.projection[0]),
    'board report (funds page)': r.report ? [...r.report.funds, r.report.district].map(figures) : [],
  };
}

/** The forecast's budget per account (the budget each line is forecast against). */
function forecastBudget(book: Book): Map<string, number> {
  const f = book.run(forecast, {}, PEOPLE.cfo);
  expect(f.ok).toBe(true);
  const out = new Map<string, number>();
  for (const l of f.lines ?? []) out.set(l.account, (out.get(l.account) ?? 0) + l.budgetCents);
  return out;
}

describe('after an amendment every figure is the final budget, the Master Budget’s', () => {
  it('projection, scenarios and the board report: the budget year equals the Master Budget’s fund summary to the cent', () => {
    const book = adopted();
    const before = master(book);
    for (const [, got] of Object.entries(views(book))) expect(got).toEqual(before);
    amend(book);
    const after = master(book);
    // The amendment is in the Master Budget: fund 100 spends $750.00 more.
    const exp = (rows: Record<string, unknown>[]) => rows.map((r) => r.expendituresCents as number);
    expect(exp(after).map((x, i) => x - (exp(before)[i] ?? 0))).toEqual([750_00, 750_00]);
    const got = views(book);
    expect(Object.keys(got)).toHaveLength(4);
    for (const [view, rows] of Object.entries(got)) expect({ view, rows }).toEqual({ view, rows: after });
  });

  it('projection and scenarios say which budget the budget year is', () => {
    const book = adopted();
    amend(book);
    const p = book.run(projection, { unapproved: 'exclude' }, PEOPLE.cfo);
    expect(p.budget?.kind).toBe('final');
    expect(p.summary).toContain('FINAL budget as of amendment A-1');
    const s = book.run(scenarios, { unapproved: 'exclude' }, PEOPLE.cfo);
    expect(s.budget?.asOf?.id).toBe('A-1');
  });

  it('forecast: each line is forecast against the final budget', () => {
    const book = adopted();
    const before = forecastBudget(book);
    amend(book);
    const after = forecastBudget(book);
    const f = book.run(forecast, {}, PEOPLE.cfo);
    expect(f.budget?.kind).toBe('final');
    expect(after.get('100-1000-610-100-001')).toBe((before.get('100-1000-610-100-001') ?? 0) + 500_00);
    expect(after.get('100-1000-640-100-001')).toBe((before.get('100-1000-640-100-001') ?? 0) + 250_00);
    // In all: the Master Budget's expenditures.
    const total = [...after.values()].reduce((n, x) => n + x, 0);
    const c = book.run(operations.consolidate, { unapproved: 'exclude' }, PEOPLE.cfo);
    expect(total).toBe(c.district?.expendituresCents);
  });

  it('actuals: budget vs actual is against the final budget', () => {
    const book = adopted();
    amend(book);
    const r = book.run(actualsReport, {}, PEOPLE.cfo);
    expect(r.ok).toBe(true);
    const site001 = (account: string) =>
      r.report?.lines.find((l) => l.site === '001' && l.account === account)?.budgetCents;
    // $3,500.00 adopted + $500.00; the new account $250.00.
    expect(site001('100-1000-610-100-001')).toBe(4000_00);
    expect(site001('100-1000-640-100-001')).toBe(250_00);
    const total = (r.report?.lines ?? []).reduce((n, l) => n + l.budgetCents, 0);
    const c = book.run(operations.consolidate, { unapproved: 'exclude' }, PEOPLE.cfo);
    expect(total).toBe(c.district?.expendituresCents);
  });

  it('an applied amendment changed since refuses projection, scenarios, forecast and actuals, naming the cell', () => {
    const book = adopted();
    amend(book);
    book.setCell(SHEETS.amendments, 'D2', '900.00; 250.00');
    for (const r of [
      book.run(projection, { unapproved: 'exclude' }, PEOPLE.cfo),
      book.run(scenarios, { unapproved: 'exclude' }, PEOPLE.cfo),
      book.run(forecast, {}, PEOPLE.cfo),
      book.run(actualsReport, {}, PEOPLE.cfo),
    ]) {
      expect(r.ok).toBe(false);
      expect(r.diagnostics.find((d) => d.code === 'BL662')?.cell).toBe('C2');
    }
  });
});

describe('roll-forward after an amendment', () => {
  it('next year begins at the final budget’s ending balance, and names the amendments its lines do not carry (BL865)', () => {
    const book = approvedDistrict(operations);
    book.setSheet(SHEETS.revenues, [
      ['Fund', 'Source', 'Basis', 'Rate', 'Estimate'],
      ['100', '1100', 'typed', null, 200_000],
    ]);
    book.setSheet(SHEETS.fundBalances, [
      ['Fund', 'Name', 'Beginning balance'],
      ['100', 'General Fund', 300_000],
    ]);
    expect(book.run(operations.adopt, ADOPT, PEOPLE.cfo).ok).toBe(true);
    const ending = (): number => master(book)[0]?.endingBalanceCents as number;
    const roll = () => book.run(operations.rollForward, {}, PEOPLE.cfo);
    const original = roll();
    expect(original.ok).toBe(true);
    expect(original.diagnostics.map((d) => d.code)).not.toContain('BL865');
    expect(original.beginningBalances?.[0]?.cents).toBe(ending());
    amend(book);
    const r = roll();
    expect(r.ok).toBe(true);
    // $750.00 more spent this year: next year begins $750.00 lower, as the Master Budget says.
    expect(r.beginningBalances?.[0]?.cents).toBe(ending());
    expect(r.beginningBalances?.[0]?.cents).toBe((original.beginningBalances?.[0]?.cents ?? 0) - 750_00);
    const bl865 = r.diagnostics.find((d) => d.code === 'BL865');
    expect(bl865?.message).toContain('A-1');
    expect(bl865?.severity).toBe('warning');
  });
});
