// A plan (or a Public API read) against a real log: align, diff, then sort every difference through the one
// table of allowed differences (test/real/allowed-differences.ts). What is left is a failure, named by path.
import type { LogModel } from '../../../src/index.ts';
import { ALLOWED, digestFollowsFiles, KNOWN_GAPS, type Context } from '../allowed-differences.ts';
import { align, formatDifference, structuralDiff, type Difference, type Pairing } from './structural-diff.ts';

export interface Verdict {
  /** Differences no row allows: each fails the tier. */
  failures: string[];
  /** Allowed differences, with the reason (printed with a failure, for context). */
  allowed: string[];
  /** Differences a KNOWN_GAPS row tolerates: reported. */
  gaps: string[];
  /** Fields the plan said it does not know, where the real value is one it allows (issue 29): counted, never failed. */
  declared: string[];
}

/** A file the plan logged as not predicted (size and md5 null, `unknown` says why): its bytes are declared unknown. */
function notPredicted(path: string, plan: LogModel): string | undefined {
  const m = /^(artifacts\[[^\]]+\])\.files\[([^\]]+)\]\.(md5|size|unknown)$/.exec(path);
  if (!m) return undefined;
  const file = artifactAt(path, plan)?.files.find((f) => f.path === m[2]);
  return file && file.md5 === null ? `bytes not predicted (${file.unknown})` : undefined;
}

function artifactAt(path: string, log: LogModel): Context['artifact'] {
  const m = /^artifacts\[([^\]]+)\]/.exec(path);
  return m ? log.artifacts.find((a) => `${a.name}:${a.version}` === m[1]) : undefined;
}

export function compareLogs(flow: string, expected: LogModel, actual: LogModel, pairing: Pairing, sides: [string, string] = ['plan', 'real']): Verdict {
  const say = (d: Difference) => formatDifference(d, sides);
  const real = align(expected, actual, pairing);
  const diffs = structuralDiff(expected, real);
  const verdict: Verdict = { failures: [], allowed: [], gaps: [], declared: [] };
  const allowedPaths = new Set<string>();
  const digests: Difference[] = [];
  for (const d of diffs) {
    if (/\.digest$/.test(d.path)) {
      digests.push(d);
      continue;
    }
    const declared = d.declared ?? notPredicted(d.path, expected);
    if (declared !== undefined) {
      verdict.declared.push(`${say(d)} [declared: ${declared}]`);
      if (/\.md5$/.test(d.path)) allowedPaths.add(d.path);
      continue;
    }
    const c: Context = { flow, pairing, artifact: artifactAt(d.path, expected) ?? artifactAt(d.path, real) };
    const fits = (r: { field: RegExp; when?: (c: Context) => boolean }) => r.field.test(d.path) && (r.when?.(c) ?? true);
    const row = ALLOWED.find(fits);
    const gap = row ? undefined : KNOWN_GAPS.find((g) => g.flows.includes(flow) && fits(g));
    if (row) verdict.allowed.push(`${say(d)} [allowed: ${row.reason}]`);
    else if (gap) verdict.gaps.push(`${say(d)} [known gap: ${gap.reason}]`);
    else verdict.failures.push(say(d));
    if (row || gap) allowedPaths.add(d.path);
  }
  for (const d of digests) {
    if (d.plan === 'null' && digestFollowsFiles(d, allowedPaths)) verdict.declared.push(`${say(d)} [declared: follows from the files above]`);
    else if (digestFollowsFiles(d, allowedPaths)) verdict.allowed.push(`${say(d)} [allowed: follows from the file md5s above]`);
    else verdict.failures.push(say(d));
  }
  return verdict;
}
