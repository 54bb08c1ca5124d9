import { compileChart, formatDiagnostic, type CellValue, type Diagnostic } from '../../../core';
import { sacsLike, sacsValidator, texasLike, texasValidator, TX_OK } from '../../fixtures/charts';

const tx = texasValidator();
const ca = sacsValidator();
const where = { sheet: 'Lincoln Elementary', cell: 'C14' };
const codes = (ds: readonly Diagnostic[]): string[] => ds.map((d) => d.code);

describe('a valid account string', () => {
  it('passes with no findings and keeps its segments', () => {
    const r = tx.check(TX_OK, where);
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toEqual([]);
    expect(r.segments).toEqual(['199', '11', '6119', '00', '001', '7', '11', '000']);
    expect(r.normalized).toBe(TX_OK);
    expect(r.raw).toBe(TX_OK);
  });

  it.each([
    ['an exact code', '199-11-6119-00-001-7-11-000'],
    ['a code inside a range', '199-11-6145-00-001-7-11-000'],
    ['a code matched by a mask (57XX) with function 00 and intent 00', '199-00-5749-00-001-7-00-000'],
    ['a sub-object from the 00-99 range', '199-11-6119-42-001-7-11-000'],
    ['any organization the chart does not list', '199-11-6119-00-123-7-11-000'],
  ])('accepts %s', (_what, s) => {
    expect(tx.check(s).diagnostics).toEqual([]);
  });

  it('accepts an undelimited SACS-style string with letter codes', () => {
    expect(ca.check('0100000ADLT10001100').diagnostics).toEqual([]);
    expect(ca.check('01VARY00000000979Z').diagnostics.map((d) => d.code)).toEqual(['BL107']);
    expect(ca.check('01VARY00000000000979Z'.slice(0, 19)).ok).toBe(false);
    expect(ca.check('0100000000000008011').ok).toBe(true);
  });
});

describe('findings on the segments', () => {
  it('names an unknown code, points at it and suggests the closest valid codes', () => {
    const r = tx.check('199-11-6118-00-001-7-11-000', where);
    expect(codes(r.diagnostics)).toEqual(['BL104']);
    const d = r.diagnostics[0] as Diagnostic;
    expect(d).toMatchObject({
      severity: 'fatal',
      sheet: 'Lincoln Elementary',
      cell: 'C14',
      segment: 'object',
      span: { start: 7, end: 11 },
      suggestions: ['6119', '6112'],
    });
    expect(formatDiagnostic(d)).toBe(
      'Lincoln Elementary!C14  BL104 unknown object code "6118" — did you mean 6119 or 6112?',
    );
    expect(formatDiagnostic(d, { excerpt: true })).toBe(
      [
        'Lincoln Elementary!C14  BL104 unknown object code "6118"',
        '  199-11-6118-00-001-7-11-000',
        '         ^^^^',
        '  6118 is not an object code in the Texas (test) chart for FY2027. Did you mean 6119 or 6112?',
      ].join('\n'),
    );
  });

  it('reports every bad segment at once', () => {
    const r = tx.check('198-19-6118-00-001-7-11-000');
    expect(codes(r.diagnostics)).toEqual(['BL104', 'BL104', 'BL104']);
    expect(r.diagnostics.map((d) => d.segment)).toEqual(['fund', 'function', 'object']);
  });

  it('says a segment has the wrong length and offers the code with its leading zeros', () => {
    const r = tx.check('199-11-6119-00-1-7-11-000');
    expect(r.diagnostics[0]).toMatchObject({ code: 'BL102', segment: 'organization', suggestions: ['001'] });
    expect(r.diagnostics[0]?.span).toEqual({ start: 15, end: 16 });
    expect(r.diagnostics[0]?.message).toBe('organization code "1" has 1 character; it needs 3');
  });

  it('refuses characters a segment does not allow', () => {
    expect(codes(tx.check('199-11-61#9-00-001-7-11-000').diagnostics)).toEqual(['BL103']);
  });

  it('names a letter typed for a digit', () => {
    const r = tx.check('199-11-6O19-00-001-7-11-000');
    expect(r.diagnostics[0]).toMatchObject({ code: 'BL003', span: { start: 8, end: 9 } });
    expect(r.diagnostics[0]?.remedy).toBe('Retype it as "0".');
  });

  it('tells a code retired before the fiscal year from an unknown one', () => {
    const r = tx.check('298-11-6119-00-001-7-11-000');
    expect(r.diagnostics[0]).toMatchObject({ code: 'BL105', segment: 'fund' });
    expect(r.diagnostics[0]?.message).toBe(
      'fund code "298" is not valid in FY2027: it was retired after FY2026',
    );
    expect(compileChart(texasLike, 2026).check('298-11-6119-00-001-6-11-000').ok).toBe(true);
  });

  it('tells a code that starts in a later year', () => {
    const r = tx.check('199-00-7915-00-001-7-00-000');
    expect(r.diagnostics[0]).toMatchObject({ code: 'BL105' });
    expect(r.diagnostics[0]?.message).toBe('object code "7915" is not valid in FY2027: it starts in FY2028');
    expect(compileChart(texasLike, 2028).check('199-00-7915-00-001-8-00-000').diagnostics).toEqual([]);
  });

  it('tells an inactive code', () => {
    expect(codes(tx.check('289-11-6119-00-001-7-11-000').diagnostics)).toEqual(['BL106']);
  });

  it('checks the fiscal-year digit against the budget year, with the right digit as the remedy', () => {
    const r = tx.check('199-11-6119-00-001-X-11-000');
    expect(r.diagnostics[0]).toMatchObject({ code: 'BL108', suggestions: ['7'] });
    expect(r.diagnostics[0]?.remedy).toBe('Use "7" for FY2027.');
    expect(codes(tx.check('199-11-6119-00-001-6-11-000').diagnostics)).toEqual(['BL108']);
  });

  it('counts segments and says how the account is written', () => {
    const r = tx.check('199-11-6119-00-001-7-11');
    expect(r.diagnostics[0]).toMatchObject({ code: 'BL101' });
    expect(r.diagnostics[0]?.message).toBe('the account has 7 segments; this chart has 8');
    expect(r.diagnostics[0]?.remedy).toBe(
      'Write the account as fund-function-object-sub-object-organization-fiscal year-program intent-local.',
    );
  });

  it('checks the length of an undelimited string', () => {
    const r = ca.check('010000000000021001300');
    expect(r.diagnostics[0]).toMatchObject({ code: 'BL107' });
  });
});

describe('cross-segment rules', () => {
  it.each([
    ['20030-0015', '199-00-6119-00-001-7-11-000', 'function'],
    ['20030-0016', '199-11-6119-00-001-7-00-000', 'programIntent'],
    ['20030-0017', '199-11-6119-00-000-7-11-000', 'organization'],
    ['20030-0017', '199-11-6119-00-712-7-11-000', 'organization'],
    ['20030-0018', '599-11-6119-00-001-7-11-000', 'object'],
  ])('rule %s fires on %s', (id, s, segment) => {
    const ds = tx.check(s).diagnostics.filter((d) => d.code === 'BL201');
    expect(ds.map((d) => d.ruleId)).toContain(id);
    expect(ds.find((d) => d.ruleId === id)).toMatchObject({ severity: 'fatal', segment });
  });

  it('lets the rule pass where its condition does not hold', () => {
    expect(tx.check('599-11-6511-00-001-7-11-000').diagnostics).toEqual([]);
    expect(tx.check('199-11-6119-00-720-7-11-000').diagnostics).toEqual([]);
  });

  it('keeps the severity the chart gives a rule', () => {
    const r = tx.check('199-11-5749-00-001-7-11-000');
    expect(r.ok).toBe(true);
    expect(r.diagnostics).toMatchObject([{ code: 'BL201', ruleId: 'PIC-00', severity: 'warning' }]);
  });

  it('checks a pairwise combination grid', () => {
    const r = ca.check('0100000000010008011');
    expect(r.diagnostics.map((d) => [d.code, d.ruleId])).toEqual([['BL202', 'CHK-FUNCTIONxOBJECT']]);
    expect(r.diagnostics[0]?.message).toBe(
      'object 8011 may not be used with function 1000 (CHK-FUNCTIONxOBJECT)',
    );
    expect(r.diagnostics[0]?.span).toEqual({ start: 11, end: 15 });
    expect(ca.check('0100000000000001100').diagnostics.map((d) => d.code)).toEqual(['BL202']);
  });

  it('does not evaluate rules on a string whose segments are malformed', () => {
    expect(codes(tx.check('199-00-61-00-001-7-11-000').diagnostics)).toEqual(['BL102']);
  });
});

describe('normalisation is never silent', () => {
  it('reads typographic dashes as hyphens, with a warning, keeping the raw text', () => {
    const raw = '199\u201311\u20146119-00-001-7-11-000';
    const r = tx.check(raw);
    expect(r.ok).toBe(true);
    expect(r.raw).toBe(raw);
    expect(r.normalized).toBe(TX_OK);
    expect(r.diagnostics).toMatchObject([{ code: 'BL007', severity: 'warning', span: { start: 3, end: 4 } }]);
  });

  it('reads non-breaking spaces as spaces and trims them', () => {
    const r = tx.check(`\u00a0${TX_OK}\u00a0`);
    expect(r.ok).toBe(true);
    expect(r.normalized).toBe(TX_OK);
    expect(codes(r.diagnostics)).toEqual(['BL008']);
  });

  it('restores leading zeros a spreadsheet dropped from a segment column, with a warning', () => {
    const r = tx.checkSegments(
      [199, 11, 6119, 0, 1, 7, 11, 0],
      [
        { cell: 'A2' },
        { cell: 'B2' },
        { cell: 'C2' },
        { cell: 'D2' },
        { cell: 'E2' },
        { cell: 'F2' },
        { cell: 'G2' },
        { cell: 'H2' },
      ],
    );
    expect(r.ok).toBe(true);
    expect(r.normalized).toBe(TX_OK);
    expect(r.diagnostics.map((d) => [d.code, d.cell, d.message])).toEqual([
      ['BL006', 'D2', 'sub-object "0" was read as "00": the spreadsheet dropped its leading zeros'],
      ['BL006', 'E2', 'organization "1" was read as "001": the spreadsheet dropped its leading zeros'],
      ['BL006', 'H2', 'local "0" was read as "000": the spreadsheet dropped its leading zeros'],
    ]);
  });

  it('restores the leading zeros of an undelimited account held as a number', () => {
    const r = ca.check(100000000021001300 / 1e4); // 10000000002100.13 — not an integer: refused
    expect(r.ok).toBe(false);
    const s = compileChart({ ...sacsLike, segments: sacsLike.segments.slice(0, 3) }, 2022).check(100000);
    expect(s.normalized).toBe('0100000');
    expect(codes(s.diagnostics)).toEqual(['BL006']);
  });

  it('accepts the dashed form of an undelimited chart with a warning', () => {
    const r = ca.check('01-0000-0-0000-2100-1300');
    expect(r.normalized).toBe('0100000000021001300');
    expect(r.ok).toBe(true);
    expect(codes(r.diagnostics)).toEqual(['BL011']);
  });
});

describe('rejected input', () => {
  const cases: [string, CellValue, string][] = [
    ['a blank cell', null, 'BL001'],
    ['an empty string', '   ', 'BL001'],
    ['a zero-width space', `199-11-6119\u200b-00-001-7-11-000`, 'BL002'],
    ['a Cyrillic letter', 'С99-11-6119-00-001-7-11-000', 'BL003'],
    ['a Greek letter in a letter code', '0100000ΑDLT10001100', 'BL003'],
    ['a full-width digit', '１99-11-6119-00-001-7-11-000', 'BL003'],
    ['a date serial', 45667, 'BL004'],
    ['a Date object', new Date(Date.UTC(2026, 0, 10)), 'BL004'],
    ['date text', '1/10/2026', 'BL004'],
    ['a 16-digit number', 1234567890123456, 'BL005'],
    ['#REF!', '#REF!', 'BL009'],
    ['#N/A', '#N/A', 'BL009'],
    ['TRUE', true, 'BL010'],
  ];
  it.each(cases)('refuses %s', (_what, value, code) => {
    const r = tx.check(value, where);
    expect(r.ok).toBe(false);
    expect(codes(r.diagnostics)).toContain(code);
    expect(r.diagnostics.every((d) => d.sheet === 'Lincoln Elementary' && d.cell === 'C14')).toBe(true);
  });

  it('points at the invisible character', () => {
    const r = tx.check(`199-11-6119\u200b-00-001-7-11-000`);
    expect(r.diagnostics[0]?.span).toEqual({ start: 11, end: 12 });
    expect(r.diagnostics[0]?.message).toBe('invisible character ZERO WIDTH SPACE (U+200B) at position 12');
  });

  it('refuses a number longer than 15 digits in an undelimited chart (precision already lost)', () => {
    expect(codes(ca.check(100000000021001300).diagnostics)).toEqual(['BL005']);
  });
});

describe('one column per segment', () => {
  it('checks each segment in its own cell', () => {
    const cells = ['B5', 'C5', 'D5', 'E5', 'F5', 'G5', 'H5', 'I5'].map((cell) => ({
      sheet: 'Lincoln',
      cell,
    }));
    const r = tx.checkSegments(['199', '11', '6118', '00', '001', '7', '11', '000'], cells);
    expect(r.diagnostics).toMatchObject([
      { code: 'BL104', cell: 'D5', sheet: 'Lincoln', value: '6118', span: { start: 0, end: 4 } },
    ]);
  });

  it('says when a whole account string sits in one segment cell, and how it splits', () => {
    const r = tx.checkSegments(
      ['', '', '199-11-6119-00-001-7-11-000', '', '', '', '', ''],
      [{ cell: 'B5' }, { cell: 'C5' }, { cell: 'D5' }],
    );
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ code: 'BL012', cell: 'D5', severity: 'fatal' });
    expect(r.diagnostics[0]?.remedy).toBe(
      'Put each segment in its own column: fund 199, function 11, object 6119, sub-object 00, organization 001, fiscal year 7, program intent 11, local 000.',
    );
    const sacs = ca.checkSegments(['01-0000-0-0000-2100-1300', null, null, null, null, null]);
    expect(sacs.diagnostics.map((d) => d.code)).toEqual(['BL012']);
    // Text that is clearly a whole account but does not split into this chart's segments.
    const broken = tx.checkSegments(['199-11-6119-00-001', '', '', '', '', '', '', '']);
    expect(broken.diagnostics.map((d) => d.code)).toEqual(['BL012']);
    expect(broken.diagnostics[0]?.remedy).toMatch(/does not split into the chart’s segments/);
    // With other segment cells filled it is an ordinary wrong-length segment.
    const mixed = tx.checkSegments(['199-11', '11', '6119', '00', '001', '7', '11', '000']);
    expect(mixed.diagnostics.map((d) => d.code)).toEqual(['BL102']);
  });

  it('names a blank segment cell', () => {
    const r = tx.checkSegments(
      ['199', '', '6119', '00', '001', '7', '11', '000'],
      [{ cell: 'A1' }, { cell: 'B1' }],
    );
    expect(r.diagnostics).toMatchObject([
      { code: 'BL001', cell: 'B1', message: 'the function code is blank' },
    ]);
  });

  it("evaluates rules across segment cells and points at the rule's cell", () => {
    const cells = ['B5', 'C5', 'D5', 'E5', 'F5', 'G5', 'H5', 'I5'].map((cell) => ({ cell }));
    const r = tx.checkSegments(['199', '00', '6119', '00', '001', '7', '11', '000'], cells);
    expect(r.diagnostics).toMatchObject([{ code: 'BL201', ruleId: '20030-0015', cell: 'C5' }]);
  });
});

describe('the compiled chart', () => {
  it('splits and formats account strings', () => {
    expect(tx.split(TX_OK)).toEqual(['199', '11', '6119', '00', '001', '7', '11', '000']);
    expect(tx.split('199-11')).toBeUndefined();
    expect(ca.split('0100000000021001300')).toEqual(['01', '0000', '0', '0000', '2100', '1300']);
    expect(ca.format(['01', '0000', '0', '0000', '2100', '1300'])).toBe('0100000000021001300');
  });

  it('looks codes up in the fiscal year', () => {
    expect(tx.lookup('object', '6145')?.description).toBe('Employee benefits');
    expect(tx.lookup('fund', '298')).toBeUndefined();
    expect(compileChart(texasLike, 2025).lookup('fund', '298')?.description).toBe('Retired grant');
  });

  it('suggests close codes by edit distance, shared beginning, then numeric closeness', () => {
    expect(tx.suggest('object', '6118')).toEqual(['6119', '6112']);
    expect(tx.suggest('object', '6191')).toEqual(['6121', '6119']);
    expect(tx.suggest('fund', '999')).toEqual(['599', '199']);
    expect(tx.suggest('fund', '450')).toEqual([]);
  });
});
