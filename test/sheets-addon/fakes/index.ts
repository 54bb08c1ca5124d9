/** The fakes, and the SheetsPort services built over them (as sheets-addon/src/main.ts builds them over the real ones). */
import type { CellMark, Dropdown } from '../../../core';
import { MARK_COLORS, type SheetsServices } from '../../../sheets-addon/src/port';
import { FakeEnv, type FakeSpreadsheetApp, type FakeValidationRule } from './apps-script';

export * from './apps-script';

/** SheetsPort's services over a fake environment, as a full (authorised) execution sees them. */
export function servicesOf(
  env: FakeEnv,
  options: { advanced?: boolean; user?: boolean } = {},
): SheetsServices {
  const g = env.globals();
  const app = g['SpreadsheetApp'] as FakeSpreadsheetApp;
  const services = {
    spreadsheet: app.getActiveSpreadsheet(),
    properties: env.documentProperties,
    ...(options.user === false ? {} : { session: g['Session'] }),
    ...(options.advanced ? { sheetsApi: g['Sheets'] } : {}),
    sheetProtection: app.ProtectionType.SHEET,
    newDataValidation: () => app.newDataValidation(),
  };
  return services as unknown as SheetsServices;
}

const SEVERITY_OF: Record<string, CellMark['severity']> = {
  [MARK_COLORS.fatal]: 'fatal',
  [MARK_COLORS.warning]: 'warning',
};

/** Budgetline's marks on a fake sheet: fill by severity, with the cell's note. */
export function marksOf(env: FakeEnv, sheet: string): CellMark[] {
  const sh = env.spreadsheet.sheets.find((s) => s.name === sheet);
  if (!sh) return [];
  const out: CellMark[] = [];
  for (const [cell, color] of sh.backgrounds) {
    const severity = SEVERITY_OF[color];
    if (severity) out.push({ sheet, cell, severity, note: sh.notes.get(cell) ?? '' });
  }
  return out;
}

/** The fake's dropdowns; `strict` when the rule rejects invalid data. */
export function dropdownsOf(env: FakeEnv): (Dropdown & { strict: boolean })[] {
  const out: (Dropdown & { strict: boolean })[] = [];
  for (const sh of env.spreadsheet.sheets)
    for (const [range, rule] of sh.validations) {
      const r = rule as FakeValidationRule;
      const kind = r.values
        ? { values: [...r.values] }
        : r.number
          ? { number: { ...r.number }, message: r.helpText }
          : { source: { sheet: r.sheet, range: r.source } };
      out.push({ sheet: sh.name, range, ...kind, strict: !r.allowInvalid });
    }
  return out;
}
