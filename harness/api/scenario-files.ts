// Scenario files from code: what `validate`, `plan` and `run` do, as functions returning plain data. The CLI
// prints these results; a test asserts on them (tracked-flows/vitest's matchers take them as they are).

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { runScenario, selectScenarios, toRunnable, type ScenarioResult, type Transport } from '../runner/index.ts';
import { formatDiagnostic, loadScenarioPaths, type Scenario } from '../scenario/index.ts';
import {
  FsSnapshotStore, checkSnapshot, defaultUpdateMode, scenariosRoot, snapshotKey, snapshotsDirFor,
  type SnapshotOutcome, type SnapshotStore, type UpdateMode,
} from '../snapshot/index.ts';
import { HarnessError } from './errors.ts';
import type { FlowFileOptions } from '../python/index.ts';

/**
 * Every scenario of a scenario file (or of the files under a directory), matrix combinations expanded. A file
 * with any problem throws one HarnessError listing all of them as `path:line:col: message`.
 */
export function loadScenario(path: string): Scenario[] {
  if (!existsSync(path)) throw new HarnessError('NO_SUCH_PATH', `Failed to load "${path}": no such file or directory. Give a scenario file's path (relative to ${process.cwd()}).`);
  const { scenarios, diagnostics } = loadScenarioPaths([path]);
  if (diagnostics.length > 0) {
    const n = diagnostics.length;
    throw new HarnessError('INVALID_SCENARIO', `Failed to load "${path}": ${n} problem${n === 1 ? '' : 's'}. Fix ${n === 1 ? 'it' : 'them'} (\`tracked-flows validate\` lists the same):\n${diagnostics.map(formatDiagnostic).join('\n')}`);
  }
  return scenarios;
}

export interface PlanOptions {
  /** Pick one combination (or one scenario) of a file that holds several: text in its id, or /regex/. */
  filter?: string;
  /** How the client reaches the embedded backend; default `direct`. */
  transport?: Transport;
}

/**
 * `tracked-flows plan` as a function: the one scenario of the file, run against a fresh embedded backend. A
 * Metaflow `flow.py` is read by harness/python (parsed, never executed; options as its CLI flags there).
 */
export async function planFile(path: string, options: PlanOptions & FlowFileOptions = {}): Promise<ScenarioResult> {
  if (path.endsWith('.py')) {
    const { planFlowFile, formatPythonDiagnostic } = await import('../python/index.ts');
    const { result, diagnostics } = await planFlowFile(path, options);
    if (result !== null) return result;
    const errors = diagnostics.filter((d) => d.severity === 'error');
    throw new HarnessError('INVALID_SCENARIO', `Failed to plan "${path}": ${errors.length} problem${errors.length === 1 ? '' : 's'}. Fix ${errors.length === 1 ? 'it' : 'them'} (\`tracked-flows validate\` lists the same):\n${errors.map(formatPythonDiagnostic).join('\n')}`);
  }
  const picked = selectScenarios(loadScenario(path), options.filter);
  if (picked.length !== 1) {
    throw new HarnessError('AMBIGUOUS', `Failed to plan "${path}": ${picked.length === 0 ? 'no scenario matches' : `it holds ${picked.length} scenarios (${picked.map((s) => s.id).join(', ')})`}. Pick one with the filter option.`);
  }
  return runScenario(toRunnable(picked[0]!), { transport: options.transport ?? 'direct' });
}

export interface RunFileOptions extends PlanOptions {
  /**
   * Snapshot update mode, as `tracked-flows run`: `none` (CI's default: missing or different fails), `new` (the
   * local default: missing ones are written), `all` (`-u`). `false`: no snapshots at all.
   */
  update?: UpdateMode | false;
  /** Where snapshots are kept; default the files `tracked-flows run` uses (`snapshots/` beside `scenarios/`). */
  snapshots?: SnapshotStore;
}

/** One scenario's run: its result, and how it compared with its snapshot (null when snapshots are off). */
export interface ScenarioRun extends ScenarioResult {
  file: string;
  snapshot: SnapshotOutcome | null;
  /** The snapshot matched (or was written); always true without snapshots. */
  passed: boolean;
}

/** `tracked-flows run FILE` as a function: every scenario of the file, each compared with its snapshot. */
export async function runScenarioFile(path: string, options: RunFileOptions = {}): Promise<ScenarioRun[]> {
  const scenarios = selectScenarios(loadScenario(path), options.filter);
  const runs: ScenarioRun[] = [];
  for (const s of scenarios) runs.push(await runOne(s, [path], options));
  return runs;
}

/** One loaded scenario, run and compared with its snapshot (shared with tracked-flows/vitest). */
export async function runOne(s: Scenario, given: readonly string[], options: RunFileOptions = {}): Promise<ScenarioRun> {
  const result = await runScenario(toRunnable(s), { transport: options.transport ?? 'direct' });
  const mode = options.update ?? defaultUpdateMode();
  if (mode === false) return { ...result, file: s.file, snapshot: null, passed: true };
  const root = scenariosRoot(s.file, given.map((g) => resolve(g)));
  const store = options.snapshots ?? new FsSnapshotStore(snapshotsDirFor(root));
  const snapshot = checkSnapshot(store, snapshotKey(s, root), result, mode);
  return { ...result, file: s.file, snapshot, passed: snapshot.passed };
}
