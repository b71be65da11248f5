// Scenario files as vitest tests: a `describe` per file, a test per scenario (per matrix combination), each
// compared with its snapshot exactly as `tracked-flows run` does — the same files, the same bytes — and in
// the update mode vitest itself is in: `vitest -u` writes every snapshot, CI writes none, locally new ones
// are written. A mismatch fails the test with the log diff.

import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOne, type RunFileOptions } from '../api/scenario-files.ts';
import { selectScenarios } from '../runner/index.ts';
import { formatDiagnostic, loadScenarioFile, scenarioFiles, type Diagnostic, type Scenario } from '../scenario/index.ts';
import { defaultUpdateMode, type UpdateMode } from '../snapshot/index.ts';

export interface ScenarioSuiteOptions extends RunFileOptions {
  /** Per-test timeout (ms), vitest's own otherwise. */
  timeout?: number;
}

/** vitest's snapshot update state for the running test (`-u`: all, CI: none, else new). */
function vitestUpdateMode(): UpdateMode {
  const state = expect.getState() as { snapshotState?: { snapshotUpdateState?: UpdateMode } };
  return state.snapshotState?.snapshotUpdateState ?? defaultUpdateMode();
}

/**
 * Registers the scenarios of `paths` (files, or directories walked for *.yaml / *.yml) as vitest tests. Call it
 * at the top level of a test file (or inside a describe). A file with problems becomes one failing test that
 * lists them all at `path:line:col`.
 */
export function scenarioSuite(paths: string | readonly string[], options: ScenarioSuiteOptions = {}): void {
  const given = (typeof paths === 'string' ? [paths] : [...paths]).map((p) => resolve(p));
  const { files, diagnostics: missing } = scenarioFiles(given);
  for (const d of missing) it(`${d.file}`, () => failLoad(d.file, [d]));
  for (const file of files) {
    const { scenarios, diagnostics } = loadScenarioFile(file);
    const label = relative(process.cwd(), file) || file;
    describe(label, () => {
      if (diagnostics.length > 0) {
        it('loads', () => failLoad(label, diagnostics));
        return;
      }
      for (const s of selectScenarios(scenarios, options.filter)) registerScenario(s, given, options);
    });
  }
}

function registerScenario(s: Scenario, given: readonly string[], options: ScenarioSuiteOptions): void {
  it(s.id, async () => {
    const run = await runOne(s, given, { ...options, update: options.update ?? vitestUpdateMode() });
    const snap = run.snapshot;
    if (snap && !snap.passed) {
      const why = snap.status === 'missing'
        ? `Snapshot ${snap.path} is missing, and snapshots are not written in CI (update mode "none"). Run vitest locally, or with -u, and commit it.`
        : `Snapshot ${snap.path} differs from what scenario "${s.id}" logged. If the change is intended, run vitest with -u.\n\n${snap.diff ?? ''}`;
      throw new Error(why);
    }
  }, options.timeout);
}

function failLoad(label: string, diagnostics: readonly Diagnostic[]): never {
  throw new Error(`Failed to load "${label}": ${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'}.\n${diagnostics.map(formatDiagnostic).join('\n')}`);
}
