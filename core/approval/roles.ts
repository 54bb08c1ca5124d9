/**
 * The Roles table: who may do what for which sites.
 *
 *   Email                | Role     | Sites
 *   pat.lee@district.org | builder  | 001, 002
 *   sam.cho@district.org | approver | all
 *
 * Headers are matched case-insensitively with synonyms (Email / E-mail / User; Role; Sites / Site /
 * Schools). A person may have several rows (e.g. builder for one site, approver for others).
 * E-mail addresses are compared case-insensitively. The CFO role is district-wide.
 */
import { cellText, type Grid } from '../cells';
import { diag, type Diagnostic } from '../diagnostics';
import { cellAt, dataRows, findColumns } from '../tables';
import { ROLES_TABLE } from '../workbook/schema';

export type Role = 'builder' | 'approver' | 'cfo' | 'viewer';
export const ROLES: readonly Role[] = ['builder', 'approver', 'cfo', 'viewer'];

export interface RoleAssignment {
  /** Lower-case e-mail address. */
  readonly email: string;
  readonly role: Role;
  readonly sites: 'all' | readonly string[];
  readonly sheet?: string;
  readonly cell?: string;
}

export interface RolesTable {
  readonly assignments: readonly RoleAssignment[];
}

const ROLE_NAMES: Readonly<Record<string, Role>> = {
  builder: 'builder',
  'budget builder': 'builder',
  'site builder': 'builder',
  editor: 'builder',
  approver: 'approver',
  reviewer: 'approver',
  cfo: 'cfo',
  'chief financial officer': 'cfo',
  viewer: 'viewer',
  'read only': 'viewer',
  readonly: 'viewer',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Lower-case, trimmed: the form e-mail addresses are compared in. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The key sites are compared by: upper case, and leading zeros ignored for all-digit codes ("1" = "001"). */
export function siteKey(site: string): string {
  const t = site.trim().toUpperCase();
  return /^\d+$/.test(t) ? t.replace(/^0+(?=\d)/, '') : t;
}

export interface ReadRolesOptions {
  readonly sheet?: string;
  /** The district's site codes; when given, unknown sites are reported and spellings normalised. */
  readonly sites?: readonly string[];
}

/** Reads a Roles table grid (first row headers). Bad rows are reported with their cell and left out. */
export function readRoles(
  grid: Grid,
  options: ReadRolesOptions = {},
): { roles: RolesTable; diagnostics: Diagnostic[] } {
  const { sheet } = options;
  const diagnostics: Diagnostic[] = [];
  const assignments: RoleAssignment[] = [];
  const header = grid[0] ?? [];
  const { columns, diagnostics: missing } = findColumns(
    header,
    ROLES_TABLE.columns,
    ROLES_TABLE.table,
    sheet,
  );
  if (missing.length) return { roles: { assignments }, diagnostics: missing };
  const known = new Map<string, string>();
  for (const s of options.sites ?? []) known.set(siteKey(s), s);

  for (const { row, index } of dataRows(grid)) {
    const where = (col: number) => ({ ...(sheet !== undefined ? { sheet } : {}), cell: cellAt(index, col) });
    let bad = false;
    const emailText = cellText(row[columns.email]).trim();
    if (!EMAIL.test(emailText)) {
      diagnostics.push(diag('BL607', { shown: emailText }, where(columns.email)));
      bad = true;
    }
    const roleText = cellText(row[columns.role]).trim();
    const role =
      ROLE_NAMES[
        roleText
          .toLowerCase()
          .replace(/[^a-z]+/g, ' ')
          .trim()
      ];
    if (!role) {
      diagnostics.push(diag('BL608', { shown: roleText, known: ROLES.join(', ') }, where(columns.role)));
      bad = true;
    }
    const sitesText = cellText(row[columns.sites]).trim();
    let sites: 'all' | string[] = 'all';
    if (
      role === 'cfo' ||
      /^(all|all sites|\*)$/i.test(sitesText) ||
      (sitesText === '' && role === 'viewer')
    ) {
      sites = 'all';
    } else if (sitesText === '') {
      diagnostics.push(diag('BL609', { shown: '', role: role ?? 'role' }, where(columns.sites)));
      bad = true;
    } else {
      sites = [];
      for (const part of sitesText.split(/[,;\n]/)) {
        const s = part.trim();
        if (!s) continue;
        if (options.sites) {
          const canonical = known.get(siteKey(s));
          if (canonical === undefined) {
            diagnostics.push(diag('BL609', { shown: s, role: role ?? 'role' }, where(columns.sites)));
            bad = true;
            continue;
          }
          sites.push(canonical);
        } else sites.push(s);
      }
    }
    if (bad || !role) continue;
    assignments.push({ email: normalizeEmail(emailText), role, sites, ...where(columns.email) });
  }
  return { roles: { assignments }, diagnostics };
}

function covers(a: RoleAssignment, site: string): boolean {
  if (a.sites === 'all') return true;
  const k = siteKey(site);
  return a.sites.some((s) => siteKey(s) === k);
}

/** True when `email` holds `role` for `site` (the CFO role covers every site). */
export function hasRole(roles: RolesTable, email: string, role: Role, site: string): boolean {
  const e = normalizeEmail(email);
  return roles.assignments.some((a) => a.email === e && a.role === role && covers(a, site));
}

/** True when `email` has any row in the table. */
export function isListed(roles: RolesTable, email: string): boolean {
  const e = normalizeEmail(email);
  return roles.assignments.some((a) => a.email === e);
}

/** Everyone holding `role` for `site`, sorted, without repeats. */
export function holdersOf(roles: RolesTable, role: Role, site: string): string[] {
  const out = new Set<string>();
  for (const a of roles.assignments) if (a.role === role && covers(a, site)) out.add(a.email);
  return [...out].sort();
}
