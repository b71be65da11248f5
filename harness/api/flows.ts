// Flows written in TypeScript (FlowSpec classes with @step / @wandbLog, or plain FlowDefinitions), run as a
// scenario would be: a fresh embedded backend, the @wandb_log integration, our W&B client, seeded ids.

import { FlowSpec, flow, helperDecoratorsOf, toFlowDefinition, type FaultPlan } from '../../src/index.ts';
import { runScenario, type RunnableScenario, type ScenarioResult, type Transport } from '../runner/index.ts';
import { WANDB_DEFAULTS } from '../scenario/index.ts';
import { HarnessError } from './errors.ts';

export interface RunFlowOptions {
  /** Names the run in results and seeds its random ids (same id, same ids); default the flow's name. */
  id?: string;
  /** The `@wandb_log` behaviour reproduced: `current` (default) or `legacy` (reference §4). */
  integration?: 'current' | 'legacy';
  /** `latest` (default: what the integration does) or `pinned` (the exact versions read). */
  lineage?: 'latest' | 'pinned';
  wandb?: { entity?: string; project?: string; mode?: 'online' | 'offline' | 'disabled' };
  /** Parameter values, by attribute or CLI name, as `--alpha 0.7` would give them. */
  parameters?: Record<string, unknown>;
  runId?: string;
  /** The environment the flow sees (WANDB_RUN_GROUP, ...). */
  env?: Record<string, string>;
  /** Faults the backend injects (status codes, resets, truncations, delays). */
  faults?: FaultPlan;
  /** How the client reaches the embedded backend; default `direct`. */
  transport?: Transport;
}

type FlowClass = abstract new () => FlowSpec;

/** Runs a FlowSpec class (or a FlowDefinition) and returns what a scenario's run returns. */
export async function runFlow(flowOrDefinition: FlowClass | flow.FlowDefinition, options: RunFlowOptions = {}): Promise<ScenarioResult> {
  const isClass = typeof flowOrDefinition === 'function';
  if (!isClass && (flowOrDefinition === null || typeof flowOrDefinition !== 'object' || !Array.isArray(flowOrDefinition.steps))) {
    throw new HarnessError('NOT_A_FLOW', `Failed to run flow "${String(flowOrDefinition)}": expected a FlowSpec class or a FlowDefinition. Pass the class itself (not an instance).`);
  }
  const definition = isClass ? toFlowDefinition(flowOrDefinition) : flowOrDefinition;
  const helperDecorators = isClass ? helperDecoratorsOf(flowOrDefinition) : {};
  const scenario: RunnableScenario = {
    id: options.id ?? definition.name,
    definition,
    runOptions: {
      values: flow.pyValueProtocol,
      ...(options.runId !== undefined ? { runId: options.runId } : {}),
      ...(options.parameters ? { parameters: options.parameters } : {}),
    },
    ...(Object.keys(helperDecorators).length > 0 ? { helperDecorators } : {}),
    integration: options.integration ?? 'current',
    lineage: options.lineage ?? 'latest',
    wandb: { ...WANDB_DEFAULTS, ...options.wandb },
    ...(options.env ? { env: options.env } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
  };
  return runScenario(scenario, { transport: options.transport ?? 'direct' });
}
