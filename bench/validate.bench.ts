/**
 * bench validate-nces / validate-sacs: lines per second through Validator.check on 1,000,000
 * generated account strings (about 2% with a mistake), against the NCES and California presets.
 */
import { compileChart, expand, parsePattern, type Chart, type Validator } from '../core';
import { loadPreset } from '../core/presets';
import { bestRate, report, rng } from './util';

const N = 1_000_000;

function codeLists(chart: Chart, v: Validator): string[][] {
  return chart.segments.map((def) => {
    if (def.role === 'fiscalYear') return [String(v.fiscalYear).slice(-def.length)];
    const list = chart.codes[def.key] ?? [];
    if (!list.length) return Array.from({ length: 60 }, (_, i) => String(i + 1).padStart(def.length, '0'));
    const out: string[] = [];
    for (const e of list) {
      const p = parsePattern(e.code, def.length, def.chars, e.kind);
      if ('pattern' in p)
        for (const c of expand(p.pattern, def.chars, 200) ?? []) if (v.lookup(def.key, c)) out.push(c);
    }
    return out;
  });
}

export function generate(chart: Chart, v: Validator, n: number, seed: number): string[] {
  const r = rng(seed);
  const lists = codeLists(chart, v);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    // A realistic budget line: draw codes until the combination passes the chart's rules with no
    // finding at all (a warning counts: real ledgers code revenue lines to goal and function 0000, so
    // a random revenue object with a random function is not a realistic line but a warning).
    let parts = lists.map((l) => l[Math.floor(r() * l.length)] as string);
    for (let tries = 0; tries < 50 && v.check(v.format(parts)).diagnostics.length > 0; tries++)
      parts = lists.map((l) => l[Math.floor(r() * l.length)] as string);
    if (r() < 0.02) {
      const k = Math.floor(r() * parts.length);
      parts[k] = (parts[k] as string).replace(/.$/, (c) => (c === '9' ? '8' : '9'));
    }
    out[i] = v.format(parts);
  }
  return out;
}

function run(name: string, chart: Chart, fy: number): void {
  const v = compileChart(chart, fy);
  const lines = generate(chart, v, N, 42);
  let fatal = 0;
  let findings = 0;
  for (const l of lines) if (v.check(l).diagnostics.length) findings++;
  // Each run compiles the chart afresh (included in the time), so no run profits from suggestions
  // another run already worked out.
  const rate = bestRate(N, () => {
    const fresh = compileChart(chart, fy);
    fatal = 0;
    for (let i = 0; i < N; i++) if (!fresh.check(lines[i]).ok) fatal++;
  });
  report(name, rate, 'lines/s');
  console.log(`# ${name}: ${N} lines, ${fatal} with a fatal finding, ${findings} with any finding`);
}

export default function (): void {
  run('validate-nces', loadPreset('nces'), 2027);
  run('validate-sacs', loadPreset('california'), 2022);
}
