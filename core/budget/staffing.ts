/**
 * Job types, benefits packages, and what a position costs.
 *
 * Position cost = salary × FTE + benefits, where salary × FTE rounds once (half away from zero),
 * each percentage benefit is rate × (salary × FTE) rounded once, and each flat benefit is amount per
 * FTE × FTE rounded once. The benefit items are kept, so a principal can see each one.
 */
import { type Grid, type Where } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { mulDivRound, parseMoney, type Cents } from '../money';
import { BENEFITS_TABLE, JOB_TYPES_TABLE } from '../workbook/schema';
import { similarNames, firstSeen, openTable, type TableOptions, type TableResult } from './table';
import { FTE_SCALE, parsePercent, PPM, type MilliFte, type Ppm } from './units';

export interface BenefitItem {
  readonly name: string;
  /** A percentage of salary × FTE (retirement, social security), parts per million. */
  readonly ratePpm?: Ppm;
  /** A flat amount per 1.0 FTE (health). */
  readonly perFte?: Cents;
  readonly where?: Where;
}

export interface BenefitsPackage {
  readonly code: string;
  readonly items: readonly BenefitItem[];
  readonly where?: Where;
}

export interface JobType {
  readonly code: string;
  readonly title: string;
  readonly averageSalary: Cents;
  /** The benefits package code. */
  readonly benefits: string;
  /** The bargaining unit (Job Types "Bargaining unit"), when given. */
  readonly unit?: string;
  readonly where?: Where;
}

export interface CostBreakdown {
  /** Salary × FTE. */
  readonly salary: Cents;
  readonly benefits: readonly { readonly name: string; readonly amount: Cents }[];
  readonly benefitsTotal: Cents;
  readonly total: Cents;
}

/** What `fteMilli` of a salary costs with a benefits package (or none). */
export function costOf(annualSalary: Cents, fteMilli: MilliFte, pkg?: BenefitsPackage): CostBreakdown {
  const salary = mulDivRound(annualSalary, fteMilli, FTE_SCALE);
  const benefits = (pkg?.items ?? []).map((b) => ({
    name: b.name,
    amount:
      (b.ratePpm !== undefined ? mulDivRound(salary, b.ratePpm, PPM) : 0) +
      (b.perFte !== undefined ? mulDivRound(b.perFte, fteMilli, FTE_SCALE) : 0),
  }));
  const benefitsTotal = benefits.reduce((s, b) => s + b.amount, 0);
  return { salary, benefits, benefitsTotal, total: salary + benefitsTotal };
}

/** Job types and benefits packages by code, for pricing positions and staffing rules. */
export interface Staffing {
  readonly jobTypes: ReadonlyMap<string, JobType>;
  readonly packages: ReadonlyMap<string, BenefitsPackage>;
}

export function staffingOf(jobTypes: readonly JobType[], packages: readonly BenefitsPackage[]): Staffing {
  return {
    jobTypes: new Map(jobTypes.map((j) => [j.code, j])),
    packages: new Map(packages.map((p) => [p.code, p])),
  };
}

/** The average cost of `fteMilli` of a job type, or undefined when the job type is unknown. */
export function jobTypeCost(staffing: Staffing, code: string, fteMilli: MilliFte): CostBreakdown | undefined {
  const j = staffing.jobTypes.get(code);
  if (!j) return undefined;
  return costOf(j.averageSalary, fteMilli, staffing.packages.get(j.benefits));
}

/** Benefits table: one row per benefit item (Package, Benefit, Rate or Amount per FTE). */
export function readBenefits(grid: Grid, options: TableOptions = {}): TableResult<BenefitsPackage> {
  const t = openTable(grid, BENEFITS_TABLE.columns, BENEFITS_TABLE.table, options);
  const diagnostics = [...t.diagnostics];
  const byCode = new Map<string, { items: BenefitItem[]; where: Where }>();
  const seen = firstSeen();
  for (const { row, index } of t.rows) {
    const code = t.text(row, 'pkg');
    const name = t.text(row, 'name');
    const where = t.where(index, 'name');
    if (!code || !name) {
      diagnostics.push(
        diag('BL421', { packageName: code, item: name }, t.where(index, code ? 'name' : 'pkg')),
      );
      continue;
    }
    const dup = seen.check(`${code}\u0000${name}`, where);
    if (dup) {
      diagnostics.push(
        diag(
          'BL420',
          { table: 'Benefits', what: 'benefit', key: `${code} ${name}`, first: dup.cell ?? '' },
          where,
        ),
      );
      continue;
    }
    const hasRate = !t.blank(row, 'rate');
    const hasFlat = !t.blank(row, 'perFte');
    if (hasRate === hasFlat) {
      diagnostics.push(diag('BL421', { packageName: code, item: name }, where));
      continue;
    }
    let item: BenefitItem | undefined;
    if (hasRate) {
      const r = parsePercent(t.value(row, 'rate'), t.where(index, 'rate'), `${name} rate`);
      if (r.ok) item = { name, ratePpm: r.value, where };
      else diagnostics.push(r.diagnostic);
    } else {
      const r = parseMoney(t.value(row, 'perFte'), t.where(index, 'perFte'), `${name} amount per FTE`);
      if (r.ok) item = { name, perFte: r.value, where };
      else diagnostics.push(r.diagnostic);
    }
    const p = byCode.get(code) ?? { items: [], where: t.where(index, 'pkg') };
    byCode.set(code, p);
    if (item) p.items.push(item);
  }
  const rows = [...byCode].map(([code, p]) => ({ code, items: p.items, where: p.where }));
  return { rows, diagnostics };
}

/**
 * Job Types table (Code, Title, Average salary, Benefits package). With `packages`, each job type's
 * package must exist.
 */
export function readJobTypes(
  grid: Grid,
  packages?: readonly BenefitsPackage[],
  options: TableOptions = {},
): TableResult<JobType> {
  const t = openTable(grid, JOB_TYPES_TABLE.columns, JOB_TYPES_TABLE.table, options);
  const diagnostics = [...t.diagnostics];
  const known = packages ? new Set(packages.map((p) => p.code)) : undefined;
  const seen = firstSeen();
  const rows: JobType[] = [];
  for (const { row, index } of t.rows) {
    const code = t.text(row, 'code');
    const where = t.where(index, 'code');
    if (!code) {
      diagnostics.push(diag('BL412', { code: '', suggestions: [] }, where));
      continue;
    }
    const dup = seen.check(code, where);
    if (dup) {
      diagnostics.push(
        diag('BL420', { table: 'Job Types', what: 'job type', key: code, first: dup.cell ?? '' }, where),
      );
      continue;
    }
    const salary = parseMoney(t.value(row, 'salary'), t.where(index, 'salary'), 'average salary');
    if (!salary.ok) diagnostics.push(salary.diagnostic);
    const benefits = t.text(row, 'benefits');
    let pkgOk = true;
    if (known && !known.has(benefits)) {
      pkgOk = false;
      {
        const suggestions = similarNames(benefits, known);
        diagnostics.push(
          diag('BL413', { code: benefits, suggestions }, { ...t.where(index, 'benefits'), suggestions }),
        );
      }
    }
    const unit = t.text(row, 'unit');
    if (salary.ok && pkgOk)
      rows.push({
        code,
        title: t.text(row, 'title') || code,
        averageSalary: salary.value,
        benefits,
        ...(unit ? { unit } : {}),
        where,
      });
  }
  return { rows, diagnostics };
}

/** Findings for a benefits package code that a position or job type names. */
export function unknownPackage(code: string, staffing: Staffing, where: Where): Diagnostic {
  const suggestions = similarNames(code, staffing.packages.keys());
  return diag('BL413', { code, suggestions }, { ...where, suggestions });
}

/** Finding for a job type code that a position or staffing rule names. */
export function unknownJobType(code: string, staffing: Staffing, where: Where): Diagnostic {
  const suggestions = similarNames(code, staffing.jobTypes.keys());
  return diag('BL412', { code, suggestions }, { ...where, suggestions });
}
