// `tracked-flows diff SCENARIO CASSETTE`: the log a scenario predicts against the log of a recorded session.
// What is compared (harness/cassette/diff.ts): runs by ref (W&B run ids ignored — they are random in a real
// session), their group, job type, config, summary, history, logged and used artifacts and exit code; artifacts
// by `name:vN` with type, aliases and files; files whose bytes legitimately differ between implementations
// (Parquet, pickles, torch files) by name and presence only, and then their artifact's digest is not compared.

import { runScenario, selectScenarios, toRunnable } from '../runner/index.ts';
import { diffLogs, inspectCassette, loadSession } from '../cassette/index.ts';
import type { RegisterCommand } from './context.ts';
import { CliError } from './errors.ts';
import { asCliErrors } from './record.ts';
import { loadOrFail } from './scenarios.ts';

export const registerDiff: RegisterCommand = (program, ctx) => {
  program
    .command('diff')
    .description("compare a scenario's predicted log with a recorded session's (exit 1 on a difference)")
    .argument('<scenario>', 'a scenario file')
    .argument('<cassette>', 'a cassette JSON or a capture JSONL')
    .option('--filter <text>', 'pick one combination of a matrix scenario (default: the only one)')
    .action(async (scenarioFile: string, cassetteFile: string, opts: { filter?: string }) => {
      const scenarios = selectScenarios(loadOrFail([scenarioFile]), opts.filter);
      if (scenarios.length !== 1) throw new CliError('AMBIGUOUS', `Failed to diff "${scenarioFile}": it holds ${scenarios.length} scenarios. Pick one with --filter.`);
      const code = await asCliErrors(async () => {
        const recorded = await inspectCassette(await loadSession(cassetteFile));
        const predicted = await runScenario(toRunnable(scenarios[0]!));
        const d = diffLogs(predicted.log, recorded.log, { labels: ['scenario', 'cassette'] });
        if (d.equal) ctx.out(`no difference: ${scenarios[0]!.id} predicts what ${cassetteFile} recorded`);
        else ctx.out(d.text);
        return d.equal ? 0 : 1;
      });
      ctx.exit(code);
    });
};
