/**
 * The table declarations (core/workbook/schema.ts): each table's columns are declared once, and a
 * new workbook, the readers and the sample data all follow them.
 */
import {
  ALLOCATIONS_TABLE,
  APPROVED_TABLE,
  AUDIT_TABLE,
  BENEFITS_TABLE,
  createWorkbookBatch,
  FORMATS,
  formatsFor,
  formatsOf,
  indexOfColumn,
  FORMULA_TABLE,
  gridOf,
  headerOf,
  JOB_TYPES_TABLE,
  readAllocations,
  readBenefits,
  readJobTypes,
  readRoles,
  readSettings,
  readSites,
  readWorkbook,
  ROLES_TABLE,
  rowOf,
  SETUP_TABLE,
  SITE_TABLE,
  SITES_TABLE,
  specOf,
  type ColumnDecl,
  type Snapshot,
  type TableDecl,
} from '../../../core';
import { readFormulaRules } from '../../../core/allocations/formulas';
import { normalizeHeader } from '../../../core/tables';
import { districtTables } from '../../fixtures/district';

const TABLES: readonly TableDecl[] = [
  SETUP_TABLE,
  SITES_TABLE,
  JOB_TYPES_TABLE,
  BENEFITS_TABLE,
  FORMULA_TABLE,
  ALLOCATIONS_TABLE,
  ROLES_TABLE,
  AUDIT_TABLE,
  APPROVED_TABLE,
  SITE_TABLE,
];

describe('the table declarations', () => {
  it.each(TABLES.map((t) => [t.table, t] as const))(
    '%s: every header and synonym names one column only',
    (_, decl) => {
      const owner = new Map<string, string>();
      for (const [key, c] of Object.entries<ColumnDecl>(decl.columns))
        for (const name of [c.header, ...(c.synonyms ?? [])]) {
          const n = normalizeHeader(name);
          expect([n, owner.get(n) ?? key]).toEqual([n, key]);
          owner.set(n, key);
        }
    },
  );

  it('a new workbook writes each declared table with its declared header and formats', () => {
    const batch = createWorkbookBatch({ preset: 'nces', fiscalYear: 2027, district: 'Springfield USD' });
    for (const decl of TABLES.filter((t) => t !== SITE_TABLE)) {
      const w = batch.sheets?.find((s) => s.sheet === decl.sheet);
      expect(w?.values[0]).toEqual(headerOf(decl));
      expect(w?.columnFormats).toEqual(formatsOf(decl));
    }
  });

  it('the readers accept the header a new workbook writes', () => {
    const batch = createWorkbookBatch({
      preset: 'nces',
      fiscalYear: 2027,
      district: 'Springfield USD',
      sites: [{ code: '001', name: 'Lincoln' }],
    });
    const sheets = Object.fromEntries((batch.sheets ?? []).map((w) => [w.sheet, w.values]));
    const snapshot: Snapshot = { sheetNames: Object.keys(sheets), sheets, windows: [] };
    const wb = readWorkbook(snapshot);
    expect(wb.diagnostics.filter((d) => d.code === 'BL306')).toEqual([]);
    const header = (decl: TableDecl): string[][] => [headerOf(decl)];
    for (const r of [
      readSettings(header(SETUP_TABLE)),
      readBenefits(header(BENEFITS_TABLE)),
      readJobTypes(header(JOB_TYPES_TABLE)),
      readRoles(header(ROLES_TABLE)),
      readAllocations(header(ALLOCATIONS_TABLE), []),
      readFormulaRules(header(FORMULA_TABLE), [], []),
    ])
      expect(r.diagnostics).toEqual([]);
    // Sites needs an Enrollment; the new workbook's Sites header has one.
    expect(readSites(header(SITES_TABLE)).diagnostics).toEqual([]);
  });

  it('a required column missing from a declared table is named by its declared header', () => {
    const without = headerOf(JOB_TYPES_TABLE).filter((h) => h !== JOB_TYPES_TABLE.columns.salary.header);
    expect(readJobTypes([without]).diagnostics).toMatchObject([
      { code: 'BL306', message: expect.stringContaining('Average salary') as unknown },
    ]);
  });

  it('formats follow the header a district wrote, synonyms and order included', () => {
    expect(formatsFor(SITES_TABLE, ['Students', 'Campus', 'Prior year', 'Principal'])).toEqual([
      FORMATS.count,
      FORMATS.text,
      FORMATS.money,
      null,
    ]);
    expect(formatsFor(SITE_TABLE, ['Fund', 'Amount'], FORMATS.text)).toEqual([FORMATS.text, FORMATS.money]);
    // The Formula table keeps codes as text ("001" stays "001") and numbers in General.
    const formula = formatsOf(FORMULA_TABLE) ?? [];
    const at = (key: keyof typeof FORMULA_TABLE.columns): string | null | undefined =>
      formula[indexOfColumn(FORMULA_TABLE, key)];
    expect([at('site'), at('appliesTo'), at('jobType'), at('fixed')]).toEqual(Array(4).fill(FORMATS.text));
    expect([at('amount'), at('weight'), at('fte'), at('percent')]).toEqual([null, null, null, null]);
  });

  it('a reader spec takes the declared columns, required as declared or as the reader says', () => {
    expect(specOf(JOB_TYPES_TABLE, ['code', 'title'])).toEqual({
      code: { header: 'Code', synonyms: ['Job type', 'Job code', 'Job'], required: true },
      title: { header: 'Title', synonyms: ['Job title', 'Name', 'Description'], required: false },
    });
    expect(specOf(SITE_TABLE, ['fte', 'notes'], ['fte'])).toMatchObject({
      fte: { required: true },
      notes: { required: false },
    });
  });

  it('rows and grids are built by column key, in header order', () => {
    expect(rowOf(SITE_TABLE, { type: 'Line', amount: 5 })).toEqual(
      headerOf(SITE_TABLE).map((h) => (h === 'Type' ? 'Line' : h === 'Amount' ? 5 : null)),
    );
    expect(gridOf(ROLES_TABLE, ['role', 'email'], [['cfo', 'a@b.org']])).toEqual([
      ['Role', 'Email'],
      ['cfo', 'a@b.org'],
    ]);
  });

  it('the shared sample district is written with the declared headers', () => {
    const tables = districtTables({ cfo: 'c@d.org', builder: 'b@d.org', approver: 'a@d.org' });
    for (const decl of [SITES_TABLE, BENEFITS_TABLE, JOB_TYPES_TABLE, ROLES_TABLE, ALLOCATIONS_TABLE]) {
      const declared = new Set(headerOf(decl));
      for (const h of tables[decl.sheet]?.[0] ?? ['(no sheet)']) expect(declared).toContain(h);
    }
  });
});
