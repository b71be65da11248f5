// The checks a live run must pass, shared by the tier's test files: the run exits as the plan says, nothing was
// swallowed (no `unsupported` entry, no refused request), and its log equals the plan but for ALLOWED rows.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ROOT, type Exit } from './kit.ts';
import { compareLogs, type Verdict } from './compare.ts';
import type { PlanObject } from './plan.ts';
import { accountDifferences, sdkAccount } from './sdk-account.ts';
import { harnessLog, harnessStats, type LogModel } from './serve.ts';
import type { Pairing } from './structural-diff.ts';

/** Every comparison's verdict is kept in test-output/real/ (gitignored): what was allowed, what is a gap. */
export function keep(name: string, what: unknown): void {
  const dir = join(ROOT, 'test-output/real');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(what, null, 2));
}

const tail = (s: string, n = 4000) => (s.length > n ? `...${s.slice(-n)}` : s);

/** The real process ended as the plan says its tasks end: all ok <=> exit 0. */
export function expectExitAsPlanned(exit: Exit, plan: PlanObject, what: string): void {
  const planFails = plan.tasks.some((t) => t.status !== 'ok');
  expect(exit.code !== 0, `${what}: plan says ${planFails ? 'a task fails' : 'every task succeeds'}; the real run exited ${exit.code}. Output:\n${tail(exit.output)}`).toBe(planFails);
}

/** After a live run: no operation the server does not implement, no request it refused (retried or swallowed). */
export async function expectNothingSwallowed(url: string, what: string): Promise<LogModel> {
  const [log, stats] = await Promise.all([harnessLog(url), harnessStats(url)]);
  expect(log.unsupported, `${what}: operations serve does not implement`).toEqual([]);
  expect(stats.refused, `${what}: requests serve refused: ${JSON.stringify(stats.requests)}`).toBe(0);
  return log;
}

/** Fails, naming every field no ALLOWED row covers; known gaps are printed and kept. */
export function expectSameLog(flow: string, label: string, expected: LogModel, actual: LogModel, pairing: Pairing, sides: [string, string] = ['plan', 'real']): Verdict {
  const verdict = compareLogs(flow, expected, actual, pairing, sides);
  keep(`${flow}.${label}`, { verdict, expected, actual });
  if (verdict.declared.length > 0) console.log(`${flow} ${label}: ${verdict.declared.length} field(s) the plan declared unknown, each fitting the real value`);
  if (verdict.gaps.length > 0) console.log(`${flow} ${label}: ${verdict.gaps.length} known gap(s):\n  ${verdict.gaps.join('\n  ')}`);
  expect(verdict.failures, `${flow} ${label}: ${verdict.failures.length} field(s) differ:\n  ${verdict.failures.join('\n  ')}\n(allowed: ${verdict.allowed.length}; see test-output/real/${flow}.${label}.json)`).toEqual([]);
  return verdict;
}

/** The log against the real integration's own account in the flow's output (helpers/sdk-account.ts). */
export function expectSdkAccount(exit: Exit, log: LogModel, what: string): void {
  const differences = accountDifferences(sdkAccount(exit.output), log);
  expect(differences, `${what}: serve's log disagrees with what the real integration printed it did`).toEqual([]);
}
