/**
 * The WAI-ARIA tabs pattern, as the sidebar's own tabs follow it: a tablist of buttons (role=tab,
 * aria-selected, aria-controls), one tab in the Tab order (roving tabindex), arrow keys, Home and
 * End move between tabs and show their panel (automatic activation); each panel is role=tabpanel,
 * labelled by its tab and focusable.
 */
import { el } from './figures';

export interface TabSpec {
  readonly id: string;
  readonly label: string;
  readonly panel: HTMLElement;
}

/** Builds the tab list for `tabs` (prefix makes the ids unique); calls onShow when a tab is shown. */
export function tabList(
  label: string,
  prefix: string,
  tabs: readonly TabSpec[],
  onShow: (id: string) => void = () => undefined,
): { list: HTMLElement; show: (id: string) => void } {
  const list = el('div', undefined, 'bl-tablist');
  list.setAttribute('role', 'tablist');
  list.setAttribute('aria-label', label);
  const buttons = tabs.map((t) => {
    const b = el('button', t.label, 'bl-tab');
    b.type = 'button';
    b.id = `${prefix}-tab-${t.id}`;
    b.setAttribute('role', 'tab');
    b.setAttribute('aria-controls', `${prefix}-panel-${t.id}`);
    t.panel.id = `${prefix}-panel-${t.id}`;
    t.panel.setAttribute('role', 'tabpanel');
    t.panel.setAttribute('aria-labelledby', b.id);
    t.panel.tabIndex = 0;
    return b;
  });
  const show = (id: string): void => {
    tabs.forEach((t, i) => {
      const on = t.id === id;
      const b = buttons[i] as HTMLButtonElement;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      t.panel.hidden = !on;
    });
    onShow(id);
  };
  buttons.forEach((b, i) => {
    b.addEventListener('click', () => show(tabs[i]?.id ?? ''));
    b.addEventListener('keydown', (e) => {
      const n = tabs.length;
      const to =
        e.key === 'ArrowRight'
          ? (i + 1) % n
          : e.key === 'ArrowLeft'
            ? (i + n - 1) % n
            : e.key === 'Home'
              ? 0
              : e.key === 'End'
                ? n - 1
                : -1;
      const tab = tabs[to];
      if (!tab) return;
      e.preventDefault();
      show(tab.id);
      buttons[to]?.focus();
    });
  });
  list.append(...buttons);
  const first = tabs[0];
  if (first) show(first.id);
  return { list, show };
}
