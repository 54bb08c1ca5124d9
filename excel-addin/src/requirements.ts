/**
 * The Office requirement sets Budgetline needs, and what it does where a newer API is missing.
 *
 * Excel for Microsoft 365 has every set; volume-licensed Office does not: Office LTSC 2021 stops at
 * ExcelApi 1.14, Office LTSC 2024 at 1.17. office.js itself is always current (the CDN), so a call
 * to an API the host lacks is only refused at `context.sync()` (ApiNotFound), failing the whole
 * batch. Everything newer than REQUIRED is therefore asked of `isSetSupported` first, and has a
 * fallback. test/excel-addin/requirements.test.ts reads the add-in's sources with the TypeScript
 * checker and fails when an Excel API newer than REQUIRED is not one of the FEATURES below, or when
 * manifest.xml asks for more (or less) than REQUIRED.
 */

/** The sets the add-in cannot run without: manifest.xml's <Requirements> say the same. */
export const REQUIRED = {
  /** WorksheetCollection.onChanged (live validation) is the newest API used unconditionally. */
  ExcelApi: '1.9',
  /** The pane, the ribbon commands and live validation share one runtime. */
  SharedRuntime: '1.1',
} as const;

export interface Feature {
  readonly set: 'ExcelApi' | 'IdentityAPI' | 'NestedAppAuth';
  readonly version: string;
  /** The Excel APIs (Namespace.Type.member, or Namespace.Type.* for every member) that need it. */
  readonly apis: readonly string[];
  /** What the add-in does without it. */
  readonly without: string;
}

export const FEATURES = {
  notes: {
    set: 'ExcelApi',
    version: '1.18',
    apis: ['Excel.Worksheet.notes', 'Excel.NoteCollection.*', 'Excel.Note.*'],
    without: `marked cells are filled by severity and the findings are listed on the "Budgetline Findings" sheet`,
  },
  renameEvents: {
    set: 'ExcelApi',
    version: '1.17',
    apis: ['Excel.WorksheetCollection.onNameChanged', 'Excel.WorksheetNameChangedEventArgs.*'],
    without: 'a sheet renamed while the workbook is open is looked up again by its id',
  },
  triggerSource: {
    set: 'ExcelApi',
    version: '1.14',
    apis: ['Excel.WorksheetChangedEventArgs.triggerSource'],
    without: "the add-in's own writes are recognised by the range they wrote",
  },
  undoGroup: {
    set: 'ExcelApi',
    version: '1.20',
    apis: ['Excel.RunOptions.mergeUndoGroup'],
    without: "each of Budgetline's writes is undone as Excel records it (or clears the undo stack)",
  },
  tableResize: {
    set: 'ExcelApi',
    version: '1.13',
    apis: ['Excel.Table.resize'],
    without:
      "a table Budgetline made is converted to a range and made again, with its name, over the new rows; a user's table that is the sheet's table keeps its rows",
  },
  mergedAreas: {
    set: 'ExcelApi',
    version: '1.13',
    apis: ['Excel.Range.getMergedAreasOrNullObject'],
    without:
      'merged cells are not known before a table is made: a table over them fails the write, as Excel refuses it',
  },
  sso: {
    set: 'IdentityAPI',
    version: '1.3',
    apis: ['Office.Auth.getAccessToken'],
    without: 'people pick their name from the Roles table, recorded as self-declared',
  },
  naa: {
    set: 'NestedAppAuth',
    version: '1.1',
    apis: ['Office.Auth.getAuthContext'],
    without: 'sign-in falls back to Office single sign-on (getAccessToken), then to self-declared',
  },
} as const satisfies Record<string, Feature>;

export type FeatureName = keyof typeof FEATURES;

/** Whether this Excel has the feature (Office.context.requirements.isSetSupported). */
export function supports(feature: FeatureName): boolean {
  const f: Feature = FEATURES[feature];
  return Office.context.requirements.isSetSupported(f.set, f.version);
}

/** Whether this Excel has everything REQUIRED (the manifest keeps the add-in off older ones). */
export function meetsRequirements(): boolean {
  const r = Office.context.requirements;
  return (
    r.isSetSupported('ExcelApi', REQUIRED.ExcelApi) &&
    r.isSetSupported('SharedRuntime', REQUIRED.SharedRuntime)
  );
}
