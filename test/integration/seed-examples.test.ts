// The three examples of W&B's Metaflow docs ("Decorate your flows and steps": Step, Flow, Flow and Steps), with
// exact runs, groups, job types, config, summary, artifacts and lineage — asserted on the backend's log.
import { describe, expect, it } from 'vitest';
import { Settings, wandbLog } from '../../src/index.ts';
import { df, py, run, createdBy } from '../helpers/flows.ts';

// `pd.read_csv(...)` and `torch.load(...)` of the docs: one DataFrame and one nn.Module, the same each time read.
const RAW = () => df([[1, 2], [3, 4]]);
const NET = () => py.torchModule('Net');
const writeBoth = (s: { setattr(n: string, v: unknown): void }) => {
  s.setattr('raw_df', RAW());
  s.setattr('model_file', NET());
};

describe("the docs' examples", () => {
  it('Step: only `start` is decorated, so one run logs raw_df as a dataset and model_file as a model', async () => {
    const r = await run({
      definition: {
        name: 'WandbExampleFlow',
        steps: [
          { name: 'start', decorators: [wandbLog({ datasets: true, models: true, settings: new Settings() })], body: writeBoth, next: 'transform' },
          { name: 'transform', body: (s) => void s.getattr('raw_df'), next: 'end' },
          { name: 'end' },
        ],
      },
    });
    expect(r.flow_status).toBe('ok');
    expect(r.tasks.map((t) => [t.step, t.task_id, t.run])).toEqual([['start', '1', 'run-1'], ['transform', '2', null], ['end', '3', null]]);
    expect(r.log.runs).toHaveLength(1);
    expect(r.log.runs[0]).toMatchObject({ group: 'WandbExampleFlow/1', job_type: 'start', config: {}, summary: {}, history: [], logged_artifacts: ['raw_df:v0', 'model_file:v0'], used_artifacts: [], exit_code: 0 });
    expect(r.log.artifacts.map((a) => [a.name, a.type, a.files.map((f) => f.path)])).toEqual([
      ['model_file', 'model', ['model_file.pkl']], // torch.save output, named .pkl (reference §3.1 row 2)
      ['raw_df', 'dataset', ['raw_df.parquet']],
    ]);
  });

  it('Flow: every step logs datasets and models; a step reading raw_df uses raw_df:latest', async () => {
    const r = await run({
      definition: {
        name: 'WandbExampleFlow', decorators: [wandbLog({ datasets: true, models: true })],
        steps: [
          { name: 'start', body: writeBoth, next: 'transform' },
          { name: 'transform', body: (s) => { s.getattr('raw_df'); s.setattr('features', df([[1], [3]], ['a'])); }, next: 'end' },
          { name: 'end' },
        ],
      },
    });
    expect(r.log.runs.map((x) => [x.ref, x.group, x.job_type, x.logged_artifacts, x.used_artifacts])).toEqual([
      ['run-1', 'WandbExampleFlow/1', 'start', ['raw_df:v0', 'model_file:v0'], []],
      ['run-2', 'WandbExampleFlow/1', 'transform', ['features:v0'], ['raw_df:v0']],
      ['run-3', 'WandbExampleFlow/1', 'end', [], []],
    ]);
    expect(createdBy(r.log)).toEqual({ 'features:v0': 'run-2', 'model_file:v0': 'run-1', 'raw_df:v0': 'run-1' });
    expect(r.log.artifacts.find((a) => a.name === 'raw_df')!.used_by).toEqual(['run-2']);
  });

  it('Flow and Steps: start and mid log both, end (overridden) logs neither; mid re-reads the same files, so W&B deduplicates', async () => {
    const r = await run({
      definition: {
        name: 'WandbExampleFlow', decorators: [wandbLog({ datasets: true, models: true })],
        steps: [
          { name: 'start', body: writeBoth, next: 'mid' },
          { name: 'mid', body: writeBoth, next: 'end' },
          { name: 'end', decorators: [wandbLog({ datasets: false, models: false })], body: writeBoth },
        ],
      },
    });
    expect(r.log.runs.map((x) => [x.job_type, x.logged_artifacts, x.used_artifacts, x.exit_code])).toEqual([
      ['start', ['raw_df:v0', 'model_file:v0'], [], 0],
      // Same content: CreateArtifact answers COMMITTED with v0 — no new version, no new created_by edge.
      ['mid', [], [], 0],
      // Flags off (current profile, others off too): nothing logged.
      ['end', [], [], 0],
    ]);
    expect(r.log.artifacts.map((a) => `${a.name}:${a.version}`)).toEqual(['model_file:v0', 'raw_df:v0']);
    expect(r.diagnostics).toEqual([]);
  });
});
