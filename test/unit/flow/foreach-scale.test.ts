// A foreach join is checked once per finished child; that check must not rescan every sibling (it was O(N^2):
// a foreach of 10,000 took ~40 s). The order and completeness of the join's inputs must not change.
import { describe, expect, it } from 'vitest';
import { runFlow, type FlowDefinition } from '../../../src/flow/index.ts';

const wide = (n: number): FlowDefinition => ({
  name: 'WideFlow',
  steps: [
    { name: 'start', body: (s) => s.setattr('xs', Array.from({ length: n }, (_, i) => i)), next: { foreach: 'xs', to: 'work' } },
    { name: 'work', body: (s) => s.setattr('v', s.input), next: 'join' },
    { name: 'join', join: true, body: (s, inputs) => s.setattr('vs', [...inputs!].map((i) => i.getattr('v'))), next: 'end' },
    { name: 'end' },
  ],
});

describe('foreach at scale', () => {
  it('10,000 children: the join runs once, after the last child, with every input in split order, in linear time', async () => {
    const n = 10_000;
    const t0 = performance.now();
    const r = await runFlow(wide(n), { runId: '1', maxNumSplits: n });
    const ms = performance.now() - t0;
    expect(r.status).toBe('ok');
    expect(r.tasks.filter((t) => t.step === 'join').map((t) => t.task_id)).toEqual([String(n + 2)]);
    expect(r.tasks.at(-2)!.artifacts.vs).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(ms).toBeLessThan(10_000); // ~1 s on 2 cores; quadratic was ~40 s
  });

  it('with parallel workers the join still waits for every child', async () => {
    const r = await runFlow(wide(50), { runId: '1', maxWorkers: 8 });
    const join = r.tasks.find((t) => t.step === 'join')!;
    expect(join.input_paths).toHaveLength(50);
    expect(Number(join.task_id)).toBe(52);
  });
});
