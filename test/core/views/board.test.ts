import type { StatusView } from '../../../core/operations/api';
import { boardPanel } from '../../../core/views/board';

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
