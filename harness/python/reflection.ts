/**
 * `hasattr`, `getattr` and `setattr` as Python runs them: through the same attribute paths as `x.name` and
 * `x.name = v`, so over join `inputs` (`hasattr(inp, "x")`, per input, as Metaflow answers it), `self` and objects
 * they answer exactly what the expression form answers; only where `x.name` would be unknown is the answer unknown.
 */
import { flow } from '../../src/index.ts';
import type { Expr } from './ast.ts';
import { getAttr } from './attributes.ts';
import type { Args } from './host.ts';
import type { Interpreter } from './interpreter.ts';
import { BoundMethod, InputRef, isPy, Opaque, py, SelfRef, type PyValue, type Value } from './interp-values.ts';
import { storable } from './targets.ts';

export async function attributeBuiltin(it: Interpreter, name: 'hasattr' | 'getattr' | 'setattr', args: Args, e: Expr): Promise<Value> {
  const [obj, key, third] = args.positional;
  if (obj === undefined || key === undefined) return flow.pyRaise('TypeError', `${name} expected at least 2 arguments, got ${args.positional.length}`);
  if (key instanceof Opaque) return new Opaque(e.text, e.pos, name === 'hasattr' ? 'bool' : null, 'names an unknown attribute');
  if (!isPy(key) || key.kind !== 'str') return flow.pyRaise('TypeError', `attribute name must be string, not '${isPy(key) ? key.type.name : 'object'}'`);
  const attr = key.value;
  if (name === 'setattr') {
    if (obj instanceof SelfRef) obj.self.setattr(attr, storable(it, third ?? py.None, attr, e));
    else if (isPy(obj) && obj.kind === 'object') {
      const state = obj.state as [string, PyValue][];
      const v = storable(it, third ?? py.None, attr, e) as PyValue;
      const at = state.findIndex(([k]) => k === attr);
      if (at >= 0) state[at] = [attr, v];
      else state.push([attr, v]);
    }
    return py.None;
  }
  // Flow objects answer through the runtime: a missing artifact is an AttributeError there, as in Metaflow.
  if (name === 'hasattr' && (obj instanceof SelfRef || obj instanceof InputRef)) {
    const self = obj instanceof SelfRef ? obj.self : obj.flow;
    return py.bool(self.hasattr(attr));
  }
  try {
    const v = await getAttr(it, obj, attr, e);
    // A method the value model does not list is a guess: not proof that the attribute exists.
    if (v instanceof BoundMethod && !(obj instanceof SelfRef || obj instanceof InputRef)) {
      return name === 'hasattr' ? new Opaque(e.text, e.pos, 'bool', `asks for ${attr}, which the value model may not list`) : v;
    }
    return name === 'hasattr' ? py.bool(true) : v;
  } catch (err) {
    if (!(err instanceof flow.PythonError) || err.pyType !== 'AttributeError') throw err;
    if (name === 'hasattr') return py.bool(false);
    if (third !== undefined) return third;
    throw err;
  }
}
