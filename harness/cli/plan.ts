// `tracked-flows plan SCENARIO [--json]`: what each step will log, predicted by running the scenario against the
// embedded backend — runs, groups, job types, config, summary keys, artifacts logged and used with versions,
// and the hazards. A flow that fails is still planned: the failure is part of the answer.

import type { Command } from 'commander';
import { canonicalJson } from '../../src/index.ts';
import { runScenario, selectScenarios, toRunnable, type ScenarioResult } from '../runner/index.ts';
import type { RegisterCommand } from './context.ts';
import { CliError } from './errors.ts';
import { loadOrFail } from './scenarios.ts';
import { unknownCounts, unknownLine } from '../report/unknowns.ts';
import { addFlowOptions, FlowFileProblem, isFlowFile, type FlowCliOptions } from '../python/cli-options.ts';

/** Exactly the object of DESIGN §4.4. */
export function planObject(r: ScenarioResult) {
  return {
    scenario: r.scenario,
    tasks: r.tasks.map((t) => ({ step: t.step, task_id: t.task_id, run: t.run, status: t.status, error: t.error })),
    log: r.log,
    unknowns: unknownCounts(r.log),
    diagnostics: r.diagnostics.map((d) => ({ code: d.code, severity: d.severity, step: d.step, variable: d.variable, message: d.message })),
  };
}

const short = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 24 ? `${s.slice(0, 23)}…` : s;
};

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function planText(r: ScenarioResult): string {
  const runs = new Map(r.log.runs.map((x) => [x.ref, x]));
  const rows = r.tasks.map((t) => {
    const run = t.run ? runs.get(t.run) : undefined;
    return [
      `${t.step}/${t.task_id}`,
      t.run ?? '-',
      run ? `${run.group ?? '-'} / ${run.job_type ?? '-'}` : '-',
      run && Object.keys(run.config).length ? Object.entries(run.config).map(([k, v]) => `${k}=${short(v)}`).join(', ') : '-',
      run && Object.keys(run.summary).length ? Object.keys(run.summary).join(', ') : '-',
      run?.logged_artifacts.join(', ') || '-',
      run?.used_artifacts.join(', ') || '-',
      t.status === 'ok' ? 'ok' : `FAILED: ${t.error}`,
    ];
  });
  const out = [`${r.graph.name} — scenario ${r.scenario} (flow ${r.flow_status})`, '', table(['TASK', 'RUN', 'GROUP / JOB TYPE', 'CONFIG', 'SUMMARY KEYS', 'LOGGED', 'USED', 'STATUS'], rows)];
  out.push('', unknownLine(unknownCounts(r.log)));
  const hazards = r.diagnostics.filter((d) => d.code !== 'TASK_FAILED');
  out.push('', hazards.length === 0 ? 'Hazards: none' : `Hazards (${hazards.length}):`);
  for (const h of hazards) out.push(`  ${h.severity.padEnd(7)} ${h.code}${h.step ? ` [${h.step}]` : ''}${h.variable ? ` ${h.variable}` : ''}: ${h.message}`);
  return out.join('\n');
}

export const registerPlan: RegisterCommand = (program: Command, ctx) => {
  const command = program
    .command('plan')
    .description('print what each step of a scenario will log, and the hazards, before running it for real')
    .argument('<scenario>', 'a scenario file, or a Metaflow flow.py (parsed, never executed)')
    .option('--json', 'print the machine-readable plan object')
    .option('--filter <text>', 'pick one combination of a matrix scenario (default: the only one)')
    .option('--base-url <url>', 'send the traffic to this tracked-flows serve (or a proxy before one) instead of an embedded backend; the key is WANDB_API_KEY (default: an embedded backend)');
  addFlowOptions(command, 'plan')
    .action(async (file: string, opts: { json?: boolean; filter?: string; baseUrl?: string } & FlowCliOptions) => {
      if (isFlowFile(file)) {
        let result;
        try {
          result = await (await import('../python/cli.ts')).planFlow(file, opts);
        } catch (err) {
          if (err instanceof FlowFileProblem) throw new CliError('INVALID_SCENARIO', err.message);
          throw err;
        }
        ctx.out(opts.json ? canonicalJson(planObject(result)) : planText(result));
        ctx.exit(0);
        return;
      }
      const scenarios = selectScenarios(loadOrFail([file]), opts.filter);
      if (scenarios.length !== 1) {
        throw new CliError('AMBIGUOUS', `Failed to plan "${file}": it holds ${scenarios.length} scenarios (${scenarios.map((s) => s.id).join(', ')}). Pick one with --filter.`);
      }
      const result = await runScenario(toRunnable(scenarios[0]!), {
        ...(opts.baseUrl ? { baseUrl: opts.baseUrl } : {}),
        ...(opts.baseUrl && process.env.WANDB_API_KEY ? { apiKey: process.env.WANDB_API_KEY } : {}),
      });
      ctx.out(opts.json ? canonicalJson(planObject(result)) : planText(result));
      ctx.exit(0);
    });
};
