/**
 * numpy arrays and scalars as numpy 1.24's reduce methods hand them to CPython's pickler (protocol 4), so the
 * bytes equal `pickle.dump(arr, f)` of the real run:
 *
 * - `ndarray.__reduce__`: `numpy.core.multiarray._reconstruct, (numpy.ndarray, (0,), b'b')`, then the state
 *   `(1, shape, dtype, is_fortran, data)` where data is `tobytes()` in the array's memory order;
 * - a scalar's `__reduce__`: `numpy.core.multiarray.scalar, (dtype, data)`;
 * - `dtype.__reduce__`: `numpy.dtype, ('i8', False, True)` and the state `(3, '<', None, None, None, -1, -1, 0)`.
 *
 * CPython identities the memo sees: a builtin dtype is one object per type (written once, then BINGET),
 * `numpy.True_`/`numpy.False_` are singletons, and one-byte bytes (the dummy `b'b'`, a bool's data) too.
 */
import { T } from '../types.ts';
import { py, type PyNdarray, type PyNumpyScalar } from '../model.ts';
import {
  dtypeByteorder, dtypeCode, dtypeInfo, writeElement, type NdarrayDtype, type NumpyScalarDtype,
} from '../numpy-dtypes.ts';
import { OP, bytesIdentity } from './opcodes.ts';
import type { Pickler } from './pickler.ts';

const RECONSTRUCT = { module: 'numpy.core.multiarray', name: '_reconstruct' };
const SCALAR = { module: 'numpy.core.multiarray', name: 'scalar' };
const NDARRAY = { module: 'numpy', name: 'ndarray' };
const DTYPE = { module: 'numpy', name: 'dtype' };

/** `save(bytes_object)`: a frame boundary, then a BINGET for a singleton already written. */
export function saveRawBytes(p: Pickler, data: Uint8Array): void {
  p.out.boundary();
  const identity = bytesIdentity(data);
  const seen = p.lookup(identity);
  if (seen !== undefined) p.get(seen);
  else p.saveBytes(data, identity);
}

/** `save(global)` as a separate `save` call (frame boundary first). */
function saveGlobalObject(p: Pickler, g: { module: string; name: string }): void {
  p.out.boundary();
  p.saveGlobal(g);
}

/** A builtin dtype: written once per pickle, then referenced. */
export function saveDtype(p: Pickler, dtype: NdarrayDtype | NumpyScalarDtype): void {
  p.out.boundary();
  const key = `np.dtype:${dtypeCode(dtype)}`;
  const seen = p.lookup(key);
  if (seen !== undefined) {
    p.get(seen);
    return;
  }
  saveGlobalObject(p, DTYPE);
  p.save(py.tuple([py.str(dtypeCode(dtype)), py.bool(false), py.bool(true)]));
  p.out.byte(OP.REDUCE);
  p.memoize(key);
  const state = [py.int(3), py.str(dtypeByteorder(dtype)), py.None, py.None, py.None, py.int(-1), py.int(-1), py.int(0)];
  p.save(py.tuple(state));
  p.out.byte(OP.BUILD);
}

/** numpy's `PyArray_ISFORTRAN`: F-contiguous and not also C-contiguous (one non-trivial axis is both). */
export function isFortran(v: PyNdarray): boolean {
  return v.order === 'F' && !v.shape.includes(0) && v.shape.filter((n) => n > 1).length > 1;
}

/** Row-major flat indices in the order the array's memory holds them. */
function memoryOrder(shape: readonly number[], fortran: boolean): number[] {
  const size = shape.reduce((a, b) => a * b, 1);
  if (!fortran) return Array.from({ length: size }, (_, i) => i);
  const rowStrides = shape.map((_, k) => shape.slice(k + 1).reduce((a, b) => a * b, 1));
  const out: number[] = [];
  const index = shape.map(() => 0);
  for (let n = 0; n < size; n++) {
    out.push(index.reduce((acc, i, k) => acc + i * rowStrides[k]!, 0));
    for (let k = 0; k < shape.length; k++) {
      if (++index[k]! < shape[k]!) break;
      index[k] = 0;
    }
  }
  return out;
}

/** `arr.tobytes(order='A')`: little-endian elements in memory order. */
export function ndarrayBytes(v: PyNdarray, fortran: boolean): Uint8Array {
  const { itemsize } = dtypeInfo(v.dtype);
  const order = memoryOrder(v.shape, fortran);
  const out = new Uint8Array(order.length * itemsize);
  const view = new DataView(out.buffer);
  order.forEach((i, n) => writeElement(view, n * itemsize, v.dtype, v.data[i]!, v.imag?.[i] ?? 0));
  return out;
}

/** The array itself, after `save` found it is not in the memo. */
export function saveNdarray(p: Pickler, v: PyNdarray): void {
  saveGlobalObject(p, RECONSTRUCT);
  p.out.boundary();
  saveGlobalObject(p, NDARRAY);
  p.save(py.tuple([py.int(0)]));
  saveRawBytes(p, Uint8Array.of(0x62)); // the dummy dtype character 'b'
  p.out.byte(OP.TUPLE3);
  p.memoize({});
  p.out.byte(OP.REDUCE);
  p.memoize(v);
  const fortran = isFortran(v);
  p.out.boundary();
  p.out.byte(OP.MARK);
  p.save(py.int(1));
  p.save(py.tuple(v.shape.map((n) => py.int(n))));
  saveDtype(p, v.dtype);
  p.save(py.bool(fortran));
  saveRawBytes(p, ndarrayBytes(v, fortran));
  p.out.byte(OP.TUPLE);
  p.memoize({});
  p.out.byte(OP.BUILD);
}

/** A numpy scalar, after `save` found it is not in the memo. */
export function saveNumpyScalar(p: Pickler, v: PyNumpyScalar, identity: object | string): void {
  saveGlobalObject(p, SCALAR);
  p.out.boundary();
  saveDtype(p, v.dtype);
  const data = new Uint8Array(dtypeInfo(v.dtype).itemsize);
  writeElement(new DataView(data.buffer), 0, v.dtype, v.value, v.imag ?? 0);
  saveRawBytes(p, data);
  p.out.byte(OP.TUPLE2);
  p.memoize({});
  p.out.byte(OP.REDUCE);
  p.memoize(identity);
}

/** Whether a value is a real numpy value (not a stand-in of the same name made for an unknown one). */
export function isNumpyValue(v: PyNdarray | PyNumpyScalar): boolean {
  return v.kind === 'ndarray' ? v.type === T.ndarray : v.type === T[v.dtype];
}
