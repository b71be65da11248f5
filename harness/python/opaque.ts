/**
 * Unknown values: made where a call cannot be modelled (with an OPAQUE_VALUE diagnostic naming the
 * expression), pinned by the value file (`line:col` where made, `step.variable` where assigned), and given a
 * stand-in when they reach the runtime (a `self.x` the integration must classify).
 */
import { values } from '../../src/index.ts';
import type { Pos } from './ast.ts';
import type { Interpreter } from './interpreter.ts';
import { Opaque, py, type OpaqueType, type PyValue, type Value } from './interp-values.ts';

const UNKNOWN = values.defineClass('Unknown', [], { module: '__main__' });

const WHAT_IS_LOGGED =
  'What @wandb_log logs for it depends on its type: a pandas DataFrame or a Path -> a dataset artifact (datasets=True); ' +
  'an nn.Module or sklearn estimator -> a model artifact (models=True); an int, float, str or bool -> history and summary; ' +
  'anything else -> a pickled artifact (others=True, current profile).';

const DESCRIBE: Record<Exclude<OpaqueType, null>, string> = {
  DataFrame: 'a pandas DataFrame of unknown contents (planned as an empty DataFrame)',
  Series: 'a pandas Series of unknown contents (planned as an empty Series)',
  ndarray: 'a numpy array of unknown contents (planned as an empty float64 array)',
  float: 'a float of unknown value (planned as 0.0)',
  int: 'an int of unknown value (planned as 0)',
  bool: 'a bool of unknown value (planned as False)',
  str: 'a str of unknown value (planned as "")',
  Module: 'a torch nn.Module of unknown class (planned as a bare nn.Module)',
  estimator: 'a scikit-learn estimator of unknown class (planned as a bare BaseEstimator)',
  Path: 'a Path that the flow does not create: unknown whether it exists (planned as missing)',
  list: 'a list of unknown contents (planned as [])',
  dict: 'a dict of unknown contents (planned as {})',
};

export function describeOpaque(o: Opaque): string {
  return o.type === null ? 'a value of unknown type (planned as an opaque object, pickled under others)' : DESCRIBE[o.type];
}

/** A value the interpreter cannot know, made at `pos` — or what the value file pins there. */
export function unknown(it: Interpreter, at: { pos: Pos; text: string }, type: OpaqueType, why: string): Value {
  const pinned = it.ctx.pins.at(at.pos);
  if (pinned !== undefined) return pinned;
  const o = new Opaque(at.text, at.pos, type, why);
  reportOpaque(it, o, null);
  return o;
}

/** OPAQUE_VALUE for an unknown value, once per place; `variable` when it is assigned to self.<variable>. */
export function reportOpaque(it: Interpreter, o: Opaque, variable: string | null): void {
  const pin = variable !== null && it.ctx.step !== null ? `\`${it.ctx.step}.${variable}\` or ` : '';
  it.ctx.sink.report('OPAQUE_VALUE', o.pos, `\`${firstLine(o.text)}\` ${o.why}: its value is ${describeOpaque(o)}. ${WHAT_IS_LOGGED} Pin it in flow.values.yaml as ${pin}\`"${o.pos.line}:${o.pos.col}"\`.`, { step: it.ctx.step, variable });
}

/** A value about to be bound to `variable` in the current step: an unknown one may be pinned by name. */
export function pinned(it: Interpreter, variable: string, v: Value): Value {
  if (!(v instanceof Opaque) || it.ctx.step === null) return v;
  const pin = it.ctx.pins.named(it.ctx.step, variable);
  if (pin === undefined) return v;
  it.ctx.sink.retract('OPAQUE_VALUE', v.pos);
  return pin;
}

/** The stand-in the runtime stores for an unknown value (see DESCRIBE). */
export function standIn(o: Opaque): PyValue {
  switch (o.type) {
    case 'DataFrame': return py.dataframe([], []);
    case 'Series': return py.series([]);
    case 'ndarray': return py.ndarray('float64', [0], []);
    case 'float': return py.float(0);
    case 'int': return py.int(0);
    case 'bool': return py.bool(false);
    case 'str': return py.str('');
    case 'Module': return py.object(values.T.Module);
    case 'estimator': return py.object(values.T.BaseEstimator);
    case 'Path': return values.missingPath(o.text);
    case 'list': return py.list([]);
    case 'dict': return py.dict([]);
    case null: return py.object(UNKNOWN, [['expression', py.str(o.text)]]);
  }
}

const firstLine = (s: string): string => {
  const l = s.split('\n')[0]!;
  return l.length > 80 ? `${l.slice(0, 77)}...` : l;
};
