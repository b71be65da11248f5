import { formatDiagnostic, loadScenarioPaths } from '../scenario/index.ts';
import type { RegisterCommand } from './context.ts';
import { isFlowFile } from '../python/cli-options.ts';

/**
 * `tracked-flows validate PATHS..`: loads every scenario file (directories are walked for *.yaml|*.yml),
 * prints every diagnostic as `path:line:col: message` on stderr and exits 2 if there is any; otherwise prints
 * `N scenarios valid` (matrix combinations counted). Reads only: it never writes a file.
 */
export function validate(paths: readonly string[], out: (line: string) => void, err: (line: string) => void): number {
  const { scenarios, diagnostics } = loadScenarioPaths(paths);
  for (const d of diagnostics) err(formatDiagnostic(d));
  if (diagnostics.length > 0) {
    err(`${diagnostics.length} problem${diagnostics.length === 1 ? '' : 's'} found`);
    return 2;
  }
  out(`${scenarios.length} scenarios valid`);
  return 0;
}

export const registerValidate: RegisterCommand = (program, ctx) => {
  program
    .command('validate')
    .description('check scenario files (YAML, schema, tags and flow lint) and flow.py files (syntax and Metaflow\'s lint); all problems at once as path:line:col')
    .argument('<paths...>', 'scenario files or directories, flow.py files')
    .action(async (paths: string[]) => {
      const py = paths.filter(isFlowFile);
      const rest = paths.filter((p) => !isFlowFile(p));
      const flows = py.length > 0 ? await (await import('../python/cli.ts')).validateFlows(py, ctx.out, ctx.err) : { errors: 0, valid: 0 };
      if (rest.length === 0) {
        if (flows.errors > 0) ctx.err(`${flows.errors} problem${flows.errors === 1 ? '' : 's'} found`);
        else ctx.out(`${flows.valid} flow file${flows.valid === 1 ? '' : 's'} valid`);
        ctx.exit(flows.errors > 0 ? 2 : 0);
        return;
      }
      const code = validate(rest, ctx.out, ctx.err);
      ctx.exit(flows.errors > 0 ? 2 : code);
    });
};
