// `env:` — the process environment a scenario's flow runs in, handed to the integration (which ignores
// WANDB_RUN_GROUP / WANDB_JOB_TYPE and says so: ENV_OVERRIDDEN, reference §1.4 item 3).
import { describe, expect, it } from 'vitest';
import { runScenario, toRunnable } from '../../../harness/runner/index.ts';
import { lines, load, yaml } from './helpers.ts';

describe('env:', () => {
  it('is read as a string map, passed to the runner, and the integration still sets group and job type itself', async () => {
    const r = load(yaml(
      'version: 1', 'scenario: env', 'env: { WANDB_RUN_GROUP: env-group, WANDB_JOB_TYPE: env-jobtype }',
      'flow: { name: EnvFlow, steps: { start: { decorators: [ { wandb_log: {} } ] } } }',
      'run: { run_id: "1" }',
    ));
    expect(lines(r)).toEqual([]);
    expect(r.scenarios[0]!.env).toEqual({ WANDB_RUN_GROUP: 'env-group', WANDB_JOB_TYPE: 'env-jobtype' });
    const runnable = toRunnable(r.scenarios[0]!);
    expect(runnable.env).toEqual({ WANDB_RUN_GROUP: 'env-group', WANDB_JOB_TYPE: 'env-jobtype' });
    const result = await runScenario(runnable);
    expect(result.log.runs[0]).toMatchObject({ group: 'EnvFlow/1', job_type: 'start' });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['ENV_OVERRIDDEN']);
  });

  it('defaults to empty (no env on the runnable), and a non-string value is a schema error at its line', () => {
    const plain = load(yaml('version: 1', 'scenario: s', 'flow: { name: F, steps: { end: {} } }'));
    expect(plain.scenarios[0]!.env).toEqual({});
    expect(toRunnable(plain.scenarios[0]!).env).toBeUndefined();
    const bad = load(yaml('version: 1', 'scenario: s', 'flow: { name: F, steps: { end: {} } }', 'env:', '  WANDB_JOB_TYPE: 3'));
    expect(bad.scenarios).toEqual([]);
    expect(bad.diagnostics.map((d) => d.line)).toEqual([5]);
  });
});
