// Scenarios on several threads. One Node thread runs one scenario at a time (they are CPU-bound: no I/O to
// overlap), so a suite on N cores needs N threads. A pool of tinypool worker threads, each loading scenario
// files itself: compiled scenarios hold closures and cannot cross threads, so a task is a file and an id, and
// the answer is the plain-data ScenarioResult. Each scenario still gets its own backend and seeded ids, so
// which worker ran it changes nothing in its result.
//
// A worker starts in ~0.5-1 s (its own module graph and tsx), so workers pay off for suites that run longer
// than that, or for a pool kept across suites (`SuitePool`; the benchmark does this).

import { availableParallelism } from 'node:os';
import type Tinypool from 'tinypool';
import { parseLenientJson, type LogModel } from '../../src/index.ts';
import type { PoolAnswer, PoolTask } from './pool-task.ts';
import type { RunnableScenario, ScenarioResult, ScenarioSource, Transport } from './types.ts';

// From the sources a worker thread needs tsx registered first (pool-worker.mjs); the build runs as plain JS
// (dist/harness/runner/*.js, or the CLI's CommonJS bundle dist/cli/main.cjs beside its pool-task.js).
const WORKER = /\.c?js$/.test(import.meta.url) ? new URL('./pool-task.js', import.meta.url) : new URL('./pool-worker.mjs', import.meta.url);

/** `auto` = one worker per core. */
export function workerCount(value: number | 'auto'): number {
  return value === 'auto' ? availableParallelism() : value;
}

export class SuitePool {
  // tinypool (and worker_threads under it) is imported when a pool is made: a process that runs on one thread,
  // such as every `plan`, does not load it.
  private readonly pool: Promise<Tinypool>;

  constructor(workers: number, private readonly transport: Transport) {
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`Failed to start a suite pool: workers must be a positive integer, got ${workers}.`);
    // Workers start eagerly (minThreads) so the first scenarios do not wait for them one by one.
    this.pool = import('tinypool').then(({ default: Pool }) => new Pool({ filename: WORKER.href, minThreads: workers, maxThreads: workers, idleTimeout: 60_000 }));
  }

  async run(source: ScenarioSource): Promise<ScenarioResult> {
    const task: PoolTask = { source, transport: this.transport };
    const answer = (await (await this.pool).run(task)) as PoolAnswer;
    return { ...answer, log: parseLenientJson(answer.log) as LogModel };
  }

  /** Every scenario, results in input order; `onResult` as each one finishes. */
  async runAll(scenarios: readonly (RunnableScenario | ScenarioSource)[], onResult?: (result: ScenarioResult, index: number) => void): Promise<ScenarioResult[]> {
    const sources = scenarios.map(sourceOf);
    return Promise.all(sources.map(async (source, k) => {
      const result = await this.run(source);
      onResult?.(result, k);
      return result;
    }));
  }

  async close(): Promise<void> {
    return (await this.pool).destroy();
  }
}

/** Where a worker can load the scenario from; throws for a scenario built in code. */
export function sourceOf(s: RunnableScenario | ScenarioSource): ScenarioSource {
  if (!('definition' in s)) return s;
  if (!s.source) {
    throw new Error(`Failed to run scenario "${s.id}" on a worker thread: it was built in code, not loaded from a scenario file, so a worker cannot load it. Run it with workers: 1.`);
  }
  return s.source;
}
