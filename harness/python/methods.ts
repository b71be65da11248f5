/**
 * Attributes and methods of values: the everyday ones of list, dict, str, DataFrame, ndarray, Path and
 * estimators. A method that changes its receiver changes it in place (the same PyValue), as in Python.
 */
import { flow, values } from '../../src/index.ts';
import type { Expr } from './ast.ts';
import type { Args } from './host.ts';
import type { Interpreter } from './interpreter.ts';
import { box, BoundMethod, CONFIG_VALUE, isPy, iterate, num, Opaque, py, str, unbox, type OpaqueType, type PyValue, type Value } from './interp-values.ts';
import { unknown } from './unknowns.ts';
import { traceMutation } from './targets.ts';
import { NUMPY_CALLS } from './libraries/numpy.ts';

const { pyRaise } = flow;

const DATAFRAME_RETURNING = new Set(['head', 'tail', 'copy', 'dropna', 'fillna', 'drop', 'reset_index', 'sort_values', 'rename', 'astype', 'assign', 'merge', 'join', 'query', 'sample', 'drop_duplicates', 'set_index', 'apply', 'groupby', 'agg', 'describe', 'select_dtypes']);
const ESTIMATOR_RESULT: Record<string, OpaqueType> = { predict: 'ndarray', predict_proba: 'ndarray', transform: 'ndarray', fit_transform: 'ndarray', score: 'float', decision_function: 'ndarray' };

const DICT_METHODS = new Set(['keys', 'values', 'items', 'get', 'copy', 'pop', 'popitem', 'update', 'setdefault', 'clear', 'to_dict']);

export function valueAttr(it: Interpreter, v: PyValue, name: string, e: Expr): Value {
  switch (v.kind) {
    case 'dict':
      // ConfigValue.__getattr__ runs only when no method has the name: `cfg.lr` is cfg["lr"].
      if (v.type === CONFIG_VALUE && !DICT_METHODS.has(name)) {
        const hit = v.entries.find(([k]) => k.kind === 'str' && k.value === name);
        if (hit === undefined) return pyRaise('AttributeError', `'ConfigValue' object has no attribute '${name}'`);
        return unbox(hit[1]);
      }
      break;
    case 'dataframe':
      if (name === 'columns') return py.list(v.columns.map((c) => py.str(c)));
      if (name === 'shape') return py.tuple([py.int(v.rows.length), py.int(v.columns.length)]);
      if (name === 'empty') return py.bool(v.rows.length === 0 || v.columns.length === 0);
      if (name === 'values') return unknown(it, e, 'ndarray', 'is a DataFrame as an array, which the value model does not convert');
      if (v.columns.includes(name)) return py.series(v.rows.map((r) => r[v.columns.indexOf(name)]!), name);
      break;
    case 'ndarray':
      if (name === 'shape') return py.tuple(v.shape.map((n) => py.int(n)));
      if (name === 'ndim') return py.int(v.shape.length);
      if (name === 'size') return py.int(v.data.length);
      break;
    case 'series':
      if (name === 'shape') return py.tuple([py.int(v.items.length)]);
      if (name === 'name') return v.name === undefined ? py.None : py.str(v.name);
      if (name === 'values') return unknown(it, e, 'ndarray', 'is a Series as an array, which the value model does not convert');
      break;
    case 'path': {
      const parts = v.path.split('/').filter((p) => p !== '');
      const base = parts.at(-1) ?? '';
      const dot = base.lastIndexOf('.');
      if (name === 'name') return py.str(base);
      if (name === 'suffix') return py.str(dot > 0 ? base.slice(dot) : '');
      if (name === 'stem') return py.str(dot > 0 ? base.slice(0, dot) : base);
      if (name === 'parent') return { ...v, path: parts.length > 1 ? `${v.path.startsWith('/') ? '/' : ''}${parts.slice(0, -1).join('/')}` : v.path.startsWith('/') ? '/' : '.' };
      if (name === 'parts') return py.tuple(parts.map((p) => py.str(p)));
      break;
    }
    case 'object':
      if (values.isinstance(v, values.T.BaseEstimator) && name.endsWith('_') && !name.startsWith('_')) {
        return unknown(it, e, name === 'n_features_in_' ? 'int' : 'ndarray', 'is a fitted attribute, which depends on the training data');
      }
      break;
  }
  return new BoundMethod(v, name);
}

const arg = (a: Args, i: number, name: string): Value | undefined => a.positional[i] ?? a.keywords.get(name);

/** What a query method returns, by the receiver's type: known even when the receiver or an argument is not. */
const RESULT_TYPE: Partial<Record<string, Record<string, OpaqueType>>> = {
  str: {
    lower: 'str', upper: 'str', strip: 'str', lstrip: 'str', rstrip: 'str', replace: 'str', format: 'str', title: 'str',
    capitalize: 'str', join: 'str', zfill: 'str', casefold: 'str', removeprefix: 'str', removesuffix: 'str', center: 'str',
    split: 'list', rsplit: 'list', splitlines: 'list', startswith: 'bool', endswith: 'bool', isdigit: 'bool',
    isalpha: 'bool', isalnum: 'bool', isnumeric: 'bool', isspace: 'bool', islower: 'bool', isupper: 'bool',
    find: 'int', rfind: 'int', index: 'int', rindex: 'int', count: 'int',
  },
  list: { index: 'int', count: 'int', copy: 'list' },
  tuple: { index: 'int', count: 'int' },
  dict: { copy: 'dict' },
};
const receiverType = (v: Value): string | undefined =>
  v instanceof Opaque ? (v.type ?? undefined) : isPy(v) ? (v.kind === 'str' || v.kind === 'list' || v.kind === 'tuple' || v.kind === 'dict' ? v.kind : undefined) : undefined;

export async function callMethod(it: Interpreter, obj: Value, name: string, args: Args, e: Expr): Promise<Value> {
  const receiver = e.k === 'call' && e.fn.k === 'attr' ? e.fn.obj : null;
  if (obj instanceof Opaque) {
    if (obj.type === 'DataFrame' && DATAFRAME_RETURNING.has(name)) return new Opaque(e.text, e.pos, 'DataFrame', obj.why);
    if (obj.type === 'estimator' && name in ESTIMATOR_RESULT) return new Opaque(e.text, e.pos, ESTIMATOR_RESULT[name]!, obj.why);
    if (obj.type === 'estimator' && name === 'fit') return obj;
    const known = RESULT_TYPE[receiverType(obj) ?? '']?.[name];
    return new Opaque(e.text, e.pos, known ?? null, obj.why);
  }
  // A query on a known value with an unknown argument (`names.index(x)`): its result is unknown, its type is not.
  const query = RESULT_TYPE[receiverType(obj) ?? '']?.[name];
  if (query !== undefined && [...args.positional, ...args.keywords.values()].some((a) => a instanceof Opaque)) {
    return new Opaque(e.text, e.pos, query, 'depends on an unknown argument');
  }
  if (!isPy(obj)) return pyRaise('AttributeError', `object has no attribute '${name}'`);
  const a0 = arg(args, 0, '');
  const mutated = () => receiver !== null && traceMutation(it, receiver);
  switch (obj.kind) {
    case 'list': {
      const items = obj.items;
      switch (name) {
        case 'append': {
          const b = box(a0!);
          if (b === undefined) return unknownItem(it, e);
          items.push(b);
          mutated();
          return py.None;
        }
        case 'extend': {
          const xs = iterate(a0!);
          if (xs === undefined || !xs.every(isPy)) return unknownItem(it, e);
          items.push(...(xs as PyValue[]));
          mutated();
          return py.None;
        }
        case 'insert':
          if (!isPy(args.positional[1]!)) return unknownItem(it, e);
          items.splice(Number(num(a0!)), 0, args.positional[1] as PyValue);
          mutated();
          return py.None;
        case 'pop': {
          if (items.length === 0) pyRaise('IndexError', 'pop from empty list');
          const i = a0 === undefined ? items.length - 1 : Number(num(a0));
          mutated();
          return items.splice(i < 0 ? i + items.length : i, 1)[0]!;
        }
        case 'index': {
          const i = items.findIndex((x) => isPy(a0!) && values.pyEquals(x, a0));
          return i < 0 ? pyRaise('ValueError', `${str(a0!)} is not in list`) : py.int(i);
        }
        case 'count': return py.int(items.filter((x) => isPy(a0!) && values.pyEquals(x, a0)).length);
        case 'copy': return py.list([...items]);
        case 'clear': items.splice(0); mutated(); return py.None;
        case 'reverse': items.reverse(); mutated(); return py.None;
        case 'sort': {
          const { sortValues } = await import('./libraries/builtins.ts');
          const sorted = await sortValues(it, items, args, e);
          if (sorted === undefined) return unknownItem(it, e);
          items.splice(0, items.length, ...sorted);
          mutated();
          return py.None;
        }
      }
      break;
    }
    case 'dict': {
      const find = (k: Value) => obj.entries.findIndex(([x]) => isPy(k) && values.pyEquals(x, k));
      switch (name) {
        case 'get': {
          const i = find(a0!);
          return i >= 0 ? unbox(obj.entries[i]![1]) : (args.positional[1] ?? py.None);
        }
        case 'keys': return py.list(obj.entries.map(([k]) => k));
        case 'values': return py.list(obj.entries.map(([, v]) => v));
        case 'items': return py.list(obj.entries.map(([k, v]) => py.tuple([k, v])));
        case 'update': {
          const src = a0 !== undefined && isPy(a0) && a0.kind === 'dict' ? a0.entries : [];
          const more: [PyValue, PyValue][] = [...src, ...[...args.keywords].filter(([, v]) => isPy(v)).map(([k, v]) => [py.str(k), v as PyValue] as [PyValue, PyValue])];
          for (const [k, v] of more) {
            const i = find(k);
            if (i >= 0) obj.entries[i] = [obj.entries[i]![0], v];
            else obj.entries.push([k, v]);
          }
          mutated();
          return py.None;
        }
        case 'setdefault': {
          const i = find(a0!);
          if (i >= 0) return obj.entries[i]![1];
          const d = (args.positional[1] ?? py.None) as PyValue;
          obj.entries.push([a0 as PyValue, d]);
          mutated();
          return d;
        }
        case 'pop': {
          const i = find(a0!);
          if (i < 0) return args.positional[1] ?? pyRaise('KeyError', str(a0!));
          mutated();
          return obj.entries.splice(i, 1)[0]![1];
        }
        case 'copy': return py.dict([...obj.entries]);
      }
      break;
    }
    case 'set':
      if (name === 'add' && isPy(a0!)) {
        if (!obj.items.some((x) => values.pyEquals(x, a0))) (obj.items as PyValue[]).push(a0);
        mutated();
        return py.None;
      }
      break;
    case 'str': {
      const s = obj.value;
      const sarg = (v: Value | undefined) => (v !== undefined && isPy(v) && v.kind === 'str' ? v.value : undefined);
      switch (name) {
        // Case conversions build new objects in CPython 3.11, even of one character (checked with python3); a strip
        // is a substring (one character: the cached singleton), or the str itself when it removes nothing.
        case 'upper': return py.freshStr(s.toUpperCase());
        case 'lower': return py.freshStr(s.toLowerCase());
        case 'strip': return s.trim() === s ? obj : py.str(s.trim());
        case 'lstrip': return s.trimStart() === s ? obj : py.str(s.trimStart());
        case 'rstrip': return s.trimEnd() === s ? obj : py.str(s.trimEnd());
        case 'title': return py.str(s.replace(/\w\S*/g, (w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()));
        case 'startswith': return py.bool(s.startsWith(sarg(a0) ?? '\u0000'));
        case 'endswith': return py.bool(s.endsWith(sarg(a0) ?? '\u0000'));
        case 'replace': return py.str(s.split(sarg(a0) ?? '').join(sarg(args.positional[1]) ?? ''));
        case 'split': {
          const sep = sarg(a0);
          return py.list((sep === undefined ? s.trim().split(/\s+/).filter((x) => x !== '') : s.split(sep)).map((x) => py.str(x)));
        }
        case 'join': {
          const xs = iterate(a0!);
          if (xs === undefined || !xs.every((x) => isPy(x) && x.kind === 'str')) return new Opaque(e.text, e.pos, 'str', 'joins unknown values');
          return py.str(xs.map((x) => (x as values.PyStr).value).join(s));
        }
        case 'format': {
          let i = 0;
          const out = s.replace(/\{([^{}]*)\}/g, (_m, k: string) => {
            const v = k === '' ? args.positional[i++] : /^\d+$/.test(k) ? args.positional[Number(k)] : args.keywords.get(k);
            return v === undefined ? '' : str(v);
          });
          return py.str(out);
        }
      }
      break;
    }
    case 'dataframe':
      if (name === 'copy') return py.dataframe([...obj.columns], obj.rows.map((r) => [...r]));
      if (name === 'head' || name === 'tail') {
        const n = Number(num(a0 ?? py.int(5)) ?? 5);
        return py.dataframe(obj.columns, name === 'head' ? obj.rows.slice(0, n) : obj.rows.slice(-n));
      }
      if (name === 'drop') {
        const cols = arg(args, 0, 'columns');
        const drop = new Set((cols !== undefined && isPy(cols) ? (cols.kind === 'list' ? cols.items : [cols]) : []).map((c) => str(c)));
        const keep = obj.columns.map((c, i) => [c, i] as const).filter(([c]) => !drop.has(c));
        return py.dataframe(keep.map(([c]) => c), obj.rows.map((r) => keep.map(([, i]) => r[i]!)));
      }
      if (DATAFRAME_RETURNING.has(name)) return unknown(it, e, 'DataFrame', `calls DataFrame.${name}, which the value model does not compute`);
      if (name === 'to_csv' || name === 'to_parquet') return py.None;
      break;
    case 'numpy-scalar':
      if (name === 'item') return typeof obj.value === 'bigint' ? py.int(obj.value) : typeof obj.value === 'boolean' ? py.bool(obj.value) : py.float(obj.value);
      break;
    case 'ndarray':
      if (name === 'tolist') return flow.pyFromJs(JSON.parse(JSON.stringify(obj.data, (_k, x) => (typeof x === 'bigint' ? Number(x) : x))));
      if (['mean', 'std', 'sum', 'var', 'median'].includes(name)) return await NUMPY_CALLS[`numpy.${name}`]!(it, { positional: [obj], keywords: args.keywords }, e, `numpy.${name}`);
      if (name === 'max' || name === 'min') return unknown(it, e, obj.dtype === 'int64' ? 'int' : 'float', `is ndarray.${name}(), which the value model does not compute`);
      break;
    case 'path':
      if (name === 'exists' || name === 'is_file' || name === 'is_dir') return unknown(it, e, 'bool', 'asks the filesystem, which the plan never touches');
      if (name === 'mkdir' || name === 'touch' || name === 'write_text' || name === 'write_bytes' || name === 'unlink') return py.None;
      if (name === 'read_text') return unknown(it, e, 'str', 'reads a file');
      if (name === 'resolve' || name === 'absolute' || name === 'expanduser') return obj;
      if (name === 'joinpath') return { ...obj, path: [obj.path, ...args.positional.map(str)].join('/') };
      break;
    case 'object':
      if (values.isinstance(obj, values.T.BaseEstimator)) {
        if (name === 'fit') {
          // A pickled estimator here is its constructor parameters: fitting changes what the value model does
          // not hold (learned state), so the object stays as it is — but it is changed in place.
          mutated();
          return obj;
        }
        if (name === 'get_params') return py.dict(obj.state.map(([k, v]) => [py.str(k), v]));
        if (name === 'set_params') {
          for (const [k, v] of args.keywords) if (isPy(v)) (obj.state as [string, PyValue][]).push([k, v]);
          mutated();
          return obj;
        }
        if (name in ESTIMATOR_RESULT) return unknown(it, e, ESTIMATOR_RESULT[name]!, `is ${obj.type.name}.${name}(), which depends on the learned model`);
      }
      if (values.isinstance(obj, values.T.Module)) {
        if (['eval', 'train', 'to', 'cpu', 'cuda', 'float', 'double'].includes(name)) return obj;
        if (name === 'load_state_dict' || name === 'zero_grad') return py.None;
        if (name === 'parameters' || name === 'state_dict' || name === 'named_parameters') return unknown(it, e, null, `is nn.Module.${name}(), tensors the value model does not hold`);
      }
      break;
  }
  return unknown(it, e, null, `calls ${obj.type.name}.${name}, which the value model does not have`);
}

function unknownItem(it: Interpreter, e: Expr): Value {
  it.ctx.sink.report('UNSUPPORTED', e.pos, `\`${e.text}\` puts a value that is not data into a container: the container is left unchanged.`, { step: it.ctx.step });
  return py.None;
}
