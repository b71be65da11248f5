/**
 * The runtime treats artifact values as opaque. Wherever Python semantics need to look inside a value
 * (iterating a foreach variable, `var[index]`, comparing content in merge_artifacts, unpickling a fresh
 * copy on load, formatting an error message), it asks this protocol. The defaults understand plain JS
 * data; the integration passes one built on its Python-like value model (and a pickle-based content id).
 */
import { createHash } from 'node:crypto';
import { PythonError } from './errors.ts';
import type { ResolvedParameter } from './parameters.ts';

export interface ValueProtocol {
  /** `list(iter(value))`; throws a Python `TypeError` when the value is not iterable. */
  iterate(value: unknown): unknown[];
  /** `value[index]` for `self.input` (Metaflow falls back to iteration without `__getitem__`). */
  item(value: unknown, index: number): unknown;
  /** Content identity for merge_artifacts conflicts (Metaflow compares the sha1 of the pickled bytes). */
  contentId(value: unknown): string;
  /** A fresh copy, as unpickling an artifact gives each task its own object. */
  clone(value: unknown): unknown;
  /** Python `str(value)`, for messages. */
  str(value: unknown): string;
  /** Python `repr(value)`, for messages. */
  repr(value: unknown): string;
  /** The value as a dict key for switch cases (str, number or bool), or undefined if it can never match. */
  switchKey(value: unknown): string | number | boolean | undefined;
  /** What `self.<parameter>` returns for a resolved parameter. */
  fromParameter(parameter: ResolvedParameter): unknown;
  /**
   * What `@catch(var=...)` stores: Metaflow's `MetaflowExceptionWrapper(exception)` for a caught exception, None
   * (null) for a task that succeeded.
   */
  caught(error: { readonly type: string; readonly message: string } | null): unknown;
}

const isPlainObject = (v: object): boolean => {
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/** Python's type name of a plain JS value, for `'int' object is not iterable`. */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  switch (typeof value) {
    case 'boolean': return 'bool';
    case 'number': return Number.isInteger(value) ? 'int' : 'float';
    case 'bigint': return 'int';
    case 'string': return 'str';
    case 'function': return 'function';
    default:
      if (Array.isArray(value)) return 'list';
      if (value instanceof Map || isPlainObject(value as object)) return 'dict';
      if (value instanceof Set) return 'set';
      return (value as object).constructor?.name ?? 'object';
  }
}

function defaultIterate(value: unknown): unknown[] {
  if (Array.isArray(value)) return [...(value as unknown[])];
  if (typeof value === 'string') return [...value];
  if (value instanceof Map) return [...value.keys()];
  if (value !== null && typeof value === 'object') {
    if (isPlainObject(value)) return Object.keys(value);
    if (Symbol.iterator in value) return [...(value as Iterable<unknown>)];
  }
  throw new PythonError('TypeError', `'${pyTypeName(value)}' object is not iterable`);
}

/** A canonical, order-preserving encoding (dict order matters to pickle; set order does not). */
function encode(value: unknown, seen: Map<object, number>): string {
  if (value === null) return 'N';
  if (value === undefined) return 'U';
  switch (typeof value) {
    case 'boolean': return value ? 'T' : 'F';
    case 'number': return `n${Object.is(value, -0) ? '-0' : String(value)}`;
    case 'bigint': return `i${value.toString()}`;
    case 'string': return `s${JSON.stringify(value)}`;
    case 'symbol': return `y${String(value.description)}`;
    case 'function': return `f${value.name}`;
  }
  const obj = value as object;
  const ref = seen.get(obj);
  if (ref !== undefined) return `r${ref}`;
  seen.set(obj, seen.size);
  if (Array.isArray(obj)) return `[${obj.map((v) => encode(v, seen)).join(',')}]`;
  if (obj instanceof Map) return `M{${[...obj].map(([k, v]) => `${encode(k, seen)}:${encode(v, seen)}`).join(',')}}`;
  if (obj instanceof Set) return `S{${[...obj].map((v) => encode(v, seen)).sort().join(',')}}`;
  if (obj instanceof Date) return `D${obj.toISOString()}`;
  if (ArrayBuffer.isView(obj)) {
    return `B${obj.constructor.name}:${Buffer.from(obj.buffer, obj.byteOffset, obj.byteLength).toString('hex')}`;
  }
  const tag = isPlainObject(obj) ? '' : (obj.constructor?.name ?? '?');
  const fields = Object.keys(obj).map((k) => `${JSON.stringify(k)}:${encode((obj as Record<string, unknown>)[k], seen)}`);
  return `O${tag}{${fields.join(',')}}`;
}

/** Deterministic structural fingerprint (sha1 of the canonical encoding). */
export function structuralFingerprint(value: unknown): string {
  return createHash('sha1').update(encode(value, new Map())).digest('hex');
}

/** Deep copy keeping prototypes (class instances stay instances) and sharing functions. */
export function deepClone<T>(value: T, seen = new Map<object, unknown>()): T {
  if (value === null || typeof value !== 'object') return value;
  const obj = value as object;
  if (seen.has(obj)) return seen.get(obj) as T;
  let copy: unknown;
  if (Array.isArray(obj)) {
    const arr: unknown[] = [];
    seen.set(obj, arr);
    for (const v of obj) arr.push(deepClone(v, seen));
    copy = arr;
  } else if (obj instanceof Map) {
    const map = new Map();
    seen.set(obj, map);
    for (const [k, v] of obj) map.set(deepClone(k, seen), deepClone(v, seen));
    copy = map;
  } else if (obj instanceof Set) {
    const set = new Set();
    seen.set(obj, set);
    for (const v of obj) set.add(deepClone(v, seen));
    copy = set;
  } else if (obj instanceof Date) {
    copy = new Date(obj.getTime());
  } else if (ArrayBuffer.isView(obj)) {
    copy = (obj as unknown as { slice(): unknown }).slice();
  } else {
    const target = Object.create(Object.getPrototypeOf(obj) as object | null) as Record<string, unknown>;
    seen.set(obj, target);
    for (const key of Object.keys(obj)) target[key] = deepClone((obj as Record<string, unknown>)[key], seen);
    copy = target;
  }
  return copy as T;
}

/** Python's repr of a str: single quotes unless the text holds a single quote and no double quote. */
function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replaceAll(quote, `\\${quote}`);
  return `${quote}${body}${quote}`;
}

function defaultRepr(value: unknown): string {
  if (typeof value === 'string') return reprString(value);
  if (Array.isArray(value)) return `[${value.map(defaultRepr).join(', ')}]`;
  if (value instanceof Map) return `{${[...value].map(([k, v]) => `${defaultRepr(k)}: ${defaultRepr(v)}`).join(', ')}}`;
  if (value !== null && typeof value === 'object' && isPlainObject(value)) {
    return `{${Object.entries(value).map(([k, v]) => `${reprString(k)}: ${defaultRepr(v)}`).join(', ')}}`;
  }
  return defaultStr(value);
}

function defaultStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return String(value);
  }
  if (typeof value === 'object') return defaultRepr(value);
  return String(value);
}

export const defaultValueProtocol: ValueProtocol = {
  iterate: defaultIterate,
  item: (value, index) => {
    if (Array.isArray(value)) return (value as unknown[])[index];
    if (typeof value === 'string') return [...value][index];
    return defaultIterate(value)[index];
  },
  contentId: structuralFingerprint,
  clone: (value) => deepClone(value),
  str: defaultStr,
  repr: defaultRepr,
  switchKey: (value) =>
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : undefined,
  fromParameter: (p) => p.value,
  caught: (error) => (error === null ? null : { type: error.type, exception: error.message }),
};

/** Python dict-key equality for switch cases: `1 == 1.0 == True`, strings by content. */
export function sameSwitchKey(a: string | number | boolean, b: string | number | boolean): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return Number(a) === Number(b);
}
