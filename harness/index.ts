// `tracked-flows/harness`: the harness as a library — load, validate, plan and run scenarios; snapshots;
// cassettes; flows written in TypeScript. Plain data in and out; nothing here prints or exits (that is cli/).

export { loadScenario, planFile, runScenarioFile, type PlanOptions, type RunFileOptions, type ScenarioRun } from './api/scenario-files.ts';
export { runFlow, type RunFlowOptions } from './api/flows.ts';
export { HarnessError, type HarnessErrorCode } from './api/errors.ts';
export {
  runScenario, runSuite, selectScenarios, toRunnable,
  type RunnableScenario, type ScenarioResult, type TaskOutcome, type Diagnostic, type Transport, type RunScenarioOptions, type SuiteOptions,
} from './runner/index.ts';
export {
  loadScenarioFile, loadScenarioPaths, formatDiagnostic, SCENARIO_SCHEMA, ScenarioError,
  type Scenario, type LoadResult, type Diagnostic as ScenarioDiagnostic,
} from './scenario/index.ts';
export {
  FsSnapshotStore, MemorySnapshotStore, checkSnapshot, defaultUpdateMode, snapshotText, scenariosRoot, snapshotKey, snapshotsDirFor,
  type SnapshotStore, type SnapshotOutcome, type UpdateMode,
} from './snapshot/index.ts';
export * as cassette from './cassette/index.ts';
export {
  loadFlowFile, planFlowFile, frontEndDiagnostics, isFlowFile, type FlowFileOptions, type LoadedFlowFile, type PythonDiagnostic,
} from './python/index.ts';
export { importFlowFile } from './python/import.ts';
