import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CALIFORNIA_JSON,
  DEFAULT_PRESET_ID,
  NCES_JSON,
  PRESETS,
  TEXAS_JSON,
  isPresetId,
  loadChartFromJson,
  loadPreset,
  presetIds,
  type PresetId,
} from '../../../core';

type Layout = [key: string, length: number, chars: string, role?: string][];

const LAYOUTS: Record<PresetId, { delimiter: string | null; segments: Layout; hierarchical: string[] }> = {
  nces: {
    delimiter: '-',
    segments: [
      ['fund', 3, 'digits'],
      ['function', 4, 'digits'],
      ['object', 3, 'digits'],
      ['program', 3, 'digits'],
      ['site', 3, 'digits'],
    ],
    hierarchical: ['function', 'object', 'program'],
  },
  texas: {
    delimiter: '-',
    segments: [
      ['fund', 3, 'digits'],
      ['function', 2, 'digits'],
      ['object', 4, 'digits'],
      ['subObject', 2, 'digits'],
      ['organization', 3, 'digits'],
      ['fiscalYear', 1, 'digits', 'fiscalYear'],
      ['programIntent', 2, 'digits'],
      ['local', 3, 'alnum'],
    ],
    hierarchical: ['object'],
  },
  california: {
    delimiter: null,
    segments: [
      ['fund', 2, 'digits'],
      ['resource', 4, 'alnum'],
      ['projectYear', 1, 'digits'],
      ['goal', 4, 'alnum'],
      ['function', 4, 'digits'],
      ['object', 4, 'alnum'],
    ],
    hierarchical: ['function', 'object', 'goal'],
  },
};

describe('chart-of-accounts presets', () => {
  test('are NCES (the default), Texas and California', () => {
    expect(presetIds).toEqual(['nces', 'texas', 'california']);
    expect(DEFAULT_PRESET_ID).toBe('nces');
    expect(loadPreset()).toBe(loadPreset('nces'));
    expect(PRESETS).toEqual({ nces: NCES_JSON, texas: TEXAS_JSON, california: CALIFORNIA_JSON });
    expect(isPresetId('texas')).toBe(true);
    expect(isPresetId('ohio')).toBe(false);
  });

  test.each(presetIds)('%s loads with no findings at all', (id) => {
    const { chart, diagnostics } = loadChartFromJson(PRESETS[id]);
    expect(diagnostics).toEqual([]);
    expect(chart?.id).toBe(id);
    expect(loadPreset(id)).toEqual(chart);
  });

  test.each(presetIds)('%s has the specified segment layout', (id) => {
    const chart = loadPreset(id);
    const want = LAYOUTS[id];
    expect(chart.delimiter).toBe(want.delimiter);
    expect(chart.segments.map((s) => [s.key, s.length, s.chars, ...(s.role ? [s.role] : [])])).toEqual(
      want.segments,
    );
    expect(chart.hierarchical).toEqual(want.hierarchical);
  });

  test('default fiscal years: FY2027 for NCES and Texas, FY2022 (the latest CDE tables) for California', () => {
    expect(presetIds.map((id) => loadPreset(id).defaultFiscalYear)).toEqual([2027, 2027, 2022]);
  });

  test.each(presetIds)('%s has tidy code lists: titled, trimmed, single-spaced, one entry per code', (id) => {
    const chart = loadPreset(id);
    for (const [segment, list] of Object.entries(chart.codes)) {
      const seen = new Set<string>();
      for (const e of list) {
        const where = `${segment} ${e.code}`;
        expect([where, e.description.length > 0]).toEqual([where, true]);
        expect([where, e.description]).toEqual([where, e.description.replace(/\s+/g, ' ').trim()]);
        expect([where, seen.has(e.code)]).toEqual([where, false]);
        seen.add(e.code);
      }
    }
  });

  test('the preset module stays pure (no Node modules in core/presets)', () => {
    const src = readFileSync(join(__dirname, '../../../core/presets/index.ts'), 'utf8');
    expect(src).not.toMatch(/from ['"](node:|fs|path)/);
  });

  test('the lists have the expected sizes', () => {
    const counts = Object.fromEntries(
      presetIds.map((id) => [
        id,
        Object.fromEntries(Object.entries(loadPreset(id).codes).map(([k, v]) => [k, v.length])),
      ]),
    );
    expect(counts).toEqual({
      nces: { fund: 20, function: 66, object: 81, program: 9 },
      texas: { fund: 18, function: 25, object: 34, subObject: 1, organization: 1, programIntent: 12 },
      california: { fund: 34, resource: 273, projectYear: 1, goal: 37, function: 76, object: 245 },
    });
  });
});
