// Flows the benchmark builds itself: a foreach of N children (the scaling series) and random small flows
// (the cost per generated flow, when there is no property suite to time).

import fc from 'fast-check';
import { flow, wandbLog } from '../../src/index.ts';
import type { RunnableScenario } from '../../harness/runner/index.ts';
import { py, runnable } from '../helpers/flows.ts';

/**
 * start -> work (foreach of n) -> join -> end: n + 3 tasks. `tracked`: @wandb_log on the flow, so every task
 * is a W&B run (init, file_stream, upload, finish, ~10 requests); else the flow runtime alone.
 */
export function foreachOf(n: number, tracked: boolean, readsInput = true): RunnableScenario {
  const definition: flow.FlowDefinition = {
    name: 'ScaleFlow', decorators: tracked ? [wandbLog({})] : [],
    steps: [
      { name: 'start', body: (s) => s.setattr('xs', py.list(Array.from({ length: n }, (_, i) => py.int(i)))), next: { foreach: 'xs', to: 'work' } },
      // Reading self.input loads (clones) the whole foreach list into the child, as unpickling does in Metaflow,
      // and the clone is persisted with the child: O(n) per child. `readsInput: false` shows the runtime without it.
      { name: 'work', body: (s) => s.setattr('y', readsInput ? py.int(Number((s.input as { value: bigint }).value) * 2) : py.int(1)), next: 'join' },
      { name: 'join', join: true, next: 'end' },
      { name: 'end' },
    ],
  };
  const r = runnable({ id: `scale-${n}-${tracked ? 'tracked' : 'plain'}`, definition });
  // Metaflow's default --max-num-splits is 100; the series goes past it on purpose.
  return { ...r, runOptions: { ...r.runOptions, maxNumSplits: Math.max(100, n) } };
}

/** A random linear flow of 2-5 steps, each setting 0-3 ints or lists, decorated on the flow or on steps. */
export const smallFlow: fc.Arbitrary<RunnableScenario> = fc
  .record({
    steps: fc.array(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.oneof(fc.integer(), fc.array(fc.integer(), { maxLength: 4 }))), { maxLength: 3 }), { minLength: 2, maxLength: 5 }),
    onFlow: fc.boolean(),
    seed: fc.nat(),
  })
  .map(({ steps, onFlow, seed }) => {
    const names = steps.map((_, i) => (i === 0 ? 'start' : i === steps.length - 1 ? 'end' : `s${i}`));
    const definition: flow.FlowDefinition = {
      name: 'RandomFlow', decorators: onFlow ? [wandbLog({})] : [],
      steps: steps.map((sets, i) => ({
        name: names[i]!,
        ...(onFlow ? {} : { decorators: [wandbLog({})] }),
        body: (s: flow.FlowSelf) => { for (const [k, v] of sets) s.setattr(k, Array.isArray(v) ? py.list(v.map((x) => py.int(x))) : py.int(v)); },
        ...(i < steps.length - 1 ? { next: names[i + 1]! } : {}),
      })),
    };
    return runnable({ id: `random-${seed}`, definition });
  });
