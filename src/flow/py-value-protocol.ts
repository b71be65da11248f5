/**
 * The runtime's `ValueProtocol` over the Python-like values of `src/values`: what a flow whose artifacts are
 * `PyValue`s (scenario files, the integration) needs wherever Python semantics look inside a value —
 * iterating a foreach variable, `self.input`, merge conflicts (content identity = sha1 of the pickle, as
 * Metaflow's datastore), a fresh copy per task (as unpickling gives), `str`/`repr` for messages, switch keys.
 *
 * Anything that is not a PyValue (a JS value a hand-written flow stored) falls back to the default protocol,
 * so mixing both kinds in one flow stays possible.
 */
import {
  None, contentId, py, pyFloatRepr, setIterationOrder, isPyValue, fullName, numpyFloatText, unknownOrigin, unknownValue, defineClass,
  type PyNumpyScalar, type PyValue,
} from '../values/index.ts';
import { PythonError } from './errors.ts';
import type { ResolvedParameter } from './parameters.ts';
import { defaultValueProtocol, type ValueProtocol } from './value-protocol.ts';

/** A JS value from JSON, YAML or a CLI parameter as a Python value (`json.loads` / `yaml.safe_load` types). */
export function pyFromJs(value: unknown): PyValue {
  if (isPyValue(value)) return value;
  if (value === null || value === undefined) return None;
  switch (typeof value) {
    case 'boolean': return py.bool(value);
    case 'bigint': return py.int(value);
    case 'number': return Number.isInteger(value) ? py.int(value) : py.float(value);
    case 'string': return py.str(value);
  }
  if (Array.isArray(value)) return py.list(value.map(pyFromJs));
  if (typeof value === 'object') {
    return py.dict(Object.entries(value as Record<string, unknown>).map(([k, v]) => [py.str(k), pyFromJs(v)]));
  }
  throw new PythonError('TypeError', `Object of type ${typeof value} is not JSON serializable`);
}

/** `list(iter(v))`: what a foreach iterates. numpy arrays yield numpy scalars (1-D) or sub-arrays. */
/**
 * How many items an unknown iterable is planned with: a fan-out of unknown width is planned as this many tasks, so
 * that siblings, their hazards and the join's `inputs` stay true (at least 2; the plan says the width is unknown).
 */
export const UNKNOWN_WIDTH = 2;

export function pyIterate(v: PyValue): PyValue[] {
  const u = unknownOrigin(v);
  if (u !== undefined && !['int', 'float', 'bool', 'Module', 'estimator', 'Path'].includes(u.kind)) {
    return Array.from({ length: UNKNOWN_WIDTH }, (_, i) => unknownValue(u.kind === 'str' ? 'str' : 'object', u.at, `${u.expression}[${i}]`));
  }
  switch (v.kind) {
    case 'list': case 'tuple': case 'series': return [...v.items];
    case 'set': return setIterationOrder(v.items as PyValue[]);
    case 'dict': return v.entries.map(([k]) => k);
    case 'str': return [...v.value].map((c) => py.str(c));
    case 'bytes': return [...v.value].map((b) => py.int(b));
    case 'dataframe': return v.columns.map((c) => py.str(c));
    case 'ndarray': {
      const [rows = 0, ...rest] = v.shape;
      if (v.shape.length === 0) throw new PythonError('TypeError', 'iteration over a 0-d array');
      const width = rest.reduce((a, b) => a * b, 1);
      const out: PyValue[] = [];
      for (let i = 0; i < rows; i++) {
        const slice = v.data.slice(i * width, (i + 1) * width);
        if (rest.length > 0) out.push(py.ndarray(v.dtype, rest, slice));
        else out.push(py.numpy(v.dtype === 'bool' ? 'bool_' : v.dtype, slice[0]!));
      }
      return out;
    }
    default:
      throw new PythonError('TypeError', `'${v.type.name}' object is not iterable`);
  }
}

/** A deep copy with Python identity inside the value kept (a list shared twice stays shared), types shared. */
export function pyClone<T extends PyValue>(value: T, seen = new Map<PyValue, PyValue>()): T {
  const done = seen.get(value);
  if (done !== undefined) return done as T;
  let copy: PyValue;
  switch (value.kind) {
    case 'list': { const c = { ...value, items: [] as PyValue[] }; seen.set(value, c); c.items.push(...value.items.map((x) => pyClone(x, seen))); copy = c; break; }
    case 'tuple': copy = { ...value, items: value.items.map((x) => pyClone(x, seen)) }; break;
    case 'series': copy = { ...value, items: value.items.map((x) => pyClone(x, seen)) }; break;
    case 'set': copy = { ...value, items: value.items.map((x) => pyClone(x, seen)) }; break;
    case 'dict': {
      const c = { ...value, entries: [] as [PyValue, PyValue][] };
      seen.set(value, c);
      c.entries.push(...value.entries.map(([k, v]): [PyValue, PyValue] => [pyClone(k, seen), pyClone(v, seen)]));
      copy = c;
      break;
    }
    case 'dataframe': copy = { ...value, columns: [...value.columns], rows: value.rows.map((r) => r.map((x) => pyClone(x, seen))) }; break;
    case 'ndarray': copy = { ...value, shape: [...value.shape], data: [...value.data] }; break;
    case 'object': copy = { ...value, state: value.state.map(([k, v]): [string, PyValue] => [k, pyClone(v, seen)]) }; break;
    case 'bytes': copy = value.type.name === 'bytearray' ? { ...value, value: value.value.slice() } : value; break;
    default: copy = value; // immutable in Python: None, bool, int, float, str, numpy scalars, paths, functions, ...
  }
  seen.set(value, copy);
  return copy as T;
}

const reprStr = (s: string): string => {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replaceAll(quote, `\\${quote}`);
  return `${quote}${body}${quote}`;
};

const reprBytes = (b: Uint8Array): string => {
  let s = '';
  for (const c of b) {
    if (c === 0x5c) s += '\\\\';
    else if (c === 0x27) s += "\\'";
    else if (c === 0x0a) s += '\\n';
    else if (c === 0x0d) s += '\\r';
    else if (c === 0x09) s += '\\t';
    else if (c < 0x20 || c > 0x7e) s += `\\x${c.toString(16).padStart(2, '0')}`;
    else s += String.fromCharCode(c);
  }
  return `b'${s}'`;
};

const scalarText = (x: number | bigint | boolean): string =>
  typeof x === 'boolean' ? (x ? 'True' : 'False') : typeof x === 'bigint' ? x.toString() : pyFloatRepr(x);

/** `str()` of a numpy scalar: float16/float32 with the fewest digits of their width, complex as Python's. */
function numpyScalarText(v: PyNumpyScalar): string {
  if (v.dtype === 'float32' || v.dtype === 'float16') return numpyFloatText(v.dtype, v.value as number);
  if (v.dtype === 'complex64' || v.dtype === 'complex128') return pyRepr(py.complex(v.value as number, v.imag ?? 0));
  return scalarText(v.value);
}

/** Python's `repr(v)`; numpy scalars as numpy 2 prints them (`np.float64(1.5)`), objects without an address. */
export function pyRepr(v: PyValue): string {
  switch (v.kind) {
    case 'none': return 'None';
    case 'bool': return v.value ? 'True' : 'False';
    case 'int': return v.value.toString();
    case 'float': return pyFloatRepr(v.value);
    case 'complex': {
      // complex_repr: repr digits without the '.0'; a +0 real part is left out, and so are the parentheses.
      const short = (x: number) => pyFloatRepr(x).replace(/\.0$/, '');
      if (v.re === 0 && !Object.is(v.re, -0)) return `${short(v.im)}j`;
      const im = short(v.im);
      return `(${short(v.re)}${im.startsWith('-') ? '' : '+'}${im}j)`;
    }
    case 'str': return v.enumMember ? `<${v.type.name}.${v.enumMember}: ${reprStr(v.value)}>` : reprStr(v.value);
    case 'bytes': return v.type.name === 'bytearray' ? `bytearray(${reprBytes(v.value)})` : reprBytes(v.value);
    case 'list': return `[${v.items.map(pyRepr).join(', ')}]`;
    case 'tuple': return v.items.length === 1 ? `(${pyRepr(v.items[0]!)},)` : `(${v.items.map(pyRepr).join(', ')})`;
    case 'dict': return `{${v.entries.map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
    case 'set': {
      const items = setIterationOrder(v.items as PyValue[]).map(pyRepr).join(', ');
      if (v.type.name === 'frozenset') return `frozenset(${items === '' ? '' : `{${items}}`})`;
      return items === '' ? 'set()' : `{${items}}`;
    }
    case 'numpy-scalar': {
      const text = numpyScalarText(v);
      return `np.${v.dtype}(${text})`;
    }
    case 'ndarray': return `array(${nestedText(v.shape, v.data)})`;
    case 'path': return `${v.type.name}(${reprStr(v.path)})`;
    case 'function': return `<function ${v.qualname}>`;
    case 'decimal': return `Decimal('${v.text}')`;
    default: return `<${fullName(v.type)} object>`;
  }
}

function nestedText(shape: readonly number[], data: readonly (number | bigint | boolean)[]): string {
  if (shape.length === 0) return data.length > 0 ? scalarText(data[0]!) : '';
  const [n = 0, ...rest] = shape;
  const width = rest.reduce((a, b) => a * b, 1);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    parts.push(rest.length === 0 ? scalarText(data[i]!) : nestedText(rest, data.slice(i * width, (i + 1) * width)));
  }
  return `[${parts.join(', ')}]`;
}

/** Python's `str(v)`: the text itself for str, the path for paths, the value for numpy scalars, else repr. */
export function pyStr(v: PyValue): string {
  switch (v.kind) {
    case 'str': return v.value;
    case 'path': return v.path;
    case 'decimal': return v.text;
    case 'numpy-scalar': return numpyScalarText(v);
    default: return pyRepr(v);
  }
}

/** A switch condition's value as a dict key; undefined for values no case key can equal. */
function pySwitchKey(v: PyValue): string | number | boolean | undefined {
  switch (v.kind) {
    case 'str': return v.value;
    case 'bool': return v.value;
    case 'int': return Number(v.value);
    case 'float': return v.value;
    case 'numpy-scalar': return typeof v.value === 'bigint' ? Number(v.value) : v.value;
    default: return undefined;
  }
}

/** `self.<parameter>`: the click-converted value as the Python type the parameter declares. */
function pyFromParameter(p: ResolvedParameter): PyValue {
  const v = p.value;
  if (v === null || v === undefined) return None;
  if (isPyValue(v)) return v; // given as a Python value already (a Config's value, an unknown IncludeFile)
  if (Array.isArray(v)) return pyFromJs(v); // a separator split a str parameter into a list of str
  switch (p.type) {
    case 'int': return py.int(typeof v === 'number' ? Math.trunc(v) : (v as bigint));
    case 'float': return py.float(Number(v));
    case 'bool': return py.bool(Boolean(v));
    case 'str': return py.str(String(v));
    case 'json': return pyFromJs(v);
  }
}

/** Dispatches to the PyValue implementation, or to the default protocol for anything else. */
const either = <R>(onPy: (v: PyValue) => R, otherwise: (v: unknown) => R) => (v: unknown): R =>
  isPyValue(v) ? onPy(v) : otherwise(v);

const EXCEPTION_WRAPPER = defineClass('MetaflowExceptionWrapper', [], { module: 'metaflow.exception' });
const BUILTIN_EXCEPTIONS = new Set([
  'Exception', 'ValueError', 'TypeError', 'KeyError', 'IndexError', 'AttributeError', 'RuntimeError', 'AssertionError',
  'ZeroDivisionError', 'FileNotFoundError', 'OSError', 'NotImplementedError', 'NameError', 'StopIteration', 'ImportError',
  'ModuleNotFoundError', 'RecursionError', 'LookupError', 'ArithmeticError', 'OverflowError', 'MemoryError', 'TimeoutError',
]);

/**
 * `MetaflowExceptionWrapper(exc)` (metaflow/exception.py): `exception` is str(exc), `type` is
 * `module.ClassName`, `stacktrace` is traceback.format_exc(), which depends on the real run's frames: unknown.
 */
function caughtValue(error: { readonly type: string; readonly message: string } | null): PyValue {
  if (error === null) return None;
  const module = BUILTIN_EXCEPTIONS.has(error.type) ? 'builtins' : error.type.startsWith('Metaflow') ? 'metaflow.exception' : '__main__';
  return py.object(EXCEPTION_WRAPPER, [
    ['exception', py.str(error.message)],
    ['type', py.str(`${module}.${error.type}`)],
    ['stacktrace', unknownValue('str', 'catch', 'traceback.format_exc()')],
  ]);
}

export const pyValueProtocol: ValueProtocol = {
  iterate: either(pyIterate, defaultValueProtocol.iterate),
  item: (value, index) => {
    // Metaflow indexes `foreach_var[index]`; for the sequences a foreach meets that equals the index-th item.
    if (!isPyValue(value)) return defaultValueProtocol.item(value, index);
    return pyIterate(value)[index];
  },
  contentId: either(contentId, defaultValueProtocol.contentId),
  clone: either((v) => pyClone(v), defaultValueProtocol.clone),
  str: either(pyStr, defaultValueProtocol.str),
  repr: either(pyRepr, defaultValueProtocol.repr),
  switchKey: either(pySwitchKey, defaultValueProtocol.switchKey),
  fromParameter: pyFromParameter,
  caught: caughtValue,
};
