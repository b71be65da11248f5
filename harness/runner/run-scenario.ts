// One scenario, end to end: a fresh backend, the flow run through the @wandb_log integration and our W&B
// client over the chosen transport, and the result built from the backend's log (never from the client).

import { createHash } from 'node:crypto';
import {
  ManualClock, MockBackend, WandbClient, createWandbIntegration, flow, parseLenientJson, seededRandom, type InProcessFetch, type LogModel, type Settings,
} from '../../src/index.ts';
import { attach } from './transports.ts';
import type { Diagnostic, FlowGraphView, RunnableScenario, ScenarioResult, TaskOutcome, Transport } from './types.ts';

/** The same scenario gets the same run ids: the client's random source is seeded from the scenario id. */
export function seedOf(id: string): number {
  return createHash('sha1').update(id).digest().readUInt32BE(0);
}

/** A fixed epoch for every scenario (2023-11-14T22:13:20Z): timestamps never leak into a result. */
const EPOCH_MS = 1_700_000_000_000;
const API_KEY = `tracked-flows-${'0'.repeat(40)}`;

export interface RunScenarioOptions {
  transport?: Transport;
  /**
   * Send the traffic to this W&B-compatible server instead of a fresh embedded backend (e.g. a `tracked-flows
   * serve`, or a recording proxy in front of one). The log is then read from its `/_harness/log`, so the server
   * should be fresh. `apiKey` is sent as W&B does (Basic api:KEY).
   */
  baseUrl?: string;
  apiKey?: string;
  /** With `baseUrl`: the fetch the client (and the log read) uses instead of the global one, e.g. an in-process recorder. */
  fetch?: InProcessFetch;
}

export async function runScenario(s: RunnableScenario, options: RunScenarioOptions = {}): Promise<ScenarioResult> {
  const started = performance.now();
  // Injected delays are virtual like the client's backoff: the scenario's clock never waits.
  const backend = options.baseUrl ? null : new MockBackend({ defaultEntity: s.wandb.entity, sleep: async () => {}, ...(s.faults ? { faults: s.faults as never } : {}) });
  const endpoint = backend ? await attach(backend, options.transport ?? 'direct') : { baseUrl: options.baseUrl!.replace(/\/+$/, ''), fetch: options.fetch, close: async () => {} };
  const apiKey = options.apiKey ?? API_KEY;
  const clock = new ManualClock(EPOCH_MS);
  const random = seededRandom(seedOf(s.id));
  const jitter = seededRandom(seedOf(`${s.id}#jitter`));
  const clients = new Map<string, WandbClient>();
  const clientFor = (settings: Settings): WandbClient => {
    const key = `${settings.entity ?? s.wandb.entity}/${settings.project ?? s.wandb.project}/${settings.mode ?? s.wandb.mode}`;
    let client = clients.get(key);
    if (!client) {
      client = new WandbClient({
        settings: { baseUrl: endpoint.baseUrl, apiKey, entity: settings.entity ?? s.wandb.entity, project: settings.project ?? s.wandb.project, mode: settings.mode ?? s.wandb.mode },
        env: {}, clock, random, jitter, ...(endpoint.fetch ? { fetch: endpoint.fetch } : {}),
      });
      clients.set(key, client);
    }
    return client;
  };
  const integration = createWandbIntegration({
    clientFor, profile: s.integration, lineage: s.lineage, env: s.env ?? {}, ...(s.helperDecorators ? { helperDecorators: s.helperDecorators } : {}),
  });
  let run: flow.RunResult;
  try {
    run = await flow.runFlow(integration.instrument(s.definition), { clock: () => EPOCH_MS, ...s.runOptions, hooks: [integration.hook] });
  } finally {
    await endpoint.close();
  }
  const log = backend ? backend.log() : await remoteLog(endpoint.baseUrl, apiKey, options.fetch);
  const report = integration.report();
  const refOfRun = new Map(log.runs.map((r) => [r.id, r.ref]));
  const runOfTask = new Map(report.tasks.map((t) => [t.pathspec, t.runId]));
  const refOfPathspec = new Map(report.tasks.flatMap((t) => (t.runId && refOfRun.has(t.runId) ? [[t.pathspec, refOfRun.get(t.runId)!] as const] : [])));
  const tasks: TaskOutcome[] = run.tasks.map((t) => {
    const runId = runOfTask.get(t.pathspec) ?? null;
    return { step: t.step, task_id: t.task_id, run: runId ? (refOfRun.get(runId) ?? null) : null, status: t.status, error: t.error ? `${t.error.type}: ${t.error.message}` : null };
  });
  return {
    scenario: s.id,
    flow_status: run.status,
    graph: graphView(s.definition),
    tasks,
    log,
    diagnostics: diagnosticsOf(run, report, log).map((d) => withLogNames(d, refOfPathspec, log)),
    timings: { total_ms: performance.now() - started },
  };
}

async function remoteLog(baseUrl: string, apiKey: string, send: InProcessFetch = fetch): Promise<LogModel> {
  const res = await send(new Request(`${baseUrl}/_harness/log`, { headers: { authorization: `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}` } }));
  if (!res.ok) throw new Error(`Failed to read the log of "${baseUrl}": GET /_harness/log answered ${res.status}. Point --base-url at a tracked-flows serve.`);
  // Not res.json(): the lenient parser keeps `1.0` a float (and reads bare NaN), as the server wrote it.
  return parseLenientJson(await res.text()) as LogModel;
}

function graphView(definition: flow.FlowDefinition): FlowGraphView {
  const graph = flow.buildGraph(definition);
  return { name: definition.name, steps: [...graph.nodes.values()].map((n) => ({ name: n.name, type: n.type ?? 'invalid', next: [...n.outFuncs] })) };
}

/**
 * A hazard's pathspecs and versions, as the log names them: run refs and `name:vN`. The version the value came from
 * is found by its digest when the plan predicts it (a deduplicated version keeps its first creator), and otherwise
 * among the versions its producer's run logged: a digest the plan does not predict is not in the log.
 */
function withLogNames(h: Diagnostic, refOfPathspec: ReadonlyMap<string, string>, log: LogModel): Diagnostic {
  if (h.code !== 'LATEST_MISMATCH' || !h.data) return h;
  const { task = '', requested = '', resolved = '', producer = '', name = '', digest = '' } = h.data;
  const byDigest = digest ? log.artifacts.find((a) => a.name === name && a.digest === digest) : undefined;
  const producerRun = log.runs.find((r) => r.ref === refOfPathspec.get(producer));
  const pinned = byDigest ? `${byDigest.name}:${byDigest.version}` : (producerRun?.logged_artifacts.find((v) => v.startsWith(`${name}:v`)) ?? '');
  const message = pinned
    ? `${task} used "${requested}", which resolved to ${resolved} when the step ended, but the value it read was logged by ${producer} as ${pinned}; in pinned lineage it would use that version.`
    : h.message;
  return { ...h, message, data: { run: refOfPathspec.get(task) ?? '', used: resolved, pinned } };
}

function diagnosticsOf(run: flow.RunResult, report: ReturnType<ReturnType<typeof createWandbIntegration>['report']>, log: LogModel): Diagnostic[] {
  const failures: Diagnostic[] = run.tasks
    .filter((t) => t.status === 'failed')
    .map((t) => ({ code: 'TASK_FAILED', severity: 'error', step: t.step, variable: null, message: `${t.pathspec} failed: ${t.error!.type}: ${t.error!.message}` }));
  const warnings: Diagnostic[] = report.warnings.map((w) => ({ code: 'WANDB_WARNING', severity: 'info', step: w.pathspec.split('/')[2] ?? null, variable: null, message: `${w.pathspec}: ${w.message}` }));
  const unknownWidth: Diagnostic[] = run.tasks.flatMap((t) => {
    const u = t.foreach_unknown;
    if (u === undefined) return [];
    return [{
      code: 'UNKNOWN_ITERABLE', severity: 'warning' as const, step: t.step, variable: u.variable,
      message: `${t.pathspec}: the foreach over self.${u.variable} iterates an unknown value (\`${u.expression}\`, made at ${u.at}): a fan-out of unknown width, planned as ${flow.UNKNOWN_WIDTH} tasks of ${u.to} (${u.to}: ${flow.UNKNOWN_WIDTH}..?). Pin the value in flow.values.yaml to plan its real width.`,
    }];
  });
  const unsupported: Diagnostic[] = log.unsupported.map((op) => ({ code: 'UNSUPPORTED_OPERATION', severity: 'error', step: null, variable: null, message: `the backend did not understand "${op}"` }));
  return [...failures, ...unknownWidth, ...report.hazards, ...warnings, ...unsupported];
}
