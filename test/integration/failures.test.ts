// The real integration's failure modes (reference §3.6, §1.4, §1.5, §2.2) reproduced as task failures with W&B's
// own exception type and message, and the run ending with exit code 1 as W&B records it.
import { describe, expect, it } from 'vitest';
import { Settings, flow as F, wandbLog } from '../../src/index.ts';
import { df, py, run, type Body } from '../helpers/flows.ts';

const oneStep = (body: Body, deco = wandbLog({ datasets: true, models: true, others: true })): F.FlowDefinition => ({
  name: 'FailFlow', steps: [{ name: 'start', decorators: [deco], body }],
});

async function failure(def: F.FlowDefinition, extra: Partial<Parameters<typeof run>[0]> = {}) {
  const r = await run({ definition: def, ...extra });
  expect(r.flow_status).toBe('failed');
  return r;
}

describe('failure modes, as the Python task fails', () => {
  it('a "scalar" container holding a model cannot be logged, whatever the flags', async () => {
    const r = await failure(oneStep((s) => s.setattr('models', py.list([py.sklearn('RandomForestClassifier', [])])), wandbLog({})));
    expect(r.tasks[0]!.error).toBe('TypeError: Object of type RandomForestClassifier is not JSON serializable');
    expect(r.log.runs[0]).toMatchObject({ exit_code: 1, state: 'failed', history: [] });
  });

  it('a list holding a DataFrame fails the same way', async () => {
    const r = await failure(oneStep((s) => s.setattr('dfs', py.list([df([[1, 2]])]))));
    expect(r.tasks[0]!.error).toBe('TypeError: Object of type DataFrame is not JSON serializable');
  });

  it('an unpicklable value with others=True: the pickling error propagates', async () => {
    const r = await failure(oneStep((s) => s.setattr('fn', py.function('make.<locals>.inner'))));
    expect(r.tasks[0]!.error).toBe("AttributeError: Can't pickle local object 'make.<locals>.inner'");
    expect(r.log.runs[0]!.exit_code).toBe(1);
    expect(r.log.artifacts).toEqual([]);
  });

  it('offline, reading a tracked-type input raises in use_artifact', async () => {
    const def: F.FlowDefinition = {
      name: 'OfflineFlow', decorators: [wandbLog({ datasets: true })],
      steps: [{ name: 'start', body: (s) => s.setattr('raw_df', df([[1, 2]])), next: 'end' }, { name: 'end', body: (s) => void s.getattr('raw_df') }],
    };
    const r = await failure(def, { mode: 'offline' });
    expect(r.tasks.map((t) => [t.step, t.status, t.error])).toEqual([
      ['start', 'ok', null],
      ['end', 'failed', 'TypeError: Cannot use artifact when in offline mode.'],
    ]);
    expect(r.log.runs).toEqual([]); // offline: nothing reaches the server
  });

  it('an artifact name over 128 characters', async () => {
    const name = `d${'x'.repeat(128)}`;
    const r = await failure(oneStep((s) => s.setattr(name, df([[1, 2]]))));
    expect(r.tasks[0]!.error).toBe('ValueError: Artifact name is longer than 128 characters');
    expect(r.log.runs[0]!.exit_code).toBe(1);
  });

  it('a non-ASCII artifact name', async () => {
    const r = await failure(oneStep((s) => s.setattr('données', df([[1, 2]]))));
    expect(r.tasks[0]!.error).toBe('ValueError: Artifact name may only contain alphanumeric characters, dashes, underscores, and dots');
  });

  it('a name logged as dataset, then pickled as other (current fall-through): W&B refuses the second type', async () => {
    const def: F.FlowDefinition = {
      name: 'TypeFlow',
      steps: [
        { name: 'start', decorators: [wandbLog({ datasets: true })], body: (s) => s.setattr('df', df([[1, 2]])), next: 'end' },
        { name: 'end', decorators: [wandbLog({ datasets: false, others: true })], body: (s) => s.setattr('df', df([[3, 4]])) },
      ],
    };
    const r = await failure(def);
    expect(r.tasks[1]!.error).toBe("ValueError: Artifact df already exists with type 'dataset'; cannot create another with type 'other'");
    expect(r.log.runs.map((x) => x.exit_code)).toEqual([0, 1]);
    expect(r.diagnostics.find((d) => d.code === 'TYPE_CONFLICT')).toMatchObject({ severity: 'error', variable: 'df' });
    // The legacy profile (no fall-through) logs nothing in `end`, so nothing fails.
    const legacy = await run({ definition: def, integration: 'legacy' });
    expect(legacy.flow_status).toBe('ok');
    expect(legacy.log.runs[1]!.logged_artifacts).toEqual([]);
  });

  it('a step that raises: exit code 1, nothing used or tracked', async () => {
    const r = await failure(oneStep((s) => { s.setattr('x', py.int(1)); s.setattr('d', df([[1, 2]])); F.pyRaise('ValueError', 'boom'); }));
    expect(r.tasks[0]!.error).toBe('ValueError: boom');
    expect(r.log.runs[0]).toMatchObject({ exit_code: 1, history: [], logged_artifacts: [] });
    expect(r.log.artifacts).toEqual([]);
  });

  it('`del self.x` in a decorated step: the proxy has no __delattr__', async () => {
    const r = await failure(oneStep((s) => { s.setattr('x', py.int(1)); s.delattr('x'); }));
    expect(r.tasks[0]!.error).toBe("AttributeError: 'ArtifactProxy' object has no attribute 'x'");
  });

  it('a helper wrapped by flow decoration finishes the step run: the step\'s own logging then raises UsageError', async () => {
    const def: F.FlowDefinition = {
      name: 'HelperFlow', decorators: [wandbLog({ datasets: true })], helpers: { prepare: () => 42 },
      steps: [{ name: 'start', body: async (s) => { const got = await s.call('prepare'); s.setattr('got', got === null ? py.None : py.int(Number(got))); s.setattr('accuracy', py.float(0.5)); } }],
    };
    const r = await failure(def);
    const runId = r.log.runs[0]!.id;
    expect(r.tasks[0]!.error).toBe(`UsageError: Run (${runId}) is finished. The call to \`log\` will be ignored. Please make sure that you are using an active run.`);
    // The helper's wrapper finished the shared run with exit code 0; the step's failure comes after.
    expect(r.log.runs).toHaveLength(1);
    expect(r.log.runs[0]!.exit_code).toBe(0);
    expect(r.diagnostics.find((d) => d.code === 'HELPER_WRAPPED')).toMatchObject({ severity: 'error', variable: 'prepare' });
  });

  it('the parameters are read-only, as in Metaflow', async () => {
    const def: F.FlowDefinition = { name: 'ParamFlow', parameters: [{ name: 'alpha', default: 0.5 }], steps: [{ name: 'start', decorators: [wandbLog()], body: (s) => s.setattr('alpha', py.float(1)) }] };
    const r = await failure(def);
    expect(r.tasks[0]!.error).toMatch(/^AttributeError: /);
    expect(r.log.runs[0]).toMatchObject({ config: { alpha: 0.5 }, exit_code: 1 });
  });

  it('a shared Settings object is mutated: the second step gets the first one\'s job type', async () => {
    const shared = new Settings();
    const def: F.FlowDefinition = { name: 'SharedFlow', decorators: [wandbLog({ settings: shared })], steps: [{ name: 'start', next: 'end' }, { name: 'end' }] };
    const r = await run({ definition: def });
    expect(r.log.runs.map((x) => [x.group, x.job_type])).toEqual([['SharedFlow/1', 'start'], ['SharedFlow/1', 'start']]);
  });
});

describe('proxy name collisions (reference §2.2)', () => {
  it('reading `params` (or inputs, outputs, base, flow) returns the proxy\'s own internals, so an artifact of that name is never used', async () => {
    const def: F.FlowDefinition = {
      name: 'CollisionFlow', decorators: [wandbLog({ datasets: true })],
      steps: [
        { name: 'start', body: (s) => { s.setattr('params', df([[1, 2]])); s.setattr('base', df([[3, 4]])); }, next: 'end' },
        { name: 'end', body: (s) => { s.getattr('params'); s.getattr('base'); s.getattr('outputs'); } },
      ],
    };
    const r = await run({ definition: def });
    expect(r.flow_status).toBe('ok');
    // Writes still reach the flow and the outputs: both are logged by start...
    expect(r.log.runs[0]!.logged_artifacts).toEqual(['params:v0', 'base:v0']);
    // ...but end's reads hit the proxy's attributes, so nothing is used.
    expect(r.log.runs[1]!.used_artifacts).toEqual([]);
  });
});
