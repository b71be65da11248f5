// JSON as the SDK writes it and as snapshots need it.

const NON_FINITE = /^(?:NaN|-?Infinity)/;

/**
 * Parse "extended JSON": history and summary lines may hold bare `NaN`, `Infinity`, `-Infinity` tokens
 * (reference §3.1). A small scanner rewrites those tokens outside strings into tagged strings, so the
 * platform's JSON.parse does the real work; a reviver turns the tags back into numbers.
 */
export function parseLenientJson(text: string): unknown {
  if (!/NaN|Infinity/.test(text)) return JSON.parse(text);
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') out += text[++i] ?? '';
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    const m = NON_FINITE.exec(text.slice(i, i + 9));
    if (m) {
      out += `"${TAG}${m[0]}"`;
      i += m[0].length - 1;
      continue;
    }
    out += ch;
  }
  return JSON.parse(out, (_key, value: unknown) =>
    typeof value === 'string' && value.startsWith(TAG) ? Number(value.slice(TAG.length)) : value,
  );
}
const TAG = '\u0000tracked-flows:non-finite:';

/**
 * Deterministic JSON: object keys sorted (by code point), two-space indent, non-finite numbers written as
 * the strings "NaN" / "Infinity" / "-Infinity" (JSON has no token for them; W&B's UI shows them the same way).
 */
export function canonicalJson(value: unknown, indent = 2): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

export function sortKeys(value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(byCodePoint)) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Code-point order (= UTF-8 byte order), not JS's UTF-16 default, which misorders astral characters. */
export function byCodePoint(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
