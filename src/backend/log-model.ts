// The log model (DESIGN §3.6): what was logged, derived from the backend's state alone — never from what a
// client believes it sent. This is the format of snapshots, so every list has a defined order.

import { aliasesOf, artifactFilesOf, type ArtifactFileFact, committedArtifacts, configOf, historyOf, lineageOf, runState, runsInOrder, summaryOf, versionName, type RunState } from './facts.ts';
import { byCodePoint, canonicalJson } from './json.ts';
import type { BackendState } from './state.ts';

export const LOG_FORMAT = 'tracked-flows/log@1';

export interface LogRun {
  ref: string;
  id: string;
  entity: string;
  project: string;
  group: string | null;
  job_type: string | null;
  config: Record<string, unknown>;
  summary: Record<string, unknown>;
  history: Record<string, unknown>[];
  logged_artifacts: string[];
  used_artifacts: string[];
  exit_code: number | null;
  state: RunState;
}

export type LogArtifactFile = ArtifactFileFact;

export interface LogArtifact {
  name: string;
  type: string;
  version: string;
  /** Null when a file's bytes are unknown (a plan's placeholder): the real digest cannot be predicted. */
  digest: string | null;
  aliases: string[];
  files: LogArtifactFile[];
  created_by: string | null;
  used_by: string[];
}

export interface LogModel {
  format: typeof LOG_FORMAT;
  runs: LogRun[];
  artifacts: LogArtifact[];
  unsupported: string[];
}

export function deriveLog(state: BackendState): LogModel {
  const runs = runsInOrder(state);
  const refOf = new Map(runs.map((r, i) => [r.key, `run-${i + 1}`]));
  const lineage = lineageOf(state);

  const logRuns: LogRun[] = runs.map((run) => ({
    ref: refOf.get(run.key)!,
    id: run.name,
    entity: run.entity,
    project: run.project,
    group: run.group,
    job_type: run.jobType,
    config: configOf(run),
    summary: summaryOf(run),
    history: historyOf(run),
    logged_artifacts: (lineage.logged.get(run.key) ?? []).map(versionName),
    used_artifacts: (lineage.used.get(run.key) ?? []).map(versionName),
    exit_code: run.exitCode,
    state: runState(run),
  }));

  const artifacts: LogArtifact[] = committedArtifacts(state).map((art) => {
    const files = artifactFilesOf(art);
    return {
    name: art.collection,
    type: art.type,
    version: `v${art.versionIndex}`,
    digest: files.some((f) => f.md5 === null) ? null : art.digest,
    aliases: aliasesOf(state, art),
    files,
    created_by: art.createdBy ? (refOf.get(art.createdBy) ?? null) : null,
    used_by: (lineage.users.get(art.id) ?? []).map((key) => refOf.get(key)!).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4))),
  };
  });

  return { format: LOG_FORMAT, runs: logRuns, artifacts, unsupported: Object.keys(state.unsupported).sort(byCodePoint) };
}

/** The log as snapshot bytes: sorted keys, two-space indent, trailing newline. */
export function serializeLog(log: LogModel): string {
  return `${canonicalJson(log)}\n`;
}
