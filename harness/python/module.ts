/**
 * The module level: imports with their aliases (a name is bound to the qualified library path it imports),
 * classes with their bases (a user's `class Net(nn.Module)` is a torch model), functions and constants.
 * Other module code (shims, `if` blocks, `try: import ...`) runs tolerantly: what fails is ignored unless a
 * flow uses it. `if __name__ == "__main__":` never runs; it only names the flow to plan.
 */
import { flow, values } from '../../src/index.ts';
import type { ClassDef, Module, Stmt } from './ast.ts';
import type { Interpreter } from './interpreter.ts';
import { ExceptionClass, LibRef, Opaque, py, Scope, UserClass, type Value } from './interp-values.ts';
import { typeOfClass } from './libraries/index.ts';
import { CurrentRef } from './interp-values.ts';

const classes = new WeakMap<values.PyType, UserClass>();
export const classOf = (t: values.PyType): UserClass | undefined => classes.get(t);

const EXCEPTION_TYPE = values.defineClass('Exception', [], { module: 'builtins' });

/**
 * Packages the plan knows something of: the ones with value models (libraries/), Metaflow and W&B, and Python's
 * standard library. A name from any other module (the user's own `utils.py`, a relative import, a package nobody
 * modelled) is unknown: never a module object the flow would then subscript, unpack or compare.
 */
const KNOWN_ROOTS = new Set([
  'metaflow', 'wandb', 'mf_head', 'pandas', 'numpy', 'sklearn', 'torch', 'matplotlib', '__future__',
  'abc', 'argparse', 'ast', 'base64', 'collections', 'contextlib', 'copy', 'csv', 'dataclasses', 'datetime', 'decimal',
  'enum', 'functools', 'glob', 'gzip', 'hashlib', 'importlib', 'inspect', 'io', 'itertools', 'json', 'logging', 'math',
  'operator', 'os', 'pathlib', 'pickle', 'platform', 'pprint', 'random', 're', 'shutil', 'socket', 'statistics',
  'string', 'subprocess', 'sys', 'tarfile', 'tempfile', 'textwrap', 'threading', 'time', 'traceback', 'typing',
  'urllib', 'uuid', 'warnings', 'zipfile',
]);

function imported(path: string, s: Extract<Stmt, { k: 'import' }>): Value {
  if (path === 'metaflow.current') return new CurrentRef();
  const root = path.split('.')[0]!;
  if (path.startsWith('.') || !KNOWN_ROOTS.has(root)) {
    return new Opaque(path.replace(/^\.+/, ''), s.pos, null, `is imported from ${path.startsWith('.') ? 'a relative module' : root}, which the plan cannot see (a module of the project, or a package nobody modelled)`);
  }
  return new LibRef(path);
}

export function bindImport(s: Extract<Stmt, { k: 'import' }>, scope: Scope): void {
  const prefix = s.level > 0 ? '.'.repeat(s.level) : '';
  if (s.module === null && s.level === 0) {
    for (const n of s.names) {
      if (n.asName !== null) scope.vars.set(n.asName, imported(n.name, s));
      else scope.vars.set(n.name.split('.')[0]!, imported(n.name.split('.')[0]!, s));
    }
    return;
  }
  for (const n of s.names) {
    if (n.name === '*') continue;
    scope.vars.set(n.asName ?? n.name, imported(`${prefix}${s.module ?? ''}${s.module ? '.' : ''}${n.name}`, s));
  }
}

/** The qualified path a name resolves to in the module scope (`pd.DataFrame` -> `pandas.DataFrame`). */
export function qualifiedName(e: import('./ast.ts').Expr, scope: Scope): string | undefined {
  if (e.k === 'name') {
    const v = scope.lookup(e.id);
    if (v instanceof LibRef) return v.path;
    if (v instanceof CurrentRef) return 'metaflow.current';
    return v === undefined ? e.id : undefined;
  }
  if (e.k === 'attr') {
    const base = qualifiedName(e.obj, scope);
    return base === undefined ? undefined : `${base}.${e.name}`;
  }
  return undefined;
}

export async function defineUserClass(it: Interpreter, def: ClassDef, scope: Scope): Promise<UserClass> {
  const bases: values.PyType[] = [];
  let base: UserClass | null = null;
  for (const b of def.bases) {
    if (b.name !== null) continue; // metaclass=...
    let v: Value;
    try {
      v = await it.eval(b.value, scope);
    } catch {
      continue;
    }
    if (v instanceof UserClass) {
      base ??= v;
      bases.push(v.type);
    } else if (v instanceof ExceptionClass) bases.push(EXCEPTION_TYPE);
    else {
      const t = typeOfClass(v);
      if (t !== undefined) bases.push(t);
      else if (v instanceof LibRef && v.path.startsWith('sklearn.')) bases.push(values.T.BaseEstimator);
      else if (v instanceof LibRef && v.path.startsWith('torch.nn.')) bases.push(values.T.Module);
    }
  }
  let type: values.PyType;
  try {
    type = values.defineClass(def.name, bases, { module: '__main__' });
  } catch {
    type = values.defineClass(def.name, [], { module: '__main__' });
  }
  const ns = new Scope(scope);
  const cls = new UserClass(def, type, ns, base);
  classes.set(type, cls);
  for (const s of def.body) {
    try {
      await it.stmt(s, ns);
    } catch (err) {
      if (!(err instanceof flow.PythonError)) throw err;
    }
  }
  return cls;
}

const isMainGuard = (s: Stmt): boolean =>
  s.k === 'if' && s.branches[0]?.test.k === 'binop' && s.branches[0].test.text.replace(/\s|'/g, '"') === '__name__=="__main__"';

/** Runs the module's top level for one task (Python imports the module once per task process). */
export async function buildModuleScope(it: Interpreter, mod: Module, skipClasses: ReadonlySet<string>): Promise<Scope> {
  const scope = it.ctx.module;
  scope.vars.set('__file__', py.str(mod.file));
  scope.vars.set('__name__', py.str('__main__'));
  for (const s of mod.body) {
    if (isMainGuard(s) || (s.k === 'class' && skipClasses.has(s.def.name))) continue;
    try {
      await it.stmt(s, scope);
    } catch (err) {
      if (!(err instanceof flow.PythonError)) throw err; // module code that fails is ignored unless a flow uses it
    }
  }
  return scope;
}

/** The class the `if __name__ == "__main__":` block instantiates, if any. */
export function mainFlowName(mod: Module): string | undefined {
  for (const s of mod.body) {
    if (!isMainGuard(s) || s.k !== 'if') continue;
    for (const t of s.branches[0]!.body) {
      if (t.k === 'expr' && t.value.k === 'call' && t.value.fn.k === 'name') return t.value.fn.id;
    }
  }
  return undefined;
}
