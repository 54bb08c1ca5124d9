import { CATALOGUE, type DiagnosticCode } from '../../../core/diagnostics';
import { examples } from '../../fixtures/diagnostics/budget';

describe('worked examples for BL4xx and BL5xx', () => {
  const codes = (Object.keys(CATALOGUE) as DiagnosticCode[]).filter((c) => /^BL[45]/.test(c));
  test.each(codes)('%s has an example that produces it', (code) => {
    const ex = examples.filter((e) => e.code === code);
    expect(ex).toHaveLength(1);
    expect(ex[0]?.run().map((d) => d.code)).toContain(code);
  });
});
