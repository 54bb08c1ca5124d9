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

export interface ControlTotals {
  readonly masterCents: Cents;
  readonly sitesCents: Cents;
  readonly exportedCents?: Cents;
  readonly agree: boolean;
}

export interface Consolidation {
  readonly tables: readonly ReportTable[];
  readonly control: ControlTotals;
  /** Sites not approved, sorted, whether excluded or included. */
  readonly unapprovedSites: readonly string[];
  /** District totals by account (cents, FTE in thousandths), for exports and adoption. */
  readonly byAccount: ReadonlyMap<string, { readonly cents: Cents; readonly fte: number }>;
  /** Trees per segment key. */
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

/** Rolls all sites' lines into the district master budget. */
export function consolidate(
  lines: readonly LedgerLine[],
  sites: readonly SiteInfo[],
  options: ConsolidateOptions,
): Consolidation {
  const diagnostics: Diagnostic[] = [];
  const { accounts } = options;
  const keys = accounts.keys;
  const hierarchical = new Set(options.hierarchical ?? accounts.chart?.hierarchical ?? []);
  const includeUnapproved = options.unapproved === 'include-marked';

  const siteMap = new Map<string, SiteAcc>();
  for (const info of sites) {
    const approved = info.state === 'approved';
    siteMap.set(info.site, {
      info,
      included: approved || includeUnapproved,
      accounts: new Map(),
      cents: 0,
      lines: 0,
    });
  }
  const unknownSites = new Map<string, SiteAcc>();
  const jobFte = new Map<string, Acc>();

  // ---- the one pass over the lines ----
  let curName: string | undefined;
  let cur: SiteAcc | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as LedgerLine;
    if (l.site !== curName) {
      curName = l.site;
      cur = siteMap.get(curName);
      if (cur === undefined) {
        cur = unknownSites.get(curName);
        if (cur === undefined) {
          cur = {
            info: { site: curName, state: 'draft' },
            included: true,
            accounts: new Map(),
            cents: 0,
            lines: 0,
          };
          unknownSites.set(curName, cur);
          diagnostics.push(
            diag('BL714', { site: curName }, { ...(l.sheet !== undefined ? { sheet: l.sheet } : {}) }),
          );
        }
      }
    }
    const s = cur as SiteAcc;
    if (!s.included) continue;
    const fte = l.fte ?? 0;
    let a = s.accounts.get(l.account);
    if (a === undefined) {
      a = { cents: 0, fte: 0 };
      s.accounts.set(l.account, a);
    }
    a.cents += l.cents;
    a.fte += fte;
    s.cents += l.cents;
    s.lines++;
    if (l.jobType !== undefined && fte !== 0) {
      let j = jobFte.get(l.jobType);
      if (j === undefined) {
        j = { cents: 0, fte: 0 };
        jobFte.set(l.jobType, j);
      }
      j.cents += l.cents;
      j.fte += fte;
    }
  }

  const included = [...siteMap.values(), ...unknownSites.values()].filter((s) => s.included);
  const unapprovedSites = sites
    .filter((s) => s.state !== 'approved')
    .map((s) => s.site)
    .sort();
  if (unapprovedSites.length)
    diagnostics.push(
      diag(includeUnapproved ? 'BL713' : 'BL712', {
        sites: unapprovedSites.join(', '),
        count: unapprovedSites.length,
      }),
    );

  // ---- district totals by account, segments split once per distinct account ----
  const byAccount = new Map<string, Acc>();
  let sitesCents = 0;
  for (const s of included) {
    sitesCents += s.cents;
    for (const [acct, a] of s.accounts) {
      const d = byAccount.get(acct);
      if (d) {
        d.cents += a.cents;
        d.fte += a.fte;
      } else byAccount.set(acct, { cents: a.cents, fte: a.fte });
    }
  }
  checkedSum(sitesCents, 'sum of sites');
  const split = new Map<string, readonly string[] | undefined>();
  const own = keys.map(() => new Map<string, Acc>());
  let masterCents = 0;
  for (const [acct, a] of byAccount) {
    masterCents += a.cents;
    const segs = accounts.split(acct);
    split.set(acct, segs && segs.length === keys.length ? segs : undefined);
    for (let k = 0; k < keys.length; k++) {
      const code = segs && segs.length === keys.length ? (segs[k] as string) : INVALID_ACCOUNT;
      const m = own[k] as Map<string, Acc>;
      const o = m.get(code);
      if (o) {
        o.cents += a.cents;
        o.fte += a.fte;
      } else m.set(code, { cents: a.cents, fte: a.fte });
    }
  }
  checkedSum(masterCents, 'master total');
  for (const [acct, v] of split) {
    if (v !== undefined) continue;
    let count = 0;
    for (const s of included) if (s.accounts.has(acct)) count++;
    diagnostics.push(diag('BL715', { account: acct, lines: count }));
  }

  // ---- control totals ----
  const exportedCents = options.exportedCents;
  const agree = masterCents === sitesCents && (exportedCents === undefined || exportedCents === masterCents);
  if (!agree)
    diagnostics.push(
      diag('BL711', {
        master: formatCents(masterCents),
        sites: formatCents(sitesCents),
        exported: exportedCents === undefined ? 'not given' : formatCents(exportedCents),
      }),
    );
  const control: ControlTotals = {
    masterCents,
    sitesCents,
    ...(exportedCents !== undefined ? { exportedCents } : {}),
    agree,
  };

  // ---- tables ----
  const tables: ReportTable[] = [];
  tables.push({
    name: 'Control totals',
    header: ['Check', 'Amount'],
    rows: [
      ['Master budget total', dollars(masterCents)],
      ['Sum of site totals', dollars(sitesCents)],
      ['Exported lines total', exportedCents === undefined ? null : dollars(exportedCents)],
      ['Result', agree ? 'Totals agree' : 'TOTALS DISAGREE'],
    ],
    formats: [TEXT, MONEY],
  });
  tables.push({
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
  });

  const segName = (key: string): string => accounts.chart?.segments.find((s) => s.key === key)?.name ?? key;
  const describe = (key: string, code: string): string =>
    code === INVALID_ACCOUNT ? '' : (accounts.lookup?.(key, code)?.description ?? '');
  const trees = new Map<string, readonly TreeNode[]>();
  keys.forEach((key, k) => {
    const tree = buildTree(own[k] as Map<string, Acc>, hierarchical.has(key));
    trees.set(key, tree);
    tables.push({
      name: `Totals by ${segName(key)}`,
      header: [
        segName(key),
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

  // site × fund
  const fundKey = options.fundSegment ?? 'fund';
  const fk = keys.indexOf(fundKey);
  if (fk >= 0) {
    const funds = [...(own[fk] as Map<string, Acc>).keys()].sort();
    const col = new Map(funds.map((f, i) => [f, i]));
    const colTotals = funds.map(() => 0);
    const rows: CellValue[][] = [];
    const ordered = [...included].sort((a, b) => (a.info.site < b.info.site ? -1 : 1));
    for (const s of ordered) {
      const cells = funds.map(() => 0);
      for (const [acct, a] of s.accounts) {
        const segs = split.get(acct);
        const j = col.get(segs ? (segs[fk] as string) : INVALID_ACCOUNT) as number;
        cells[j] = (cells[j] as number) + a.cents;
      }
      cells.forEach((c, j) => (colTotals[j] = (colTotals[j] as number) + c));
      const status = s.info.state === 'approved' ? 'approved' : 'unapproved';
      rows.push([s.info.site, s.info.name ?? '', status, ...cells.map(dollars), dollars(s.cents)]);
    }
    rows.push(['Total', '', '', ...colTotals.map(dollars), dollars(sitesCents)]);
    tables.push({
      name: `Site × ${segName(fundKey)}`,
      header: ['Site', 'Name', 'Status', ...funds, 'Total'],
      rows,
      formats: [TEXT, TEXT, TEXT, ...funds.map(() => MONEY), MONEY],
    });
  }

  // FTE by job type
  tables.push({
    name: 'FTE by job type',
    header: ['Job type', 'FTE', 'Amount'],
    rows: [...jobFte.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([job, j]) => [job, ftes(j.fte), dollars(j.cents)]),
    formats: [TEXT, FTE, MONEY],
  });

  // per pupil
  const ppRows: CellValue[][] = [];
  let pupils = 0;
  let pupilCents = 0;
  for (const s of [...included].sort((a, b) => (a.info.site < b.info.site ? -1 : 1))) {
    const e = s.info.enrollment;
    const has = e !== undefined && e > 0;
    if (has) {
      pupils += e;
      pupilCents += s.cents;
    }
    ppRows.push([
      s.info.site,
      s.info.name ?? '',
      has ? e : null,
      dollars(s.cents),
      has ? s.cents / 100 / e : null,
    ]);
  }
  ppRows.push([
    'District',
    '',
    pupils || null,
    dollars(pupilCents),
    pupils ? pupilCents / 100 / pupils : null,
  ]);
  tables.push({
    name: 'Per pupil',
    header: ['Site', 'Name', 'Enrollment', 'Total', 'Per pupil'],
    rows: ppRows,
    formats: [TEXT, TEXT, COUNT, MONEY, MONEY],
  });

  // comparison with the prior year and the adopted budget (adopted figures are only read)
  const sumBy = (ls: readonly AmountLine[] | undefined): Map<string, number> => {
    const m = new Map<string, number>();
    for (const l of ls ?? []) m.set(l.account, (m.get(l.account) ?? 0) + l.cents);
    return m;
  };
  const prior = sumBy(options.priorYear);
  const adopted = sumBy(options.adopted?.lines);
  const all = [...new Set([...byAccount.keys(), ...prior.keys(), ...adopted.keys()])].sort();
  const cmpRows: CellValue[][] = all.map((acct) => {
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
  const total = (m: Map<string, number>): number => [...m.values()].reduce((x, y) => x + y, 0);
  const pT = total(prior);
  const aT = total(adopted);
  cmpRows.push([
    'Total',
    options.priorYear ? dollars(pT) : null,
    options.adopted ? dollars(aT) : null,
    dollars(masterCents),
    options.priorYear ? dollars(masterCents - pT) : null,
    options.adopted ? dollars(masterCents - aT) : null,
  ]);
  tables.push({
    name: 'Comparison',
    header: ['Account', 'Prior year', 'Adopted', 'Current', 'Change from prior year', 'Change from adopted'],
    rows: cmpRows,
    formats: [TEXT, MONEY, MONEY, MONEY, MONEY, MONEY],
  });

  return { tables, control, unapprovedSites, byAccount, trees, diagnostics };
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
