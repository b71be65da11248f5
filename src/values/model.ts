/**
 * Python values as tagged data. Every value carries its class (`type`) so subclasses (OrderedDict, a str Enum,
 * numpy.float64, user classes with declared bases) classify and serialize as Python would.
 *
 * Identity matters: pickle memoises by object identity, so the same PyValue object placed twice in a container
 * pickles as one object referenced twice, exactly like a Python object shared between two slots.
 */
import { T, defineClass, type PyType } from './types.ts';
import type { FileSource } from './files.ts';
import { ValuesError } from './errors.ts';
import { pyEquals, pyHash } from './pyhash.ts';
import { normaliseElement, type NdarrayDtype, type NumpyScalarDtype } from './numpy-dtypes.ts';

export type { NdarrayDtype, NumpyScalarDtype } from './numpy-dtypes.ts';

interface Base<K extends string> {
  readonly kind: K;
  readonly type: PyType;
}
export interface PyNone extends Base<'none'> {}
export interface PyBool extends Base<'bool'> { readonly value: boolean }
export interface PyInt extends Base<'int'> { readonly value: bigint }
export interface PyFloat extends Base<'float'> { readonly value: number }
export interface PyComplex extends Base<'complex'> { readonly re: number; readonly im: number }
/** `type` is `str` or a subclass (a `class Color(str, Enum)` member has `enumMember` = `RED`). */
export interface PyStr extends Base<'str'> {
  readonly value: string;
  readonly enumMember?: string;
  /**
   * A one-character str made at run time by an operation that builds a new object (`str(3)`, `f"{n}"`,
   * `"A".lower()`) rather than returning CPython's cached one-character singleton: pickled by its own identity.
   */
  readonly fresh?: true;
}
/** `bytes` or `bytearray`. */
export interface PyBytes extends Base<'bytes'> { readonly value: Uint8Array }
export interface PyList extends Base<'list'> { readonly items: PyValue[] }
export interface PyTuple extends Base<'tuple'> { readonly items: readonly PyValue[] }
/** `dict`, `OrderedDict` or `defaultdict` (then `defaultFactory` is the factory class). Insertion ordered. */
export interface PyDict extends Base<'dict'> {
  readonly entries: [PyValue, PyValue][];
  readonly defaultFactory?: PyType;
}
/** `set` or `frozenset`; `items` in insertion order, duplicates (by Python equality) removed. */
export interface PySet extends Base<'set'> { readonly items: readonly PyValue[] }
export interface PyNumpyScalar extends Base<'numpy-scalar'> {
  readonly dtype: NumpyScalarDtype;
  /** Stored as the dtype holds it: float16/float32 already rounded, ints wrapped (see numpy-dtypes.ts). */
  readonly value: number | bigint | boolean;
  /** complex64/complex128: the imaginary part (`value` is the real part). */
  readonly imag?: number;
}
export interface PyNdarray extends Base<'ndarray'> {
  readonly dtype: NdarrayDtype;
  readonly shape: readonly number[];
  /** Row-major flat data, whatever the memory order (complex dtypes: the real parts). */
  readonly data: readonly (number | bigint | boolean)[];
  /** complex64/complex128: the imaginary parts, row-major like `data`. */
  readonly imag?: readonly number[];
  /** `F` for a Fortran-ordered array (`np.asfortranarray`, `order="F"`); C order when absent. */
  readonly order?: 'C' | 'F';
}
/**
 * `constructed`: laid out as `pd.DataFrame({column: list})` / `pd.Series(list, name=...)` make it (default
 * RangeIndex, blocks by dtype), so its pickle is predicted byte for byte. Frames derived otherwise (head, a filter,
 * a selection, read_csv) leave it unset: their index and blocks depend on the derivation, not modelled.
 */
export type PandasLayout = 'constructed';
export interface PyDataFrame extends Base<'dataframe'> {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly PyValue[])[];
  readonly pandasLayout?: PandasLayout;
}
export interface PySeries extends Base<'series'> {
  readonly items: readonly PyValue[];
  readonly name?: string;
  readonly pandasLayout?: PandasLayout;
}
/** `PosixPath` (a `pathlib.Path`) or `PurePosixPath`. `files` answers what exists at `path`. */
export interface PyPath extends Base<'path'> { readonly path: string; readonly files?: FileSource }
export interface PyDatetime extends Base<'datetime'> {
  readonly year: number; readonly month: number; readonly day: number;
  readonly hour: number; readonly minute: number; readonly second: number; readonly microsecond: number;
}
export interface PyDecimal extends Base<'decimal'> { readonly text: string }
/** A function; module-level ones pickle by reference, local ones and lambdas do not (`picklable: false`). */
export interface PyFunction extends Base<'function'> {
  readonly module: string;
  readonly qualname: string;
  readonly picklable: boolean;
}
/** An instance of a class without builtin layout (user classes, torch modules, sklearn estimators). */
export interface PyObject extends Base<'object'> { readonly state: readonly [string, PyValue][] }

export type PyValue =
  | PyNone | PyBool | PyInt | PyFloat | PyComplex | PyStr | PyBytes | PyList | PyTuple | PyDict | PySet
  | PyNumpyScalar | PyNdarray | PyDataFrame | PySeries | PyPath | PyDatetime | PyDecimal | PyFunction | PyObject;

export const None: PyNone = Object.freeze({ kind: 'none', type: T.NoneType });
const TRUE: PyBool = Object.freeze({ kind: 'bool', type: T.bool, value: true });
const FALSE: PyBool = Object.freeze({ kind: 'bool', type: T.bool, value: false });

function toBigInt(n: number | bigint | string): bigint {
  if (typeof n === 'number' && !Number.isInteger(n)) {
    throw new ValuesError('invalid-value', `Failed to make an int of "${n}": it is not an integer. Use py.float for fractional numbers.`);
  }
  return BigInt(n);
}

const SKLEARN_MODULES: Record<string, string> = {
  RandomForestClassifier: 'sklearn.ensemble._forest',
  RandomForestRegressor: 'sklearn.ensemble._forest',
  GradientBoostingClassifier: 'sklearn.ensemble._gb',
  GradientBoostingRegressor: 'sklearn.ensemble._gb',
  LogisticRegression: 'sklearn.linear_model._logistic',
  LinearRegression: 'sklearn.linear_model._base',
  Pipeline: 'sklearn.pipeline',
  StandardScaler: 'sklearn.preprocessing._data',
  KNeighborsClassifier: 'sklearn.neighbors._classification',
  SVC: 'sklearn.svm._classes',
  DecisionTreeClassifier: 'sklearn.tree._classes',
};

/** Constructors. Python spelling where it helps reading tests: `py.int(1)`, `py.list([...])`. */
export const py = {
  None,
  bool: (b: boolean): PyBool => (b ? TRUE : FALSE),
  int: (n: number | bigint | string, type: PyType = T.int): PyInt => ({ kind: 'int', type, value: toBigInt(n) }),
  float: (x: number, type: PyType = T.float): PyFloat => ({ kind: 'float', type, value: x }),
  complex: (re: number, im: number): PyComplex => ({ kind: 'complex', type: T.complex, re, im }),
  str: (s: string, type: PyType = T.str): PyStr => ({ kind: 'str', type, value: s }),
  /** A str CPython builds as a new object (see PyStr.fresh); marked only where it matters, one character. */
  freshStr: (s: string): PyStr => ({ kind: 'str', type: T.str, value: s, ...(s.length === 1 ? { fresh: true as const } : {}) }),
  bytes: (b: Uint8Array | string): PyBytes => ({ kind: 'bytes', type: T.bytes, value: asBytes(b) }),
  bytearray: (b: Uint8Array | string): PyBytes => ({ kind: 'bytes', type: T.bytearray, value: asBytes(b) }),
  list: (items: PyValue[]): PyList => ({ kind: 'list', type: T.list, items }),
  tuple: (items: readonly PyValue[]): PyTuple => ({ kind: 'tuple', type: T.tuple, items }),
  dict: (entries: [PyValue, PyValue][], type: PyType = T.dict): PyDict => ({ kind: 'dict', type, entries: dedupeEntries(entries) }),
  /** Shorthand for a dict with str keys. */
  record: (obj: Record<string, PyValue>): PyDict => py.dict(Object.entries(obj).map(([k, v]) => [py.str(k), v])),
  ordereddict: (entries: [PyValue, PyValue][]): PyDict => py.dict(entries, T.OrderedDict),
  defaultdict: (factory: PyType, entries: [PyValue, PyValue][]): PyDict => ({
    kind: 'dict', type: T.defaultdict, entries: dedupeEntries(entries), defaultFactory: factory,
  }),
  set: (items: readonly PyValue[]): PySet => ({ kind: 'set', type: T.set, items: dedupeItems(items) }),
  frozenset: (items: readonly PyValue[]): PySet => ({ kind: 'set', type: T.frozenset, items: dedupeItems(items) }),
  /** A member of a `class <enumClass>(str, Enum)`. */
  strEnum: (enumClass: PyType, member: string, value: string): PyStr => ({ kind: 'str', type: enumClass, value, enumMember: member }),
  /** A numpy scalar; `imag` for the complex dtypes. */
  numpy: (dtype: NumpyScalarDtype, value: number | bigint | boolean, imag?: number): PyNumpyScalar => {
    const base = { kind: 'numpy-scalar' as const, type: T[dtype], dtype, value: normaliseElement(dtype, value) };
    return imag === undefined ? base : { ...base, imag: normaliseElement(dtype, imag) as number };
  },
  /** `data` row-major; `options.imag` for complex dtypes, `options.order: 'F'` for a Fortran-ordered array. */
  ndarray: (
    dtype: NdarrayDtype, shape: readonly number[], data: readonly (number | bigint | boolean)[],
    options: { imag?: readonly number[]; order?: 'C' | 'F' } = {},
  ): PyNdarray => {
    const base: PyNdarray = { kind: 'ndarray', type: T.ndarray, dtype, shape, data };
    return {
      ...base,
      ...(options.imag === undefined ? {} : { imag: options.imag }),
      ...(options.order === 'F' ? { order: 'F' as const } : {}),
    };
  },
  dataframe: (columns: readonly string[], rows: readonly (readonly PyValue[])[], layout?: PandasLayout): PyDataFrame => {
    for (const r of rows) {
      if (r.length !== columns.length) {
        throw new ValuesError('invalid-value', `Failed to build DataFrame "${columns.join(',')}": a row has ${r.length} values for ${columns.length} columns. Give every row one value per column.`);
      }
    }
    const df: PyDataFrame = { kind: 'dataframe', type: T.DataFrame, columns, rows };
    return layout === undefined ? df : { ...df, pandasLayout: layout };
  },
  series: (items: readonly PyValue[], name?: string, layout?: PandasLayout): PySeries => ({
    kind: 'series', type: T.Series, items,
    ...(name === undefined ? {} : { name }),
    ...(layout === undefined ? {} : { pandasLayout: layout }),
  }),
  /** `pathlib.Path(path)`, a `PosixPath`; `files` says what exists there (see files.ts). */
  path: (path: string, files?: FileSource): PyPath =>
    files === undefined ? { kind: 'path', type: T.PosixPath, path } : { kind: 'path', type: T.PosixPath, path, files },
  purePath: (path: string): PyPath => ({ kind: 'path', type: T.PurePosixPath, path }),
  datetime: (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, us = 0): PyDatetime => ({
    kind: 'datetime', type: T.datetime, year: y, month: mo, day: d, hour: h, minute: mi, second: s, microsecond: us,
  }),
  decimal: (text: string): PyDecimal => ({ kind: 'decimal', type: T.Decimal, text }),
  /** `!function name`: a function as the scenario defines it, local to the step, hence unpicklable by default. */
  function: (qualname: string, options: { module?: string; picklable?: boolean } = {}): PyFunction => ({
    kind: 'function', type: T.function, module: options.module ?? '__main__', qualname, picklable: options.picklable ?? false,
  }),
  object: (type: PyType, state: readonly [string, PyValue][] = []): PyObject => ({ kind: 'object', type, state }),
  /** `!nn.Module {class}`: an instance of `class <name>(nn.Module)` defined in the flow file. */
  torchModule: (className: string, state: readonly [string, PyValue][] = []): PyObject =>
    py.object(defineClass(className, [T.Module], { module: '__main__' }), state),
  /** `!sklearn {class, params}`: an estimator; its pickled state is its params. */
  sklearn: (className: string, params: readonly [string, PyValue][] = []): PyObject =>
    py.object(defineClass(className, [T.BaseEstimator], { module: SKLEARN_MODULES[className] ?? 'sklearn' }), params),
};

function asBytes(b: Uint8Array | string): Uint8Array {
  return typeof b === 'string' ? new TextEncoder().encode(b) : b;
}

// Deduplication needs Python equality; values are bucketed so equal values always meet in one bucket.

function bucketKey(v: PyValue): string {
  const h = pyHash(v);
  if (h !== undefined) return `h${h}`;
  if (v.kind === 'str') return `s${v.value}`;
  if (v.kind === 'none') return 'none';
  return 'other';
}

/** Indices into `values` of the first value equal to each candidate, found through buckets. */
class EqualityIndex {
  private readonly buckets = new Map<string, number[]>();
  constructor(private readonly at: (i: number) => PyValue) {}
  find(v: PyValue): number {
    for (const i of this.buckets.get(bucketKey(v)) ?? []) if (pyEquals(this.at(i), v)) return i;
    return -1;
  }
  add(v: PyValue, i: number): void {
    const k = bucketKey(v);
    const b = this.buckets.get(k);
    if (b === undefined) this.buckets.set(k, [i]);
    else b.push(i);
  }
}

function dedupeItems(items: readonly PyValue[]): PyValue[] {
  const out: PyValue[] = [];
  const index = new EqualityIndex((i) => out[i]!);
  for (const it of items) {
    if (index.find(it) >= 0) continue;
    index.add(it, out.length);
    out.push(it);
  }
  return out;
}

/** Python dict semantics: an equal key keeps its first position and takes the last value. */
function dedupeEntries(entries: [PyValue, PyValue][]): [PyValue, PyValue][] {
  const out: [PyValue, PyValue][] = [];
  const index = new EqualityIndex((i) => out[i]![0]);
  for (const [k, v] of entries) {
    const at = index.find(k);
    if (at >= 0) out[at] = [out[at]![0], v];
    else {
      index.add(k, out.length);
      out.push([k, v]);
    }
  }
  return out;
}

export function isPyValue(x: unknown): x is PyValue {
  return typeof x === 'object' && x !== null && 'kind' in x && 'type' in x;
}

/**
 * `np.array(nested)` for the `!ndarray [..]` tag: shape from the nesting (must be rectangular), dtype as numpy
 * infers it from Python scalars: all bools -> bool, all ints -> int64, any float -> float64.
 */
export function ndarrayFromNested(items: readonly PyValue[]): PyNdarray {
  const shape: number[] = [];
  const flat: PyValue[] = [];
  const walk = (level: readonly PyValue[], depth: number): void => {
    if (shape.length === depth) shape.push(level.length);
    else if (shape[depth] !== level.length) {
      throw new ValuesError('invalid-value', `Failed to build ndarray "${shape.join('x')}": the nested lists are not rectangular. Give every row the same length.`);
    }
    for (const x of level) {
      if (x.kind === 'list' || x.kind === 'tuple') walk(x.items, depth + 1);
      else if (shape.length !== depth + 1) {
        throw new ValuesError('invalid-value', `Failed to build ndarray "${shape.join('x')}": scalars and lists are mixed at one depth. Nest every element equally.`);
      } else flat.push(x);
    }
  };
  walk(items, 0);
  const kinds = new Set(flat.map((x) => x.kind));
  for (const k of kinds) {
    if (k !== 'bool' && k !== 'int' && k !== 'float') {
      throw new ValuesError('invalid-value', `Failed to build ndarray "${shape.join('x')}": it holds a ${k}. Use numbers or booleans.`);
    }
  }
  const dtype: NdarrayDtype = kinds.size === 1 && kinds.has('bool') ? 'bool' : kinds.has('float') ? 'float64' : 'int64';
  const data = flat.map((x) => {
    const raw = (x as PyBool | PyInt | PyFloat).value;
    if (dtype === 'bool') return raw as boolean;
    if (dtype === 'int64') return typeof raw === 'boolean' ? (raw ? 1n : 0n) : BigInt.asIntN(64, raw as bigint);
    return typeof raw === 'boolean' ? (raw ? 1 : 0) : Number(raw);
  });
  return py.ndarray(dtype, shape, data);
}
