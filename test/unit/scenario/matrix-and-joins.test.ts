import { describe, expect, it } from 'vitest';
import { FAULT_PLAN_SCHEMA, flow, values, type WandbLogDecorator } from '../../../src/index.ts';
import { SCENARIO_SCHEMA, compileScenario, recogniseJoins } from '../../../harness/scenario/index.ts';
import { lines, load, yaml } from './helpers.ts';

const base = (...extra: string[]) => yaml(
  'version: 1', 'scenario: m', 'flow:', '  name: MatrixFlow',
  '  decorators: [ { wandb_log: { others: true } }, { wandb_log: { datasets: true } } ]',
  '  steps:', '    start: { next: end }', '    end: {}',
  ...extra,
);

describe('matrix', () => {
  it('expands into the cross product with deterministic ids and snapshot keys', () => {
    const r = load(base('matrix:', '  flow: { datasets: [true, false], models: [false, true] }', '  end: { others: [true] }'));
    expect(lines(r)).toEqual([]);
    expect(r.scenarios.map((s) => s.id)).toEqual([
      'm[flow.datasets=true,flow.models=false,end.others=true]',
      'm[flow.datasets=true,flow.models=true,end.others=true]',
      'm[flow.datasets=false,flow.models=false,end.others=true]',
      'm[flow.datasets=false,flow.models=true,end.others=true]',
    ]);
    expect(r.scenarios[0]!.snapshotKey).toBe('m__flow.datasets=true,flow.models=false,end.others=true');
    expect(new Set(r.scenarios.map((s) => s.snapshotKey)).size).toBe(4);
  });

  it('sets the flags on the innermost wandb_log, adding one where there is none', () => {
    const r = load(base('matrix:', '  flow: { datasets: [false], models: [true] }', '  end: { others: [true] }'));
    const { definition } = compileScenario(r.scenarios[0]!);
    const [outer, inner] = definition.decorators as WandbLogDecorator[];
    expect(outer).toMatchObject({ datasets: false, models: false, others: true }); // untouched
    expect(inner).toMatchObject({ datasets: false, models: true, others: false });
    expect(definition.steps.find((s) => s.name === 'end')!.decorators).toMatchObject([{ kind: 'wandb_log', datasets: false, models: false, others: true }]);
  });

  it('an unknown target is a diagnostic', () => {
    const r = load(base('matrix:', '  ned: { datasets: [true] }'));
    expect(lines(r)).toEqual([expect.stringMatching(/inline\.yaml:10:3: matrix target "ned" is neither "flow" nor a step of MatrixFlow \(did you mean "end"\?\)$/)]);
  });
});

describe('joins recognised from the graph', () => {
  const steps = (spec: Record<string, flow.NextSpec | undefined>, joins: Record<string, boolean> = {}) =>
    Object.entries(spec).map(([name, next]) => ({ name, ...(next !== undefined ? { next } : {}), ...(name in joins ? { join: joins[name] } : {}) }));

  it('static split: the step both branches reach first', () => {
    expect([...recogniseJoins(steps({ start: ['a', 'b'], a: 'c', b: 'j', c: 'j', j: 'end', end: undefined }))]).toEqual(['j']);
  });

  it('foreach: the step after the body; a longer body is marked with join: true', () => {
    expect([...recogniseJoins(steps({ start: { foreach: 'xs', to: 'a' }, a: 'j', j: 'end', end: undefined }))]).toEqual(['j']);
    expect([...recogniseJoins(steps({ start: { foreach: 'xs', to: 'a' }, a: 'b', b: 'j', j: 'end', end: undefined }, { j: true }))]).toEqual([]);
    const { definition } = compileScenario(load(yaml(
      'version: 1', 'scenario: j', 'flow:', '  name: LongBody', '  steps:',
      '    start: { body: [ { set: { xs: [1] } } ], next: { foreach: xs, to: a } }',
      '    a: { next: b }', '    b: { next: j }', '    j: { join: true, next: end }', '    end: {}',
    )).scenarios[0]!);
    expect(flow.lintFlow(definition).problems).toEqual([]);
  });

  it('nested: a split inside a foreach is joined first, then the foreach', () => {
    const found = recogniseJoins(steps({ start: { foreach: 'xs', to: 'a' }, a: ['b', 'c'], b: 'inner', c: 'inner', inner: 'outer', outer: 'end', end: undefined }));
    expect([...found].sort()).toEqual(['inner', 'outer']);
  });

  it('a switch closes nothing, and the end is never made a join', () => {
    expect([...recogniseJoins(steps({ start: { switch: 'm', cases: { x: 'a', y: 'b' } }, a: 'c', b: 'c', c: 'end', end: undefined }))]).toEqual([]);
    expect([...recogniseJoins(steps({ start: ['a', 'b'], a: 'end', b: 'end', end: undefined }))]).toEqual([]);
  });
});

describe('schema file', () => {
  it('embeds the backend fault-plan schema, so editors and the loader check faults alike', () => {
    const { $schema: _, ...expected } = FAULT_PLAN_SCHEMA as Record<string, unknown>;
    expect(SCENARIO_SCHEMA.$defs['faultPlan']).toEqual(expected);
    const r = load(yaml('version: 1', 'scenario: f', 'flow: { name: F, steps: { end: {} } }', 'faults: [ { fault: { type: status, status: 500 }, operation: UpsertBucket, nth: 1 } ]'));
    expect(lines(r)).toEqual([]);
    expect(r.scenarios[0]!.faults).toHaveLength(1);
    const bad = load(yaml('version: 1', 'scenario: f', 'flow: { name: F, steps: { end: {} } }', 'faults: [ { fault: { type: status, status: 418 } } ]'));
    expect(bad.diagnostics.length).toBeGreaterThan(0);
    expect(bad.diagnostics.every((d) => d.line === 4)).toBe(true);
  });
});

describe('the PyValue protocol', () => {
  const p = flow.pyValueProtocol;
  const py = values.py;
  it('iterates like Python, reprs like Python, and parameters become Python values', () => {
    expect(p.iterate(py.ndarray('int64', [2], [1n, 2n])).map((x) => values.fullName((x as values.PyValue).type))).toEqual(['numpy.int64', 'numpy.int64']);
    expect(p.iterate(py.record({ a: py.int(1) }))).toEqual([py.str('a')]);
    expect(() => p.iterate(py.int(3))).toThrow("'int' object is not iterable");
    expect(p.repr(py.tuple([py.int(1)]))).toBe('(1,)');
    expect(p.repr(py.list([py.str("it's"), py.float(1), values.None]))).toBe(`["it's", 1.0, None]`);
    expect(p.str(py.str('x'))).toBe('x');
    expect(p.switchKey(py.int(2))).toBe(2);
    expect(p.fromParameter({ name: 'a', cliName: 'a', type: 'float', value: 1 })).toMatchObject({ kind: 'float', value: 1 });
    expect(p.contentId(py.int(1))).not.toBe(p.contentId(py.float(1)));
    const shared = py.list([]);
    const copy = p.clone(py.list([shared, shared])) as values.PyList;
    expect(copy.items[0]).toBe(copy.items[1]);
    expect(copy.items[0]).not.toBe(shared);
  });
});
