// The counterexample writer: what a failing property leaves behind is a scenario file that loads without a
// single diagnostic, so `node bin/tracked-flows.cjs run <file>` reproduces it.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../harness/scenario/index.ts';
import { runScenario } from '../../harness/runner/index.ts';
import { snapshotText } from '../../harness/snapshot/index.ts';
import { FLAG_SETS, classificationScenario, scenario, viaYaml } from './arbitraries/index.ts';
import { SEED, writeCounterexample } from './harness.ts';

describe('counterexample files', () => {
  it('load without diagnostics and run to the same result as the generated scenario', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-cx-'));
    const samples = [...fc.sample(scenario(), { numRuns: 4, seed: SEED }), ...fc.sample(classificationScenario('current', FLAG_SETS[7]!), { numRuns: 2, seed: SEED })];
    for (const [k, g] of samples.entries()) {
      const file = writeCounterexample(`sample-${k}`, g, 'a "quoted" note: with a colon', dir);
      const loaded = loadScenarioFile(file);
      expect(loaded.diagnostics).toEqual([]);
      expect(loaded.scenarios.map((s) => s.id)).toEqual([`counterexample-sample-${k}`]);
      expect(readFileSync(file, 'utf8')).toContain('description: "sample-');
      const { toRunnable } = await import('../../harness/runner/index.ts');
      const fromFile = await runScenario(toRunnable(loaded.scenarios[0]!));
      const generated = await runScenario(viaYaml({ ...g, id: `counterexample-sample-${k}` }));
      expect(snapshotText(fromFile)).toBe(snapshotText(generated));
    }
  });
});
