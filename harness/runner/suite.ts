// Many scenarios: filtered, sharded, run with bounded concurrency. Results come back in input order, so a
// suite's output does not depend on which scenario finished first.

import { runScenario } from './run-scenario.ts';
import type { RunnableScenario, ScenarioResult, Transport } from './types.ts';

export interface SuiteOptions {
  transport?: Transport;
  /** Scenarios in flight at once (each has its own backend, so they cannot see each other). */
  concurrency?: number;
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
  const results: ScenarioResult[] = new Array(scenarios.length);
  let next = 0;
  const worker = async () => {
    while (next < scenarios.length) {
      const k = next++;
      results[k] = await runScenario(scenarios[k]!, { transport: options.transport ?? 'msw' });
      options.onResult?.(results[k]!, k);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, scenarios.length)) }, worker));
  return results;
}
