// Which reporter a command uses and where its progress goes. The reporters themselves live in harness/report.

import { createReporter, isReporterName, REPORTERS } from '../report/index.ts';
import type { Reporter } from '../report/types.ts';
import type { CliContext } from './context.ts';
import { CliError } from './errors.ts';

export { REPORTERS };

export function chooseReporter(name: string, ctx: CliContext, tty: boolean, env = process.env): Reporter {
  if (!isReporterName(name)) throw new CliError('BAD_OPTION', `Failed to run: --reporter must be one of ${REPORTERS.join(', ')}, got "${name}".`);
  return createReporter(name, {
    tty,
    color: tty && !env.NO_COLOR,
    // On a terminal, progress frames rewrite one line; elsewhere each scenario's line is printed as it finishes.
    progress: tty ? (text) => void process.stdout.write(text) : (text) => ctx.out(text.replace(/\n$/, '')),
  });
}
