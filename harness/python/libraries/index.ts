/**
 * The library value models, by qualified name (`pandas.DataFrame`, `sklearn.metrics.accuracy_score`): what
 * `import pandas as pd; pd.DataFrame(...)` resolves to. A name no model knows is an unknown value with an
 * OPAQUE_VALUE diagnostic, never a guess.
 */
import { values } from '../../../src/index.ts';
import type { Expr } from '../ast.ts';
import type { Args, Host } from '../host.ts';
import { Builtin, isPy, LibRef, Opaque, py, UserClass, type Value } from '../interp-values.ts';
import { MISC_ATTRS, MISC_CALLS } from './misc.ts';
import { NUMPY_CALLS } from './numpy.ts';
import { PANDAS_CALLS } from './pandas.ts';
import { SKLEARN_CALLS, sklearnCall } from './sklearn.ts';
import { TORCH_CALLS, torchCall } from './torch.ts';

/** A model of a library function or class, registered below by its qualified name. */
export type LibraryCall = (host: Host, args: Args, e: Expr, path: string) => Value | Promise<Value>;
/** A model of a library attribute (`os.environ`, `math.pi`). */
export type LibraryAttr = (host: Host, e: Expr) => Value;

const CALLS: Record<string, LibraryCall> = { ...PANDAS_CALLS, ...NUMPY_CALLS, ...TORCH_CALLS, ...SKLEARN_CALLS, ...MISC_CALLS };

/** Calls that change nothing that is logged. */
const NO_OPS = /^(logging|warnings)\.|^(random\.seed|torch\.manual_seed|torch\.cuda\.manual_seed(_all)?|numpy\.random\.seed|torch\.save|time\.sleep|os\.makedirs|os\.mkdir|torch\.set_num_threads|torch\.use_deterministic_algorithms)$/;

/** Classes the value model has types for (isinstance, user-class bases). */
const TYPES: Record<string, values.PyType> = {
  'pandas.DataFrame': values.T.DataFrame, 'pandas.Series': values.T.Series, 'numpy.ndarray': values.T.ndarray,
  'torch.nn.Module': values.T.Module, 'sklearn.base.BaseEstimator': values.T.BaseEstimator, 'pathlib.Path': values.T.Path,
  'pathlib.PurePath': values.T.PurePath, 'numpy.float64': values.T.float64, 'numpy.int64': values.T.int64,
  'collections.OrderedDict': values.T.OrderedDict, 'collections.defaultdict': values.T.defaultdict,
};
const BUILTIN_TYPES: Record<string, values.PyType> = {
  int: values.T.int, float: values.T.float, str: values.T.str, bool: values.T.bool, list: values.T.list, dict: values.T.dict,
  tuple: values.T.tuple, set: values.T.set, frozenset: values.T.frozenset,
};

export function typeOfClass(cls: Value): values.PyType | undefined {
  if (cls instanceof LibRef) return TYPES[cls.path];
  if (cls instanceof Builtin) return BUILTIN_TYPES[cls.name];
  if (cls instanceof UserClass) return cls.type;
  return undefined;
}

export function isInstanceOf(v: Value, cls: Value): boolean | undefined {
  if (isPy(cls) && cls.kind === 'tuple') {
    const rs = cls.items.map((c) => isInstanceOf(v, c));
    return rs.some((r) => r === true) ? true : rs.some((r) => r === undefined) ? undefined : false;
  }
  const t = typeOfClass(cls);
  if (t === undefined || !isPy(v)) return undefined;
  return values.isinstance(v, t);
}

export async function callLibrary(host: Host, path: string, args: Args, e: Expr): Promise<Value> {
  const f = CALLS[path];
  if (f !== undefined) return await f(host, args, e, path);
  // Card components (Markdown, Table, Image, ...) only ever go to current.card, and figures (matplotlib, often
  // unpacked: `fig, ax = plt.subplots()`) to a card or a file: unknown objects, with nothing to say about them.
  if (path.startsWith('metaflow.cards.')) return new Opaque(e.text, e.pos, null, 'is a card component');
  if (path.startsWith('matplotlib.')) return new Opaque(e.text, e.pos, null, 'is a matplotlib object');
  if (NO_OPS.test(path)) return py.None;
  const viaSklearn = path.startsWith('sklearn.') ? sklearnCall(host, path, args, e) : undefined;
  if (viaSklearn !== undefined) return viaSklearn;
  const viaTorch = path.startsWith('torch.') ? torchCall(host, path, args, e) : undefined;
  if (viaTorch !== undefined) return viaTorch;
  return host.unknown(e, null, `calls ${path}, which the plan does not model`);
}

export async function libraryAttr(host: Host, path: string, name: string, e: Expr): Promise<Value> {
  const full = `${path}.${name}`;
  const a = MISC_ATTRS[full];
  if (a !== undefined) return a(host, e);
  return new LibRef(full);
}
