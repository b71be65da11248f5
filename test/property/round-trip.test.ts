// Property 6: every generated flow, written as scenario YAML and loaded back, runs to the same result as the
// flow built directly in TypeScript — so the scenario format expresses all that the generators make.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { snapshotText } from '../../harness/snapshot/index.ts';
import { FLAG_SETS, classificationScenario, direct, scenario, viaYaml, type GenScenario } from './arbitraries/index.ts';
import { checkProperty, execute, timeoutFor } from './harness.ts';

const anyScenario: fc.Arbitrary<GenScenario> = fc.oneof(
  scenario(),
  fc.tuple(fc.constantFrom<'current' | 'legacy'>('current', 'legacy'), fc.constantFrom(...FLAG_SETS)).chain(([p, f]) => classificationScenario(p, f)),
);

async function roundTrip(g: GenScenario): Promise<void> {
  const fromYaml = snapshotText(await execute(viaYaml(g)));
  const built = snapshotText(await execute(direct(g)));
  if (fromYaml !== built) {
    const [a, b] = [built.split('\n'), fromYaml.split('\n')];
    const at = a.findIndex((line, i) => line !== b[i]);
    expect(`line ${at + 1}: ${b[at]}`, 'the YAML scenario runs differently from the flow built directly').toBe(`line ${at + 1}: ${a[at]}`);
  }
}

describe('property: format round trip', () => {
  it('YAML -> loader -> runner gives the same result as the flow built directly', async () => {
    await checkProperty('round-trip', anyScenario, roundTrip, 40);
  }, timeoutFor(40));
});
