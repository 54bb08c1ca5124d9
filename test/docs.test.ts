import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUE, type DiagnosticCode } from '../core';
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
