// JSON as the two writers on W&B's wire produce it:
// - `go`: wandb-core's `json.Marshal` (compact; `<`, `>`, `&`, U+2028/9 escaped) with W&B's extended tokens
//   `NaN`, `Infinity`, `-Infinity` left bare, as history and summary lines carry them (§3.1).
// - `python`: `json.dumps` defaults (`", "` / `": "` separators, ensure_ascii), as Python-built fields such as
//   `CreateArtifact.metadata` are sent (§5.1).
// Python tells ints from floats; JS numbers do not. Integral JS numbers are written as ints, other numbers as
// Python's float repr; wrap a value in `PyFloat` (helper `float()`) to force float form (`1.0`).
import { WandbError } from './errors.ts';

export class PyFloat {
  constructor(readonly value: number) {}
}
export const float = (value: number): PyFloat => new PyFloat(value);

export type WireValue =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | PyFloat
  | readonly WireValue[]
  | { readonly [key: string]: WireValue };

export interface JsonStyle {
  style: 'go' | 'python';
  /** Sort object keys by UTF-8 bytes at every level (Go marshals maps this way). */
  sortKeys?: boolean;
}

/** Python's `repr(float)`: shortest round-trip digits, exponent form outside 1e-4 <= |x| < 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = x < 0 ? '-' : '';
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    const frac = digits.slice(exp + 1) || '0';
    return `${sign}${intPart}.${frac}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

function formatNumber(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER) return Object.is(x, -0) ? '0' : String(x);
  return pyFloatRepr(x);
}

const GO_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

function formatString(text: string, style: JsonStyle['style']): string {
  const json = JSON.stringify(text);
  if (style === 'go') return json.replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]!);
  // ensure_ascii: every non-ASCII UTF-16 unit as \uXXXX (astral chars become surrogate pairs, as Python does).
  return json.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** Compare strings by their UTF-8 bytes (= code point order), as Python's `sorted` and Go's map keys do. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca - cb;
    if (ca > 0xffff) i++;
  }
  return a.length - b.length;
}

export function encodeJson(value: unknown, options: JsonStyle = { style: 'go' }): string {
  const [comma, colon] = options.style === 'python' ? [', ', ': '] : [',', ':'];
  const seen = new Set<object>();
  const walk = (v: unknown, path: string): string => {
    if (v === null || v === undefined) return 'null';
    switch (typeof v) {
      case 'boolean': return v ? 'true' : 'false';
      case 'number': return formatNumber(v);
      case 'bigint': return v.toString();
      case 'string': return formatString(v, options.style);
      case 'object': break;
      default:
        throw new WandbError('WANDB_VALUE', `Failed to encode "${path}": a ${typeof v} is not JSON serializable. Pass plain data (numbers, strings, lists, maps).`);
    }
    if (v instanceof PyFloat) return pyFloatRepr(v.value);
    if (seen.has(v as object)) {
      throw new WandbError('WANDB_VALUE', `Failed to encode "${path}": the value contains itself. Pass an acyclic value.`);
    }
    seen.add(v as object);
    try {
      if (Array.isArray(v)) return '[' + v.map((item, i) => walk(item, `${path}[${i}]`)).join(comma) + ']';
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) {
        throw new WandbError('WANDB_VALUE', `Failed to encode "${path}": an instance of ${proto?.constructor?.name ?? 'an unknown class'} is not JSON serializable. Convert it to plain data first.`);
      }
      let keys = Object.keys(v);
      if (options.sortKeys) keys = keys.sort(compareUtf8);
      const parts: string[] = [];
      for (const key of keys) {
        const item = (v as Record<string, unknown>)[key];
        if (item === undefined) continue;
        parts.push(formatString(key, options.style) + colon + walk(item, path ? `${path}.${key}` : key));
      }
      return '{' + parts.join(comma) + '}';
    } finally {
      seen.delete(v as object);
    }
  };
  return walk(value, '');
}
