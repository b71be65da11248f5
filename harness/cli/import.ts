// `tracked-flows import FLOW.py [-o SCENARIO.yaml]`: the equivalent scenario of a Metaflow flow file.

import { renameSync, writeFileSync } from 'node:fs';
import { addFlowOptions, flowOptions, FlowFileProblem, type FlowCliOptions } from '../python/cli-options.ts';
import { formatPythonDiagnostic } from '../python/diagnostics.ts';
import { importFlowFile } from '../python/import.ts';
import type { RegisterCommand } from './context.ts';
import { CliError } from './errors.ts';

export const registerImport: RegisterCommand = (program, ctx) => {
  const command = program
    .command('import')
    .description('write the scenario YAML equivalent to a Metaflow flow.py (planned, never executed), with a comment on every inferred or unknown value')
    .argument('<flow>', 'a flow.py')
    .option('-o, --output <file>', 'write the scenario to this file (default: stdout)');
  addFlowOptions(command, 'import')
    .action(async (file: string, opts: FlowCliOptions & { output?: string }) => {
      let options;
      try {
        options = flowOptions(opts);
      } catch (err) {
        if (err instanceof FlowFileProblem) throw new CliError('BAD_OPTION', err.message);
        throw err;
      }
      const { yaml, diagnostics } = await importFlowFile(file, options);
      for (const d of diagnostics.filter((x) => x.severity !== 'info')) ctx.err(formatPythonDiagnostic(d));
      if (yaml === null) {
        ctx.err(`Failed to import "${file}": ${diagnostics.filter((d) => d.severity === 'error').length} error(s) above. Fix the flow file and import it again.`);
        ctx.exit(2);
        return;
      }
      if (opts.output) {
        const tmp = `${opts.output}.${process.pid}.tmp`;
        writeFileSync(tmp, yaml);
        renameSync(tmp, opts.output);
      } else ctx.out(yaml.trimEnd());
      ctx.exit(0);
    });
};
