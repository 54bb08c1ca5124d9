import { CATALOGUE, type DiagnosticCode } from '../../../core';
import { examples as exportExamples } from '../../fixtures/diagnostics/export';
import { examples as fundExamples } from '../../fixtures/diagnostics/funds';

/** Consolidation and export (BL711–BL716), and the fund summary (BL720–BL729). */
const examples = [...exportExamples, ...fundExamples];

const codes = (Object.keys(CATALOGUE) as DiagnosticCode[]).filter((c) => c.startsWith('BL7'));

describe('BL7xx worked examples', () => {
  it('cover every consolidation and export code once', () => {
    expect(examples.map((e) => e.code).sort()).toEqual(codes.sort());
  });
  it.each(examples.map((e) => [e.code, e] as const))('%s: running the example produces it', (code, e) => {
    expect(e.run().map((d) => d.code)).toContain(code);
  });
});
