/**
 * What `run.log({name: value})` makes of a "scalar" output: the JSON W&B writes into the history row.
 *
 * W&B serialises with Python's `json` and a `default` hook (`wandb.util.json_friendly`), so plain JSON types
 * are written natively and everything else goes through the hook:
 * - sets become lists (in CPython's set iteration order); numpy scalars become Python numbers (`.item()`,
 *   a float32 NaN becoming null); `bytes` are decoded as UTF-8; datetimes become `isoformat()`; callables become
 *   `"module.qualname"` (or `str(obj)` for instances, such as a torch module); small ndarrays become lists;
 * - anything else raises `TypeError: Object of type X is not JSON serializable` - the crash the integration
 *   has for `self.models = [RandomForestClassifier()]` (reference §3.6).
 * Floats keep NaN/Infinity/-Infinity as bare tokens, as the history lines carry them.
 */
import type { PyValue } from './model.ts';
import { T, isSubclass } from './types.ts';
import { PythonError, ValuesError } from './errors.ts';
import { setIterationOrder } from './pyhash.ts';
import { jsonFloat, jsonString } from './pyrepr.ts';
import { hashOrderUnknown, isUnorderedList, unknownJson, unknownOrigin } from './unknown.ts';

/**
 * Items whose order the real run draws per process (a set of str): `{"$unordered": [...]}`, the items in a fixed
 * order (by their JSON text) so the plan is deterministic while saying the real order is not known.
 */
function unordered(items: readonly PyValue[]): WandbJson {
  const parts = items.map(toWandbJson);
  const keyed = parts.map((p) => [JSON.stringify(p, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)), p] as const);
  keyed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { object: [['$unordered', keyed.map(([, p]) => p)]] };
}

/** JSON as Python produced it: ints stay exact (bigint) and floats stay floats (1.0 is not 1). */
export type WandbJson =
  | null
  | boolean
  | string
  | { readonly int: bigint }
  | { readonly float: number }
  | readonly WandbJson[]
  | { readonly object: readonly (readonly [string, WandbJson])[] };

const notSerializable = (v: PyValue) => new PythonError('TypeError', `Object of type ${v.type.name} is not JSON serializable`);

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Find the offending byte the way CPython reports it.
    let i = 0;
    while (i < bytes.length) {
      const b = bytes[i]!;
      const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
      const hex = `0x${b.toString(16).padStart(2, '0')}`;
      if (need < 0) throw new PythonError('UnicodeDecodeError', `'utf-8' codec can't decode byte ${hex} in position ${i}: invalid start byte`);
      for (let k = 1; k <= need; k++) {
        if (i + k >= bytes.length) throw new PythonError('UnicodeDecodeError', `'utf-8' codec can't decode byte ${hex} in position ${i}: unexpected end of data`);
        if ((bytes[i + k]! & 0xc0) !== 0x80) throw new PythonError('UnicodeDecodeError', `'utf-8' codec can't decode byte ${hex} in position ${i}: invalid continuation byte`);
      }
      i += need + 1;
    }
    throw new PythonError('UnicodeDecodeError', `'utf-8' codec can't decode bytes: invalid data`);
  }
}

function isoformat(v: Extract<PyValue, { kind: 'datetime' }>): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const base = `${p(v.year, 4)}-${p(v.month)}-${p(v.day)}T${p(v.hour)}:${p(v.minute)}:${p(v.second)}`;
  return v.microsecond === 0 ? base : `${base}.${p(v.microsecond, 6)}`;
}

function numpyItem(value: number | bigint | boolean, dtype: string): WandbJson {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return { int: value };
  // numpy.float64 is a float subclass and never reaches the hook; other numpy floats go through .item().
  if (dtype !== 'float64' && Number.isNaN(value)) return null;
  return { float: value };
}

function dictKey(k: PyValue): string {
  const u = unknownOrigin(k);
  if (u !== undefined) return `<unknown ${u.kind} made at ${u.at}>`;
  switch (k.kind) {
    case 'str': return k.value;
    case 'bool': return k.value ? 'true' : 'false';
    case 'none': return 'null';
    case 'int': return k.value.toString();
    case 'float': return jsonFloat(k.value);
    case 'numpy-scalar':
      if (k.dtype === 'float64') return jsonFloat(k.value as number);
      break;
    default: break;
  }
  throw new PythonError('TypeError', `keys must be str, int, float, bool or None, not ${k.type.name}`);
}

/** The JSON tree W&B logs for a value, or the TypeError Python raises. */
export function toWandbJson(v: PyValue): WandbJson {
  switch (v.kind) {
    case 'none': return null;
    case 'bool': return v.value;
    case 'int': return { int: v.value };
    case 'float': return { float: v.value };
    case 'str': return v.value;
    case 'list': case 'tuple':
      if (isUnorderedList(v)) return unordered(v.items);
      return v.items.map(toWandbJson);
    case 'dict': return { object: v.entries.map(([k, val]) => [dictKey(k), toWandbJson(val)] as const) };
    case 'set':
      if (isSubclass(v.type, T.set)) return hashOrderUnknown(v.items) ? unordered(v.items) : setIterationOrder(v.items).map(toWandbJson);
      throw notSerializable(v); // frozenset is neither a set nor callable
    case 'numpy-scalar': return numpyItem(v.value, v.dtype);
    case 'bytes':
      if (v.type === T.bytes) return decodeUtf8(v.value);
      throw notSerializable(v);
    case 'datetime': return isoformat(v);
    case 'function': return `${v.module}.${v.qualname}`;
    case 'object': {
      const u = unknownOrigin(v);
      if (u !== undefined) return { object: Object.entries(unknownJson(u)) };
      // nn.Module instances are callable and have no __qualname__: json_friendly falls back to str(obj).
      if (isSubclass(v.type, T.Module)) return `${v.type.name}()`;
      // An instance of a user subclass of a JSON builtin (`class C(OrderedDict)`, `class E(str, Enum)`), made
      // without arguments: json encodes it as its builtin base, i.e. that base's empty value (the instance
      // `__dict__` is not part of it).
      if (isSubclass(v.type, T.dict)) return { object: [] };
      if (isSubclass(v.type, T.list) || isSubclass(v.type, T.set)) return [];
      if (isSubclass(v.type, T.str)) return '';
      if (isSubclass(v.type, T.int)) return { int: 0n };
      if (isSubclass(v.type, T.float)) return { float: 0 };
      throw notSerializable(v);
    }
    case 'ndarray': {
      const size = v.shape.reduce((a, b) => a * b, 1);
      if (size === 1) return numpyItem(v.data[0]!, v.dtype === 'bool' ? 'bool_' : v.dtype);
      if (size <= 32) return nest(v.data.map((x) => (typeof x === 'boolean' ? x : typeof x === 'bigint' ? { int: x } : { float: x })), v.shape);
      throw new ValuesError(
        'unsupported-value',
        `Failed to log "ndarray of ${size} elements": W&B turns arrays over 32 elements into histograms, which are not modelled. Log a smaller array or a summary value.`,
      );
    }
    default:
      throw notSerializable(v);
  }
}

function nest(flat: WandbJson[], shape: readonly number[]): WandbJson {
  if (shape.length <= 1) return flat;
  const step = flat.length / shape[0]!;
  const out: WandbJson[] = [];
  for (let i = 0; i < shape[0]!; i++) out.push(nest(flat.slice(i * step, (i + 1) * step), shape.slice(1)));
  return out;
}

export interface StringifyOptions {
  /** `(",", ":")` instead of Python's default `(", ", ": ")`. */
  readonly compact?: boolean;
}

/** The text `json.dumps` writes for the tree (ensure_ascii, NaN/Infinity bare). */
export function stringifyWandbJson(j: WandbJson, options: StringifyOptions = {}): string {
  const [item, kv] = options.compact ? [',', ':'] : [', ', ': '];
  const go = (x: WandbJson): string => {
    if (x === null) return 'null';
    if (typeof x === 'boolean') return x ? 'true' : 'false';
    if (typeof x === 'string') return jsonString(x);
    if (Array.isArray(x)) return `[${x.map(go).join(item)}]`;
    if ('int' in x) return x.int.toString();
    if ('float' in x) return jsonFloat(x.float);
    return `{${(x as { object: readonly (readonly [string, WandbJson])[] }).object.map(([k, v]) => `${jsonString(k)}${kv}${go(v)}`).join(item)}}`;
  };
  return go(j);
}

/** `json.dumps(value, cls=WandBHistoryJSONEncoder)` for a scalar output. */
export function wandbJsonText(v: PyValue, options: StringifyOptions = {}): string {
  return stringifyWandbJson(toWandbJson(v), options);
}

/**
 * The tree as plain JS data for the log model: ints as numbers when safe (bigint beyond), floats as numbers
 * (NaN and +-Infinity kept as JS numbers), objects as plain objects (a later duplicate key wins, as on parse).
 */
export function wandbJsonToJs(j: WandbJson): unknown {
  if (j === null || typeof j === 'boolean' || typeof j === 'string') return j;
  if (Array.isArray(j)) return j.map(wandbJsonToJs);
  if ('int' in j) return j.int >= BigInt(Number.MIN_SAFE_INTEGER) && j.int <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(j.int) : j.int;
  if ('float' in j) return j.float;
  const out: Record<string, unknown> = {};
  for (const [k, v] of (j as { object: readonly (readonly [string, WandbJson])[] }).object) out[k] = wandbJsonToJs(v);
  return out;
}
