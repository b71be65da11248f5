// The flow.py side of the CLI that every command may need before it knows it has a `.py`: detecting one,
// declaring the options, reading them. No dependencies, so a YAML-only command never loads the Python front end.

import { Option, type Command } from 'commander';
import type { PythonDiagnostic } from './diagnostics.ts';
import type { FlowFileOptions } from './index.ts';

export const isFlowFile = (path: string): boolean => path.endsWith('.py');

export interface FlowCliOptions {
  flow?: string;
  integration?: string;
  lineage?: string;
  runId?: string;
  param?: string[];
  env?: string[];
  values?: string;
  config?: string[];
  configValue?: string[];
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
    configs: { files: pairs(o.config, '--config'), values: pairs(o.configValue, '--config-value') },
  };
}


const collect = (v: string, acc: string[]): string[] => [...acc, v];

/** The flow.py options of `plan` and `import` (same meaning as the scenario's keys). */
export function addFlowOptions(command: Command, what: 'plan' | 'import'): Command {
  const p = what === 'plan' ? 'flow.py: ' : '';
  command
    .option('--flow <name>', `${p}the FlowSpec subclass (default: the one \`if __name__ == "__main__"\` runs)`)
    .addOption(new Option('--param <name=value>', `${p}a parameter value (repeatable)`).argParser(collect).default([], "the flow's defaults"))
    .addOption(new Option('--env <name=value>', `${p}an environment variable (repeatable; WANDB_ENTITY / WANDB_PROJECT / WANDB_MODE too)`).argParser(collect).default([], 'empty'))
    .option('--values <file>', `${p}the value file pinning what the plan cannot know (default: flow.values.yaml beside it)`)
    .addOption(new Option('--config <name file>', `${p}a Config's value from a JSON file, as \`python flow.py --config NAME FILE run\` (repeatable)`).argParser(collect).default([], "the Config's default"))
    .addOption(new Option('--config-value <name json>', `${p}a Config's value as JSON text, as Metaflow's --config-value NAME JSON (repeatable)`).argParser(collect).default([], "the Config's default"));
  if (what === 'plan') {
    command
      .option('--integration <profile>', `${p}current | legacy (default: current)`)
      .option('--lineage <mode>', `${p}latest | pinned (default: latest)`)
      .option('--run-id <id>', `${p}Metaflow's run id (groups are {Flow}/{run_id}) (default: 1700000000000000, from the fixed clock)`);
  }
  return command;
}
