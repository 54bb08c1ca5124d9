/**
 * Findings that name many items (sites, workflow steps, amendments, cost changes, choices): the
 * message shows the count and the first few (core's `few`), the finding's `items` keeps the whole
 * list, and the CLI's human form says where the whole list is.
 */
import { FEW, diag, few, formatDiagnostic } from '../../core';

const sites = Array.from({ length: 40 }, (_, i) => String(101 + i));

describe('findings that name many items', () => {
  it('few shows every item up to FEW, then the first FEW and how many more', () => {
    expect(few(['101', '102'])).toBe('101, 102');
    expect(few(sites.slice(0, FEW))).toBe(sites.slice(0, FEW).join(', '));
    expect(few(sites)).toBe(`${sites.slice(0, FEW).join(', ')} and ${40 - FEW} more`);
    expect(few(['a', 'b', 'c', 'd', 'e'], '; ')).toBe(
      `${['a', 'b', 'c'].slice(0, FEW).join('; ')} and ${5 - FEW} more`,
    );
  });

  it('a short list is in the message whole, with no items', () => {
    const d = diag('BL712', { sites: ['103', '110'] });
    expect(d.message).toBe('2 sites are not approved and left out: 103, 110');
    expect(d.items).toBeUndefined();
  });

  it.each([
    ['BL712', 'message', diag('BL712', { sites })],
    ['BL713', 'message', diag('BL713', { sites })],
    [
      'BL633',
      'message',
      diag('BL633', { steps: sites.map((s, i) => `entry ${i + 1} ${s} submit by x@d.org`) }),
    ],
    ['BL660', 'message', diag('BL660', { ids: sites.map((s) => `A-${s}`) })],
    ['BL861', 'message', diag('BL861', { ids: sites.map((s) => `CC-${s}`), next: 'FY2027' })],
    ['BL863', 'message', diag('BL863', { increase: '2%', ids: sites.map((s) => `CC-${s}`) })],
    ['BL654', 'message', diag('BL654', { id: 'A-9', known: sites.map((s) => `A-${s}`) })],
    ['BL802', 'remedy', diag('BL802', { site: '009', known: sites })],
    ['BL840', 'remedy', diag('BL840', { site: '009', known: sites })],
    ['BL858', 'remedy', diag('BL858', { id: 'CC-1', site: '009', known: sites })],
    ['BL908', 'remedy', diag('BL908', { id: 'P-99', known: sites.map((s) => `P-${s}`) })],
    ['BL916', 'remedy', diag('BL916', { id: 'P-1', category: 'X', known: sites.map((s) => `Cat ${s}`) })],
    ['BL919', 'remedy', diag('BL919', { scenario: 'Z', known: sites.map((s) => `S${s}`) })],
    ['BL304', 'remedy', diag('BL304', { segment: 'x', known: sites })],
  ] as const)('%s: the count and the first few in its %s, all 40 in items', (_, where, d) => {
    expect(d[where]).toMatch(new RegExp(` and ${40 - FEW} more`));
    expect(d[where]).not.toContain('140');
    expect(d.items).toHaveLength(40);
    expect(new Set(d.items).size).toBe(40);
    expect(d.items?.[39]).toContain('140');
  });

  it('the human form says where the whole list is, only when the list was shortened', () => {
    const long = diag('BL712', { sites });
    expect(formatDiagnostic(long, { whole: '--json lists all' })).toBe(
      `BL712 warning: 40 sites are not approved and left out: 101, 102, 103 and 37 more (--json lists all 40)`,
    );
    expect(formatDiagnostic(diag('BL712', { sites: ['103'] }), { whole: '--json lists all' })).toBe(
      'BL712 warning: 1 site is not approved and left out: 103',
    );
  });
});
