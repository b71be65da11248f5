import { fileURLToPath } from 'node:url';
import { loadScenarioFile, formatDiagnostic } from '../../../harness/scenario/index.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/scenarios/', import.meta.url));

/** Loads inline YAML as if it were the file `scenario.yaml` in the fixtures directory. */
export function load(text: string, file = `${FIXTURES}inline.yaml`) {
  return loadScenarioFile(file, { text });
}

export const lines = (r: ReturnType<typeof load>) => r.diagnostics.map(formatDiagnostic);

/** Joins lines into a YAML document (keeps test sources readable without template indentation). */
export const yaml = (...ls: string[]) => `${ls.join('\n')}\n`;

/** A minimal valid scenario around the given `flow.steps` lines (each already indented by 4). */
export const withSteps = (...steps: string[]) =>
  yaml('version: 1', 'scenario: s', 'flow:', '  name: F', '  steps:', ...steps);
