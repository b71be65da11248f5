/**
 * A JSON "value encoding" of Python values: what test vectors and fixtures store, and what tools can exchange.
 * It is the same form `test/fixtures/values/gen_pickle_vectors.py` decodes in Python.
 *
 *   null | true | false                         None, True, False
 *   {"int": "123"}  {"float": 1.5 | "nan" | "inf" | "-inf" | "-0.0"}  {"str": "..."}  {"bytes": "<hex>"}
 *   {"list": [..]}  {"tuple": [..]}  {"set": [..]}  {"frozenset": [..]}   (sets: insertion order)
 *   {"dict": [[k, v], ..]}  {"ordereddict": [[k, v], ..]}  {"defaultdict": {"factory": "list", "entries": [..]}}
 *   {"complex": [re, im]}  {"decimal": "1.5"}  {"datetime": "2024-01-02T03:04:05.000006"}  {"bytearray": "<hex>"}
 *   {"path": {"class": "PosixPath" | "PurePosixPath", "path": "a/b"}}
 *   {"enum": {"class": "Color", "value": "red"}}   (a `class Color(str, Enum)` member, name = value upper-cased)
 *   {"object": {"class": "Foo", "state": [["attr", v], ..]}}
 *   {"shared": "id", "value": enc} then {"ref": "id"}   the same object in two places
 *   {"numpy": {"dtype": "float32", "value": x}}   a numpy scalar (dtype `bool_`, `int8`, ..., `complex128`)
 *   {"ndarray": {"dtype": "int16", "shape": [2, 3], "data": [x, ..], "order": "F"}}   data row-major
 *     numpy elements: true/false, ints as decimal strings, floats as for "float", complex as [re, im]
 *   {"dataframe": {"columns": ["a", ..], "rows": [[enc, ..], ..]}}   pd.DataFrame({column: list})
 *   {"series": {"items": [enc, ..], "name": "s"}}                    pd.Series(list, name=...)
 */
import { py, type PyValue } from './model.ts';
import { T, TypeRegistry, type PyType } from './types.ts';
import { ValuesError } from './errors.ts';
import { standInState } from './pickle/pickler.ts';
import { arrayDtype, dtypeInfo, type NdarrayDtype, type NumpyElement, type NumpyScalarDtype } from './numpy-dtypes.ts';

export type ValueEncoding = null | boolean | { [tag: string]: unknown };

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function parseFloatText(x: unknown): number {
  if (typeof x === 'number') return x;
  switch (x) {
    case 'nan': return NaN;
    case 'inf': return Infinity;
    case '-inf': return -Infinity;
    default: return Number(x);
  }
}

export function decodeValue(enc: ValueEncoding, registry: TypeRegistry = new TypeRegistry()): PyValue {
  const shared = new Map<string, PyValue>();
  const classes = new Map<string, PyType>();
  const classFor = (name: string, bases: PyType[]): PyType => {
    let t = classes.get(name);
    if (t === undefined) {
      t = registry.has(name) ? registry.resolve(name) : registry.define(name, bases);
      classes.set(name, t);
    }
    return t;
  };
  const dec = (e: unknown): PyValue => {
    if (e === null) return py.None;
    if (e === true || e === false) return py.bool(e);
    if (typeof e !== 'object' || Array.isArray(e)) throw bad(e);
    const o = e as Record<string, unknown>;
    const tag = Object.keys(o)[0];
    const body = o[tag!];
    const list = () => (body as unknown[]).map(dec);
    const pairs = (b: unknown) => (b as [unknown, unknown][]).map(([k, v]) => [dec(k), dec(v)] as [PyValue, PyValue]);
    switch (tag) {
      case 'shared': {
        const v = dec(o['value']);
        shared.set(String(body), v);
        return v;
      }
      case 'ref': {
        const v = shared.get(String(body));
        if (v === undefined) throw bad(e);
        return v;
      }
      case 'int': return py.int(BigInt(String(body)));
      case 'float': return py.float(parseFloatText(body));
      case 'str': return py.str(String(body));
      case 'bytes': return py.bytes(hexBytes(String(body)));
      case 'bytearray': return py.bytearray(hexBytes(String(body)));
      case 'list': return py.list(list());
      case 'tuple': return py.tuple(list());
      case 'set': return py.set(list());
      case 'frozenset': return py.frozenset(list());
      case 'dict': return py.dict(pairs(body));
      case 'ordereddict': return py.ordereddict(pairs(body));
      case 'defaultdict': {
        const b = body as { factory: string; entries: unknown };
        return py.defaultdict(registry.resolve(b.factory), pairs(b.entries));
      }
      case 'complex': {
        const [re, im] = body as [unknown, unknown];
        return py.complex(parseFloatText(re), parseFloatText(im));
      }
      case 'decimal': return py.decimal(String(body));
      case 'datetime': {
        const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{6}))?$/.exec(String(body));
        if (m === null) throw bad(e);
        const n = m.slice(1).map((x) => (x === undefined ? 0 : Number(x)));
        return py.datetime(n[0]!, n[1]!, n[2]!, n[3]!, n[4]!, n[5]!, n[6]!);
      }
      case 'path': {
        const b = body as { class: string; path: string };
        return b.class === 'PurePosixPath' ? py.purePath(b.path) : py.path(b.path);
      }
      case 'enum': {
        const b = body as { class: string; value: string };
        return py.strEnum(classFor(b.class, [T.str, T.Enum]), b.value.toUpperCase(), b.value);
      }
      case 'dataframe': {
        const b = body as { columns: string[]; rows: unknown[][] };
        return py.dataframe(b.columns, b.rows.map((r) => r.map(dec)), 'constructed');
      }
      case 'series': {
        const b = body as { items: unknown[]; name?: string };
        return py.series(b.items.map(dec), b.name, 'constructed');
      }
      case 'numpy': {
        const b = body as { dtype: NumpyScalarDtype; value: unknown };
        const [re, im] = numpyElement(b.dtype, b.value);
        return py.numpy(b.dtype, re, im);
      }
      case 'ndarray': {
        const b = body as { dtype: NdarrayDtype; shape: number[]; data: unknown[]; order?: 'C' | 'F' };
        const elements = b.data.map((x) => numpyElement(b.dtype, x));
        const complex = dtypeInfo(b.dtype).kind === 'c';
        return py.ndarray(b.dtype, b.shape, elements.map(([re]) => re), {
          ...(complex ? { imag: elements.map(([, im]) => im ?? 0) } : {}),
          ...(b.order === undefined ? {} : { order: b.order }),
        });
      }
      case 'object': {
        const b = body as { class: string; state?: [string, unknown][] };
        return py.object(classFor(b.class, []), (b.state ?? []).map(([k, v]) => [k, dec(v)] as [string, PyValue]));
      }
      default:
        throw bad(e);
    }
  };
  return dec(enc);
}

/** A numpy element of the encoding: `[value, imaginary part]` (the latter for complex dtypes only). */
function numpyElement(dtype: NdarrayDtype | NumpyScalarDtype, x: unknown): [NumpyElement, number | undefined] {
  switch (dtypeInfo(arrayDtype(dtype)).kind) {
    case 'b': return [Boolean(x), undefined];
    case 'i': case 'u': return [BigInt(String(x)), undefined];
    case 'f': return [parseFloatText(x), undefined];
    case 'c': {
      const [re, im] = x as [unknown, unknown];
      return [parseFloatText(re), parseFloatText(im)];
    }
  }
}

function bad(e: unknown): ValuesError {
  return new ValuesError('invalid-value', `Failed to decode value encoding "${JSON.stringify(e).slice(0, 80)}": unknown or malformed tag. See src/values/encoding.ts for the accepted forms.`);
}

/**
 * The value encoding of a value (the inverse of `decodeValue` for the forms it lists). Sharing is not
 * recorded: a value placed twice is encoded twice. Library values without a form are encoded as
 * `{"object": {...}}` of their class with their stand-in state.
 */
export function encodeValue(v: PyValue): ValueEncoding {
  const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  const float = floatJson;
  const pairs = (entries: readonly (readonly [PyValue, PyValue])[]) => entries.map(([k, val]) => [encodeValue(k), encodeValue(val)]);
  switch (v.kind) {
    case 'none': return null;
    case 'bool': return v.value;
    case 'int': return { int: v.value.toString() };
    case 'float': return { float: float(v.value) };
    case 'str':
      return v.enumMember === undefined ? { str: v.value } : { enum: { class: v.type.name, value: v.value } };
    case 'bytes': return v.type === T.bytearray ? { bytearray: hex(v.value) } : { bytes: hex(v.value) };
    case 'list': return { list: v.items.map(encodeValue) };
    case 'tuple': return { tuple: v.items.map(encodeValue) };
    case 'set': return v.type === T.frozenset ? { frozenset: v.items.map(encodeValue) } : { set: v.items.map(encodeValue) };
    case 'dict':
      if (v.type === T.OrderedDict) return { ordereddict: pairs(v.entries) };
      if (v.type === T.defaultdict) return { defaultdict: { factory: v.defaultFactory?.name ?? 'None', entries: pairs(v.entries) } };
      return { dict: pairs(v.entries) };
    case 'complex': return { complex: [float(v.re), float(v.im)] };
    case 'decimal': return { decimal: v.text };
    case 'datetime': {
      const p = (n: number, w = 2) => String(n).padStart(w, '0');
      return { datetime: `${p(v.year, 4)}-${p(v.month)}-${p(v.day)}T${p(v.hour)}:${p(v.minute)}:${p(v.second)}.${p(v.microsecond, 6)}` };
    }
    case 'path': return { path: { class: v.type.name, path: v.path } };
    case 'object': return { object: { class: v.type.name, module: v.type.module, state: v.state.map(([k, val]) => [k, encodeValue(val)]) } };
    case 'function': return { function: { module: v.module, qualname: v.qualname, picklable: v.picklable } };
    case 'dataframe':
      if (v.type !== T.DataFrame || v.pandasLayout !== 'constructed') break;
      return { dataframe: { columns: [...v.columns], rows: v.rows.map((r) => r.map(encodeValue)) } };
    case 'series':
      if (v.type !== T.Series || v.pandasLayout !== 'constructed') break;
      return { series: { items: v.items.map(encodeValue), ...(v.name === undefined ? {} : { name: v.name }) } };
    case 'numpy-scalar':
      if (v.type !== T[v.dtype]) break;
      return { numpy: { dtype: v.dtype, value: numpyJson(v.dtype, v.value, v.imag) } };
    case 'ndarray':
      if (v.type !== T.ndarray) break;
      return {
        ndarray: {
          dtype: v.dtype, shape: [...v.shape], data: v.data.map((x, i) => numpyJson(v.dtype, x, v.imag?.[i])),
          ...(v.order === 'F' ? { order: 'F' } : {}),
        },
      };
    default:
      break;
  }
  return { object: { class: v.type.name, module: v.type.module, state: standInState(v).map(([k, val]) => [k, encodeValue(val)]) } };
}

function numpyJson(dtype: NdarrayDtype | NumpyScalarDtype, x: NumpyElement, imag: number | undefined): unknown {
  if (typeof x === 'boolean') return x;
  if (typeof x === 'bigint') return x.toString();
  return dtypeInfo(arrayDtype(dtype)).kind === 'c' ? [floatJson(x), floatJson(imag ?? 0)] : floatJson(x);
}

/** A float of the encoding: a number, or the text of the values JSON has no number for. */
function floatJson(f: number): number | string {
  return Number.isNaN(f) ? 'nan' : f === Infinity ? 'inf' : f === -Infinity ? '-inf' : Object.is(f, -0) ? '-0.0' : f;
}
