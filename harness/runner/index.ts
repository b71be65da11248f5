export { runScenario, seedOf, type RunScenarioOptions } from './run-scenario.ts';
export { runSuite, selectScenarios, type SuiteOptions } from './suite.ts';
export { attach, type Endpoint } from './transports.ts';
export type { RunnableScenario, ScenarioSource, ScenarioResult, TaskOutcome, Diagnostic, Transport } from './types.ts';
export { toRunnable } from './from-scenario.ts';
export { SuitePool, workerCount } from './pool.ts';
