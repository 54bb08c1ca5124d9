/**
 * Print setup in an .xlsx package (WriteBatch `print`): the sheet's <pageSetup> (orientation, fit to
 * one page wide), <sheetPr><pageSetUpPr fitToPage="1"/>, <headerFooter> with Excel's codes (&P page,
 * &N pages, &A sheet, &D date: core's headerFooterCodes, which the Excel add-in uses too) and the print titles as the workbook's _xlnm.Print_Titles defined name
 * for that sheet. The sheet's other elements and every other defined name are kept as they are.
 */
import type { PrintSetup } from '../../core';
import { headerFooterCodes, quoteSheetName } from '../../core';
import { insertIntoElement } from './package';
import { escapeAttr, escapeText, topLevel } from './xml';

export interface PrintSheet {
  element(name: string): string | undefined;
  setElement(name: string, text: string | null): void;
  readonly prefix: string;
}

function section(parts: { left?: string; center?: string; right?: string } | undefined): string {
  if (!parts) return '';
  return (
    (parts.left ? `&L${headerFooterCodes(parts.left)}` : '') +
    (parts.center ? `&C${headerFooterCodes(parts.center)}` : '') +
    (parts.right ? `&R${headerFooterCodes(parts.right)}` : '')
  );
}

/** Sets a sheet's page setup, fit-to-page flag and header and footer. */
export function writePrintSetup(sheet: PrintSheet, setup: PrintSetup): void {
  const p = sheet.prefix;
  // sheetPr: keep what is there (tab colour, outline), set pageSetUpPr's fitToPage.
  const pr = sheet.element('sheetPr');
  const fit = setup.fitToWidth ? '1' : '0';
  if (!pr) {
    if (setup.fitToWidth)
      sheet.setElement('sheetPr', `<${p}sheetPr><${p}pageSetUpPr fitToPage="1"/></${p}sheetPr>`);
  } else {
    const { root, children } = topLevel(pr);
    const own = children.find((c) => c.name === 'pageSetUpPr');
    if (own) {
      const tag = pr.slice(own.start, own.openEnd);
      const next = /\sfitToPage="[^"]*"/.test(tag)
        ? tag.replace(/\sfitToPage="[^"]*"/, ` fitToPage="${fit}"`)
        : tag.replace(/(\/?>)$/, ` fitToPage="${fit}"$1`);
      sheet.setElement('sheetPr', pr.slice(0, own.start) + next + pr.slice(own.openEnd));
    } else
      sheet.setElement(
        'sheetPr',
        insertIntoElement(pr, root, `<${p}pageSetUpPr fitToPage="${fit}"/>`, 'end'),
      );
  }
  if (!sheet.element('pageMargins'))
    sheet.setElement(
      'pageMargins',
      `<${p}pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>`,
    );
  // pageSetup: keep the paper size and other attributes a user set; Budgetline's own replace theirs.
  const old = sheet.element('pageSetup');
  const attrs = new Map<string, string>();
  if (old) for (const [k, v] of Object.entries(topLevel(old).root.attrs)) attrs.set(k, v);
  attrs.set('orientation', setup.orientation);
  if (setup.fitToWidth) {
    attrs.set('fitToWidth', '1');
    attrs.set('fitToHeight', '0');
  }
  sheet.setElement(
    'pageSetup',
    `<${p}pageSetup ${[...attrs].map(([k, v]) => `${k}="${escapeAttr(v)}"`).join(' ')}/>`,
  );
  const head = section(setup.header);
  const foot = section(setup.footer);
  if (head || foot)
    sheet.setElement(
      'headerFooter',
      `<${p}headerFooter>${head ? `<${p}oddHeader>${escapeText(head)}</${p}oddHeader>` : ''}${foot ? `<${p}oddFooter>${escapeText(foot)}</${p}oddFooter>` : ''}</${p}headerFooter>`,
    );
}

/**
 * The workbook part with the sheet's print titles set (or removed when `rows` is undefined): one
 * _xlnm.Print_Titles defined name with localSheetId = the sheet's index in <sheets>.
 */
export function withPrintTitles(
  xml: string,
  sheetName: string,
  index: number,
  rows: string | undefined,
): string {
  const { root, children } = topLevel(xml);
  const names = children.find((c) => c.name === 'definedNames');
  const prefix = /^<(\w+:)?/.exec(xml.slice(root.start))?.[1] ?? '';
  const value = rows
    ? `${quoteSheetName(sheetName)}!${rows
        .split(':')
        .map((r) => `$${r.replace(/\$/g, '')}`)
        .join(':')}`
    : undefined;
  const el = value
    ? `<${prefix}definedName name="_xlnm.Print_Titles" localSheetId="${index}">${escapeText(value)}</${prefix}definedName>`
    : '';
  if (names) {
    const body = xml.slice(names.start, names.end);
    const own = topLevel(body).children.find(
      (c) =>
        c.name === 'definedName' &&
        c.attrs.name === '_xlnm.Print_Titles' &&
        c.attrs.localSheetId === String(index),
    );
    if (own) return xml.slice(0, names.start + own.start) + el + xml.slice(names.start + own.end);
    if (!el) return xml;
    return insertIntoElement(xml, names, el, 'end');
  }
  if (!el) return xml;
  // definedNames goes after sheets, functionGroups and externalReferences.
  const after = [...children]
    .reverse()
    .find((c) => ['sheets', 'functionGroups', 'externalReferences'].includes(c.name));
  if (!after) return xml;
  return `${xml.slice(0, after.end)}<${prefix}definedNames>${el}</${prefix}definedNames>${xml.slice(after.end)}`;
}
