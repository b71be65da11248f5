import { describe, expect, it } from 'vitest';
import {
  createSeededScheduler, pyRaise, runFlow, type FlowDefinition, type TaskHook,
} from '../../../src/flow/index.ts';

const foreachFlow = (name: string, log: string[]): FlowDefinition => ({
  name,
  steps: [
    { name: 'start', body: (s) => s.setattr('items', [0, 1, 2, 3]), next: { foreach: 'items', to: 'work' } },
    { name: 'work', body: (s) => { log.push(`${name}:work${String(s.index)}`); }, next: 'join' },
    { name: 'join', join: true, next: 'end' },
    { name: 'end' },
  ],
});

/** A hook that yields between two logged events, as the integration yields between HTTP requests. */
const tracer = (log: string[]): TaskHook => ({
  async around(ctx, self, invoke) {
    log.push(`${ctx.current.flow_name}:${ctx.current.step_name}/${ctx.current.task_id}:init`);
    await ctx.yieldPoint();
    await invoke(self);
    await ctx.yieldPoint();
    log.push(`${ctx.current.flow_name}:${ctx.current.step_name}/${ctx.current.task_id}:finish`);
  },
});

describe('task hooks', () => {
  it('run before, around (first hook outermost) and after, once per attempt', async () => {
    const log: string[] = [];
    const hook = (n: string): TaskHook => ({
      before: (ctx) => { log.push(`${n}.before ${ctx.current.step_name}`); },
      async around(ctx, self, invoke) { log.push(`${n}.enter`); await invoke(self); log.push(`${n}.exit`); },
      after: (_ctx, outcome) => { log.push(`${n}.after ${outcome.status} ${[...outcome.artifacts.keys()].join(',')}`); },
    });
    const def: FlowDefinition = { name: 'H', steps: [{ name: 'start', body: (s) => { log.push('body'); s.setattr('x', 1); }, next: 'end' }, { name: 'end' }] };
    await runFlow(def, { runId: '1', hooks: [hook('A'), hook('B')] });
    expect(log.slice(0, 9)).toEqual([
      'A.before start', 'B.before start', 'A.enter', 'B.enter', 'body', 'B.exit', 'A.exit', 'B.after ok name,x', 'A.after ok name,x',
    ]);
  });

  it('a failing body is seen by around and after; a throwing hook fails the task', async () => {
    const seen: string[] = [];
    const watch: TaskHook = {
      async around(_ctx, self, invoke) {
        try { await invoke(self); } catch (err) { seen.push(`around saw ${(err as Error).name}`); throw err; }
      },
      after: (_ctx, outcome) => { seen.push(`after ${outcome.status} ${outcome.error?.type ?? ''}`); },
    };
    const failing: FlowDefinition = { name: 'H', steps: [{ name: 'start', body: () => pyRaise('KeyError', "'k'"), next: 'end' }, { name: 'end' }] };
    const r = await runFlow(failing, { runId: '1', hooks: [watch] });
    expect(seen).toEqual(['around saw KeyError', 'after failed KeyError']);
    expect(r.error).toMatchObject({ type: 'KeyError', message: "'k'" });

    const broken: TaskHook = { before: () => pyRaise('UsageError', 'Run is finished') };
    const r2 = await runFlow({ name: 'H', steps: [{ name: 'start', next: 'end' }, { name: 'end' }] }, { runId: '1', hooks: [broken] });
    expect(r2.tasks).toHaveLength(1);
    expect(r2.tasks[0]!.error).toEqual({ type: 'UsageError', message: 'Run is finished' });
  });
});

describe('concurrent mode', () => {
  async function concurrentRun(seed: number) {
    const log: string[] = [];
    const scheduler = createSeededScheduler(seed);
    const options = { maxWorkers: 4, scheduler, hooks: [tracer(log)] };
    const [a, b] = await Promise.all([
      runFlow(foreachFlow('A', log), { ...options, runId: '1' }),
      runFlow(foreachFlow('B', log), { ...options, runId: '2' }),
    ]);
    return { log, a, b };
  }

  it('tasks of several runs are in flight at once, and a seed reproduces the interleaving', async () => {
    const first = await concurrentRun(7);
    const again = await concurrentRun(7);
    expect(again.log).toEqual(first.log);
    expect(first.a.status).toBe('ok');
    expect(first.b.status).toBe('ok');
    // Tasks overlap: some task starts before another one of the other run has finished.
    const initA = first.log.indexOf('A:work/2:init');
    const finishB = first.log.indexOf('B:start/1:finish');
    expect(initA).toBeGreaterThanOrEqual(0);
    expect(finishB).toBeGreaterThanOrEqual(0);
    const firstWork = first.log.findIndex((l) => l.endsWith(':init') && l.includes(':work/'));
    const firstWorkFinish = first.log.findIndex((l) => l.endsWith(':finish') && l.includes(':work/'));
    expect(firstWork).toBeLessThan(firstWorkFinish);
    expect(first.log.slice(firstWork, firstWorkFinish).filter((l) => l.endsWith(':init')).length).toBeGreaterThan(1);
  });

  it('different seeds give different interleavings; ids still count from 1 per run', async () => {
    const logs = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5]) {
      const { log, a, b } = await concurrentRun(seed);
      logs.add(log.join('\n'));
      for (const r of [a, b]) {
        expect(r.tasks.map((t) => Number(t.task_id))).toEqual([1, 2, 3, 4, 5, 6, 7]);
        expect(r.tasks.find((t) => t.step === 'join')!.input_paths).toEqual([`${r.run_id}/work/2`, `${r.run_id}/work/3`, `${r.run_id}/work/4`, `${r.run_id}/work/5`]);
      }
    }
    expect(logs.size).toBeGreaterThan(1);
  });
});
