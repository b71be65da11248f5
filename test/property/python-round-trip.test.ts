// Round trip through Python source: every generated scenario (the shared arbitraries: decorations, shared and
// dict settings, parameters, constants, helpers, branches, foreach, switches, merges; values of every class) is printed as the flow.py
// a person would write (python-printer.ts), and `plan flow.py` must give the same log, tasks and diagnostics as
// `plan` of the scenario itself. A failure leaves both files behind and prints the replay recipe:
//   TF_PROPERTY_SEED=<seed> TF_PROPERTY_PATH=<path> npx vitest run test/property/python-round-trip.test.ts
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { planObject } from '../../harness/cli/plan.ts';
import { runScenario } from '../../harness/runner/index.ts';
import { comparable, planJson, type Plan } from '../helpers/plans.ts';
import { FLAG_SETS, classificationScenario, scenario, viaYaml, type GenScenario } from './arbitraries/index.ts';
import { COUNTEREXAMPLES, SEED, runs, timeoutFor, writeCounterexample } from './harness.ts';
import { planFlags, printableScenario, toPython } from './python-printer.ts';

const RUNS = 25;

/** Flows of every shape (scenario()) and values of every class (classification scenarios, printable in Python). */
const anyScenario: fc.Arbitrary<GenScenario> = fc.oneof(
  scenario(),
  fc.tuple(fc.constantFrom<'current' | 'legacy'>('current', 'legacy'), fc.constantFrom(...FLAG_SETS))
    .chain(([p, f]) => classificationScenario(p, f)).map(printableScenario),
);
const dir = mkdtempSync(join(tmpdir(), 'tf-py-round-trip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let k = 0;
async function roundTrip(g: GenScenario): Promise<void> {
  const file = join(dir, `flow_${k++}.py`);
  writeFileSync(file, toPython(g));
  const fromPython = comparable(await planJson(file, ...planFlags(g)));
  const fromScenario = comparable(planObject(await runScenario(viaYaml(g), { transport: 'direct' })) as unknown as Plan);
  expect(fromPython.diagnostics, 'diagnostics').toBe(fromScenario.diagnostics);
  expect(fromPython.tasks, 'tasks').toBe(fromScenario.tasks);
  expect(fromPython.log, 'log').toBe(fromScenario.log);
}

/** Leaves the failing flow.py beside the scenario file checkProperty-style and says how to replay it. */
function writePythonCounterexample(g: GenScenario): string {
  mkdirSync(COUNTEREXAMPLES, { recursive: true });
  const file = join(COUNTEREXAMPLES, 'python-round-trip.py');
  writeFileSync(`${file}.tmp`, toPython(g));
  renameSync(`${file}.tmp`, file);
  return file;
}

describe('property: scenario -> flow.py -> plan', () => {
  it('plan of the printed Python gives the same log, tasks and diagnostics as plan of the scenario', async () => {
    const path = process.env.TF_PROPERTY_PATH;
    const out = await fc.check(fc.asyncProperty(anyScenario, roundTrip), { seed: SEED, numRuns: runs(RUNS), ...(path ? { path } : {}), endOnFailure: false });
    if (!out.failed) return;
    const g = out.counterexample?.[0];
    const reason = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
    const recipe = `TF_PROPERTY_SEED=${out.seed} TF_PROPERTY_PATH=${out.counterexamplePath} npx vitest run test/property/python-round-trip.test.ts`;
    const files = g ? [writeCounterexample('python-round-trip', g, `failed: ${recipe}`), writePythonCounterexample(g)] : [];
    throw new Error(`Property "python round trip" failed after ${out.numRuns} run(s), ${out.numShrinks} shrink(s); seed ${out.seed}, path "${out.counterexamplePath}".\n` +
      `Replay: ${recipe}\nScenario: ${files[0] ?? '(none)'}\nPython: ${files[1] ?? '(none)'} (plan it with: node bin/tracked-flows.cjs plan ${files[1] ?? 'FILE'} ${g ? planFlags(g).join(' ') : ''})\n` +
      `${g ? `--- the generated flow.py ---\n${toPython(g)}--- end ---\n` : ''}${reason}`);
  }, 3 * timeoutFor(RUNS)); // shrinking a failure re-plans large flows: minutes on 2 busy cores
});
