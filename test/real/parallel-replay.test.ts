// Issue 27: a session of the real wandb 0.18.7 SDK and real Metaflow, recorded at --max-workers 8 against
// `tracked-flows serve`, replays offline in another folder at the same parallelism with 0 misses, every time:
// foreach siblings start and commit in any order, and runs are paired by meaning, not by arrival.
//   REAL_REPLAYS   replays per flow (default 10)   REAL_REPLAY_PARALLEL   replays at once (default 2)
//   REAL_FLOWS     a comma-separated subset of the flows below, by name
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';
import { cli, folderWith, kitEnv, missLines, replaySummary, ROOT, type FlowRun } from './helpers/replay-kit.ts';

// CI (CI set) replays each flow once: the live tests already take ~18 minutes on 2 cores; the 10 replays are
// a local run (REAL_REPLAYS=10, the default outside CI).
const REPLAYS = Number(process.env.REAL_REPLAYS ?? (process.env.CI ? 1 : 10));
const PARALLEL = Number(process.env.REAL_REPLAY_PARALLEL ?? 2);
// The stand-in rows system-foreach.values.yaml pins (test/helpers/system-flows.ts WINE.raw_df).
const WINE = join(ROOT, 'test/real/flows/wine.csv');
const FLOWS = [
  // raw_data is given relative: its default is an absolute path, which another folder changes (and config with it).
  { name: 'system-foreach', files: [join(ROOT, 'scenarios/python/system-foreach.py'), WINE], args: ['--raw_data', 'wine.csv'] },
  { name: 'graphs-foreach', files: [join(ROOT, 'scenarios/python/graphs-foreach.py')], args: [] },
  { name: 'race-foreach', files: [join(ROOT, 'test/real/flows/race-foreach.py')], args: [] },
];

let env: Record<string, string>;
let srv: ServeProcess;
const timings: Record<string, { record_s: number; replays_s: number[] }> = {};
beforeAll(async () => {
  env = { ...process.env as Record<string, string>, ...kitEnv(), FIXED_RUN_ID: '2727' };
  srv = await startServe();
});
afterAll(async () => {
  await srv?.stop();
  mkdirSync(join(ROOT, 'test-output'), { recursive: true });
  writeFileSync(join(ROOT, 'test-output/real-parallel-replay.json'), `${JSON.stringify(timings, null, 2)}\n`);
});

async function pool<T>(n: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, n) }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await task(i);
    }
  }));
  return out;
}

describe.each(FLOWS.filter((f) => !process.env.REAL_FLOWS || process.env.REAL_FLOWS.split(',').includes(f.name)))('$name: recorded at --max-workers 8, replayed at --max-workers 8', ({ name, files, args }) => {
  it(`replays ${REPLAYS} times in other folders with 0 misses`, async () => {
    const script = files[0]!.split('/').pop()!;
    const command = ['python3', script, '--no-pylint', 'run', '--max-workers', '8', ...args];
    const cassette = join(folderWith([]), `${name}.cassette.json`);
    const recorded = await cli(['record', '--out', cassette, '--upstream', srv.url, '--', ...command], folderWith(files), env);
    expect(recorded.code, recorded.stderr.slice(-2000)).toBe(0);
    const runs: FlowRun[] = await pool(REPLAYS, PARALLEL, () => cli(['replay', cassette, '--', ...command], folderWith(files), env));
    timings[name] = { record_s: recorded.ms / 1000, replays_s: runs.map((r) => Math.round(r.ms / 100) / 10) };
    const verdicts = runs.map((r, i) => ({ i, code: r.code, ...replaySummary(r), misses: missLines(r) }));
    expect(verdicts.filter((v) => v.code !== 0 || v.missed !== 0 || v.matched <= 0)).toEqual([]);
  });
});
