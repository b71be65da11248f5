// Which reporter a command uses. The rich reporters live in harness/report; this plain one is the fallback.

import type { Reporter } from '../report/types.ts';
import type { CliContext } from './context.ts';

export const REPORTERS = ['console', 'json', 'junit', 'html'];

/** Plain lines: `✓ id` / `✗ id`, then the diffs of failures and the summary. */
export function plainReporter(ctx: CliContext): Reporter {
  return {
    onScenario: (r) => ctx.out(`${r.passed ? '✓' : '✗'} ${r.result.scenario}${r.snapshot && r.snapshot.status !== 'unchanged' ? ` (snapshot ${r.snapshot.status})` : ''}`),
    render: (report) =>
      [
        ...report.scenarios.filter((s) => !s.passed).map((s) => `\n✗ ${s.result.scenario}\n${s.snapshot?.diff ?? `snapshot ${s.snapshot?.status}: ${s.snapshot?.path}`}`),
        ...report.obsolete.map((o) => `obsolete snapshot: ${o}`),
        `${report.summary.passed} passed, ${report.summary.failed} failed (snapshots: ${report.summary.new} new, ${report.summary.updated} updated, ${report.summary.obsolete} obsolete)`,
      ].join('\n'),
  };
}

export function chooseReporter(_name: string, ctx: CliContext, _tty: boolean): Reporter {
  return plainReporter(ctx);
}
