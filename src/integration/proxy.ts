// `ArtifactProxy` (metaflow.py:41-61): the `self` a decorated step body sees. Its rules, all observed when run
// (reference §2.2): a read of a name that is neither in `dir(flow)` (taken when the proxy is made) nor already
// written is an input (first-read position, last value); every write is an output (first-write position, last
// value); names the proxy holds itself (`flow`, `inputs`, `outputs`, `base`, `params`) shadow artifacts on read;
// there is no `__delattr__`, so `del self.x` raises.

import { FlowSelfBase, PythonError, type Current, type FlowSelf, type ValueProtocol } from '../flow/index.ts';

/** Attributes found on the proxy itself by normal lookup, so `__getattr__` never runs for them. */
export const PROXY_INTERNALS = ['base', 'flow', 'inputs', 'outputs', 'params'] as const;

export class ArtifactProxy extends FlowSelfBase {
  readonly flow: FlowSelf;
  readonly inputs = new Map<string, unknown>();
  readonly outputs = new Map<string, unknown>();
  readonly base: ReadonlySet<string>;
  readonly params: ReadonlyMap<string, unknown>;

  constructor(flow: FlowSelf) {
    super();
    this.flow = flow;
    this.base = new Set(flow.dir());
    this.params = new Map(flow.current.parameter_names.map((p) => [p, flow.getattr(p)]));
  }

  get current(): Current {
    return this.flow.current;
  }
  get values(): ValueProtocol {
    return this.flow.values;
  }

  getattr(name: string): unknown {
    if ((PROXY_INTERNALS as readonly string[]).includes(name)) return this[name as (typeof PROXY_INTERNALS)[number]];
    if (!this.base.has(name) && !this.outputs.has(name)) {
      // The flow's AttributeError propagates before anything is recorded.
      const value = this.flow.getattr(name);
      this.inputs.set(name, value);
      return value;
    }
    return this.flow.getattr(name);
  }

  setattr(name: string, value: unknown): void {
    this.outputs.set(name, value);
    this.flow.setattr(name, value);
  }

  delattr(name: string): void {
    throw new PythonError('AttributeError', `'ArtifactProxy' object has no attribute '${name}'`);
  }

  // hasattr is FlowSelfBase's: it calls getattr, so a successful probe of an artifact records it as an input.

  dir(): string[] {
    return [...PROXY_INTERNALS];
  }
}

/**
 * A transparent `self` for tasks without a run: it changes nothing and only notes which names the task wrote,
 * so lineage can tell where a value read downstream came from (and that nobody logged it).
 */
export class ObservedSelf extends FlowSelfBase {
  readonly writes = new Set<string>();
  constructor(readonly inner: FlowSelf) {
    super();
  }
  get current(): Current {
    return this.inner.current;
  }
  get values(): ValueProtocol {
    return this.inner.values;
  }
  getattr(name: string): unknown {
    return this.inner.getattr(name);
  }
  setattr(name: string, value: unknown): void {
    this.writes.add(name);
    this.inner.setattr(name, value);
  }
  delattr(name: string): void {
    this.inner.delattr(name);
  }
  override hasattr(name: string): boolean {
    return this.inner.hasattr(name);
  }
  dir(): string[] {
    return this.inner.dir();
  }
}
