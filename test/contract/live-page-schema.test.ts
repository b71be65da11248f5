// serve's live page reads the Public API's schema, not a second derivation: its one GraphQL query, reshaped,
// is exactly /_harness/log (byte for byte once serialized) for library scenarios spread over several projects.
import { describe, expect, it } from 'vitest';
import { MockBackend, serializeLog, startHttpTransport } from '../../src/index.ts';
import { runScenario, toRunnable } from '../../harness/runner/index.ts';
import { loadScenarioPaths } from '../../harness/scenario/index.ts';
import { LIVE_QUERY, logFromLiveAnswer } from '../../harness/report/live-query.ts';

const SCENARIOS = new URL('../../scenarios/', import.meta.url).pathname;

describe('the live page through the schema', () => {
  it('gives back the log model of what was logged (runs, config, summary, history, artifacts, lineage)', async () => {
    const backend = new MockBackend();
    const t = await startHttpTransport(backend, { port: 0 });
    try {
      for (const file of ['docs/flow.yaml', 'graphs/foreach.yaml', 'lineage/read-then-write.yaml', 'parameters/config.yaml', 'failures/raising-step.yaml', 'types/datasets.yaml']) {
        for (const s of loadScenarioPaths([SCENARIOS + file]).scenarios.map(toRunnable)) await runScenario(s, { baseUrl: t.url });
      }
    } finally {
      await t.close();
    }
    const log = backend.log();
    expect(new Set(log.runs.map((r) => `${r.entity}/${r.project}`)).size).toBeGreaterThan(1);
    expect(log.runs.some((r) => r.state === 'failed')).toBe(true);
    const res = await backend.handle(new Request('http://wandb.test/graphql', { method: 'POST', body: JSON.stringify({ query: LIVE_QUERY }) }));
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: never };
    const viaSchema = logFromLiveAnswer(data, log);
    expect(serializeLog(viaSchema)).toBe(serializeLog(log));
    // The parts that come from the schema really do: drop a run from the answer and the page loses it.
    const answer = JSON.parse(JSON.stringify(data)) as { models: { edges: { node: { runs: { edges: unknown[] } } }[] } };
    answer.models.edges[0]!.node.runs.edges.pop();
    expect(logFromLiveAnswer(answer as never, log).runs.length).toBe(log.runs.length - 1);
  }, 120_000);
});
