/**
 * What an expression evaluates to: a Python value of src/values (`PyValue`) when the interpreter knows it,
 * or one of the objects below for what is not data (modules, functions, classes, `self`, `inputs`, ...).
 * `Opaque` is a value the interpreter cannot know: a call into code it does not model. It may still have a
 * certain type (`accuracy_score` returns a float whatever its inputs).
 */
import { flow, values } from '../../src/index.ts';
import type { ClassDef, Expr, FunctionDef, Param, Pos } from './ast.ts';
import { standIn, standInType, type OpaqueType } from './opaque.ts';

export type PyValue = values.PyValue;
export const { py } = values;

export type { OpaqueType };

export class Opaque {
  constructor(
    /** The source text of the expression it came from. */
    readonly text: string,
    readonly pos: Pos,
    readonly type: OpaqueType,
    /** Why it is unknown, for the diagnostic (`a call into sklearn.metrics`, `reads a file`). */
    readonly why: string,
    /** Known length, unknown items (`train_test_split` returns that many frames). */
    readonly items?: readonly Value[],
  ) {}
}

/** A module or an attribute of one that the value models do not resolve further (`pd`, `torch.nn`). */
export class LibRef {
  constructor(readonly path: string) {}
}

/** A function defined in the file (or a lambda), possibly bound to an instance. */
export class UserFunction {
  constructor(
    readonly name: string,
    readonly params: readonly Param[],
    readonly body: FunctionDef['body'] | Expr,
    readonly closure: Scope,
    readonly bound: Value | null = null,
    /** Module-level functions pickle by reference; nested ones and lambdas do not. */
    readonly topLevel = false,
  ) {}
}

/** A class defined in the file; its instances are `PyObject`s whose state is their `__dict__`. */
export class UserClass {
  constructor(readonly def: ClassDef, readonly type: values.PyType, readonly closure: Scope, readonly base: UserClass | null) {}
}

/** `obj.name` where `obj` is a value and `name` a method of its type (`lst.append`, `df.head`). */
export class BoundMethod {
  constructor(readonly obj: Value, readonly name: string) {}
}

/** `self` of a step or helper: every attribute access goes through the runtime's FlowSelf. */
export class SelfRef {
  constructor(readonly self: flow.FlowSelf) {}
}

/** `inputs` of a join, and one element of it (a parent task's flow object). */
export class InputsRef {
  constructor(readonly inputs: flow.Inputs) {}
}
export class InputRef {
  constructor(readonly flow: flow.FlowSelf) {}
}

/** `metaflow.current`. */
export class CurrentRef {}

/** `current.card` (with `@card`) or `current.card["id"]`: its updates change a card, not what W&B logs. */
export class CardRef {}

/** An exception class (builtin or defined in the file) and an instance of one. */
export class ExceptionClass {
  constructor(readonly name: string, readonly bases: readonly string[] = ['Exception']) {}
}
export class ExceptionValue {
  constructor(readonly cls: ExceptionClass, readonly message: string) {}
}

/** `wandb.Settings(...)` as its fields. */
export class SettingsValue {
  constructor(readonly fields: Record<string, unknown>) {}
}

/** A value from the runtime that is not data (a bound step method `self.a`, ...): passed through untouched. */
export class Foreign {
  constructor(readonly value: unknown) {}
}

/** A builtin function (`len`, `print`, ...). */
export class Builtin {
  constructor(readonly name: string) {}
}

export type Value =
  | PyValue | Opaque | LibRef | UserFunction | UserClass | BoundMethod | SelfRef | InputsRef | InputRef | CurrentRef | CardRef
  | ExceptionClass | ExceptionValue | SettingsValue | Foreign | Builtin;

export class Scope {
  readonly vars = new Map<string, Value>();
  constructor(readonly parent: Scope | null, readonly globals: Set<string> = new Set()) {}
  lookup(name: string): Value | undefined {
    for (let s: Scope | null = this; s !== null; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }
}

export const isPy = (v: Value): v is PyValue => values.isPyValue(v);

/** Metaflow's `ConfigValue`: a dict whose keys also read as attributes (`self.cfg.lr`). */
export const CONFIG_VALUE = values.defineClass('ConfigValue', [values.T.dict], { module: 'metaflow.user_configs.config_parameters' });

/** `a[lo:hi:step]`'s key: an object of Python's `slice` type (start, stop, step), read by item access. */
export const SLICE = values.defineClass('slice', [], { module: 'builtins' });
export const isSlice = (v: Value): v is values.PyObject => isPy(v) && v.kind === 'object' && v.type === SLICE;

/**
 * Containers hold PyValues; a class, function or module put in one (`{"rf": RF}`) travels inside a box
 * (an object of its Python type name) and comes out as itself when read back.
 */
const boxes = new WeakMap<PyValue, Value>();
const boxTypes = new Map<string, values.PyType>();
export function box(v: Value): PyValue | undefined {
  if (isPy(v)) return v;
  // An unknown element keeps its container known: it travels as its stand-in (reported where it was made).
  if (v instanceof Opaque) return v.items ? undefined : standIn(v);
  if (v instanceof LibRef) return libraryClassRef(v);
  const name = typeName(v);
  let t = boxTypes.get(name);
  if (t === undefined) boxTypes.set(name, (t = values.defineClass(name, [], { module: 'builtins', picklable: false })));
  const b = py.object(t);
  boxes.set(b, v);
  return b;
}
export function unbox(v: Value): Value {
  if (!isPy(v)) return v;
  const boxed = boxes.get(v);
  if (boxed !== undefined) return boxed;
  return fromStored(v);
}

/**
 * A library class or function (`RandomForestClassifier`, `np.mean`) as data: Python pickles it by reference
 * (module + qualname), so it survives being stored on `self` and read back in another task.
 */
export function libraryClassRef(v: LibRef): PyValue {
  const at = v.path.lastIndexOf('.');
  return py.function(v.path.slice(at + 1), { module: at > 0 ? v.path.slice(0, at) : 'builtins', picklable: true });
}

/** A value read back from `self`, `inputs` or a container: an unknown is unknown again (where it was made), a library class a class. */
export function fromStored(v: PyValue): Value {
  if (v.kind === 'function' && v.module !== '__main__' && v.module !== 'builtins') return new LibRef(`${v.module}.${v.qualname}`);
  const t = standInType(v);
  // A Path of unknown existence still has a known text: `/`, `.name` and str() work on it.
  if (t === undefined || v.kind === 'path') return v;
  const u = values.unknownOrigin(v)!;
  const [line = 0, col = 0] = u.at.split(':').map(Number);
  return new Opaque(u.expression || `<unknown ${t ?? 'value'}>`, { line, col, from: 0, to: 0 }, t, `depends on \`${u.expression}\` (made at ${u.at}), which the plan does not know`);
}
/** Every item boxed, or undefined when one is unknown. */
export function boxAll(items: readonly Value[]): PyValue[] | undefined {
  const out: PyValue[] = [];
  for (const x of items) {
    const b = box(x);
    if (b === undefined) return undefined;
    out.push(b);
  }
  return out;
}

export function typeName(v: Value): string {
  if (isPy(v)) return v.type.name;
  if (v instanceof Opaque) return v.type ?? 'unknown';
  if (v instanceof UserFunction || v instanceof Builtin) return 'function';
  if (v instanceof UserClass || v instanceof ExceptionClass) return 'type';
  if (v instanceof LibRef) return 'module';
  if (v instanceof ExceptionValue) return v.cls.name;
  if (v instanceof SettingsValue) return 'Settings';
  if (v instanceof InputsRef) return 'Inputs';
  return 'object';
}

/** Python truth; undefined when it cannot be known. */
export function truth(v: Value): boolean | undefined {
  if (v instanceof Opaque) return undefined;
  if (!isPy(v)) return true;
  switch (v.kind) {
    case 'none': return false;
    case 'bool': return v.value;
    case 'int': return v.value !== 0n;
    case 'float': return v.value !== 0;
    case 'str': return v.value.length > 0;
    case 'bytes': return v.value.length > 0;
    case 'list': case 'tuple': case 'set': case 'series': return v.items.length > 0;
    case 'dict': return v.entries.length > 0;
    case 'numpy-scalar': return Boolean(Number(v.value));
    case 'ndarray':
      if (v.data.length === 1) return Boolean(Number(v.data[0]));
      return flow.pyRaise('ValueError', 'The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()');
    case 'dataframe':
      return flow.pyRaise('ValueError', 'The truth value of a DataFrame is ambiguous. Use a.empty, a.bool(), a.item(), a.any() or a.all().');
    default: return true;
  }
}

/** A Python number as JS: ints as bigint, the rest as number; undefined when not a number. */
export function num(v: Value): bigint | number | undefined {
  if (!isPy(v)) return undefined;
  if (v.kind === 'int') return v.value;
  if (v.kind === 'bool') return v.value ? 1n : 0n;
  if (v.kind === 'float') return v.value;
  if (v.kind === 'numpy-scalar') return typeof v.value === 'boolean' ? (v.value ? 1n : 0n) : v.value;
  return undefined;
}

export function str(v: Value): string {
  if (isPy(v)) return flow.pyStr(v);
  if (v instanceof ExceptionValue) return v.message;
  return `<${typeName(v)}>`;
}

export function repr(v: Value): string {
  if (isPy(v)) return flow.pyRepr(v);
  if (v instanceof ExceptionValue) return `${v.cls.name}(${JSON.stringify(v.message)})`;
  return `<${typeName(v)}>`;
}

/** The items of an iterable value; undefined when its contents are unknown. */
export function iterate(v: Value): Value[] | undefined {
  if (v instanceof Opaque) return v.items ? [...v.items] : undefined;
  if (v instanceof LibRef) return undefined; // a library attribute no model holds (`string.ascii_lowercase`): unknown
  if (v instanceof InputsRef) return [...v.inputs].map((f) => new InputRef(f));
  if (!isPy(v)) return flow.pyRaise('TypeError', `'${typeName(v)}' object is not iterable`);
  return flow.pyIterate(v).map(unbox);
}

