// 0. The CLI as a person waits for it: a whole cold process (`validate` / `plan` of one file) against
// `node -e 0` on the same machine at the same moment. Runs the build (dist/, made first by scripts/build.mjs),
// as an installed package does. Spawns are interleaved so a noisy neighbour slows every command alike.

import { execFileSync, spawnSync } from 'node:child_process';
import type { Row } from './cases.ts';
import { summarize } from './stats.ts';

const BIN = new URL('../../bin/tracked-flows.cjs', import.meta.url).pathname;
const BUILD = new URL('../../scripts/build.mjs', import.meta.url).pathname;
const FILE = 'scenarios/docs/flow-and-steps.yaml';
const FLOW_PY = 'test/bench/fixtures/flow-and-steps.py';

function timeSpawn(args: readonly string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`Failed to time "node ${args.join(' ')}": exit ${r.status}. ${r.stderr.trim()}`);
  return ms;
}

export function cliStart(runs: number): Row[] {
  execFileSync(process.execPath, [BUILD], { stdio: ['ignore', 'ignore', 'inherit'] });
  const env = { ...process.env, TRACKED_FLOWS_FROM: 'dist' };
  const cases: [string, string[]][] = [
    ['node -e 0', ['-e', '0']],
    [`tracked-flows validate ${FILE}`, [BIN, 'validate', FILE]],
    [`tracked-flows plan ${FILE}`, [BIN, 'plan', FILE]],
    [`tracked-flows plan ${FLOW_PY}`, [BIN, 'plan', FLOW_PY, '--run-id', '1']],
    [`tracked-flows plan ${FILE} (sources through tsx)`, [BIN, 'plan', FILE]],
  ];
  const samples = cases.map(() => [] as number[]);
  for (let r = 0; r < runs + 1; r++) {
    cases.forEach(([name, args], k) => {
      const ms = timeSpawn(args, name.includes('tsx') ? { ...process.env, TRACKED_FLOWS_FROM: 'src' } : env);
      if (r > 0) samples[k]!.push(ms); // the first round warms the OS file cache
    });
  }
  const node = summarize(samples[0]!);
  const g = '0. CLI start, cold process (the build, as installed)';
  return cases.map(([name], k) => {
    const t = summarize(samples[k]!);
    const ratio = t.median / node.median;
    const timed = k === 1 || k === 2 || k === 3;
    return {
      group: g, name, unit: 'ms', value: t,
      ...(timed ? { target: '<= 3x node -e 0', ok: ratio <= 3 } : {}),
      ...(k > 0 ? { note: `${ratio.toFixed(2)}x node -e 0` } : {}),
    };
  });
}
