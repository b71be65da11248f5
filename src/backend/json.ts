// JSON as the SDK writes it and as snapshots need it.

/**
 * Numbers written as floats with an integral value (`1.0`, `2e3`): JSON.parse makes them JS numbers that print
 * as `1`, so the log would lose that W&B received a float. The parser notes them per (holder, key) — invisible
 * to equality and to every reader — and canonicalJson writes them back as `1.0`.
 */
const integralFloats = new WeakMap<object, Set<string>>();

export function isIntegralFloat(holder: object, key: string): boolean {
  return integralFloats.get(holder)?.has(key) ?? false;
}

/** Carries the float note of `from[fromKey]` over to `to[toKey]` (for readers that copy values around). */
export function copyFloatNote(from: object, fromKey: string, to: object, toKey: string): void {
  if (isIntegralFloat(from, fromKey)) noteFloat(to, toKey);
}

function noteFloat(holder: object, key: string): void {
  let keys = integralFloats.get(holder);
  if (!keys) integralFloats.set(holder, (keys = new Set()));
  keys.add(key);
}

const NON_FINITE_TOKEN = /^(?:NaN|-?Infinity)/;
const NUMBER_TOKEN = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;
/** Quick test: could the text hold a bare NaN/Infinity or an integral float such as `1.0` or `1e3`? */
const NEEDS_SCAN = /NaN|Infinity|\d\.0*(?![0-9])|\d[eE]/;

/**
 * Parse "extended JSON": history and summary lines may hold bare `NaN`, `Infinity`, `-Infinity` tokens
 * (reference §3.1). A small scanner rewrites those tokens — and integral floats, to remember they were floats —
 * outside strings into tagged strings, so the platform's JSON.parse does the real work; a reviver turns the tags
 * back into numbers.
 */
export function parseLenientJson(text: string): unknown {
  if (!NEEDS_SCAN.test(text)) return JSON.parse(text);
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
    const rest = text.slice(i, i + 40);
    const special = NON_FINITE_TOKEN.exec(rest);
    if (special) {
      out += JSON.stringify(TAG + special[0]); // escaped: a raw control character is not valid JSON
      i += special[0].length - 1;
      continue;
    }
    const number = (ch === '-' || (ch >= '0' && ch <= '9')) ? NUMBER_TOKEN.exec(text.slice(i, i + 400)) : null;
    if (number) {
      const token = number[0];
      const isFloat = /[.eE]/.test(token) && Number.isInteger(Number(token)) && Number.isFinite(Number(token));
      out += isFloat ? JSON.stringify(FLOAT_TAG + token) : token;
      i += token.length - 1;
      continue;
    }
    out += ch;
  }
  return JSON.parse(out, function (this: object, key: string, value: unknown) {
    if (typeof value !== 'string') return value;
    if (value.startsWith(TAG)) return Number(value.slice(TAG.length));
    if (value.startsWith(FLOAT_TAG)) {
      noteFloat(this, key);
      return Number(value.slice(FLOAT_TAG.length));
    }
    return value;
  });
}
const TAG = '\u0000tracked-flows:non-finite:';
const FLOAT_TAG = '\u0000tracked-flows:float:';

/**
 * Deterministic JSON: object keys sorted (by code point), two-space indent, non-finite numbers written as
 * the strings "NaN" / "Infinity" / "-Infinity" (JSON has no token for them; W&B's UI shows them the same way).
 */
export function canonicalJson(value: unknown, indent = 2): string {
  return writeTagged(JSON.stringify(tagNumbers(value, true), null, indent));
}

/**
 * The inverse of parseLenientJson, for handing a value to another thread or process unchanged: key order
 * kept, non-finite numbers as bare tokens, noted integral floats as `1.0`. parseLenientJson(lenientJson(x))
 * equals x, float notes included (structured clone would drop them: they live in a WeakMap).
 */
export function lenientJson(value: unknown): string {
  return writeTagged(JSON.stringify(tagNumbers(value, false)));
}

/** Copies `value` with noted floats (and, unless sorting for canonicalJson, non-finite numbers) as tag strings. */
function tagNumbers(value: unknown, canonical: boolean): unknown {
  const tag = (holder: object, key: string, v: unknown): unknown => {
    if (typeof v !== 'number') return tagNumbers(v, canonical);
    if (!Number.isFinite(v)) return canonical ? String(v) : `${NON_FINITE_OUT}${v}`;
    return isIntegralFloat(holder, key) ? `${FLOAT_OUT}${v}` : v;
  };
  if (typeof value === 'number' && !Number.isFinite(value)) return canonical ? String(value) : `${NON_FINITE_OUT}${value}`;
  if (Array.isArray(value)) return value.map((v, i) => tag(value, String(i), v));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const keys = Object.keys(value);
    for (const key of canonical ? keys.sort(byCodePoint) : keys) out[key] = tag(value, key, (value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Tag strings back into number tokens: `1.0` for an integral float, bare NaN/Infinity. */
function writeTagged(text: string): string {
  if (!text.includes(OUT_ESCAPED)) return text;
  return text.replace(OUT_PATTERN, (_m, kind: string, n: string) => (kind === 'float' ? floatText(Number(n)) : n));
}
const FLOAT_OUT = '\u0000tracked-flows:out:float:';
const NON_FINITE_OUT = '\u0000tracked-flows:out:bare:';
const OUT_ESCAPED = JSON.stringify('\u0000tracked-flows:out:').slice(1, -1);
const OUT_PATTERN = new RegExp(`"${OUT_ESCAPED.replace(/\\/g, '\\\\')}(float|bare):([^"]*)"`, 'g');

/** Python's repr of an integral float: `1.0`, `-3.0`, and from 1e16 on the exponent form `1e+16`. */
function floatText(n: number): string {
  return Math.abs(n) < 1e16 ? n.toFixed(1) : n.toExponential();
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
