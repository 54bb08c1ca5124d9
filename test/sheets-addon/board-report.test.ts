/**
 * The "Board report" command of the BUILT add-on (dist/sheets-addon/Code.js in node:vm over the Apps
 * Script fakes): the sidebar's `boardReport` and the menu's `menuBoardReport` write the report sheets
 * and their EmbeddedCharts through one read and one write, replace each chart by name when run again,
 * leave print setup to the CFO (no Apps Script API) and say which settings to choose.
 */
import { REPORT_SHEETS } from '../../core/report/sheets';
import { CHARTS_KEY } from '../../sheets-addon/src/port';
import { BUILDER, CFO, OUTSIDER, call, loadBundle, newDistrict, type Bundle } from './bundle';
import { FakeEnv, chartsOf } from './fakes';

const SITE = 'Lincoln Elementary';
const NAMES = Object.values(REPORT_SHEETS) as string[];

interface Reply {
  ok: boolean;
  summary: string;
  sheets?: string[];
  printing?: string[];
}

function setup(): { env: FakeEnv; bundle: Bundle } {
  const env = new FakeEnv();
  const bundle = loadBundle(env);
  newDistrict(env, bundle);
  return { env, bundle };
}

const reportCharts = (env: FakeEnv) =>
  NAMES.flatMap((n) => (env.spreadsheet.sheets.some((s) => s.name === n) ? chartsOf(env, n) : []));

describe('the Board report in the built add-on', () => {
  it('writes the report sheets and their charts for the CFO, and says how to print them', () => {
    const { env, bundle } = setup();
    const site = env.spreadsheet.sheet(SITE).grid();
    env.counts.reset();
    const r = call<Reply>(bundle, env, CFO, 'boardReport', 'include-marked', 'proposed');
    expect(r.summary).toMatch(/^Board report written \(PROPOSED/);
    expect(r.ok).toBe(true);
    expect(r.sheets).toEqual(NAMES);
    for (const n of NAMES) expect(env.spreadsheet.sheet(n).grid().length).toBeGreaterThan(1);

    // native charts, named (their ids kept in DocumentProperties), over their own sheet's data
    const charts = reportCharts(env);
    expect(charts.length).toBeGreaterThanOrEqual(3);
    for (const c of charts) {
      expect(c.name).not.toBe('(not Budgetline’s)');
      expect(['pie', 'column', 'bar', 'line']).toContain(c.type);
      expect(c.title).not.toBe('');
    }
    expect(env.documentProperties.getProperty(CHARTS_KEY)).not.toBeNull();
    // one read of the workbook: one getValues per sheet or one batchGet, no call per cell
    expect(env.counts.get('Range.getValue')).toBe(0);
    expect(env.counts.get('Range.setValue')).toBe(0);
    expect(env.counts.get('Sheet.insertChart')).toBe(charts.length);

    // print setup is left to the CFO: the reply says how, sheet by sheet
    expect(r.printing?.[0]).toMatch(/File › Download › PDF.*Fit to width/);
    expect(r.printing?.slice(1)).toHaveLength(NAMES.length);
    expect(r.printing?.[1]).toMatch(
      new RegExp(`^${REPORT_SHEETS.cover}: (portrait|landscape), fit to width`),
    );
    // nothing else changed
    expect(env.spreadsheet.sheet(SITE).grid()).toEqual(site);

    // again: each chart is changed in place, never a second one
    env.counts.reset();
    const again = call<Reply>(bundle, env, CFO, 'boardReport', 'include-marked', 'draft');
    expect(again.summary).toMatch(/^Board report written \(DRAFT/);
    expect(env.counts.get('Sheet.insertChart')).toBe(0);
    expect(env.counts.get('Sheet.updateChart')).toBe(charts.length);
    expect(
      reportCharts(env)
        .map((c) => c.name)
        .sort(),
    ).toEqual(charts.map((c) => c.name).sort());
  });

  it('refuses anyone but the CFO, and a user Google does not name, writing nothing', () => {
    const { env, bundle } = setup();
    const builder = call<Reply>(bundle, env, BUILDER, 'boardReport', 'include-marked', 'draft');
    expect(builder.ok).toBe(false);
    expect(builder.summary).toMatch(/^No board report was written/);
    const outsider = call<Reply>(bundle, env, OUTSIDER, 'boardReport', 'include-marked', 'draft');
    expect(outsider.ok).toBe(false);
    expect(outsider.summary).toMatch(/Google did not tell Budgetline who you are/);
    expect(env.spreadsheet.sheets.map((s) => s.name).filter((n) => NAMES.includes(n))).toEqual([]);
    expect(reportCharts(env)).toEqual([]);
  });

  it('runs from the menu, with the result and the print settings in an alert', () => {
    const { env, bundle } = setup();
    call(bundle, env, CFO, 'menuBoardReport');
    const alert = env.ui.alerts.at(-1) ?? '';
    expect(alert).toMatch(/Board report written \(DRAFT/);
    expect(alert).toContain(`${REPORT_SHEETS.funds}: `);
    expect(alert).toMatch(/Headers & footers/);
  });
});
