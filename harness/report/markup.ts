// Escaping for XML and HTML output. Every value that came from a scenario, a flow or the wire is user-controlled:
// reporters build markup with the `html` template below, which escapes every interpolation unless it is already
// Markup, so forgetting to escape takes an explicit `raw(...)`.

/**
 * Characters XML 1.0 cannot carry at all, not even as character references, plus lone surrogates (which UTF-8
 * cannot encode). A JUnit file holding one is rejected whole by strict parsers, so they are written out visibly.
 */
const UNREPRESENTABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const visible = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Text content: `&`, `<`, `>` escaped (`>` too, so `]]>` can never appear). */
export function escapeText(value: string): string {
  return value.replace(UNREPRESENTABLE, visible).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Attribute values (either quote style): quotes escaped, and whitespace kept, which attribute normalisation would fold. */
export function escapeAttr(value: string): string {
  return escapeText(value)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

/** Markup that is already safe to emit as is. */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export const raw = (value: string): Markup => new Markup(value);

export type Part = Markup | string | number | boolean | null | undefined | readonly Part[];

function emit(part: Part): string {
  if (part === null || part === undefined || part === false || part === true) return '';
  if (part instanceof Markup) return part.value;
  if (Array.isArray(part)) return part.map(emit).join('');
  // Attribute-safe escaping everywhere: the template cannot tell text positions from attribute positions.
  return escapeAttr(String(part));
}

/** `html\`<td>${value}</td>\``: strings and numbers escaped, Markup kept, arrays joined, null/false/true dropped. */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Markup {
  let out = strings[0]!;
  for (let i = 0; i < parts.length; i++) out += emit(parts[i]!) + strings[i + 1]!;
  return new Markup(out);
}

/** An identifier safe in an HTML id, a CSS selector and a Graphviz id: letters, digits, `_` and `-` only. */
export function slug(value: string): string {
  const s = value.replace(/[^A-Za-z0-9_-]+/g, '_');
  return s === '' ? '_' : s;
}
