// Property 5: the same generated scenario run twice gives byte-identical results (`snapshotText`).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { snapshotText } from '../../harness/snapshot/index.ts';
import { FLAG_SETS, classificationScenario, scenario, viaYaml, type GenScenario } from './arbitraries/index.ts';
import { checkProperty, execute, timeoutFor } from './harness.ts';

/** Any generated scenario: random flows and decorations (failures included) and every class of value. */
const anyScenario: fc.Arbitrary<GenScenario> = fc.oneof(
  scenario(),
  fc.tuple(fc.constantFrom<'current' | 'legacy'>('current', 'legacy'), fc.constantFrom(...FLAG_SETS)).chain(([p, f]) => classificationScenario(p, f)),
);

async function deterministic(g: GenScenario): Promise<void> {
  const first = snapshotText(await execute(viaYaml(g)));
  const second = snapshotText(await execute(viaYaml(g)));
  if (second !== first) {
    const [a, b] = [first.split('\n'), second.split('\n')];
    const at = a.findIndex((line, i) => line !== b[i]);
    expect(`line ${at + 1}: ${b[at]}`, 'the second run differs from the first').toBe(`line ${at + 1}: ${a[at]}`);
  }
}

describe('property: determinism', () => {
  it('the same scenario twice gives byte-identical snapshots', async () => {
    await checkProperty('determinism', anyScenario, deterministic, 30);
  }, timeoutFor(30));
});
