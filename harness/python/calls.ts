/**
 * Calls: functions and classes of the file (followed, with their arguments), builtins, library models,
 * methods of values, and the flow's own methods through the runtime (`self.next`, `self.merge_artifacts`,
 * helpers), with arguments converted the way the runtime expects them.
 */
import { flow, values } from '../../src/index.ts';
import type { Expr, Param } from './ast.ts';
import type { Args } from './host.ts';
import type { Interpreter } from './interpreter.ts';
import {
  BoundMethod, Builtin, CardRef, ExceptionClass, ExceptionValue, Foreign, InputsRef, isPy, LibRef, Opaque, py, Scope, str, UserClass,
  UserFunction, type PyValue, type Value,
} from './interp-values.ts';
import { fromRuntime, getAttr } from './attributes.ts';
import { callBuiltin } from './libraries/builtins.ts';
import { callLibrary } from './libraries/index.ts';
import { callMethod } from './methods.ts';
import { unknown } from './unknowns.ts';

const MAX_DEPTH = 200;
let depth = 0;

export async function callValue(it: Interpreter, fn: Value, args: Args, e: Expr): Promise<Value> {
  if (fn instanceof Builtin) return await callBuiltin(it, fn.name, args, e);
  if (fn instanceof UserFunction) return await callUser(it, fn, args);
  if (fn instanceof UserClass) return await instantiate(it, fn, args, e);
  if (fn instanceof ExceptionClass) return new ExceptionValue(fn, args.positional[0] ? str(args.positional[0]) : '');
  if (fn instanceof LibRef) return await callLibrary(it, fn.path, args, e);
  if (fn instanceof BoundMethod && fn.obj instanceof CardRef) {
    it.ctx.sink.report('CARD_UPDATE', e.pos, `\`${e.text.split('\n')[0]}\` updates a card: it changes no W&B log (recorded, not planned).`, { severity: 'info', step: it.ctx.step });
    return py.None;
  }
  if (fn instanceof BoundMethod) return await callMethod(it, fn.obj, fn.name, args, e);
  if (fn instanceof Foreign && fn.value instanceof flow.BoundMethod) return await callFlowMethod(it, fn.value, args, e);
  if (fn instanceof Opaque) return new Opaque(e.text, e.pos, null, fn.why);
  if (isPy(fn) && fn.kind === 'object') {
    const call = await getAttr(it, fn, '__call__', e).catch(() => undefined);
    if (call instanceof UserFunction) return await callUser(it, call, args);
    if (values.isinstance(fn, values.T.Module)) return unknown(it, e, null, `is a forward pass of ${fn.type.name}, tensors the value model does not hold`);
  }
  return flow.pyRaise('TypeError', `'${isPy(fn) ? fn.type.name : 'object'}' object is not callable`);
}

/** Binds arguments to parameters as Python does (defaults evaluated in the defining scope). */
async function bind(it: Interpreter, name: string, params: readonly Param[], args: Args, scope: Scope, skipSelf: boolean): Promise<void> {
  const positional = [...args.positional];
  const keywords = new Map(args.keywords);
  for (const [i, p] of params.entries()) {
    if (skipSelf && i === 0) continue;
    if (p.star === '*') {
      scope.vars.set(p.name, py.tuple(positional.splice(0).filter(isPy) as PyValue[]));
      continue;
    }
    if (p.star === '**') {
      scope.vars.set(p.name, py.dict([...keywords].filter(([, v]) => isPy(v)).map(([k, v]) => [py.str(k), v as PyValue])));
      keywords.clear();
      continue;
    }
    if (positional.length > 0) scope.vars.set(p.name, positional.shift()!);
    else if (keywords.has(p.name)) {
      scope.vars.set(p.name, keywords.get(p.name)!);
      keywords.delete(p.name);
    } else if (p.default !== null) scope.vars.set(p.name, await it.eval(p.default, scope.parent ?? scope));
    else flow.pyRaise('TypeError', `${name}() missing 1 required positional argument: '${p.name}'`);
  }
  if (positional.length > 0) flow.pyRaise('TypeError', `${name}() takes ${params.length} positional arguments but ${params.length + positional.length} were given`);
  const extra = [...keywords.keys()][0];
  if (extra !== undefined) flow.pyRaise('TypeError', `${name}() got an unexpected keyword argument '${extra}'`);
}

export async function callUser(it: Interpreter, fn: UserFunction, args: Args): Promise<Value> {
  if (depth >= MAX_DEPTH) return flow.pyRaise('RecursionError', 'maximum recursion depth exceeded');
  const scope = new Scope(fn.closure);
  const bound = fn.bound !== null;
  if (bound) scope.vars.set(fn.params[0]?.name ?? 'self', fn.bound!);
  await bind(it, fn.name, fn.params, args, scope, bound);
  depth++;
  try {
    if (!Array.isArray(fn.body)) return await it.eval(fn.body as Expr, scope);
    const r = await it.block(fn.body as never, scope);
    return typeof r === 'object' ? r.ret : py.None;
  } finally {
    depth--;
  }
}

async function instantiate(it: Interpreter, cls: UserClass, args: Args, e: Expr): Promise<Value> {
  if (cls.type.mro.some((t) => t.name === 'BaseException' || t.name === 'Exception')) {
    return new ExceptionValue(new ExceptionClass(cls.def.name, cls.type.mro.slice(1).map((t) => t.name)), args.positional[0] ? str(args.positional[0]) : '');
  }
  const obj = py.object(cls.type, []);
  for (let c: UserClass | null = cls; c !== null; c = c.base) {
    const init = c.closure.vars.get('__init__');
    if (init instanceof UserFunction) {
      await callUser(it, new UserFunction(init.name, init.params, init.body, init.closure, obj), args);
      return obj;
    }
  }
  void e;
  return obj;
}

/** A JS value for the runtime's own methods (`next`'s step references, `merge_artifacts`' name lists). */
function toRuntime(v: Value): unknown {
  if (v instanceof Foreign) return v.value;
  if (v instanceof InputsRef) return v.inputs;
  if (isPy(v)) {
    switch (v.kind) {
      case 'str': return v.value;
      case 'int': return Number(v.value);
      case 'float': case 'bool': return v.value;
      case 'none': return null;
      case 'list': case 'tuple': return v.items.map(toRuntime);
      case 'dict': return new Map(v.entries.map(([k, x]) => [toRuntime(k), toRuntime(x)]));
    }
  }
  return v;
}

async function callFlowMethod(it: Interpreter, m: flow.BoundMethod, args: Args, e: Expr): Promise<Value> {
  if (m.kind === 'builtin') {
    if (m.name === 'next') {
      // A dict literal of steps keeps its values (bound methods) — evaluate keeps them Foreign, so the dict is
      // not data: rebuild it from the source.
      const call = e.k === 'call' ? e : null;
      const positional: unknown[] = [];
      for (const [i, a] of args.positional.entries()) {
        const src = call?.args.filter((x) => x.name === null)[i]?.value;
        positional.push(src?.k === 'dict' && it.ctx.self ? await switchDict(it, src) : toRuntime(a));
      }
      const kws = Object.fromEntries([...args.keywords].map(([k, v]) => [k, toRuntime(v)]));
      m.invoke(...positional, ...(Object.keys(kws).length > 0 ? [flow.kw(kws)] : []));
      return py.None;
    }
    if (m.name === 'merge_artifacts') {
      const [inputs] = args.positional;
      const opts: Record<string, unknown> = {};
      for (const [k, v] of args.keywords) opts[k] = toRuntime(v);
      it.ctx.trace?.({ op: 'merge_artifacts', ...(opts as { include?: string[]; exclude?: string[] }), line: e.pos.line, col: e.pos.col });
      m.invoke(toRuntime(inputs ?? py.None), flow.kw(opts));
      return py.None;
    }
    return fromRuntime(m.invoke(...args.positional.map(toRuntime)));
  }
  if (m.kind === 'helper') it.ctx.trace?.({ op: 'call', name: m.name, line: e.pos.line, col: e.pos.col });
  const r = await m.invoke(...args.positional);
  return r === undefined ? py.None : fromRuntime(r);
}

async function switchDict(it: Interpreter, d: Expr & { k: 'dict' }): Promise<Map<unknown, unknown>> {
  const out = new Map<unknown, unknown>();
  for (const [k, v] of d.entries) {
    const key = await it.eval(k, new Scope(null));
    const val = v.k === 'attr' && v.obj.k === 'name' && v.obj.id === 'self' ? it.ctx.self!.self.step(v.name) : toRuntime(await it.eval(v, new Scope(null)));
    out.set(toRuntime(key), val);
  }
  return out;
}

