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

  it('a file the plan says it does not predict is declared (its size, md5, reason and the digest that follows); a pickle it predicts wrongly fails', () => {
    const unpredicted = { ...art('df', 'dataset', 'df.parquet', 'AAAA', 'run-1'), digest: null, files: [{ path: 'df.parquet', size: null, md5: null, unknown: 'bytes not predicted: pyarrow' }] };
    const plan = log([run('run-1', 'a', 's', {}, ['df:v0', 'x:v0'])], [unpredicted, art('x', 'other', 'x.pkl', 'CCCC', 'run-1')]);
    const real = log([run('run-1', 'b', 's', {}, ['df:v0', 'x:v0'])], [art('df', 'dataset', 'df.parquet', 'BBBB', 'run-1'), art('x', 'other', 'x.pkl', 'DDDD', 'run-1')]);
    const v = compareLogs('f', plan, real, 'ordered');
    expect(v.declared.map((a) => a.split(':')[0])).toEqual(['artifacts[df', 'artifacts[df', 'artifacts[df', 'artifacts[df']);
    expect(v.declared.map((a) => a.split(': ')[0])).toEqual(['artifacts[df:v0].files[df.parquet].md5', 'artifacts[df:v0].files[df.parquet].size', 'artifacts[df:v0].files[df.parquet].unknown', 'artifacts[df:v0].digest']);
    expect(v.failures).toEqual(['artifacts[x:v0].files[x.pkl].md5: plan "CCCC", real "DDDD"', 'artifacts[x:v0].digest: plan "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC", real "DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD"']);
    // The same bytes predicted (not declared) are a failure: no table row allows a file's bytes any more.
    const confident = log([run('run-1', 'a', 's', {}, ['df:v0'])], [art('df', 'dataset', 'df.parquet', 'AAAA', 'run-1')]);
    expect(compareLogs('f', confident, log([run('run-1', 'b', 's', {}, ['df:v0'])], [art('df', 'dataset', 'df.parquet', 'BBBB', 'run-1')]), 'ordered').failures).toHaveLength(2);
  });

  it('an unknown value is declared where the real value has its type, and fails where it has another', () => {
    const plan = parseLenientJson('{"format":"tracked-flows/log@1","unsupported":[],"artifacts":[],"runs":[{"ref":"run-1","id":"a","group":"F/1","job_type":"s","config":{},"summary":{"s":{"$unknown":"str","at":"3:9"},"n":{"$unknown":"int","at":"4:9"},"x":{"$unknown":"float","at":"5:9"},"t":["b",{"$unknown":"str","at":"3:9"}],"o":{"$unknown":"object","at":"6:9"}},"history":[],"logged_artifacts":[],"used_artifacts":[]}]}') as LogModel;
    const real = (summary: string) => parseLenientJson(`{"format":"tracked-flows/log@1","unsupported":[],"artifacts":[],"runs":[{"ref":"run-1","id":"b","group":"F/1","job_type":"s","config":{},"summary":${summary},"history":[],"logged_artifacts":[],"used_artifacts":[]}]}`) as LogModel;
    const fits = compareLogs('f', plan, real('{"s":"a-1","n":3,"x":1.0,"t":["b","a-1"],"o":[1]}'), 'ordered');
    expect(fits.failures).toEqual([]);
    expect(fits.declared.map((d) => d.split(': ')[0])).toEqual(['runs[job_type=s].summary.n', 'runs[job_type=s].summary.o', 'runs[job_type=s].summary.s', 'runs[job_type=s].summary.t[1]', 'runs[job_type=s].summary.x']);
    const wrong = compareLogs('f', plan, real('{"s":5,"n":3.0,"x":2,"t":["c","a-1"]}'), 'ordered');
    expect(wrong.failures.map((d) => d.split(': ')[0])).toEqual(['runs[job_type=s].summary.n', 'runs[job_type=s].summary.o', 'runs[job_type=s].summary.s', 'runs[job_type=s].summary.t[0]', 'runs[job_type=s].summary.x']);
  });

  it('a list in hash order is declared where the real list has the same items in any order, and fails otherwise', () => {
    const withNames = (names: unknown) => log([run('run-1', 'a', 's', { names })]);
    const plan = withNames({ $unordered: ['b', 'a', 'c'] });
    expect(compareLogs('f', plan, withNames(['c', 'a', 'b']), 'ordered')).toMatchObject({ failures: [], declared: [expect.stringContaining('hash order'), expect.stringContaining('hash order')] });
    expect(compareLogs('f', plan, withNames(['c', 'a']), 'ordered').failures).toHaveLength(2);
    expect(compareLogs('f', plan, withNames(['c', 'a', 'a']), 'ordered').failures).toHaveLength(2);
    // An unknown item stands for any real item of its type (a static join's list holding one branch's unknown).
    const mixed = withNames({ $unordered: ['side', { $unknown: 'str', at: '3:9' }] });
    expect(compareLogs('f', mixed, withNames(['EXP', 'side']), 'ordered').failures).toEqual([]);
    expect(compareLogs('f', mixed, withNames([7, 'side']), 'ordered').failures).toHaveLength(2);
    expect(compareLogs('f', mixed, withNames(['EXP', 'other']), 'ordered').failures).toHaveLength(2);
  });

  it('pairs parallel siblings by meaning, whatever order they ran in; position would not', () => {
    const plan = log([run('run-1', 'a', 'train', { m: 'rf' }), run('run-2', 'b', 'train', { m: 'gb' })]);
    const real = log([run('run-1', 'y', 'train', { m: 'gb' }), run('run-2', 'z', 'train', { m: 'rf' })]);
    expect(compareLogs('f', plan, real, 'multiset').failures).toEqual([]);
    expect(compareLogs('f', plan, real, 'ordered').failures.length).toBeGreaterThan(0);
  });
});
