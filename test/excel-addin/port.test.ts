import { ExcelPort, SETTINGS, needsTextPrefix } from '../../excel-addin/src/port';
import { describePortContract } from '../port/contract';
import { dropdownsOf, install, marksOf, useSession } from './helpers';

describePortContract('ExcelPort over the fake Office.js', () => {
  const fake = install({ ssoUser: 'Principal@District.k12.us' });
  let session = fake;
  return Promise.resolve({
    port: new ExcelPort(),
    inspect: {
      marks: (sheet: string) => Promise.resolve(marksOf(session, sheet)),
      protectedSheets: () =>
        Promise.resolve(session.book.sheets.filter((s) => s.protected).map((s) => s.name)),
      dropdowns: () => Promise.resolve(dropdownsOf(session)),
      numberFormat: (sheet: string, cell: string) =>
        Promise.resolve(session.cell(sheet, cell).format ?? null),
    },
    expectedUser: { email: 'principal@district.k12.us', name: 'Principal', verified: true },
    reopen: () => {
      session = useSession(fake.reopen());
      return Promise.resolve(new ExcelPort());
    },
    storeRawState: (raw: string) => {
      Office.context.document.settings.set(SETTINGS.state, raw);
      return Promise.resolve(new ExcelPort());
    },
  });
});

describe('ExcelPort round trips', () => {
  it('reads sheets, windows, state and user with one sync', async () => {
    const fake = install({
      sheets: {
        Site: [
          ['Account', 'Amount'],
          ['a', 1],
          ['b', 2],
        ],
        Other: [['x']],
      },
    });
    const port = new ExcelPort();
    fake.resetStats();
    const snap = await port.read({
      sheets: ['Other'],
      rows: [{ sheet: 'Site', from: 1, to: 2 }],
      state: true,
      user: true,
    });
    expect(fake.book.stats.syncs).toBe(1);
    expect(snap.windows[0]?.values).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(snap.user).toBeNull();
  });

  it("reads 'all' sheets with one sync", async () => {
    const sheets: Record<string, string[][]> = {};
    for (let i = 0; i < 40; i++) sheets[`S${i}`] = [[`v${i}`]];
    const fake = install({ sheets });
    const port = new ExcelPort();
    fake.resetStats();
    const snap = await port.read({ sheets: 'all' });
    expect(Object.keys(snap.sheets)).toHaveLength(40);
    expect(snap.sheets['S39']).toEqual([['v39']]);
    // 40 sheets is more than the first walk covers: one more sync, once; after that the walk knows.
    fake.resetStats();
    await port.read({ sheets: 'all' });
    expect(fake.book.stats.syncs).toBe(1);
  });

  it('writes values, marks, dropdowns, protection and state with one sync after a read', async () => {
    const fake = install({ sheets: { Codes: [['Code'], ['100']], Site: [['Fund']] } });
    const port = new ExcelPort();
    await port.read({ sheets: ['Site'] });
    fake.resetStats();
    await port.write({
      sheets: [
        { sheet: 'Site', values: [['Fund'], ['100']] },
        { sheet: 'New', values: [['n']] },
      ],
      marks: [{ sheet: 'Site', cell: 'A2', severity: 'fatal', note: 'bad' }],
      dropdowns: [{ sheet: 'Site', range: 'A2:A9', source: { sheet: 'Codes', range: 'A2:A2' } }],
      protect: [{ sheet: 'Site', reason: 'Submitted' }],
      state: { version: 1, sites: {}, lastAuditHash: 'a'.repeat(64) },
    });
    expect(fake.book.stats.syncs).toBe(1);
    expect(fake.book.stats.settingsSaves).toBe(1);
    expect(fake.cell('Site', 'A2')).toMatchObject({ value: '100', fill: '#FFC7CE', note: 'bad' });
  });

  it('writes text Excel would convert with an apostrophe, and only that text', () => {
    for (const s of ['001', '=1+1', 'TRUE', '6/1', ' 12 ', '-5', '+1', "'q", '2026-27', '$5'])
      expect(needsTextPrefix(s)).toBe(true);
    for (const s of ['Lincoln Elementary', 'Title I', 'a-b', '']) expect(needsTextPrefix(s)).toBe(false);
  });

  it('reports the SSO user from the token, verified, and null without SSO', async () => {
    install({ ssoUser: 'cfo@district.k12.us' });
    expect((await new ExcelPort().read({ user: true })).user).toMatchObject({
      email: 'cfo@district.k12.us',
      verified: true,
    });
    install({});
    expect((await new ExcelPort().read({ user: true })).user).toBeNull();
  });
});
