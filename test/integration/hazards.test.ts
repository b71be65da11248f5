// Each hazard of the integration (DESIGN §3.3, reference §1.4, §1.5, §2.3, §3.3, §4), one scenario each.
import { describe, expect, it } from 'vitest';
import { Settings, flow as F, wandbLog } from '../../src/index.ts';
import { df, py, run } from '../helpers/flows.ts';

const codes = (r: { diagnostics: { code: string }[] }) => r.diagnostics.map((d) => d.code);

describe('hazards', () => {
  it('UNTRACKED_PRODUCER: an input produced by an undecorated step links to a stale version (latest) or to nothing (pinned)', async () => {
    const def: F.FlowDefinition = {
      name: 'StaleFlow',
      steps: [
        { name: 'start', decorators: [wandbLog({ datasets: true })], body: (s) => s.setattr('df', df([[1, 2]])), next: 'refresh' },
        { name: 'refresh', body: (s) => s.setattr('df', df([[9, 9]])), next: 'end' }, // no @wandb_log: the new df is never logged
        { name: 'end', decorators: [wandbLog({ datasets: true })], body: (s) => void s.getattr('df') },
      ],
    };
    const latest = await run({ definition: def, lineage: 'latest' });
    expect(latest.log.runs[1]!.used_artifacts).toEqual(['df:v0']); // the stale version from start
    const hazard = latest.diagnostics.find((d) => d.code === 'UNTRACKED_PRODUCER')!;
    expect(hazard).toMatchObject({ severity: 'warning', step: 'end', variable: 'df' });
    expect(hazard.message).toContain('StaleFlow/1/refresh/2, which has no @wandb_log');
    const pinned = await run({ definition: def, lineage: 'pinned' });
    expect(pinned.log.runs[1]!.used_artifacts).toEqual([]);
    expect(codes(pinned)).toContain('UNTRACKED_PRODUCER');
  });

  it('SIBLING_WRITE: parallel static branches logging one name', async () => {
    const def: F.FlowDefinition = {
      name: 'BranchFlow', decorators: [wandbLog({ datasets: true })],
      steps: [
        { name: 'start', next: ['a', 'b'] },
        { name: 'a', body: (s) => s.setattr('out', df([[1, 1]])), next: 'join' },
        { name: 'b', body: (s) => s.setattr('out', df([[2, 2]])), next: 'join' },
        { name: 'join', join: true, next: 'end' },
        { name: 'end' },
      ],
    };
    const r = await run({ definition: def });
    expect(r.diagnostics.filter((d) => d.code === 'SIBLING_WRITE')).toMatchObject([{ step: 'a,b', variable: 'out', severity: 'warning' }]);
  });

  it('JOIN_INPUTS_UNTRACKED and MERGE_UNTRACKED: a decorated join reading inputs and merging', async () => {
    const def: F.FlowDefinition = {
      name: 'JoinFlow', decorators: [wandbLog({ datasets: true })],
      steps: [
        { name: 'start', body: (s) => s.setattr('base', df([[0, 0]])), next: ['a', 'b'] },
        { name: 'a', body: (s) => s.setattr('x', df([[1, 1]])), next: 'join' },
        { name: 'b', body: (s) => s.setattr('y', df([[2, 2]])), next: 'join' },
        { name: 'join', join: true, body: (s, inputs) => { for (const i of inputs!) void i.hasattr('x'); s.merge_artifacts(inputs!); void s.getattr('x'); }, next: 'end' },
        { name: 'end' },
      ],
    };
    const r = await run({ definition: def });
    expect(r.flow_status).toBe('ok');
    expect(r.diagnostics.filter((d) => d.code === 'JOIN_INPUTS_UNTRACKED')).toMatchObject([{ step: 'join', variable: 'x', severity: 'warning' }]);
    expect(r.diagnostics.filter((d) => d.code === 'MERGE_UNTRACKED')).toMatchObject([{ step: 'join', severity: 'warning' }]);
    // A read after the merge is an input: x:latest is used (reference §2.3).
    expect(r.log.runs.find((x) => x.job_type === 'join')!.used_artifacts).toEqual(['x:v0']);
  });

  it('DICT_SETTINGS: a plain dict is silently replaced by wandb.Settings()', async () => {
    const def: F.FlowDefinition = { name: 'DictFlow', steps: [{ name: 'start', decorators: [wandbLog({ settings: { project: 'ignored', run_job_type: 'mine' } })] }] };
    const r = await run({ definition: def });
    expect(r.log.runs[0]).toMatchObject({ project: 'p', job_type: 'start' });
    expect(r.diagnostics).toMatchObject([{ code: 'DICT_SETTINGS', step: 'start' }]);
  });

  it('SHARED_SETTINGS: one Settings object on the flow, mutated by each step', async () => {
    const def: F.FlowDefinition = { name: 'SharedFlow', decorators: [wandbLog({ settings: new Settings({ project: 'proj2' }) })], steps: [{ name: 'start', next: 'end' }, { name: 'end' }] };
    const r = await run({ definition: def });
    expect(r.log.runs.map((x) => [x.project, x.job_type])).toEqual([['proj2', 'start'], ['proj2', 'start']]);
    expect(r.diagnostics).toMatchObject([{ code: 'SHARED_SETTINGS', step: 'start,end', message: expect.stringContaining('job type "start"') }]);
  });

  it('ENV_OVERRIDDEN: WANDB_RUN_GROUP / WANDB_JOB_TYPE are ignored', async () => {
    const def: F.FlowDefinition = { name: 'EnvFlow', steps: [{ name: 'start', decorators: [wandbLog()] }] };
    const r = await run({ definition: def, env: { WANDB_RUN_GROUP: 'env-group', WANDB_JOB_TYPE: 'env-jobtype' } });
    expect(r.log.runs[0]).toMatchObject({ group: 'EnvFlow/1', job_type: 'start' });
    expect(r.diagnostics).toMatchObject([{ code: 'ENV_OVERRIDDEN', message: expect.stringContaining('WANDB_RUN_GROUP and WANDB_JOB_TYPE are set but ignored') }]);
  });

  it('HELPER_WRAPPED: a flow decoration wraps helper methods (a warning while nobody calls them)', async () => {
    const def: F.FlowDefinition = { name: 'HelperFlow', decorators: [wandbLog()], helpers: { util: () => 1 }, steps: [{ name: 'start' }] };
    const r = await run({ definition: def });
    expect(r.flow_status).toBe('ok');
    expect(r.diagnostics).toMatchObject([{ code: 'HELPER_WRAPPED', severity: 'warning', variable: 'util' }]);
  });

  it('TYPE_CONFLICT: one name, two artifact types', async () => {
    const def: F.FlowDefinition = {
      name: 'ConflictFlow',
      steps: [
        { name: 'start', decorators: [wandbLog({ models: true })], body: (s) => s.setattr('thing', py.sklearn('Pipeline', [])), next: 'end' },
        { name: 'end', decorators: [wandbLog({ others: true })], body: (s) => s.setattr('thing', py.tuple([py.int(1)])) },
      ],
    };
    const r = await run({ definition: def });
    expect(r.diagnostics.find((d) => d.code === 'TYPE_CONFLICT')!.message).toBe('"thing" is logged as model (ConflictFlow/1/start/1) and other (ConflictFlow/1/end/2): W&B refuses a second type for one artifact name.');
  });
});
