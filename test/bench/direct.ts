// The runner's pipeline with msw taken out: the client's fetch calls backend.handle(new Request(...)) itself.
// Only for attributing time (msw vs the rest); results are not built. Mirrors harness/runner/run-scenario.ts
// (same backend, clock, seed, client per settings, integration and flow run), keep the two in step.

import {
  ManualClock, MockBackend, WandbClient, createWandbIntegration, flow, seededRandom, type FetchLike, type Settings,
} from '../../src/index.ts';
import { seedOf, type RunnableScenario } from '../../harness/runner/index.ts';

const EPOCH_MS = 1_700_000_000_000;
const API_KEY = `tracked-flows-${'0'.repeat(40)}`;

export interface DirectRun { requests: number; tasks: number; status: 'ok' | 'failed' }

export async function runDirect(s: RunnableScenario): Promise<DirectRun> {
  const backend = new MockBackend({ defaultEntity: s.wandb.entity, ...(s.faults ? { faults: s.faults as never } : {}) });
  let requests = 0;
  const fetch: FetchLike = (input, init) => {
    requests += 1;
    return backend.handle(new Request(input, init));
  };
  const clock = new ManualClock(EPOCH_MS);
  const random = seededRandom(seedOf(s.id));
  const clients = new Map<string, WandbClient>();
  const clientFor = (settings: Settings): WandbClient => {
    const entity = settings.entity ?? s.wandb.entity;
    const project = settings.project ?? s.wandb.project;
    const mode = settings.mode ?? s.wandb.mode;
    const key = `${entity}/${project}/${mode}`;
    let client = clients.get(key);
    if (!client) {
      client = new WandbClient({ settings: { baseUrl: 'http://direct.invalid', apiKey: API_KEY, entity, project, mode }, env: {}, clock, random, fetch });
      clients.set(key, client);
    }
    return client;
  };
  const integration = createWandbIntegration({
    clientFor, profile: s.integration, lineage: s.lineage, env: s.env ?? {}, ...(s.helperDecorators ? { helperDecorators: s.helperDecorators } : {}),
  });
  const run = await flow.runFlow(integration.instrument(s.definition), { clock: () => EPOCH_MS, ...s.runOptions, hooks: [integration.hook] });
  backend.log();
  integration.report();
  return { requests, tasks: run.tasks.length, status: run.status };
}
