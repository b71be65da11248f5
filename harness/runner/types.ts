// What the runner takes and gives back: plain data in, plain data out (DESIGN §4.2).

import type { flow, LogModel } from '../../src/index.ts';

export type Transport = 'msw' | 'http' | 'direct';

/** Where a scenario was loaded from: enough for another thread to load it again (see pool.ts). */
export interface ScenarioSource { file: string; id: string }

/** A scenario ready to run: the compiled flow plus everything around it. */
export interface RunnableScenario {
  id: string;
  /** Its scenario file; absent for scenarios built in code, which can only run on the calling thread. */
  source?: ScenarioSource;
  definition: flow.FlowDefinition;
  runOptions: Omit<flow.RunOptions, 'hooks'>;
  /** Decorations written on helper methods themselves. */
  helperDecorators?: Readonly<Record<string, readonly unknown[]>>;
  integration: 'current' | 'legacy';
  lineage: 'latest' | 'pinned';
  wandb: { entity: string; project: string; mode: 'online' | 'offline' | 'disabled' };
  /** Environment the flow runs in (e.g. WANDB_RUN_GROUP, which the integration ignores). */
  env?: Record<string, string>;
  /** A fault plan for the backend (src/backend faults). */
  faults?: unknown;
}

export interface TaskOutcome { step: string; task_id: string; run: string | null; status: 'ok' | 'failed'; error: string | null }

export interface Diagnostic {
  code: string;
  severity: 'error' | 'warning' | 'info';
  step: string | null;
  variable: string | null;
  message: string;
  /** Structured details; for LATEST_MISMATCH: `run` (ref), `used` and `pinned` (`name:vN`). */
  data?: Record<string, string>;
}

/** The flow's steps and transitions, for drawing. */
export interface FlowGraphView { name: string; steps: { name: string; type: string; next: string[] }[] }

export interface ScenarioResult {
  scenario: string;
  /** `ok` when the flow ran to the end; a failing flow is still a result (predicting failures is the point). */
  flow_status: 'ok' | 'failed';
  graph: FlowGraphView;
  tasks: TaskOutcome[];
  log: LogModel;
  diagnostics: Diagnostic[];
  timings: { total_ms: number };
}
