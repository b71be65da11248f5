/** Python operators on known values; an unknown operand gives an unknown result (typed where certain). */
import { flow, values } from '../../src/index.ts';
import type { Pos } from './ast.ts';
import { isPy, num, Opaque, py, str, typeName, unbox, type OpaqueType, type PyValue, type Value } from './interp-values.ts';

const { pyRaise } = flow;

const isFloat = (v: PyValue) => v.kind === 'float' || (v.kind === 'numpy-scalar' && typeof v.value === 'number');

function numberResult(x: bigint | number, float: boolean, like?: PyValue): PyValue {
  if (like?.kind === 'numpy-scalar' && like.dtype !== 'bool_') return py.numpy(typeof x === 'number' || float ? (like.dtype === 'int64' ? 'float64' : like.dtype) : 'int64', x);
  if (!float && typeof x === 'bigint') return py.int(x);
  return py.float(Number(x));
}

function arith(op: string, a: PyValue, b: PyValue): PyValue | undefined {
  const x = num(a);
  const y = num(b);
  if (x === undefined || y === undefined) return undefined;
  const like = a.kind === 'numpy-scalar' ? a : b.kind === 'numpy-scalar' ? b : undefined;
  const float = isFloat(a) || isFloat(b);
  if (!float && typeof x === 'bigint' && typeof y === 'bigint') {
    switch (op) {
      case '+': return numberResult(x + y, false, like);
      case '-': return numberResult(x - y, false, like);
      case '*': return numberResult(x * y, false, like);
      case '/':
        if (y === 0n) pyRaise('ZeroDivisionError', 'division by zero');
        return numberResult(Number(x) / Number(y), true, like);
      case '//': {
        if (y === 0n) pyRaise('ZeroDivisionError', 'integer division or modulo by zero');
        const q = x / y;
        return numberResult(q * y !== x && (x < 0n) !== (y < 0n) ? q - 1n : q, false, like);
      }
      case '%': {
        if (y === 0n) pyRaise('ZeroDivisionError', 'integer division or modulo by zero');
        const r = x % y;
        return numberResult(r !== 0n && (r < 0n) !== (y < 0n) ? r + y : r, false, like);
      }
      case '**':
        if (y < 0n) return numberResult(Number(x) ** Number(y), true, like);
        // A huge power is a huge number: past ~100,000 bits it is not worth holding (nor will a flow log it).
        if (x > 1n || x < -1n ? y * BigInt(x.toString(2).length) > 100_000n : false) return undefined;
        return numberResult(x ** y, false, like);
      case '&': return py.int(x & y);
      case '|': return py.int(x | y);
      case '^': return py.int(x ^ y);
      case '<<': return py.int(x << y);
      case '>>': return py.int(x >> y);
    }
    return undefined;
  }
  const fx = Number(x);
  const fy = Number(y);
  switch (op) {
    case '+': return numberResult(fx + fy, true, like);
    case '-': return numberResult(fx - fy, true, like);
    case '*': return numberResult(fx * fy, true, like);
    case '/':
      if (fy === 0) pyRaise('ZeroDivisionError', 'float division by zero');
      return numberResult(fx / fy, true, like);
    case '//':
      if (fy === 0) pyRaise('ZeroDivisionError', 'float floor division by zero');
      return numberResult(Math.floor(fx / fy), true, like);
    case '%':
      if (fy === 0) pyRaise('ZeroDivisionError', 'float modulo');
      return numberResult(fx - fy * Math.floor(fx / fy), true, like);
    case '**': return numberResult(fx ** fy, true, like);
  }
  return undefined;
}

function compare(op: string, a: PyValue, b: PyValue): boolean | undefined {
  if (op === '==') return values.pyEquals(a, b);
  if (op === '!=') return !values.pyEquals(a, b);
  const x = num(a);
  const y = num(b);
  let c: number | undefined;
  if (x !== undefined && y !== undefined) c = Number(x) < Number(y) ? -1 : Number(x) > Number(y) ? 1 : 0;
  else if (a.kind === 'str' && b.kind === 'str') c = a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  else if ((a.kind === 'list' && b.kind === 'list') || (a.kind === 'tuple' && b.kind === 'tuple')) {
    const n = Math.min(a.items.length, b.items.length);
    c = 0;
    for (let i = 0; i < n && c === 0; i++) {
      if (values.pyEquals(a.items[i]!, b.items[i]!)) continue;
      c = compare('<', a.items[i]!, b.items[i]!) ? -1 : 1;
    }
    if (c === 0) c = a.items.length - b.items.length;
  }
  if (c === undefined) pyRaise('TypeError', `'${op}' not supported between instances of '${a.type.name}' and '${b.type.name}'`);
  switch (op) {
    case '<': return c! < 0;
    case '<=': return c! <= 0;
    case '>': return c! > 0;
    case '>=': return c! >= 0;
  }
  return undefined;
}

/** The largest container the interpreter builds (a bigger one is an unknown value). */
export const MAX_ITEMS = 100_000;

export function contains(container: PyValue, item: PyValue): boolean {
  switch (container.kind) {
    case 'list': case 'tuple': case 'set': return container.items.some((x) => values.pyEquals(x, item));
    case 'dict': return container.entries.some(([k]) => values.pyEquals(k, item));
    case 'str':
      if (item.kind !== 'str') pyRaise('TypeError', `'in <string>' requires string as left operand, not ${item.type.name}`);
      return container.value.includes((item as values.PyStr).value);
    case 'dataframe': return item.kind === 'str' && container.columns.includes(item.value);
  }
  return pyRaise('TypeError', `argument of type '${container.type.name}' is not iterable`);
}

/** The type of `a op b` when one side is unknown, if it is certain. */
function derivedType(op: string, a: Value, b: Value): OpaqueType {
  if (['==', '!=', '<', '<=', '>', '>=', 'in', 'not in', 'is', 'is not'].includes(op)) {
    const t = (v: Value) => (v instanceof Opaque ? v.type : isPy(v) ? v.kind : null);
    return t(a) === 'DataFrame' || t(b) === 'DataFrame' || t(a) === 'ndarray' || t(b) === 'ndarray' || t(a) === 'Series' ? null : 'bool';
  }
  const ta = a instanceof Opaque ? a.type : isPy(a) ? a.kind : null;
  const tb = b instanceof Opaque ? b.type : isPy(b) ? b.kind : null;
  if (op === '%' && ta === 'str') return 'str'; // printf-style formatting of a str always gives a str
  const numeric = (t: string | null) => t === 'float' || t === 'int' || t === 'bool';
  if (numeric(ta) && numeric(tb)) return op === '/' || ta === 'float' || tb === 'float' ? 'float' : 'int';
  return null;
}

export function binop(op: string, a0: Value, b0: Value, pos: Pos, text: string): Value {
  // An unknown kept in a container (a join's list, a generator's items) is unknown again when used.
  const [a, b] = [unbox(a0), unbox(b0)];
  if (op === 'is' || op === 'is not') {
    const same = a === b || (isPy(a) && isPy(b) && a.kind === 'none' && b.kind === 'none') || (isPy(a) && isPy(b) && a.kind === 'bool' && b.kind === 'bool' && a.value === b.value);
    if (a instanceof Opaque || b instanceof Opaque) {
      if (!(isPy(a) && a.kind === 'none') && !(isPy(b) && b.kind === 'none')) return new Opaque(text, pos, 'bool', 'compares an unknown value');
      const o = (a instanceof Opaque ? a : b) as Opaque;
      if (o.type !== null) return py.bool(op === 'is not'); // a typed unknown is not None
      return new Opaque(text, pos, 'bool', 'compares an unknown value');
    }
    return py.bool(op === 'is' ? same : !same);
  }
  if (a instanceof Opaque || b instanceof Opaque || !isPy(a) || !isPy(b)) {
    if (!(a instanceof Opaque) && !(b instanceof Opaque) && (op === '==' || op === '!=')) return py.bool((a === b) === (op === '=='));
    return new Opaque(text, pos, derivedType(op, a, b), 'is computed from an unknown value');
  }
  if (op === 'in' || op === 'not in') return py.bool(contains(b, a) === (op === 'in'));
  // numpy and pandas compare element by element (`df["a"] > 1` is a boolean Series, a mask): not a bool.
  const elementWise = [a, b].find((v) => v.kind === 'ndarray' || v.kind === 'dataframe' || v.kind === 'series');
  if (elementWise && ['==', '!=', '<', '<=', '>', '>='].includes(op)) {
    return new Opaque(text, pos, elementWise.kind === 'dataframe' ? 'DataFrame' : elementWise.kind === 'series' ? 'Series' : 'ndarray', 'is an element-wise comparison the value model does not compute');
  }
  const c = ['==', '!=', '<', '<=', '>', '>='].includes(op) ? compare(op, a, b) : undefined;
  if (c !== undefined) return py.bool(c);
  if (a.kind !== 'ndarray' && b.kind !== 'ndarray') {
    const r = arith(op, a, b);
    if (r !== undefined) return r;
  }
  if (op === '+') {
    if (a.kind === 'str' && b.kind === 'str') return py.str(a.value + b.value);
    if (a.kind === 'list' && b.kind === 'list') return py.list([...a.items, ...b.items]);
    if (a.kind === 'tuple' && b.kind === 'tuple') return py.tuple([...a.items, ...b.items]);
  }
  if (op === '*') {
    const [s, n] = num(b) !== undefined ? [a, num(b)] : [b, num(a)];
    if (n !== undefined && typeof n === 'bigint') {
      const k = Math.max(0, Number(n));
      const size = k * (s.kind === 'str' ? s.value.length : s.kind === 'list' || s.kind === 'tuple' ? s.items.length : 0);
      if (size > MAX_ITEMS) return new Opaque(text, pos, s.kind === 'list' ? 'list' : s.kind === 'str' ? 'str' : null, `is too large to model (${size} items)`);
      if (s.kind === 'str') return py.str(s.value.repeat(k));
      if (s.kind === 'list') return py.list(Array.from({ length: k }, () => s.items).flat());
      if (s.kind === 'tuple') return py.tuple(Array.from({ length: k }, () => s.items).flat());
    }
  }
  if (op === '**' && num(a) !== undefined && num(b) !== undefined) return new Opaque(text, pos, 'int', 'is too large to model');
  if (op === '%' && a.kind === 'str') {
    // An argument that is, or holds, an unknown makes the text unknown: never its stand-in formatted.
    if (values.containsUnknown(b) !== undefined) return new Opaque(text, pos, 'str', 'formats an unknown value');
    try {
      return py.str(flow.percentFormat(a.value, b));
    } catch (e) {
      // Python's own errors propagate; a case the formatter does not model is an unknown str, not a guess.
      if (e instanceof values.ValuesError) return new Opaque(text, pos, 'str', `uses %-formatting on a value it does not model (${e.message})`);
      throw e;
    }
  }
  if (op === '/' && a.kind === 'path' && (b.kind === 'str' || b.kind === 'path')) {
    const right = b.kind === 'str' ? b.value : b.path;
    const path = right.startsWith('/') ? right : `${a.path.replace(/\/+$/, '')}/${right}`;
    return { ...a, path };
  }
  if (op === '|' && a.kind === 'dict' && b.kind === 'dict') return py.dict([...a.entries, ...b.entries]);
  if (a.kind === 'ndarray' || b.kind === 'ndarray' || a.kind === 'dataframe' || a.kind === 'series') {
    return new Opaque(text, pos, a.kind === 'dataframe' ? 'DataFrame' : a.kind === 'series' ? 'Series' : 'ndarray', 'is element-wise arithmetic the value model does not compute');
  }
  return pyRaise('TypeError', `unsupported operand type(s) for ${op}: '${a.type.name}' and '${b.type.name}'`);
}

export function unary(op: string, v0: Value, pos: Pos, text: string): Value {
  const v = unbox(v0);
  if (op === 'not') {
    if (v instanceof Opaque) return new Opaque(text, pos, 'bool', 'negates an unknown value');
    return py.bool(!truthOf(v));
  }
  const n = num(v);
  if (v instanceof Opaque || n === undefined || !isPy(v)) return new Opaque(text, pos, derivedType('-', v, v), 'is computed from an unknown value');
  if (op === '-') return typeof n === 'bigint' && !isFloat(v) ? (v.kind === 'numpy-scalar' ? py.numpy(v.dtype, -n) : py.int(-n)) : numberResult(-Number(n), true, v);
  if (op === '+') return v;
  if (op === '~' && typeof n === 'bigint') return py.int(~n);
  return pyRaise('TypeError', `bad operand type for unary ${op}: '${typeName(v)}'`);
}

function truthOf(v: Value): boolean {
  if (!isPy(v)) return true;
  if (v.kind === 'none') return false;
  if (v.kind === 'bool') return v.value;
  const n = num(v);
  if (n !== undefined) return Number(n) !== 0;
  if (v.kind === 'str') return v.value.length > 0;
  if (v.kind === 'list' || v.kind === 'tuple' || v.kind === 'set') return v.items.length > 0;
  if (v.kind === 'dict') return v.entries.length > 0;
  return true;
}

/** `format(value, spec)` for the specs flows use in f-strings (`.2f`, `d`, `>5`, `,`); others give undefined. */
export function formatSpec(v: Value, spec: string): string | undefined {
  if (spec === '') return str(v);
  const m = /^([<>^]?)(\d*)(,?)(?:\.(\d+))?([fdseg%]?)$/.exec(spec);
  const n = num(v);
  if (m === null) return undefined;
  const [, align, width, comma, prec, type] = m;
  let s: string;
  if (type === 'f' || type === '%') {
    if (n === undefined) return undefined;
    s = (Number(n) * (type === '%' ? 100 : 1)).toFixed(prec === undefined ? 6 : Number(prec)) + (type === '%' ? '%' : '');
  } else if (type === 'd') {
    if (typeof n !== 'bigint') return undefined;
    s = n.toString();
  } else if (type === 'e' || type === 'g') return undefined;
  else s = prec !== undefined && isPy(v) && v.kind === 'str' ? v.value.slice(0, Number(prec)) : prec !== undefined && n !== undefined ? Number(n).toFixed(Number(prec)) : str(v);
  if (comma) s = s.replace(/^(-?\d+)/, (d) => d.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  const w = Math.min(Number(width || 0), 10_000);
  if (s.length < w) {
    const numeric = n !== undefined && !(isPy(v) && v.kind === 'str');
    const a = align || (numeric ? '>' : '<');
    s = a === '>' ? s.padStart(w) : a === '<' ? s.padEnd(w) : s.padStart(Math.floor((w + s.length) / 2)).padEnd(w);
  }
  return s;
}
