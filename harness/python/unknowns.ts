/**
 * Making unknown values: where a call cannot be modelled, an `Opaque` with an OPAQUE_VALUE diagnostic naming
 * the expression, unless the value file pins it (`line:col` where made, `step.variable` where assigned).
 * Semantics, not values: it reports to the run's diagnostics and reads its pins; library models reach it
 * through `Host.unknown`.
 */
import type { Pos } from './ast.ts';
import type { Interpreter } from './interpreter.ts';
import { isPy, Opaque, type OpaqueType, type Value } from './interp-values.ts';
import { firstLine, standInType } from './opaque.ts';

const WHAT_IS_LOGGED =
  'What @wandb_log logs for it depends on its type: a pandas DataFrame or a Path -> a dataset artifact (datasets=True); ' +
  'an nn.Module or sklearn estimator -> a model artifact (models=True); an int, float, str or bool -> history and summary; ' +
  'anything else -> a pickled artifact (others=True, current profile).';

const DESCRIBE: Record<Exclude<OpaqueType, null>, string> = {
  DataFrame: 'a pandas DataFrame of unknown contents',
  Series: 'a pandas Series of unknown contents',
  ndarray: 'a numpy array of unknown contents',
  float: 'a float of unknown value',
  int: 'an int of unknown value',
  bool: 'a bool of unknown value',
  str: 'a str of unknown value',
  Module: 'a torch nn.Module of unknown class and weights',
  estimator: 'a scikit-learn estimator of unknown class and state',
  Path: 'a Path that the flow does not create: unknown whether it exists, and its bytes',
  list: 'a list of unknown contents',
  dict: 'a dict of unknown contents',
};

/** What the value is, and how the plan logs it: never as a stand-in, always marked unknown. */
export function describeOpaque(o: Opaque): string {
  const what = o.type === null ? 'a value of unknown type' : DESCRIBE[o.type];
  return `${what}, logged as unknown (\`{"$unknown": ...}\` in history, summary and config; "bytes not predicted" in an artifact)`;
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

