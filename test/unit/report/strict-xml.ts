// A small strict XML 1.0 reader for tests: it throws on anything not well-formed (unescaped `<` or `&`, bad
// references, mismatched or unclosed tags, duplicate attributes, characters XML forbids, two roots), and returns
// a tree with entities decoded, so tests can read back exactly what a reporter meant to write.

export interface XmlElement { name: string; attrs: Record<string, string>; children: XmlElement[]; text: string }

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, where: number): string {
  if (FORBIDDEN.test(s)) throw new Error(`forbidden character near ${where}`);
  return s.replace(/&([^;]*);|&/g, (m, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`bare & near ${where}`);
    if (ref in ENTITIES) return ENTITIES[ref]!;
    const num = /^#x([0-9a-fA-F]+)$/.exec(ref) ?? /^#([0-9]+)$/.exec(ref);
    if (!num) throw new Error(`unknown entity &${ref}; near ${where}`);
    const code = parseInt(num[1]!, ref.startsWith('#x') ? 16 : 10);
    const ch = String.fromCodePoint(code);
    if (FORBIDDEN.test(ch)) throw new Error(`reference to a forbidden character near ${where}`);
    return ch;
  });
}

export function parseXml(source: string): XmlElement {
  let i = 0;
  const skipMisc = () => {
    for (;;) {
      const ws = /^\s*/.exec(source.slice(i))![0].length;
      i += ws;
      if (source.startsWith('<?', i)) i = source.indexOf('?>', i) + 2;
      else if (source.startsWith('<!--', i)) i = source.indexOf('-->', i) + 3;
      else if (source.startsWith('<!DOCTYPE', i)) i = source.indexOf('>', i) + 1;
      else return;
      if (i < 2) throw new Error('unterminated declaration');
    }
  };
  const element = (): XmlElement => {
    if (source[i] !== '<') throw new Error(`expected < at ${i}`);
    i++;
    const name = NAME.exec(source.slice(i))?.[0];
    if (!name) throw new Error(`bad tag name at ${i}`);
    i += name.length;
    const el: XmlElement = { name, attrs: {}, children: [], text: '' };
    for (;;) {
      const m = /^\s+([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(source.slice(i));
      if (!m) break;
      if (m[1]! in el.attrs) throw new Error(`duplicate attribute ${m[1]} at ${i}`);
      el.attrs[m[1]!] = decode(m[3] ?? m[4]!, i);
      i += m[0].length;
    }
    const end = /^\s*(\/?)>/.exec(source.slice(i));
    if (!end) throw new Error(`bad tag at ${i}: ${source.slice(i, i + 30)}`);
    i += end[0].length;
    if (end[1]) return el;
    for (;;) {
      const lt = source.indexOf('<', i);
      if (lt < 0) throw new Error(`unclosed <${name}>`);
      const text = source.slice(i, lt);
      if (text.includes(']]>')) throw new Error(`]]> in text at ${i}`);
      el.text += decode(text, i);
      i = lt;
      if (source.startsWith('</', i)) {
        const close = new RegExp(`^</${name.replace(/[.]/g, '\\.')}\\s*>`).exec(source.slice(i));
        if (!close) throw new Error(`mismatched close tag at ${i}: expected </${name}>`);
        i += close[0].length;
        return el;
      }
      if (source.startsWith('<!--', i)) {
        i = source.indexOf('-->', i) + 3;
        continue;
      }
      el.children.push(element());
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (i !== source.length) throw new Error(`content after the root element at ${i}`);
  return root;
}

export function findAll(el: XmlElement, name: string): XmlElement[] {
  return [...(el.name === name ? [el] : []), ...el.children.flatMap((c) => findAll(c, name))];
}
