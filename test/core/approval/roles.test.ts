import { hasRole, holdersOf, readRoles } from '../../../core/approval';
import { roles } from './helpers';

describe('Roles table', () => {
  it('matches headers case-insensitively with synonyms and e-mails case-insensitively', () => {
    const r = readRoles([
      ['USER', 'role', 'Schools'],
      ['Pat.Lee@District.org', 'Budget Builder', '001;002'],
    ]);
    expect(r.diagnostics).toEqual([]);
    expect(r.roles.assignments).toEqual([
      { email: 'pat.lee@district.org', role: 'builder', sites: ['001', '002'], cell: 'A2' },
    ]);
    expect(hasRole(r.roles, 'PAT.LEE@district.ORG', 'builder', '002')).toBe(true);
    expect(hasRole(r.roles, 'pat.lee@district.org', 'builder', '003')).toBe(false);
    expect(hasRole(r.roles, 'pat.lee@district.org', 'approver', '001')).toBe(false);
  });

  it('reads "all" and gives the CFO every site', () => {
    const t = roles();
    expect(hasRole(t, 'al.approver@district.org', 'approver', '999')).toBe(true);
    expect(hasRole(t, 'cy.cfo@district.org', 'cfo', '123')).toBe(true);
    expect(holdersOf(t, 'approver', '001')).toEqual([
      'al.approver@district.org',
      'ann.approver@district.org',
    ]);
  });

  it('matches all-digit site codes whose leading zeros the spreadsheet dropped', () => {
    const r = readRoles(
      [
        ['Email', 'Role', 'Sites'],
        ['a@d.org', 'builder', 1],
      ],
      { sites: ['001', '002'] },
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.roles.assignments[0]?.sites).toEqual(['001']);
  });

  it.each([
    ['a blank e-mail', ['', 'builder', '001'], 'BL607', 'A2'],
    ['a malformed e-mail', ['pat at district', 'builder', '001'], 'BL607', 'A2'],
    ['an unknown role', ['a@d.org', 'boss', '001'], 'BL608', 'B2'],
    ['a blank role', ['a@d.org', '', '001'], 'BL608', 'B2'],
    ['no sites for a builder', ['a@d.org', 'builder', ''], 'BL609', 'C2'],
    ['an unknown site', ['a@d.org', 'approver', '001, 777'], 'BL609', 'C2'],
  ])('reports %s with sheet and cell and leaves the row out', (_name, row, code, cell) => {
    const r = readRoles([['Email', 'Role', 'Sites'], row], { sheet: 'Roles', sites: ['001', '002'] });
    expect(r.diagnostics.map((d) => [d.code, d.sheet, d.cell])).toEqual([[code, 'Roles', cell]]);
    expect(r.roles.assignments).toEqual([]);
  });

  it('reports every bad cell of a row, not just the first', () => {
    const r = readRoles([
      ['Email', 'Role', 'Sites'],
      ['nobody', 'boss', '001'],
    ]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL607', 'BL608']);
  });

  it('reports a missing column and reads no rows', () => {
    const r = readRoles([
      ['Email', 'Sites'],
      ['a@d.org', '001'],
    ]);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['BL306']);
    expect(r.roles.assignments).toEqual([]);
  });
});
