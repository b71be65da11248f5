// diffLogs: documented normalisation, readable differences.
import { describe, expect, it } from 'vitest';
import type { LogModel } from '../../../src/index.ts';
import { diffLogs } from '../../../harness/cassette/index.ts';

function log(over: { id?: string; summary?: Record<string, unknown>; file?: { path: string; size: number; md5: string }; digest?: string } = {}): LogModel {
  return {
    format: 'tracked-flows/log@1',
    runs: [{ ref: 'run-1', id: over.id ?? 'abc123', entity: 'e', project: 'p', group: 'Flow/1', job_type: 'start', config: { alpha: 0.5 }, summary: over.summary ?? { accuracy: 0.9 }, history: [{ accuracy: 0.9 }], logged_artifacts: ['raw_df:v0'], used_artifacts: [], exit_code: 0, state: 'finished' }],
    artifacts: [{ name: 'raw_df', type: 'dataset', version: 'v0', digest: over.digest ?? 'd1', aliases: ['latest', 'v0'], files: [over.file ?? { path: 'raw_df.parquet', size: 512, md5: 'm1' }], created_by: 'run-1', used_by: [] }],
    unsupported: [],
  };
}

describe('diffLogs', () => {
  it('finds two equal logs equal, with an empty text', () => {
    expect(diffLogs(log(), log())).toEqual({ equal: true, differences: [], text: '' });
  });

  it('matches runs by ref: W&B run ids are volatile unless asked for', () => {
    expect(diffLogs(log({ id: 'abc123' }), log({ id: 'zz9' })).equal).toBe(true);
    expect(diffLogs(log({ id: 'abc123' }), log({ id: 'zz9' }), { compareRunIds: true }).differences).toEqual(['runs[run-1].id: expected "abc123", actual "zz9"']);
  });

  it('compares Parquet files by name and presence, and ignores the digest computed from them', () => {
    const other = log({ file: { path: 'raw_df.parquet', size: 530, md5: 'm2' }, digest: 'd2' });
    expect(diffLogs(log(), other).equal).toBe(true);
    const renamed = diffLogs(log(), log({ file: { path: 'raw_df.pq2', size: 512, md5: 'm1' } }));
    expect(renamed.equal).toBe(false);
    expect(renamed.differences).toContain('artifacts[raw_df:v0].files.raw_df.parquet: expected "present", actual nothing');
  });

  it('compares ordinary files by size and md5, and the artifact digest', () => {
    const a = log({ file: { path: 'data.txt', size: 12, md5: 'b1kCrCNwJL3QwXbLkwY9xA==' } });
    const b = log({ file: { path: 'data.txt', size: 13, md5: 'other' } });
    expect(diffLogs(a, b).differences).toEqual([
      'artifacts[raw_df:v0].files.data.txt.md5: expected "b1kCrCNwJL3QwXbLkwY9xA==", actual "other"',
      'artifacts[raw_df:v0].files.data.txt.size: expected 12, actual 13',
    ]);
  });

  it('prints a readable text naming where each difference is, with the labels given', () => {
    const d = diffLogs(log(), log({ summary: { accuracy: 0.8, loss: 1 } }), { labels: ['scenario', 'cassette'] });
    expect(d.text).toBe(['2 differences in the log (scenario vs cassette):', '  runs[run-1].summary.accuracy: scenario 0.9, cassette 0.8', '  runs[run-1].summary.loss: scenario nothing, cassette 1'].join('\n'));
  });

  it('names a run or artifact only one side has', () => {
    const more = log();
    more.runs.push({ ...more.runs[0]!, ref: 'run-2' });
    expect(diffLogs(log(), more).differences).toEqual(['runs[run-2]: expected nothing, actual has it']);
  });
});
