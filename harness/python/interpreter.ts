/**
 * The abstract interpreter: runs a step body (or any function of the file) statement by statement over the
 * value model. It never executes Python: names, calls and attributes resolve to values of src/values, to the
 * library models (libraries/), or to an unknown value with a diagnostic. Every `self.x` read and write goes
 * through the `FlowSelf` the runtime hands the step, exactly like a scenario's `read`/`set`, so the W&B
 * integration's proxy sees the same attribute traffic Python would produce.
 */
import { flow, values } from '../../src/index.ts';
import type { Expr, Stmt } from './ast.ts';
import { getAttr } from './attributes.ts';
import { outcome } from './branch-outcome.ts';
import { callValue } from './calls.ts';
import { constant, isConstantExpr, knownConstant } from './constants.ts';
import type { DiagnosticSink } from './diagnostics.ts';
import { evalExpr, reportInputsOrder } from './evaluate.ts';
import {
  InputsRef,
  ExceptionClass, ExceptionValue, isPy, iterate, Opaque, py, Scope, SelfRef, str, truth, UserClass, UserFunction,
  type OpaqueType, type PyValue, type Value,
} from './interp-values.ts';
import { assign, deleteTarget } from './targets.ts';
import { binop } from './ops.ts';
import { firstLine } from './opaque.ts';
import { bindImport, defineUserClass } from './module.ts';
import { exceptionMatches } from './libraries/builtins.ts';
import type { Args, At, Host } from './host.ts';
import { attributeBuiltin } from './reflection.ts';
import { unknown } from './unknowns.ts';
import type { Pins } from './values-file.ts';

/** Everything a body runs against. */
export interface RunContext {
  readonly file: string;
  /** The step being run (null for module level and decorator arguments). */
  readonly step: string | null;
  readonly sink: DiagnosticSink;
  readonly pins: Pins;
  readonly env: Readonly<Record<string, string>>;
  readonly self: SelfRef | null;
  /** For in-place changes of a value read from `self` (`self.df["c"] = 1`), the trace the importer prints. */
  readonly trace?: (event: TraceEvent) => void;
  /** Module scope of this task (Python runs the module once per task process). */
  readonly module: Scope;
  /** The step's decorators by short name (`card` gives it current.card). */
  readonly decorators?: ReadonlySet<string>;
  /** Base classes of the flow the plan cannot see: an attribute `self` lacks may come from one of them. */
  readonly unknownBases?: readonly string[];
}

/** What a body did to `self` and `inputs`, in order (the importer prints these as scenario operations). */
export type TraceEvent = (
  | { readonly op: 'set'; readonly name: string; readonly value: unknown; readonly source: string; readonly unknown: string | null }
  | { readonly op: 'read' | 'mutate' | 'del' | 'call' | 'read_inputs'; readonly name: string }
  | { readonly op: 'merge_artifacts'; readonly include?: readonly string[]; readonly exclude?: readonly string[] }
  | { readonly op: 'raise'; readonly type: string; readonly message: string }
) & { readonly line: number; readonly col: number };

type Flow = 'normal' | 'break' | 'continue' | { readonly ret: Value };

const LOOP_LIMIT = 100_000;
/** Statements one task may run: a loop the plan cannot bound must not hold the CLI (or a fuzzer) forever. */
const STATEMENT_BUDGET = 200_000;

export class Interpreter implements Host {
  private executed = 0;
  /** The exceptions being handled, innermost last: what a bare `raise` re-raises. */
  private readonly handling: flow.PythonError[] = [];
  constructor(readonly ctx: RunContext) {}

  async block(stmts: readonly Stmt[], scope: Scope): Promise<Flow> {
    for (const s of stmts) {
      const r = await this.stmt(s, scope);
      if (r !== 'normal') return r;
    }
    return 'normal';
  }

  /** How many expressions of this task evaluated to an unknown: a `try` whose body met one may have raised. */
  private unknownsMet = 0;

  async eval(e: Expr, scope: Scope): Promise<Value> {
    // A compile-time constant is one object per value in the module, as CPython's compiler makes it.
    const v = isConstantExpr(e) ? knownConstant(this.ctx.module, e) ?? constant(this.ctx.module, e, await evalExpr(this, e, scope)) : await evalExpr(this, e, scope);
    if (v instanceof Opaque) this.unknownsMet++;
    return v;
  }

  call(fn: Value, args: Args, e: Expr): Promise<Value> {
    return callValue(this, fn, args, e);
  }

  // The Host of the library models: the run context's parts they may use, and the semantics they may call.
  get env(): Readonly<Record<string, string>> {
    return this.ctx.env;
  }
  get step(): string | null {
    return this.ctx.step;
  }
  unknown(at: At, type: OpaqueType, why: string): Value {
    return unknown(this, at, type, why);
  }
  report(...a: Parameters<Host['report']>): void {
    this.ctx.sink.report(...a);
  }
  getAttr(obj: Value, name: string, at: Expr): Promise<Value> {
    return getAttr(this, obj, name, at);
  }
  lookup(name: string): Value | undefined {
    return this.ctx.module.lookup(name);
  }
  attributeBuiltin(name: 'hasattr' | 'getattr' | 'setattr', args: Args, at: Expr): Promise<Value> {
    return attributeBuiltin(this, name, args, at);
  }

  unsupported(s: { pos: Stmt['pos']; text: string }, what: string): void {
    this.ctx.sink.report('UNSUPPORTED', s.pos, `${what} is outside the modelled subset: \`${firstLine(s.text)}\` is skipped. The plan may miss what it does.`, { step: this.ctx.step });
  }

  async stmt(s: Stmt, scope: Scope): Promise<Flow> {
    if (++this.executed > STATEMENT_BUDGET) {
      this.unsupported(s, `a task running more than ${STATEMENT_BUDGET.toLocaleString('en')} statements`);
      throw new flow.PythonError('RuntimeError', `tracked-flows stopped interpreting this task after ${STATEMENT_BUDGET} statements (${this.ctx.file}:${s.pos.line}:${s.pos.col})`);
    }
    switch (s.k) {
      case 'expr':
        await this.eval(s.value, scope);
        return 'normal';
      case 'assign': {
        const v = await this.eval(s.value, scope);
        for (const t of s.targets) await assign(this, t, v, scope);
        return 'normal';
      }
      case 'annassign':
        if (s.value !== null) await assign(this, s.target, await this.eval(s.value, scope), scope);
        return 'normal';
      case 'augassign': {
        const cur = await this.eval(s.target, scope);
        const rhs = await this.eval(s.value, scope);
        let next: Value;
        if (isPy(cur) && cur.kind === 'list' && (s.op === '+')) {
          const items = iterate(rhs);
          if (items === undefined || !items.every(isPy)) next = new Opaque(s.text, s.pos, 'list', 'extends a list with unknown items');
          else {
            cur.items.push(...(items as PyValue[])); // `+=` on a list is in place
            next = cur;
          }
        } else next = binop(s.op, cur, rhs, s.pos, s.text);
        await assign(this, s.target, next, scope);
        return 'normal';
      }
      case 'if': {
        for (const [i, b] of s.branches.entries()) {
          const t = await this.test(b.test, scope);
          if (t === undefined) {
            const otherwise = [...s.branches.slice(i + 1).flatMap((x) => x.body), ...(s.orelse ?? [])];
            const [ifTrue, ifFalse] = [outcome(b.body), outcome(otherwise)];
            // Both are possible: follow the one that lets the flow go on (a branch that raises does not), else the first.
            const followFalse = ifTrue.raises && !ifFalse.raises;
            this.ctx.sink.report('UNKNOWN_CONDITION', b.test.pos, `the condition \`${b.test.text}\` depends on an unknown value: both outcomes are possible. If true: ${ifTrue.text}; otherwise: ${ifFalse.text}. The plan follows ${followFalse ? 'the second (as if false), which lets the flow go on' : 'the first (as if true)'}; pin the value in flow.values.yaml to decide.`, { step: this.ctx.step });
            if (!followFalse) return await this.block(b.body, scope);
            continue;
          }
          if (t) return await this.block(b.body, scope);
        }
        return s.orelse ? await this.block(s.orelse, scope) : 'normal';
      }
      case 'for': {
        const it = await this.eval(s.iter, scope);
        if (isPy(it) && it.kind === 'set' && values.hashOrderUnknown(it.items)) {
          this.ctx.sink.report('UNKNOWN_ORDER', s.iter.pos, `the loop over \`${s.iter.text}\` iterates a set of str or bytes: the order changes with every process (PYTHONHASHSEED); the plan takes one order, the real run may take another.`, { step: this.ctx.step });
        }
        if (it instanceof InputsRef && it.inputs.orderUnknown) reportInputsOrder(this, s.iter);
        let items = iterate(it);
        if (items === undefined) {
          this.ctx.sink.report('UNKNOWN_ITERABLE', s.iter.pos, `the loop over \`${s.iter.text}\` iterates an unknown value: the plan runs its body once with an unknown item.`, { step: this.ctx.step });
          items = [new Opaque(s.target.text, s.target.pos, null, 'is an item of an unknown iterable')];
        }
        for (const item of items) {
          await assign(this, s.target, item, scope);
          const r = await this.block(s.body, scope);
          if (r === 'break') return 'normal';
          if (typeof r === 'object') return r;
        }
        return s.orelse ? await this.block(s.orelse, scope) : 'normal';
      }
      case 'while': {
        for (let i = 0; ; i++) {
          const t = await this.test(s.test, scope);
          if (t === undefined) {
            this.ctx.sink.report('UNKNOWN_CONDITION', s.test.pos, `the loop condition \`${s.test.text}\` depends on an unknown value: the plan does not enter the loop.`, { step: this.ctx.step });
            return 'normal';
          }
          if (!t) break;
          if (i >= LOOP_LIMIT) {
            this.unsupported(s, `a loop of more than ${LOOP_LIMIT} iterations`);
            return 'normal';
          }
          const r = await this.block(s.body, scope);
          if (r === 'break') return 'normal';
          if (typeof r === 'object') return r;
        }
        return s.orelse ? await this.block(s.orelse, scope) : 'normal';
      }
      case 'with': {
        for (const item of s.items) {
          const v = await this.eval(item.ctx, scope);
          if (item.as) await assign(this, item.as, v instanceof Opaque ? v : v, scope);
        }
        return await this.block(s.body, scope);
      }
      case 'try': return await this.tryStmt(s, scope);
      case 'raise': {
        if (s.exc === null) throw this.handling.at(-1) ?? new flow.PythonError('RuntimeError', 'No active exception to reraise');
        let v = await this.eval(s.exc, scope);
        if (v instanceof ExceptionClass) v = new ExceptionValue(v, '');
        if (v instanceof ExceptionValue) throw pyError(v);
        if (v instanceof Opaque) {
          this.ctx.sink.report('OPAQUE_VALUE', s.pos, `\`${s.text}\` raises an exception the plan cannot name: planned as an Exception.`, { step: this.ctx.step });
          throw new flow.PythonError('Exception', s.exc.text);
        }
        throw new flow.PythonError('TypeError', 'exceptions must derive from BaseException');
      }
      case 'return':
        return { ret: s.value === null ? py.None : await this.eval(s.value, scope) };
      case 'del':
        for (const t of s.targets) await deleteTarget(this, t, scope);
        return 'normal';
      case 'assert': {
        const t = await this.test(s.test, scope);
        if (t === false) throw new flow.PythonError('AssertionError', s.msg ? str(await this.eval(s.msg, scope)) : '');
        if (t === undefined) this.ctx.sink.report('UNKNOWN_CONDITION', s.test.pos, `the assertion \`${s.test.text}\` depends on an unknown value: it may fail (AssertionError) or pass. The plan follows the one that lets the flow go on (it passes); pin the value in flow.values.yaml to decide.`, { step: this.ctx.step });
        return 'normal';
      }
      case 'pass': return 'normal';
      case 'break': return 'break';
      case 'continue': return 'continue';
      case 'def':
        scope.vars.set(s.def.name, new UserFunction(s.def.name, s.def.params, s.def.body, scope, null, scope.parent === null));
        return 'normal';
      case 'class': {
        scope.vars.set(s.def.name, await defineUserClass(this, s.def, scope));
        return 'normal';
      }
      case 'import': {
        bindImport(s, scope);
        return 'normal';
      }
      case 'global':
        for (const n of s.names) scope.globals.add(n);
        return 'normal';
      case 'unsupported':
        this.unsupported(s, s.what === 'syntax error' ? 'a syntax error' : `\`${s.what}\``);
        return 'normal';
    }
  }

  /** Truth of a condition; undefined when unknown. */
  async test(e: Expr, scope: Scope): Promise<boolean | undefined> {
    return truth(await this.eval(e, scope));
  }

  private async tryStmt(s: Extract<Stmt, { k: 'try' }>, scope: Scope): Promise<Flow> {
    let result: Flow = 'normal';
    try {
      try {
        const met = this.unknownsMet;
        result = await this.block(s.body, scope);
        // The body ran on unknown values, which might have raised in the real run: both paths are possible. The
        // plan goes on along the one that completed, and says what the handlers would have done instead.
        if (this.unknownsMet > met && s.handlers.length > 0) {
          const instead = s.handlers.map((h) => outcome(h.body).text).join('; or ');
          this.ctx.sink.report('UNKNOWN_CONDITION', s.pos, `the try block depends on unknown values, which may raise in the real run: both paths are possible. The plan follows the try body; if it raises, the handler ${instead}. Pin the values in flow.values.yaml to decide.`, { step: this.ctx.step });
        }
      } catch (err) {
        if (!(err instanceof flow.PythonError)) throw err;
        for (const h of s.handlers) {
          if (h.types !== null && !(await this.matches(err, await this.eval(h.types, scope)))) continue;
          if (h.name) scope.vars.set(h.name, new ExceptionValue(new ExceptionClass(err.pyType), err.message));
          this.handling.push(err);
          try {
            return await this.block(h.body, scope);
          } finally {
            this.handling.pop();
          }
        }
        throw err;
      }
      if (result === 'normal' && s.orelse) result = await this.block(s.orelse, scope);
      return result;
    } finally {
      if (s.final) {
        const f = await this.block(s.final, scope);
        if (f !== 'normal') result = f;
      }
    }
  }

  private async matches(err: flow.PythonError, types: Value): Promise<boolean> {
    const list = isPy(types) && types.kind === 'tuple' ? (types.items as Value[]) : [types];
    return list.some((t) => (t instanceof ExceptionClass || t instanceof UserClass) && exceptionMatches(err.pyType, t));
  }
}

export function pyError(v: ExceptionValue): flow.PythonError {
  return new flow.PythonError(v.cls.name, v.message);
}


