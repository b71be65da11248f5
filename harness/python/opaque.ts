/**
 * Unknown values: made where a call cannot be modelled (with an OPAQUE_VALUE diagnostic naming the
 * expression), pinned by the value file (`line:col` where made, `step.variable` where assigned), and given a
 * stand-in when they reach the runtime (a `self.x` the integration must classify).
 */
import { values } from '../../src/index.ts';
import type { Pos } from './ast.ts';
import type { Interpreter } from './interpreter.ts';
import { isPy, Opaque, py, type OpaqueType, type PyValue, type Value } from './interp-values.ts';

const UNKNOWN = values.defineClass('Unknown', [], { module: '__main__' });

/**
 * Stand-ins of unknown frames, arrays, models and paths have types of their own — same names, modules and
 * MRO as the real ones, so classification and serialization do not see a difference — by which a later step
 * that reads them back (a copy: tasks do not share objects) gets an unknown value again, not an empty frame.
 * Scalars, lists and dicts have no such mark: the serializers know their builtin types by identity.
 */
const MARKED = {
  DataFrame: values.defineClass('DataFrame', [values.T.NDFrame], { module: 'pandas.core.frame' }),
  Series: values.defineClass('Series', [values.T.NDFrame], { module: 'pandas.core.series' }),
  ndarray: values.defineClass('ndarray', [], { module: 'numpy' }),
  Module: values.defineClass('Module', [], { module: 'torch.nn.modules.module' }),
  estimator: values.defineClass('BaseEstimator', [], { module: 'sklearn.base' }),
  Path: values.defineClass('PosixPath', [values.T.Path, values.T.PurePosixPath], { module: 'pathlib' }),
} as const;
const MARKED_TYPES = new Map<values.PyType, Exclude<OpaqueType, null>>(Object.entries(MARKED).map(([k, t]) => [t, k as Exclude<OpaqueType, null>]));

/** `Path(p)`: the path is known from the source; whether anything exists there is not (the plan reads no disk). */
export function unknownPath(p: string): PyValue {
  return { ...values.missingPath(p), type: MARKED.Path };
}

/** The unknown type a stand-in read back from `self` stands for, if it is one. */
export function standInType(v: PyValue): OpaqueType | undefined {
  if (v.type === UNKNOWN) return null;
  return MARKED_TYPES.get(v.type);
}

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
  // A `Path("...")` the flow does not create is unknown too (it may or may not exist): the OPAQUE_VALUE that
  // storable() reports for it offers the same pin, so the pin must be taken.
  const unknownPath = isPy(v) && v.kind === 'path' && standInType(v) === 'Path';
  if (!(v instanceof Opaque || unknownPath) || it.ctx.step === null) return v;
  const pin = it.ctx.pins.named(it.ctx.step, variable);
  if (pin === undefined) return v;
  if (v instanceof Opaque) it.ctx.sink.retract('OPAQUE_VALUE', v.pos);
  return pin;
}

/** The stand-in the runtime stores for an unknown value (see DESCRIBE). */
export function standIn(o: Opaque): PyValue {
  switch (o.type) {
    case 'DataFrame': return { ...py.dataframe([], []), type: MARKED.DataFrame };
    case 'Series': return { ...py.series([]), type: MARKED.Series };
    case 'ndarray': return { ...py.ndarray('float64', [0], []), type: MARKED.ndarray };
    case 'float': return py.float(0);
    case 'int': return py.int(0);
    case 'bool': return py.bool(false);
    case 'str': return py.str('');
    case 'Module': return py.object(MARKED.Module);
    case 'estimator': return py.object(MARKED.estimator);
    case 'Path': return { ...values.missingPath(o.text), type: MARKED.Path };
    case 'list': return py.list([]);
    case 'dict': return py.dict([]);
    case null: return py.object(UNKNOWN, [['expression', py.str(o.text)]]);
  }
}

/** An expression's text on one line, for messages. */
export const firstLine = (s: string): string => {
  const l = s.replace(/\s+/g, ' ').trim();
  return l.length > 80 ? `${l.slice(0, 77)}...` : l;
};
