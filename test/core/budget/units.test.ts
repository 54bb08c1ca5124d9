import fc from 'fast-check';
import type { CellValue } from '../../../core/cells';
import { readSettings, DEFAULT_SETTINGS } from '../../../core/budget/settings';
import { splitCost } from '../../../core/budget/lines';
import { costOf } from '../../../core/budget/staffing';
import {
  formatFte,
  formatPpm,
  parseCount,
  parseFte,
  parsePercent,
  parseSignedPercent,
  parseYesNo,
} from '../../../core/budget/units';
import { grid } from './charts';

describe('FTE in thousandths', () => {
  test.each<[CellValue, number, number]>([
    [1, 1, 1000],
    [0.5, 100, 500],
    ['0.8', 100, 800],
    [0.125, 1, 125],
    [0.1 + 0.2, 100, 300],
  ])('%p (step %p) is %p thousandths', (v, step, want) => {
    expect(parseFte(v, {}, step)).toEqual({ ok: true, value: want });
  });
  test.each<[CellValue, string]>([
    [0, 'BL408'],
    [-0.5, 'BL408'],
    [1.1, 'BL408'],
    [0.0005, 'BL408'],
    ['#N/A', 'BL408'],
    ['1,0', 'BL408'],
    [0.15, 'BL409'],
  ])('refuses %p with %s', (v, code) => {
    const r = parseFte(v, {}, 100);
    expect(!r.ok && r.diagnostic.code).toBe(code);
  });
  test('formats', () => {
    expect([formatFte(1000), formatFte(500), formatFte(125), formatFte(28_800)]).toEqual([
      '1.0',
      '0.5',
      '0.125',
      '28.8',
    ]);
  });
});

describe('percentages in parts per million', () => {
  test.each<[CellValue, number]>([
    ['60%', 600_000],
    ['7.65 %', 76_500],
    [0.0765, 76_500],
    [1, 1_000_000],
    ['0%', 0],
    ['0.4', 400_000],
  ])('%p is %p ppm', (v, want) => {
    expect(parsePercent(v)).toEqual({ ok: true, value: want });
  });
  test.each<[CellValue, string]>([
    [60, 'without a % sign is not guessed'],
    ['120%', 'is above 100%'],
    ['-5%', 'is below 0%'],
    ['sixty', 'is not a percentage'],
    [null, 'is blank'],
    ['#DIV/0!', '#DIV/0!'],
  ])('refuses %p', (v, problem) => {
    const r = parsePercent(v);
    expect(!r.ok && r.diagnostic.code).toBe('BL410');
    expect(!r.ok && r.diagnostic.message).toContain(problem);
  });
  test('formats', () =>
    expect([formatPpm(76_500), formatPpm(1_000_000), formatPpm(333_333)]).toEqual([
      '7.65%',
      '100%',
      '33.3333%',
    ]));
});

describe('signed percentages', () => {
  test.each<[CellValue, number]>([
    ['-2%', -20_000],
    ['− 1.5 %', -15_000],
    ['3%', 30_000],
    [-0.02, -20_000],
    [0.025, 25_000],
  ])('reads %p as %p ppm', (v, ppm) => {
    expect(parseSignedPercent(v)).toEqual({ ok: true, value: ppm });
  });

  test('bounds both signs by max, and refuses what parsePercent refuses', () => {
    expect(parseSignedPercent('-150%').ok).toBe(false);
    expect(parseSignedPercent('-150%', {}, 'change', 10_000_000)).toEqual({ ok: true, value: -1_500_000 });
    expect(parseSignedPercent('-60').ok).toBe(false);
  });
});

describe('counts and yes/no', () => {
  test('counts are whole numbers, 0 or more, and blank is not 0', () => {
    expect(parseCount('1,200')).toEqual({ ok: true, value: 1200 });
    for (const v of [null, -1, 2.5, 'many']) expect(parseCount(v).ok).toBe(false);
  });
  test.each<[CellValue, boolean]>([
    [null, false],
    [true, true],
    ['Yes', true],
    ['x', true],
    ['N', false],
    ['FALSE', false],
    [0, false],
  ])('%p reads as %p', (v, want) => expect(parseYesNo(v)).toEqual({ ok: true, value: want }));
});

describe('Settings table', () => {
  test('reads over-planning, FTE step and salary increase; leaves other settings alone', () => {
    const r = readSettings(
      grid(
        ['Setting', 'Value'],
        ['Over-planning', 'Error'],
        ['FTE step', 0.1],
        ['Salary increase', '3%'],
        ['District name', 'Springfield'],
      ),
    );
    expect(r).toEqual({
      settings: { overPlanning: 'fatal', fteStep: 100, salaryIncrease: 30_000, verifiedIdentity: false },
      diagnostics: [],
    });
  });
  test('defaults: over-planning is a warning', () => {
    expect(readSettings(grid(['Setting', 'Value'])).settings).toEqual(DEFAULT_SETTINGS);
  });
  test.each([
    ['Over-planning', 'sometimes', 'BL423'],
    ['FTE step', 0.3, 'BL423'],
    ['Salary increase', 3, 'BL410'],
  ])('refuses %s = %p', (name, value, code) => {
    expect(readSettings(grid(['Setting', 'Value'], [name, value])).diagnostics).toMatchObject([
      { code, cell: 'B2' },
    ]);
  });
});

describe('property: a position split always sums to its cost, to the cent', () => {
  test('for any salary, FTE, benefits and percentages', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30_000_000 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 6 }),
        (salary, fte, rate, raw) => {
          const sum = raw.reduce((a, b) => a + b, 0);
          const shares = raw.map((x) => Math.floor((x * 1_000_000) / sum));
          shares[0] = (shares[0] as number) + 1_000_000 - shares.reduce((a, b) => a + b, 0);
          const cost = costOf(salary, fte, {
            code: 'P',
            items: [
              { name: 'r', ratePpm: rate },
              { name: 'h', perFte: 600_000 },
            ],
          });
          const pieces = splitCost(
            cost,
            fte,
            shares.map((s, i) => ({ account: `a${i}`, segments: [], sharePpm: s, where: {} })),
          );
          expect(pieces.reduce((a, p) => a + p.amount, 0)).toBe(cost.total);
          expect(pieces.reduce((a, p) => a + p.salary, 0)).toBe(cost.salary);
          expect(pieces.reduce((a, p) => a + p.fte, 0)).toBe(fte);
        },
      ),
      { numRuns: 200 },
    );
  });
});
