/** Expressions: literals, containers, names, operators, comprehensions, f-strings, attribute and item access. */
import { flow, values } from '../../src/index.ts';
import type { Expr } from './ast.ts';
import { getAttr } from './attributes.ts';
import { getItem } from './items.ts';
import type { Args } from './host.ts';
import type { Interpreter } from './interpreter.ts';
import { box, boxAll, BoundMethod, InputsRef, isPy, iterate, Opaque, py, repr, Scope, SLICE, str, truth, UserFunction, type PyValue, type Value } from './interp-values.ts';
import { binop, formatSpec, unary } from './ops.ts';
import { lookupBuiltin } from './libraries/builtins.ts';
import { assign } from './targets.ts';


export async function evalExpr(it: Interpreter, e: Expr, scope: Scope): Promise<Value> {
  switch (e.k) {
    case 'name': {
      const v = scope.lookup(e.id) ?? it.ctx.module.lookup(e.id) ?? lookupBuiltin(e.id);
      if (v === undefined) {
        if (e.id === 'self' || e.id === 'inputs') flow.pyRaise('NameError', `name '${e.id}' is not defined`);
        return flow.pyRaise('NameError', `name '${e.id}' is not defined`);
      }
      return v;
    }
    case 'int': return py.int(e.value);
    case 'float': return py.float(e.value);
    case 'str': return e.bytes ? py.bytes(Uint8Array.from([...e.value].map((c) => c.charCodeAt(0) & 255))) : py.str(e.value);
    case 'const':
      return e.value === 'True' ? py.bool(true) : e.value === 'False' ? py.bool(false) : e.value === 'None' ? py.None : new Opaque('...', e.pos, null, 'is Ellipsis');
    case 'fstr': {
      let out = '';
      for (const p of e.parts) {
        if (typeof p === 'string') {
          out += p;
          continue;
        }
        const v = await it.eval(p.expr, scope);
        if (v instanceof Opaque || (isPy(v) && values.containsUnknown(v) !== undefined)) return new Opaque(e.text, e.pos, 'str', 'formats an unknown value');
        const base = p.conv === 'r' ? py.str(repr(v)) : v;
        const s = p.spec === null ? str(base) : formatSpec(base, p.spec);
        if (s === undefined) return new Opaque(e.text, e.pos, 'str', `uses the format spec ":${p.spec}" the plan does not compute`);
        // f"{s}" of a str is that very object; f"{n}" and joined parts are new objects (no one-character singleton).
        if (e.parts.length === 1 && p.conv !== 'r' && p.spec === null && isPy(v) && v.kind === 'str' && v.type === values.T.str) return v;
        out += s;
      }
      const fields = e.parts.filter((p) => typeof p !== 'string');
      const withSpec = e.parts.length === 1 && fields.length === 1 && fields[0]!.spec !== null;
      return fields.length === 0 || withSpec ? py.str(out) : py.freshStr(out);
    }
    case 'list': case 'tuple': case 'set': {
      const items: Value[] = [];
      for (const x of e.items) {
        if (x.k === 'starred') {
          const inner = iterate(await it.eval(x.value, scope));
          if (inner === undefined) return new Opaque(e.text, e.pos, e.k === 'list' ? 'list' : null, 'unpacks an unknown value');
          items.push(...inner);
        } else items.push(await it.eval(x, scope));
      }
      return container(e, items);
    }
    case 'dict': {
      const entries: [PyValue, PyValue][] = [];
      for (const [k, v] of e.entries) {
        const kv = box(await it.eval(k, scope));
        const vv = box(await it.eval(v, scope));
        if (kv === undefined || vv === undefined) return new Opaque(e.text, e.pos, 'dict', 'holds an unknown value');
        entries.push([kv, vv]);
      }
      return py.dict(entries);
    }
    case 'attr': return await getAttr(it, await it.eval(e.obj, scope), e.name, e);
    case 'index': return getItem(await it.eval(e.obj, scope), await it.eval(e.index, scope), e);
    case 'slice': {
      const part = async (x: Expr | null) => (x === null ? py.None : await it.eval(x, scope));
      return py.object(SLICE, [['start', asPy(await part(e.lo))], ['stop', asPy(await part(e.hi))], ['step', asPy(await part(e.step))]]);
    }
    case 'call': {
      // A method of an unknown value: the value model may still know what it returns (`df.drop(...)` is a frame).
      const receiver = e.fn.k === 'attr' ? await it.eval(e.fn.obj, scope) : undefined;
      const fn = receiver instanceof Opaque && e.fn.k === 'attr' ? new BoundMethod(receiver, e.fn.name)
        : receiver !== undefined && e.fn.k === 'attr' ? await getAttr(it, receiver, e.fn.name, e.fn) : await it.eval(e.fn, scope);
      const args: Args = { positional: [], keywords: new Map() };
      for (const a of e.args) {
        const v = await it.eval(a.value, scope);
        if (a.star === '*') {
          const items = iterate(v);
          if (items === undefined) return new Opaque(e.text, e.pos, null, 'passes unknown arguments');
          args.positional.push(...items);
        } else if (a.star === '**') {
          if (!isPy(v) || v.kind !== 'dict') return new Opaque(e.text, e.pos, null, 'passes unknown keyword arguments');
          for (const [k, x] of v.entries) args.keywords.set(str(k), x);
        } else if (a.name !== null) args.keywords.set(a.name, v);
        else args.positional.push(v);
      }
      return await it.call(fn, args, e);
    }
    case 'binop': {
      if (e.op === 'and' || e.op === 'or') {
        const l = await it.eval(e.l, scope);
        const t = truth(l);
        if (t === undefined) {
          const r = await it.eval(e.r, scope);
          return new Opaque(e.text, e.pos, r instanceof Opaque ? r.type : isPy(r) && r.kind === 'bool' ? 'bool' : null, 'depends on an unknown value');
        }
        return (e.op === 'and' ? !t : t) ? l : await it.eval(e.r, scope);
      }
      return binop(e.op, await it.eval(e.l, scope), await it.eval(e.r, scope), e.pos, e.text);
    }
    case 'unary': return unary(e.op, await it.eval(e.operand, scope), e.pos, e.text);
    case 'ternary': {
      const t = await it.test(e.test, scope);
      if (t === undefined) {
        it.ctx.sink.report('UNKNOWN_CONDITION', e.test.pos, `the condition \`${e.test.text}\` depends on an unknown value: both outcomes are possible; the plan takes the first.`, { step: it.ctx.step });
        return await it.eval(e.then, scope);
      }
      return await it.eval(t ? e.then : e.else, scope);
    }
    case 'lambda': return new UserFunction('<lambda>', e.params, e.body, scope);
    case 'comp': return await comprehension(it, e, scope);
    case 'starred': return flow.pyRaise('SyntaxError', "can't use starred expression here");
    case 'unsupported':
      it.ctx.sink.report('UNSUPPORTED', e.pos, `${e.what === 'syntax error' ? 'a syntax error' : `\`${e.what}\``} is outside the modelled subset: \`${e.text.split('\n')[0]}\` is an unknown value.`, { step: it.ctx.step });
      return new Opaque(e.text, e.pos, null, 'is outside the modelled subset');
  }
}


const asPy = (v: Value): PyValue => (isPy(v) ? v : py.None);

function container(e: Expr & { k: 'list' | 'tuple' | 'set' }, items: Value[]): Value {
  const xs = boxAll(items);
  if (xs === undefined) return new Opaque(e.text, e.pos, e.k === 'list' ? 'list' : null, 'holds an unknown value');
  return e.k === 'list' ? py.list(xs) : e.k === 'tuple' ? py.tuple(xs) : py.set(xs);
}

/** UNKNOWN_ORDER for iterating a static join's inputs (see flow.Inputs.orderUnknown). */
export function reportInputsOrder(it: Interpreter, at: Expr): void {
  it.ctx.sink.report('UNKNOWN_ORDER', at.pos, `\`${at.text}\` iterates a static join's inputs: Metaflow queues a static join's parents from a set of their step names, so their order changes with every process (PYTHONHASHSEED), not the order of self.next(...). A list built from it is logged with its order unknown ($unordered); read a branch by name (inputs.<step>) for a certain one.`, { step: it.ctx.step });
}

async function comprehension(it: Interpreter, e: Expr & { k: 'comp' }, outer: Scope): Promise<Value> {
  const scope = new Scope(outer);
  const out: Value[] = [];
  const keys: Value[] = [];
  let unknown = false;
  let hashOrdered = false;
  const walk = async (i: number): Promise<void> => {
    if (unknown) return;
    if (i === e.clauses.length) {
      if (e.kind === 'dict') keys.push(await it.eval(e.elt, scope));
      out.push(await it.eval(e.kind === 'dict' ? e.value! : e.elt, scope));
      return;
    }
    const c = e.clauses[i]!;
    if (c.k === 'if') {
      const t = await it.test(c.test, scope);
      if (t === undefined) unknown = true;
      else if (t) await walk(i + 1);
      return;
    }
    const source = await it.eval(c.iter, scope);
    if (source instanceof InputsRef && source.inputs.orderUnknown) {
      hashOrdered = true;
      reportInputsOrder(it, c.iter);
    }
    const items = iterate(source);
    if (items === undefined) {
      unknown = true;
      return;
    }
    for (const x of items) {
      await assign(it, c.target, x, scope);
      await walk(i + 1);
    }
  };
  await walk(0);
  const type = e.kind === 'list' ? 'list' : e.kind === 'dict' ? 'dict' : null;
  const xs = unknown ? undefined : boxAll(out);
  const ks = unknown ? undefined : boxAll(keys);
  if (xs === undefined || ks === undefined) return new Opaque(e.text, e.pos, type, 'is built from unknown values');
  // Over a static join's inputs, a list's order is the real run's random one: logged as $unordered.
  if (e.kind === 'list') return hashOrdered ? values.unorderedList(xs) : py.list(xs);
  if (e.kind === 'set') return py.set(xs);
  if (e.kind === 'dict') return py.dict(xs.map((v, i) => [ks[i]!, v]));
  return py.tuple(xs); // a generator, consumed once by what takes it (sum, list, ...): its items as a tuple
}

