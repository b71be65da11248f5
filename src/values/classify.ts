/**
 * What `@wandb_log` does with a value: `wandb_track` for outputs, `wandb_use` for inputs. Pure functions
 * returning the labels the integration's `testing=True` path returns (reference §3.1, §3.3), per profile:
 *
 * - `current` (wandb >= 0.21.1): an ordered `isinstance` chain; a typed value whose flag is off falls through
 *   to the scalar test and then to `others` (pickled as an `other` artifact).
 * - `legacy` (wandb <= 0.21.0): one overload per type, chosen by type alone; the chosen overload's flag
 *   decides and there is no fall-through, so a DataFrame with `datasets=False` yields nothing even with
 *   `others=True`.
 */
import type { PyValue } from './model.ts';
import { T, isSubclass, type PyType } from './types.ts';

export type Profile = 'current' | 'legacy';
export interface Flags {
  readonly datasets?: boolean;
  readonly models?: boolean;
  readonly others?: boolean;
}
/** Which optional libraries are importable; an absent one makes its types never match (§3.4). */
export interface Libraries {
  readonly pandas: boolean;
  readonly torch: boolean;
  readonly sklearn: boolean;
}
export interface ClassifyOptions {
  readonly profile?: Profile;
  readonly libraries?: Partial<Libraries>;
}
export type TrackLabel = 'pd.DataFrame' | 'nn.Module' | 'BaseEstimator' | 'Path' | 'scalar' | 'generic' | null;
export type UseLabel = 'datasets' | 'models' | 'others' | null;

/** `(dict, list, set, str, int, float, bool)`: always logged with `run.log`, never used (flags ignored). */
const SCALAR_TYPES: readonly PyType[] = [T.dict, T.list, T.set, T.str, T.int, T.float, T.bool];

const isa = (v: PyValue, t: PyType) => isSubclass(v.type, t);
const isScalar = (v: PyValue) => SCALAR_TYPES.some((t) => isa(v, t));

function libs(options: ClassifyOptions): Libraries {
  return { pandas: true, torch: true, sklearn: true, ...options.libraries };
}

// --- current: the if-chains of metaflow.py:113-195 -------------------------------------------------------------

function currentTrack(v: PyValue, f: Flags, l: Libraries): TrackLabel {
  if (l.pandas && isa(v, T.DataFrame) && f.datasets) return 'pd.DataFrame';
  if (l.torch && isa(v, T.Module) && f.models) return 'nn.Module';
  if (l.sklearn && isa(v, T.BaseEstimator) && f.models) return 'BaseEstimator';
  if (isa(v, T.Path) && f.datasets) return 'Path';
  if (isScalar(v)) return 'scalar';
  if (f.others) return 'generic';
  return null;
}

function currentUse(v: PyValue, f: Flags, l: Libraries): UseLabel {
  if (isScalar(v)) return null; // checked before flags
  if (l.pandas && isa(v, T.DataFrame) && f.datasets) return 'datasets';
  if (l.torch && isa(v, T.Module) && f.models) return 'models';
  if (l.sklearn && isa(v, T.BaseEstimator) && f.models) return 'models';
  if (isa(v, T.Path) && f.datasets) return 'datasets';
  if (f.others) return 'others';
  return null;
}

// --- legacy: fastcore @typedispatch -----------------------------------------------------------------------------

/**
 * fastcore 1.7.27 `sorted_topologically(d, cmp=lenient_issubclass)`: repeatedly take
 * `reduce(lambda x, y: y if issubclass(y, x) else x)` over the remaining types. Subclasses come before their
 * bases; unrelated types keep their registration order. The type dict is re-sorted after every `add`.
 */
export function fastcoreSort(types: readonly PyType[]): PyType[] {
  const rest = [...types];
  const out: PyType[] = [];
  while (rest.length > 0) {
    let pick = rest[0]!;
    for (const y of rest.slice(1)) if (isSubclass(y, pick)) pick = y;
    out.push(pick);
    rest.splice(rest.indexOf(pick), 1);
  }
  return out;
}

interface Overload<L> { readonly types: readonly PyType[]; readonly result: (f: Flags) => L }

/** A fastcore `_TypeDict` built by adding overloads in source order; lookup = first registered supertype. */
function typedispatch<L>(overloads: readonly Overload<L>[]): (v: PyValue, f: Flags) => L {
  let order: PyType[] = [];
  const byType = new Map<PyType, Overload<L>>();
  for (const o of overloads) {
    for (const t of o.types) {
      if (!byType.has(t)) order.push(t);
      byType.set(t, o);
    }
    order = fastcoreSort(order);
  }
  return (v, f) => {
    const match = order.find((t) => isSubclass(v.type, t))!;
    return byType.get(match)!.result(f);
  };
}

/*
 * Registration order of the legacy overloads. We take the order of the current if-chain (DataFrame, nn.Module,
 * BaseEstimator, Path, scalars, object), which PR #10202 says it transcribed "in place". Ties only matter for a
 * class inheriting from two unrelated tracked types, e.g. `class X(nn.Module, BaseEstimator)`: fastcore picks
 * the type registered first (nn.Module), whatever X's own MRO says. (plum, used from 0.19.9 to 0.21.0, raised
 * AmbiguousLookupError there instead; we reproduce fastcore, the longer-lived behaviour.)
 */
function legacyTables(l: Libraries) {
  const typed = <L>(t: PyType, present: boolean, r: (f: Flags) => L): Overload<L>[] => (present ? [{ types: [t], result: r }] : []);
  const track = typedispatch<TrackLabel>([
    ...typed(T.DataFrame, l.pandas, (f) => (f.datasets ? 'pd.DataFrame' : null)),
    ...typed(T.Module, l.torch, (f) => (f.models ? 'nn.Module' : null)),
    ...typed(T.BaseEstimator, l.sklearn, (f) => (f.models ? 'BaseEstimator' : null)),
    ...typed(T.Path, true, (f) => (f.datasets ? 'Path' : null)),
    { types: SCALAR_TYPES, result: () => 'scalar' },
    { types: [T.object], result: (f) => (f.others ? 'generic' : null) },
  ]);
  const innerUse = typedispatch<UseLabel>([
    ...typed(T.DataFrame, l.pandas, (f) => (f.datasets ? 'datasets' : null)),
    ...typed(T.Module, l.torch, (f) => (f.models ? 'models' : null)),
    ...typed(T.BaseEstimator, l.sklearn, (f) => (f.models ? 'models' : null)),
    ...typed(T.Path, true, (f) => (f.datasets ? 'datasets' : null)),
    { types: [T.object], result: (f) => (f.others ? 'others' : null) },
  ]);
  // wandb_use: a scalar overload that does nothing, and a base overload delegating to _wandb_use.
  const outerUse = typedispatch<'skip' | 'delegate'>([
    { types: SCALAR_TYPES, result: () => 'skip' },
    { types: [T.object], result: () => 'delegate' },
  ]);
  return {
    track,
    use: (v: PyValue, f: Flags): UseLabel => (outerUse(v, f) === 'skip' ? null : innerUse(v, f)),
  };
}

const legacyCache = new Map<string, ReturnType<typeof legacyTables>>();
function legacy(l: Libraries) {
  const key = `${l.pandas}${l.torch}${l.sklearn}`;
  let t = legacyCache.get(key);
  if (t === undefined) legacyCache.set(key, (t = legacyTables(l)));
  return t;
}

export function classifyTrack(value: PyValue, flags: Flags = {}, options: ClassifyOptions = {}): TrackLabel {
  const l = libs(options);
  return (options.profile ?? 'current') === 'current' ? currentTrack(value, flags, l) : legacy(l).track(value, flags);
}

export function classifyUse(value: PyValue, flags: Flags = {}, options: ClassifyOptions = {}): UseLabel {
  const l = libs(options);
  return (options.profile ?? 'current') === 'current' ? currentUse(value, flags, l) : legacy(l).use(value, flags);
}

export interface TrackDescription {
  /** W&B artifact type, or null when the value goes to `run.log` (scalar) or nowhere. */
  readonly artifactType: 'dataset' | 'model' | 'other' | null;
  /** The fixed termlog label (HEAD); null where the integration prints `str(type(data))`. */
  readonly termlogLabel: string | null;
}

export function describeTrack(label: TrackLabel): TrackDescription {
  switch (label) {
    case 'pd.DataFrame': return { artifactType: 'dataset', termlogLabel: 'Pandas DataFrame' };
    case 'nn.Module': return { artifactType: 'model', termlogLabel: 'PyTorch nn.Module' };
    case 'BaseEstimator': return { artifactType: 'model', termlogLabel: 'sklearn BaseEstimator' };
    case 'Path': return { artifactType: 'dataset', termlogLabel: null };
    case 'generic': return { artifactType: 'other', termlogLabel: null };
    default: return { artifactType: null, termlogLabel: null };
  }
}
