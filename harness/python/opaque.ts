/**
 * Unknown values as data: the types an unknown may be known to have, and the stand-in of src/values the
 * runtime stores for one (a `self.x` the integration must classify), keyed by where it was made (`line:col`,
 * also the key that pins it in flow.values.yaml). A leaf of the values layer: interp-values builds on it.
 * Making an unknown (with its OPAQUE_VALUE diagnostic) needs the run's diagnostics and pins: unknowns.ts.
 */
import { values } from '../../src/index.ts';
import type { Pos } from './ast.ts';

type PyValue = values.PyValue;

/** Types an opaque value can be known to have (its contents unknown). */
export type OpaqueType = 'DataFrame' | 'Series' | 'ndarray' | 'float' | 'int' | 'bool' | 'str' | 'Module' | 'estimator' | 'Path' | 'list' | 'dict' | null;

/** What a stand-in is made from: an unknown value's type, source text and place (interp-values' `Opaque`). */
export interface OpaqueOrigin {
  readonly text: string;
  readonly pos: Pos;
  readonly type: OpaqueType;
}

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

/** What the runtime stores for an unknown value: an unknown of src/values, logged as unknown wherever it goes. */
export function standIn(o: OpaqueOrigin): PyValue {
  if (o.type === 'Path') return values.unknownPath(o.text, placeOf(o.pos));
  return values.unknownValue(o.type === null ? 'object' : KIND[o.type], placeOf(o.pos), firstLine(o.text));
}

/** An expression's text on one line, for messages. */
export const firstLine = (s: string): string => {
  const l = s.replace(/\s+/g, ' ').trim();
  return l.length > 80 ? `${l.slice(0, 77)}...` : l;
};
