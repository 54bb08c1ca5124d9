/**
 * What the hosts show the CFO of the fund summary and the projection: each fund's figures as text
 * and its warnings in words (deficit spending, reserve below policy), so the pane and the sidebar
 * render cells and never decide a rule. Pure.
 */
import { formatCents, type Cents } from '../money';
import { formatPercent, reserveShortfall, type FundJson, type ReservePolicy } from './funds';

export interface FundViewRow {
  readonly fund: string;
  /** "100 General Fund", or "All funds" for the district. */
  readonly label: string;
  readonly district: boolean;
  readonly revenues: string;
  readonly expenditures: string;
  readonly otherSources: string;
  readonly otherUses: string;
  readonly netChange: string;
  readonly beginningBalance: string;
  readonly endingBalance: string;
  /** "4.2%" or "—" (no expenditures). */
  readonly reserve: string;
  /** "3% (policy)", "4.2% meets 3%", or "" where the policy does not apply. */
  readonly policy: string;
  readonly deficit: boolean;
  readonly belowPolicy: boolean;
  /** The warnings in words ("Deficit spending: $1,200.00", "Reserve below the 3% policy by $500.00"). */
  readonly warnings: readonly string[];
}

export interface FundViewYear {
  /** "FY2027". */
  readonly label: string;
  readonly rows: readonly FundViewRow[];
}

const money = (c: Cents): string => formatCents(c);

/** One fund's row (or the district's, fund "District"). */
export function fundViewRow(f: FundJson, policy: ReservePolicy | undefined): FundViewRow {
  const district = f.fund === 'District';
  const applies = !!policy && (district || policy.funds.includes(f.fund));
  const shortfall = reserveShortfall(f, policy);
  const policyText = policy ? formatPercent(policy.minimumPpm / 10_000) : '';
  const warnings: string[] = [];
  if (f.netChangeCents < 0) warnings.push(`Deficit spending: ${money(-f.netChangeCents)} more out than in`);
  if (shortfall !== undefined)
    warnings.push(`Reserve below the ${policyText} policy, short by ${money(shortfall)}`);
  return {
    fund: f.fund,
    label: district ? 'All funds' : `${f.fund}${f.name ? ` ${f.name}` : ''}`,
    district,
    revenues: money(f.revenuesCents),
    expenditures: money(f.expendituresCents),
    otherSources: money(f.otherSourcesCents),
    otherUses: money(f.otherUsesCents),
    netChange: money(f.netChangeCents),
    beginningBalance: money(f.beginningBalanceCents),
    endingBalance: money(f.endingBalanceCents),
    reserve: f.reservePercent === null ? '—' : formatPercent(f.reservePercent),
    policy: applies ? (shortfall === undefined ? `meets ${policyText}` : `below ${policyText}`) : '',
    deficit: f.netChangeCents < 0,
    belowPolicy: shortfall !== undefined,
    warnings,
  };
}

/** The funds, then the district. */
export function fundView(
  funds: readonly FundJson[],
  district: FundJson | undefined,
  policy: ReservePolicy | undefined,
): FundViewRow[] {
  return [...funds, ...(district ? [district] : [])].map((f) => fundViewRow(f, policy));
}

/** The projection's years as the hosts show them. */
export function projectionView(
  years: readonly {
    readonly fiscalYear: number;
    readonly funds: readonly FundJson[];
    readonly district: FundJson;
  }[],
  policy: ReservePolicy | undefined,
): FundViewYear[] {
  return years.map((y) => ({ label: `FY${y.fiscalYear}`, rows: fundView(y.funds, y.district, policy) }));
}
