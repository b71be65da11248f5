// Lineage under foreach: `latest` (what the integration does) against `pinned` (where each value came from).
import { describe, expect, it } from 'vitest';
import type { flow as F } from '../../src/index.ts';
import { foreachOfThree, py, run } from '../helpers/flows.ts';

describe('a foreach of 3 whose children each write `model`', () => {
  it('latest: three versions; evaluate uses model:latest, and the hazards name the two uses that point at another version', async () => {
    const r = await run({ definition: foreachOfThree(), lineage: 'latest' });
    // Sequential order (documented): the three train tasks run before the evaluates (FIFO queue, task ids 2-4, then 5-7).
    expect(r.tasks.map((t) => `${t.step}/${t.task_id}`)).toEqual(['start/1', 'train/2', 'train/3', 'train/4', 'evaluate/5', 'evaluate/6', 'evaluate/7', 'join/8', 'end/9']);
    expect(r.log.artifacts.map((a) => [`${a.name}:${a.version}`, a.created_by, a.used_by])).toEqual([
      ['model:v0', 'run-2', []],
      ['model:v1', 'run-3', []],
      ['model:v2', 'run-4', ['run-5', 'run-6', 'run-7']],
    ]);
    const mismatches = r.diagnostics.filter((d) => d.code === 'LATEST_MISMATCH');
    expect(mismatches.map((d) => [d.step, d.variable])).toEqual([['evaluate', 'model'], ['evaluate', 'model']]);
    expect(mismatches[0]!.message).toContain('ForeachModels/1/evaluate/5 used "model:latest", which resolved to model:v2');
    expect(mismatches[0]!.message).toContain('logged by ForeachModels/1/train/2');
    expect(mismatches[1]!.message).toContain('logged by ForeachModels/1/train/3');
    expect(mismatches.map((d) => d.data)).toEqual([{ run: 'run-5', used: 'model:v2', pinned: 'model:v0' }, { run: 'run-6', used: 'model:v2', pinned: 'model:v1' }]);
    // Siblings writing one name is a hazard of its own.
    expect(r.diagnostics.filter((d) => d.code === 'SIBLING_WRITE').map((d) => d.variable)).toEqual(['model']);
  });

  it('pinned: each evaluate uses the version its own train logged, and no use is reported as a mismatch', async () => {
    const r = await run({ definition: foreachOfThree(), lineage: 'pinned' });
    expect(r.log.runs.filter((x) => x.job_type === 'evaluate').map((x) => x.used_artifacts)).toEqual([['model:v0'], ['model:v1'], ['model:v2']]);
    expect(r.log.artifacts.map((a) => a.used_by)).toEqual([['run-5'], ['run-6'], ['run-7']]);
    expect(r.diagnostics.filter((d) => d.code === 'LATEST_MISMATCH')).toEqual([]);
  });

  it('latest with identical content: siblings dedupe to one version, and then latest is right', async () => {
    const def = foreachOfThree();
    const same = { ...def, steps: def.steps.map((s) => (s.name === 'train' ? { ...s, body: (x: F.FlowSelf) => x.setattr('model', py.sklearn('RandomForestClassifier', [])) } : s)) };
    const r = await run({ definition: same, lineage: 'latest' });
    expect(r.log.artifacts.map((a) => `${a.name}:${a.version}`)).toEqual(['model:v0']);
    expect(r.diagnostics.filter((d) => d.code === 'LATEST_MISMATCH')).toEqual([]);
  });
});
