// What may differ between a flow's plan and what the real software logged when that file ran: ONE table, each
// row a field pattern with its reason. Anything else that differs fails the tier, named by its path. A row of
// KNOWN_GAPS is a difference that is the harness's fault, tolerated until the named work lands, and reported.
import type { LogArtifact } from '../../src/index.ts';
import type { Difference } from './helpers/structural-diff.ts';

export interface Context {
  /** The flow (its file name without `.py`). */
  flow: string;
  /** How the two logs were paired: position (sequential tasks) or meaning (parallel tasks). */
  pairing: 'ordered' | 'multiset' | 'id';
  /** The plan's artifact at the difference's path, when it is under `artifacts[..]`. */
  artifact?: LogArtifact;
}

export interface Row {
  field: RegExp;
  reason: string;
  when?: (c: Context) => boolean;
}

// A file's bytes are never allowed to differ here: the plan says itself which bytes it does not predict (a file with
// size and md5 null and an `unknown` reason: a parquet, a model, an unmodelled pickle), and compare.ts counts
// those as declared. A difference in bytes the plan predicted is a failure.
export const ALLOWED: Row[] = [
  {
    field: /^runs\[[^\]]+\]\.id$/,
    reason: 'W&B run ids are random in a real run (the plan seeds its own): runs are paired by position or meaning, then compared by ref',
  },
  {
    field: /(^|\.)(_timestamp|_runtime|createdAt|updatedAt|heartbeatAt)$/,
    reason: 'timestamps (the log model omits them, DESIGN §3.6; a Public API read may show them)',
  },
  {
    field: /^artifacts\[[^\]]+\]\.aliases$|^runs\[[^\]]+\]\.used_artifacts\[\d+\]$|^artifacts\[[^\]]+\]\.used_by$/,
    when: (c) => c.pairing === 'multiset',
    reason: 'order of runs under parallel tasks: which version of a name is `:latest` (and so which one a later `use_artifact(name:latest)` gets) follows the order siblings finish; the plan reports these uses as hazards',
  },
];

/**
 * Differences that are the harness's fault, left until the named work fixes them. Each row names the flows it
 * covers: a gap is never allowed everywhere.
 */
export const KNOWN_GAPS: (Row & { flows: string[] })[] = [];

/**
 * An artifact's digest follows from its files' md5s: it may differ exactly when a file's md5 was allowed to.
 */
export function digestFollowsFiles(d: Difference, allowedPaths: Set<string>): boolean {
  const m = /^(artifacts\[[^\]]+\])\.digest$/.exec(d.path);
  return m !== null && [...allowedPaths].some((p) => p.startsWith(`${m[1]}.files[`) && p.endsWith('.md5'));
}
