/**
 * `format % args` for a str format, as CPython 3.11's `PyUnicode_Format` does it: the same argument walk
 * (a tuple, a single value, a mapping for `%(key)s`), the same flags/width/precision parsing, the same output
 * padding, and the same exceptions with the same messages. Lengths and the index in
 * `unsupported format character` count code points, as Python's str does.
 */
import { ValuesError, formatFloat, fullName, py, pyEquals, type FloatConversion, type PyValue } from '../values/index.ts';
import { pyRaise } from './errors.ts';
import { pyRepr, pyStr } from './py-value-protocol.ts';

const F_LJUST = 1;
const F_SIGN = 2;
const F_BLANK = 4;
const F_ALT = 8;
const F_ZERO = 16;

interface Spec {
  flags: number;
  width: number;
  prec: number;
  ch: string;
  /** A numeric conversion: the sign and `0` padding rules apply. */
  sign: boolean;
}

/** `Py_TYPE(v)->tp_name`: the bare name for builtins and classes defined in Python, dotted for C types. */
function tpName(v: PyValue): string {
  const m = v.type.module;
  if (m === 'numpy' || m === 'decimal' || m === 'datetime' || m === 'collections') return fullName(v.type);
  return v.type.name;
}

/** `PyMapping_Check`: the types with `__getitem__` (str and tuple are excluded by the caller, as CPython does). */
function isMapping(v: PyValue): boolean {
  return ['dict', 'list', 'tuple', 'str', 'bytes', 'ndarray', 'dataframe', 'series'].includes(v.kind);
}

/** `ascii(v)`: repr with every non-ASCII code point escaped. */
function pyAscii(v: PyValue): string {
  let out = '';
  for (const c of pyRepr(v)) {
    const cp = c.codePointAt(0)!;
    if (cp < 0x80) out += c;
    else if (cp < 0x100) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return out;
}

/** `str(v)`; a `(str, Enum)` member prints as `Color.RED` (3.11's Enum.__str__). */
function strOf(v: PyValue): string {
  if (v.kind === 'str' && v.enumMember !== undefined) return `${v.type.name}.${v.enumMember}`;
  return pyStr(v);
}

/** `int(v)` for %d/%i/%u (`index`: `operator.index(v)` for %x/%o/%c); undefined where Python raises TypeError. */
function toInt(v: PyValue, index: boolean): bigint | undefined {
  switch (v.kind) {
    case 'int': return v.value;
    case 'bool': return v.value ? 1n : 0n;
    case 'numpy-scalar':
      if (typeof v.value === 'bigint') return v.value;
      if (typeof v.value === 'boolean') return index ? undefined : v.value ? 1n : 0n;
      return index ? undefined : floatToInt(v.value);
    case 'float': return index ? undefined : floatToInt(v.value);
    case 'decimal': return index ? undefined : decimalToInt(v.text);
    default: return undefined;
  }
}

/** `int(Decimal(text))`: truncated toward zero. */
function decimalToInt(text: string): bigint {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (m === null) {
    if (/nan/i.test(text)) pyRaise('ValueError', 'cannot convert NaN to integer');
    if (/inf/i.test(text)) pyRaise('OverflowError', 'cannot convert Infinity to integer');
    throw new ValuesError('invalid-value', `Failed to convert "Decimal('${text}')" to int: the text is not a decimal number. Use digits with an optional point and exponent.`);
  }
  const frac = m[3] ?? '';
  const exp = Number(m[4] ?? '0') - frac.length;
  const digits = BigInt(`${m[2] ?? ''}${frac}` || '0');
  const magnitude = exp >= 0 ? digits * 10n ** BigInt(exp) : digits / 10n ** BigInt(-exp);
  return m[1] === '-' ? -magnitude : magnitude;
}

function floatToInt(x: number): bigint {
  if (Number.isNaN(x)) pyRaise('ValueError', 'cannot convert float NaN to integer');
  if (!Number.isFinite(x)) pyRaise('OverflowError', 'cannot convert float infinity to integer');
  return BigInt(Math.trunc(x));
}

/** `float(v)` for %e/%f/%g; raises as `PyFloat_AsDouble` does. */
function toFloat(v: PyValue): number {
  switch (v.kind) {
    case 'float': return v.value;
    case 'bool': return v.value ? 1 : 0;
    case 'int': {
      const x = Number(v.value);
      if (!Number.isFinite(x)) pyRaise('OverflowError', 'int too large to convert to float');
      return x;
    }
    case 'numpy-scalar': return Number(v.value);
    case 'decimal': return Number(v.text.replace(/^([+-]?)(inf|infinity)$/i, '$1Infinity'));
  }
  return pyRaise('TypeError', `must be real number, not ${tpName(v)}`);
}

/** `_PyUnicode_FormatLong`: digits in the base, precision as a minimum digit count, `0x`/`0o` under `#`. */
function formatLong(n: bigint, spec: Spec): string {
  const base = spec.ch === 'x' || spec.ch === 'X' ? 16 : spec.ch === 'o' ? 8 : 10;
  let digits = (n < 0n ? -n : n).toString(base);
  if (spec.ch === 'X') digits = digits.toUpperCase();
  if (spec.prec > digits.length) digits = digits.padStart(spec.prec, '0');
  const prefix = spec.flags & F_ALT && base !== 10 ? `0${spec.ch}` : '';
  return `${n < 0n ? '-' : ''}${prefix}${digits}`;
}

/** The converted text of one argument (before padding), as `unicode_format_arg_format` makes it. */
function convert(v: PyValue, spec: Spec, position: number): string {
  switch (spec.ch) {
    case 's': return strOf(v);
    case 'r': return pyRepr(v);
    case 'a': return pyAscii(v);
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': {
      spec.sign = true;
      const index = spec.ch === 'o' || spec.ch === 'x' || spec.ch === 'X';
      const n = toInt(v, index);
      if (n === undefined) {
        pyRaise('TypeError', index
          ? `%${spec.ch} format: an integer is required, not ${tpName(v)}`
          : `%${spec.ch} format: a real number is required, not ${tpName(v)}`);
      }
      return formatLong(n, spec);
    }
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
      spec.sign = true;
      return formatFloat(toFloat(v), spec.ch as FloatConversion, spec.prec < 0 ? 6 : spec.prec, (spec.flags & F_ALT) !== 0);
    }
    case 'c': {
      if (v.kind === 'str') {
        if ([...v.value].length !== 1) pyRaise('TypeError', '%c requires int or char');
        return v.value;
      }
      const n = toInt(v, true);
      if (n === undefined) pyRaise('TypeError', '%c requires int or char');
      if (n < 0n || n >= 0x110000n) pyRaise('OverflowError', '%c arg not in range(0x110000)');
      return String.fromCodePoint(Number(n));
    }
  }
  const cp = spec.ch.codePointAt(0)!;
  const shown = cp >= 31 && cp <= 126 ? spec.ch : '?';
  return pyRaise('ValueError', `unsupported format character '${shown}' (0x${cp.toString(16)}) at index ${position}`);
}

/** `unicode_format_arg_output`: sign, `0x` prefix, zero or space padding, left or right justified. */
function output(text: string, spec: Spec): string {
  let chars = [...text];
  if (spec.ch === 's' || spec.ch === 'r' || spec.ch === 'a') {
    if (spec.prec >= 0 && chars.length > spec.prec) chars = chars.slice(0, spec.prec);
  }
  const fill = spec.sign && spec.flags & F_ZERO ? '0' : ' ';
  let signchar = '';
  if (spec.sign) {
    if (chars[0] === '-' || chars[0] === '+') signchar = chars.shift()!;
    else if (spec.flags & F_SIGN) signchar = '+';
    else if (spec.flags & F_BLANK) signchar = ' ';
  }
  let prefix = '';
  if (spec.flags & F_ALT && (spec.ch === 'x' || spec.ch === 'X' || spec.ch === 'o')) prefix = chars.splice(0, 2).join('');
  const body = chars.join('');
  const pad = Math.max(0, spec.width - signchar.length - prefix.length - chars.length);
  if (spec.flags & F_LJUST) return `${signchar}${prefix}${body}${' '.repeat(pad)}`;
  if (fill === '0') return `${signchar}${prefix}${'0'.repeat(pad)}${body}`;
  return `${' '.repeat(pad)}${signchar}${prefix}${body}`;
}

/** `format % args` where `format` is a str. Raises Python's TypeError/ValueError/KeyError/OverflowError. */
export function percentFormat(format: string, args: PyValue): string {
  const fmt = [...format];
  const isTuple = args.kind === 'tuple';
  // CPython's argument cursor: a tuple walks its items; any other value is used once (argidx -2 -> -1).
  let current: PyValue = args;
  let arglen = isTuple ? args.items.length : -1;
  let argidx = isTuple ? 0 : -2;
  const dict = isMapping(args) && !isTuple && args.kind !== 'str' ? args : undefined;
  const nextArg = (): PyValue => {
    if (argidx < arglen) {
      const i = argidx++;
      return arglen < 0 ? current : (current as Extract<PyValue, { kind: 'tuple' }>).items[i]!;
    }
    return pyRaise('TypeError', 'not enough arguments for format string');
  };
  const starArg = (): number => {
    const v = nextArg();
    if (v.kind !== 'int' && v.kind !== 'bool') pyRaise('TypeError', '* wants int');
    return Number(v.kind === 'bool' ? (v.value ? 1 : 0) : v.value);
  };
  let out = '';
  let pos = 0;
  const read = (): string | undefined => fmt[pos++];
  while (pos < fmt.length) {
    if (fmt[pos] !== '%') {
      out += fmt[pos++];
      continue;
    }
    pos++;
    if (fmt[pos] === '%') {
      pos++;
      out += '%';
      continue;
    }
    if (fmt[pos] === '(') {
      if (dict === undefined) pyRaise('TypeError', 'format requires a mapping');
      pos++;
      const start = pos;
      let depth = 1;
      while (depth > 0 && pos < fmt.length) {
        if (fmt[pos] === ')') depth--;
        else if (fmt[pos] === '(') depth++;
        pos++;
      }
      if (depth > 0) pyRaise('ValueError', 'incomplete format key');
      current = lookup(dict, fmt.slice(start, pos - 1).join(''));
      arglen = -1;
      argidx = -2;
    }
    const spec: Spec = { flags: 0, width: -1, prec: -1, ch: '', sign: false };
    let ch = read();
    const FLAGS: Record<string, number> = { '-': F_LJUST, '+': F_SIGN, ' ': F_BLANK, '#': F_ALT, '0': F_ZERO };
    while (ch !== undefined && FLAGS[ch] !== undefined) {
      spec.flags |= FLAGS[ch]!;
      ch = read();
    }
    if (ch === '*') {
      spec.width = starArg();
      if (spec.width < 0) {
        spec.flags |= F_LJUST;
        spec.width = -spec.width;
      }
      ch = read();
    } else if (ch !== undefined && ch >= '0' && ch <= '9') {
      spec.width = 0;
      while (ch !== undefined && ch >= '0' && ch <= '9') {
        spec.width = spec.width * 10 + Number(ch);
        ch = read();
      }
    }
    if (ch === '.') {
      spec.prec = 0;
      ch = read();
      if (ch === '*') {
        spec.prec = Math.max(0, starArg());
        ch = read();
      } else {
        while (ch !== undefined && ch >= '0' && ch <= '9') {
          spec.prec = spec.prec * 10 + Number(ch);
          ch = read();
        }
      }
    }
    if (ch === 'h' || ch === 'l' || ch === 'L') ch = read();
    if (ch === undefined) pyRaise('ValueError', 'incomplete format');
    spec.ch = ch;
    const v = nextArg();
    out += output(convert(v, spec, pos - 1), spec);
    if (dict !== undefined && argidx < arglen) pyRaise('TypeError', 'not all arguments converted during string formatting');
  }
  if (argidx < arglen && dict === undefined) pyRaise('TypeError', 'not all arguments converted during string formatting');
  return out;
}

/** `mapping[key]` for the `%(key)s` form. */
function lookup(mapping: PyValue, key: string): PyValue {
  if (mapping.kind === 'dict') {
    const k = py.str(key);
    const hit = mapping.entries.find(([x]) => pyEquals(x, k));
    if (hit === undefined) pyRaise('KeyError', pyRepr(k));
    return hit[1];
  }
  if (mapping.kind === 'list') return pyRaise('TypeError', 'list indices must be integers or slices, not str');
  if (mapping.kind === 'bytes') return pyRaise('TypeError', 'byte indices must be integers or slices, not str');
  // A DataFrame/Series/ndarray indexed by a str key: not modelled, so say so rather than guess Python's answer.
  throw new ValuesError('unsupported-value', `Failed to format "%(${key})s": a ${fullName(mapping.type)} as the mapping of %-formatting is not modelled. Use a dict.`);
}
