// The classification ORACLE: reference §3.1–§3.3 written down as tables, independently of src/values (no call
// into its classification). What the backend's log must show for one variable, per profile and flags.
import type { GenValue } from './arbitraries/values.ts';

export type Category = 'scalar' | 'dataset' | 'model' | 'generic';
export interface Flags { datasets: boolean; models: boolean; others: boolean }
export type Profile = 'current' | 'legacy';

/** §3.2: which row of the table a value is in (by its class and bases, the way `isinstance` sees them). */
export function category(g: GenValue): Category {
  switch (g.t) {
    // `(dict, list, set, str, int, float, bool)` and their subclasses, numpy.float64 included (a float).
    case 'int': case 'float': case 'str': case 'bool': case 'list': case 'dict': case 'set': return 'scalar';
    case 'np': return g.dtype === 'float64' ? 'scalar' : 'generic';
    case 'DataFrame': case 'Path': case 'PathMissing': return 'dataset';
    case 'module': case 'sklearn': return 'model';
    case 'object':
      if (g.bases.some((b) => b === 'nn.Module' || b === 'BaseEstimator')) return 'model';
      if (g.bases.some((b) => ['dict', 'OrderedDict', 'defaultdict', 'list', 'str', 'int', 'float'].includes(b))) return 'scalar';
      return 'generic';
    // None, tuple, frozenset, bytes, float32/int64/bool_, ndarray, Series, PurePath, functions.
    default: return 'generic';
  }
}

const TYPED_FLAG = { dataset: 'datasets', model: 'models' } as const;

export type TrackExpectation =
  | { kind: 'history'; value: unknown }
  | { kind: 'artifact'; type: 'dataset' | 'model' | 'other' }
  | { kind: 'nothing' }
  | { kind: 'failure'; error: string };

/** §3.1 (current: ordered chain, typed values with their flag off fall through) and §3.3 (legacy: no fall-through). */
export function expectTrack(g: GenValue, flags: Flags, profile: Profile): TrackExpectation {
  const c = category(g);
  if (c === 'dataset' || c === 'model') {
    if (flags[TYPED_FLAG[c]]) return c === 'model' ? pickled(g, 'model') : { kind: 'artifact', type: 'dataset' };
    if (profile === 'legacy') return { kind: 'nothing' };
  }
  if (c === 'scalar') return historyOf(g);
  return flags.others ? pickled(g, 'other') : { kind: 'nothing' };
}

/** wandb_use (§3.1 table 2): scalars never; typed values by their flag; the rest by `others`. */
export function expectUse(g: GenValue, flags: Flags, profile: Profile): boolean {
  const c = category(g);
  if (c === 'scalar') return false;
  if (c === 'dataset' || c === 'model') {
    if (flags[TYPED_FLAG[c]]) return true;
    if (profile === 'legacy') return false;
  }
  return flags.others;
}

/** §3.6: pickling an unpicklable value raises; a local function names itself. */
function pickled(g: GenValue, type: 'model' | 'other'): TrackExpectation {
  if (g.t === 'function') return { kind: 'failure', error: `AttributeError: Can't pickle local object '${g.name}'` };
  if (g.t === 'object' && !g.picklable) return { kind: 'failure', error: `TypeError: cannot pickle '${g.cls}' object` };
  return { kind: 'artifact', type };
}

/** `run.log({name: value})`: the JSON W&B writes, as the log model reads it back; or the encoder's TypeError. */
function historyOf(g: GenValue): TrackExpectation {
  try {
    return { kind: 'history', value: json(g) };
  } catch (err) {
    return { kind: 'failure', error: (err as Error).message };
  }
}

/** Python's json + wandb's json_friendly, for the values the generators make (a set's order is CPython's). */
export function json(g: GenValue): unknown {
  switch (g.t) {
    case 'int': case 'float': case 'str': case 'bool': return g.v;
    case 'none': return null;
    case 'list': case 'tuple': return g.items.map(json);
    case 'dict': return Object.fromEntries(g.entries.map(([k, v]) => [k, json(v)]));
    // Small non-negative ints hash to themselves: CPython iterates such a set in ascending order.
    case 'set': return [...g.items].sort((a, b) => a - b);
    case 'np': return g.v;
    // An instance of a subclass of a builtin, made without arguments: the builtin's empty value.
    case 'object':
      if (g.bases.some((b) => ['dict', 'OrderedDict', 'defaultdict'].includes(b))) return {};
      if (g.bases.includes('list')) return [];
      if (g.bases.includes('str')) return '';
      if (g.bases.includes('int') || g.bases.includes('float')) return 0;
      break;
    case 'sklearn': throw new Error(`TypeError: Object of type ${g.cls} is not JSON serializable`);
    default: break;
  }
  throw new Error(`oracle: no JSON form for ${g.t}`);
}
