// `tracked-flows/vitest`: scenario files as vitest tests, matchers on what a flow logged, and the W&B API
// mocked for code that calls fetch itself. Importing this module installs the matchers (expect.extend) and
// their types (`expect(result).toHaveLoggedArtifact(...)` type-checks).

import { expect } from 'vitest';
import { trackedFlowsMatchers } from './matchers.ts';

expect.extend(trackedFlowsMatchers);

export { scenarioSuite, type ScenarioSuiteOptions } from './suite.ts';
export { mockWandb, WANDB_PUBLIC_API, type MockWandbOptions, type WandbMock } from './mock-wandb.ts';
export { trackedFlowsMatchers, type TrackedFlowsMatchers, type LoggedArtifactOptions, type UsedArtifactOptions, type HazardOptions } from './matchers.ts';
export { planFile, runScenarioFile, loadScenario } from '../api/scenario-files.ts';
export { runFlow } from '../api/flows.ts';
