import { describe, expect, it } from 'vitest';
import {
  EARLY_RETURN, kw, pyRaise, runFlow, stripMarkers, type FlowDefinition, type FlowSelf, type StepDefinition,
} from '../../../src/flow/index.ts';

/** A start step with the given body and tail, then whatever else the test needs. */
const startFlow = (start: Partial<StepDefinition>, rest: StepDefinition[] = [{ name: 'end' }]): FlowDefinition => ({
  name: 'ErrFlow',
  steps: [{ name: 'start', next: 'end', ...start }, ...rest],
});

async function startError(start: Partial<StepDefinition>, rest?: StepDefinition[]) {
  const r = await runFlow(startFlow(start, rest), { runId: '1' });
  expect(r.status).toBe('failed');
  expect(r.error).toMatchObject({ step: 'start', task_id: '1' });
  return r.tasks[0]!.error;
}

const invalidNext = (message: string) => ({ type: 'InvalidNextException', message });

describe('self.next() at runtime (reference §2)', () => {
  it('an unknown keyword argument', async () => {
    expect(await startError({ body: (s) => { s.next(s.step('end'), kw({ bogus: 1 })); } })).toEqual(
      invalidNext("Step *start* passes an unknown keyword argument 'bogus' to self.next()."),
    );
  });

  it('called twice', async () => {
    expect(await startError({ body: (s) => { s.next(s.step('end')); } })).toEqual(
      invalidNext('Multiple self.next() calls detected in step *start*. Call self.next() only once.'),
    );
  });

  it('switch: the transition must be one non-empty dict; condition a string; not with foreach', async () => {
    const early = (f: (s: FlowSelf) => void) => ({ body: (s: FlowSelf) => { f(s); return EARLY_RETURN; } });
    expect(await startError(early((s) => s.next(s.step('end'), kw({ condition: 'c' }))))).toEqual(
      invalidNext("Step *start* has an invalid self.next() transition. When using 'condition', the transition must be to a single, non-empty dictionary mapping condition values to step methods."),
    );
    expect(await startError(early((s) => s.next({ a: s.step('end') }, kw({ condition: 3 }))))).toEqual(
      invalidNext("Step *start* has an invalid self.next() transition. The argument to 'condition' must be a string."),
    );
    expect(await startError(early((s) => s.next({ a: s.step('end') }, kw({ condition: 'c', foreach: 'x' }))))).toEqual(
      invalidNext('Step *start* has an invalid self.next() transition. Switch statements cannot be combined with foreach or num_parallel.'),
    );
    expect(await startError(early((s) => s.next({ a: s.step('end') })))).toEqual(
      invalidNext("Step *start* has an invalid self.next() transition. Dictionary argument requires 'condition' parameter."),
    );
  });

  const switchRest: StepDefinition[] = [{ name: 'a', next: 'end' }, { name: 'b', next: 'end' }, { name: 'end' }];
  const switchTail = { switch: 'c', cases: { a: 'a', b: 'b' } };

  it('switch: a missing condition variable', async () => {
    expect(await startError({ next: switchTail }, switchRest)).toEqual(
      invalidNext('Condition variable *self.c* in step *start* does not exist. Make sure you set self.c in this step.'),
    );
  });

  it('switch: a value that is not a case is a plain RuntimeError (observed text)', async () => {
    expect(await startError({ body: (s) => s.setattr('c', 'zzz'), next: switchTail }, switchRest)).toEqual({
      type: 'RuntimeError',
      message: "Switch condition variable 'c' has value 'zzz' which is not in the available cases: ['a', 'b']",
    });
  });

  it('an argument that is not a step method; no argument at all', async () => {
    expect(await startError({ body: (s) => { s.next('end'); return EARLY_RETURN; } })).toEqual(
      invalidNext('In step *start* the 1. argument in self.next() is not a function. Make sure all arguments in self.next() are methods of the Flow class.'),
    );
    expect(await startError({ body: (s) => { s.next(); return EARLY_RETURN; } })).toEqual(
      invalidNext('Step *start* has an invalid self.next() transition. Specify at least one step function as an argument in self.next().'),
    );
  });

  const foreachRest: StepDefinition[] = [{ name: 'work', next: 'join' }, { name: 'join', join: true, next: 'end' }, { name: 'end' }];
  const foreachTail = { foreach: 'items', to: 'work' };

  it('foreach: missing variable, not iterable, zero splits', async () => {
    expect(await startError({ next: foreachTail }, foreachRest)).toEqual(
      invalidNext('Foreach variable *self.items* in step *start* does not exist. Check your variable.'),
    );
    expect(await startError({ body: (s) => s.setattr('items', 5), next: foreachTail }, foreachRest)).toEqual(
      invalidNext("Foreach variable *self.items* in step *start* is not iterable. Please check details: 'int' object is not iterable"),
    );
    expect(await startError({ body: (s) => s.setattr('items', []), next: foreachTail }, foreachRest)).toEqual(
      invalidNext('Foreach iterator over *items* in step *start* produced zero splits. Check your variable.'),
    );
  });

  it('foreach: more than --max-num-splits children fails the split task (observed text)', async () => {
    const items = Array.from({ length: 101 }, (_, i) => i);
    const err = await startError({ body: (s) => s.setattr('items', items), next: foreachTail }, foreachRest);
    expect(err?.type).toBe('TaskFailed');
    expect(stripMarkers(err!.message).trimEnd()).toBe(
      'Step start (task-id 1) failed: Foreach in step start yielded 101 child steps which is more than the current maximum of 100 children. You can raise the maximum with the --max-num-splits option.',
    );
    const raised = await runFlow(startFlow({ body: (s) => s.setattr('items', items), next: foreachTail }, foreachRest), { runId: '1', maxNumSplits: 200 });
    expect(raised.tasks).toHaveLength(104);
  });

  it('a runtime transition that differs from the static one (observed text)', async () => {
    const def = startFlow({ body: (s) => { s.next(s.step('end')); return EARLY_RETURN; }, next: 'a' }, [{ name: 'a', next: 'end' }, { name: 'end' }]);
    const r = await runFlow(def, { runId: '1' });
    expect(r.status).toBe('failed');
    expect(r.tasks.map((t) => t.step)).toEqual(['start']);
    expect(r.tasks[0]!.error?.type).toBe('MetaflowInternalError');
    expect(stripMarkers(r.tasks[0]!.error!.message).trimEnd()).toBe(
      'Based on static analysis of the code, step start was expected to transition to step(s) a. However, when the code was executed, self.next() was called with end. Make sure there is only one unconditional self.next() call in the end of your step.',
    );
  });
});

describe('failures', () => {
  it('a step that raises fails its task and the run; nothing after it runs; artifacts set before persist', async () => {
    const def: FlowDefinition = {
      name: 'FailFlow',
      steps: [
        { name: 'start', next: 'middle' },
        { name: 'middle', body: (s) => { s.setattr('partial', 1); pyRaise('ValueError', 'bad value'); }, next: 'end' },
        { name: 'end' },
      ],
    };
    const r = await runFlow(def, { runId: '1' });
    expect(r.status).toBe('failed');
    expect(r.tasks.map((t) => [t.step, t.status])).toEqual([['start', 'ok'], ['middle', 'failed']]);
    expect(r.error).toEqual({ type: 'ValueError', message: 'bad value', step: 'middle', task_id: '2' });
    expect(r.tasks[1]!.artifacts['partial']).toBe(1);
  });

  it('merge_artifacts outside a join, and with both include and exclude', async () => {
    expect(await startError({ body: (s) => s.merge_artifacts(null as never) })).toEqual({
      type: 'MetaflowException', message: 'merge_artifacts can only be called in a join and step *start* is not a join',
    });
    const def: FlowDefinition = {
      name: 'F',
      steps: [
        { name: 'start', next: ['a', 'b'] }, { name: 'a', next: 'join' }, { name: 'b', next: 'join' },
        { name: 'join', join: true, body: (s, inputs) => s.merge_artifacts(inputs!, { include: ['x'], exclude: ['y'] }), next: 'end' },
        { name: 'end' },
      ],
    };
    const r = await runFlow(def, { runId: '1' });
    expect(r.tasks.find((t) => t.step === 'join')!.error).toEqual({
      type: 'MetaflowException', message: '`exclude` and `include` are mutually exclusive in merge_artifacts',
    });
  });

  it('reading an unknown attribute raises AttributeError with the flow name', async () => {
    expect(await startError({ body: (s) => s.getattr('missing') })).toEqual({
      type: 'AttributeError', message: "Flow ErrFlow has no attribute 'missing'",
    });
  });
});
