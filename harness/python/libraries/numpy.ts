/** numpy: arrays from literal data, zeros / ones / arange, the scalar types; reductions are unknown floats. */
import { values } from '../../../src/index.ts';
import { Builtin, isPy, iterate, LibRef, num, py, type PyValue, type Value } from '../interp-values.ts';
import { MAX_ITEMS } from '../ops.ts';
import { argOf } from './args.ts';
import type { Expr } from '../ast.ts';
import type { Args, Host } from '../host.ts';
import type { LibraryCall } from './index.ts';

function shapeOf(v: Value | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const n = num(v);
  if (typeof n === 'bigint') return [Number(n)];
  const xs = iterate(v);
  return xs?.every((x) => typeof num(x) === 'bigint') ? xs.map((x) => Number(num(x))) : undefined;
}

type Dtype = values.NdarrayDtype;
const DTYPES = new Set<string>(values.NDARRAY_DTYPES);
const BUILTIN_DTYPES: Record<string, Dtype> = { float: 'float64', int: 'int64', bool: 'bool', complex: 'complex128' };

/** `dtype=`: absent (undefined), one the value model holds, or `null` for one it does not (the array is then unknown). */
function dtypeOf(v: Value | undefined): Dtype | null | undefined {
  if (v === undefined || (isPy(v) && v.kind === 'none')) return undefined;
  const name = v instanceof LibRef ? v.path.replace(/^numpy\./, '') : isPy(v) && v.kind === 'str' ? v.value : v instanceof Builtin ? BUILTIN_DTYPES[v.name] : undefined;
  if (name === undefined) return null;
  const d = name === 'bool_' ? 'bool' : BUILTIN_DTYPES[name] ?? name;
  return DTYPES.has(d) ? (d as Dtype) : null;
}

/** numpy's cast of a number to a dtype (`astype`): ints truncate toward zero (then wrap), bools are `x != 0`, floats round. */
function cast(d: Dtype, x: number | bigint | boolean): number | bigint | boolean {
  if (d === 'bool') return typeof x === 'bigint' ? x !== 0n : Boolean(x);
  if (d.startsWith('int') || d.startsWith('uint')) return values.normaliseElement(d, typeof x === 'bigint' ? x : BigInt(Math.trunc(Number(x))));
  return values.normaliseElement(d, Number(x));
}

/**
 * An array of `data` (row-major, in the default dtype) with the call's `dtype=` and `order=` applied; an argument
 * the model does not hold (another keyword, an unknown dtype, a complex cast) makes the array unknown rather than
 * logged in a dtype or layout it does not have.
 */
function shaped(host: Host, args: Args, e: Expr, a: values.PyNdarray, allowed: readonly string[]): Value {
  const other = [...args.keywords.keys()].find((k) => !allowed.includes(k) && k !== 'dtype' && k !== 'order');
  if (other !== undefined) return host.unknown(e, 'ndarray', `passes ${other}=, which the value model does not apply`);
  const dtype = dtypeOf(args.keywords.get('dtype'));
  if (dtype === null) return host.unknown(e, 'ndarray', 'has a dtype the value model does not hold');
  const order = args.keywords.get('order');
  // No order= keeps the input's (np.array's default is 'K'; a new array is C-ordered).
  const o = order === undefined ? (a.order ?? 'C') : isPy(order) && order.kind === 'str' ? order.value : undefined;
  if (o !== 'C' && o !== 'F') return host.unknown(e, 'ndarray', 'has a memory order the value model does not hold');
  const d = dtype ?? a.dtype;
  if (d === a.dtype) return py.ndarray(d, a.shape, a.data, { order: o, ...(a.imag ? { imag: a.imag } : {}) });
  if (a.imag) return host.unknown(e, 'ndarray', 'casts complex numbers, which the value model does not do');
  // Real numbers made complex: the real parts as the dtype's floats, imaginary parts zero.
  const complex = d.startsWith('complex');
  return py.ndarray(d, a.shape, a.data.map((x) => cast(d, x)), { order: o, ...(complex ? { imag: a.data.map(() => 0) } : {}) });
}

const filled = (fill: number): LibraryCall => (host, args, e) => {
  const shape = shapeOf(argOf(args, 0, 'shape'));
  if (shape === undefined) return host.unknown(e, 'ndarray', 'has a shape the plan cannot know');
  const size = shape.reduce((a, b) => a * b, 1);
  if (size > MAX_ITEMS || shape.some((n) => n < 0)) return host.unknown(e, 'ndarray', `has ${size} elements, too many to model`);
  return shaped(host, args, e, py.ndarray('float64', shape, Array.from({ length: size }, () => fill)), ['shape']);
};

const scalar = (dtype: values.NumpyScalarDtype): LibraryCall => (host, args, e) => {
  const v = argOf(args, 0, 'x') ?? py.int(0);
  const n = num(v);
  if (n === undefined) return host.unknown(e, dtype === 'bool_' ? 'bool' : dtype === 'int64' ? 'int' : 'float', 'converts an unknown value');
  return py.numpy(dtype, dtype === 'bool_' ? Boolean(Number(n)) : n);
};

/** The numbers of known data (a list, tuple or array of numbers, flattened), or undefined. */
function numbers(v: Value | undefined): { xs: number[]; ints: boolean } | undefined {
  if (v === undefined || !isPy(v)) return undefined;
  if (v.kind === 'ndarray') return v.dtype === 'bool' ? undefined : { xs: v.data.map(Number), ints: v.dtype === 'int64' };
  if (v.kind !== 'list' && v.kind !== 'tuple') return undefined;
  let arr: values.PyNdarray;
  try {
    arr = values.ndarrayFromNested(v.items as PyValue[]);
  } catch {
    return undefined; // ragged or not numbers: numpy would make an object array
  }
  return arr.dtype === 'bool' ? undefined : { xs: arr.data.map(Number), ints: arr.dtype === 'int64' };
}

/** numpy's reductions over the whole (flattened) input, as numpy scalars; over unknown data, a float of unknown value. */
const reduction: LibraryCall = (host, args, e, path) => {
  const data = args.keywords.has('axis') ? undefined : numbers(argOf(args, 0, 'a'));
  if (data === undefined || data.xs.length === 0) return host.unknown(e, 'float', `is ${path}(), which the value model does not compute`);
  const { xs, ints } = data;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const name = path.split('.').pop();
  switch (name) {
    case 'sum': return ints ? py.numpy('int64', BigInt(xs.reduce((a, b) => a + b, 0))) : py.numpy('float64', xs.reduce((a, b) => a + b, 0));
    case 'mean': case 'average': return py.numpy('float64', mean);
    case 'var': return py.numpy('float64', xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    case 'std': return py.numpy('float64', Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length));
    case 'median': {
      const s = [...xs].sort((a, b) => a - b);
      const m = s.length >> 1;
      return py.numpy('float64', s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2);
    }
  }
  return host.unknown(e, 'float', `is ${path}(), which the value model does not compute`);
};

export const NUMPY_CALLS: Record<string, LibraryCall> = {
  'numpy.array': (host, args, e) => {
    const v = argOf(args, 0, 'object');
    if (v !== undefined && isPy(v) && (v.kind === 'list' || v.kind === 'tuple')) return shaped(host, args, e, values.ndarrayFromNested(v.items as PyValue[]), ['object']);
    if (v !== undefined && isPy(v) && v.kind === 'ndarray') return shaped(host, args, e, v, ['object']);
    return host.unknown(e, 'ndarray', 'is an array of data the value model does not hold');
  },
  'numpy.asarray': (host, args, e) => NUMPY_CALLS['numpy.array']!(host, args, e, 'numpy.asarray'),
  'numpy.zeros': filled(0),
  'numpy.ones': filled(1),
  'numpy.arange': (host, args, e) => {
    const ns = args.positional.map((x) => num(x));
    if (ns.length === 0 || ns.some((n) => n === undefined)) return host.unknown(e, 'ndarray', 'has unknown bounds');
    const [start, stop, step] = ns.length === 1 ? [0, Number(ns[0]), 1] : [Number(ns[0]), Number(ns[1]), Number(ns[2] ?? 1)];
    const float = ns.some((n) => typeof n === 'number');
    const data: (number | bigint)[] = [];
    if (!(step !== 0) || Math.abs((stop - start) / step) > MAX_ITEMS) return host.unknown(e, 'ndarray', 'has too many elements to model');
    for (let x = start; step > 0 ? x < stop : x > stop; x += step) data.push(float ? x : BigInt(x));
    return shaped(host, { ...args, positional: [] }, e, py.ndarray(float ? 'float64' : 'int64', [data.length], data), []);
  },
  'numpy.float64': scalar('float64'), 'numpy.float32': scalar('float32'), 'numpy.int64': scalar('int64'), 'numpy.bool_': scalar('bool_'),
  'numpy.mean': reduction, 'numpy.std': reduction, 'numpy.sum': reduction, 'numpy.median': reduction, 'numpy.var': reduction,
  'numpy.average': reduction,
  'numpy.random.rand': (host, _a, e) => host.unknown(e, 'ndarray', 'is random'),
  'numpy.random.randn': (host, _a, e) => host.unknown(e, 'ndarray', 'is random'),
  'numpy.random.randint': (host, _a, e) => host.unknown(e, 'ndarray', 'is random'),
};
