// Reporters (DESIGN §4.4 `--reporter console|json|junit|html`): they read a RunReport and return text; the CLI
// decides where the text goes.

import { createConsoleReporter } from './console.ts';
import { createHtmlReporter } from './html.ts';
import { createJsonReporter } from './json.ts';
import { createJunitReporter } from './junit.ts';
import type { Reporter } from './types.ts';

export const REPORTERS = ['console', 'json', 'junit', 'html'] as const;
export type ReporterName = (typeof REPORTERS)[number];

export interface ReporterOptions {
  tty: boolean;
  color: boolean;
  /** Where the console reporter writes progress: a rewritten line on a TTY, one line per scenario elsewhere. */
  progress?: (text: string) => void;
}

export const isReporterName = (name: string): name is ReporterName => (REPORTERS as readonly string[]).includes(name);

/** The HTML reporter's `render` is async (it loads Graphviz, WASM, on first use); the others answer at once. */
export function createReporter(name: ReporterName, options: ReporterOptions): Reporter {
  switch (name) {
    case 'console':
      return createConsoleReporter(options);
    case 'json':
      return createJsonReporter();
    case 'junit':
      return createJunitReporter();
    case 'html':
      return createHtmlReporter();
  }
}

export { createConsoleReporter, summaryLine, type ConsoleOptions } from './console.ts';
export { createJsonReporter, renderJsonReport } from './json.ts';
export { createJunitReporter, renderJunitReport } from './junit.ts';
export { createHtmlReporter, renderHtmlReport, renderHtmlReportWith, scenarioAnchors } from './html.ts';
export { renderLivePage, logHash, LIVE_POLL_MS } from './live.ts';
export { flowDot, lineageDot, latestMismatches } from './dot.ts';
export type { Reporter, RunReport, ScenarioReport, SnapshotStatus } from './types.ts';
