import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_IN_FORMATS, CATALOGUE, presetIds, type DiagnosticCode } from '../core';
import { examples, renderDiagnosticsDoc } from './fixtures/diagnostics';

describe('the diagnostics reference', () => {
  const codes = Object.keys(CATALOGUE) as DiagnosticCode[];

  it.each(codes)('%s has a worked example that produces it', (code) => {
    const ex = examples.filter((e) => e.code === code);
    expect(ex).toHaveLength(1);
    const found = ex[0]!.run();
    expect(found.map((d) => d.code)).toContain(code);
  });

  it('has no example for a code the catalogue does not have', () => {
    expect(examples.map((e) => e.code).filter((c) => !(c in CATALOGUE))).toEqual([]);
  });

  it('docs/diagnostics.md is current (run `npm run generate:docs` after changing a message)', () => {
    const onDisk = readFileSync(join(__dirname, '..', 'docs', 'diagnostics.md'), 'utf8');
    expect(onDisk).toBe(renderDiagnosticsDoc());
  });
});

describe('the pages remedies point at', () => {
  const page = (name: string): string => readFileSync(join(__dirname, '..', 'docs', name), 'utf8');

  it('every docs/ page a remedy names exists', () => {
    // Every code has a worked example, so running them shows every remedy as a principal reads it.
    const named = new Set<string>();
    for (const d of examples.flatMap((e) => e.run()))
      for (const m of d.remedy.matchAll(/docs\/[\w-]+\.md/g)) named.add(m[0]);
    expect([...named].sort()).toEqual(['docs/charts.md', 'docs/exports.md']);
    for (const p of named) expect(() => page(p.slice('docs/'.length))).not.toThrow();
  });

  it('docs/exports.md describes every built-in export format', () => {
    const text = page('exports.md');
    for (const f of BUILT_IN_FORMATS) {
      expect(text).toContain(`\`${f.id}\``);
      for (const c of f.columns) expect(text).toContain(c.header);
    }
  });

  it('docs/charts.md describes every preset', () => {
    const text = page('charts.md');
    for (const id of presetIds) expect(text).toContain(`\`${id}\``);
  });
});
