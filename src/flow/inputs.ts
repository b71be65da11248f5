/**
 * A join's `inputs` (datastore/inputs.py): one read-only flow object per parent task, iterable and
 * indexable, with `inputs.<step_name>` for static splits (in a foreach join: the last input) — and, as
 * observed, no `len()`.
 */
import { PythonError } from './errors.ts';
import type { FlowSelf } from './flow-self.ts';

/** One parent task of a join: its read-only flow object, step name and persisted artifacts. */
export interface JoinInput {
  readonly flow: FlowSelf;
  readonly step: string;
  readonly artifacts: ReadonlyMap<string, unknown>;
}

export class Inputs implements Iterable<FlowSelf> {
  readonly #entries: readonly JoinInput[];
  readonly #flows: readonly FlowSelf[];
  readonly #byStep = new Map<string, FlowSelf>();

  constructor(entries: Iterable<JoinInput>) {
    this.#entries = [...entries];
    this.#flows = this.#entries.map((e) => e.flow);
    for (const e of this.#entries) this.#byStep.set(e.step, e.flow);
  }

  /**
   * Whether the real order of these inputs is random per process: a static join's parents are queued from
   * `set(in_funcs)` (Metaflow 2.19.38 runtime.py, _queue_task_join), the hash order of their step names, which
   * changes with PYTHONHASHSEED. A foreach join's inputs come from one step, in split order.
   */
  get orderUnknown(): boolean {
    return new Set(this.#entries.map((e) => e.step)).size > 1;
  }

  /** The parents' persisted artifacts, in input order (what merge_artifacts reads; not a Python attribute). */
  artifactStores(): ReadonlyArray<ReadonlyMap<string, unknown>> {
    return this.#entries.map((e) => e.artifacts);
  }

  [Symbol.iterator](): Iterator<FlowSelf> {
    return this.#flows[Symbol.iterator]();
  }

  /** `inputs[i]`, negative indices included. */
  at(index: number): FlowSelf {
    const i = index < 0 ? this.#flows.length + index : index;
    const flow = Number.isInteger(i) ? this.#flows[i] : undefined;
    if (flow === undefined) throw new PythonError('IndexError', 'list index out of range');
    return flow;
  }

  /** `inputs.<name>`: the input from step `name` (the last one, in a foreach join). */
  getattr(name: string): FlowSelf {
    const flow = this.#byStep.get(name);
    if (flow === undefined) throw new PythonError('AttributeError', `'Inputs' object has no attribute '${name}'`, 'NO_ATTRIBUTE');
    return flow;
  }

  /** `len(inputs)` raises, as observed with Metaflow 2.19.38. */
  len(): never {
    throw new PythonError('TypeError', "object of type 'Inputs' has no len()", 'INPUTS_HAS_NO_LEN');
  }
}
