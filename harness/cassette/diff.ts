// Comparing two log models (a scenario's and a recorded session's, or two recordings) after the normalisation
// that makes two honest implementations agree:
//
// - Runs are matched by `ref` (creation order), not by W&B run id: ids are random unless WANDB_RUN_ID is set,
//   so `id` is ignored unless `compareRunIds`. Lineage already speaks in refs (`created_by`, `used_by`).
// - Artifacts are matched by `name:version`.
// - Files whose bytes legitimately differ between implementations (Parquet writers, pickle protocols, torch
//   zips — `opaqueFiles`) are compared by path and presence only; an artifact holding one has its `digest`
//   ignored too, since the digest is computed from the files' md5s.
// - `unsupported` is compared as a set.
// Everything else must be equal. The result lists each difference as `where: expected X, got Y`.

import type { LogArtifact, LogModel, LogRun } from '../../src/index.ts';

export interface DiffOptions {
  /** Files compared by name and presence only. Default: Parquet, pickle, joblib, torch, HDF5, Keras files. */
  opaqueFiles?: RegExp;
  /** Also require equal W&B run ids (default false). */
  compareRunIds?: boolean;
  /** Labels for the two sides in the text (default "expected" / "actual"). */
  labels?: [string, string];
}

export interface LogDiff {
  equal: boolean;
  differences: string[];
  /** Readable: a header, then one difference per line; empty when equal. */
  text: string;
}

export const DEFAULT_OPAQUE_FILES = /\.(?:parquet|pq|pkl|pickle|joblib|pt|pth|h5|hdf5|keras)$/i;

const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v));

function compare(a: unknown, b: unknown, where: string, out: string[], labels: [string, string]): void {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) compare(a[i], b[i], `${where}[${i}]`, out, labels);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) compare((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], where ? `${where}.${k}` : k, out, labels);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${where}: ${labels[0]} ${show(a)}, ${labels[1]} ${show(b)}`);
}

function normaliseRun(run: LogRun, options: DiffOptions): Record<string, unknown> {
  const { ref: _ref, id, ...rest } = run;
  return options.compareRunIds ? { id, ...rest } : rest;
}

function normaliseArtifact(art: LogArtifact, opaque: RegExp): Record<string, unknown> {
  const hasOpaque = art.files.some((f) => opaque.test(f.path));
  const { digest, files, ...rest } = art;
  return {
    ...rest,
    ...(hasOpaque ? {} : { digest }),
    files: Object.fromEntries(files.map((f) => [f.path, opaque.test(f.path) ? 'present' : { size: f.size, md5: f.md5 }])),
  };
}

const byKey = <T>(items: T[], key: (t: T) => string, f: (t: T) => unknown): Record<string, unknown> => Object.fromEntries(items.map((t) => [key(t), f(t)]));

export function diffLogs(expected: LogModel, actual: LogModel, options: DiffOptions = {}): LogDiff {
  const opaque = options.opaqueFiles ?? DEFAULT_OPAQUE_FILES;
  const labels = options.labels ?? ['expected', 'actual'];
  const view = (log: LogModel) => ({
    runs: byKey(log.runs, (r) => r.ref, (r) => normaliseRun(r, options)),
    artifacts: byKey(log.artifacts, (a) => `${a.name}:${a.version}`, (a) => normaliseArtifact(a, opaque)),
    unsupported: [...new Set(log.unsupported)].sort(),
  });
  const differences: string[] = [];
  if (expected.format !== actual.format) differences.push(`format: ${labels[0]} ${show(expected.format)}, ${labels[1]} ${show(actual.format)}`);
  const a = view(expected);
  const b = view(actual);
  for (const section of ['runs', 'artifacts'] as const) {
    for (const k of [...new Set([...Object.keys(a[section]), ...Object.keys(b[section])])]) {
      const where = `${section}[${k}]`;
      if (!(k in a[section])) differences.push(`${where}: ${labels[0]} nothing, ${labels[1]} has it`);
      else if (!(k in b[section])) differences.push(`${where}: ${labels[0]} has it, ${labels[1]} nothing`);
      else compare(a[section][k], b[section][k], where, differences, labels);
    }
  }
  compare(a.unsupported, b.unsupported, 'unsupported', differences, labels);
  const text = differences.length === 0 ? '' : [`${differences.length} difference${differences.length === 1 ? '' : 's'} in the log (${labels[0]} vs ${labels[1]}):`, ...differences.map((d) => `  ${d}`)].join('\n');
  return { equal: differences.length === 0, differences, text };
}
