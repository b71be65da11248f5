// The tier's comparison itself, on hand-made logs (no Python): a difference is named by its path, allowed rows
// allow only what they say, and parallel runs pair by meaning. If these fail, no live comparison can be trusted.
import { describe, expect, it } from 'vitest';
import { parseLenientJson, type LogModel } from '../../src/index.ts';
import { compareLogs } from './helpers/compare.ts';

const run = (ref: string, id: string, job: string, summary: Record<string, unknown>, logged: string[] = []) => ({
  ref, id, entity: 'e', project: 'p', group: 'F/1', job_type: job, config: {}, summary, history: [summary],
  logged_artifacts: logged, used_artifacts: [], exit_code: 0, state: 'finished' as const,
});
const art = (name: string, type: string, file: string, md5: string, by: string) => ({
  name, type, version: 'v0', digest: md5.repeat(8), aliases: ['latest', 'v0'], files: [{ path: file, size: 1, md5 }], created_by: by, used_by: [],
});
const log = (runs: unknown[], artifacts: unknown[] = []) => ({ format: 'tracked-flows/log@1', runs, artifacts, unsupported: [] }) as unknown as LogModel;

describe('structural diff of a plan and a real log', () => {
  it('names a changed summary value by job type, and ignores random run ids', () => {
    const v = compareLogs('f', log([run('run-1', 'aaa', 'train', { accuracy: 0.9 })]), log([run('run-1', 'zzz', 'train', { accuracy: 0.91 })]), 'ordered');
    expect(v.failures).toEqual(['runs[job_type=train].history[0].accuracy: plan 0.9, real 0.91', 'runs[job_type=train].summary.accuracy: plan 0.9, real 0.91']);
  });

  it('keeps int and float apart (W&B does): 1.0 from the wire is not 1', () => {
    const plan = parseLenientJson('{"format":"tracked-flows/log@1","unsupported":[],"artifacts":[],"runs":[{"ref":"run-1","id":"a","group":"F/1","job_type":"s","config":{"lr":1.0},"summary":{},"history":[],"logged_artifacts":[],"used_artifacts":[]}]}') as LogModel;
    const real = parseLenientJson('{"format":"tracked-flows/log@1","unsupported":[],"artifacts":[],"runs":[{"ref":"run-1","id":"b","group":"F/1","job_type":"s","config":{"lr":1},"summary":{},"history":[],"logged_artifacts":[],"used_artifacts":[]}]}') as LogModel;
    expect(compareLogs('f', plan, real, 'ordered').failures).toEqual(['runs[job_type=s].config.lr: plan 1.0, real 1']);
  });

  it('allows dataset file bytes (the parquet shim) and the digest that follows, but not a pickle of another type', () => {
    const plan = log([run('run-1', 'a', 's', {}, ['df:v0', 'x:v0'])], [art('df', 'dataset', 'df.parquet', 'AAAA', 'run-1'), art('x', 'other', 'x.pkl', 'CCCC', 'run-1')]);
    const real = log([run('run-1', 'b', 's', {}, ['df:v0', 'x:v0'])], [art('df', 'dataset', 'df.parquet', 'BBBB', 'run-1'), art('x', 'other', 'x.pkl', 'DDDD', 'run-1')]);
    const v = compareLogs('f', plan, real, 'ordered');
    expect(v.allowed.map((a) => a.split(':')[0])).toEqual(['artifacts[df', 'artifacts[df']);
    expect(v.failures).toEqual(['artifacts[x:v0].files[x.pkl].md5: plan "CCCC", real "DDDD"', 'artifacts[x:v0].digest: plan "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC", real "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD"']);
  });

  it('pairs parallel siblings by meaning, whatever order they ran in; position would not', () => {
    const plan = log([run('run-1', 'a', 'train', { m: 'rf' }), run('run-2', 'b', 'train', { m: 'gb' })]);
    const real = log([run('run-1', 'y', 'train', { m: 'gb' }), run('run-2', 'z', 'train', { m: 'rf' })]);
    expect(compareLogs('f', plan, real, 'multiset').failures).toEqual([]);
    expect(compareLogs('f', plan, real, 'ordered').failures.length).toBeGreaterThan(0);
  });
});
