import fc from 'fast-check';
import {
  centsFromNumber,
  formatCents,
  formatCentsPlain,
  mulDivRound,
  parseMoney,
  splitLargestRemainder,
  sumCents,
} from '../../core/money';
import type { CellValue } from '../../core/cells';

const where = { sheet: 'Lincoln Elementary', cell: 'F12' };

describe('parseMoney accepts', () => {
  const cases: [CellValue, number][] = [
    [0, 0],
    [1234.56, 123456],
    [-1234.56, -123456],
    [8199999.999999999, 820000000],
    [0.1 + 0.2, 30],
    [1e12, 1e14],
    ['0', 0],
    ['1234.5', 123450],
    ['1234.56', 123456],
    ['$1,234.56', 123456],
    ['$ 1,234.56', 123456],
    ['1,234', 123400],
    ['1,234,567.89', 123456789],
    ['(1,234.56)', -123456],
    ['($1,234.56)', -123456],
    ['-1,234.56', -123456],
    ['-$1,234.56', -123456],
    ['$-1,234.56', -123456],
    ['\u22121,234.56', -123456],
    ['  42  ', 4200],
    ['.5', 50],
    ['5.', 500],
    ['1234.500', 123450],
    ['0.10', 10],
    ['1\u00a0234.00'.replace('\u00a0', ''), 123400],
  ];
  test.each(cases)('%p as %p cents', (input, cents) => {
    const r = parseMoney(input, where);
    expect(r).toEqual({ ok: true, value: cents });
  });

  test('never returns negative zero', () => {
    const r = parseMoney('-0.00');
    expect(r.ok && Object.is(r.value, 0)).toBe(true);
    const n = parseMoney(-0);
    expect(n.ok && Object.is(n.value, 0)).toBe(true);
  });
});

describe('parseMoney rejects', () => {
  const cases: [CellValue, string][] = [
    [null, 'BL401'],
    [undefined, 'BL401'],
    ['', 'BL401'],
    ['   ', 'BL401'],
    ['#REF!', 'BL402'],
    ['#N/A', 'BL402'],
    ['#DIV/0!', 'BL402'],
    ['#VALUE!', 'BL402'],
    ['#NAME?', 'BL402'],
    ['#SPILL!', 'BL402'],
    [' #ref! ', 'BL402'],
    ['abc', 'BL403'],
    ['TBD', 'BL403'],
    ['12 dollars', 'BL403'],
    ['1e3', 'BL403'],
    ['-', 'BL403'],
    ['.', 'BL403'],
    ['$', 'BL403'],
    ['(-5)', 'BL403'],
    ['--5', 'BL403'],
    ['1,2345', 'BL403'],
    ['12,34,567', 'BL403'],
    [true, 'BL403'],
    [new Date(2026, 6, 1), 'BL403'],
    [Number.NaN, 'BL403'],
    [Number.POSITIVE_INFINITY, 'BL403'],
    ['1.234,56', 'BL404'],
    ['1.234.567', 'BL404'],
    ['1.234.567,89', 'BL404'],
    ['12,5', 'BL404'],
    ['1 234,56', 'BL404'],
    ['-1.234,56', 'BL404'],
    ['1.234', 'BL407'],
    ['12.500', 'BL407'],
    ['1.005', 'BL407'],
    [1.005, 'BL405'],
    [0.001, 'BL405'],
    [1234.567, 'BL405'],
    ['0.125', 'BL405'],
    ['1234.567', 'BL405'],
    ['$1,234.561', 'BL405'],
    [1e17, 'BL406'],
    ['99999999999999999', 'BL406'],
  ];
  test.each(cases)('%p with %s', (input, code) => {
    const r = parseMoney(input, where, 'unit cost');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostic.code).toBe(code);
    expect(r.diagnostic.severity).toBe('fatal');
    expect(r.diagnostic.sheet).toBe('Lincoln Elementary');
    expect(r.diagnostic.cell).toBe('F12');
  });

  test('text in an amount cell names the cell and what it is', () => {
    const r = parseMoney('see note', where, 'unit cost');
    expect(r).toMatchObject({
      ok: false,
      diagnostic: { code: 'BL403', cell: 'F12', message: 'the unit cost "see note" is not an amount' },
    });
  });

  test('a spreadsheet error is never read as 0', () => {
    const r = parseMoney('#REF!', where);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.diagnostic.message).toContain('#REF!');
  });
});

describe('centsFromNumber', () => {
  test('rounds float noise and refuses a third decimal', () => {
    expect(centsFromNumber(0.07 * 100)).toBe(700);
    expect(centsFromNumber(19.99 * 3)).toBe(5997);
    expect(centsFromNumber(12.345)).toBeUndefined();
  });

  test('any cents value survives the trip through dollars', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e13, max: 1e13 }), (c) => centsFromNumber(c / 100) === c),
      { numRuns: 300 },
    );
  });

  test('sums of two-decimal dollars computed in floats round to the exact cents sum', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e8, max: 1e8 }), { maxLength: 20 }), (cs) => {
        const dollars = cs.reduce((s, c) => s + c / 100, 0);
        return centsFromNumber(dollars) === cs.reduce((s, c) => s + c, 0);
      }),
      { numRuns: 200 },
    );
  });
});

describe('formatting', () => {
  test.each([
    [0, '$0.00', '0.00'],
    [5, '$0.05', '0.05'],
    [-5, '-$0.05', '-0.05'],
    [123456, '$1,234.56', '1234.56'],
    [-123456789, '-$1,234,567.89', '-1234567.89'],
  ])('%p cents as %s and %s', (c, shown, plain) => {
    expect(formatCents(c)).toBe(shown);
    expect(formatCentsPlain(c)).toBe(plain);
  });

  test('parseMoney reads back what formatCents and formatCentsPlain write', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e14, max: 1e14 }), (c) => {
        const a = parseMoney(formatCents(c));
        const b = parseMoney(formatCentsPlain(c));
        return a.ok && a.value === c && b.ok && b.value === c;
      }),
      { numRuns: 300 },
    );
  });
});

describe('splitLargestRemainder', () => {
  test("TEA's example: a $35,000 teacher split 60/40 gives 21,000.00 and 14,000.00", () => {
    expect(splitLargestRemainder(3_500_000, [60, 40])).toEqual([2_100_000, 1_400_000]);
  });

  test('gives leftover cents to the largest remainders', () => {
    expect(splitLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(splitLargestRemainder(200, [1, 1, 1])).toEqual([67, 67, 66]);
    expect(splitLargestRemainder(10, [0.5, 0.3, 0.2])).toEqual([5, 3, 2]);
    expect(splitLargestRemainder(1, [1, 2])).toEqual([0, 1]);
    expect(splitLargestRemainder(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
  });

  test('breaks ties by key, not by position, when keys are given', () => {
    expect(splitLargestRemainder(1, [1, 1], ['b', 'a'])).toEqual([0, 1]);
    expect(splitLargestRemainder(1, [1, 1], ['a', 'b'])).toEqual([1, 0]);
  });

  test('uses integer weights exactly, however large', () => {
    const parts = splitLargestRemainder(1_000_000_000_01, [9_007_199_254_740_000, 1]);
    expect(parts[0]! + parts[1]!).toBe(1_000_000_000_01);
    expect(parts[1]).toBe(0);
  });

  test('refuses nonsense as a programming error', () => {
    expect(() => splitLargestRemainder(1.5, [1])).toThrow(RangeError);
    expect(() => splitLargestRemainder(1, [])).toThrow(RangeError);
    expect(() => splitLargestRemainder(1, [0, 0])).toThrow(RangeError);
    expect(() => splitLargestRemainder(1, [-1, 2])).toThrow(RangeError);
  });

  const weights = fc.array(
    fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 100, noNaN: true })),
    {
      minLength: 1,
      maxLength: 12,
    },
  );
  const total = fc.integer({ min: -1e12, max: 1e12 });

  test('property: the parts always sum to the total, to the cent', () => {
    fc.assert(
      fc.property(total, weights, (t, w) => {
        fc.pre(w.some((x) => Math.round(x * 1e6) > 0 || (Number.isInteger(x) && x > 0)));
        return sumCents(splitLargestRemainder(t, w)) === t;
      }),
      { numRuns: 300 },
    );
  });

  test('property: each part is within one cent of its exact share', () => {
    fc.assert(
      fc.property(
        total,
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 10 }),
        (t, w) => {
          const sum = w.reduce((a, b) => a + b, 0);
          fc.pre(sum > 0);
          const parts = splitLargestRemainder(t, w);
          return parts.every((p, i) => Math.abs(p - (t * w[i]!) / sum) < 1 + 1e-6);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('property: with tie keys the result does not depend on the order of the weights', () => {
    fc.assert(
      fc.property(
        total,
        fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 0, max: 50 })), {
          minLength: 1,
          maxLength: 10,
          selector: (x) => x[0],
        }),
        fc.integer(),
        (t, items, seed) => {
          fc.pre(items.some(([, w]) => w > 0));
          const shuffled = [...items].sort(
            (a, b) => ((a[1] * 31 + seed) % 7) - ((b[1] * 31 + seed) % 7) || (a[0] < b[0] ? 1 : -1),
          );
          const byKey = (xs: [string, number][]): Map<string, number> => {
            const parts = splitLargestRemainder(
              t,
              xs.map((x) => x[1]),
              xs.map((x) => x[0]),
            );
            return new Map(xs.map((x, i) => [x[0], parts[i]!]));
          };
          expect(byKey(shuffled)).toEqual(byKey(items));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('mulDivRound', () => {
  test.each([
    [3_500_000, 500, 1000, 1_750_000],
    [5, 1, 2, 3],
    [-5, 1, 2, -3],
    [5, -1, 2, -3],
    [4, 1, 3, 1],
    [5, 1, 3, 2],
    [0, -7, 3, 0],
    [9_007_199_254_740_991, 3, 3, 9_007_199_254_740_991],
  ])('round(%p × %p / %p) = %p, half away from zero', (a, b, d, r) => {
    expect(mulDivRound(a, b, d)).toBe(r);
  });

  test('property: agrees with exact BigInt arithmetic', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e13, max: 1e13 }),
        fc.integer({ min: -1e7, max: 1e7 }),
        fc.integer({ min: 1, max: 1e7 }),
        (a, b, d) => {
          const p = BigInt(a) * BigInt(b);
          const abs = p < 0n ? -p : p;
          let q = abs / BigInt(d);
          if (2n * (abs % BigInt(d)) >= BigInt(d)) q += 1n;
          const exact = p < 0n ? -q : q;
          if (exact > BigInt(Number.MAX_SAFE_INTEGER) || -exact > BigInt(Number.MAX_SAFE_INTEGER)) {
            expect(() => mulDivRound(a, b, d)).toThrow(RangeError);
            return true;
          }
          const want = Number(exact);
          return mulDivRound(a, b, d) === (want === 0 ? 0 : want);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('sumCents', () => {
  test('adds and refuses to leave the exact range', () => {
    expect(sumCents([1, 2, 3])).toBe(6);
    expect(() => sumCents([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });
});
