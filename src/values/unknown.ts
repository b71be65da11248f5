/**
 * Unknown values: what a plan of a user's flow.py holds where it cannot know a value (a call into a library
 * nobody modelled, a file it never reads, a name imported from the user's own module). An unknown is never
 * given a stand-in (`""`, `0`, `[]`) that could be mistaken for data: it is a value of its own, whose type is
 * the one thing known about it (a class with the real type's MRO, so `@wandb_log` classifies it exactly as the
 * real value), and which says what it is wherever it is logged:
 * - as JSON (history, summary, config) it is `{"$unknown": "<type>", "at": "<line:col>"}`;
 * - in an artifact its file's bytes are not predicted (see `containsUnknown`, used by artifact-files).
 * The marker lives in the type's module, so it survives the copies tasks make of their artifacts.
 */
import type { PyObject, PyValue } from './model.ts';
import { T, defineClass, type PyType } from './types.ts';
import { pyHash } from './pyhash.ts';

/** The types an unknown value can be known to have; `object` when nothing is known. */
export type UnknownKind =
  | 'str' | 'int' | 'float' | 'bool' | 'list' | 'dict' | 'tuple' | 'set'
  | 'DataFrame' | 'Series' | 'ndarray' | 'Module' | 'estimator' | 'Path' | 'object';

const MODULE = 'tracked_flows.unknown';

const BASES: Record<UnknownKind, readonly PyType[]> = {
  str: [T.str], int: [T.int], float: [T.float], bool: [T.bool], list: [T.list], dict: [T.dict], tuple: [T.tuple], set: [T.set],
  DataFrame: [T.DataFrame], Series: [T.Series], ndarray: [T.ndarray], Module: [T.Module], estimator: [T.BaseEstimator],
  Path: [T.Path], object: [],
};

const TYPES = new Map<UnknownKind, PyType>(
  (Object.keys(BASES) as UnknownKind[]).map((k) => [k, defineClass(k, BASES[k], { module: MODULE })]),
);

/** Where an unknown was made and from what source text. */
export interface UnknownOrigin {
  readonly kind: UnknownKind;
  /** `line:col` of the expression that made it in the flow file (also the key that pins it in flow.values.yaml). */
  readonly at: string;
  /** The expression's source text, on one line. */
  readonly expression: string;
}

export function unknownValue(kind: UnknownKind, at: string, expression: string): PyObject {
  const str = (s: string): PyValue => ({ kind: 'str', type: T.str, value: s });
  return { kind: 'object', type: TYPES.get(kind)!, state: [['at', str(at)], ['expression', str(expression)]] };
}

export function isUnknown(v: PyValue): boolean {
  return v.type.module === MODULE;
}

/**
 * A path whose text is known and whose file is not (`Path("data.csv")` in a plan, which reads no disk): a Path
 * value (its text, `/` and `str()` work) of the unknown Path type. Paths are immutable and never copied, so where
 * it was made is kept beside it.
 */
export function unknownPath(path: string, at: string): PyValue {
  const v: PyValue = { kind: 'path', type: TYPES.get('Path')!, path };
  pathOrigins.set(v, at);
  return v;
}
const pathOrigins = new WeakMap<PyValue, string>();

/** What an unknown value is, or undefined for a known one. */
export function unknownOrigin(v: PyValue): UnknownOrigin | undefined {
  if (!isUnknown(v)) return undefined;
  if (v.kind === 'path') return { kind: 'Path', at: pathOrigins.get(v) ?? '', expression: v.path };
  if (v.kind !== 'object') return undefined;
  const field = (name: string) => {
    const f = v.state.find(([k]) => k === name)?.[1];
    return f?.kind === 'str' ? f.value : '';
  };
  return { kind: v.type.name as UnknownKind, at: field('at'), expression: field('expression') };
}

/** The first unknown inside a value (itself, an item, a dict key or value, an object's state), if any. */
export function containsUnknown(v: PyValue): UnknownOrigin | undefined {
  return unknownsIn(v, 1)[0];
}

/** Every unknown inside a value, in order, at most `limit` (each value visited once: containers may share items). */
export function unknownsIn(v: PyValue, limit = Infinity): UnknownOrigin[] {
  const out: UnknownOrigin[] = [];
  const seen = new Set<PyValue>();
  const visit = (x: PyValue): void => {
    if (out.length >= limit || seen.has(x)) return;
    seen.add(x);
    const own = unknownOrigin(x);
    if (own !== undefined) {
      out.push(own);
      return;
    }
    switch (x.kind) {
      case 'list': case 'tuple': case 'set': case 'series': x.items.forEach(visit); return;
      case 'dict': x.entries.flat().forEach(visit); return;
      case 'dataframe': x.rows.flat().forEach(visit); return;
      case 'object': x.state.forEach(([, y]) => visit(y)); return;
      default:
    }
  };
  visit(v);
  return out;
}

/** How an unknown is written where W&B receives JSON (a history cell, a summary or config value). */
export function unknownJson(u: UnknownOrigin): { readonly $unknown: string; readonly at: string } {
  return { $unknown: u.kind, at: u.at };
}

/**
 * Hash-ordered iteration of str and bytes: CPython salts their hashes per process (PYTHONHASHSEED), so the order
 * in which a set of them iterates changes from run to run. Sets of hash-stable values (ints, floats, tuples of
 * them) keep CPython's exact order; these do not: their order is unknown.
 */
export function hashOrderUnknown(items: readonly PyValue[]): boolean {
  return items.length > 1 && items.some((x) => pyHash(x) === undefined && !isUnknown(x));
}

const UNORDERED_LIST = defineClass('list', [T.list], { module: 'tracked_flows.unordered' });

/** A list built from a set of str (`list({"b", "a"})`): its items are known, their order is not. */
export function unorderedList(items: PyValue[]): PyValue {
  return { kind: 'list', type: UNORDERED_LIST, items };
}

export const isUnorderedList = (v: PyValue): boolean => v.kind === 'list' && v.type === UNORDERED_LIST;
