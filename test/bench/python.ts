// 7. `plan flow.py`: the 3-step flow read from Python source (parse, interpret, run against the embedded
// backend) in-process, and cold as a whole CLI process beside `plan` of its YAML twin.

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { planFlowFile } from '../../harness/python/index.ts';
import { RUNS, givenValue } from '../fixtures/wild/runs.ts';
import type { Row } from './cases.ts';
import { quick } from './cases.ts';
import { summarize, timeRuns } from './stats.ts';

const FLOW = 'test/bench/fixtures/flow-and-steps.py';
const TWIN = 'scenarios/docs/flow-and-steps.yaml';

function cold(args: string[], runs: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, ['bin/tracked-flows.cjs', ...args], { encoding: 'utf8' });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`Failed to run "tracked-flows ${args.join(' ')}": exit ${r.status}: ${r.stderr}. Fix the command before benchmarking it.`);
  }
  return times;
}

export async function pythonPlan(): Promise<Row[]> {
  const g = '7. plan of a flow.py (3 steps, parsed and interpreted, never executed)';
  const options = { runId: '1', env: { WANDB_ENTITY: 'e', WANDB_PROJECT: 'p' } };
  const first = await planFlowFile(FLOW, options);
  if (first.result === null || first.result.flow_status !== 'ok') throw new Error(`Failed to plan "${FLOW}": ${first.diagnostics.map((d) => d.message).join('; ')}. The bench needs a plannable flow.`);
  const inProcess = await timeRuns(() => planFlowFile(FLOW, options), quick ? 10 : 60, quick ? 5 : 100);
  const runs = quick ? 2 : 5;
  const py = summarize(cold(['plan', FLOW, '--json', '--run-id', '1'], runs));
  const yaml = summarize(cold(['plan', TWIN, '--json'], runs));
  const node = summarize(cold(['--help'], runs));
  const corpus = await corpusPlans(quick ? 1 : 3);
  return [
    {
      group: g, name: `plan of each wild-corpus flow in-process (${corpus.files} public flow.py files; median per flow of ${quick ? 1 : 3} plans after a warm-up)`,
      unit: 'ms', value: corpus.perFlow, target: '<= 20 ms median', ok: corpus.perFlow.median <= 20, note: `slowest flow ${corpus.slowest}`,
    },
    { group: g, name: 'plan flow.py in-process (load + run, direct transport)', unit: 'ms', value: inProcess, target: '< 15 ms', ok: inProcess.median < 15 },
    { group: g, name: 'tracked-flows plan flow.py --json, cold process', unit: 'ms', value: py, note: `plan of its YAML twin (${TWIN}), cold: median ${yaml.median.toFixed(0)} ms; ratio ${(py.median / yaml.median).toFixed(2)}; tracked-flows --help ${node.median.toFixed(0)} ms` },
  ];
}

/** Each test/fixtures/wild flow planned as its user runs it (test/fixtures/wild/runs.ts): its median plan time. */
async function corpusPlans(runs: number) {
  const dir = 'test/fixtures/wild';
  const files = readdirSync(dir).filter((f) => f.endsWith('.py') && f !== 'derive_facts.py').sort();
  const medians: number[] = [];
  let slowest = '';
  let worst = 0;
  for (const f of files) {
    const run = RUNS[f];
    const options = {
      runId: '1',
      parameters: Object.fromEntries((run?.params ?? []).map((p) => [p.name, givenValue(p.value, dir)])),
      env: Object.fromEntries((run?.env ?? []).map((e) => [e.name, e.value])),
      configs: { files: Object.fromEntries((run?.configs ?? []).map((c) => [c.name, join(dir, c.file)])) },
    };
    await planFlowFile(join(dir, f), options).catch(() => undefined);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await planFlowFile(join(dir, f), options).catch(() => undefined);
      times.push(performance.now() - t);
    }
    const m = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
    medians.push(m);
    if (m > worst) [worst, slowest] = [m, `${f} ${m.toFixed(1)} ms`];
  }
  return { files: files.length, perFlow: summarize(medians), slowest };
}
