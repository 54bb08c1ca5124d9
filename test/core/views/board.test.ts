import type { StatusView } from '../../../core/operations/api';
import { boardPanel, draftArgs } from '../../../core/views/board';

const view = (over: Partial<StatusView>): StatusView =>
  ({ sites: [], people: [], ...over }) as unknown as StatusView;
const A1 = {
  id: 'A-1',
  site: '001',
  state: 'approved' as const,
  reason: 'Move supplies',
  resolution: '2026-41',
};
const A2 = { id: 'A-2', site: '002', state: 'applied' as const, reason: 'Books', resolution: '2026-42' };

describe('the Board panel', () => {
  it('shows the CFO the vote before adoption, and nobody else anything', () => {
    const open = { state: 'open' as const, amendments: [] };
    expect(boardPanel(view({ canAdopt: true, board: open }))).toMatchObject({
      visible: true,
      vote: true,
      amend: false,
      status: 'Not adopted yet: when every site is approved, record the board vote here.',
    });
    expect(boardPanel(view({ canAdopt: false, board: open })).visible).toBe(false);
  });

  it('after adoption: no vote; pending amendments to approve (anyone shown) or apply (the CFO)', () => {
    const board = {
      state: 'adopted' as const,
      adopted: { date: '2026-06-18', resolution: '2026-27', hash: 'h' },
      amendments: [A1, A2],
    };
    const approver = boardPanel(view({ canAdopt: false, board }));
    expect(approver).toMatchObject({ visible: true, vote: false, amend: true, apply: false });
    expect(approver.status).toBe('ADOPTED by the board on 2026-06-18, resolution 2026-27.');
    expect(approver.pending).toEqual([{ id: 'A-1', label: 'A-1 (001, approved): Move supplies' }]);
    expect(approver.list).toEqual([
      'A-1 001: approved, resolution 2026-41. Move supplies',
      'A-2 002: applied, resolution 2026-42. Books',
    ]);
    expect(boardPanel(view({ canAdopt: true, board })).apply).toBe(true);
  });

  it("says the board's comment when it did not adopt", () => {
    const p = boardPanel(
      view({ canAdopt: true, board: { state: 'revision', comment: 'Cut 2%', amendments: [] } }),
    );
    expect(p.status).toBe("NOT ADOPTED: back to revision. Board's comment: Cut 2%");
    expect(p.vote).toBe(true);
  });
});

describe('Draft amendment in the Board panel', () => {
  const adopted = {
    state: 'adopted' as const,
    adopted: { date: '2026-06-18', resolution: '2026-27', hash: 'h' },
    amendments: [A1, { ...A2, id: 'a-7' }],
  };
  const sites = [
    { code: '001', name: 'Lincoln Elementary', sheet: 'Lincoln Elementary', state: 'approved' },
    { code: '002', name: 'Washington Middle', sheet: 'Washington Middle', state: 'approved' },
  ];

  it('after adoption, a site builder who is not the CFO sees the form for their sites, with the next free ID', () => {
    const p = boardPanel(view({ canAdopt: false, sites, amendSites: ['002'], board: adopted } as never));
    expect(p).toMatchObject({ visible: true, draft: true, draftId: 'A-8' });
    expect(p.draftSites).toEqual([{ code: '002', label: 'Washington Middle (002)' }]);
    const none = boardPanel(
      view({ canAdopt: false, sites, amendSites: ['002'], board: { ...adopted, amendments: [] } } as never),
    );
    expect(none).toMatchObject({ visible: true, draft: true, draftId: 'A-1' });
  });

  it('before adoption, or for someone who may draft for no site, there is no form', () => {
    const open = { state: 'open' as const, amendments: [] };
    expect(boardPanel(view({ canAdopt: true, sites, amendSites: [], board: open } as never)).draft).toBe(
      false,
    );
    const viewer = boardPanel(
      view({ canAdopt: false, sites, amendSites: [], board: { ...adopted, amendments: [] } } as never),
    );
    expect(viewer).toMatchObject({ visible: false, draft: false, draftSites: [] });
  });

  it('reads the form as amend --add does: one account and its signed amount a line', () => {
    expect(
      draftArgs({
        id: ' A-2 ',
        site: '001',
        lines: '100-1000-610-100-001  -1,500.00\r\n\n  100-2220-640-100-001\t1,500.00  \n',
        reason: ' Move supplies money to library books ',
      }),
    ).toEqual({
      step: 'add',
      id: 'A-2',
      site: '001',
      accounts: ['100-1000-610-100-001', '100-2220-640-100-001'],
      amounts: ['-1,500.00', '1,500.00'],
      reason: 'Move supplies money to library books',
    });
    // A line with no amount keeps its account and no amount: amend refuses the count (BL647).
    expect(draftArgs({ id: 'A-3', site: '001', lines: '100-1000-610-100-001', reason: 'x' })).toMatchObject({
      accounts: ['100-1000-610-100-001'],
      amounts: [],
    });
  });
});
