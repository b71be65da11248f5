// Prediction = reality. Each flow runs with the real Metaflow and the real wandb SDK against a fresh
// `tracked-flows serve`, sequentially (recorded through `tracked-flows record`) and with Metaflow's default
// parallelism; `plan` of the same file (same run id, profile, values file and W&B project) must equal what the
// server logged, field by field, but for the rows of allowed-differences.ts. The sequential session is then read
// back with the real `wandb.Api()` and replayed, from its cassette, in another folder.
// All tests start at once; the real Python processes queue for REAL_CONCURRENCY slots (helpers/kit.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { flowName, selectedFlows, valuesFileOf, workspace, type RealFlow } from './flows.ts';
import { expectExitAsPlanned, expectNothingSwallowed, expectSameLog, expectSdkAccount, keep } from './helpers/checks.ts';
import { inSlot, ROOT, runFlow, type Exit } from './helpers/kit.ts';
import { planFlow, type PlanObject } from './helpers/plan.ts';
import { readPublicApi } from './helpers/public-api.ts';
import { harnessLog, startServe, type ServeProcess } from './helpers/serve.ts';

/** Metaflow's run id in every live run (the kit's FIXED_RUN_ID) and in every plan (--run-id). */
export const RUN_ID = '1733000000000001';
const WANDB = { WANDB_ENTITY: 'e', WANDB_PROJECT: 'p' };
const ENV = { ...WANDB, FIXED_RUN_ID: RUN_ID };

const paramArgs = (f: RealFlow) => Object.entries(f.params ?? {}).flatMap(([k, v]) => [`--${k}`, v]);

/** The first call starts `make`; every call gets its one promise. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= make());
}

const serves: ServeProcess[] = [];
afterAll(async () => {
  await Promise.all(serves.map((s) => s.stop()));
});

async function freshServe(): Promise<ServeProcess> {
  const s = await startServe();
  serves.push(s);
  return s;
}

const PINNED_HASH = { ...ENV, PYTHONHASHSEED: '0' };

for (const f of selectedFlows()) {
  const name = flowName(f);
  describe.concurrent(name, () => {
    const planned = once(async () => {
      const plan = await planFlow(join(ROOT, f.file), { runId: RUN_ID, env: WANDB, params: f.params, values: valuesFileOf(f) });
      keep(`${name}.plan`, plan);
      return plan;
    });
    // The sequential session: recorded through the proxy into a fresh serve, which stays up for the Public API.
    // A recording replays the session it recorded: the hash order CPython draws per process (sets of str, and a
    // static join's inputs in Metaflow) is pinned for the pair with PYTHONHASHSEED, as a user recording such a flow
    // must; the parallel run below keeps it random, against the plan's $unordered.
    const recorded = once(async (): Promise<{ serve: ServeProcess; cassette: string; exit: Exit; plan: PlanObject }> => {
      const plan = await planned();
      return inSlot(async () => {
        const serve = await freshServe();
        const dir = await workspace(f, 'seq');
        const cassette = join(mkdtempSync(join(tmpdir(), 'real-cassette-')), `${name}.json`);
        const exit = await runFlow(basename(f.file), { cwd: dir, maxWorkers: 1, env: PINNED_HASH, args: paramArgs(f), via: ['record', '--out', cassette, '--upstream', serve.url] });
        return { serve, cassette, exit, plan };
      });
    });

    it(`live = plan: ${name}, --max-workers 1, recorded`, async () => {
      const { serve, exit, plan } = await recorded();
      expectExitAsPlanned(exit, plan, `${name} (max-workers 1)`);
      const log = await expectNothingSwallowed(serve.url, name);
      expectSameLog(name, 'sequential', plan.log, log, 'ordered');
      expectSdkAccount(exit, log, `${name} (max-workers 1)`);
    });

    it(`Public API: ${name}, wandb.Api() reads what /_harness/log says`, async () => {
      const { serve } = await recorded();
      const log = await harnessLog(serve.url);
      const read = await readPublicApi(serve.url, `${WANDB.WANDB_ENTITY}/${WANDB.WANDB_PROJECT}`, log);
      expectSameLog(name, 'public-api', read.expected, read.actual, 'id', ['log', 'Public API']);
      expect(read.problems, `${name}: what the Public API read could not confirm`).toEqual([]);
      await expectNothingSwallowed(serve.url, `${name} (Public API)`);
    });

    it(`replay: ${name}, the recording replayed in another folder, 0 misses`, async () => {
      const { cassette, plan } = await recorded();
      const exit = await inSlot(async () => runFlow(basename(f.file), { cwd: await workspace(f, 'replay'), maxWorkers: 1, env: PINNED_HASH, args: paramArgs(f), via: ['replay', cassette] }));
      const summary = /replay: (\d+) matched, (\d+) missed/.exec(exit.output);
      expect(summary, `${name}: replay printed no summary:\n${exit.output.slice(-3000)}`).not.toBeNull();
      expect(Number(summary![2]), `${name}: replay misses:\n${exit.output.split('\n').filter((l) => l.startsWith('replay:')).join('\n')}`).toBe(0);
      expectExitAsPlanned(exit, plan, `${name} (replay)`);
    });

    it(`live = plan: ${name}, default parallelism`, async () => {
      const plan = await planned();
      const { serve, exit } = await inSlot(async () => {
        const serve = await freshServe();
        const exit = await runFlow(basename(f.file), { cwd: await workspace(f, 'par'), env: { ...ENV, WANDB_BASE_URL: serve.url }, args: paramArgs(f) });
        return { serve, exit };
      });
      expectExitAsPlanned(exit, plan, `${name} (default parallelism)`);
      const log = await expectNothingSwallowed(serve.url, name);
      expectSameLog(name, 'parallel', plan.log, log, 'multiset');
      expectSdkAccount(exit, log, `${name} (default parallelism)`);
      await serve.stop();
    });
  });
}
