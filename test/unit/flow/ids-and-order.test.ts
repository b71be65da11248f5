import { describe, expect, it } from 'vitest';
import { pyRaise, runFlow, type FlowDefinition } from '../../../src/flow/index.ts';

const RUN = '1795775235188149';
const ids = (r: Awaited<ReturnType<typeof runFlow>>) => r.tasks.map((t) => `${t.step}/${t.task_id}`);

describe('task ids, pathspecs and order (reference §8)', () => {
  it('linear: ids from 1 in launch order and the pathspec format', async () => {
    const currents: unknown[] = [];
    const def: FlowDefinition = {
      name: 'LinearFlow',
      steps: [
        { name: 'start', next: 'middle' },
        { name: 'middle', body: (s) => { currents.push(s.current); }, next: 'end' },
        { name: 'end' },
      ],
    };
    const r = await runFlow(def, { runId: RUN });
    expect(ids(r)).toEqual(['start/1', 'middle/2', 'end/3']);
    expect(r.tasks[1]!.pathspec).toBe('LinearFlow/1795775235188149/middle/2');
    expect(currents[0]).toMatchObject({
      flow_name: 'LinearFlow', run_id: RUN, step_name: 'middle', task_id: '2', retry_count: 0,
      pathspec: 'LinearFlow/1795775235188149/middle/2', origin_run_id: null, is_running_flow: true,
    });
    expect(r.tasks[0]!.input_paths).toEqual([`${RUN}/_parameters/0`]);
  });

  it('the run id defaults to microseconds from the injected clock', async () => {
    const r = await runFlow({ name: 'F', steps: [{ name: 'start', next: 'end' }, { name: 'end' }] }, { clock: () => 1795775235188.149 });
    expect(r.run_id).toBe('1795775235188149');
  });

  it('foreach of 3 + join: children get contiguous ids in split order, join inputs by split index', async () => {
    const def: FlowDefinition = {
      name: 'ForeachFlow',
      steps: [
        { name: 'start', body: (s) => s.setattr('items', ['x', 'y', 'z']), next: { foreach: 'items', to: 'work' } },
        { name: 'work', body: (s) => s.setattr('v', s.input), next: 'join' },
        { name: 'join', join: true, body: (s, inputs) => s.setattr('vs', [...inputs!].map((i) => [i.getattr('v'), i.index])), next: 'end' },
        { name: 'end' },
      ],
    };
    const r = await runFlow(def, { runId: RUN });
    expect(ids(r)).toEqual(['start/1', 'work/2', 'work/3', 'work/4', 'join/5', 'end/6']);
    expect(r.tasks.map((t) => t.pathspec)).toEqual([
      `ForeachFlow/${RUN}/start/1`, `ForeachFlow/${RUN}/work/2`, `ForeachFlow/${RUN}/work/3`,
      `ForeachFlow/${RUN}/work/4`, `ForeachFlow/${RUN}/join/5`, `ForeachFlow/${RUN}/end/6`,
    ]);
    expect(r.tasks[4]!.input_paths).toEqual([`${RUN}/work/2`, `${RUN}/work/3`, `${RUN}/work/4`]);
    expect(r.tasks[4]!.artifacts['vs']).toEqual([['x', 0], ['y', 1], ['z', 2]]);
  });

  it('static split: branches in self.next argument order (a=2, b=3), join inputs likewise', async () => {
    const def: FlowDefinition = {
      name: 'BranchFlow',
      steps: [
        { name: 'start', next: ['b', 'a'] },
        { name: 'a', body: (s) => s.setattr('who', 'a'), next: 'join' },
        { name: 'b', body: (s) => s.setattr('who', 'b'), next: 'join' },
        { name: 'join', join: true, body: (s, inputs) => s.setattr('order', [...inputs!].map((i) => i.getattr('who'))), next: 'end' },
        { name: 'end' },
      ],
    };
    const r = await runFlow(def, { runId: RUN });
    expect(ids(r)).toEqual(['start/1', 'b/2', 'a/3', 'join/4', 'end/5']);
    expect(r.tasks[3]!.artifacts['order']).toEqual(['b', 'a']);
    const forward = await runFlow({ ...def, steps: [{ name: 'start', next: ['a', 'b'] }, ...def.steps.slice(1)] }, { runId: RUN });
    expect(ids(forward)).toEqual(['start/1', 'a/2', 'b/3', 'join/4', 'end/5']);
  });

  it('inputs: iterable, indexable (negative too), by step name, and no len()', async () => {
    const seen: unknown[] = [];
    const def: FlowDefinition = {
      name: 'BranchFlow',
      steps: [
        { name: 'start', next: ['a', 'b'] },
        { name: 'a', body: (s) => s.setattr('who', 'a'), next: 'join' },
        { name: 'b', body: (s) => s.setattr('who', 'b'), next: 'join' },
        {
          name: 'join', join: true, next: 'end',
          body: (_s, inputs) => {
            seen.push(inputs!.at(0).getattr('who'), inputs!.at(-1).getattr('who'), inputs!.getattr('b').getattr('who'));
            try { inputs!.len(); } catch (err) { seen.push(`${(err as Error).name}: ${(err as Error).message}`); }
          },
        },
        { name: 'end' },
      ],
    };
    await runFlow(def, { runId: RUN });
    expect(seen).toEqual(['a', 'b', 'b', "TypeError: object of type 'Inputs' has no len()"]);
  });

  it('nested foreach: foreach_stack per level and the FIFO ids (jin/10, jin/11)', async () => {
    const stacks: unknown[] = [];
    const def: FlowDefinition = {
      name: 'NestedFlow',
      steps: [
        { name: 'start', body: (s) => s.setattr('xs', [1, 2]), next: { foreach: 'xs', to: 'mid' } },
        { name: 'mid', body: (s) => s.setattr('ys', ['a', 'b', 'c']), next: { foreach: 'ys', to: 'inner' } },
        { name: 'inner', body: (s) => { stacks.push(s.foreach_stack()); }, next: 'jin' },
        { name: 'jin', join: true, next: 'jout' },
        { name: 'jout', join: true, next: 'end' },
        { name: 'end' },
      ],
    };
    const r = await runFlow(def, { runId: RUN });
    expect(stacks).toContainEqual([[0, 2, 1], [1, 3, 'b']]);
    expect(ids(r)).toEqual([
      'start/1', 'mid/2', 'mid/3', 'inner/4', 'inner/5', 'inner/6', 'inner/7', 'inner/8', 'inner/9',
      'jin/10', 'jin/11', 'jout/12', 'end/13',
    ]);
  });

  it('self.input and self.index are None outside a foreach', async () => {
    const seen: unknown[] = [];
    await runFlow({ name: 'F', steps: [{ name: 'start', body: (s) => { seen.push(s.input, s.index); }, next: 'end' }, { name: 'end' }] }, { runId: RUN });
    expect(seen).toEqual([null, null]);
  });

  it('switch: only the chosen branch runs and branches reconverge on a normal step', async () => {
    const def: FlowDefinition = {
      name: 'SwitchFlow',
      steps: [
        { name: 'start', body: (s) => s.setattr('mode', 'slow'), next: { switch: 'mode', cases: { fast: 'fast', slow: 'slow' } } },
        { name: 'fast', next: 'end' },
        { name: 'slow', next: 'end' },
        { name: 'end' },
      ],
    };
    expect(ids(await runFlow(def, { runId: RUN }))).toEqual(['start/1', 'slow/2', 'end/3']);
  });

  it('recursive switch: each iteration is a new task and artifacts carry over', async () => {
    const def: FlowDefinition = {
      name: 'LoopFlow',
      steps: [
        { name: 'start', body: (s) => s.setattr('i', 0), next: 'loop' },
        {
          name: 'loop',
          body: (s) => { s.setattr('i', (s.getattr('i') as number) + 1); s.setattr('cont', (s.getattr('i') as number) < 3 ? 'yes' : 'no'); },
          next: { switch: 'cont', cases: { yes: 'loop', no: 'end' } },
        },
        { name: 'end' },
      ],
    };
    const r = await runFlow(def, { runId: RUN });
    expect(ids(r)).toEqual(['start/1', 'loop/2', 'loop/3', 'loop/4', 'end/5']);
    expect(r.tasks.at(-1)!.artifacts['i']).toBe(3);
  });

  it('@retry keeps the task id; retry_count counts attempts', async () => {
    const attempts: number[] = [];
    const def: FlowDefinition = {
      name: 'RetryFlow',
      steps: [
        { name: 'start', retry: 3, body: (s) => { attempts.push(s.current.retry_count); if (s.current.retry_count < 2) pyRaise('ValueError', 'boom'); }, next: 'end' },
        { name: 'end' },
      ],
    };
    const r = await runFlow(def, { runId: RUN });
    expect(attempts).toEqual([0, 1, 2]);
    expect(ids(r)).toEqual(['start/1', 'end/2']);
    expect(r.tasks[0]).toMatchObject({ status: 'ok', attempts: 3 });
  });
});
