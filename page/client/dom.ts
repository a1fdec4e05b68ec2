// Small DOM helpers: elements built in code (the page has no inline script or handler: CSP script-src 'self').

type Attributes = Record<string, string | number | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Node | string | null | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** A table's head: one row of column headers, each of the class `classOf` gives it (none by default). */
export function tableHead(titles: readonly string[], classOf?: (title: string) => string | undefined) {
  const cells = titles.map((title) => h('th', { scope: 'col', class: classOf?.(title) }, title));
  return h('thead', {}, h('tr', {}, ...cells));
}

/** A button that is no form's submit button, running `onClick` when clicked. */
export function button(text: string, attributes: Attributes, onClick: () => void): HTMLButtonElement {
  const element = h('button', { type: 'button', ...attributes }, text);
  element.addEventListener('click', onClick);
  return element;
}

/** A link that opens in a new tab, telling the page opened nothing of this one (noopener noreferrer). */
export const externalLink = (href: string, text: string, attributes: Attributes = {}) =>
  h('a', { ...attributes, href, target: '_blank', rel: 'noopener noreferrer' }, text);

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}

/** What a caught error says. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
