// What harness/cli delegates to for a `.py` path: load (diagnostics at file:line:col, exit 2 on errors), plan,
// validate. The commands import this only when a path is a `.py` (the CLI loads what its command needs), and
// cli-options.ts (no dependencies) for detecting `.py` and declaring the options.

import { basename } from 'node:path';
import { flow } from '../../src/index.ts';
import type { Scenario } from '../scenario/model.ts';
import { FlowFileProblem, flowOptions, type FlowCliOptions } from './cli-options.ts';
import { formatPythonDiagnostic, type PythonDiagnostic } from './diagnostics.ts';
import { loadFlowFile, planFlowFile, type FlowFileOptions } from './index.ts';
import type { ScenarioResult } from '../runner/index.ts';

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
  let planned;
  try {
    planned = await planFlowFile(path, flowOptions(o));
  } catch (err) {
    // Parameters are checked as `python flow.py run` checks them (click): the same usage error, and how to plan it.
    if (err instanceof flow.FlowError && err.code === 'PARAMETER_INVALID') {
      const missing = /Missing option '--([^']+)'/.exec(err.message)?.[1];
      const how = missing !== undefined ? ` Plan it with --param ${missing}=VALUE.` : ' Give parameters with --param NAME=VALUE.';
      throw new FlowFileProblem([], `Usage: ${basename(path)} run [OPTIONS]\n\n${err.message}${how}`);
    }
    throw err;
  }
  const { result, diagnostics } = planned;
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

