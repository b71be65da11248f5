// What a pool worker does with one task: load the scenario's file (once per worker), compile it, run it, and
// hand back the result as plain data. Runs inside a worker thread (see pool.ts); nothing here is shared with
// the main thread but the messages.

import { resolve } from 'node:path';
import { lenientJson } from '../../src/index.ts';
import { loadScenarioFile } from '../scenario/index.ts';
import { toRunnable } from './from-scenario.ts';
import { runScenario } from './run-scenario.ts';
import type { RunnableScenario, ScenarioResult, ScenarioSource, Transport } from './types.ts';

export interface PoolTask { source: ScenarioSource; transport: Transport }

/** A result as it crosses threads: the log as lenient JSON text, since structured clone drops float notes. */
export type PoolAnswer = Omit<ScenarioResult, 'log'> & { log: string };

const files = new Map<string, Map<string, RunnableScenario>>();

function scenarioOf(source: ScenarioSource): RunnableScenario {
  const file = resolve(source.file);
  let byId = files.get(file);
  if (!byId) {
    const { scenarios, diagnostics } = loadScenarioFile(file);
    if (diagnostics.length > 0) {
      const d = diagnostics[0]!;
      throw new Error(`Failed to load "${d.file}:${d.line}:${d.col}" in a pool worker: ${d.message}. The file changed after the suite loaded it, or cannot be read from this thread.`);
    }
    byId = new Map(scenarios.map((s) => [s.id, toRunnable(s)]));
    files.set(file, byId);
  }
  const scenario = byId.get(source.id);
  if (!scenario) throw new Error(`Failed to find scenario "${source.id}" in "${source.file}" in a pool worker: the file no longer defines it.`);
  return scenario;
}

export default async function runTask(task: PoolTask): Promise<PoolAnswer> {
  const result = await runScenario(scenarioOf(task.source), { transport: task.transport });
  return { ...result, log: lenientJson(result.log) };
}
