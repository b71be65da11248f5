/** Python's builtins as value models: len range sum min max sorted zip enumerate dict list set tuple str ... */
import { flow, values } from '../../../src/index.ts';
import type { Expr } from '../ast.ts';
import type { Args, Host } from '../host.ts';
import {
  boxAll, Builtin, ExceptionClass, InputsRef, isPy, iterate, num, Opaque, py, repr, str, truth, unbox, UserClass, type PyValue, type Value,
} from '../interp-values.ts';
import { binop, MAX_ITEMS } from '../ops.ts';
import { isInstanceOf } from './index.ts';

const { pyRaise } = flow;

const EXCEPTIONS: Record<string, string[]> = {
  BaseException: [], Exception: ['BaseException'], ValueError: ['Exception'], TypeError: ['Exception'], KeyError: ['LookupError'],
  IndexError: ['LookupError'], LookupError: ['Exception'], RuntimeError: ['Exception'], AttributeError: ['Exception'],
  ZeroDivisionError: ['ArithmeticError'], ArithmeticError: ['Exception'], AssertionError: ['Exception'], NameError: ['Exception'],
  FileNotFoundError: ['OSError'], OSError: ['Exception'], IOError: ['Exception'], NotImplementedError: ['RuntimeError'],
  StopIteration: ['Exception'], ImportError: ['Exception'], ModuleNotFoundError: ['ImportError'], RecursionError: ['RuntimeError'],
};

const FUNCTIONS = new Set([
  'len', 'range', 'sum', 'min', 'max', 'sorted', 'zip', 'enumerate', 'dict', 'list', 'set', 'tuple', 'str', 'int', 'float',
  'bool', 'isinstance', 'print', 'abs', 'round', 'repr', 'any', 'all', 'reversed', 'open', 'hasattr', 'getattr', 'type', 'frozenset', 'super', 'eval',
  'map', 'filter', 'setattr', 'iter', 'next', 'divmod', 'pow', 'chr', 'ord', 'hash', 'id', 'callable', 'vars', 'format',
  // The rest of CPython 3.11's builtin functions: a name Python knows is never a NameError in the plan; a call of
  // one the plan does not model is an unknown value (with OPAQUE_VALUE), as for any unmodelled call.
  'aiter', 'anext', 'ascii', 'bin', 'breakpoint', 'bytearray', 'bytes', 'compile', 'complex', 'delattr', 'dir', 'exec',
  'globals', 'help', 'hex', 'input', 'issubclass', 'locals', 'memoryview', 'oct', 'slice',
]);

export function lookupBuiltin(name: string): Value | undefined {
  if (name in EXCEPTIONS) return new ExceptionClass(name, EXCEPTIONS[name]);
  if (FUNCTIONS.has(name)) return new Builtin(name);
  return undefined;
}

/** `except T` catches an exception of type `raised` (by name, through the builtin hierarchy or the file's classes). */
export function exceptionMatches(raised: string, t: ExceptionClass | UserClass): boolean {
  const want = t instanceof ExceptionClass ? t.name : t.def.name;
  for (let cur: string | undefined = raised; cur !== undefined; cur = EXCEPTIONS[cur]?.[0]) if (cur === want) return true;
  return want === 'Exception' || want === 'BaseException';
}

export async function sortValues(host: Host, items: readonly Value[], args: Args, e: Expr): Promise<PyValue[] | undefined> {
  if (!items.every(isPy) || items.some((x) => unbox(x) instanceof Opaque)) return undefined; // unknown order
  const key = args.keywords.get('key');
  const reverse = args.keywords.get('reverse');
  const keyed: [PyValue, PyValue][] = [];
  for (const x of items as PyValue[]) {
    const k = key === undefined || (isPy(key) && key.kind === 'none') ? x : await host.call(key, { positional: [x], keywords: new Map() }, e);
    if (!isPy(k)) return undefined;
    keyed.push([k, x]);
  }
  keyed.sort(([a], [b]) => (values.pyEquals(a, b) ? 0 : (binop('<', a, b, e.pos, e.text) as values.PyBool).value ? -1 : 1));
  const out = keyed.map(([, x]) => x);
  return reverse !== undefined && isPy(reverse) && reverse.kind === 'bool' && reverse.value ? out.reverse() : out;
}

function toInt(v: Value, e: Expr, host: Host): Value {
  if (v instanceof Opaque) return new Opaque(e.text, e.pos, 'int', v.why);
  if (!isPy(v)) return pyRaise('TypeError', 'int() argument must be a string or a number');
  if (v.kind === 'str') {
    if (!/^\s*[-+]?\d+\s*$/.test(v.value.replace(/_/g, ''))) pyRaise('ValueError', `invalid literal for int() with base 10: ${repr(v)}`);
    return py.int(v.value.trim().replace(/_/g, ''));
  }
  const n = num(v);
  if (n === undefined) return host.unknown(e, 'int', 'converts a value the model cannot convert');
  return py.int(typeof n === 'bigint' ? n : BigInt(Math.trunc(n)));
}

export async function callBuiltin(host: Host, name: string, args: Args, e: Expr): Promise<Value> {
  const [a, b] = args.positional;
  const items = (v: Value | undefined): Value[] | undefined => (v === undefined ? [] : iterate(v));
  switch (name) {
    case 'print': return py.None;
    case 'len': {
      if (a instanceof InputsRef) return pyRaise('TypeError', "object of type 'Inputs' has no len()");
      if (a instanceof Opaque) return new Opaque(e.text, e.pos, 'int', a.why);
      if (!isPy(a!)) return pyRaise('TypeError', 'object has no len()');
      switch (a.kind) {
        case 'str': return py.int([...a.value].length);
        case 'list': case 'tuple': case 'set': case 'series': return py.int(a.items.length);
        case 'dict': return py.int(a.entries.length);
        case 'bytes': return py.int(a.value.length);
        case 'dataframe': return py.int(a.rows.length);
        case 'ndarray': return py.int(a.shape[0] ?? 0);
      }
      return pyRaise('TypeError', `object of type '${a.type.name}' has no len()`);
    }
    case 'range': {
      const ns = args.positional.map((x) => num(x));
      if (ns.some((n) => typeof n !== 'bigint')) return host.unknown(e, 'list', 'is a range over unknown bounds');
      const [start, stop, step] = ns.length === 1 ? [0n, ns[0] as bigint, 1n] : [ns[0] as bigint, ns[1] as bigint, (ns[2] as bigint | undefined) ?? 1n];
      if (step === 0n) pyRaise('ValueError', 'range() arg 3 must not be zero');
      const out: PyValue[] = [];
      for (let i = start; step > 0n ? i < stop : i > stop; i += step) {
        out.push(py.int(i));
        if (out.length > MAX_ITEMS) return host.unknown(e, 'list', `is a range of more than ${MAX_ITEMS} items, too large to model`);
      }
      return py.list(out);
    }
    case 'list': case 'tuple': case 'set': case 'frozenset': case 'sorted': case 'reversed': {
      const raw = items(a);
      const ps = raw === undefined ? undefined : boxAll(raw);
      if (ps === undefined) return new Opaque(e.text, e.pos, name === 'list' || name === 'sorted' ? 'list' : null, 'is built from an unknown value');
      if (name === 'sorted') {
        const s = await sortValues(host, ps, args, e);
        return s === undefined ? new Opaque(e.text, e.pos, 'list', 'sorts by an unknown key') : py.list(s);
      }
      // A set of str/bytes iterates in the order CPython draws per process: a list or tuple of it has that order.
      if ((name === 'list' || name === 'tuple' || name === 'reversed') && a !== undefined && isPy(a) && a.kind === 'set' && values.hashOrderUnknown(a.items)) {
        host.report('UNKNOWN_ORDER', e.pos, `\`${e.text.split('\n')[0]}\` lists a set of str or bytes: their order changes with every process (PYTHONHASHSEED), so it is logged with its order unknown ($unordered). sorted() gives a certain order.`, { step: host.step });
        return values.unorderedList(ps);
      }
      return name === 'list' ? py.list(ps) : name === 'tuple' ? py.tuple(ps) : name === 'set' ? py.set(ps) : name === 'frozenset' ? py.frozenset(ps) : py.list([...ps].reverse());
    }
    case 'dict': {
      const entries: [PyValue, PyValue][] = [];
      if (a !== undefined) {
        if (isPy(a) && a.kind === 'dict') entries.push(...a.entries);
        else {
          const xs = iterate(a);
          if (xs === undefined) return new Opaque(e.text, e.pos, 'dict', 'is built from an unknown value');
          for (const x of xs) {
            const kv = iterate(x);
            if (kv === undefined || kv.length !== 2 || !kv.every(isPy)) return new Opaque(e.text, e.pos, 'dict', 'is built from an unknown value');
            entries.push([kv[0] as PyValue, kv[1] as PyValue]);
          }
        }
      }
      for (const [k, v] of args.keywords) if (isPy(v)) entries.push([py.str(k), v]);
      return py.dict(entries);
    }
    case 'zip': {
      const lists = args.positional.map((x) => {
        const xs = iterate(x);
        return xs === undefined ? undefined : boxAll(xs);
      });
      if (lists.some((l) => l === undefined)) return new Opaque(e.text, e.pos, 'list', 'zips unknown values');
      const n = Math.min(...lists.map((l) => l!.length));
      return py.list(Array.from({ length: n }, (_, i) => py.tuple(lists.map((l) => l![i]!))));
    }
    case 'enumerate': {
      const raw = items(a);
      const xs = raw === undefined ? undefined : boxAll(raw);
      if (xs === undefined) return new Opaque(e.text, e.pos, 'list', 'enumerates an unknown value');
      const start = Number(num(b ?? args.keywords.get('start') ?? py.int(0)) ?? 0);
      return py.list(xs.map((x, i) => py.tuple([py.int(start + i), x])));
    }
    case 'sum': case 'min': case 'max': case 'any': case 'all': {
      const xs = args.positional.length > 1 ? args.positional : items(a);
      if (xs === undefined) return new Opaque(e.text, e.pos, name === 'any' || name === 'all' ? 'bool' : null, 'aggregates an unknown value');
      if (name === 'any' || name === 'all') {
        const ts = xs.map(truth);
        if (ts.some((t) => t === undefined)) return new Opaque(e.text, e.pos, 'bool', 'aggregates an unknown value');
        return py.bool(name === 'any' ? ts.some(Boolean) : ts.every(Boolean));
      }
      if (name === 'sum') {
        let acc: Value = b ?? args.keywords.get('start') ?? py.int(0);
        for (const x of xs) acc = binop('+', acc, x, e.pos, e.text);
        return acc;
      }
      if (xs.length === 0) return args.keywords.get('default') ?? pyRaise('ValueError', `${name}() arg is an empty sequence`);
      const s = await sortValues(host, xs, { positional: [], keywords: new Map(args.keywords.has('key') ? [['key', args.keywords.get('key')!]] : []) }, e);
      if (s === undefined) return new Opaque(e.text, e.pos, null, 'compares unknown values');
      return name === 'min' ? s[0]! : s.at(-1)!;
    }
    case 'abs': {
      const n = num(a!);
      if (n === undefined) return new Opaque(e.text, e.pos, null, 'is abs() of an unknown value');
      return typeof n === 'bigint' && isPy(a!) && a.kind !== 'float' ? py.int(n < 0n ? -n : n) : py.float(Math.abs(Number(n)));
    }
    case 'round': {
      const n = num(a!);
      if (n === undefined) return new Opaque(e.text, e.pos, b === undefined ? 'int' : 'float', 'rounds an unknown value');
      if (b === undefined) return py.int(BigInt(roundHalfEven(Number(n))));
      const d = Number(num(b) ?? 0);
      return py.float(Number(Number(n).toFixed(d)));
    }
    case 'str':
      // The text of a container holding an unknown is unknown: never the repr of a stand-in.
      if (a !== undefined && isPy(a) && values.containsUnknown(a) !== undefined) return new Opaque(e.text, e.pos, 'str', 'is the text of a value holding an unknown');
      if (a !== undefined && isPy(a) && a.type.name === 'MetaflowExceptionWrapper') return new Opaque(e.text, e.pos, 'str', "is a caught exception's str(), its stack trace (traceback.format_exc() of the real run)");
      // str() of a str is that object; of anything else a new one, even of one character (CPython 3.11).
      if (a !== undefined && isPy(a) && a.kind === 'str' && a.type === values.T.str) return a;
      return a === undefined ? py.str('') : a instanceof Opaque ? new Opaque(e.text, e.pos, 'str', a.why) : py.freshStr(str(a));
    case 'repr':
      if (a !== undefined && isPy(a) && values.containsUnknown(a) !== undefined) return new Opaque(e.text, e.pos, 'str', 'is the text of a value holding an unknown');
      return a instanceof Opaque ? new Opaque(e.text, e.pos, 'str', a.why) : py.freshStr(repr(a!));
    case 'int': return a === undefined ? py.int(0) : toInt(a, e, host);
    case 'float': {
      if (a === undefined) return py.float(0);
      if (a instanceof Opaque) return new Opaque(e.text, e.pos, 'float', a.why);
      if (isPy(a) && a.kind === 'str') {
        const t = a.value.trim().toLowerCase();
        const f = t === 'nan' ? NaN : t === 'inf' || t === 'infinity' ? Infinity : t === '-inf' ? -Infinity : Number(t);
        if (Number.isNaN(f) && t !== 'nan') pyRaise('ValueError', `could not convert string to float: ${repr(a)}`);
        return py.float(f);
      }
      const n = num(a);
      return n === undefined ? pyRaise('TypeError', 'float() argument must be a string or a real number') : py.float(Number(n));
    }
    case 'bool': {
      const t = a === undefined ? false : truth(a);
      return t === undefined ? new Opaque(e.text, e.pos, 'bool', 'is the truth of an unknown value') : py.bool(t);
    }
    case 'isinstance': {
      if (a instanceof Opaque) return new Opaque(e.text, e.pos, 'bool', a.why);
      const r = isInstanceOf(a!, b!);
      return r === undefined ? host.unknown(e, 'bool', 'checks against a class the value model does not know') : py.bool(r);
    }
    // The bases the value model has (nn.Module, BaseEstimator) hold no state of their own: their __init__ is a no-op.
    case 'super': return new Opaque(e.text, e.pos, null, 'is super()');
    case 'eval': {
      // Only the form flows use to pick a class by name (`eval(name)(...)`): a dotted name, looked up.
      const src = a !== undefined && isPy(a) && a.kind === 'str' ? a.value.trim() : undefined;
      if (src !== undefined && /^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)*$/.test(src)) {
        const [head, ...rest] = src.split('.');
        let v: Value | undefined = host.lookup(head!) ?? lookupBuiltin(head!);
        if (v !== undefined) {
          for (const part of rest) v = await host.getAttr(v!, part, e);
          return v!;
        }
      }
      return host.unknown(e, null, 'evaluates code the plan does not read');
    }
    case 'open': return host.unknown(e, null, 'opens a file, which the plan never touches');
    case 'map': case 'filter': {
      // A map/filter object is consumed once by what takes it (list, sum, a loop): its items as a tuple, as a generator.
      const lists = args.positional.slice(1).map((x) => iterate(x));
      if (a === undefined || lists.length === 0 || lists.some((l) => l === undefined)) return new Opaque(e.text, e.pos, null, `${name}s an unknown value`);
      const n = Math.min(...lists.map((l) => l!.length));
      const out: Value[] = [];
      for (let i = 0; i < n; i++) {
        const xs = lists.map((l) => l![i]!);
        if (name === 'map') out.push(await host.call(a, { positional: xs, keywords: new Map() }, e));
        else {
          const keep = isPy(a) && a.kind === 'none' ? truth(xs[0]!) : truth(await host.call(a, { positional: xs, keywords: new Map() }, e));
          if (keep === undefined) return new Opaque(e.text, e.pos, null, 'filters by an unknown condition');
          if (keep) out.push(xs[0]!);
        }
      }
      const ps = boxAll(out);
      return ps === undefined ? new Opaque(e.text, e.pos, null, `${name}s to unknown values`) : py.tuple(ps);
    }
    case 'hasattr': case 'getattr': case 'setattr': {
      return await host.attributeBuiltin(name, args, e);
    }
    case 'iter': return a ?? py.None;
    case 'callable': return a instanceof Opaque ? new Opaque(e.text, e.pos, 'bool', a.why) : py.bool(!isPy(a!) || a.kind === 'function');
    case 'chr': case 'format': return new Opaque(e.text, e.pos, 'str', `is ${name}(), which the plan does not compute`);
    case 'ord': case 'hash': case 'id': return new Opaque(e.text, e.pos, 'int', `is ${name}(), which the plan does not compute`);
    case 'type':
      return host.unknown(e, null, `calls ${name}(), which the plan does not model`);
  }
  return host.unknown(e, null, `calls ${name}(), which the plan does not model`);
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
