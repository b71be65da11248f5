/**
 * What a library model (libraries/) may ask of the interpreter that runs it: the narrow surface that keeps the
 * models plug-ins. A model sees values, call arguments and this interface, never the evaluator, so a model can
 * be added or tested without it and the evaluator never depends on which models exist (DESIGN §2, issue 25).
 * The `Interpreter` implements it.
 */
import type { Expr, Pos } from './ast.ts';
import type { PythonDiagnostic, PythonDiagnosticCode } from './diagnostics.ts';
import type { OpaqueType, Value } from './interp-values.ts';

/** A call's arguments as Python passes them: by position, then by keyword. */
export interface Args {
  readonly positional: Value[];
  readonly keywords: Map<string, Value>;
}

/** Where a value is made: an expression's place and source text. */
export interface At {
  readonly pos: Pos;
  readonly text: string;
}

export interface Host {
  /** The task's environment (`--env`): what `os.environ` reads. */
  readonly env: Readonly<Record<string, string>>;
  /** The step being run (null at module level), for diagnostics. */
  readonly step: string | null;
  /** A value the plan cannot know, made at `at` with an OPAQUE_VALUE diagnostic, or what the values file pins there. */
  unknown(at: At, type: OpaqueType, why: string): Value;
  /** A diagnostic about the flow file (reported once per place and code). */
  report(code: PythonDiagnosticCode, pos: Pick<Pos, 'line' | 'col'>, message: string, extra?: { severity?: PythonDiagnostic['severity']; step?: string | null; variable?: string | null }): void;
  /** Calls any value (a lambda, a key function, a class), as `fn(*args)` at `at` would. */
  call(fn: Value, args: Args, at: Expr): Promise<Value>;
  /** `obj.name`, as the expression would read it. */
  getAttr(obj: Value, name: string, at: Expr): Promise<Value>;
  /** A name of the module scope (what `eval("name")` sees), or undefined. */
  lookup(name: string): Value | undefined;
  /** `hasattr`, `getattr` and `setattr`: through the same attribute paths as `x.name` and `x.name = v`. */
  attributeBuiltin(name: 'hasattr' | 'getattr' | 'setattr', args: Args, at: Expr): Promise<Value>;
}
