/**
 * The final budget (h22): once the board has adopted the budget, consolidate and export carry the
 * adopted lines plus every applied amendment whose row is still what was approved and applied —
 * never the original alone, and never a changed amendment (the approval gate refuses those, BL662).
 *
 * - `finalBudget` gives the applied amendments as ledger lines of their sites, which budget it is
 *   (original, or final as of the last amendment applied, with its resolution) and the
 *   reconciliation original + Σ amendments = final per account class and fund, checked here: a
 *   difference is fatal (BL661) and nothing is written.
 * - `combineAmended` merges, per site, the lines of an account an amendment touches with the
 *   amendment's lines into one line (a line brought to zero stays, as zero), for exports.
 * - `amendmentExportLines` gives only the applied amendments' lines as signed changes.
 *
 * Before adoption none of this applies: consolidate and export carry the approved lines as before.
 */
import { ACCOUNT_CLASSES, CLASS_LABELS, compileClasses } from '../accounts/classes';
import type { AccountClass } from '../accounts/types';
import type { Validator } from '../accounts/api';
import {
  adoptedLinesOf,
  appliedAmendments,
  readAmendments,
  replayBoard,
  type Amendment,
  type BoardReplay,
} from '../approval/board';
import type { LedgerLine } from '../approval/lines';
import { diag, type Diagnostic } from '../diagnostics';
import { formatCents, type Cents } from '../money';
import type { Snapshot } from '../port/types';
import { SHEETS } from '../workbook/layout';
import type { SiteSheet, Workbook } from '../workbook/read';
import { approvalGate, chainOf } from './trust';

export type BudgetClass = AccountClass | 'unclassified';

/** Which budget a Master Budget or an export carries (after adoption). */
export interface BudgetBasis {
  /** original: adopted, no amendment applied; final: adopted plus the amendments applied. */
  readonly kind: 'original' | 'final';
  readonly adopted: { readonly date: string; readonly resolution: string };
  /** The applied amendments included, in the order they were applied. */
  readonly amendments: readonly {
    readonly id: string;
    readonly site: string;
    readonly resolution: string;
    readonly appliedAt: string;
  }[];
  /** The last amendment applied ("as of"), when final. */
  readonly asOf?: { readonly id: string; readonly resolution: string };
  /** "FINAL budget as of amendment A-1 (resolution 2026-41); adopted 2026-06-18, resolution 2026-14". */
  readonly text: string;
}

/** One row of the reconciliation: one account class in one fund (fund "" = every fund of the class). */
export interface ReconciliationRow {
  readonly class: BudgetClass;
  /** "Revenues", "Expenditures", … */
  readonly label: string;
  /** The fund code, or "all" for the class's total over every fund. */
  readonly fund: string;
  readonly originalCents: Cents;
  readonly amendmentsCents: Cents;
  readonly finalCents: Cents;
  readonly agree: boolean;
}

export interface FinalBudget {
  readonly basis: BudgetBasis;
  /** The applied amendments' rows, in the order applied. */
  readonly applied: readonly Amendment[];
  /** Their lines as ledger lines of their sites (cell: the row's Amounts cell). */
  readonly amendmentLines: readonly LedgerLine[];
  /** The original lines (the Adopted Budget sheet, verified by the approval gate). */
  readonly original: readonly LedgerLine[];
  /** Fatal findings: a changed amendment (BL662, BL653), one to a site not carried (BL665). */
  readonly diagnostics: readonly Diagnostic[];
}

/** The budget's basis, in words. */
export function basisText(b: Omit<BudgetBasis, 'text'>): string {
  const adopted = `adopted ${b.adopted.date}, resolution ${b.adopted.resolution}`;
  if (b.kind === 'original' || !b.asOf) return `ORIGINAL budget (${adopted}); no amendment applied`;
  const n = b.amendments.length;
  return `FINAL budget as of amendment ${b.asOf.id} (resolution ${b.asOf.resolution}): the original budget (${adopted}) with ${n === 1 ? 'amendment' : `${n} amendments`} ${b.amendments.map((a) => a.id).join(', ')} applied`;
}

/**
 * The final budget of an adopted workbook, or undefined before adoption. `carried`: the sites whose
 * lines are carried (the approval gate's approved sites); an applied amendment to any other site is
 * refused (BL665), its change would otherwise be lost.
 */
export function finalBudget(
  snap: Snapshot,
  wb: Workbook,
  board: BoardReplay,
  carried: readonly string[],
): FinalBudget | undefined {
  const adoption = board.adoption;
  if (!adoption) return undefined;
  const sites = wb.sites.map((s) => s.code);
  const rows = readAmendments(snap.sheets[SHEETS.amendments], wb.validator, sites).rows;
  const { applied: found, diagnostics } = appliedAmendments(board, rows, sites);
  // In the order the chain applied them (Map order is first mention; sort by time of application).
  const order = [...board.amendments.values()]
    .filter((r) => r.state === 'applied')
    .sort((a, b) =>
      (a.appliedAt ?? '') < (b.appliedAt ?? '') ? -1 : (a.appliedAt ?? '') > (b.appliedAt ?? '') ? 1 : 0,
    )
    .map((r) => r.id);
  const applied = [...found].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  const out: Diagnostic[] = [...diagnostics];
  for (const a of applied)
    if (!carried.includes(a.site))
      out.push(
        diag(
          'BL665',
          { id: a.id, site: a.site },
          { sheet: SHEETS.amendments, ...(a.cells.site ? { cell: a.cells.site } : {}) },
        ),
      );
  const amendmentLines: LedgerLine[] = applied.flatMap((a) =>
    a.lines.map((l) => ({
      site: a.site,
      account: l.account,
      cents: l.cents,
      description: `Amendment ${a.id}: ${a.reason}`,
      sheet: SHEETS.amendments,
      ...(a.cells.amounts ? { cell: a.cells.amounts } : {}),
    })),
  );
  const original: LedgerLine[] = adoptedLinesOf(snap.sheets[SHEETS.adopted]).map((l) => ({
    site: l.site,
    account: l.account,
    cents: l.cents,
    description: l.description,
    ...(l.fte ? { fte: l.fte } : {}),
  }));
  const recs = applied.map((a) => {
    const r = board.amendments.get(a.id);
    return {
      id: a.id,
      site: a.site,
      resolution: r?.resolution ?? a.resolution,
      appliedAt: r?.appliedAt ?? '',
    };
  });
  const last = recs[recs.length - 1];
  const partial: Omit<BudgetBasis, 'text'> = {
    kind: recs.length ? 'final' : 'original',
    adopted: { date: adoption.date, resolution: adoption.resolution },
    amendments: recs,
    ...(last ? { asOf: { id: last.id, resolution: last.resolution } } : {}),
  };
  return {
    basis: { ...partial, text: basisText(partial) },
    applied,
    amendmentLines,
    original,
    diagnostics: out,
  };
}

/**
 * The budget every figure after adoption is made of, for the views that are not consolidate or
 * export (projection, scenarios, forecast, the board report): before adoption `{}` (the sites' lines
 * as they are); once adopted, the approval gate must pass and every applied amendment be carried, and
 * the final budget is given (add its lines to the sites' with `withAmendments`); otherwise `refused`
 * with the gate's or the amendments' findings — a figure of a budget that cannot be trusted is none.
 */
export function adoptedFinal(
  snap: Snapshot,
  wb: Workbook,
):
  | { readonly final?: undefined; readonly refused?: undefined }
  | { readonly final: FinalBudget; readonly approved: readonly string[]; readonly refused?: undefined }
  | { readonly refused: readonly Diagnostic[] } {
  if (!replayBoard(chainOf(snap, wb).log).adoption) return {};
  const gate = approvalGate(snap, wb);
  if (!gate.ok) return { refused: gate.diagnostics };
  const final = finalBudget(snap, wb, gate.verification.replay.board, gate.approved);
  if (!final) return {};
  if (final.diagnostics.some((d) => d.severity === 'fatal')) return { refused: final.diagnostics };
  return { final, approved: gate.approved };
}

/**
 * The sites' sheets with the final budget's amendment lines added to their sites' ledgers (after the
 * site's own lines, in the order applied); the sheets as they are before adoption (`final` undefined).
 */
export function withAmendments<S extends Pick<SiteSheet, 'site' | 'ledger'>>(
  sheets: readonly S[],
  final: Pick<FinalBudget, 'amendmentLines'> | undefined,
): S[] {
  if (!final?.amendmentLines.length) return [...sheets];
  return sheets.map((s) => {
    const more = final.amendmentLines.filter((l) => l.site === s.site.code);
    return more.length ? { ...s, ledger: [...s.ledger, ...more] } : s;
  });
}

/**
 * original + Σ amendments = final, per account class and fund, and per class over every fund
 * (revenues never added to expenditures). A row that does not agree is BL661 (fatal).
 */
export function reconcile(
  accounts: Pick<Validator, 'split' | 'indexOf' | 'chart'>,
  original: Iterable<{ readonly account: string; readonly cents: Cents }>,
  amendments: Iterable<{ readonly account: string; readonly cents: Cents }>,
  final: Iterable<{ readonly account: string; readonly cents: Cents }>,
): { rows: ReconciliationRow[]; diagnostics: Diagnostic[] } {
  const classes = accounts.chart.classes?.length ? compileClasses(accounts.chart) : undefined;
  const fk = accounts.indexOf('fund');
  const keyOf = new Map<string, [BudgetClass, string]>();
  const key = (account: string): [BudgetClass, string] => {
    let k = keyOf.get(account);
    if (!k) {
      const segs = accounts.split(account);
      const cls: BudgetClass = (segs && classes?.classify(segs)) || 'unclassified';
      k = [cls, (fk >= 0 ? segs?.[fk] : undefined) ?? ''];
      keyOf.set(account, k);
    }
    return k;
  };
  type Acc = { original: number; amendments: number; final: number };
  const cells = new Map<string, Acc>();
  const add = (lines: Iterable<{ account: string; cents: Cents }>, part: keyof Acc): void => {
    for (const l of lines) {
      const [cls, fund] = key(l.account);
      for (const f of [fund, 'all']) {
        const k = `${cls}\u0000${f}`;
        const a = cells.get(k) ?? { original: 0, amendments: 0, final: 0 };
        a[part] += l.cents;
        cells.set(k, a);
      }
    }
  };
  add(original, 'original');
  add(amendments, 'amendments');
  add(final, 'final');
  const rank = (c: BudgetClass): number =>
    c === 'unclassified' ? ACCOUNT_CLASSES.length : ACCOUNT_CLASSES.indexOf(c);
  const rows: ReconciliationRow[] = [...cells]
    .map(([k, a]) => {
      const [cls, fund] = k.split('\u0000') as [BudgetClass, string];
      return {
        class: cls,
        label: cls === 'unclassified' ? 'Not classified' : CLASS_LABELS[cls],
        fund,
        originalCents: a.original,
        amendmentsCents: a.amendments,
        finalCents: a.final,
        agree: a.original + a.amendments === a.final,
      };
    })
    .sort(
      (a, b) =>
        rank(a.class) - rank(b.class) ||
        (a.fund === 'all' ? 1 : 0) - (b.fund === 'all' ? 1 : 0) ||
        (a.fund < b.fund ? -1 : a.fund > b.fund ? 1 : 0),
    );
  const diagnostics = rows
    .filter((r) => !r.agree)
    .map((r) =>
      diag('BL661', {
        class: r.label,
        fund: r.fund === 'all' ? 'all funds' : r.fund || '(none)',
        original: formatCents(r.originalCents),
        amendments: formatCents(r.amendmentsCents),
        final: formatCents(r.finalCents),
      }),
    );
  return { rows, diagnostics };
}

/**
 * Export lines of the final budget: the sites' lines, where an amendment touches a site's account
 * that account's lines and the amendment's lines become one line (descriptions kept, "amended by
 * A-1" added; a line brought to zero stays, as zero). Lines no amendment touches are as they were.
 */
export function combineAmended(
  lines: readonly LedgerLine[],
  amendmentLines: readonly LedgerLine[],
): LedgerLine[] {
  const k = (l: { site: string; account: string }): string => `${l.site}\u0000${l.account}`;
  const touched = new Map<string, LedgerLine[]>();
  for (const a of amendmentLines) touched.set(k(a), [...(touched.get(k(a)) ?? []), a]);
  const out: LedgerLine[] = [];
  const done = new Set<string>();
  const merged = (own: readonly LedgerLine[], changes: readonly LedgerLine[]): LedgerLine => {
    const first = (own[0] ?? changes[0]) as LedgerLine;
    const cents = [...own, ...changes].reduce((n, l) => n + l.cents, 0);
    const fte = own.reduce((n, l) => n + (l.fte ?? 0), 0);
    const ids = [...new Set(changes.map((c) => /^Amendment ([^:]+):/.exec(c.description)?.[1] ?? ''))];
    const names = [...new Set(own.map((l) => l.description).filter(Boolean))];
    const shown = names.length > 3 ? [...names.slice(0, 3), `+${names.length - 3} more`] : names;
    const description = own.length
      ? `${shown.join('; ')} (amended by ${ids.join(', ')}${cents === 0 ? '; now zero' : ''})`
      : changes.length === 1
        ? first.description
        : `Amendments ${ids.join(', ')}`;
    return {
      site: first.site,
      account: first.account,
      cents,
      description,
      ...(fte ? { fte } : {}),
      ...(first.sheet !== undefined ? { sheet: first.sheet } : {}),
      ...(first.cell !== undefined ? { cell: first.cell } : {}),
    };
  };
  for (const l of lines) {
    const key = k(l);
    const changes = touched.get(key);
    if (!changes) {
      out.push(l);
      continue;
    }
    if (done.has(key)) continue;
    done.add(key);
    out.push(
      merged(
        lines.filter((x) => k(x) === key),
        changes,
      ),
    );
  }
  // Accounts an amendment adds to a site: after the site's lines, in the order applied.
  for (const [key, changes] of touched) if (!done.has(key)) out.push(merged([], changes));
  return out;
}

/** Each applied amendment's lines as signed changes (for `export --amendments`). */
export function amendmentExportLines(
  applied: readonly Amendment[],
  resolutionOf: (id: string) => string,
): LedgerLine[] {
  return applied.flatMap((a) =>
    a.lines.map((l) => ({
      site: a.site,
      account: l.account,
      cents: l.cents,
      description: `Amendment ${a.id} (resolution ${resolutionOf(a.id)}): ${a.reason}`,
      sheet: SHEETS.amendments,
      ...(a.cells.amounts ? { cell: a.cells.amounts } : {}),
    })),
  );
}
