// What harness/cli delegates to for a `.py` path: load (diagnostics at file:line:col, exit 2 on errors), plan,
// validate. Kept here so the CLI commands only detect `.py` and pass their options on.

import type { Scenario } from '../scenario/model.ts';
import { formatPythonDiagnostic, type PythonDiagnostic } from './diagnostics.ts';
import { loadFlowFile, planFlowFile, type FlowFileOptions } from './index.ts';
import type { ScenarioResult } from '../runner/index.ts';

export interface FlowCliOptions {
  flow?: string;
  integration?: string;
  lineage?: string;
  runId?: string;
  param?: string[];
  env?: string[];
  values?: string;
}

export class FlowFileProblem extends Error {
  constructor(readonly diagnostics: readonly PythonDiagnostic[], message: string) {
    super(message);
  }
}

function pairs(list: readonly string[] | undefined, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of list ?? []) {
    const at = p.indexOf('=');
    if (at <= 0) throw new FlowFileProblem([], `Failed to read ${what} "${p}": it is not NAME=VALUE. Write ${what} NAME=VALUE.`);
    out[p.slice(0, at)] = p.slice(at + 1);
  }
  return out;
}

export function flowOptions(o: FlowCliOptions): FlowFileOptions {
  if (o.integration !== undefined && o.integration !== 'current' && o.integration !== 'legacy') throw new FlowFileProblem([], `Failed to read --integration "${o.integration}": use current or legacy.`);
  if (o.lineage !== undefined && o.lineage !== 'latest' && o.lineage !== 'pinned') throw new FlowFileProblem([], `Failed to read --lineage "${o.lineage}": use latest or pinned.`);
  return {
    ...(o.flow !== undefined ? { flow: o.flow } : {}),
    ...(o.integration !== undefined ? { integration: o.integration as 'current' | 'legacy' } : {}),
    ...(o.lineage !== undefined ? { lineage: o.lineage as 'latest' | 'pinned' } : {}),
    ...(o.runId !== undefined ? { runId: o.runId } : {}),
    parameters: pairs(o.param, '--param'),
    env: pairs(o.env, '--env'),
    ...(o.values !== undefined ? { valuesFile: o.values } : {}),
  };
}

const problemText = (ds: readonly PythonDiagnostic[]) =>
  `${ds.map(formatPythonDiagnostic).join('\n')}\n${ds.length} problem${ds.length === 1 ? '' : 's'} found; nothing was run or written.`;

/** Scenarios of flow files, or a FlowFileProblem carrying every error. */
export async function loadFlowScenarios(paths: readonly string[], options: FlowFileOptions = {}): Promise<Scenario[]> {
  const out: Scenario[] = [];
  const errors: PythonDiagnostic[] = [];
  for (const p of paths) {
    const r = await loadFlowFile(p, options);
    const bad = r.diagnostics.filter((d) => d.severity === 'error');
    errors.push(...bad);
    if (r.scenario !== null && bad.length === 0) out.push(r.scenario);
  }
  if (errors.length > 0) throw new FlowFileProblem(errors, problemText(errors));
  return out;
}

export async function planFlow(path: string, o: FlowCliOptions): Promise<ScenarioResult> {
  const { result, diagnostics } = await planFlowFile(path, flowOptions(o));
  if (result === null) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    throw new FlowFileProblem(errors, problemText(errors));
  }
  return result;
}

/** `validate flow.py`: every diagnostic of loading (syntax, flow, Metaflow's lint, ...); 2 when any is an error. */
export async function validateFlows(paths: readonly string[], out: (l: string) => void, err: (l: string) => void): Promise<{ errors: number; valid: number }> {
  let errors = 0;
  let valid = 0;
  for (const p of paths) {
    const r = await loadFlowFile(p);
    for (const d of r.diagnostics) (d.severity === 'error' ? err : out)(formatPythonDiagnostic(d));
    const n = r.diagnostics.filter((d) => d.severity === 'error').length;
    errors += n;
    if (n === 0 && r.scenario !== null) valid++;
  }
  return { errors, valid };
}

const collect = (v: string, acc: string[]): string[] => [...acc, v];

/** The flow.py options of `plan` and `import` (same meaning as the scenario's keys). */
export function addFlowOptions(command: import('commander').Command, what: 'plan' | 'import'): import('commander').Command {
  const p = what === 'plan' ? 'flow.py: ' : '';
  command
    .option('--flow <name>', `${p}the FlowSpec subclass (default: the one \`if __name__ == "__main__"\` runs)`)
    .option('--param <name=value>', `${p}a parameter value (repeatable)`, collect, [])
    .option('--env <name=value>', `${p}an environment variable (repeatable; WANDB_ENTITY / WANDB_PROJECT / WANDB_MODE too)`, collect, [])
    .option('--values <file>', `${p}the value file pinning what the plan cannot know (default: flow.values.yaml beside it)`);
  if (what === 'plan') {
    command
      .option('--integration <profile>', `${p}current | legacy`)
      .option('--lineage <mode>', `${p}latest | pinned`)
      .option('--run-id <id>', `${p}Metaflow's run id (groups are {Flow}/{run_id})`);
  }
  return command;
}
