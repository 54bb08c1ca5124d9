import fc from 'fast-check';
import {
  compileCondition,
  conditionToText,
  expand,
  matches,
  parseCondition,
  parsePattern,
  type Condition,
  type Pattern,
} from '../../../core';
import { texasLike } from '../../fixtures/charts';

const pat = (s: string, len?: number, chars?: 'digits' | 'alnum'): Pattern => {
  const r = parsePattern(s, len, chars);
  if ('error' in r) throw new Error(r.error);
  return r.pattern;
};

describe('code patterns', () => {
  it.each([
    ['6119', 'code'],
    ['6100-6699', 'range'],
    ['6100..6699', 'range'],
    ['5XXX', 'mask'],
    ['791X', 'mask'],
    ['79?Z', 'mask'],
  ])('reads %s as a %s', (s, kind) => {
    expect(pat(s).kind).toBe(kind);
  });

  it('keeps letter codes literal in a segment that allows letters', () => {
    expect(pat('979Z', 4, 'alnum').kind).toBe('code');
    expect(pat('XXXX', 4, 'alnum').kind).toBe('code');
    expect(pat('79XX', 4, 'alnum').kind).toBe('mask');
  });

  it.each([
    ['6100-661', 'differ in length'],
    ['6699-6100', 'runs backwards'],
    ['', 'empty'],
  ])('refuses %p', (s, why) => {
    const r = parsePattern(s);
    expect('error' in r && r.error).toContain(why);
  });

  it('checks the length against the segment', () => {
    expect(parsePattern('611', 4)).toEqual({ error: 'the code has 3 characters; the segment has 4' });
    expect(parsePattern('5XX', 4)).toEqual({ error: 'the mask has 3 characters; the segment has 4' });
  });

  it.each([
    ['6100-6699', '6100', true],
    ['6100-6699', '6699', true],
    ['6100-6699', '6700', false],
    ['6100-6699', '610', false],
    ['5XXX', '5749', true],
    ['5XXX', '6749', false],
    ['5XXX', '57A9', false],
    ['79?Z', '79AZ', true],
  ])('%s matches %s: %p', (p, code, want) => {
    expect(matches(pat(p), code)).toBe(want);
  });

  it('expands small ranges and masks, and declines large ones', () => {
    expect(expand(pat('00-03'), 'digits')).toEqual(['00', '01', '02', '03']);
    expect(expand(pat('79X'), 'digits')).toHaveLength(10);
    expect(expand(pat('XXXXX'), 'digits', 1000)).toBeUndefined();
    expect(expand(pat('79?Z'), 'alnum')).toBeUndefined();
  });

  it('agrees with matches() on every expanded code (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 300 }), (lo, width) => {
        const hi = Math.min(9999, lo + width);
        const p = pat(`${String(lo).padStart(4, '0')}-${String(hi).padStart(4, '0')}`);
        const codes = expand(p, 'digits') ?? [];
        expect(codes).toHaveLength(hi - lo + 1);
        return codes.every((c) => matches(p, c));
      }),
      { numRuns: 50 },
    );
  });
});

describe('rule conditions in text', () => {
  it.each([
    ['fund = 599', { seg: 'fund', op: 'eq', value: '599' }],
    ['function != 00', { seg: 'function', op: 'ne', value: '00' }],
    ['function <> 00', { seg: 'function', op: 'ne', value: '00' }],
    ['object in 6100-6699', { seg: 'object', op: 'in', values: ['6100-6699'] }],
    ['object in [5XXX, 64XX, 791X]', { seg: 'object', op: 'in', values: ['5XXX', '64XX', '791X'] }],
    ['organization not in [000, 709-719]', { seg: 'organization', op: 'notIn', values: ['000', '709-719'] }],
    [
      'fund = 199 and (object in 6100-6699 or not function = 00)',
      {
        and: [
          { seg: 'fund', op: 'eq', value: '199' },
          {
            or: [
              { seg: 'object', op: 'in', values: ['6100-6699'] },
              { not: { seg: 'function', op: 'eq', value: '00' } },
            ],
          },
        ],
      },
    ],
    [
      'a = 1 OR b = 2 AND c = 3',
      {
        or: [
          { seg: 'a', op: 'eq', value: '1' },
          {
            and: [
              { seg: 'b', op: 'eq', value: '2' },
              { seg: 'c', op: 'eq', value: '3' },
            ],
          },
        ],
      },
    ],
  ])('reads %p', (src, want) => {
    expect(parseCondition(src)).toEqual({ condition: want });
  });

  it.each([
    ['', 'the condition is empty'],
    ['fund = ', 'expected a code at the end'],
    ['fund 599', 'expected =, !=, in or not in, found "599" at character 6'],
    ['fund in [1, 2', 'expected "]" at the end'],
    ['(fund = 1', 'expected ")" at the end'],
    ['fund = 1 fund = 2', 'expected "and", "or" or the end, found "fund" at character 10'],
    ['fund = 1 & x', 'unexpected "&" at character 10'],
  ])('explains what is wrong with %p', (src, error) => {
    expect(parseCondition(src)).toEqual({ error });
  });

  const valuesOf: Record<string, string[]> = {
    fund: ['199', '211', '5XX', '100-299'],
    function: ['00', '11', '1X', '10-19'],
    object: ['6119', '5XXX', '6100-6699', '64XX'],
  };
  const seg = fc.constantFrom('fund', 'function', 'object');
  const leaf = seg.chain((s) =>
    fc.record({
      seg: fc.constant(s),
      op: fc.constantFrom('eq' as const, 'ne' as const),
      value: fc.constantFrom(...(valuesOf[s] as string[]).filter((v) => !/[X-]/.test(v))),
    }),
  );
  const inLeaf = seg.chain((s) =>
    fc.record({
      seg: fc.constant(s),
      op: fc.constantFrom('in' as const, 'notIn' as const),
      values: fc.array(fc.constantFrom(...(valuesOf[s] as string[])), { minLength: 1, maxLength: 3 }),
    }),
  );
  const cond: fc.Arbitrary<Condition> = fc.letrec<{ c: Condition }>((tie) => ({
    c: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      inLeaf,
      fc.record({ and: fc.array(tie('c'), { minLength: 2, maxLength: 3 }) }),
      fc.record({ or: fc.array(tie('c'), { minLength: 2, maxLength: 3 }) }),
      fc.record({ not: tie('c') }),
    ),
  })).c;

  it('evaluates the same after printing and reading back (property)', () => {
    const accounts = [
      '199-11-6119-00-001-7-11-000',
      '599-00-5749-00-001-7-00-000',
      '211-11-6399-00-001-7-24-000',
    ].map((s) => s.split('-'));
    fc.assert(
      fc.property(cond, (c) => {
        const back = parseCondition(conditionToText(c));
        if (!('condition' in back)) return false;
        const p1 = compileCondition(c, texasLike.segments);
        const p2 = compileCondition(back.condition, texasLike.segments);
        if (!('predicate' in p1) || !('predicate' in p2)) return false;
        return accounts.every((a) => p1.predicate(a) === p2.predicate(a));
      }),
      { numRuns: 200 },
    );
  });

  it('compiles against the chart and names unknown segments and bad values', () => {
    const bad = parseCondition('campus = 001 or object in 61-66');
    if (!('condition' in bad)) throw new Error('should parse');
    expect(compileCondition(bad.condition, texasLike.segments)).toEqual({
      problems: [
        { segment: 'campus', problem: 'unknown segment campus' },
        { problem: 'object value "61-66": the ends have 2 characters; the segment has 4' },
      ],
    });
  });

  it('finds segments by key or by name', () => {
    const c = parseCondition('ProgramIntent = 11 and program_intent = 11');
    if (!('condition' in c)) throw new Error('should parse');
    const p = compileCondition(c.condition, texasLike.segments);
    expect('predicate' in p && p.predicate('199-11-6119-00-001-7-11-000'.split('-'))).toBe(true);
  });
});
