// HTML built with a tagged template that escapes every value by default: `html\`<td>${name}</td>\``
// escapes name; only an Html value (another template's result) is inserted as it is. There is no
// other way to put text into a page, so text from a partner's file or from Odoo can never become
// markup (test/http/pages.test.ts feeds it some).

/** Markup made by `html` (or `trusted`): inserted into another template unescaped. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** One interpolated value: markup as it is, a list item by item, nothing for null/undefined/false, else escaped text. */
function render(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/** Markup written in this code base (a style sheet), never data: the one way around escaping. */
export function trusted(markup: string): Html {
  return new Html(markup);
}

/** A link's query string from the values set (empty ones left out), each encoded. */
export function query(values: Readonly<Record<string, string | number | undefined | null>>): string {
  const parts = Object.entries(values)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
