import fc from 'fast-check';
import { expand, parsePattern, type CellValue, type Chart, type Validator } from '../../../core';
import { sacsLike, sacsValidator, texasLike, texasValidator } from '../../fixtures/charts';

/** Every code a segment accepts in the year (lists expanded), or a generator of well-formed codes. */
function segmentCodes(chart: Chart, v: Validator, i: number): fc.Arbitrary<string> {
  const def = chart.segments[i]!;
  if (def.role === 'fiscalYear') return fc.constant(String(v.fiscalYear).slice(-def.length));
  const list = chart.codes[def.key] ?? [];
  if (list.length === 0) return fc.stringMatching(new RegExp(`^[0-9]{${def.length}}$`));
  const codes: string[] = [];
  for (const e of list) {
    const p = parsePattern(e.code, def.length, def.chars, e.kind);
    if ('pattern' in p)
      for (const c of expand(p.pattern, def.chars) ?? []) if (v.lookup(def.key, c)) codes.push(c);
  }
  return fc.constantFrom(...codes);
}

function accounts(chart: Chart, v: Validator): fc.Arbitrary<string[]> {
  return fc.tuple(...chart.segments.map((_, i) => segmentCodes(chart, v, i)));
}

describe.each([
  ['Texas-like', texasLike, texasValidator()],
  ['SACS-like', sacsLike, sacsValidator()],
])('%s chart (properties)', (_name, chart, v) => {
  it('format(split(s)) == s, and a string built from valid codes checks with no shape finding', () => {
    fc.assert(
      fc.property(accounts(chart, v), (parts) => {
        const s = v.format(parts);
        expect(v.split(s)).toEqual(parts);
        expect(v.format(v.split(s)!)).toBe(s);
        const r = v.check(s);
        expect(r.normalized).toBe(s);
        expect(r.segments).toEqual(parts);
        // Codes are all valid: any finding is a cross-segment rule, never about a single segment.
        expect(r.diagnostics.every((d) => d.code === 'BL201' || d.code === 'BL202')).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  const cell: fc.Arbitrary<CellValue> = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.stringMatching(/^[0-9A-Z\- \u2013\u00a0\u200b]{0,30}$/),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.date(),
    fc.constantFrom('#REF!', '#N/A', '#DIV/0!', '#VALUE!'),
  );

  it('never throws on any cell value, and every finding is complete', () => {
    fc.assert(
      fc.property(cell, (value) => {
        const r = v.check(value, { sheet: 'S', cell: 'A1' });
        expect(typeof r.ok).toBe('boolean');
        for (const d of r.diagnostics) {
          expect(d.code).toMatch(/^BL\d{3}$/);
          expect(d.message.length).toBeGreaterThan(0);
          expect(d.remedy.length).toBeGreaterThan(0);
          expect(d.sheet).toBe('S');
          if (d.span && d.value !== undefined) {
            expect(d.span.start).toBeGreaterThanOrEqual(0);
            expect(d.span.end).toBeLessThanOrEqual(d.value.length);
          }
        }
        expect(r.ok).toBe(!r.diagnostics.some((d) => d.severity === 'fatal'));
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on segment cells', () => {
    fc.assert(
      fc.property(
        fc.array(cell, { minLength: chart.segments.length, maxLength: chart.segments.length }),
        (values) => {
          const r = v.checkSegments(values);
          expect(r.ok).toBe(!r.diagnostics.some((d) => d.severity === 'fatal'));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never accepts a code the chart does not list after any one-character change (property)', () => {
    fc.assert(
      fc.property(
        accounts(chart, v),
        fc.nat(),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        (parts, at, ch) => {
          const s = v.format(parts);
          const i = at % s.length;
          const changed = s.slice(0, i) + ch + s.slice(i + 1);
          const r = v.check(changed);
          if (!r.ok) {
            expect(r.diagnostics.length).toBeGreaterThan(0);
            return;
          }
          chart.segments.forEach((def, k) => {
            const code = r.segments![k]!;
            if (def.role === 'fiscalYear') expect(code).toBe(String(v.fiscalYear).slice(-def.length));
            else if ((chart.codes[def.key] ?? []).length) expect(v.lookup(def.key, code)).toBeDefined();
            else expect(code).toMatch(new RegExp(`^[0-9A-Za-z]{${def.length}}$`));
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
