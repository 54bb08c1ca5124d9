/** Shared helpers for the preset tests: a validator per preset and year, and finding summaries. */
import { compileChart, loadPreset, type AccountCheck, type PresetId, type Validator } from '../../../core';

const cache = new Map<string, Validator>();

/** The compiled preset for a fiscal year (its default year when omitted). */
export function validator(id: PresetId, fiscalYear?: number): Validator {
  const chart = loadPreset(id);
  const fy = fiscalYear ?? chart.defaultFiscalYear ?? 2027;
  const key = `${id}:${fy}`;
  let v = cache.get(key);
  if (!v) {
    v = compileChart(chart, fy);
    cache.set(key, v);
  }
  return v;
}

/** "BL201 20030-0015 fatal" style summaries of every finding, for compact expectations. */
export function findings(c: AccountCheck): string[] {
  return c.diagnostics.map((d) => [d.code, d.ruleId ?? d.segment, d.severity].join(' '));
}

/** "01-0000-0-0000-2100-1300" → "0100000000021001300". */
export function undashed(s: string): string {
  return s.replace(/-/g, '');
}
