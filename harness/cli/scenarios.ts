// Shared by run / plan: load scenario paths (all problems at once, exit 2) and name their snapshot files.

import { existsSync } from 'node:fs';
import { formatDiagnostic, loadScenarioPaths, type Scenario } from '../scenario/index.ts';
import { CliError } from './errors.ts';

export function loadOrFail(paths: readonly string[]): Scenario[] {
  for (const p of paths) if (!existsSync(p)) throw new CliError('NO_SUCH_PATH', `Failed to load "${p}": no such file or directory.`);
  const { scenarios, diagnostics } = loadScenarioPaths(paths);
  if (diagnostics.length > 0) {
    throw new CliError('INVALID_SCENARIO', `${diagnostics.map(formatDiagnostic).join('\n')}\n${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'} found; nothing was run or written.`);
  }
  return scenarios;
}

// Snapshot places moved to harness/snapshot/place.ts (the API and the vitest suites use them too).
export { scenariosRoot, snapshotKey, snapshotsDirFor } from '../snapshot/index.ts';
