/** Python literal tokens -> values: string prefixes, quotes and escapes; int / float spellings. */

const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };

/** A string token (`'a'`, `r"\d"`, `b'x'`, `"""..."""`) -> its text; bytes are kept as latin-1 text. */
export function decodeString(token: string): { value: string; bytes: boolean } {
  const prefix = /^[A-Za-z]*/.exec(token)![0];
  const rest = token.slice(prefix.length);
  const q = rest.startsWith('"""') || rest.startsWith("'''") ? 3 : 1;
  const body = rest.slice(q, rest.length - q);
  const bytes = /b/i.test(prefix);
  if (/r/i.test(prefix)) return { value: body, bytes };
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\' || i + 1 >= body.length) {
      out += ch;
      continue;
    }
    const e = body[++i]!;
    if (e in SIMPLE) out += SIMPLE[e];
    else if (e === 'x') {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e === 'u' && !bytes) {
      out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (e === 'U' && !bytes) {
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16));
      i += 8;
    } else if (/[0-7]/.test(e)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i))![0];
      out += String.fromCharCode(parseInt(oct, 8));
      i += oct.length - 1;
    } else out += `\\${e}`;
  }
  return { value: out, bytes };
}

/** An int (bigint), a float (number), or null for what the model has no value for (complex `1j`). */
export function parseNumber(token: string): bigint | number | null {
  const t = token.replace(/_/g, '');
  if (/[jJ]$/.test(t)) return null;
  if (/^0[xX]/.test(t) || /^0[oO]/.test(t) || /^0[bB]/.test(t)) return BigInt(t.toLowerCase());
  if (/^[0-9]+$/.test(t)) return BigInt(t);
  return Number(t);
}
