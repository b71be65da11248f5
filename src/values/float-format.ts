/**
 * CPython's `PyOS_double_to_string` for the printf-style conversions `e E f F g G` (what `'%.3e' % x` and
 * `format(x, '.3e')` print), correctly rounded as David Gay's dtoa rounds: the exact binary value of the double,
 * ties to even. JavaScript's `toFixed`/`toExponential` are not usable: they switch to exponent form past 1e21
 * and `toExponential` is limited to 100 digits.
 */

export type FloatConversion = 'e' | 'E' | 'f' | 'F' | 'g' | 'G';

/** x = mant * 2**exp exactly, for a finite positive double. */
function decompose(x: number): { mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  if (biased === 0) return { mant: fraction, exp: -1074 };
  return { mant: fraction | (1n << 52n), exp: biased - 1075 };
}

const pow10 = (n: number): bigint => 10n ** BigInt(n);

/** round_half_even(x * 10**scale) for a finite positive double; scale may be negative. */
function scaledRound(x: number, scale: number): bigint {
  const { mant, exp } = decompose(x);
  let num = mant;
  let den = 1n;
  if (exp >= 0) num <<= BigInt(exp);
  else den <<= BigInt(-exp);
  if (scale >= 0) num *= pow10(scale);
  else den *= pow10(-scale);
  const q = num / den;
  const twice = (num % den) * 2n;
  return twice > den || (twice === den && (q & 1n) === 1n) ? q + 1n : q;
}

/** The decimal exponent k with 10**k <= x < 10**(k+1), for a finite positive double. */
function decimalExponent(x: number): number {
  let k = Math.floor(Math.log10(x));
  // log10 can be off by one near powers of ten: settle it exactly.
  const { mant, exp } = decompose(x);
  const atLeast = (e: number): boolean => {
    let num = mant;
    let den = 1n;
    if (exp >= 0) num <<= BigInt(exp);
    else den <<= BigInt(-exp);
    return e >= 0 ? num >= den * pow10(e) : num * pow10(-e) >= den;
  };
  while (!atLeast(k)) k--;
  while (atLeast(k + 1)) k++;
  return k;
}

/** Digits of |x| rounded to `prec` decimals: `[integer part, fraction]` (fraction has exactly `prec` digits). */
function fixedParts(x: number, prec: number): [string, string] {
  if (x === 0) return ['0', '0'.repeat(prec)];
  const digits = scaledRound(x, prec).toString().padStart(prec + 1, '0');
  return [digits.slice(0, digits.length - prec), digits.slice(digits.length - prec)];
}

/** |x| rounded to `prec + 1` significant digits: the digit string and the decimal exponent of its first digit. */
function scientificParts(x: number, prec: number): { digits: string; exponent: number } {
  if (x === 0) return { digits: '0'.repeat(prec + 1), exponent: 0 };
  let k = decimalExponent(x);
  let n = scaledRound(x, prec - k);
  if (n === pow10(prec + 1)) {
    n = pow10(prec);
    k += 1;
  }
  return { digits: n.toString(), exponent: k };
}

const exponentText = (e: number): string => `${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;

/**
 * `PyOS_double_to_string(x, conversion, prec, flags)` with `Py_DTSF_ALT` when `alt` (the `#` flag): no sign
 * flag handling here beyond the minus sign, which is always written (the caller adds `+`/space).
 */
export function formatFloat(x: number, conversion: FloatConversion, prec: number, alt = false): string {
  const upper = conversion === 'E' || conversion === 'F' || conversion === 'G';
  if (!Number.isFinite(x)) {
    const text = Number.isNaN(x) ? 'nan' : x < 0 ? '-inf' : 'inf';
    return upper ? text.toUpperCase() : text;
  }
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const a = Math.abs(x);
  const lower = conversion.toLowerCase();
  let body: string;
  if (lower === 'f') {
    const [int, frac] = fixedParts(a, prec);
    body = prec > 0 ? `${int}.${frac}` : alt ? `${int}.` : int;
  } else if (lower === 'e') {
    const { digits, exponent } = scientificParts(a, prec);
    const mant = prec > 0 ? `${digits[0]}.${digits.slice(1)}` : alt ? `${digits}.` : digits;
    body = `${mant}e${exponentText(exponent)}`;
  } else {
    // %g: precision is the number of significant digits; the exponent after rounding picks the style.
    const p = prec === 0 ? 1 : prec;
    const { digits, exponent } = scientificParts(a, p - 1);
    let mant: string;
    let suffix = '';
    if (exponent >= -4 && exponent < p) {
      mant = exponent >= 0
        ? `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`
        : `0.${'0'.repeat(-exponent - 1)}${digits}`;
    } else {
      mant = `${digits[0]}.${digits.slice(1)}`;
      suffix = `e${exponentText(exponent)}`;
    }
    if (!alt) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    body = `${mant}${suffix}`;
  }
  return sign + (upper ? body.toUpperCase() : body);
}
