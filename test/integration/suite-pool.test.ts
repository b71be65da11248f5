// Scenarios on worker threads give exactly the results of the calling thread; scenarios built in code are
// refused with a clear message; and a log read back from a server keeps its whole floats (`lr: 1.0`), which
// both paths carry as text because structured clone and res.json() would drop the float notes.
import { describe, expect, it } from 'vitest';
import { MockBackend, canonicalJson, serializeLog, startHttpTransport } from '../../src/index.ts';
import { runScenario, runSuite, toRunnable, type ScenarioResult } from '../../harness/runner/index.ts';
import { loadScenarioPaths } from '../../harness/scenario/index.ts';
import { main } from '../../harness/cli/main.ts';
import { foreachOfThree, runnable } from '../helpers/flows.ts';

const LIBRARY = new URL('../../scenarios', import.meta.url).pathname;
const library = () => loadScenarioPaths([LIBRARY]).scenarios.map(toRunnable);
const comparable = (r: ScenarioResult) => canonicalJson({ ...r, timings: null });

describe('the suite on worker threads', () => {
  it('gives the library the same results, in the same order, on 2 workers as on this thread', async () => {
    const scenarios = library();
    const here = await runSuite(scenarios, { workers: 1 });
    const seen: number[] = [];
    const there = await runSuite(scenarios, { workers: 2, onResult: (_r, k) => seen.push(k) });
    expect(there.map((r) => r.scenario)).toEqual(scenarios.map((s) => s.id));
    expect(there.map(comparable)).toEqual(here.map(comparable));
    expect([...seen].sort((a, b) => a - b)).toEqual(scenarios.map((_s, k) => k));
    // The case that showed the float notes must cross threads as text.
    expect(serializeLog(there.find((r) => r.scenario === 'parameters-config')!.log)).toContain('"lr": 1.0');
  }, 60_000);

  it('refuses a scenario built in code, naming it, before starting any worker', async () => {
    const built = runnable({ id: 'built-in-code', definition: foreachOfThree() });
    await expect(runSuite([built, ...library().slice(0, 1)], { workers: 2 })).rejects.toThrow(
      /Failed to run scenario "built-in-code" on a worker thread: it was built in code.*Run it with workers: 1\./,
    );
  });

  it('rejects --workers that is not a positive integer or "auto" (exit 2, nothing run)', async () => {
    const err: string[] = [];
    const code = await main(['run', LIBRARY, '--workers', '0'], { out: () => {}, err: (s) => err.push(s) });
    expect(code).toBe(2);
    expect(err.join('\n')).toContain('--workers must be a positive integer or "auto", got "0"');
  });
});

describe('a log read back from a server (--base-url)', () => {
  it('keeps whole floats as floats, like the embedded backend', async () => {
    const scenario = library().find((s) => s.id === 'parameters-config')!;
    const embedded = await runScenario(scenario);
    const backend = new MockBackend({ defaultEntity: scenario.wandb.entity });
    const server = await startHttpTransport(backend, { port: 0 });
    try {
      const remote = await runScenario(scenario, { baseUrl: server.url });
      expect(serializeLog(remote.log)).toContain('"lr": 1.0');
      expect(serializeLog(remote.log)).toBe(serializeLog(embedded.log));
    } finally {
      await server.close();
    }
  });
});
