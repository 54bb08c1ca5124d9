/** Shared set-up for the Excel add-in's jest tests: the fake installed on globalThis, and inspectors. */
import type { CellMark, Dropdown } from '../../core';
import { severityOfFill } from '../../excel-addin/src/port';
import { installFakeOffice, parseAddress, type FakeOffice, type FakeOptions } from './fake/fake-office';

export function install(options: FakeOptions = {}): FakeOffice {
  return installFakeOffice(globalThis as unknown as Record<string, unknown>, options);
}

/** Makes a reopened session the global one. */
export function useSession(fake: FakeOffice): FakeOffice {
  const g = globalThis as unknown as Record<string, unknown>;
  g['Excel'] = fake.Excel;
  g['Office'] = fake.Office;
  g['OfficeRuntime'] = fake.OfficeRuntime;
  return fake;
}

/** Budgetline's marks as a user sees them: a fill colour and a note. */
export function marksOf(fake: FakeOffice, sheet: string): CellMark[] {
  const out: CellMark[] = [];
  for (const [cell, note] of Object.entries(fake.notes(sheet))) {
    const severity = severityOfFill(fake.cell(sheet, cell).fill);
    if (severity) out.push({ sheet, cell, severity, note });
  }
  return out;
}

/** The fake's dropdowns; `strict` unless the error alert is off or not a Stop alert (Excel's default is Stop). */
export function dropdownsOf(fake: FakeOffice): (Dropdown & { strict: boolean })[] {
  const out: (Dropdown & { strict: boolean })[] = [];
  for (const s of fake.book.sheets)
    for (const v of s.validations) {
      const source = String((v.rule as { list: { source: string } }).list.source).replace(/^=/, '');
      const p = parseAddress(source);
      const range = source.slice(source.lastIndexOf('!') + 1).replace(/\$/g, '');
      const alert = v.errorAlert as { showAlert?: boolean; style?: string } | undefined;
      const strict = alert?.showAlert !== false && (alert?.style ?? 'Stop') === 'Stop';
      out.push({ sheet: s.name, range: v.address, source: { sheet: p.sheet ?? s.name, range }, strict });
    }
  return out;
}
