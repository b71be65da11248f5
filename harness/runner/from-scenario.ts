// A loaded scenario, compiled and dressed for the runner.

import { compileScenario, type Scenario } from '../scenario/index.ts';
import type { RunnableScenario } from './types.ts';

export function toRunnable(s: Scenario): RunnableScenario {
  const compiled = compileScenario(s);
  const { hooks: _hooks, ...runOptions } = compiled.runOptions;
  const helperDecorators = Object.fromEntries(Object.values(compiled.helpers).map((h) => [h.name, h.decorators]));
  return {
    id: s.id,
    source: { file: s.file, id: s.id },
    definition: compiled.definition,
    runOptions,
    helperDecorators,
    integration: s.integration,
    lineage: s.lineage,
    wandb: { ...s.wandb },
    ...(Object.keys(s.env).length > 0 ? { env: { ...s.env } } : {}),
    ...(s.faults.length > 0 ? { faults: s.faults } : {}),
  };
}
