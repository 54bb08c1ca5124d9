import { readRoles, type RolesTable } from '../../../core/approval';
import type { Grid } from '../../../core/cells';

export const ROLES_GRID: Grid = [
  ['Email', 'Role', 'Sites'],
  ['Bea.Builder@district.org', 'builder', '001, 002'],
  ['ann.approver@district.org', 'Approver', '001'],
  ['al.approver@district.org', 'approver', 'all'],
  ['cy.cfo@district.org', 'CFO', ''],
  ['val.viewer@district.org', 'viewer', 'all'],
  // builds and approves: may return others' submissions, never approve (segregation of duties)
  ['dual@district.org', 'builder', '003'],
  ['dual@district.org', 'approver', '003'],
];

export function roles(grid: Grid = ROLES_GRID): RolesTable {
  const r = readRoles(grid, { sheet: 'Roles' });
  if (r.diagnostics.length)
    throw new Error(`test roles table has findings: ${JSON.stringify(r.diagnostics)}`);
  return r.roles;
}

export const T0 = '2026-05-01T14:03:00Z';
