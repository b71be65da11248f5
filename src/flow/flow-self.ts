/**
 * `self` in a step body: Python's attribute protocol on the flow object. The five primitives (`getattr`,
 * `setattr`, `delattr`, `hasattr`, `dir`) are what a hook may intercept — e.g. the W&B integration's
 * ArtifactProxy extends `FlowSelfBase`, overrides the primitives and delegates to the real flow, exactly as
 * the Python proxy does with `__getattr__` / `__setattr__`. The conveniences (`next`, `merge_artifacts`,
 * `input`, `index`, `foreach_stack`, `call`) are spelled in terms of `getattr`, so they go through such a
 * wrapper the way the Python attribute lookups would (and the bound methods then act on the real flow).
 */
import type { Current } from './current.ts';
import { PythonError } from './errors.ts';
import type { Inputs } from './inputs.ts';
import { pyTypeName, type ValueProtocol } from './value-protocol.ts';

export interface FlowSelf {
  getattr(name: string): unknown;
  setattr(name: string, value: unknown): void;
  delattr(name: string): void;
  hasattr(name: string): boolean;
  /** Python's `dir(self)`: sorted public names (methods, parameters, constants, properties, set attributes). */
  dir(): string[];
  /** The task's `metaflow.current` (not a Python attribute of the flow). */
  readonly current: Current;
  /** The value protocol of the run (not a Python attribute of the flow). */
  readonly values: ValueProtocol;

  /** `self.next(*dsts, **kwargs)`: pass step methods (`self.step('a')`) and optionally `kw({...})` last. */
  next(...args: unknown[]): void;
  /** `self.merge_artifacts(inputs, include=..., exclude=...)`. */
  merge_artifacts(inputs: Inputs, options?: { include?: readonly string[]; exclude?: readonly string[] }): void;
  /** `self.input`: the foreach item, or null outside a foreach. */
  readonly input: unknown;
  /** `self.index`: the foreach split index, or null outside a foreach. */
  readonly index: number | null;
  /** `self.foreach_stack()`: `[index, num_splits, value]` per nesting level. */
  foreach_stack(): Array<[number, number, unknown]>;
  /** `self.<method>(*args)` for a helper method (or a step method). */
  call(method: string, ...args: unknown[]): Promise<unknown>;
  /** `self.<step_name>`, the bound step method to pass to `next`. */
  step(name: string): unknown;
}

/** Python keyword arguments, passed as the last argument of `next`. */
export class Kwargs {
  constructor(readonly values: Readonly<Record<string, unknown>>) {}
}
export const kw = (values: Readonly<Record<string, unknown>>): Kwargs => new Kwargs(values);

export type MethodKind = 'step' | 'helper' | 'builtin';

/** A bound method (`self.a`): what Metaflow's `next` recognises via `dst.__func__.__name__`. */
export class BoundMethod {
  constructor(
    readonly name: string,
    readonly kind: MethodKind,
    private readonly impl: (...args: unknown[]) => unknown,
  ) {}
  invoke(...args: unknown[]): unknown {
    return this.impl(...args);
  }
}

function asCallable(value: unknown, name: string): BoundMethod {
  if (value instanceof BoundMethod) return value;
  if (typeof value === 'function') return new BoundMethod(name, 'helper', value as (...a: unknown[]) => unknown);
  throw new PythonError('TypeError', `'${pyTypeName(value)}' object is not callable`);
}

export abstract class FlowSelfBase implements FlowSelf {
  abstract getattr(name: string): unknown;
  abstract setattr(name: string, value: unknown): void;
  abstract delattr(name: string): void;
  /** Python's hasattr: getattr, and False on AttributeError only (a wrapper's getattr side effects included). */
  hasattr(name: string): boolean {
    try {
      this.getattr(name);
      return true;
    } catch (err) {
      if (err instanceof PythonError && err.pyType === 'AttributeError') return false;
      throw err;
    }
  }
  abstract dir(): string[];
  abstract readonly current: Current;
  abstract readonly values: ValueProtocol;

  next(...args: unknown[]): void {
    asCallable(this.getattr('next'), 'next').invoke(...args);
  }
  merge_artifacts(inputs: Inputs, options: { include?: readonly string[]; exclude?: readonly string[] } = {}): void {
    asCallable(this.getattr('merge_artifacts'), 'merge_artifacts').invoke(inputs, kw(options));
  }
  get input(): unknown {
    return this.getattr('input');
  }
  get index(): number | null {
    return this.getattr('index') as number | null;
  }
  foreach_stack(): Array<[number, number, unknown]> {
    return asCallable(this.getattr('foreach_stack'), 'foreach_stack').invoke() as Array<[number, number, unknown]>;
  }
  async call(method: string, ...args: unknown[]): Promise<unknown> {
    return await asCallable(this.getattr(method), method).invoke(...args);
  }
  step(name: string): unknown {
    return this.getattr(name);
  }
}
