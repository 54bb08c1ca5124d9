import {
  GENESIS_HASH,
  SITE_HEADER,
  auditRow,
  makeEntry,
  SITES_TABLE,
  gridOf,
  readAuditLog,
  readSetup,
  readSiteList,
  readSiteSheet,
  rowKind,
  siteKindColumns,
  siteSheetName,
  verifyAuditLog,
  type CellValue,
} from '../../../core';

describe('the district workbook layout', () => {
  const cols = siteKindColumns([...SITE_HEADER]);
  const row = (o: Partial<Record<(typeof SITE_HEADER)[number], CellValue>>): CellValue[] =>
    SITE_HEADER.map((h) => o[h] ?? null);

  it.each([
    ['a Type of Line', row({ Type: 'Line', FTE: 1 }), 'line'],
    ['a Type of Position', row({ Type: 'position' }), 'position'],
    ['a blank Type with an FTE', row({ Account: 'x', FTE: 0.5 }), 'position'],
    ['a blank Type with a job type', row({ 'Job type': 'TCH' }), 'position'],
    ['a blank Type with only an amount', row({ Account: 'x', Amount: 5 }), 'line'],
    ['an unknown Type', row({ Type: 'Supplies' }), { unknown: 'Supplies' }],
  ])('reads %s as %j', (_, r, kind) => {
    expect(rowKind(r, cols)).toEqual(kind);
  });

  it.each([
    ['001', 'Lincoln Elementary', '', 'Lincoln Elementary'],
    ['001', '', '', '001'],
    ['001', 'Lincoln', 'LIN Budget', 'LIN Budget'],
    ['002', 'A/B: [Annex]?', '', 'AB Annex'],
  ])('names the sheet of site %s (%s, Sheet %j) %j', (code, name, sheet, want) => {
    expect(siteSheetName(code, name, sheet)).toBe(want);
  });

  it.each([
    ['a fixed sheet, in another case', [['001', 'Lincoln', 300, 'master budget']], '001', "Budgetline's own"],
    ['a Budgetline sheet', [['001', 'Lincoln', 300, 'Budgetline Findings']], '001', "Budgetline's own"],
    [
      'the sheet of an earlier site (31-character cut)',
      [
        ['001', 'Lincoln Elementary School of the Arts North', 300, ''],
        ['002', 'Lincoln Elementary School of the Arts South', 300, ''],
      ],
      '002',
      'the sheet of site 001',
    ],
  ])(
    'refuses a site whose sheet name is %s (BL812), on its Sites cell, and reads nothing for it',
    (_, rows, code, taken) => {
      const grid = gridOf(SITES_TABLE, ['code', 'name', 'enrollment', 'sheet'], rows);
      const list = readSiteList(grid);
      expect(list.diagnostics.map((d) => [d.code, d.sheet, d.cell])).toEqual([
        ['BL812', 'Sites', `D${rows.length + 1}`],
      ]);
      expect(list.diagnostics[0]?.message).toContain(taken);
      const entry = list.sites.find((s) => s.code === code);
      if (!entry) throw new Error('site missing');
      const sheet = readSiteSheet({ sites: list.sites } as never, entry, [
        ['Account', 'Amount'],
        ['100-1000-610', 5],
      ]);
      expect(sheet.lines).toEqual([]);
      expect(sheet.diagnostics.map((d) => d.code)).toEqual(['BL812']);
    },
  );

  it('accepts distinct sheet names that differ from every fixed sheet', () => {
    const grid = gridOf(
      SITES_TABLE,
      ['code', 'name', 'enrollment', 'sheet'],
      [
        ['001', 'Lincoln', 300, ''],
        ['002', 'Setup Academy', 300, ''],
      ],
    );
    expect(readSiteList(grid).diagnostics).toEqual([]);
  });

  it('reads the Setup sheet, with the preset chart’s delimiter', () => {
    const r = readSetup([
      ['Setting', 'Value'],
      ['District', 'Springfield USD'],
      ['Fiscal Year', '2026-27'],
      ['Chart', 'california'],
    ]);
    expect(r.setup).toMatchObject({
      district: 'Springfield USD',
      fiscalYear: 2027,
      chart: 'california',
      delimiter: null,
    });
  });

  it('reads back the audit rows it writes, and the chain verifies', () => {
    const e1 = makeEntry({
      at: '2026-11-28T09:30:00.000Z',
      site: '001',
      action: 'submit',
      actor: 'a@b.org',
      role: 'builder',
      identity: 'verified',
      contentHash: 'c'.repeat(64),
      comment: 'tab\there',
      prevHash: GENESIS_HASH,
    });
    const log = readAuditLog([
      [
        'Time (UTC)',
        'Site',
        'Action',
        'Actor',
        'Role',
        'Identity',
        'Content hash',
        'Comment',
        'Previous hash',
        'Hash',
      ],
      auditRow(e1),
    ]);
    expect(log).toEqual({ entries: [e1], diagnostics: [] });
    expect(verifyAuditLog(log.entries, e1.hash)).toEqual([]);
  });
});
