/**
 * numpy's builtin numeric dtypes as the value model holds them: their names, their `dtype.str` without the byte
 * order (`i8`, `f2`, `c16`, what `dtype.__reduce__` writes), item sizes, how a value is stored in the model
 * (wrapped to the integer width, rounded to the float width) and its little-endian bytes (`tobytes()`).
 */

export type IntDtype = 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64';
export type FloatDtype = 'float16' | 'float32' | 'float64';
export type ComplexDtype = 'complex64' | 'complex128';
/** An array's dtype (`dtype('bool')` is spelled `bool`, as `arr.dtype.name` prints it). */
export type NdarrayDtype = 'bool' | IntDtype | FloatDtype | ComplexDtype;
/** A numpy scalar's dtype: the scalar classes are `numpy.bool_`, `numpy.int8`, ... */
export type NumpyScalarDtype = Exclude<NdarrayDtype, 'bool'> | 'bool_';

export type DtypeKind = 'b' | 'i' | 'u' | 'f' | 'c';
interface DtypeInfo { kind: DtypeKind; itemsize: number }

const INFO: Record<NdarrayDtype, DtypeInfo> = {
  bool: { kind: 'b', itemsize: 1 },
  int8: { kind: 'i', itemsize: 1 }, int16: { kind: 'i', itemsize: 2 }, int32: { kind: 'i', itemsize: 4 }, int64: { kind: 'i', itemsize: 8 },
  uint8: { kind: 'u', itemsize: 1 }, uint16: { kind: 'u', itemsize: 2 }, uint32: { kind: 'u', itemsize: 4 }, uint64: { kind: 'u', itemsize: 8 },
  float16: { kind: 'f', itemsize: 2 }, float32: { kind: 'f', itemsize: 4 }, float64: { kind: 'f', itemsize: 8 },
  complex64: { kind: 'c', itemsize: 8 }, complex128: { kind: 'c', itemsize: 16 },
};

export const NDARRAY_DTYPES = Object.keys(INFO) as NdarrayDtype[];

/** The array dtype of a scalar dtype (`bool_` -> `bool`) and the other way round. */
export const arrayDtype = (d: NumpyScalarDtype | NdarrayDtype): NdarrayDtype => (d === 'bool_' ? 'bool' : d);
export const scalarDtype = (d: NdarrayDtype): NumpyScalarDtype => (d === 'bool' ? 'bool_' : d);

export function dtypeInfo(d: NdarrayDtype | NumpyScalarDtype): DtypeInfo {
  return INFO[arrayDtype(d)];
}

/** `dtype.str` without its byte-order character: `b1`, `i8`, `u2`, `f2`, `c16`. */
export function dtypeCode(d: NdarrayDtype | NumpyScalarDtype): string {
  const { kind, itemsize } = dtypeInfo(d);
  return `${kind}${itemsize}`;
}

/** `dtype.byteorder` of a native builtin dtype: `|` where order does not apply (one byte), else `<` here. */
export function dtypeByteorder(d: NdarrayDtype | NumpyScalarDtype): '|' | '<' {
  return dtypeInfo(d).itemsize === 1 ? '|' : '<';
}

export type NumpyElement = number | bigint | boolean;

/** The value as the dtype holds it: ints wrapped to their width, floats rounded to their precision. */
export function normaliseElement(d: NdarrayDtype | NumpyScalarDtype, value: NumpyElement): NumpyElement {
  const { kind, itemsize } = dtypeInfo(d);
  switch (kind) {
    case 'b': return Boolean(value);
    case 'i': case 'u': {
      const n = typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value)));
      return kind === 'i' ? BigInt.asIntN(itemsize * 8, n) : BigInt.asUintN(itemsize * 8, n);
    }
    case 'f': return roundFloat(Number(value), itemsize);
    case 'c': return roundFloat(Number(value), itemsize / 2);
  }
}

function roundFloat(x: number, size: number): number {
  if (size === 8) return x;
  if (size === 4) return Math.fround(x);
  return halfToNumber(numberToHalf(x));
}

/** Round half to even on a value whose fraction is exact. */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** IEEE 754 binary16 bits of x, rounded to nearest even (numpy's `npy_double_to_half`). */
export function numberToHalf(x: number): number {
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a >= 65520) return sign | 0x7c00; // 65520 is the tie between 65504 and 2**16: it rounds to infinity
  if (a < 2 ** -14) return sign | roundHalfEven(a * 2 ** 24); // subnormal (a carry into 0x400 is the smallest normal)
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  let mant = roundHalfEven((a / 2 ** e - 1) * 1024);
  if (mant === 1024) {
    mant = 0;
    e++;
  }
  return e + 15 >= 31 ? sign | 0x7c00 : sign | ((e + 15) << 10) | mant;
}

export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m === 0 ? sign * Infinity : NaN;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** Writes one element's little-endian bytes at `offset` (a complex element: its real part then `imag`). */
export function writeElement(view: DataView, offset: number, d: NdarrayDtype | NumpyScalarDtype, value: NumpyElement, imag = 0): void {
  const { kind, itemsize } = dtypeInfo(d);
  const v = normaliseElement(d, value);
  switch (kind) {
    case 'b': view.setUint8(offset, v ? 1 : 0); return;
    case 'i': case 'u': {
      let n = BigInt.asUintN(itemsize * 8, v as bigint);
      for (let i = 0; i < itemsize; i++) {
        view.setUint8(offset + i, Number(n & 0xffn));
        n >>= 8n;
      }
      return;
    }
    case 'f': writeFloat(view, offset, itemsize, v as number); return;
    case 'c':
      writeFloat(view, offset, itemsize / 2, v as number);
      writeFloat(view, offset + itemsize / 2, itemsize / 2, imag);
  }
}

function writeFloat(view: DataView, offset: number, size: number, x: number): void {
  if (size === 8) view.setFloat64(offset, x, true);
  else if (size === 4) view.setFloat32(offset, x, true);
  else view.setUint16(offset, numberToHalf(x), true);
}

/**
 * `str(x)` of a numpy float16/float32 scalar (numpy's Dragon4): the fewest digits that read back to the same
 * value at that width, positional when 1e-4 <= |x| < 1e16, else `d.ddde+XX`, as Python prints floats.
 */
export function numpyFloatText(dtype: 'float16' | 'float32', x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const size = dtype === 'float32' ? 4 : 2;
  let text = x.toPrecision(1);
  for (let p = 1; p <= 17; p++) {
    text = x.toPrecision(p);
    if (roundFloat(Number(text), size) === x) break;
  }
  const [mant, exp] = Number(text).toExponential().split('e') as [string, string];
  const digits = mant.replace('-', '').replace('.', '');
  const e = Number(exp);
  const sign = x < 0 ? '-' : '';
  const a = Math.abs(x);
  if (a < 1e-4 || a >= 1e16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  if (e < 0) return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  if (e + 1 >= digits.length) return `${sign}${digits}${'0'.repeat(e + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
}
