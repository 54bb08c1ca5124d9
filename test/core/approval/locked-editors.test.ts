import { lockedSheetEditors, type RolesTable } from '../../../core';

describe('lockedSheetEditors: who may still edit a submitted or approved site sheet', () => {
  const roles: RolesTable = {
    assignments: [
      { email: 'pat@d.org', role: 'builder', sites: ['001'] },
      { email: 'ann@d.org', role: 'approver', sites: ['001', '002'] },
      { email: 'zed@d.org', role: 'approver', sites: 'all' },
      { email: 'bo@d.org', role: 'approver', sites: ['002'] },
      { email: 'cfo@d.org', role: 'cfo', sites: 'all' },
      // approver elsewhere, builder here: never an editor of the sheet they built
      { email: 'lee@d.org', role: 'approver', sites: 'all' },
      { email: 'lee@d.org', role: 'builder', sites: ['001'] },
      { email: 'vi@d.org', role: 'viewer', sites: 'all' },
    ],
  };

  it("is the site's approvers and the CFO, never one of its builders", () => {
    expect(lockedSheetEditors(roles, '001')).toEqual(['ann@d.org', 'cfo@d.org', 'zed@d.org']);
    expect(lockedSheetEditors(roles, '002')).toEqual([
      'ann@d.org',
      'bo@d.org',
      'cfo@d.org',
      'lee@d.org',
      'zed@d.org',
    ]);
  });
});
