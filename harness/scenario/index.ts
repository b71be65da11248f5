/** Scenario files (DESIGN §4.1, `version: 1`): load with positions, check, compile to flows. */
export { loadScenarioFile, loadScenarioPaths, scenarioFiles, requireValid, type LoadResult, type LoadOptions } from './load.ts';
export { compileScenario, type CompiledScenario, type HelperSpec, type ScenarioRunOptions, type CompiledDecorator, type RetryDecorator } from './compile.ts';
export { expandMatrix, combinationId, combinationSnapshotKey } from './matrix.ts';
export { recogniseJoins } from './joins.ts';
export { mutateInPlace, compileBody, compileHelper } from './body.ts';
export { SCENARIO_SCHEMA } from './schema.ts';
export { KNOWN_TAGS, VALUE_TAGS, SETTINGS_TAG, isSettingsSpec, type SettingsSpec } from './tags.ts';
export { ScenarioError, formatDiagnostic, sortDiagnostics, type Diagnostic, type DiagnosticCode, type ScenarioErrorCode } from './errors.ts';
export { WANDB_DEFAULTS } from './model.ts';
export type {
  Scenario, FlowSpec, StepSpec, HelperSource, ParameterSpec, Operation, DecoratorSpec, WandbLogSpec, RetrySpec, MatrixSpec, MatrixFlag, Location,
} from './model.ts';
