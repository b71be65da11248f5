/**
 * How much of a log is not known: values a plan logs as unknown (`{"$unknown": type, "at": line:col}`), lists
 * whose order the real run draws per process (`{"$unordered": [...]}`), and artifact files whose bytes are not
 * predicted (md5 null). A plan prints these counts, so "what will this flow log?" is never answered with more
 * confidence than the plan has.
 */
import type { LogModel } from '../../src/index.ts';

export interface UnknownCounts {
  /** Values of the runs' config and summary (or parts of them) logged as unknown. */
  readonly values: number;
  /** Logged values whose items are known and whose order is not. */
  readonly unordered: number;
  /** Artifact files whose bytes (size, md5) are not predicted. */
  readonly files: number;
}

function walk(v: unknown, count: { values: number; unordered: number }): void {
  if (Array.isArray(v)) {
    for (const x of v) walk(x, count);
    return;
  }
  if (v === null || typeof v !== 'object') return;
  const o = v as Record<string, unknown>;
  if (typeof o['$unknown'] === 'string') {
    count.values++;
    return;
  }
  if (Array.isArray(o['$unordered'])) count.unordered++;
  for (const x of Object.values(o)) walk(x, count);
}

export function unknownCounts(log: LogModel): UnknownCounts {
  const count = { values: 0, unordered: 0 };
  for (const run of log.runs) {
    // History rows repeat what the summary ends with (one row per scalar output): count each value once.
    walk(run.config, count);
    walk(run.summary, count);
  }
  const files = log.artifacts.reduce((n, a) => n + a.files.filter((f) => f.md5 === null).length, 0);
  return { ...count, files };
}

/** One line for the console: what the plan logs without knowing it. */
export function unknownLine(c: UnknownCounts): string {
  if (c.values + c.unordered + c.files === 0) return 'Unknown in the log: nothing (every logged value and file is predicted exactly)';
  const parts = [
    `${c.values} value${c.values === 1 ? '' : 's'} logged as unknown`,
    ...(c.unordered > 0 ? [`${c.unordered} of unknown order`] : []),
    `${c.files} artifact file${c.files === 1 ? '' : 's'} whose bytes are not predicted`,
  ];
  const why = [`a file's "unknown" field says why`, ...(c.values > 0 ? ['OPAQUE_VALUE diagnostics say where each unknown value was made'] : [])];
  return `Unknown in the log: ${parts.join(', ')} (${why.join('; ')})`;
}
