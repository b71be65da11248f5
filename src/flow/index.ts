/** Flows: graph, lint and runtime, as Metaflow does them. */
export type {
  FlowDefinition, StepDefinition, ParameterDefinition, ParameterType, NextSpec, SwitchCase, SourceLocation,
  StepBody, HelperMethod,
} from './model.ts';
export { EARLY_RETURN } from './model.ts';
export { FlowError, PythonError, toErrorInfo, stripMarkers, pyRaise } from './errors.ts';
export type { FlowErrorCode, ErrorInfo } from './errors.ts';
export { buildGraph } from './graph.ts';
export type { FlowGraph, GraphNode, NodeType } from './graph.ts';
export { lintGraph, formatLintProblem, LINT_CHECKS, INVALID_TRANSITION_HELP } from './lint/index.ts';
export type { LintProblem, LintCheck, LintOptions } from './lint/index.ts';
export { inferParameterType, resolveParameters, checkParameters, convertParameterValue } from './parameters.ts';
export type { ResolvedParameter } from './parameters.ts';
export { defaultValueProtocol, structuralFingerprint, deepClone, pyTypeName, sameSwitchKey } from './value-protocol.ts';
export type { ValueProtocol } from './value-protocol.ts';
export { FlowSelfBase, BoundMethod, Kwargs, kw } from './flow-self.ts';
export type { FlowSelf, MethodKind } from './flow-self.ts';
export { FlowObject } from './flow-object.ts';
export type { ArtifactStore, ForeachFrame, Transition, FlowClass } from './flow-object.ts';
export { Inputs } from './inputs.ts';
export type { JoinInput } from './inputs.ts';
export type { Current } from './current.ts';
export type { TaskHook, TaskContext, AttemptOutcome, InvokeStep } from './hooks.ts';
export { createSeededScheduler, freeScheduler, seededRandom } from './scheduler.ts';
export type { TaskScheduler } from './scheduler.ts';
export { runFlow, lintFlow, FlowLintError } from './runtime.ts';
export type { RunOptions, RunResult, TaskResult } from './runtime.ts';
export { pyValueProtocol, pyFromJs, pyIterate, pyClone, pyRepr, pyStr, UNKNOWN_WIDTH } from './py-value-protocol.ts';
export { percentFormat } from './percent-format.ts';
