/**
 * One task: its flow object set up as task.py does (datastore, foreach and iteration stacks, join
 * inputs), its attempts (`@retry`), the hooks, the tail `self.next`, and persisting its artifacts.
 */
import { makeCurrent } from './current.ts';
import { PythonError, toErrorInfo, type ErrorInfo } from './errors.ts';
import { kw, type FlowSelf } from './flow-self.ts';
import { FlowObject, type ArtifactStore, type FlowClass, type ForeachFrame, type Transition } from './flow-object.ts';
import type { GraphNode } from './graph.ts';
import { composeAround, type TaskContext, type TaskHook } from './hooks.ts';
import { Inputs } from './inputs.ts';
import { EARLY_RETURN } from './model.ts';

/** A task of a run, as the runtime tracks it. `_parameters` is task 0. */
export interface TaskRecord {
  readonly step: string;
  readonly taskId: number;
  readonly pathspec: string;
  readonly inputs: readonly TaskRecord[];
  readonly splitIndex: number | null;
  foreachStack: readonly ForeachFrame[];
  iterationStack: readonly number[];
  artifacts: ArtifactStore;
  transition: Transition | null;
  foreachVar: string | null;
  foreachNumSplits: number | null;
  foreachValues: readonly unknown[] | null;
  /** A foreach over an unknown value (a plan's): what it was; its width is UNKNOWN_WIDTH, a representative one. */
  foreachUnknown?: { readonly at: string; readonly expression: string } | null;
  status: 'running' | 'ok' | 'failed';
  error: ErrorInfo | null;
  exception: unknown;
  attempts: number;
}

export interface TaskEnvironment {
  readonly cls: FlowClass;
  readonly runId: string;
  readonly username: string;
  readonly hooks: readonly TaskHook[];
  yieldPoint(): Promise<void>;
}

/** task.py `_init_foreach`: start resets, a foreach join pops, a split child pushes, others inherit. */
function foreachStackOf(env: TaskEnvironment, node: GraphNode, task: TaskRecord, joinType: string | null): ForeachFrame[] {
  const first = task.inputs[0];
  if (!first || node.name === env.cls.graph.startStep) return [];
  if (joinType === 'foreach') return first.foreachStack.slice(0, -1);
  if (joinType !== null) return [...first.foreachStack];
  if (first.foreachVar !== null) {
    return [
      ...first.foreachStack,
      { step: node.name, var: first.foreachVar, numSplits: first.foreachNumSplits ?? 0, index: task.splitIndex ?? 0 },
    ];
  }
  return [...first.foreachStack];
}

/** task.py `_init_iteration`: a recursive switch step counts its iterations. */
function iterationStackOf(node: GraphNode, task: TaskRecord): number[] {
  const recursive = node.type === 'split-switch' && node.outFuncs.includes(node.name);
  if (!recursive) return [];
  const previous = task.inputs[0]?.iterationStack ?? [];
  return previous.length === 0 ? [0] : [...previous.slice(0, -1), previous.at(-1)! + 1];
}

/** The static tail `self.next(...)`, executed through `self` (so a wrapper sees the lookups). */
function runTail(node: GraphNode, self: FlowSelf): void {
  if (!node.hasTailNext || node.invalidTailNext) return;
  if (node.type === 'foreach') {
    self.next(self.step(node.outFuncs[0]!), kw({ foreach: node.foreachParam }));
  } else if (node.type === 'split-switch') {
    const cases = new Map<unknown, unknown>(node.switchCases.map((c) => [c.key, self.step(c.to)]));
    self.next(cases, kw({ condition: node.condition }));
  } else {
    self.next(...node.outFuncs.map((n) => self.step(n)));
  }
}

export async function executeTask(env: TaskEnvironment, task: TaskRecord, joinType: 'foreach' | 'linear' | null): Promise<void> {
  const { cls } = env;
  const node = cls.graph.nodes.get(task.step)!;
  const def = node.definition;
  task.foreachStack = foreachStackOf(env, node, task, joinType);
  task.iterationStack = iterationStackOf(node, task);
  const retries = Math.max(0, def.retry ?? 0);
  const parameterNames = [...cls.parameters.keys()];

  for (let attempt = 0; attempt <= retries; attempt++) {
    task.attempts = attempt + 1;
    const current = makeCurrent({
      flowName: cls.definition.name, runId: env.runId, stepName: task.step, taskId: task.taskId,
      retryCount: attempt, parameterNames, username: env.username,
    });
    const first = task.inputs[0]!;
    // A join starts from an empty output datastore, with only parameters and constants passed down.
    const datastore: ArtifactStore = joinType !== null
      ? new Map([...first.artifacts].filter(([name]) => cls.parameters.has(name) || cls.constants.has(name)))
      : first.artifacts;
    const flow = new FlowObject(cls, { stepName: task.step, datastore, foreachStack: task.foreachStack, current });
    const inputs = joinType === null ? null : new Inputs(task.inputs.map((parent) => ({
      flow: new FlowObject(cls, { stepName: parent.step, datastore: parent.artifacts, foreachStack: parent.foreachStack, current }),
      step: parent.step,
      artifacts: parent.artifacts,
    })));
    const ctx: TaskContext = {
      flow: cls.definition, graph: cls.graph, step: def, node, current, inputs, yieldPoint: env.yieldPoint,
      inputPaths: task.inputs.map((parent) => parent.pathspec),
    };
    let exception: unknown = null;
    try {
      if (joinType === 'linear') {
        const split = cls.graph.nodes.get(node.splitParents.at(-1) ?? '');
        const expected = split?.outFuncs.length ?? 0;
        if (task.inputs.length !== expected) {
          throw new PythonError('MetaflowDataMissing', `Join *${task.step}* expected ${expected} inputs but only ${task.inputs.length} inputs were found`, 'JOIN_INPUTS_MISSING');
        }
      }
      for (const hook of env.hooks) await hook.before?.(ctx, flow);
      await env.yieldPoint();
      const invoke = composeAround(env.hooks, ctx, async (self) => {
        const returned = await def.body?.(self, inputs);
        if (returned !== EARLY_RETURN) runTail(node, self);
      });
      await invoke(flow);
    } catch (err) {
      exception = err;
    }
    const handled = exception !== null && def.catch !== undefined && attempt === retries && !isHarnessFault(exception);
    if (handled) {
      // catch_decorator.py task_exception: the wrapper in `var`, the static transition, and the task is ok.
      if (def.catch!.var) flow.setattr(def.catch!.var, cls.values.caught(toErrorInfo(exception)));
      flow.transition = { steps: [...node.outFuncs], foreach: null };
      exception = null;
    } else if (exception === null && def.catch?.var) flow.setattr(def.catch.var, cls.values.caught(null)); // task_post_step
    // Persisted on failure too (task.py persists in `finally`).
    task.artifacts = flow.persist();
    task.transition = flow.transition;
    task.foreachVar = flow.foreachVar;
    task.foreachNumSplits = flow.foreachNumSplits;
    task.foreachValues = flow.foreachValues;
    task.foreachUnknown = flow.foreachUnknown;
    await env.yieldPoint();
    for (const hook of [...env.hooks].reverse()) {
      try {
        await hook.after?.(ctx, {
          status: exception === null ? 'ok' : 'failed',
          error: exception === null ? null : toErrorInfo(exception),
          exception,
          artifacts: task.artifacts,
        });
      } catch (err) {
        exception ??= err;
      }
    }
    if (exception === null) {
      task.status = 'ok';
      task.error = null;
      task.exception = null;
      return;
    }
    task.status = 'failed';
    task.error = toErrorInfo(exception);
    task.exception = exception;
  }
}

/** A JavaScript error inside the runtime or a hook is tracked-flows' own fault: @catch must not hide it. */
function isHarnessFault(err: unknown): boolean {
  return !(err instanceof PythonError) && (err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError);
}
