import { describe, expect, it } from 'vitest';
import { Settings, values, type WandbLogDecorator } from '../../../src/index.ts';
import { compileScenario, type Scenario } from '../../../harness/scenario/index.ts';
import { FIXTURES, lines, load, yaml } from './helpers.ts';

/** The values a `set:` in the start step gives, by name. */
function setValues(...entries: string[]): Record<string, values.PyValue> {
  const r = load(yaml(
    'version: 1', 'scenario: s', 'flow:', '  name: F', '  steps:', '    start:', '      body:', '        - set:',
    ...entries.map((e) => `            ${e}`),
    '      next: end', '    end: {}',
  ));
  expect(lines(r)).toEqual([]);
  const op = r.scenarios[0]!.flow.steps[0]!.body[0]!;
  if (op.op !== 'set') throw new Error('expected a set operation');
  return Object.fromEntries(op.values);
}

const typeName = (v: values.PyValue) => values.fullName(v.type);

describe('plain YAML is Python', () => {
  it('int (any size), float, str, bool, None, dict, list', () => {
    const v = setValues('i: 3', 'big: 123456789012345678901234567890', 'f: 1.0', 'e: 1e3', 's: hi', 'b: true', 'n: null', 'd: {1: a, k: [1]}', 'l: [1, x]');
    expect(v['i']).toMatchObject({ kind: 'int', value: 3n });
    expect(v['big']).toMatchObject({ kind: 'int', value: 123456789012345678901234567890n });
    expect(v['f']).toMatchObject({ kind: 'float', value: 1 });
    expect(v['e']).toMatchObject({ kind: 'float', value: 1000 });
    expect(typeName(v['s']!)).toBe('str');
    expect(v['b']).toMatchObject({ kind: 'bool', value: true });
    expect(v['n']).toBe(values.None);
    expect(typeName(v['d']!)).toBe('dict');
    expect((v['d'] as values.PyDict).entries[0]![0]).toMatchObject({ kind: 'int', value: 1n });
    expect(typeName(v['l']!)).toBe('list');
  });
});

describe('value tags', () => {
  const v = setValues(
    't: !tuple [1, 2]', 'st: !set [1, 1, 2]', 'fs: !frozenset [a]', 'by: !bytes "ab"', 'fl: !float 3',
    'df: !DataFrame { columns: [a, b], rows: [[1, 2.5], [3, 4.5]] }', 'se: !Series [1, 2]', 'nd: !ndarray [[1, 2], [3, 4]]',
    'f64: !numpy.float64 1.5', 'f32: !numpy.float32 0.1', 'i64: !numpy.int64 7', 'nb: !numpy.bool_ true',
    'pp: !PurePath a/b.txt', 'p: !Path design-example.yaml', 'pin: !Path { files: { x.txt: hello } }', 'pm: !Path { missing: gone }',
    'nn: !nn.Module { class: Net }', 'sk: !sklearn { class: RandomForestClassifier, params: { n_estimators: 10 } }',
    'ob: !object { class: Thing, bases: [dict], picklable: false, state: { a: 1 } }', 'fn: !function helper',
  );
  it.each([
    ['t', 'tuple'], ['st', 'set'], ['fs', 'frozenset'], ['by', 'bytes'], ['fl', 'float'],
    ['df', 'pandas.core.frame.DataFrame'], ['se', 'pandas.core.series.Series'], ['nd', 'numpy.ndarray'],
    ['f64', 'numpy.float64'], ['f32', 'numpy.float32'], ['i64', 'numpy.int64'], ['nb', 'numpy.bool_'],
    ['pp', 'pathlib.PurePosixPath'], ['p', 'pathlib.PosixPath'], ['pin', 'pathlib.PosixPath'], ['pm', 'pathlib.PosixPath'],
    ['nn', '__main__.Net'], ['sk', 'sklearn.ensemble._forest.RandomForestClassifier'], ['ob', '__main__.Thing'], ['fn', 'function'],
  ])('%s is a %s', (name, type) => {
    expect(typeName(v[name]!)).toBe(type);
  });

  it('contents and class hierarchy are kept', () => {
    expect((v['st'] as values.PySet).items).toHaveLength(2);
    expect(v['fl']).toMatchObject({ kind: 'float', value: 3 });
    expect(v['f32']).toMatchObject({ value: Math.fround(0.1) });
    expect(v['nd']).toMatchObject({ dtype: 'int64', shape: [2, 2] });
    expect((v['df'] as values.PyDataFrame).rows[0]![1]).toMatchObject({ kind: 'float', value: 2.5 });
    expect(values.isinstance(v['nn']!, 'nn.Module')).toBe(true);
    expect(values.isinstance(v['sk']!, 'BaseEstimator')).toBe(true);
    expect(values.isinstance(v['ob']!, 'dict')).toBe(true);
    expect(v['ob']!.type.picklable).toBe(false);
    expect(values.isinstance(v['p']!, 'Path')).toBe(true);
    expect(values.isinstance(v['pp']!, 'Path')).toBe(false);
    expect(values.pathEntries(v['pin']!)).toEqual([{ name: 'x.txt', data: new TextEncoder().encode('hello') }]);
    expect(values.pathEntries(v['pm']!)).toEqual([]);
    // A relative !Path reads the real file beside the scenario.
    expect(values.pathEntries(v['p']!)[0]!.name).toBe('design-example.yaml');
    expect(v['fn']).toMatchObject({ qualname: 'helper', picklable: false });
  });

  it('an alias is the same Python object as its anchor', () => {
    const a = setValues('a: &x [1]', 'b: *x');
    expect(a['a']).toBe(a['b']);
  });

  // Columns: a tag's problems point at the tag, a key's at the key, a missing key at the entry (`b:`).
  it('bad tag contents are diagnostics at the value', () => {
    const r = load(yaml(
      'version: 1', 'scenario: s', 'flow:', '  name: F', '  steps:', '    start:', '      body:',
      '        - set: { a: !numpy.int64 1.5, b: !nn.Module { klass: Net }, c: !tuple 3, d: !object { class: X, bases: [Nope] } }',
      '      next: end', '    end: {}',
    ));
    const ds = r.diagnostics.map((d) => [d.line, d.col, d.message]);
    expect(ds).toEqual([
      [8, 21, '!numpy.int64 takes an integer, got the float 1.5'],
      [8, 55, 'unknown key "klass" in !nn.Module at flow.steps.start.body[0].set.b (did you mean "class"?)'],
      [8, 39, '!nn.Module at flow.steps.start.body[0].set.b is missing the key "class"'],
      [8, 72, '!tuple takes a sequence (!tuple [..]), got a scalar'],
      [8, 85, expect.stringContaining('bad !object value: Failed to resolve class "Nope"')],
    ].sort((x, y) => (x[0] as number) - (y[0] as number) || (x[1] as number) - (y[1] as number)));
  });
});

describe('!Settings', () => {
  const text = yaml(
    'version: 1', 'scenario: s', 'flow:', '  name: F',
    '  decorators: [ { wandb_log: { settings: &s !Settings { run_group: g, mode: offline } } } ]',
    '  steps:',
    '    start: { decorators: [ { wandb_log: { settings: *s } } ], next: end }',
    '    end: { decorators: [ { wandb_log: { settings: { run_group: plain } } } ] }',
  );
  const scenario = (): Scenario => {
    const r = load(text);
    expect(lines(r)).toEqual([]);
    return r.scenarios[0]!;
  };
  const settingsOf = (d: readonly unknown[] | undefined) => (d![0] as WandbLogDecorator).settings;

  it('an anchored !Settings aliased twice is one real Settings object', () => {
    const { definition } = compileScenario(scenario());
    const flowSettings = settingsOf(definition.decorators);
    expect(flowSettings).toBeInstanceOf(Settings);
    expect(flowSettings).toMatchObject({ run_group: 'g', mode: 'offline', run_job_type: null });
    expect(settingsOf(definition.steps[0]!.decorators)).toBe(flowSettings);
  });

  it('a plain map stays a plain object', () => {
    const { definition } = compileScenario(scenario());
    const plain = settingsOf(definition.steps[1]!.decorators);
    expect(plain).not.toBeInstanceOf(Settings);
    expect(plain).toEqual({ run_group: 'plain' });
  });

  it('each compiled run gets its own Settings (the integration mutates it during a run)', () => {
    const s = scenario();
    expect(settingsOf(compileScenario(s).definition.decorators)).not.toBe(settingsOf(compileScenario(s).definition.decorators));
  });

  it('!Settings checks its keys and is refused as a value', () => {
    const r = load(yaml(
      'version: 1', 'scenario: s', 'flow:', '  name: F',
      '  decorators: [ { wandb_log: { settings: !Settings { run_grop: g } } } ]',
      '  steps:', '    end: { body: [ { set: { x: !Settings {} } } ] }',
    ));
    expect(r.diagnostics.map((d) => [d.line, d.code])).toEqual([[5, 'unknown-key'], [7, 'misplaced-tag']]);
    expect(r.diagnostics[0]!.message).toContain('(did you mean "run_group"?)');
  });
});

void FIXTURES;
