/**
 * Python classes as data: name, module, bases and the MRO computed by C3 linearisation, exactly as CPython
 * orders it. `isinstance` is a walk over the MRO, which is all the integration's dispatch ever asks.
 *
 * Types are compared by their full name (`module.qualname`), so two registries that both define
 * `__main__.Net` agree, as two Python processes would.
 */
import { ValuesError } from './errors.ts';

export interface PyType {
  /** `builtins`, `numpy`, `pandas.core.frame`, `pathlib`, `__main__`, ... */
  readonly module: string;
  /** `__qualname__`, e.g. `DataFrame`, `Net`. */
  readonly name: string;
  readonly bases: readonly PyType[];
  /** The type itself first, `object` last. */
  readonly mro: readonly PyType[];
  /** False for types whose instances `pickle` refuses (functions defined locally, open handles, ...). */
  readonly picklable: boolean;
}

export interface ClassOptions {
  module?: string;
  picklable?: boolean;
}

/** `pandas.core.frame.DataFrame`, but `int` for builtins, as `typing`/pickle spell it. */
export function fullName(t: PyType): string {
  return t.module === 'builtins' ? t.name : `${t.module}.${t.name}`;
}

/** `str(type(x))`: `<class 'pathlib.PosixPath'>`, `<class 'int'>`. The integration prints this in termlogs. */
export function typeRepr(t: PyType): string {
  return `<class '${fullName(t)}'>`;
}

function sameType(a: PyType, b: PyType): boolean {
  return a === b || (a.name === b.name && a.module === b.module);
}

/**
 * C3 linearisation (Python 2.3+ MRO). Throws Python's own TypeError text when no consistent order exists.
 */
function linearise(name: string, bases: readonly PyType[]): PyType[] {
  const sequences: PyType[][] = [...bases.map((b) => [...b.mro]), [...bases]].filter((s) => s.length > 0);
  const result: PyType[] = [];
  while (sequences.some((s) => s.length > 0)) {
    let head: PyType | undefined;
    for (const seq of sequences) {
      if (seq.length === 0) continue;
      const candidate = seq[0]!;
      const inSomeTail = sequences.some((s) => s.slice(1).some((t) => sameType(t, candidate)));
      if (!inSomeTail) {
        head = candidate;
        break;
      }
    }
    if (head === undefined) {
      // CPython names the heads of the lists still to merge, first seen first (typeobject.c set_mro_error).
      const heads: string[] = [];
      for (const seq of sequences) if (seq.length > 0 && !heads.includes(seq[0]!.name)) heads.push(seq[0]!.name);
      const names = heads.join(', ');
      throw new ValuesError(
        'mro-conflict',
        `Failed to define class "${name}": TypeError: Cannot create a consistent method resolution\norder (MRO) for bases ${names}. Reorder or remove the bases so that every class comes before its own bases.`,
      );
    }
    result.push(head);
    for (const seq of sequences) {
      if (seq.length > 0 && sameType(seq[0]!, head)) seq.shift();
    }
  }
  return result;
}

export function defineClass(name: string, bases: readonly PyType[], options: ClassOptions = {}): PyType {
  const effectiveBases = bases.length > 0 || (name === 'object' && options.module === 'builtins') ? bases : [OBJECT];
  const partial = {
    module: options.module ?? '__main__',
    name,
    bases: effectiveBases,
    picklable: options.picklable ?? true,
    mro: [] as PyType[],
  };
  const t: PyType = partial;
  partial.mro = [t, ...linearise(name, effectiveBases)];
  return t;
}

export function isSubclass(t: PyType, of: PyType): boolean {
  return t.mro.some((m) => sameType(m, of));
}

// --- the registry of known classes -------------------------------------------------------------------------

const OBJECT: PyType = (() => {
  const o = { module: 'builtins', name: 'object', bases: [] as PyType[], mro: [] as PyType[], picklable: true };
  o.mro = [o];
  return o;
})();

const b = (name: string, bases: PyType[] = [], picklable = true) =>
  defineClass(name, bases, { module: 'builtins', picklable });

const int = b('int');
const float = b('float');
const complex = b('complex');
const str = b('str');
const dict = b('dict');
const enumT = defineClass('Enum', [], { module: 'enum' });
const numpyGeneric = defineClass('generic', [], { module: 'numpy' });
const numpyNumber = defineClass('number', [numpyGeneric], { module: 'numpy' });
const numpyInexact = defineClass('inexact', [numpyNumber], { module: 'numpy' });
const numpyFloating = defineClass('floating', [numpyInexact], { module: 'numpy' });
const numpyInteger = defineClass('integer', [numpyNumber], { module: 'numpy' });
const numpySigned = defineClass('signedinteger', [numpyInteger], { module: 'numpy' });
const numpyUnsigned = defineClass('unsignedinteger', [numpyInteger], { module: 'numpy' });
const numpyComplex = defineClass('complexfloating', [numpyInexact], { module: 'numpy' });
const ndframe = defineClass('NDFrame', [], { module: 'pandas.core.generic' });
const purePath = defineClass('PurePath', [], { module: 'pathlib' });
const purePosixPath = defineClass('PurePosixPath', [purePath], { module: 'pathlib' });
const path = defineClass('Path', [purePath], { module: 'pathlib' });
const date = defineClass('date', [], { module: 'datetime' });

/** The classes the integration's dispatch and the scenario tags name. */
export const T = {
  object: OBJECT,
  int,
  bool: b('bool', [int]),
  float,
  complex,
  str,
  bytes: b('bytes'),
  bytearray: b('bytearray'),
  list: b('list'),
  tuple: b('tuple'),
  dict,
  set: b('set'),
  frozenset: b('frozenset'),
  NoneType: b('NoneType'),
  /** Plain functions; picklable only by reference, which local functions and lambdas are not. */
  function: b('function'),
  OrderedDict: defineClass('OrderedDict', [dict], { module: 'collections' }),
  defaultdict: defineClass('defaultdict', [dict], { module: 'collections' }),
  Enum: enumT,
  Decimal: defineClass('Decimal', [], { module: 'decimal' }),
  date,
  datetime: defineClass('datetime', [date], { module: 'datetime' }),
  // numpy: float64 subclasses Python float (so it is a "scalar"); float32, int64 and bool_ do not.
  numpyGeneric,
  float64: defineClass('float64', [numpyFloating, float], { module: 'numpy' }),
  float32: defineClass('float32', [numpyFloating], { module: 'numpy' }),
  int64: defineClass('int64', [numpySigned], { module: 'numpy' }),
  bool_: defineClass('bool_', [numpyGeneric], { module: 'numpy' }),
  float16: defineClass('float16', [numpyFloating], { module: 'numpy' }),
  int8: defineClass('int8', [numpySigned], { module: 'numpy' }),
  int16: defineClass('int16', [numpySigned], { module: 'numpy' }),
  int32: defineClass('int32', [numpySigned], { module: 'numpy' }),
  uint8: defineClass('uint8', [numpyUnsigned], { module: 'numpy' }),
  uint16: defineClass('uint16', [numpyUnsigned], { module: 'numpy' }),
  uint32: defineClass('uint32', [numpyUnsigned], { module: 'numpy' }),
  uint64: defineClass('uint64', [numpyUnsigned], { module: 'numpy' }),
  complex64: defineClass('complex64', [numpyComplex], { module: 'numpy' }),
  // complex128 subclasses Python complex, as float64 subclasses float.
  complex128: defineClass('complex128', [numpyComplex, complex], { module: 'numpy' }),
  ndarray: defineClass('ndarray', [], { module: 'numpy' }),
  NDFrame: ndframe,
  DataFrame: defineClass('DataFrame', [ndframe], { module: 'pandas.core.frame' }),
  Series: defineClass('Series', [ndframe], { module: 'pandas.core.series' }),
  PurePath: purePath,
  PurePosixPath: purePosixPath,
  Path: path,
  /** What `Path(...)` returns on POSIX: MRO PosixPath, Path, PurePosixPath, PurePath, object. */
  PosixPath: defineClass('PosixPath', [path, purePosixPath], { module: 'pathlib' }),
  Module: defineClass('Module', [], { module: 'torch.nn.modules.module' }),
  BaseEstimator: defineClass('BaseEstimator', [], { module: 'sklearn.base' }),
} as const satisfies Record<string, PyType>;

export type KnownTypeName = keyof typeof T;

/** Spellings accepted for known classes in scenarios and `!object {bases}`. */
const ALIASES: Record<string, PyType> = {
  None: T.NoneType,
  'pd.DataFrame': T.DataFrame,
  'pandas.DataFrame': T.DataFrame,
  'pd.Series': T.Series,
  'pandas.Series': T.Series,
  'np.ndarray': T.ndarray,
  'numpy.ndarray': T.ndarray,
  'nn.Module': T.Module,
  'torch.nn.Module': T.Module,
  'sklearn.base.BaseEstimator': T.BaseEstimator,
  'pathlib.Path': T.Path,
  'pathlib.PurePath': T.PurePath,
};

/**
 * Resolves class names for user classes' bases: builtins (`dict`), known short names (`nn.Module`,
 * `BaseEstimator`, `DataFrame`), full names, and classes defined earlier through this registry.
 */
export class TypeRegistry {
  private readonly byName = new Map<string, PyType>();

  constructor() {
    for (const t of Object.values(T)) {
      this.byName.set(fullName(t), t);
      if (!this.byName.has(t.name)) this.byName.set(t.name, t);
    }
    for (const [alias, t] of Object.entries(ALIASES)) this.byName.set(alias, t);
  }

  resolve(name: string): PyType {
    const t = this.byName.get(name);
    if (t === undefined) {
      throw new ValuesError(
        'unknown-type',
        `Failed to resolve class "${name}": no such class is known. Use a builtin or library class name (dict, nn.Module, BaseEstimator, DataFrame, Path, ...) or define the class first.`,
      );
    }
    return t;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** Defines (and remembers) a user class; bases may be names or types. */
  define(name: string, bases: readonly (string | PyType)[] = [], options: ClassOptions = {}): PyType {
    const resolved = bases.map((x) => (typeof x === 'string' ? this.resolve(x) : x));
    const t = defineClass(name, resolved, options);
    this.byName.set(fullName(t), t);
    this.byName.set(name, t);
    return t;
  }
}
