/**
 * Tables of figures and lists of findings, built as DOM for both the Excel pane and the Sheets
 * sidebar (each bundle includes this folder). Pure DOM building: no Office.js, no Apps Script, no
 * rule — every word and figure comes worded from the core (core/views). Text only ever goes in
 * through textContent, never as HTML.
 */
import type { Diagnostic } from '../core/diagnostics';
import type { ViewCell, ViewFlag, ViewTable } from '../core/views/table';

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  className?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

/** A flag in words with its icon (the icon is hidden from screen readers: the words say it). */
const FLAGS: Readonly<Record<ViewFlag, { icon: string; text: string }>> = {
  error: { icon: '\u2716', text: 'Error' },
  warning: { icon: '\u26A0', text: 'Warning' },
  ok: { icon: '\u2714', text: 'OK' },
};

function flagTag(flag: ViewFlag): HTMLSpanElement {
  const tag = el('span', undefined, `bl-flag ${flag}`);
  const icon = el('span', FLAGS[flag].icon, 'bl-icon');
  icon.setAttribute('aria-hidden', 'true');
  tag.append(icon, document.createTextNode(`${FLAGS[flag].text}: `));
  return tag;
}

function fill(cell: HTMLTableCellElement, c: ViewCell): HTMLTableCellElement {
  if (c.flag) cell.append(flagTag(c.flag), document.createTextNode(c.text));
  else cell.textContent = c.text;
  return cell;
}

/**
 * A table of figures: caption, column heads (scope=col), the row-naming column as th scope=row,
 * figures right-aligned (`bl-num`), flagged rows `bl-flagged` besides their words. `className` adds
 * the host's own table classes.
 */
export function figureTable(view: ViewTable, className = ''): HTMLTableElement {
  const table = el('table', undefined, `bl-figures ${className}`.trim());
  table.append(el('caption', view.caption));
  const head = el('tr');
  for (const h of view.columns) {
    const th = el('th', h);
    th.setAttribute('scope', 'col');
    head.append(th);
  }
  const thead = el('thead');
  thead.append(head);
  const body = el('tbody');
  for (const row of view.rows) {
    const tr = el('tr', undefined, row.flagged ? 'bl-flagged' : '');
    tr.dataset['key'] = row.key;
    row.cells.forEach((c, i) => {
      const cell = i === view.rowHeader ? el('th') : el('td');
      if (i === view.rowHeader) cell.setAttribute('scope', 'row');
      if (view.numeric.includes(i)) cell.className = 'bl-num';
      tr.append(fill(cell, c));
    });
    body.append(tr);
  }
  table.append(thead, body);
  return table;
}

/**
 * Puts tables in a box (a focusable region, so a table wider than the pane scrolls by keyboard), or
 * hides it when there are none.
 */
export function showTables(box: HTMLElement, tables: readonly ViewTable[], className = ''): void {
  box.replaceChildren(...tables.map((t) => figureTable(t, className)));
  box.hidden = tables.length === 0;
}

/**
 * The whole list of a finding whose message shows only the first few (its `items`), folded under
 * "All N" so the list stays readable and nothing is lost; undefined when the message has it all.
 */
export function wholeList(d: Pick<Diagnostic, 'items'>): HTMLDetailsElement | undefined {
  if (!d.items?.length) return undefined;
  const details = el('details', undefined, 'bl-items');
  details.append(el('summary', `All ${d.items.length}`), el('p', d.items.join('; ')));
  return details;
}

const SEVERITY: Readonly<Record<Diagnostic['severity'], ViewFlag>> = { fatal: 'error', warning: 'warning' };

/** Findings as a list: severity in words and an icon, the place, the code, the message, the remedy. */
export function findingList(list: HTMLElement, findings: readonly Diagnostic[], limit = 50): void {
  list.replaceChildren(
    ...findings.slice(0, limit).map((d) => {
      const li = el('li', undefined, `bl-finding-item ${d.severity}`);
      li.append(flagTag(SEVERITY[d.severity]));
      if (d.sheet) li.append(el('span', `${d.sheet}${d.cell ? `!${d.cell}` : ''} `, 'bl-place'));
      li.append(el('span', `${d.code} ${d.message}`));
      if (d.remedy) li.append(el('span', d.remedy, 'bl-remedy'));
      const whole = wholeList(d);
      if (whole) li.append(whole);
      return li;
    }),
  );
  if (findings.length > limit)
    list.append(el('li', `… and ${findings.length - limit} more (every one is in the result).`));
}
