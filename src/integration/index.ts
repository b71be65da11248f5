export { Settings, type SettingsFields } from './settings.ts';
export { wandbLog, wandbLogDecoration, isWandbLog, effectiveDecoration, type WandbLogDecorator, type WandbLogOptions } from './decorator.ts';
export { createWandbIntegration, type IntegrationOptions, type WandbIntegration } from './integration.ts';
export { ArtifactProxy, ObservedSelf, PROXY_INTERNALS } from './proxy.ts';
export { HAZARD_CHECKS, findHazards } from './hazards.ts';
export type { Hazard, HazardCode, IntegrationReport, TaskRecord as IntegrationTaskRecord, UseRecord, TrackRecord } from './records.ts';
export { IntegrationError, type IntegrationErrorCode } from './errors.ts';
export { FlowSpec, Parameter, ParameterSpec, step, toFlowDefinition, helperDecoratorsOf, type StepOptions } from './flowspec.ts';
export type { WandbLogDecoratorFn } from './decorator.ts';
