/**
 * Item access on interpreter values: `x[k]`, `x[k] = v`, `del x[k]`, slices. Pure operations on values (no
 * run context), so both reading (evaluate) and assignment targets (targets) build on them without importing
 * each other.
 */
import { flow, values } from '../../src/index.ts';
import type { Expr } from './ast.ts';
import { box, CardRef, InputRef, InputsRef, isPy, isSlice, LibRef, num, Opaque, py, typeName, unbox, type PyValue, type Value } from './interp-values.ts';

const { pyRaise } = flow;

function index(n: bigint | number | undefined, length: number, what: string): number {
  if (typeof n !== 'bigint') return pyRaise('TypeError', `${what} indices must be integers or slices, not float`);
  const i = Number(n) < 0 ? Number(n) + length : Number(n);
  if (i < 0 || i >= length) pyRaise('IndexError', `${what} index out of range`);
  return i;
}

function sliceOf<T>(items: readonly T[], s: values.PyObject): T[] {
  const get = (k: string) => {
    const v = s.state.find(([n]) => n === k)![1];
    return v.kind === 'none' ? undefined : Number(num(v));
  };
  const step = get('step') ?? 1;
  const len = items.length;
  const norm = (x: number | undefined, d: number) => (x === undefined ? d : x < 0 ? Math.max(x + len, step > 0 ? 0 : -1) : Math.min(x, step > 0 ? len : len - 1));
  const start = norm(get('start'), step > 0 ? 0 : len - 1);
  const stop = norm(get('stop'), step > 0 ? len : -1);
  const out: T[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(items[i]!);
  return out;
}

export function getItem(obj: Value, key: Value, e: Expr): Value {
  return unbox(item(obj, key, e));
}

function item(obj: Value, key: Value, e: Expr): Value {
  if (obj instanceof CardRef) return obj;
  if (obj instanceof InputsRef) return new InputRef(obj.inputs.at(Number(num(key) ?? 0)));
  if (obj instanceof LibRef) return new Opaque(e.text, e.pos, null, `indexes ${obj.path}, which no value model holds`);
  if (obj instanceof Opaque || key instanceof Opaque) {
    const t = obj instanceof Opaque ? obj.type : isPy(obj) && obj.kind === 'dataframe' ? 'DataFrame' : null;
    // A frame indexed by a list of columns or by a mask (a boolean Series or array) is a frame; by one label, a column.
    const rows = (isPy(key) && key.kind === 'list') || (key instanceof Opaque && (key.type === 'Series' || key.type === 'ndarray' || key.type === 'DataFrame'));
    const type = t === 'DataFrame' ? (rows ? 'DataFrame' : 'Series') : null;
    return new Opaque(e.text, e.pos, type, obj instanceof Opaque ? obj.why : 'is indexed by an unknown key');
  }
  if (!isPy(obj) || !isPy(key)) return pyRaise('TypeError', `'${typeName(obj)}' object is not subscriptable`);
  switch (obj.kind) {
    case 'list': case 'tuple': {
      if (isSlice(key)) return obj.kind === 'list' ? py.list(sliceOf(obj.items, key)) : py.tuple(sliceOf(obj.items, key));
      return obj.items[index(num(key), obj.items.length, obj.kind)]!;
    }
    case 'str':
      if (isSlice(key)) return py.str(sliceOf([...obj.value], key).join(''));
      return py.str([...obj.value][index(num(key), [...obj.value].length, 'string')]!);
    case 'dict': {
      const hit = obj.entries.find(([k]) => values.pyEquals(k, key));
      if (hit === undefined) return pyRaise('KeyError', flow.pyRepr(key));
      return hit[1];
    }
    case 'dataframe': {
      if (key.kind === 'str') {
        const at = obj.columns.indexOf(key.value);
        if (at < 0) return pyRaise('KeyError', `'${key.value}'`);
        return py.series(obj.rows.map((r) => r[at]!), key.value);
      }
      if (key.kind === 'list') {
        const cols = key.items.map((k) => (k.kind === 'str' ? k.value : ''));
        const at = cols.map((c) => obj.columns.indexOf(c));
        if (at.some((i) => i < 0)) return pyRaise('KeyError', `"None of [Index(${flow.pyRepr(key)}, dtype='object')] are in the [columns]"`);
        return py.dataframe(cols, obj.rows.map((r) => at.map((i) => r[i]!)));
      }
      if (isSlice(key)) return py.dataframe(obj.columns, sliceOf(obj.rows, key));
      return new Opaque(e.text, e.pos, null, 'indexes a DataFrame in a way the value model does not compute');
    }
    case 'series':
      if (isSlice(key)) return py.series(sliceOf(obj.items, key), obj.name);
      return obj.items[index(num(key), obj.items.length, 'series')]!;
    case 'ndarray': {
      const [rows = 0, ...rest] = obj.shape;
      if (isSlice(key) || obj.shape.length === 0) return new Opaque(e.text, e.pos, 'ndarray', 'slices an array');
      const i = index(num(key), rows, 'array');
      const width = rest.reduce((a, b) => a * b, 1);
      const data = obj.data.slice(i * width, (i + 1) * width);
      return rest.length > 0 ? py.ndarray(obj.dtype, rest, data) : py.numpy(obj.dtype === 'bool' ? 'bool_' : obj.dtype, data[0]!);
    }
  }
  return pyRaise('TypeError', `'${obj.type.name}' object is not subscriptable`);
}

export function setItem(obj: Value, key: Value, value: Value): void {
  if (obj instanceof Opaque) return;
  const v = isPy(obj) && obj.kind !== 'dataframe' ? (box(value) ?? value) : value;
  if (!isPy(obj) || !isPy(key) || !isPy(v)) {
    if (isPy(obj) && obj.kind === 'dataframe') return; // an unknown column value: the frame's new column is not modelled
    return;
  }
  switch (obj.kind) {
    case 'list': {
      (obj.items as PyValue[])[index(num(key), obj.items.length, 'list assignment')] = v;
      return;
    }
    case 'dict': {
      const at = obj.entries.findIndex(([k]) => values.pyEquals(k, key));
      if (at >= 0) obj.entries[at] = [obj.entries[at]![0], v];
      else obj.entries.push([key, v]);
      return;
    }
    case 'dataframe': {
      if (key.kind !== 'str') return;
      const cols = obj.columns as string[];
      const rows = obj.rows as PyValue[][];
      const column = v.kind === 'list' || v.kind === 'series' ? v.items : rows.map(() => v);
      if (column.length !== rows.length) pyRaise('ValueError', `Length of values (${column.length}) does not match length of index (${rows.length})`);
      const at = cols.indexOf(key.value);
      if (at >= 0) rows.forEach((r, i) => (r[at] = column[i]!));
      else {
        cols.push(key.value);
        rows.forEach((r, i) => r.push(column[i]!));
      }
      return;
    }
    case 'ndarray':
      return;
  }
  pyRaise('TypeError', `'${obj.type.name}' object does not support item assignment`);
}

export function delItem(obj: Value, key: Value): void {
  if (!isPy(obj) || !isPy(key)) return;
  if (obj.kind === 'list') {
    obj.items.splice(index(num(key), obj.items.length, 'list assignment'), 1);
    return;
  }
  if (obj.kind === 'dict') {
    const at = obj.entries.findIndex(([k]) => values.pyEquals(k, key));
    if (at < 0) pyRaise('KeyError', flow.pyRepr(key));
    obj.entries.splice(at, 1);
    return;
  }
  pyRaise('TypeError', `'${obj.type.name}' object doesn't support item deletion`);
}
