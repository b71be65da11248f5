/**
 * Compile-time constants, as CPython 3.11's compiler makes them: its AST optimizer folds arithmetic on constants
 * (`"a" + "b"`, `2 ** 8`, `-1`), a constant indexed by a constant (`"xyz"[1]`) and tuples of constants, and the
 * compiler then merges equal constants across the module's code objects. So every `"bc"` or `(0, 1)` written in a
 * flow.py is ONE object, and a value holding it twice pickles it once and then by reference (the memo). What the
 * real run computes at run time (`"%s" % x`, f-strings, calls, lists) is a new object each time.
 */
import type { Expr } from './ast.ts';
import { isPy, repr, type PyValue, type Value } from './interp-values.ts';

/** Binary operators the optimizer folds (comparisons, `and`/`or` and `in` are never folded). */
const FOLDED_OPS = new Set(['+', '-', '*', '/', '//', '%', '**', '<<', '>>', '&', '|', '^']);
// The optimizer's limits (Python/ast_opt.c): larger results stay run-time objects.
const MAX_STR_SIZE = 4096;
const MAX_INT_BITS = 128n;
const MAX_COLLECTION_SIZE = 256;

const folded = new WeakMap<Expr, boolean>();

/** Whether CPython 3.11 makes `e` a constant at compile time (its value is then checked by `constant`). */
export function isConstantExpr(e: Expr): boolean {
  let f = folded.get(e);
  if (f === undefined) folded.set(e, (f = compute(e)));
  return f;
}

const isStrLiteral = (e: Expr): boolean => e.k === 'str' || (e.k === 'binop' && isStrLiteral(e.l));

function compute(e: Expr): boolean {
  switch (e.k) {
    case 'int': case 'float': case 'str': case 'const': return true;
    case 'unary': return e.op !== 'not' && isConstantExpr(e.operand);
    // `str % x` is never folded (safe_mod refuses str and bytes: formatting may have side effects).
    case 'binop': return FOLDED_OPS.has(e.op) && !(e.op === '%' && isStrLiteral(e.l)) && isConstantExpr(e.l) && isConstantExpr(e.r);
    case 'index': return e.index.k !== 'slice' && isConstantExpr(e.obj) && isConstantExpr(e.index);
    case 'tuple': return e.items.length <= MAX_COLLECTION_SIZE && e.items.every((x) => x.k !== 'starred' && isConstantExpr(x));
    default: return false;
  }
}

const cache = new WeakMap<object, Map<string, PyValue>>();
const byNode = new WeakMap<object, WeakMap<Expr, Value>>();

/** The module's object for constant expression `e`, once evaluated (a loop does not re-key it). */
export function knownConstant(module: object, e: Expr): Value | undefined {
  return byNode.get(module)?.get(e);
}

/** The module's one object for constant `e`'s value `v` (by type and repr: `1`, `1.0`, `True`, `-0.0` differ). */
export function constant(module: object, e: Expr, v: Value): Value {
  const out = intern(module, v);
  let nodes = byNode.get(module);
  if (!nodes) byNode.set(module, (nodes = new WeakMap()));
  nodes.set(e, out);
  return out;
}

function intern(module: object, v: Value): Value {
  if (!isPy(v) || tooLarge(v)) return v;
  let values = cache.get(module);
  if (!values) cache.set(module, (values = new Map()));
  const key = `${v.type.module ?? ''}.${v.type.name}:${repr(v)}`;
  const hit = values.get(key);
  if (hit) return hit;
  values.set(key, v);
  return v;
}

function tooLarge(v: PyValue): boolean {
  if (v.kind === 'str') return v.value.length > MAX_STR_SIZE;
  if (v.kind === 'bytes') return v.value.length > MAX_STR_SIZE;
  if (v.kind === 'int') return (v.value < 0n ? -v.value : v.value).toString(2).length > Number(MAX_INT_BITS);
  if (v.kind === 'tuple') return v.items.length > MAX_COLLECTION_SIZE;
  return false;
}
