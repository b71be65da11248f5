/**
 * The hook point around each task attempt. The runtime knows nothing of W&B: the integration plugs in here.
 * Order per attempt: `before` (outermost hook first), then the step function wrapped by every `around`
 * (the first hook is the outermost), then the task's artifacts are persisted, then `after` (innermost
 * first). An exception from any hook fails the attempt like one from the step body.
 */
import type { Current } from './current.ts';
import type { ErrorInfo } from './errors.ts';
import type { FlowSelf } from './flow-self.ts';
import type { FlowGraph, GraphNode } from './graph.ts';
import type { Inputs } from './inputs.ts';
import type { FlowDefinition, StepDefinition } from './model.ts';

export interface TaskContext {
  readonly flow: FlowDefinition;
  readonly graph: FlowGraph;
  readonly step: StepDefinition;
  readonly node: GraphNode;
  readonly current: Current;
  /** The join's inputs, null for other steps. */
  readonly inputs: Inputs | null;
  /** Pathspecs of the parent tasks, in input order (lineage needs to know where a value came from). */
  readonly inputPaths: readonly string[];
  /** Where a seeded scheduler may switch to another task (no-op when running sequentially). */
  yieldPoint(): Promise<void>;
}

export interface AttemptOutcome {
  readonly status: 'ok' | 'failed';
  readonly error: ErrorInfo | null;
  /** The raw exception, for hooks that need more than type and message. */
  readonly exception: unknown;
  /** The artifacts the attempt persisted (also on failure, as Metaflow does). */
  readonly artifacts: ReadonlyMap<string, unknown>;
}

/** Runs the step function (body and tail `self.next`) with the given `self`. Call it once. */
export type InvokeStep = (self: FlowSelf) => Promise<void>;

export interface TaskHook {
  before?(ctx: TaskContext, self: FlowSelf): Promise<void> | void;
  /** Wraps the step function; may pass a wrapped `self` (e.g. a Proxy over artifact reads and writes). */
  around?(ctx: TaskContext, self: FlowSelf, invoke: InvokeStep): Promise<void>;
  after?(ctx: TaskContext, outcome: AttemptOutcome): Promise<void> | void;
}

export function composeAround(hooks: readonly TaskHook[], ctx: TaskContext, invoke: InvokeStep): InvokeStep {
  return hooks.reduceRight<InvokeStep>(
    (inner, hook) => (hook.around ? (self) => hook.around!(ctx, self, inner) : inner),
    invoke,
  );
}
