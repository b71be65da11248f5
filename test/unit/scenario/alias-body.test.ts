// A YAML alias of a step body gives the aliased step the same operations with the same values.
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../../harness/scenario/index.ts';
import { runScenario, toRunnable } from '../../../harness/runner/index.ts';

describe('aliases in scenario files', () => {
  it('an aliased step body sets the same values (not None)', async () => {
    const text = [
      'version: 1', 'scenario: alias-body', 'flow:', '  name: AliasFlow', '  decorators: [ { wandb_log: { others: true } } ]', '  steps:',
      '    start: { body: &write [ { set: { n: 1 } } ], next: end }', '    end: { body: *write }',
    ].join('\n');
    const { scenarios, diagnostics } = loadScenarioFile('alias.yaml', { text });
    expect(diagnostics).toEqual([]);
    const r = await runScenario(toRunnable(scenarios[0]!));
    // `n = 1` is a scalar: one history row in each run, no artifact.
    expect(r.log.runs.map((x) => x.history)).toEqual([[{ n: 1 }], [{ n: 1 }]]);
    expect(r.log.artifacts).toEqual([]);
  });
});
