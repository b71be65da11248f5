/**
 * pandas 1.5.3's pickles of a `Series` and a `DataFrame` as the constructor lays them out
 * (`pd.Series(list, name=...)`, `pd.DataFrame({column: list})`): a default `RangeIndex`, and for a frame one
 * block per dtype (runs of equal dtypes; if a dtype comes back after another, every block is sorted by dtype name
 * and merged, as `_consolidate_inplace` does).
 *
 * - `Series`: `copyreg.__newobj__` + the `__getstate__` dict (`_mgr`, `_typ`, `_metadata`, `attrs`, `_flags`,
 *   `name`); its `SingleBlockManager` pickles through `__getstate__`: `(axes, [values], [items], {"0.14.1": ...})`.
 * - `DataFrame`: the same dict; its `BlockManager.__reduce__` is `(BlockManager, (blocks, axes))` and each block
 *   `(_unpickle_block, (values, placement, 2))`.
 * - `RangeIndex`/`Index`: `(_new_Index, (cls, {...}))`; an object array's data is the list of its items.
 *
 * Identifiers written by pandas' code (dict keys, `'series'`, `'0.14.1'`) are interned constants: one object each,
 * written once and then referenced, which `saveInterned` models.
 */
import type { PyDataFrame, PySeries, PyValue } from '../model.ts';
import { py } from '../model.ts';
import { T } from '../types.ts';
import { normaliseElement, writeElement, type NdarrayDtype } from '../numpy-dtypes.ts';
import { OP } from './opcodes.ts';
import type { Pickler } from './pickler.ts';
import { saveDtype, saveRawBytes } from './numpy.ts';

type ColumnDtype = Extract<NdarrayDtype, 'int64' | 'float64' | 'bool'> | 'object';
interface Column { dtype: ColumnDtype; items: readonly PyValue[] }

/** The reason given for a frame whose layout is written as the constructor's though it was derived otherwise. */
export const DERIVED_LAYOUT = 'its memory layout (index, blocks) depends on how it was derived, written as the constructor lays it out';

/** Why a value's pickle is not the real one, or undefined when it is. */
export function pandasNotPredicted(v: PyDataFrame | PySeries): string | undefined {
  if (v.type !== (v.kind === 'dataframe' ? T.DataFrame : T.Series)) return 'a stand-in for a value the plan does not hold';
  if (v.kind === 'dataframe' && v.columns.length === 0) return 'a frame without columns has an object Index, not modelled';
  if (v.kind === 'series' && v.items.length === 0) return 'an empty Series pickles an Int64Index, not modelled';
  const columns = v.kind === 'series' ? [v.items] : v.columns.map((_, j) => v.rows.map((r) => r[j]!));
  for (const items of columns) if (inferDtype(items) === undefined) return 'a column holds values whose dtype is not modelled';
  return v.pandasLayout === 'constructed' ? undefined : DERIVED_LAYOUT;
}

/** pandas' dtype for a list of Python values; undefined where it is none of int64/float64/bool/object. */
function inferDtype(items: readonly PyValue[]): ColumnDtype | undefined {
  if (items.length === 0) return 'float64';
  const kinds = new Set(items.map((x) => x.kind));
  for (const x of items) {
    if (x.kind === 'int' && x.type === T.int && (x.value < -(2n ** 63n) || x.value >= 2n ** 63n)) return undefined;
    if (!['none', 'bool', 'int', 'float', 'str'].includes(x.kind) || (x.type !== T[x.kind as 'int'] && x.kind !== 'none')) {
      return undefined;
    }
  }
  const hasNone = kinds.delete('none');
  if (kinds.size === 0) return 'object';
  if ([...kinds].every((k) => k === 'int')) return hasNone ? 'float64' : 'int64';
  if ([...kinds].every((k) => k === 'int' || k === 'float')) return 'float64';
  if (kinds.size === 1 && kinds.has('bool') && !hasNone) return 'bool';
  return 'object';
}

function column(items: readonly PyValue[]): Column {
  return { dtype: inferDtype(items) ?? 'object', items };
}

/** The element of a numeric column (None is NaN in a float column). */
function element(x: PyValue): number | bigint | boolean {
  if (x.kind === 'none') return NaN;
  return (x as Extract<PyValue, { kind: 'int' | 'float' | 'bool' }>).value;
}

// --- small writers, each one `save` call of CPython's pickler -----------------------------------------------

function global(p: Pickler, module: string, name: string): void {
  p.out.boundary();
  p.saveGlobal({ module, name });
}

function constant(p: Pickler, s: string): void {
  p.out.boundary();
  p.saveInterned(s, 'attr');
}

/**
 * A column or Series name. Flows write them as str literals, which CPython interns when they are made of name
 * characters: one object with every equal literal and with pandas' own identifiers (`'values'`, `'name'`).
 */
function label(p: Pickler, s: string): void {
  if (/^[A-Za-z0-9_]+$/.test(s)) constant(p, s);
  else value(p, py.str(s));
}

function value(p: Pickler, v: PyValue): void {
  p.save(v);
}

type Write = () => void;

function dict(p: Pickler, entries: readonly [string, Write][]): void {
  p.out.boundary();
  p.out.byte(OP.EMPTY_DICT);
  p.memoize({});
  if (entries.length === 1) {
    constant(p, entries[0]![0]);
    entries[0]![1]();
    p.out.byte(OP.SETITEM);
  } else if (entries.length > 1) {
    p.out.byte(OP.MARK);
    for (const [k, w] of entries) {
      constant(p, k);
      w();
    }
    p.out.byte(OP.SETITEMS);
  }
}

function list(p: Pickler, items: readonly Write[], identity: object | string = {}): void {
  p.out.boundary();
  const seen = p.lookup(identity);
  if (seen !== undefined) {
    p.get(seen);
    return;
  }
  p.out.byte(OP.EMPTY_LIST);
  p.memoize(identity);
  if (items.length === 1) {
    items[0]!();
    p.out.byte(OP.APPEND);
  } else if (items.length > 1) {
    // Batches of 1000, as batch_list_exact writes them.
    for (let i = 0; i < items.length; i += 1000) {
      const batch = items.slice(i, i + 1000);
      if (batch.length === 1) {
        batch[0]!();
        p.out.byte(OP.APPEND);
      } else {
        p.out.byte(OP.MARK);
        for (const w of batch) w();
        p.out.byte(OP.APPENDS);
      }
    }
  }
}

function tuple(p: Pickler, items: readonly Write[]): void {
  p.out.boundary();
  if (items.length === 0) {
    p.out.byte(OP.EMPTY_TUPLE);
    return;
  }
  if (items.length > 3) p.out.byte(OP.MARK);
  for (const w of items) w();
  p.out.byte(items.length > 3 ? OP.TUPLE : [OP.TUPLE1, OP.TUPLE2, OP.TUPLE3][items.length - 1]!);
  p.memoize({});
}

/** A second reference to an object written before (pandas' state names the same list and array twice). */
function ref(p: Pickler, identity: object): void {
  p.out.boundary();
  p.get(p.lookup(identity)!);
}

function reduce(p: Pickler, callable: [string, string], args: readonly Write[], identity: object = {}): void {
  p.out.boundary();
  global(p, callable[0], callable[1]);
  tuple(p, args);
  p.out.byte(OP.REDUCE);
  p.memoize(identity);
}

// --- numpy arrays of a column or a block --------------------------------------------------------------------

/** `_reconstruct` of a C-ordered array of shape `shape` holding `columns` one after another. */
function array(
  p: Pickler, dtype: ColumnDtype, shape: readonly number[], columns: readonly Column[], identity: object,
  objects: readonly Write[] = columns.flatMap((c) => c.items.map((x) => () => value(p, x))),
): void {
  reduce(p, ['numpy.core.multiarray', '_reconstruct'], [
    () => global(p, 'numpy', 'ndarray'),
    () => value(p, py.tuple([py.int(0)])),
    () => saveRawBytes(p, Uint8Array.of(0x62)),
  ], identity);
  p.out.boundary();
  p.out.byte(OP.MARK);
  value(p, py.int(1));
  value(p, py.tuple(shape.map((n) => py.int(n))));
  if (dtype === 'object') objectDtype(p);
  else saveDtype(p, dtype);
  value(p, py.bool(false));
  const items = columns.flatMap((c) => c.items);
  if (dtype === 'object') list(p, objects);
  else {
    const size = dtype === 'bool' ? 1 : 8;
    const data = new Uint8Array(items.length * size);
    const view = new DataView(data.buffer);
    items.forEach((x, i) => writeElement(view, i * size, dtype, normaliseElement(dtype, element(x))));
    saveRawBytes(p, data);
  }
  p.out.byte(OP.TUPLE);
  p.memoize({});
  p.out.byte(OP.BUILD);
}

/** `dtype('O')`: `('O8', False, True)` and flags 63 (NPY_OBJECT_DTYPE_FLAGS). */
function objectDtype(p: Pickler): void {
  p.out.boundary();
  const key = 'np.dtype:O8';
  const seen = p.lookup(key);
  if (seen !== undefined) {
    p.get(seen);
    return;
  }
  global(p, 'numpy', 'dtype');
  value(p, py.tuple([py.str('O8'), py.bool(false), py.bool(true)]));
  p.out.byte(OP.REDUCE);
  p.memoize(key);
  value(p, py.tuple([py.int(3), py.str('|'), py.None, py.None, py.None, py.int(-1), py.int(-1), py.int(63)]));
  p.out.byte(OP.BUILD);
}

function rangeIndex(p: Pickler, n: number): void {
  reduce(p, ['pandas.core.indexes.base', '_new_Index'], [
    () => global(p, 'pandas.core.indexes.range', 'RangeIndex'),
    () => dict(p, [['name', () => value(p, py.None)], ['start', () => value(p, py.int(0))], ['stop', () => value(p, py.int(n))], ['step', () => value(p, py.int(1))]]),
  ]);
}

function columnsIndex(p: Pickler, names: readonly string[]): void {
  reduce(p, ['pandas.core.indexes.base', '_new_Index'], [
    () => global(p, 'pandas.core.indexes.base', 'Index'),
    () => dict(p, [
      ['data', () => array(p, 'object', [names.length], [], {}, names.map((s) => () => label(p, s)))],
      ['name', () => value(p, py.None)],
    ]),
  ]);
}

/** `BlockPlacement.indexer`: a slice for an arithmetic progression with a positive step, else an intp array. */
function placement(p: Pickler, locs: readonly number[]): void {
  const d = locs.length > 1 ? locs[1]! - locs[0]! : 1;
  const regular = locs.length > 0 && d > 0 && locs.every((x, i) => i === 0 || x - locs[i - 1]! === d);
  if (regular) {
    reduce(p, ['builtins', 'slice'], [
      () => value(p, py.int(locs[0]!)), () => value(p, py.int(locs[0]! + locs.length * d)), () => value(p, py.int(d)),
    ]);
    return;
  }
  p.save(py.ndarray('int64', [locs.length], locs.map((x) => BigInt(x))));
}

/** The frame's blocks: `[dtype, column positions]`, as the constructor and `_consolidate_inplace` leave them. */
function blocks(columns: readonly Column[]): [ColumnDtype, number[]][] {
  const runs: [ColumnDtype, number[]][] = [];
  columns.forEach((c, j) => {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[0] === c.dtype) last[1].push(j);
    else runs.push([c.dtype, [j]]);
  });
  const dtypes = runs.map(([d]) => d);
  if (new Set(dtypes).size === dtypes.length) return runs;
  // Sorted by dtype.name ('bool' < 'float64' < 'int64' < 'object'), stable, then merged.
  const merged = new Map<ColumnDtype, number[]>();
  for (const [d, locs] of [...runs].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    merged.set(d, [...(merged.get(d) ?? []), ...locs]);
  }
  return [...merged].map(([d, locs]) => [d, locs.sort((a, b) => a - b)]);
}

/** The state entries every NDFrame shares after `_mgr`. */
function frameState(p: Pickler, typ: string, metadata: readonly string[]): [string, Write][] {
  return [
    ['_typ', () => constant(p, typ)],
    // `_metadata` is a class attribute: one list for every Series (every DataFrame) in the pickle.
    ['_metadata', () => list(p, metadata.map((m) => () => constant(p, m)), `pd._metadata:${typ}`)],
    ['attrs', () => dict(p, [])],
    ['_flags', () => dict(p, [['allows_duplicate_labels', () => value(p, py.bool(true))]])],
  ];
}

export function saveSeries(p: Pickler, v: PySeries): void {
  global(p, 'pandas.core.series', 'Series');
  p.out.byte(OP.EMPTY_TUPLE);
  p.out.byte(OP.NEWOBJ);
  p.memoize(v);
  const n = v.items.length;
  const col = column(v.items);
  const axes = {};
  const values = {};
  const manager: Write = () => {
    global(p, 'pandas.core.internals.managers', 'SingleBlockManager');
    p.out.byte(OP.EMPTY_TUPLE);
    p.out.byte(OP.NEWOBJ);
    p.memoize({});
    tuple(p, [
      () => list(p, [() => rangeIndex(p, n)], axes),
      () => list(p, [() => array(p, col.dtype, [n], [col], values)]),
      () => list(p, [() => rangeIndex(p, n)]),
      () => dict(p, [['0.14.1', () => dict(p, [
        ['axes', () => ref(p, axes)],
        ['blocks', () => list(p, [() => dict(p, [
          ['values', () => ref(p, values)],
          ['mgr_locs', () => reduce(p, ['builtins', 'slice'], [() => value(p, py.int(0)), () => value(p, py.int(n)), () => value(p, py.int(1))])],
        ])])],
      ])]]),
    ]);
    p.out.byte(OP.BUILD);
  };
  dict(p, [
    ['_mgr', manager],
    ...frameState(p, 'series', ['name']),
    ['name', () => (v.name === undefined ? value(p, py.None) : label(p, v.name))],
  ]);
  p.out.byte(OP.BUILD);
}

export function saveDataFrame(p: Pickler, v: PyDataFrame): void {
  global(p, 'pandas.core.frame', 'DataFrame');
  p.out.byte(OP.EMPTY_TUPLE);
  p.out.byte(OP.NEWOBJ);
  p.memoize(v);
  const columns = v.columns.map((_, j) => column(v.rows.map((r) => r[j]!)));
  const manager: Write = () => reduce(p, ['pandas.core.internals.managers', 'BlockManager'], [
    () => tuple(p, blocks(columns).map(([dtype, locs]) => () => reduce(p, ['pandas._libs.internals', '_unpickle_block'], [
      () => array(p, dtype, [locs.length, v.rows.length], locs.map((j) => columns[j]!), {}),
      () => placement(p, locs),
      () => value(p, py.int(2)),
    ]))),
    () => list(p, [() => columnsIndex(p, v.columns), () => rangeIndex(p, v.rows.length)]),
  ]);
  dict(p, [['_mgr', manager], ...frameState(p, 'dataframe', [])]);
  p.out.byte(OP.BUILD);
}

