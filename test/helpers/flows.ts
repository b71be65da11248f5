// Small builders for integration tests written in TypeScript (the scenario files cover the same ground in YAML).
import { flow, values, wandbLog, type LogModel } from '../../src/index.ts';
import { runScenario } from '../../harness/runner/index.ts';
import type { RunnableScenario, ScenarioResult, Transport } from '../../harness/runner/index.ts';

export const { py } = values;
export type Body = flow.StepBody;

export interface TestFlow {
  id?: string;
  definition: flow.FlowDefinition;
  integration?: 'current' | 'legacy';
  lineage?: 'latest' | 'pinned';
  mode?: 'online' | 'offline' | 'disabled';
  env?: Record<string, string>;
  helperDecorators?: Record<string, unknown[]>;
  maxWorkers?: number;
  seed?: number;
}

export function runnable(t: TestFlow): RunnableScenario {
  return {
    id: t.id ?? t.definition.name,
    definition: t.definition,
    runOptions: {
      runId: '1', values: flowValues(),
      ...(t.maxWorkers ? { maxWorkers: t.maxWorkers, scheduler: flow.createSeededScheduler(t.seed ?? 1) } : {}),
    },
    integration: t.integration ?? 'current',
    lineage: t.lineage ?? 'latest',
    wandb: { entity: 'e', project: 'p', mode: t.mode ?? 'online' },
    ...(t.env ? { env: t.env } : {}),
    ...(t.helperDecorators ? { helperDecorators: t.helperDecorators } : {}),
  };
}

/** The Python value protocol for the flow runtime, when the scenario layer provides one; else the default. */
function flowValues(): Partial<flow.ValueProtocol> | undefined {
  const f = flow as unknown as { pyValueProtocol?: Partial<flow.ValueProtocol> };
  return f.pyValueProtocol;
}

export function run(t: TestFlow, transport: Transport = 'msw'): Promise<ScenarioResult> {
  return runScenario(runnable(t), { transport });
}

/** `{ "raw_df:v0": "run-1", ... }`: who created each version. */
export const createdBy = (log: LogModel) => Object.fromEntries(log.artifacts.map((a) => [`${a.name}:${a.version}`, a.created_by]));
export const df = (rows: number[][], columns = ['a', 'b']) => py.dataframe(columns, rows.map((r) => r.map((x) => py.int(x))));

/** start -> train (foreach of 3, each writes its own `model`) -> evaluate (reads `model`) -> join -> end. */
export const foreachOfThree = (): flow.FlowDefinition => ({
  name: 'ForeachModels', decorators: [wandbLog({ models: true })],
  steps: [
    { name: 'start', body: (s) => s.setattr('depths', py.list([py.int(2), py.int(3), py.int(4)])), next: { foreach: 'depths', to: 'train' } },
    { name: 'train', body: (s) => s.setattr('model', py.sklearn('RandomForestClassifier', [['max_depth', s.input as never]])), next: 'evaluate' },
    { name: 'evaluate', body: (s) => { s.getattr('model'); s.setattr('score', py.float(0.5)); }, next: 'join' },
    { name: 'join', join: true, next: 'end' },
    { name: 'end' },
  ],
});
