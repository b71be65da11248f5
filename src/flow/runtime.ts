/**
 * The run loop, after runtime.py's NativeRuntime: a FIFO queue of tasks, task ids from 1 in launch order
 * (`_parameters` is 0), successors queued when a task finishes, joins queued once all their parents have.
 *
 * Deterministic order (documented choice; Metaflow's is partly random):
 * - sequentially (`maxWorkers: 1`, the default) tasks run one at a time in queue order, which is Metaflow
 *   with `--max-workers 1`: foreach children in split order, static-split branches in `self.next`
 *   argument order, the join after its last parent;
 * - a join's `inputs` are in split-index order (foreach) or in the split's `self.next` argument order
 *   (static split; Metaflow iterates a set there);
 * - with `maxWorkers > 1` ids follow launch order and successors completion order, as in Metaflow; pass a
 *   seeded scheduler to make that interleaving reproducible.
 */
import { FlowError, PythonError, toErrorInfo, type ErrorInfo } from './errors.ts';
import type { FlowClass } from './flow-object.ts';
import { buildGraph, type FlowGraph } from './graph.ts';
import type { TaskHook } from './hooks.ts';
import { lintGraph, type LintOptions, type LintProblem } from './lint/index.ts';
import type { FlowDefinition } from './model.ts';
import { checkParameters, resolveParameters, type ResolvedParameter } from './parameters.ts';
import { freeScheduler, type TaskScheduler } from './scheduler.ts';
import { executeTask, type TaskRecord } from './task.ts';
import { defaultValueProtocol, type ValueProtocol } from './value-protocol.ts';

export interface RunOptions {
  /** Defaults to Metaflow's local form: microseconds since the epoch from `clock`. */
  readonly runId?: string;
  /** Milliseconds since the epoch (injected for determinism); defaults to `Date.now`. */
  readonly clock?: () => number;
  /** Parameter values by attribute or CLI name: CLI strings or JS values. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  readonly values?: Partial<ValueProtocol>;
  readonly hooks?: readonly TaskHook[];
  /** `--max-num-splits`, default 100. */
  readonly maxNumSplits?: number;
  /** `--max-workers`, default 1 (sequential, deterministic). */
  readonly maxWorkers?: number;
  /** Interleaving of tasks in flight; share one between runs to interleave runs. Default: free. */
  readonly scheduler?: TaskScheduler;
  readonly username?: string;
  readonly lint?: LintOptions;
}

export interface TaskResult {
  readonly step: string;
  readonly task_id: string;
  readonly pathspec: string;
  readonly status: 'ok' | 'failed';
  readonly error: ErrorInfo | null;
  /** Attempts made (`@retry`); the last one's artifacts and error are reported. */
  readonly attempts: number;
  /** Input pathspecs `run/step/task`, in input order. */
  readonly input_paths: readonly string[];
  /** `[index, num_splits]` per foreach level. */
  readonly foreach_stack: ReadonlyArray<readonly [number, number]>;
  /** Everything the task persisted (parameters, constants and `name` included), in insertion order. */
  readonly artifacts: Readonly<Record<string, unknown>>;
  /** Set when the task's foreach iterated an unknown value (a plan's): the fan-out's width is a representative one. */
  readonly foreach_unknown?: { readonly variable: string; readonly to: string; readonly at: string; readonly expression: string };
}

export interface RunResult {
  readonly flow_name: string;
  readonly run_id: string;
  readonly status: 'ok' | 'failed';
  readonly parameters: readonly ResolvedParameter[];
  /** In launch (task id) order. */
  readonly tasks: readonly TaskResult[];
  /** Why the run failed: the failing task's error. */
  readonly error: (ErrorInfo & { readonly step: string; readonly task_id: string }) | null;
}

export class FlowLintError extends FlowError {
  constructor(readonly flowName: string, readonly problems: readonly LintProblem[]) {
    super(
      'LINT_FAILED',
      `Failed to run "${flowName}": the validity checker found ${problems.length} issue(s), the first: ` +
        `${problems[0]?.message ?? ''}. Fix the flow and run it again.`,
    );
  }
}

/** Every definition-time problem of a flow: parameter errors, then lint. */
export function lintFlow(flow: FlowDefinition, options: LintOptions = {}): { graph: FlowGraph; problems: LintProblem[] } {
  const graph = buildGraph(flow);
  return { graph, problems: [...checkParameters(flow), ...lintGraph(graph, options)] };
}

interface QueuedTask {
  readonly step: string;
  readonly inputs: readonly TaskRecord[];
  readonly splitIndex: number | null;
  readonly joinType: 'foreach' | 'linear' | null;
}

const stackKey = (task: TaskRecord, step = task.step, top?: number | '*'): string => {
  const frames = task.foreachStack.map((f, i) => `${f.step}:${i === task.foreachStack.length - 1 && top !== undefined ? top : f.index}`);
  return `${step}|${frames.join('/')}|${task.iterationStack.join(',')}`;
};

export async function runFlow(flow: FlowDefinition, options: RunOptions = {}): Promise<RunResult> {
  const { graph, problems } = lintFlow(flow, options.lint);
  if (problems.length > 0) throw new FlowLintError(flow.name, problems);
  const values: ValueProtocol = { ...defaultValueProtocol, ...options.values };
  const parameters = resolveParameters(flow, options.parameters);
  const cls: FlowClass = {
    definition: flow,
    graph,
    parameters: new Map(parameters.map((p) => [p.name, values.fromParameter(p)])),
    constants: new Map(Object.entries(flow.constants ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    values,
  };
  const runId = options.runId ?? String(Math.floor((options.clock ?? Date.now)() * 1000));
  const maxWorkers = Math.max(1, options.maxWorkers ?? 1);
  const maxNumSplits = options.maxNumSplits ?? 100;
  const scheduler = maxWorkers > 1 ? (options.scheduler ?? freeScheduler) : freeScheduler;
  const hooks = options.hooks ?? [];
  const username = options.username ?? 'tester';

  // The `_parameters` pseudo-task (id 0) holds parameters, constants and `name` for the start step.
  const paramsTask: TaskRecord = {
    step: '_parameters', taskId: 0, pathspec: `${flow.name}/${runId}/_parameters/0`, inputs: [], splitIndex: null,
    foreachStack: [], iterationStack: [],
    artifacts: new Map<string, unknown>([...cls.parameters, ...cls.constants, ['name', flow.name]]),
    transition: null, foreachVar: null, foreachNumSplits: null, foreachValues: null,
    status: 'ok', error: null, exception: null, attempts: 1,
  };

  const queue: QueuedTask[] = [];
  const launched: TaskRecord[] = [];
  const finished = new Map<string, TaskRecord>();
  // Finished keys per sibling group (the key with its top foreach index as `*`). A foreach join's scan over all
  // numSplits siblings is only worth doing once that many can be there; without this count every child of a
  // foreach of N scanned N keys, O(N^2): 10,000 children took ~40 s.
  const siblingsFinished = new Map<string, number>();
  const markFinished = (task: TaskRecord, keyOf: TaskRecord = task) => {
    const key = stackKey(keyOf);
    if (!finished.has(key)) {
      const group = stackKey(keyOf, keyOf.step, '*');
      siblingsFinished.set(group, (siblingsFinished.get(group) ?? 0) + 1);
    }
    finished.set(key, task);
  };
  let counter = 0;
  let inFlight = 0;
  let failure: TaskRecord | null = null;

  const fail = (task: TaskRecord, err: unknown) => {
    task.status = 'failed';
    task.error = toErrorInfo(err);
    task.exception = err;
  };

  /** runtime.py `_queue_task_join`: queue the join once every required parent task has finished. */
  const queueJoin = (task: TaskRecord, next: string) => {
    const joinNode = graph.nodes.get(next)!;
    const split = graph.nodes.get(joinNode.splitParents.at(-1) ?? '')!;
    const parents = joinNode.inFuncs;
    let required: TaskRecord[];
    let count: number;
    let joinType: 'foreach' | 'linear';
    if (split.type === 'foreach') {
      const top = task.foreachStack.at(-1)!;
      count = top.numSplits;
      // The scan below finds at most this many (each key it finds was counted in its group): skip it until full.
      let present = 0;
      for (const p of parents) present += siblingsFinished.get(stackKey(task, p, '*')) ?? 0;
      if (present < count) return;
      required = [];
      for (let i = 0; i < top.numSplits; i++) {
        for (const p of parents) {
          const done = finished.get(stackKey(task, p, i));
          if (done) required.push(done);
        }
      }
      joinType = 'foreach';
    } else {
      count = split.outFuncs.length;
      const branchIndex = (step: string) => {
        const branch = graph.nodes.get(step)!.splitBranches.at(-1);
        const i = split.outFuncs.indexOf(step === split.name ? next : (branch ?? step));
        return i < 0 ? Number.MAX_SAFE_INTEGER : i;
      };
      required = [...parents]
        .sort((a, b) => branchIndex(a) - branchIndex(b))
        .map((p) => finished.get(stackKey(task, p)))
        .filter((t): t is TaskRecord => t !== undefined);
      joinType = 'linear';
    }
    if (required.length === count) queue.push({ step: next, inputs: required, splitIndex: null, joinType });
  };

  /** runtime.py `_queue_tasks`: check the runtime transition against the static graph, queue successors. */
  const queueSuccessors = (task: TaskRecord) => {
    markFinished(task);
    const node = graph.nodes.get(task.step)!;
    const nextSteps = [...(task.transition?.steps ?? [])];
    const expected = node.outFuncs;
    if (node.type === 'split-switch') {
      const recursive = expected.includes(task.step);
      if (nextSteps.length !== 1) {
        throw new PythonError('MetaflowInternalError', `Switch step *${task.step}* should transition to exactly one step at runtime, but got: ${nextSteps.join(', ')}`, 'TRANSITION_MISMATCH');
      }
      if (!expected.includes(nextSteps[0]!)) {
        throw new PythonError('MetaflowInternalError', `Switch step *${task.step}* transitioned to unexpected step *${nextSteps[0]}*. Expected one of: ${expected.join(', ')}`, 'TRANSITION_MISMATCH');
      }
      if (recursive && nextSteps[0] !== task.step) {
        // Leaving the loop: also register the task one iteration level up, for successors to find.
        markFinished(task, { ...task, iterationStack: task.iterationStack.slice(0, -1) });
      }
    } else if (nextSteps.join('\u0000') !== expected.join('\u0000')) {
      throw new PythonError(
        'MetaflowInternalError',
        `Based on static analysis of the code, step *${task.step}* was expected to transition to step(s) ` +
          `*${expected.join(', ')}*. However, when the code was executed, self.next() was called with ` +
          `*${nextSteps.join(', ')}*. Make sure there is only one unconditional self.next() call in the end of your step. `,
        'TRANSITION_MISMATCH',
      );
    }
    if (nextSteps.some((s) => graph.nodes.get(s)?.type === 'join')) {
      queueJoin(task, nextSteps[0]!);
    } else if (task.transition?.foreach) {
      const splits = task.foreachNumSplits ?? 0;
      if (splits > maxNumSplits) {
        throw new PythonError(
          'TaskFailed',
          `Step *${task.step}* (task-id ${task.taskId}) failed: Foreach in step *${task.step}* yielded ${splits} child ` +
            `steps which is more than the current maximum of ${maxNumSplits} children. You can raise the maximum ` +
            'with the --max-num-splits option. ',
          'TOO_MANY_SPLITS',
        );
      }
      for (let i = 0; i < splits; i++) queue.push({ step: nextSteps[0]!, inputs: [task], splitIndex: i, joinType: null });
    } else {
      for (const step of nextSteps) queue.push({ step, inputs: [task], splitIndex: null, joinType: null });
    }
  };

  return await new Promise<RunResult>((resolve, reject) => {
    const finish = () => {
      const tasks = launched.map((t): TaskResult => ({
        step: t.step,
        task_id: String(t.taskId),
        pathspec: t.pathspec,
        status: t.status === 'ok' ? 'ok' : 'failed',
        error: t.error,
        attempts: t.attempts,
        input_paths: t.inputs.map((i) => `${runId}/${i.step}/${i.taskId}`),
        foreach_stack: t.foreachStack.map((f) => [f.index, f.numSplits] as const),
        artifacts: Object.fromEntries(t.artifacts),
        ...(t.foreachUnknown ? { foreach_unknown: { variable: t.foreachVar ?? '', to: t.transition?.steps[0] ?? '', ...t.foreachUnknown } } : {}),
      }));
      resolve({
        flow_name: flow.name,
        run_id: runId,
        status: failure ? 'failed' : 'ok',
        parameters,
        tasks,
        error: failure ? { ...failure.error!, step: failure.step, task_id: String(failure.taskId) } : null,
      });
    };

    const onFinished = (task: TaskRecord) => {
      inFlight--;
      if (task.status === 'ok' && failure === null) {
        try {
          queueSuccessors(task);
        } catch (err) {
          fail(task, err);
        }
      }
      if (task.status !== 'ok' && failure === null) failure = task;
      launch();
      if (inFlight === 0 && (queue.length === 0 || failure !== null)) finish();
    };

    const launch = () => {
      while (failure === null && queue.length > 0 && inFlight < maxWorkers) {
        const next = queue.shift()!;
        const taskId = ++counter;
        const task: TaskRecord = {
          step: next.step, taskId, pathspec: `${flow.name}/${runId}/${next.step}/${taskId}`,
          inputs: next.inputs, splitIndex: next.splitIndex, foreachStack: [], iterationStack: [],
          artifacts: new Map(), transition: null, foreachVar: null, foreachNumSplits: null, foreachValues: null,
          status: 'running', error: null, exception: null, attempts: 0,
        };
        launched.push(task);
        inFlight++;
        const key = `${runId}/${task.step}/${taskId}`;
        const env = { cls, runId, username, hooks, yieldPoint: () => scheduler.yieldPoint(key) };
        // enter() registers synchronously, so every task launched in this turn is a scheduling candidate.
        scheduler
          .enter(key)
          .then(() => executeTask(env, task, next.joinType))
          .catch((err: unknown) => fail(task, err))
          .then(() => {
            onFinished(task);
            scheduler.leave(key);
          })
          .catch(reject);
      }
    };

    queue.push({ step: graph.startStep!, inputs: [paramsTask], splitIndex: null, joinType: null });
    launch();
  });
}
