/** Attribute access on interpreter values; `self` and `inputs` go through the runtime (items: items.ts). */
import { flow, values } from '../../src/index.ts';
import type { Expr } from './ast.ts';
import type { Interpreter } from './interpreter.ts';
import {
  BoundMethod, CardRef, CurrentRef, fromStored, ExceptionValue, Foreign, InputRef, InputsRef, isPy, LibRef, Opaque, py, SelfRef, UserClass,
  UserFunction, type Value,
} from './interp-values.ts';
import { libraryAttr } from './libraries/index.ts';
import { valueAttr } from './methods.ts';
import { classOf } from './module.ts';
import { unknown } from './unknowns.ts';

const { pyRaise } = flow;

/** A runtime value as an interpreter value. */
export function fromRuntime(x: unknown): Value {
  if (values.isPyValue(x)) return x;
  if (x === null || x === undefined) return py.None;
  if (typeof x === 'number') return Number.isInteger(x) ? py.int(x) : py.float(x);
  if (typeof x === 'string' || typeof x === 'boolean' || Array.isArray(x)) return flow.pyFromJs(x);
  return new Foreign(x);
}

function flowAttr(it: Interpreter, self: flow.FlowSelf, name: string, e: Expr, op: 'read' | 'read_inputs'): Value {
  let v: unknown;
  try {
    v = name === 'input' ? self.input : name === 'index' ? self.index : self.getattr(name);
  } catch (err) {
    const bases = it.ctx.unknownBases ?? [];
    if (!(err instanceof flow.PythonError && err.pyType === 'AttributeError' && bases.length > 0 && op === 'read')) throw err;
    return new Opaque(e.text, e.pos, null, `is self.${name}, which may come from ${bases.join(', ')}, a base class the plan cannot see`);
  }
  // Methods (`self.next`, a helper) are not data reads: a helper call is traced where it is called.
  if (!(v instanceof flow.BoundMethod)) it.ctx.trace?.({ op, name, line: e.pos.line, col: e.pos.col });
  // An unknown read back stays the unknown it was, made where it was made (possibly in an earlier step): its
  // diagnostic and its pin are there, and the log's `at` names that place wherever the value goes.
  if (values.isPyValue(v)) return fromStored(v);
  return fromRuntime(v);
}

export async function getAttr(it: Interpreter, obj: Value, name: string, e: Expr): Promise<Value> {
  if (obj instanceof SelfRef) return flowAttr(it, obj.self, name, e, 'read');
  if (obj instanceof InputRef) return flowAttr(it, obj.flow, name, e, 'read_inputs');
  if (obj instanceof InputsRef) return new InputRef(obj.inputs.getattr(name));
  if (obj instanceof CurrentRef) {
    const current = it.ctx.self?.self.current as unknown as Record<string, unknown> | undefined;
    if (current === undefined) return unknown(it, e, null, 'reads metaflow.current outside a task');
    if (name in current) return fromRuntime(current[name]);
    // current.card exists in a task whose step has @card (card_decorator.py task_pre_step), nowhere else.
    if (name === 'card') return it.ctx.decorators?.has('card') ? new CardRef() : pyRaise('AttributeError', `'Current' object has no attribute 'card'`);
    // Anything else is added by a decorator or a Metaflow extension (@project's project_name, @checkpoint's
    // checkpoint, a trigger...): unknown, never an AttributeError the real run would not raise.
    return new Opaque(e.text, e.pos, null, `is current.${name}, which a Metaflow decorator or extension provides`);
  }
  if (obj instanceof CardRef) return new BoundMethod(obj, name);
  if (obj instanceof LibRef) return await libraryAttr(it, obj.path, name, e);
  if (obj instanceof UserClass) {
    for (let c: UserClass | null = obj; c !== null; c = c.base) {
      const v = c.closure.vars.get(name);
      if (v !== undefined) return v;
    }
    return pyRaise('AttributeError', `type object '${obj.def.name}' has no attribute '${name}'`);
  }
  if (obj instanceof ExceptionValue) {
    if (name === 'args') return py.tuple([py.str(obj.message)]);
    return pyRaise('AttributeError', `'${obj.cls.name}' object has no attribute '${name}'`);
  }
  if (obj instanceof Opaque) return new Opaque(`${obj.text}.${name}`, obj.pos, null, obj.why);
  if (isPy(obj) && obj.kind === 'object') {
    const own = obj.state.find(([k]) => k === name);
    if (own !== undefined) return own[1];
    const cls = classOf(obj.type);
    if (cls !== undefined) {
      for (let c: UserClass | null = cls; c !== null; c = c.base) {
        const v = c.closure.vars.get(name);
        if (v instanceof UserFunction) return new UserFunction(v.name, v.params, v.body, v.closure, obj);
        if (v !== undefined) return v;
      }
    }
  }
  if (isPy(obj)) return valueAttr(it, obj, name, e);
  return new BoundMethod(obj, name);
}
