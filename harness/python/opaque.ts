/**
 * Unknown values: made where a call cannot be modelled (with an OPAQUE_VALUE diagnostic naming the
 * expression), pinned by the value file (`line:col` where made, `step.variable` where assigned), and given a
 * stand-in when they reach the runtime (a `self.x` the integration must classify).
 */
import { values } from '../../src/index.ts';
import type { Pos } from './ast.ts';
import type { Interpreter } from './interpreter.ts';
import { Opaque, py, type OpaqueType, type PyValue, type Value } from './interp-values.ts';

/** The unknown kinds of src/values, by the interpreter's opaque types (null: nothing known). */
const KIND: Record<Exclude<OpaqueType, null>, values.UnknownKind> = {
  DataFrame: 'DataFrame', Series: 'Series', ndarray: 'ndarray', float: 'float', int: 'int', bool: 'bool', str: 'str',
  Module: 'Module', estimator: 'estimator', Path: 'Path', list: 'list', dict: 'dict',
};
const OPAQUE_OF = new Map<values.UnknownKind, OpaqueType>(Object.entries(KIND).map(([k, v]) => [v, k as OpaqueType]));

/**
 * Where an unknown value was made, as it carries it into the log: `line:col` in the flow file, which is also the
 * key that pins it in flow.values.yaml (the diagnostic names the file).
 */
export const placeOf = (pos: Pos): string => `${pos.line}:${pos.col}`;

/** `Path(p)`: the path is known from the source; whether anything exists there is not (the plan reads no disk). */
export function unknownPath(p: string, pos: Pos): PyValue {
  return values.unknownPath(p, placeOf(pos));
}

/** The unknown type a value read back from `self` stands for, if it is unknown. */
export function standInType(v: PyValue): OpaqueType | undefined {
  const u = values.unknownOrigin(v);
  if (u === undefined) return undefined;
  return OPAQUE_OF.get(u.kind) ?? null;
}

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
  if (!(v instanceof Opaque) || it.ctx.step === null) return v;
  const pin = it.ctx.pins.named(it.ctx.step, variable);
  if (pin === undefined) return v;
  it.ctx.sink.retract('OPAQUE_VALUE', v.pos);
  return pin;
}

/** What the runtime stores for an unknown value: an unknown of src/values, logged as unknown wherever it goes. */
export function standIn(o: Opaque): PyValue {
  if (o.type === 'Path') return values.unknownPath(o.text, placeOf(o.pos));
  return values.unknownValue(o.type === null ? 'object' : KIND[o.type], placeOf(o.pos), firstLine(o.text));
}

/** An expression's text on one line, for messages. */
export const firstLine = (s: string): string => {
  const l = s.replace(/\s+/g, ' ').trim();
  return l.length > 80 ? `${l.slice(0, 77)}...` : l;
};
