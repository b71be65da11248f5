/**
 * Assignment and deletion targets: names, `self.x` (through the runtime's FlowSelf: a scenario's `set` /
 * `del`), attributes of user objects, items (in place, as Python does), and tuple unpacking.
 */
import { flow } from '../../src/index.ts';
import type { Expr } from './ast.ts';
import { delItem, setItem } from './items.ts';
import type { Interpreter } from './interpreter.ts';
import {
  ExceptionValue, Foreign, isPy, iterate, LibRef, libraryClassRef, Opaque, py, Scope, SelfRef, SettingsValue, UserClass, UserFunction, type PyValue, type Value,
} from './interp-values.ts';
import { standIn, standInType } from './opaque.ts';
import { pinned, reportOpaque } from './unknowns.ts';
import { values } from '../../src/index.ts';

const EXC = values.defineClass('Exception', [], { module: 'builtins' });
const SETTINGS = values.defineClass('Settings', [], { module: 'wandb.sdk.wandb_settings' });

/** What the runtime stores for a value assigned to `self.<variable>`. */
export function storable(it: Interpreter, v: Value, variable: string, at: Expr): unknown {
  if (isPy(v)) {
    if (v.kind === 'path' && standInType(v) === 'Path') {
      reportOpaque(it, new Opaque(`self.${variable} = Path(${JSON.stringify(v.path)})`, at.pos, 'Path', `is a path (${v.path}) that the flow does not create: it may or may not exist`), variable);
    } else {
      reportHeld(it, v, variable);
    }
    return v;
  }
  if (v instanceof Opaque) {
    reportOpaque(it, v, variable);
    return standIn(v);
  }
  if (v instanceof Foreign) return v.value;
  if (v instanceof LibRef) return libraryClassRef(v);
  if (v instanceof UserFunction) return py.function(v.name, { picklable: v.topLevel });
  if (v instanceof ExceptionValue) return py.object(EXC, [['args', py.tuple([py.str(v.message)])]]);
  if (v instanceof SettingsValue) return py.object(SETTINGS);
  if (v instanceof UserClass) return py.function(v.def.name, { picklable: true });
  it.ctx.sink.report('UNSUPPORTED', at.pos, `\`${at.text}\` stores a ${v.constructor.name} in self.${variable}, which the value model has no data for: planned as None.`, { step: it.ctx.step, variable });
  return py.None;
}

/**
 * Unknowns inside a container stored on self (`[self.prefix, "%s" % x]`) reach the log too: each is named where it
 * was made. One made from other unknowns in an expression (a `%`, an f-string) has had no diagnostic yet: it gets
 * one here, which says the container can be pinned whole. One already reported (an unknown read back) keeps its own.
 */
function reportHeld(it: Interpreter, v: PyValue, variable: string): void {
  if (v.kind !== 'list' && v.kind !== 'tuple' && v.kind !== 'dict' && v.kind !== 'set' && v.kind !== 'object') return;
  for (const u of values.unknownsIn(v)) {
    const [line = 0, col = 0] = u.at.split(':').map(Number);
    if (line === 0 || it.ctx.sink.has('OPAQUE_VALUE', { line, col })) continue;
    const pin = it.ctx.step !== null ? ` Pin self.${variable} whole in flow.values.yaml as \`${it.ctx.step}.${variable}\`.` : '';
    it.ctx.sink.report('OPAQUE_VALUE', { line, col }, `\`${u.expression}\` is made from values the plan does not know and is held in self.${variable}: it is logged as unknown there (\`{"$unknown": "${u.kind}", "at": "${u.at}"}\`).${pin}`, { step: it.ctx.step, variable });
  }
}

export async function assign(it: Interpreter, target: Expr, v: Value, scope: Scope): Promise<void> {
  switch (target.k) {
    case 'name': {
      const value = pinned(it, target.id, v);
      if (scope.globals.has(target.id)) it.ctx.module.vars.set(target.id, value);
      else scope.vars.set(target.id, value);
      return;
    }
    case 'attr': {
      const obj = await it.eval(target.obj, scope);
      if (obj instanceof SelfRef) {
        const value = pinned(it, target.name, v);
        const stored = storable(it, value, target.name, target);
        if (it.ctx.trace) {
          const why = value instanceof Opaque ? `${value.text} ${value.why}` : null;
          it.ctx.trace({ op: 'set', name: target.name, value: isPy(stored as Value) ? flow.pyClone(stored as PyValue) : stored, source: target.pos.line + '', unknown: why, line: target.pos.line, col: target.pos.col });
        }
        obj.self.setattr(target.name, stored);
        return;
      }
      if (isPy(obj) && obj.kind === 'object') {
        const state = obj.state as [string, PyValue][];
        const pv = isPy(v) ? v : (storable(it, v, target.name, target) as PyValue);
        const at = state.findIndex(([k]) => k === target.name);
        if (at >= 0) state[at] = [target.name, pv];
        else state.push([target.name, pv]);
        return;
      }
      if (obj instanceof Opaque) return;
      return flow.pyRaise('AttributeError', `'${isPy(obj) ? obj.type.name : 'object'}' object attribute '${target.name}' is read-only`);
    }
    case 'index': {
      const obj = await it.eval(target.obj, scope);
      const key = await it.eval(target.index, scope);
      traceMutation(it, target.obj);
      setItem(obj, key, v);
      return;
    }
    case 'tuple': case 'list': {
      const items = iterate(v);
      const star = target.items.findIndex((t) => t.k === 'starred');
      if (items === undefined) {
        for (const t of target.items) await assign(it, t.k === 'starred' ? t.value : t, new Opaque(t.text, t.pos, null, 'is unpacked from an unknown value'), scope);
        return;
      }
      if (star < 0 && items.length !== target.items.length) {
        flow.pyRaise('ValueError', items.length > target.items.length ? `too many values to unpack (expected ${target.items.length})` : `not enough values to unpack (expected ${target.items.length}, got ${items.length})`);
      }
      const after = target.items.length - star - 1;
      for (let i = 0; i < target.items.length; i++) {
        const t = target.items[i]!;
        if (i === star) await assign(it, (t as Expr & { k: 'starred' }).value, py.list(items.slice(star, items.length - after) as PyValue[]), scope);
        else await assign(it, t, star >= 0 && i > star ? items[items.length - (target.items.length - i)]! : items[i]!, scope);
      }
      return;
    }
    default:
      it.unsupported(target, `assigning to \`${target.text}\``);
  }
}

/** `self.x[...] = v` / `self.x.append(v)` change a value read from self in place: the importer's `mutate: x`. */
export function traceMutation(it: Interpreter, obj: Expr): void {
  if (obj.k === 'attr' && obj.obj.k === 'name' && obj.obj.id === 'self') it.ctx.trace?.({ op: 'mutate', name: obj.name, line: obj.pos.line, col: obj.pos.col });
}

export async function deleteTarget(it: Interpreter, target: Expr, scope: Scope): Promise<void> {
  switch (target.k) {
    case 'name':
      if (!scope.vars.delete(target.id)) flow.pyRaise('NameError', `name '${target.id}' is not defined`);
      return;
    case 'attr': {
      const obj = await it.eval(target.obj, scope);
      if (obj instanceof SelfRef) {
        it.ctx.trace?.({ op: 'del', name: target.name, line: target.pos.line, col: target.pos.col });
        return obj.self.delattr(target.name);
      }
      if (isPy(obj) && obj.kind === 'object') {
        const state = obj.state as [string, PyValue][];
        const at = state.findIndex(([k]) => k === target.name);
        if (at < 0) flow.pyRaise('AttributeError', target.name);
        state.splice(at, 1);
      }
      return;
    }
    case 'index': {
      const obj = await it.eval(target.obj, scope);
      traceMutation(it, target.obj);
      delItem(obj, await it.eval(target.index, scope));
      return;
    }
    case 'tuple': case 'list':
      for (const t of target.items) await deleteTarget(it, t, scope);
      return;
    default:
      it.unsupported(target, `deleting \`${target.text}\``);
  }
}
