/**
 * Consolidation: every site's lines rolled up into the district master budget.
 *
 * One pass over the lines accumulates, per site, a Map keyed by account string (cents, FTE) and
 * FTE by job type; everything else (segment totals, trees, site × fund, comparisons) works on the
 * distinct accounts, which are far fewer than the lines. Accounts are split into segments once
 * each. Nothing is thrown for bad data: lines of unknown sites and accounts that cannot be split
 * are reported and still counted where they can be, so the control totals always reconcile.
 */
import type { Validator } from '../accounts/api';
import { ACCOUNT_CLASSES, CLASS_LABELS, compileClasses, type Classifier } from '../accounts/classes';
import type { AccountClass } from '../accounts/types';
import type { BudgetState } from '../approval/workflow';
import type { LedgerLine } from '../approval/lines';
import type { CellValue } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { formatCents, type Cents } from '../money';
import { NUMBER_FORMAT, type ReportTable } from './table';

const { text: TEXT, money: MONEY, fte: FTE, count: COUNT } = NUMBER_FORMAT;
import { buildTree, type TreeNode } from './tree';

export interface SiteInfo {
  readonly site: string;
  readonly name?: string;
  readonly state: BudgetState;
  /** Pupils enrolled, for per-pupil amounts. */
  readonly enrollment?: number;
}

/** An account and amount, for the prior year and the adopted budget. */
export interface AmountLine {
  readonly account: string;
  readonly cents: Cents;
}

/** The adopted (original) budget, recorded once and never overwritten. */
export interface AdoptedBudget {
  /** ISO-8601 UTC time it was recorded. */
  readonly recordedAt: string;
  readonly lines: readonly AmountLine[];
}

export interface ConsolidateOptions {
  /** The compiled chart (only keys and split are needed; lookup and chart add descriptions and names). */
  readonly accounts: Pick<Validator, 'keys' | 'split'> & Partial<Pick<Validator, 'lookup' | 'chart'>>;
  /** The CFO's choice for sites not yet approved. */
  readonly unapproved: 'exclude' | 'include-marked';
  /** Segments whose codes form a hierarchy (default: the chart's `hierarchical`). */
  readonly hierarchical?: readonly string[];
  /** The segment of the site × fund matrix (default "fund"). */
  readonly fundSegment?: string;
  readonly priorYear?: readonly AmountLine[];
  readonly adopted?: AdoptedBudget;
  /** The total of the exported file (ExportResult.totalCents), for the third control total. */
  readonly exportedCents?: Cents;
}

/** One class's control total: the master budget against the sum of the sites, like with like. */
export interface ClassControl {
  /** The class, or "unclassified" for accounts no Classes row matches. */
  readonly class: AccountClass | 'unclassified';
  readonly label: string;
  readonly masterCents: Cents;
  readonly sitesCents: Cents;
}

export interface ControlTotals {
  /** Every line's amount: what the ERP export file carries, compared with `exportedCents`. */
  readonly masterCents: Cents;
  readonly sitesCents: Cents;
  readonly exportedCents?: Cents;
  /**
   * Per account class when the chart has classes (revenues with revenues, expenditures with
   * expenditures): the Control totals table shows these, never a sum across classes.
   */
  readonly byClass?: readonly ClassControl[];
  readonly agree: boolean;
}

export interface Consolidation {
  readonly tables: readonly ReportTable[];
  readonly control: ControlTotals;
  /** Sites not approved, sorted, whether excluded or included. */
  readonly unapprovedSites: readonly string[];
  /** District totals by account (cents, FTE in thousandths), for exports and adoption. */
  readonly byAccount: ReadonlyMap<string, { readonly cents: Cents; readonly fte: number }>;
  /** Trees per segment key (of expenditures only when the chart has account classes). */
  readonly trees: ReadonlyMap<string, readonly TreeNode[]>;
  readonly diagnostics: readonly Diagnostic[];
}

interface Acc {
  cents: number;
  fte: number;
}

interface SiteAcc {
  readonly info: SiteInfo;
  readonly included: boolean;
  readonly accounts: Map<string, Acc>;
  cents: number;
  lines: number;
}

export const INVALID_ACCOUNT = '(invalid account)';

const dollars = (c: Cents): number => c / 100;
const ftes = (t: number): number => t / 1000;

function checkedSum(n: number, what: string): number {
  if (!Number.isSafeInteger(n)) throw new RangeError(`consolidate: ${what} exceeds exact integer range`);
  return n;
}

/** What the one pass over the lines gathers: every site's accounts and FTE by job type. */
interface Gathered {
  readonly included: SiteAcc[];
  readonly unapprovedSites: string[];
  readonly jobFte: Map<string, Acc>;
}

function newSiteAcc(info: SiteInfo, included: boolean): SiteAcc {
  return { info, included, accounts: new Map(), cents: 0, lines: 0 };
}

function addTo(m: Map<string, Acc>, key: string, cents: number, fte: number): void {
  const a = m.get(key);
  if (a === undefined) m.set(key, { cents, fte });
  else {
    a.cents += cents;
    a.fte += fte;
  }
}

/** The one pass over the lines: per site, cents and FTE by account; FTE by job type. */
function gather(
  lines: readonly LedgerLine[],
  sites: readonly SiteInfo[],
  includeUnapproved: boolean,
  diagnostics: Diagnostic[],
): Gathered {
  const siteMap = new Map<string, SiteAcc>();
  for (const info of sites)
    siteMap.set(info.site, newSiteAcc(info, info.state === 'approved' || includeUnapproved));
  const unknownSites = new Map<string, SiteAcc>();
  const jobFte = new Map<string, Acc>();
  let curName: string | undefined;
  let cur: SiteAcc | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as LedgerLine;
    if (l.site !== curName) {
      curName = l.site;
      cur = siteMap.get(curName) ?? unknownSites.get(curName);
      if (cur === undefined) {
        cur = newSiteAcc({ site: curName, state: 'draft' }, true);
        unknownSites.set(curName, cur);
        diagnostics.push(
          diag('BL714', { site: curName }, { ...(l.sheet !== undefined ? { sheet: l.sheet } : {}) }),
        );
      }
    }
    const s = cur as SiteAcc;
    if (!s.included) continue;
    const fte = l.fte ?? 0;
    addTo(s.accounts, l.account, l.cents, fte);
    s.cents += l.cents;
    s.lines++;
    if (l.jobType !== undefined && fte !== 0) addTo(jobFte, l.jobType, l.cents, fte);
  }
  const unapprovedSites = sites
    .filter((s) => s.state !== 'approved')
    .map((s) => s.site)
    .sort();
  if (unapprovedSites.length)
    diagnostics.push(
      diag(includeUnapproved ? 'BL713' : 'BL712', {
        sites: unapprovedSites,
      }),
    );
  const included = [...siteMap.values(), ...unknownSites.values()].filter((s) => s.included);
  return { included, unapprovedSites, jobFte };
}

/** District totals by account and by each segment's own code; accounts split once each. */
interface DistrictTotals {
  readonly byAccount: Map<string, Acc>;
  /** Each distinct account's segment codes, or undefined when it cannot be split. */
  readonly split: Map<string, readonly string[] | undefined>;
  /** Per segment (chart order): totals by the segment's code. */
  readonly own: Map<string, Acc>[];
  readonly masterCents: number;
  readonly sitesCents: number;
}

function districtTotals(
  included: readonly SiteAcc[],
  accounts: ConsolidateOptions['accounts'],
  diagnostics: Diagnostic[],
): DistrictTotals {
  const keys = accounts.keys;
  const byAccount = new Map<string, Acc>();
  let sitesCents = 0;
  for (const s of included) {
    sitesCents += s.cents;
    for (const [acct, a] of s.accounts) addTo(byAccount, acct, a.cents, a.fte);
  }
  checkedSum(sitesCents, 'sum of sites');
  const split = new Map<string, readonly string[] | undefined>();
  const own = keys.map(() => new Map<string, Acc>());
  let masterCents = 0;
  for (const [acct, a] of byAccount) {
    masterCents += a.cents;
    const got = accounts.split(acct);
    const segs = got && got.length === keys.length ? got : undefined;
    split.set(acct, segs);
    for (let k = 0; k < keys.length; k++)
      addTo(own[k] as Map<string, Acc>, segs ? (segs[k] as string) : INVALID_ACCOUNT, a.cents, a.fte);
  }
  checkedSum(masterCents, 'master total');
  for (const [acct, v] of split) {
    if (v !== undefined) continue;
    let count = 0;
    for (const s of included) if (s.accounts.has(acct)) count++;
    diagnostics.push(diag('BL715', { account: acct, lines: count }));
  }
  return { byAccount, split, own, masterCents, sitesCents };
}

/** Master and sites totals per account class, each distinct account classified once. */
function classControls(
  included: readonly SiteAcc[],
  totals: DistrictTotals,
  classes: Classifier,
): ClassControl[] {
  const classOf = new Map<string, AccountClass | 'unclassified'>();
  for (const [acct, segs] of totals.split)
    classOf.set(acct, (segs && classes.classify(segs)) ?? 'unclassified');
  const master = new Map<string, number>();
  const sites = new Map<string, number>();
  for (const [acct, a] of totals.byAccount) {
    const c = classOf.get(acct) as string;
    master.set(c, (master.get(c) ?? 0) + a.cents);
  }
  for (const s of included)
    for (const [acct, a] of s.accounts) {
      const c = classOf.get(acct) as string;
      sites.set(c, (sites.get(c) ?? 0) + a.cents);
    }
  return [...ACCOUNT_CLASSES, 'unclassified' as const]
    .filter((c) => master.has(c) || sites.has(c))
    .map((c) => ({
      class: c,
      label: c === 'unclassified' ? 'Not classified' : CLASS_LABELS[c],
      masterCents: master.get(c) ?? 0,
      sitesCents: sites.get(c) ?? 0,
    }));
}

function controlTotals(
  masterCents: number,
  sitesCents: number,
  exportedCents: Cents | undefined,
  byClass: readonly ClassControl[] | undefined,
  diagnostics: Diagnostic[],
): ControlTotals {
  const agree =
    masterCents === sitesCents &&
    (exportedCents === undefined || exportedCents === masterCents) &&
    (byClass ?? []).every((c) => c.masterCents === c.sitesCents);
  if (!agree)
    diagnostics.push(
      diag('BL711', {
        master: formatCents(masterCents),
        sites: formatCents(sitesCents),
        exported: exportedCents === undefined ? 'not given' : formatCents(exportedCents),
      }),
    );
  return {
    masterCents,
    sitesCents,
    ...(exportedCents !== undefined ? { exportedCents } : {}),
    ...(byClass ? { byClass } : {}),
    agree,
  };
}

function controlTable(control: ControlTotals): ReportTable {
  if (control.byClass) {
    const rows: CellValue[][] = control.byClass.map((c) => [
      c.label,
      dollars(c.masterCents),
      dollars(c.sitesCents),
      c.masterCents === c.sitesCents ? 'agree' : 'DISAGREE',
    ]);
    if (control.exportedCents !== undefined)
      rows.push([
        'Exported file (its lines as they are)',
        dollars(control.masterCents),
        dollars(control.exportedCents),
        control.masterCents === control.exportedCents ? 'agree' : 'DISAGREE',
      ]);
    rows.push(['Result', null, null, control.agree ? 'Totals agree' : 'TOTALS DISAGREE']);
    return {
      name: 'Control totals',
      header: ['Class', 'Master budget', 'Sum of sites', 'Check'],
      rows,
      formats: [TEXT, MONEY, MONEY, TEXT],
    };
  }
  return {
    name: 'Control totals',
    header: ['Check', 'Amount'],
    rows: [
      ['Master budget total', dollars(control.masterCents)],
      ['Sum of site totals', dollars(control.sitesCents)],
      ['Exported lines total', control.exportedCents === undefined ? null : dollars(control.exportedCents)],
      ['Result', control.agree ? 'Totals agree' : 'TOTALS DISAGREE'],
    ],
    formats: [TEXT, MONEY],
  };
}

function unapprovedTable(sites: readonly SiteInfo[], includeUnapproved: boolean): ReportTable {
  return {
    name: 'Unapproved sites',
    header: ['Site', 'Name', 'Status', 'Treatment'],
    rows: sites
      .filter((s) => s.state !== 'approved')
      .sort((a, b) => (a.site < b.site ? -1 : 1))
      .map((s) => [
        s.site,
        s.name ?? '',
        s.state,
        includeUnapproved ? 'included, marked unapproved' : 'left out',
      ]),
    formats: [TEXT, TEXT, TEXT, TEXT],
  };
}

/** A segment's display name ("Object"), or its key. */
function segmentName(accounts: ConsolidateOptions['accounts'], key: string): string {
  return accounts.chart?.segments.find((s) => s.key === key)?.name ?? key;
}

/** One tree and one "Totals by <segment>" table per segment. */
function segmentTables(
  accounts: ConsolidateOptions['accounts'],
  own: readonly Map<string, Acc>[],
  hierarchical: ReadonlySet<string>,
  suffix: string,
): { trees: Map<string, readonly TreeNode[]>; tables: ReportTable[] } {
  const describe = (key: string, code: string): string =>
    code === INVALID_ACCOUNT ? '' : (accounts.lookup?.(key, code)?.description ?? '');
  const trees = new Map<string, readonly TreeNode[]>();
  const tables: ReportTable[] = [];
  accounts.keys.forEach((key, k) => {
    const tree = buildTree(own[k] as Map<string, Acc>, hierarchical.has(key));
    trees.set(key, tree);
    const name = segmentName(accounts, key);
    tables.push({
      name: `Totals by ${name}${suffix}`,
      header: [
        name,
        'Description',
        'Level',
        'Own total',
        'Total with children',
        'Own FTE',
        'FTE with children',
      ],
      rows: tree.map((n) => [
        n.code,
        describe(key, n.code),
        n.level,
        dollars(n.ownCents),
        dollars(n.totalCents),
        ftes(n.fte),
        ftes(n.totalFte),
      ]),
      formats: [TEXT, TEXT, COUNT, MONEY, MONEY, FTE, FTE],
    });
  });
  return { trees, tables };
}

const bySite = (a: SiteAcc, b: SiteAcc): number => (a.info.site < b.info.site ? -1 : 1);

/**
 * Which accounts the segment, site × fund and per-pupil tables add up. With account classes, only
 * expenditures (revenues, transfers and balances are in the fund summary, never added to them);
 * without, every account.
 */
interface View {
  keep(account: string): boolean;
  /** Added to the tables' names: " (expenditures)" or "". */
  readonly suffix: string;
}

const ALL_ACCOUNTS: View = { keep: () => true, suffix: '' };

function expenditureView(totals: DistrictTotals, classes: Classifier): View {
  const kept = new Set<string>();
  for (const [acct, segs] of totals.split)
    if (segs && classes.classify(segs) === 'expenditure') kept.add(acct);
  return { keep: (a) => kept.has(a), suffix: ' (expenditures)' };
}

/** Per segment (chart order): totals by the segment's code over the accounts the view keeps. */
function segmentTotals(keys: readonly string[], totals: DistrictTotals, view: View): Map<string, Acc>[] {
  if (view === ALL_ACCOUNTS) return totals.own;
  const own = keys.map(() => new Map<string, Acc>());
  for (const [acct, a] of totals.byAccount) {
    if (!view.keep(acct)) continue;
    const segs = totals.split.get(acct);
    for (let k = 0; k < keys.length; k++)
      addTo(own[k] as Map<string, Acc>, segs ? (segs[k] as string) : INVALID_ACCOUNT, a.cents, a.fte);
  }
  return own;
}

/** A site's total over the accounts the view keeps. */
function siteCents(s: SiteAcc, view: View): number {
  if (view === ALL_ACCOUNTS) return s.cents;
  let n = 0;
  for (const [acct, a] of s.accounts) if (view.keep(acct)) n += a.cents;
  return n;
}

/** The site × fund matrix, or undefined when the chart has no such segment. */
function siteByFundTable(
  accounts: ConsolidateOptions['accounts'],
  fundKey: string,
  included: readonly SiteAcc[],
  totals: DistrictTotals,
  own: readonly Map<string, Acc>[],
  view: View,
): ReportTable | undefined {
  const fk = accounts.keys.indexOf(fundKey);
  if (fk < 0) return undefined;
  const funds = [...(own[fk] as Map<string, Acc>).keys()].sort();
  const col = new Map(funds.map((f, i) => [f, i]));
  const colTotals = funds.map(() => 0);
  const rows: CellValue[][] = [];
  for (const s of [...included].sort(bySite)) {
    const cells = funds.map(() => 0);
    let siteTotal = 0;
    for (const [acct, a] of s.accounts) {
      if (!view.keep(acct)) continue;
      siteTotal += a.cents;
      const segs = totals.split.get(acct);
      const j = col.get(segs ? (segs[fk] as string) : INVALID_ACCOUNT) as number;
      cells[j] = (cells[j] as number) + a.cents;
    }
    cells.forEach((c, j) => (colTotals[j] = (colTotals[j] as number) + c));
    const status = s.info.state === 'approved' ? 'approved' : 'unapproved';
    rows.push([s.info.site, s.info.name ?? '', status, ...cells.map(dollars), dollars(siteTotal)]);
  }
  const all = colTotals.reduce((n, c) => n + c, 0);
  rows.push(['Total', '', '', ...colTotals.map(dollars), dollars(all)]);
  return {
    name: `Site × ${segmentName(accounts, fundKey)}${view.suffix}`,
    header: ['Site', 'Name', 'Status', ...funds, 'Total'],
    rows,
    formats: [TEXT, TEXT, TEXT, ...funds.map(() => MONEY), MONEY],
  };
}

function jobTypeTable(jobFte: ReadonlyMap<string, Acc>): ReportTable {
  return {
    name: 'FTE by job type',
    header: ['Job type', 'FTE', 'Amount'],
    rows: [...jobFte.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([job, j]) => [job, ftes(j.fte), dollars(j.cents)]),
    formats: [TEXT, FTE, MONEY],
  };
}

function perPupilTable(included: readonly SiteAcc[], view: View): ReportTable {
  const rows: CellValue[][] = [];
  let pupils = 0;
  let pupilCents = 0;
  for (const s of [...included].sort(bySite)) {
    const e = s.info.enrollment;
    const has = e !== undefined && e > 0;
    const cents = siteCents(s, view);
    if (has) {
      pupils += e;
      pupilCents += cents;
    }
    rows.push([s.info.site, s.info.name ?? '', has ? e : null, dollars(cents), has ? cents / 100 / e : null]);
  }
  rows.push(['District', '', pupils || null, dollars(pupilCents), pupils ? pupilCents / 100 / pupils : null]);
  return {
    name: `Per pupil${view.suffix}`,
    header: ['Site', 'Name', 'Enrollment', 'Total', 'Per pupil'],
    rows,
    formats: [TEXT, TEXT, COUNT, MONEY, MONEY],
  };
}

/** Comparison with the prior year and the adopted budget (adopted figures are only read). */
function comparisonTable(
  totals: DistrictTotals,
  options: ConsolidateOptions,
  classes: Classifier | undefined,
): ReportTable {
  const sumBy = (ls: readonly AmountLine[] | undefined): Map<string, number> => {
    const m = new Map<string, number>();
    for (const l of ls ?? []) m.set(l.account, (m.get(l.account) ?? 0) + l.cents);
    return m;
  };
  const { byAccount, masterCents } = totals;
  const prior = sumBy(options.priorYear);
  const adopted = sumBy(options.adopted?.lines);
  const all = [...new Set([...byAccount.keys(), ...prior.keys(), ...adopted.keys()])].sort();
  const rows: CellValue[][] = all.map((acct) => {
    const c = byAccount.get(acct)?.cents ?? 0;
    const p = prior.get(acct);
    const a = adopted.get(acct);
    return [
      acct,
      p === undefined ? null : dollars(p),
      a === undefined ? null : dollars(a),
      dollars(c),
      p === undefined ? null : dollars(c - p),
      a === undefined ? null : dollars(c - a),
    ];
  });
  const totalRow = (label: string, keep: (acct: string) => boolean): CellValue[] => {
    const total = (m: ReadonlyMap<string, { cents: number } | number>): number => {
      let n = 0;
      for (const [acct, v] of m) if (keep(acct)) n += typeof v === 'number' ? v : v.cents;
      return n;
    };
    const c = classes ? total(byAccount) : masterCents;
    const pT = total(prior);
    const aT = total(adopted);
    return [
      label,
      options.priorYear ? dollars(pT) : null,
      options.adopted ? dollars(aT) : null,
      dollars(c),
      options.priorYear ? dollars(c - pT) : null,
      options.adopted ? dollars(c - aT) : null,
    ];
  };
  if (!classes) rows.push(totalRow('Total', () => true));
  else {
    // One total per class: revenues with revenues, expenditures with expenditures.
    const classOf = new Map<string, string>();
    for (const acct of all) {
      const segs = totals.split.get(acct) ?? options.accounts.split(acct);
      classOf.set(acct, (segs && classes.classify(segs)) ?? 'unclassified');
    }
    for (const c of [...ACCOUNT_CLASSES, 'unclassified' as const])
      if (all.some((a) => classOf.get(a) === c))
        rows.push(
          totalRow(
            `Total ${c === 'unclassified' ? 'not classified' : CLASS_LABELS[c].toLowerCase()}`,
            (a) => classOf.get(a) === c,
          ),
        );
  }
  return {
    name: 'Comparison',
    header: ['Account', 'Prior year', 'Adopted', 'Current', 'Change from prior year', 'Change from adopted'],
    rows,
    formats: [TEXT, MONEY, MONEY, MONEY, MONEY, MONEY],
  };
}

/** Rolls all sites' lines into the district master budget. */
export function consolidate(
  lines: readonly LedgerLine[],
  sites: readonly SiteInfo[],
  options: ConsolidateOptions,
): Consolidation {
  const diagnostics: Diagnostic[] = [];
  const { accounts } = options;
  const includeUnapproved = options.unapproved === 'include-marked';
  const { included, unapprovedSites, jobFte } = gather(lines, sites, includeUnapproved, diagnostics);
  const totals = districtTotals(included, accounts, diagnostics);
  const chart = accounts.chart;
  const classes = chart?.classes?.length ? compileClasses(chart) : undefined;
  const control = controlTotals(
    totals.masterCents,
    totals.sitesCents,
    options.exportedCents,
    classes ? classControls(included, totals, classes) : undefined,
    diagnostics,
  );
  const hierarchical = new Set(options.hierarchical ?? accounts.chart?.hierarchical ?? []);
  const view = classes ? expenditureView(totals, classes) : ALL_ACCOUNTS;
  const own = segmentTotals(accounts.keys, totals, view);
  const bySegment = segmentTables(accounts, own, hierarchical, view.suffix);
  const siteByFund = siteByFundTable(accounts, options.fundSegment ?? 'fund', included, totals, own, view);
  const tables: ReportTable[] = [
    controlTable(control),
    unapprovedTable(sites, includeUnapproved),
    ...bySegment.tables,
    ...(siteByFund ? [siteByFund] : []),
    jobTypeTable(jobFte),
    perPupilTable(included, view),
    comparisonTable(totals, options, classes),
  ];
  return {
    tables,
    control,
    unapprovedSites,
    byAccount: totals.byAccount,
    trees: bySegment.trees,
    diagnostics,
  };
}

/**
 * Records the adopted (original) budget from a consolidation, once. When one is already recorded
 * it is returned unchanged with BL716: adopted figures are never overwritten.
 */
export function adoptBudget(
  existing: AdoptedBudget | undefined,
  consolidation: Pick<Consolidation, 'byAccount'>,
  at: string,
): { adopted: AdoptedBudget; diagnostics: Diagnostic[] } {
  if (existing)
    return {
      adopted: existing,
      diagnostics: [diag('BL716', { recordedAt: existing.recordedAt.slice(0, 10) })],
    };
  const lines = [...consolidation.byAccount.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([account, v]) => ({ account, cents: v.cents }));
  return { adopted: { recordedAt: at, lines }, diagnostics: [] };
}
