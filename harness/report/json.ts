// The JSON reporter: the RunReport itself, keys sorted and two-space indented, so that the same report gives the
// same bytes and a diff of two reports shows only what changed.

import { canonicalJson } from '../../src/index.ts';
import type { Reporter, RunReport } from './types.ts';

export function renderJsonReport(report: RunReport): string {
  return `${canonicalJson(report)}\n`;
}

export function createJsonReporter(): Reporter {
  return { render: renderJsonReport };
}
