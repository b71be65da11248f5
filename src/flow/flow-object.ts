/**
 * The real flow object of one task (or of one join input): FlowSpec's attribute semantics.
 * - Parameters and constants are read-only class properties (assigning raises Metaflow's AttributeError).
 * - Upstream artifacts are loaded lazily from the task's datastore on first read and then cached on the
 *   object (so they are not in `dir()` until read), each load giving a fresh copy (unpickling).
 * - Attributes set on the object are the task's new artifacts.
 */
import type { Current } from './current.ts';
import { PythonError } from './errors.ts';
import { BoundMethod, FlowSelfBase, Kwargs } from './flow-self.ts';
import type { FlowGraph } from './graph.ts';
import type { Inputs } from './inputs.ts';
import { mergeArtifacts } from './merge.ts';
import type { FlowDefinition } from './model.ts';
import { performNext } from './next.ts';
import type { ValueProtocol } from './value-protocol.ts';

/** One level of `foreach_stack`: Metaflow's ForeachFrame. */
export interface ForeachFrame {
  readonly step: string;
  readonly var: string;
  readonly numSplits: number;
  readonly index: number;
}

/** A task's persisted artifacts (name -> value), in insertion order. */
export type ArtifactStore = Map<string, unknown>;

/** What the flow class holds for a run: shared by every task's flow object. */
export interface FlowClass {
  readonly definition: FlowDefinition;
  readonly graph: FlowGraph;
  readonly parameters: ReadonlyMap<string, unknown>;
  readonly constants: ReadonlyMap<string, unknown>;
  readonly values: ValueProtocol;
}

/** `self.next` as recorded: Metaflow's `_transition`. */
export interface Transition {
  readonly steps: readonly string[];
  readonly foreach: string | null;
}

/** Read-only properties FlowSpec defines; they have no setter and no deleter. */
const PROPERTIES = new Set(['input', 'index', 'script_name']);
const BUILTIN_METHODS = ['cmd', 'foreach_stack', 'merge_artifacts', 'next'] as const;

export class FlowObject extends FlowSelfBase {
  readonly #cls: FlowClass;
  readonly #instance = new Map<string, unknown>();
  readonly #cachedInput = new Map<number, unknown>();
  /** Foreach variables loaded by `self.input` (in `dir()` as Metaflow's setattr cache would put them). */
  readonly #touched = new Set<string>();
  /** The datastore lazy reads come from: the parent's artifacts, or (in a join) the output being built. */
  readonly datastore: ArtifactStore;
  readonly stepName: string;
  readonly foreachStack: readonly ForeachFrame[];
  readonly current: Current;
  transition: Transition | null = null;
  foreachNumSplits: number | null = null;
  foreachVar: string | null = null;
  foreachValues: unknown[] | null = null;
  foreachUnknown: { readonly at: string; readonly expression: string } | null = null;

  constructor(
    cls: FlowClass,
    init: { stepName: string; datastore: ArtifactStore; foreachStack: readonly ForeachFrame[]; current: Current },
  ) {
    super();
    this.#cls = cls;
    this.stepName = init.stepName;
    this.datastore = init.datastore;
    this.foreachStack = init.foreachStack;
    this.current = init.current;
    this.#instance.set('name', cls.definition.name); // FlowSpec.__init__: self.name = class name
  }

  get values(): ValueProtocol {
    return this.#cls.values;
  }
  get graph(): FlowGraph {
    return this.#cls.graph;
  }
  get definition(): FlowDefinition {
    return this.#cls.definition;
  }

  #isClassProperty(name: string): boolean {
    return this.#cls.parameters.has(name) || this.#cls.constants.has(name);
  }

  #method(name: string): BoundMethod | undefined {
    switch (name) {
      case 'next':
        return new BoundMethod(name, 'builtin', (...args) => performNext(this, args));
      case 'merge_artifacts':
        return new BoundMethod(name, 'builtin', (inputs, options) =>
          mergeArtifacts(this, inputs as Inputs, options instanceof Kwargs ? options.values : {}),
        );
      case 'foreach_stack':
        return new BoundMethod(name, 'builtin', () =>
          this.foreachStack.map((frame, i): [number, number, unknown] => [frame.index, frame.numSplits, this.#findInput(i)]),
        );
      case 'cmd':
        return new BoundMethod(name, 'builtin', () => {
          throw new PythonError('NotImplementedError', 'FlowSpec.cmd is a legacy function and is not modelled');
        });
    }
    const step = this.#cls.graph.nodes.get(name);
    if (step) return new BoundMethod(name, 'step', (...args) => step.definition.body?.(this, (args[0] as Inputs) ?? null));
    const helper = this.#cls.definition.helpers?.[name];
    if (helper) return new BoundMethod(name, 'helper', (...args) => helper(this, ...args));
    return undefined;
  }

  /** FlowSpec._find_input: `getattr(self, frame.var)[frame.index]`, None when the variable is gone. */
  #findInput(stackIndex = this.foreachStack.length - 1): unknown {
    if (this.#cachedInput.has(stackIndex)) return this.#cachedInput.get(stackIndex);
    const frame = this.foreachStack[stackIndex];
    if (!frame) return null;
    let value: unknown = null;
    try {
      // Metaflow loads the whole foreach list onto the flow to index it. Here the list is not copied unless the
      // step reads it itself: the item is copied from the stored list (what unpickling it would give), and the
      // list stays the parent's reference when persisted — otherwise a foreach of n keeps n copies of n items.
      const loaded = this.#instance.has(frame.var) || !this.datastore.has(frame.var);
      const variable = loaded ? this.getattr(frame.var) : this.datastore.get(frame.var);
      value = loaded ? this.#cls.values.item(variable, frame.index) : this.#cls.values.clone(this.#cls.values.item(variable, frame.index));
      if (!loaded) this.#touched.add(frame.var);
    } catch (err) {
      if (!(err instanceof PythonError && err.pyType === 'AttributeError')) throw err;
    }
    this.#cachedInput.set(stackIndex, value);
    return value;
  }

  #flowName(): string {
    return this.#cls.values.str(this.#instance.get('name'));
  }

  getattr(name: string): unknown {
    // Python's order: data descriptors (properties), the instance dict, methods, then __getattr__.
    if (this.#cls.parameters.has(name)) return this.#cls.parameters.get(name);
    if (this.#cls.constants.has(name)) return this.#cls.constants.get(name);
    if (name === 'input') return this.#findInput();
    if (name === 'index') return this.foreachStack.at(-1)?.index ?? null;
    if (name === 'script_name') return this.#cls.definition.location?.file.split('/').at(-1) ?? 'flow.py';
    if (this.#instance.has(name)) return this.#instance.get(name);
    const method = this.#method(name);
    if (method) return method;
    if (this.datastore.has(name)) {
      // FlowSpec.__getattr__: load from the datastore and cache with setattr.
      const value = this.#cls.values.clone(this.datastore.get(name));
      this.#instance.set(name, value);
      return value;
    }
    throw new PythonError('AttributeError', `Flow ${this.#flowName()} has no attribute '${name}'`, 'NO_ATTRIBUTE');
  }

  setattr(name: string, value: unknown): void {
    if (this.#isClassProperty(name)) {
      throw new PythonError('AttributeError', 'Flow level attributes and Parameters are not modifiable', 'READ_ONLY_ATTRIBUTE');
    }
    if (PROPERTIES.has(name)) {
      throw new PythonError('AttributeError', `property '${name}' of '${this.#cls.definition.name}' object has no setter`, 'READ_ONLY_ATTRIBUTE');
    }
    this.#instance.set(name, value);
  }

  delattr(name: string): void {
    if (this.#isClassProperty(name) || PROPERTIES.has(name)) {
      throw new PythonError('AttributeError', `property '${name}' of '${this.#cls.definition.name}' object has no deleter`, 'READ_ONLY_ATTRIBUTE');
    }
    if (!this.#instance.delete(name)) {
      throw new PythonError('AttributeError', `'${this.#cls.definition.name}' object has no attribute '${name}'`, 'NO_ATTRIBUTE');
    }
  }

  dir(): string[] {
    const names = new Set<string>([
      ...BUILTIN_METHODS,
      ...PROPERTIES,
      ...this.#cls.parameters.keys(),
      ...this.#cls.constants.keys(),
      ...this.#cls.graph.nodes.keys(),
      ...Object.keys(this.#cls.definition.helpers ?? {}),
      ...this.#instance.keys(),
      ...this.#touched,
    ]);
    return [...names].sort();
  }

  /**
   * TaskDataStore.persist: every artifact of the datastore (parent's references, or the join's passdown
   * and merges), overwritten by the attributes set on the object; methods and functions are not artifacts.
   */
  persist(): ArtifactStore {
    const out: ArtifactStore = new Map(this.datastore);
    for (const [name, value] of this.#instance) {
      if (name.startsWith('__') || typeof value === 'function' || value instanceof BoundMethod) continue;
      out.set(name, value);
    }
    return out;
  }
}
