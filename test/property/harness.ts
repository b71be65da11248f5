// How every property runs: seeded by default, more runs on demand, and a failure that is a replay recipe —
// the seed and path, and the shrunk counterexample written as a scenario file the CLI runs:
//
//   TF_PROPERTY_SEED   the seed (default 20250101, fixed so CI is reproducible)
//   TF_PROPERTY_RUNS   runs per property (default: each property's own, sized for ~60 s on 2 cores; nightly: 1000)
//   TF_PROPERTY_PATH   replay one shrunk case: the path a failure printed (with its seed)
//   TF_COUNTEREXAMPLES where counterexamples go (default test-output/counterexamples, gitignored)
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { runScenario, type RunnableScenario, type ScenarioResult } from '../../harness/runner/index.ts';
import { toScenarioYaml, type GenScenario } from './arbitraries/index.ts';

export const SEED = Number(process.env.TF_PROPERTY_SEED ?? 20250101);
export const runs = (dflt: number): number => Number(process.env.TF_PROPERTY_RUNS ?? dflt);
/** A test's timeout for a property of `dflt` default runs: a minute, more when TF_PROPERTY_RUNS asks for more. */
export const timeoutFor = (dflt: number): number => Math.max(60_000, runs(dflt) * 1_000);
export const COUNTEREXAMPLES = resolve(process.env.TF_COUNTEREXAMPLES ?? 'test-output/counterexamples');

/** Writes a counterexample as a scenario file (atomically) and returns its path. */
export function writeCounterexample(property: string, g: GenScenario, note: string, dir = COUNTEREXAMPLES): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${property}.yaml`);
  const text = toScenarioYaml({ ...g, id: `counterexample-${property}` }, `${property}: ${note}`);
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
  return file;
}

export async function checkProperty(property: string, arb: fc.Arbitrary<GenScenario>, predicate: (g: GenScenario) => Promise<void>, numRuns: number): Promise<void> {
  const path = process.env.TF_PROPERTY_PATH;
  const out = await fc.check(fc.asyncProperty(arb, predicate), { seed: SEED, numRuns: runs(numRuns), ...(path ? { path } : {}), endOnFailure: false });
  if (!out.failed) return;
  const g = out.counterexample?.[0];
  const reason = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
  const recipe = `seed ${out.seed}, path "${out.counterexamplePath}" (TF_PROPERTY_SEED=${out.seed} TF_PROPERTY_PATH=${out.counterexamplePath})`;
  const file = g ? writeCounterexample(property, g, `failed: ${recipe}`) : '(none)';
  throw new Error(`Property "${property}" failed after ${out.numRuns} run(s), ${out.numShrinks} shrink(s); ${recipe}.\n` +
    `Counterexample: ${file}\nReproduce: node bin/tracked-flows.cjs run ${file}\n${reason}`);
}

export const execute = (s: RunnableScenario): Promise<ScenarioResult> => runScenario(s);

/** The innermost `@wandb_log` of a list (last in source order): reference §1.3. */
export const innermost = <T>(ds: readonly T[]): T | undefined => ds.at(-1);
