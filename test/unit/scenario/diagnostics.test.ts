import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioFile, loadScenarioPaths, formatDiagnostic } from '../../../harness/scenario/index.ts';
import { FIXTURES, lines, load, withSteps, yaml } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const bad = (name: string) => join(FIXTURES, 'bad', name);
const fileLines = (name: string) => loadScenarioFile(bad(name)).diagnostics.map(formatDiagnostic);

describe('diagnostics point at file:line:col', () => {
  it('the DESIGN §4.1 example loads with no diagnostics', () => {
    const r = loadScenarioFile(join(FIXTURES, 'design-example.yaml'));
    expect(r.diagnostics).toEqual([]);
    expect(r.scenarios.map((s) => s.id)).toEqual(['flow-and-steps']);
  });

  it('broken YAML: the parser error at the line where it is detected', () => {
    const [d, ...rest] = loadScenarioFile(bad('broken-yaml.yaml')).diagnostics;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ line: 7, col: 5, code: 'yaml-syntax' });
    expect(d!.message).toMatch(/^YAML syntax error: Flow map/);
  });

  it('unknown key: names it and the intended key, at the key', () => {
    expect(fileLines('unknown-key.yaml')).toEqual([
      `${bad('unknown-key.yaml')}:5:3: unknown key "helpres" in flow (did you mean "helpers"?)`,
    ]);
  });

  it('an unknown key without a near match lists the allowed ones', () => {
    const r = load(withSteps('    start: { next: end, zzz: 1 }', '    end: {}'));
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ line: 6, col: 25, code: 'unknown-key' });
    expect(r.diagnostics[0]!.message).toBe('unknown key "zzz" in flow.steps.start; allowed: body, next, join, decorators');
  });

  it('wrong type: at the value, with the expected and actual types', () => {
    expect(fileLines('wrong-type.yaml')).toEqual([`${bad('wrong-type.yaml')}:8:21: run.max_workers must be integer, got string`]);
  });

  it('unknown tag: an error (not the yaml warning), at the tag, with the closest known tag', () => {
    expect(fileLines('unknown-tag.yaml')).toEqual([`${bad('unknown-tag.yaml')}:8:22: unknown tag !DataFrme (did you mean "!DataFrame"?)`]);
  });

  it('next to an unknown step: Metaflow\'s message at the next value', () => {
    const ls = fileLines('unknown-next.yaml');
    expect(ls[0]).toBe(`${bad('unknown-next.yaml')}:6:20: Step start specifies a self.next() transition to an unknown step, mdi.`);
  });

  it('a cycle: the loop message at the next that closes it', () => {
    const ls = fileLines('cycle.yaml');
    expect(ls).toContain(`${bad('cycle.yaml')}:7:16: There is a loop in your flow: b->a->b. Break the loop by fixing self.next() transitions.`);
  });

  it('a join without a split: the split-join balance message at the step', () => {
    expect(fileLines('join-without-split.yaml')).toEqual([
      `${bad('join-without-split.yaml')}:7:5: Step mid seems like a join step (it takes an extra input argument) but it is not preceded by a split. Ensure that there is a matching split for every join.`,
    ]);
  });

  it('a DataFrame row of the wrong length: at the row', () => {
    expect(fileLines('bad-dataframe.yaml')).toEqual([
      `${bad('bad-dataframe.yaml')}:13:19: !DataFrame row has 1 value(s) for 2 column(s) (a, b): give every row one value per column`,
    ]);
  });

  it('a file with several problems reports all of them, in line order', () => {
    const r = loadScenarioFile(bad('several-problems.yaml'));
    expect(r.diagnostics.map((d) => [d.line, d.code])).toEqual([
      [3, 'schema'],        // integration: curent
      [6, 'schema'],        // datasets: yes-please
      [10, 'unknown-key'],  // sett
      [11, 'unknown-tag'],  // !tupel
      [13, 'lint'],         // next: nowhere
      [14, 'lint'],         // end unreachable
      [17, 'duplicate-id'], // the second document
    ]);
    expect(r.diagnostics[0]!.message).toContain('(did you mean "current"?)');
  });

  it('a known tag where no value is expected is reported', () => {
    const r = load(yaml('version: 1', 'scenario: !tuple [a]', 'flow:', '  name: F', '  steps:', '    end: {}'));
    expect(lines(r).some((l) => /inline\.yaml:2:11: tag !tuple is not allowed at scenario/.test(l))).toBe(true);
  });

  it('a body operation with two keys, a missing required key, a bad parameter type', () => {
    const r = load(yaml(
      'version: 1', 'scenario: s', 'flow:', '  name: F',
      '  parameters: { p: { type: integer } }',
      '  steps:',
      '    start:',
      '      body: [ { set: { a: 1 }, read: a } ]',
      '      next: { foreach: a }',
      '    end: {}',
    ));
    const msgs = r.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`);
    expect(msgs).toContain('5:28 flow.parameters.p.type must be one of "str", "int", "float", "bool", "json", got "integer"');
    expect(msgs).toContain('8:15 flow.steps.start.body[0] must have exactly one key (one of set, read, local, mutate, call, merge_artifacts, read_inputs, raise, del), got set, read');
    expect(msgs).toContain('9:7 flow.steps.start.next is missing the key "to"');
  });

  it('call: an unknown helper is reported with the closest helper', () => {
    const r = load(yaml(
      'version: 1', 'scenario: s', 'flow:', '  name: F', '  helpers: [prepare]', '  steps:',
      '    start: { body: [ { call: prepair } ], next: end }', '    end: {}',
    ));
    expect(r.diagnostics.map((d) => [d.line, d.code, d.message])).toEqual([
      [7, 'unknown-helper', 'call: "prepair" is not a helper of F (did you mean "prepare"?); declare it under flow.helpers'],
    ]);
  });

  it('ids must be unique across a suite', () => {
    const r = loadScenarioPaths([join(FIXTURES, 'design-example.yaml'), join(FIXTURES, 'design-example.yaml')]);
    expect(r.diagnostics).toEqual([]); // the same file twice is one file
    const dup = load(yaml('version: 1', 'scenario: s', 'flow: { name: F, steps: { end: {} } }', '---', 'version: 1', 'scenario: s', 'flow: { name: G, steps: { end: {} } }'));
    expect(dup.diagnostics.map((d) => [d.line, d.code])).toEqual([[6, 'duplicate-id']]);
  });
});

describe('tracked-flows validate (the real CLI)', () => {
  const work = mkdtempSync(join(tmpdir(), 'tf-validate-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, 'bin/tracked-flows.cjs'), 'validate', ...args], { cwd: work, encoding: 'utf8' });
  const snapshot = (dir: string) =>
    readdirSync(dir, { recursive: true }).map(String).sort().map((f) => `${f}:${statSync(join(dir, f)).mtimeMs}`);

  it('exits 2 on bad input, prints path:line:col lines on stderr, and writes nothing', () => {
    const before = snapshot(FIXTURES);
    const r = cli(join(FIXTURES, 'bad'));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const errLines = r.stderr.trim().split('\n');
    expect(errLines).toContain(`${join(FIXTURES, 'bad', 'unknown-key.yaml')}:5:3: unknown key "helpres" in flow (did you mean "helpers"?)`);
    expect(errLines.filter((l) => /^\/.*\.yaml:\d+:\d+: /.test(l)).length).toBe(errLines.length - 1);
    expect(readdirSync(work)).toEqual([]);
    expect(snapshot(FIXTURES)).toEqual(before);
  });

  it('exits 0 and counts valid scenarios', () => {
    const r = cli(relative(work, join(FIXTURES, 'design-example.yaml')));
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('1 scenarios valid');
    expect(r.status).toBe(0);
  });
});

describe('requireValid', () => {
  it('throws a ScenarioError carrying every diagnostic', async () => {
    const { requireValid, ScenarioError } = await import('../../../harness/scenario/index.ts');
    const r = loadScenarioFile(join(FIXTURES, 'bad', 'several-problems.yaml'));
    expect(() => requireValid(r)).toThrow(ScenarioError);
    try {
      requireValid(r);
    } catch (e) {
      expect((e as InstanceType<typeof ScenarioError>).diagnostics).toHaveLength(r.diagnostics.length);
      expect((e as Error).message).toMatch(/^Failed to load ".*several-problems\.yaml": 7 problem\(s\), the first at 3:14: /);
    }
  });
});

describe('only documents without problems become scenarios', () => {
  it('a bad document yields diagnostics and no scenario; a good one beside it still loads', () => {
    const r = load(yaml(
      'version: 1', 'scenario: bad', 'flow: { name: F, steps: { end: { nxt: x } } }', '---',
      'version: 1', 'scenario: good', 'flow: { name: G, steps: { end: {} } }',
    ));
    expect(r.diagnostics.map((d) => [d.line, d.code])).toEqual([[3, 'unknown-key']]);
    expect(r.scenarios.map((s) => s.id)).toEqual(['good']);
  });
});
