/**
 * The chart-of-accounts presets, shipped as data: NCES Handbook (the default), Texas FASRG with the
 * PEIMS edit rules, and California SACS (generated from the CDE code tables by
 * scripts/generate-sacs.ts; do not edit california.json by hand).
 *
 * The JSON files are the source of truth; `loadPreset` reads them through `loadChartFromJson`, which
 * checks them like any district's chart (a test requires zero findings for every preset).
 *
 * Each preset says which codes are revenue, expenditure, other financing source and use, balances
 * (its `classes`): NCES keeps its revenue-source codes as their own list (`codes.revenueSource`).
 *
 * Not in the charts, because the chart model has no amounts: PEIMS 20030-0045 (revenue objects 5XXX
 * need an amount above zero) and CDE's CHK-UNBALANCED. Those belong to the amount checks.
 */
import { loadChartFromJson } from '../accounts/chart-load';
import type { Chart } from '../accounts/types';
import californiaJson from './california.json';
import ncesJson from './nces.json';
import texasJson from './texas.json';

/** A code-list entry as written in a preset file: `[code, description]` or an object. */
export type CodeJson =
  | readonly string[]
  | {
      readonly code: string;
      readonly description: string;
      readonly kind?: string | undefined;
      readonly active?: boolean | undefined;
      readonly fromFY?: number | undefined;
      readonly toFY?: number | undefined;
    };

/** The preset file format (what `loadChartFromJson` reads). Rules are written as text. */
export interface ChartJson {
  readonly id: string;
  readonly name: string;
  readonly delimiter: string | null;
  readonly defaultFiscalYear?: number | undefined;
  readonly source?: string | undefined;
  readonly segments: readonly {
    readonly key: string;
    readonly name: string;
    readonly length: number;
    readonly chars: string;
    readonly synonyms?: readonly string[] | undefined;
    readonly role?: string | undefined;
    readonly description?: string | undefined;
  }[];
  readonly codes: Readonly<Record<string, readonly CodeJson[]>>;
  readonly rules: readonly {
    readonly id: string;
    readonly severity: string;
    readonly when?: string | undefined;
    readonly then: string;
    readonly message: string;
  }[];
  readonly combinations: readonly {
    readonly id: string;
    readonly severity: string;
    readonly a: string;
    readonly b: string;
    readonly allowed: readonly (readonly string[])[];
    readonly message: string;
  }[];
  readonly hierarchical?: readonly string[] | undefined;
  /** Which codes are revenue, expenditure, ... (see core/accounts/classes.ts). */
  readonly classes?:
    | readonly {
        readonly class: string;
        readonly segment: string;
        readonly codes: string;
        readonly description?: string | undefined;
      }[]
    | undefined;
}

export const NCES_JSON: ChartJson = ncesJson;
export const TEXAS_JSON: ChartJson = texasJson;
export const CALIFORNIA_JSON: ChartJson = californiaJson;

export const presetIds = ['nces', 'texas', 'california'] as const;
export type PresetId = (typeof presetIds)[number];

/** NCES is the default chart for a new district workbook. */
export const DEFAULT_PRESET_ID: PresetId = 'nces';

/** The preset files by id, in the order a chart picker lists them. */
export const PRESETS: Readonly<Record<PresetId, ChartJson>> = {
  nces: NCES_JSON,
  texas: TEXAS_JSON,
  california: CALIFORNIA_JSON,
};

export function isPresetId(value: string): value is PresetId {
  return (presetIds as readonly string[]).includes(value);
}

const loaded = new Map<PresetId, Chart>();

/**
 * The loaded chart of a preset (memoised). Throws only if a shipped preset does not load, which is
 * a programming error that the preset tests catch.
 */
export function loadPreset(id: PresetId = DEFAULT_PRESET_ID): Chart {
  const hit = loaded.get(id);
  if (hit) return hit;
  const { chart, diagnostics } = loadChartFromJson(PRESETS[id]);
  if (!chart) {
    const first = diagnostics[0];
    throw new Error(`preset ${id} does not load: ${first ? `${first.code} ${first.message}` : 'no chart'}`);
  }
  loaded.set(id, chart);
  return chart;
}
