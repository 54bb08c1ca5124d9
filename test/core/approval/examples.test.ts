import { CATALOGUE, type DiagnosticCode } from '../../../core';
import { examples } from '../../fixtures/diagnostics/approval';

const codes = (Object.keys(CATALOGUE) as DiagnosticCode[]).filter((c) => c.startsWith('BL6'));

describe('BL6xx worked examples', () => {
  it('cover every approval and audit code once', () => {
    expect(examples.map((e) => e.code).sort()).toEqual(codes.sort());
  });
  it.each(examples.map((e) => [e.code, e] as const))('%s: running the example produces it', (code, e) => {
    expect(e.run().map((d) => d.code)).toContain(code);
  });
});
