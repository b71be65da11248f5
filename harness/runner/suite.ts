// Many scenarios: filtered, sharded, run with bounded concurrency. Results come back in input order, so a
// suite's output does not depend on which scenario finished first.

import { SuitePool, sourceOf, workerCount } from './pool.ts';
import { runScenario } from './run-scenario.ts';
import type { RunnableScenario, ScenarioResult, Transport } from './types.ts';

export interface SuiteOptions {
  transport?: Transport;
  /**
   * Scenarios in flight at once on this thread (each has its own backend, so they cannot see each other).
   * Worker threads run one at a time: scenarios are CPU-bound, there is nothing to overlap.
   */
  concurrency?: number;
  /**
   * Threads to spread the scenarios over (default 1: this thread only). Above 1, every scenario must come from
   * a scenario file (`toRunnable` of a loaded scenario): each worker loads its files itself.
   */
  workers?: number | 'auto';
  /** Keep scenarios whose id contains this text (or matches it as a /regex/). */
  filter?: string;
  /** `i/n`: keep the i-th of n shards (1-based), by position after filtering. */
  shard?: string;
  onResult?(result: ScenarioResult, index: number): void;
}

export function selectScenarios<T extends { id: string }>(scenarios: readonly T[], filter?: string, shard?: string): T[] {
  let out = [...scenarios];
  if (filter) {
    const re = /^\/(.*)\/$/.exec(filter);
    out = out.filter((s) => (re ? new RegExp(re[1]!).test(s.id) : s.id.includes(filter)));
  }
  if (shard) {
    const m = /^(\d+)\/(\d+)$/.exec(shard);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new Error(`Failed to shard "${shard}": expected i/n with 1 <= i <= n.`);
    const [i, n] = [Number(m[1]), Number(m[2])];
    out = out.filter((_, k) => k % n === i - 1);
  }
  return out;
}

export async function runSuite(scenarios: readonly RunnableScenario[], options: SuiteOptions = {}): Promise<ScenarioResult[]> {
  const workers = Math.min(workerCount(options.workers ?? 1), scenarios.length);
  if (workers > 1) {
    const sources = scenarios.map(sourceOf); // refuse code-built scenarios before any thread starts
    const pool = new SuitePool(workers, options.transport ?? 'direct');
    try {
      return await pool.runAll(sources, options.onResult);
    } finally {
      await pool.close();
    }
  }
  const results: ScenarioResult[] = new Array(scenarios.length);
  let next = 0;
  const worker = async () => {
    while (next < scenarios.length) {
      const k = next++;
      results[k] = await runScenario(scenarios[k]!, { transport: options.transport ?? 'direct' });
      options.onResult?.(results[k]!, k);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, scenarios.length)) }, worker));
  return results;
}
