import { describe, expect, it } from 'vitest';
import { flow, values } from '../../../src/index.ts';
import { compileScenario, mutateInPlace } from '../../../harness/scenario/index.ts';
import { lines, load, yaml } from './helpers.ts';

async function run(text: string) {
  const r = load(text);
  expect(lines(r)).toEqual([]);
  const compiled = compileScenario(r.scenarios[0]!);
  return { compiled, result: await flow.runFlow(compiled.definition, compiled.runOptions) };
}

const py = values.py;
const artifact = (t: flow.TaskResult, name: string) => t.artifacts[name] as values.PyValue;

describe('compiled flows run with flow.runFlow', () => {
  it('foreach over a YAML list: one task per item, self.input is the item, the join reads every input', async () => {
    const { compiled, result } = await run(yaml(
      'version: 1', 'scenario: fe', 'flow:', '  name: ForeachFlow',
      '  steps:',
      '    start: { body: [ { set: { items: [a, b, c] } } ], next: { foreach: items, to: work } }',
      '    work: { body: [ { read: input }, { read: index }, { set: { done: true } } ], next: join }',
      '    join: { body: [ { read_inputs: done }, { set: { joined: 1 } } ], next: end }',
      '    end: {}',
      'run: { run_id: "42" }',
    ));
    expect(compiled.recognisedJoins).toEqual(['join']);
    expect(result.status).toBe('ok');
    expect(result.run_id).toBe('42');
    const work = result.tasks.filter((t) => t.step === 'work');
    expect(work.map((t) => t.foreach_stack)).toEqual([[[0, 3]], [[1, 3]], [[2, 3]]]);
    expect(work.every((t) => values.pyEquals(artifact(t, 'done'), py.bool(true)))).toBe(true);
    const join = result.tasks.find((t) => t.step === 'join')!;
    expect(join.input_paths).toHaveLength(3);
    expect(artifact(join, 'joined')).toMatchObject({ kind: 'int', value: 1n });
    expect('done' in join.artifacts).toBe(false); // a join sees nothing it did not assign or merge
  });

  it('switch: the case of the condition value runs, others do not', async () => {
    const { result } = await run(yaml(
      'version: 1', 'scenario: sw', 'flow:', '  name: SwitchFlow',
      '  steps:',
      '    start: { body: [ { set: { mode: fast } } ], next: { switch: mode, cases: { fast: quick, slow: careful } } }',
      '    quick: { body: [ { set: { path: q } } ], next: end }',
      '    careful: { body: [ { set: { path: c } } ], next: end }',
      '    end: {}',
    ));
    expect(result.status).toBe('ok');
    expect(result.tasks.map((t) => t.step)).toEqual(['start', 'quick', 'end']);
    expect(values.pyEquals(artifact(result.tasks[2]!, 'path'), py.str('q'))).toBe(true);
  });

  it('switch on an int key: YAML int keys match Python ints', async () => {
    const { result } = await run(yaml(
      'version: 1', 'scenario: sw', 'flow:', '  name: IntSwitch',
      '  steps:',
      '    start: { body: [ { set: { n: 2 } } ], next: { switch: n, cases: { 1: one, 2: two } } }',
      '    one: { next: end }', '    two: { next: end }', '    end: {}',
    ));
    expect(result.tasks.map((t) => t.step)).toEqual(['start', 'two', 'end']);
  });

  it('static split + merge_artifacts, parameters and constants as Python values, del and mutate', async () => {
    const { result, compiled } = await run(yaml(
      'version: 1', 'scenario: sp', 'flow:', '  name: SplitFlow',
      '  parameters: { alpha: { default: 0.5 }, n: { default: 1.0 }, k: { type: int } }',
      '  constants: { CONST: !tuple [1, 2] }',
      '  helpers: { prepare: { body: [ { set: { prepared: yes } } ] } }',
      '  steps:',
      '    start: { body: [ { set: { xs: [1], tmp: 0 } }, { del: tmp }, { call: prepare } ], next: [a, b] }',
      '    a: { body: [ { mutate: xs }, { set: { from_a: 1 } } ], next: join }',
      '    b: { body: [ { set: { from_b: 2 } } ], next: join }',
      '    join: { body: [ { merge_artifacts: { exclude: [xs] } } ], next: end }',
      '    end: {}',
      'run: { parameters: { alpha: 0.7, k: "3" } }',
    ));
    expect(result.status).toBe('ok');
    expect(compiled.recognisedJoins).toEqual(['join']);
    const start = result.tasks[0]!;
    expect(artifact(start, 'alpha')).toMatchObject({ kind: 'float', value: 0.7 });
    expect(artifact(start, 'n')).toMatchObject({ kind: 'float', value: 1 }); // default 1.0 is a float
    expect(artifact(start, 'k')).toMatchObject({ kind: 'int', value: 3n });
    expect(values.fullName(artifact(start, 'CONST').type)).toBe('tuple');
    expect('tmp' in start.artifacts).toBe(false);
    expect(values.pyEquals(artifact(start, 'prepared'), py.str('yes'))).toBe(true);
    const a = result.tasks.find((t) => t.step === 'a')!;
    expect((artifact(a, 'xs') as values.PyList).items).toHaveLength(2);
    const join = result.tasks.find((t) => t.step === 'join')!;
    expect(Object.keys(join.artifacts)).toEqual(expect.arrayContaining(['from_a', 'from_b', 'prepared']));
    expect('xs' in join.artifacts).toBe(false);
  });

  it('each task execution sets a fresh copy of the value', async () => {
    const { result } = await run(yaml(
      'version: 1', 'scenario: fresh', 'flow:', '  name: FreshFlow', '  steps:',
      '    start: { body: [ { set: { items: [1, 2] } } ], next: { foreach: items, to: work } }',
      '    work: { body: [ { set: { acc: [] } }, { mutate: acc } ], next: join }',
      '    join: { next: end }', '    end: {}',
    ));
    const accs = result.tasks.filter((t) => t.step === 'work').map((t) => artifact(t, 'acc') as values.PyList);
    expect(accs.map((l) => l.items.length)).toEqual([1, 1]);
    expect(accs[0]).not.toBe(accs[1]);
  });

  it('raise fails the task with the Python exception; the error carries the operation location', async () => {
    const r = load(yaml(
      'version: 1', 'scenario: boom', 'flow:', '  name: RaiseFlow', '  steps:',
      '    start: { body: [ { raise: { type: ValueError, message: bad } } ], next: end }', '    end: {}',
    ));
    const { definition, runOptions } = compileScenario(r.scenarios[0]!);
    const result = await flow.runFlow(definition, runOptions);
    expect(result.status).toBe('failed');
    expect(result.tasks[0]!.error).toEqual({ type: 'ValueError', message: 'bad' });
    const body = definition.steps[0]!.body!;
    const err = await Promise.resolve(body({} as flow.FlowSelf, null)).catch((e: unknown) => e);
    expect((err as { scenarioLocation: unknown }).scenarioLocation).toMatchObject({ line: 6, col: 24 });
  });

  it('decorators: wandb_log (bare = defaults) and retry, in source order', () => {
    const r = load(yaml(
      'version: 1', 'scenario: d', 'flow:', '  name: DecoFlow',
      '  decorators: [ { wandb_log: null }, { wandb_log: { models: true } } ]',
      '  steps:', '    start: { decorators: [ { retry: { times: 2 } }, { wandb_log: {} } ], next: end }', '    end: {}',
    ));
    expect(lines(r)).toEqual([]);
    const { definition } = compileScenario(r.scenarios[0]!);
    expect(definition.decorators).toMatchObject([
      { kind: 'wandb_log', datasets: false, models: false, others: false, settings: null },
      { kind: 'wandb_log', datasets: false, models: true, others: false },
    ]);
    expect(definition.steps[0]).toMatchObject({ retry: 2, decorators: [{ kind: 'retry', times: 2 }, { kind: 'wandb_log' }] });
  });
});

describe('mutate', () => {
  it('changes lists, dicts, sets, DataFrames in place; raises TypeError as Python for immutable values', () => {
    const l = py.list([]);
    mutateInPlace(l);
    expect(l.items).toEqual([values.None]);
    const d = py.record({});
    mutateInPlace(d);
    expect(values.pyEquals(d, py.record({ mutated: py.bool(true) }))).toBe(true);
    const s = py.set([py.int(0)]);
    mutateInPlace(s);
    expect(s.items).toHaveLength(2);
    const df = py.dataframe(['a'], [[py.int(1)]]);
    mutateInPlace(df);
    expect(df.columns).toEqual(['a', 'mutated']);
    expect(() => mutateInPlace(py.tuple([]))).toThrow("'tuple' object does not support item assignment");
    expect(() => mutateInPlace(py.frozenset([]))).toThrow("'frozenset' object does not support item assignment");
    expect(() => mutateInPlace(py.int(1))).toThrow(flow.PythonError);
  });
});
