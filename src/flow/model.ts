/**
 * A flow definition as plain data plus step-body functions: what a `class X(FlowSpec)` declares.
 *
 * The definition is deliberately permissive — anything Python could express, including broken graphs, is
 * representable, so that lint (not the builder) reports the problems with Metaflow's wording.
 */
import type { FlowSelf } from './flow-self.ts';
import type { Inputs } from './inputs.ts';

/** Where something was declared: scenario files pass YAML positions (1-based line and column). */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col?: number;
}

/** Metaflow parameter types (`str`, `int`, `float`, `bool`, `JSONType`). */
export type ParameterType = 'str' | 'int' | 'float' | 'bool' | 'json';

export interface ParameterDefinition {
  /** Attribute name on the flow (`self.name_p`, `current.parameter_names`). */
  readonly name: string;
  /** CLI name (`Parameter('name-p')` -> `--name-p`); defaults to `name`. */
  readonly cliName?: string;
  /** Plain JS data; a number that is an integer counts as a Python int. */
  readonly default?: unknown;
  readonly type?: ParameterType;
  readonly required?: boolean;
  /** `separator=","` on a string parameter turns the value into a list. */
  readonly separator?: string;
  readonly help?: string;
  readonly location?: SourceLocation;
}

/**
 * The tail `self.next(...)` of a step, as static analysis sees it:
 * - `'a'` -> `self.next(self.a)`; `['a', 'b']` -> `self.next(self.a, self.b)` (static split);
 * - `{ foreach: 'items', to: 'a' }` -> `self.next(self.a, foreach='items')`;
 * - `{ switch: 'c', cases: {x: 'a'} }` -> `self.next({"x": self.a}, condition='c')`; `cases` may also be
 *   a list of `{ key, to }` so that numeric keys stay numbers; `switch` may be missing or empty to
 *   represent a switch without a condition variable;
 * - `{ invalid: '<source text>' }` -> a tail `self.next(...)` that static analysis cannot classify
 *   (a variable switch key, two keywords, ...).
 * An absent `next` means the step body does not end with `self.next(...)`.
 */
export type NextSpec =
  | string
  | readonly string[]
  | { readonly foreach: string; readonly to: string | readonly string[] }
  | { readonly switch?: string | null; readonly cases: Readonly<Record<string, string>> | readonly SwitchCase[] }
  | { readonly invalid: string };

export interface SwitchCase {
  readonly key: string | number | boolean;
  readonly to: string;
}

/**
 * A step body: the statements before the tail `self.next(...)`. It receives `self` (possibly wrapped by a
 * hook; `self.current` is the task's `current`) and the join's `inputs` (null for a non-join step).
 * Returning `EARLY_RETURN` models a `return` before the tail: the static `self.next(...)` is then skipped.
 */
export type StepBody = (self: FlowSelf, inputs: Inputs | null) => Promise<unknown> | unknown;

/** Returned by a body to skip the tail `self.next(...)` (a `return` statement before it). */
export const EARLY_RETURN: unique symbol = Symbol('EARLY_RETURN');

/** A non-step method of the flow class; called bound to the real flow object (as Python binds it). */
export type HelperMethod = (self: FlowSelf, ...args: unknown[]) => Promise<unknown> | unknown;

export interface StepDefinition {
  readonly name: string;
  readonly body?: StepBody;
  readonly next?: NextSpec;
  /** Takes `inputs` (`def join(self, inputs)`). Ignored when `numArgs` is given. */
  readonly join?: boolean;
  /** Explicit positional argument count, for lint: 0 (missing self), 1, 2 (join), 3+ (too many). */
  readonly numArgs?: number;
  /** `@step(start=True)` / `@step(end=True)`. */
  readonly start?: boolean;
  readonly end?: boolean;
  /** `@retry(times=N)`: user-code retries; each attempt is a new task attempt with the same task id. */
  readonly retry?: number;
  /**
   * `@catch(var=...)`: when the last attempt raises, the exception (a MetaflowExceptionWrapper) is stored in `var`,
   * the task succeeds and the flow goes on along the step's static transition (catch_decorator.py task_exception);
   * a task that succeeds gets `var = None` (task_post_step).
   */
  readonly catch?: { readonly var: string | null };
  /** Opaque decorator data for other layers (the runtime ignores it), outermost first. */
  readonly decorators?: readonly unknown[];
  readonly location?: SourceLocation;
  /** Location of the tail `self.next(...)`. */
  readonly nextLocation?: SourceLocation;
}

export interface FlowDefinition {
  /** The class name (`current.flow_name`, the `name` artifact). */
  readonly name: string;
  /** Steps in source order; order does not change semantics (Metaflow discovers them via `dir()`). */
  readonly steps: readonly StepDefinition[];
  readonly parameters?: readonly ParameterDefinition[];
  /** Public class-level non-callables (`CONST = 42`): read-only, passed to every task. Opaque values. */
  readonly constants?: Readonly<Record<string, unknown>>;
  /** Non-step methods. */
  readonly helpers?: Readonly<Record<string, HelperMethod>>;
  /** Opaque flow-level decorator data for other layers, outermost first. */
  readonly decorators?: readonly unknown[];
  readonly location?: SourceLocation;
}
