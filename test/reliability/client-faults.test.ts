// Our client against an unreliable backend: below the retry limit every fault plan ends in the fault-free log
// (nothing lost, nothing duplicated); past it the task fails as W&B's would and the log shows what arrived.
// Time is virtual: the client's backoff sleeps on a manual clock, injected delays on a no-op sleep.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serializeLog } from '../../src/index.ts';
import { runScenario, toRunnable, type RunnableScenario } from '../../harness/runner/index.ts';
import { loadScenarioPaths } from '../../harness/scenario/index.ts';

const LIBRARY = new URL('../../scenarios', import.meta.url).pathname;
const scenarios = loadScenarioPaths([LIBRARY]).scenarios.filter((s) => s.faults.length === 0 && s.wandb.mode === 'online');
const pool = scenarios.slice(0, 12);

// Operations and paths our client sends, and the faults of the retry table (reference §6) it must survive.
const TARGETS = [
  { operation: 'UpsertBucket' }, { operation: 'CreateArtifact' }, { operation: 'CreateArtifactManifest' },
  { operation: 'CreateArtifactFiles' }, { operation: 'CommitArtifact' }, { operation: 'UseArtifact' },
  { operation: 'ArtifactMembershipByName' }, { operation: 'CreateRunFiles' },
  { path: '/files/**', method: 'POST' }, { path: '/storage/**', method: 'PUT' },
];
// A truncated answer is retried by nobody: go-retryablehttp's policy has already accepted the response when
// its body breaks, so for wandb-core a cut GraphQL answer is a failed operation (tested below), and a cut
// answer to a PUT or a file_stream post, whose body the SDK does not need, is no failure at all.
const BODY_NOT_NEEDED = new Set(['/files/**', '/storage/**']);
const FAULTS = [
  { type: 'status', status: 500 }, { type: 'status', status: 502 }, { type: 'status', status: 503 }, { type: 'status', status: 504 },
  { type: 'rate-limit', retryAfter: 3 }, { type: 'reset' }, { type: 'reset', after: true }, { type: 'truncate' }, { type: 'delay', ms: 5000 },
];

const withFaults = (s: RunnableScenario, faults: unknown[]): RunnableScenario => ({ ...s, faults });
const logOf = async (s: RunnableScenario) => serializeLog((await runScenario(s)).log);
const stats = { plans: 0, fired: 0 };

describe('the client under injected faults', () => {
  it('has a library to draw from', () => {
    expect(pool.length).toBeGreaterThan(0);
  });

  it('below the retry limit, any fault plan gives the fault-free log (property)', async () => {
    const baseline = new Map<string, string>();
    for (const s of pool) baseline.set(s.id, await logOf(toRunnable(s)));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...pool.map((s) => s.id)),
        fc.array(
          fc.record({ target: fc.constantFrom(...TARGETS), fault: fc.constantFrom(...FAULTS), nth: fc.integer({ min: 1, max: 4 }), times: fc.integer({ min: 1, max: 3 }) })
            .filter((r) => r.fault.type !== 'truncate' || BODY_NOT_NEEDED.has(r.target.path ?? '')),
          { minLength: 1, maxLength: 4 },
        ),
        async (id, rules) => {
          const scenario = pool.find((s) => s.id === id)!;
          stats.plans += 1;
          const plan = rules.map((r) => ({ ...r.target, from: r.nth, to: r.nth + r.times - 1, fault: r.fault }));
          const result = await runScenario(withFaults(toRunnable(scenario), plan));
          expect(serializeLog(result.log), `${scenario.id} with ${JSON.stringify(plan)}`).toBe(baseline.get(scenario.id));
        },
      ),
      { seed: 20261127, numRuns: Number(process.env.TF_FAULT_RUNS ?? 40) },
    );
    console.log(`faults (our client): ${stats.plans} fault plans on ${pool.length} library scenarios, 0 lost, 0 duplicated, 0 crashes`);
  });

  it('a truncated GraphQL answer fails the operation as in wandb-core: applied on the server, not retried', async () => {
    const s = toRunnable(pool.find((x) => x.id === 'docs-flow-and-steps')!);
    const r = await runScenario(withFaults(s, [{ operation: 'UpsertBucket', nth: 2, fault: { type: 'truncate', bytes: 10 } }]));
    expect(r.flow_status).toBe('failed');
    expect(r.tasks.map((t) => t.status)).toEqual(['ok', 'failed']);
    expect(r.tasks[1]!.error).toMatch(/UpsertBucket.*not JSON/);
    // The second run was created (the server applied the upsert) but never got further: no history, no exit.
    expect(r.log.runs.map((x) => [x.job_type, x.exit_code, x.history.length])).toEqual([['start', 0, 0], ['mid', null, 0]]);
  });

  it('past the limit, UpsertBucket failing 25 times fails the task as wandb.init would, and the log shows what arrived', async () => {
    const s = toRunnable(pool.find((x) => x.id === 'docs-flow-and-steps')!);
    const r = await runScenario(withFaults(s, [{ operation: 'UpsertBucket', from: 2, fault: { type: 'status', status: 503 } }]));
    expect(r.flow_status).toBe('failed');
    expect(r.tasks.map((t) => t.status)).toEqual(['ok', 'failed']);
    expect(r.tasks[1]!.error).toMatch(/UpsertBucket|503|retr/i);
    // The first run arrived whole; the second never started.
    expect(r.log.runs.map((x) => [x.job_type, x.exit_code])).toEqual([['start', 0]]);
  });
});
