// The log model (DESIGN §3.6): what was logged, derived from the backend's state alone — never from what a
// client believes it sent. This is the format of snapshots, so every list has a defined order.

import { HISTORY_FILE, SUMMARY_FILE, SYSTEM_KEYS } from '../protocol/index.ts';
import { byCodePoint, canonicalJson, copyFloatNote, parseLenientJson } from './json.ts';
import type { ArtifactRecord, BackendState, RunRecord } from './state.ts';

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
  state: 'running' | 'finished' | 'failed';
}

export interface LogArtifactFile { path: string; size: number; md5: string }

export interface LogArtifact {
  name: string;
  type: string;
  version: string;
  digest: string;
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

const DROPPED = new Set<string>(SYSTEM_KEYS);

function userKeys(obj: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj)) {
      if (DROPPED.has(k)) continue;
      out[k] = v;
      copyFloatNote(obj, k, out, k);
    }
  }
  return out;
}

function lines(run: RunRecord, file: string): string[] {
  const byOffset = run.streams[file] ?? {};
  return Object.keys(byOffset)
    .map(Number)
    .sort((a, b) => a - b)
    .map((o) => byOffset[String(o)]!);
}

/** `{"k": {"value": v}}` (wandb-core) or `{"k": {"desc": d, "value": v}}` (legacy) -> `{"k": v}`; `_wandb` dropped. */
function unwrapConfig(json: string | null): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!json) return out;
  const parsed = parseLenientJson(json) as Record<string, unknown>;
  for (const [k, v] of Object.entries(parsed)) {
    if (k === '_wandb') continue;
    const wrapped = v && typeof v === 'object' && !Array.isArray(v) && 'value' in v;
    out[k] = wrapped ? (v as { value: unknown }).value : v;
    if (wrapped) copyFloatNote(v as object, 'value', out, k);
    else copyFloatNote(parsed, k, out, k);
  }
  return out;
}

const version = (art: ArtifactRecord): string => `${art.collection}:v${art.versionIndex}`;

export function deriveLog(state: BackendState): LogModel {
  const runs = Object.values(state.runs).sort((a, b) => a.seq - b.seq);
  const refOf = new Map(runs.map((r, i) => [r.key, `run-${i + 1}`]));
  const committed = Object.values(state.artifacts)
    .filter((a) => a.state === 'COMMITTED')
    .sort((a, b) => byCodePoint(a.collection, b.collection) || a.versionIndex! - b.versionIndex!);
  const byId = new Map(committed.map((a) => [a.id, a]));
  // Grouped once, so deriving the log is linear in runs, artifacts and edges (not runs x artifacts).
  const loggedBy = groupBy(Object.values(state.artifacts).filter((a) => a.state === 'COMMITTED' && a.createdBy !== null).sort((a, b) => a.seq - b.seq), (a) => a.createdBy!);
  const usesOf = groupBy(state.usage.filter((e) => byId.has(e.artifact)), (e) => e.run);
  const usersOf = groupBy(state.usage, (e) => e.artifact);

  const logRuns: LogRun[] = runs.map((run) => {
    const summaryLines = lines(run, SUMMARY_FILE);
    const summaryLine = summaryLines[summaryLines.length - 1];
    return {
      ref: refOf.get(run.key)!,
      id: run.name,
      entity: run.entity,
      project: run.project,
      group: run.group,
      job_type: run.jobType,
      config: unwrapConfig(run.configJson),
      summary: summaryLine === undefined ? {} : userKeys(parseLenientJson(summaryLine)),
      history: lines(run, HISTORY_FILE).map((l) => userKeys(parseLenientJson(l))),
      logged_artifacts: (loggedBy.get(run.key) ?? []).map(version),
      used_artifacts: (usesOf.get(run.key) ?? []).map((e) => version(byId.get(e.artifact)!)),
      exit_code: run.exitCode,
      state: run.exitCode === null ? 'running' : run.exitCode === 0 ? 'finished' : 'failed',
    };
  });

  const artifacts: LogArtifact[] = committed.map((art) => {
    const coll = state.collections[`${art.entity}/${art.project}/${art.collection}`];
    const aliases = Object.entries(coll?.aliases ?? {})
      .filter(([, id]) => id === art.id)
      .map(([alias]) => alias);
    aliases.push(`v${art.versionIndex}`);
    const contents = art.manifest?.contents ?? {};
    return {
      name: art.collection,
      type: art.type,
      version: `v${art.versionIndex}`,
      digest: art.digest,
      aliases: [...new Set(aliases)].sort(byCodePoint),
      files: Object.keys(contents)
        .sort(byCodePoint)
        .map((path) => ({ path, size: contents[path]!.size, md5: contents[path]!.digest })),
      created_by: art.createdBy ? (refOf.get(art.createdBy) ?? null) : null,
      used_by: [...new Set((usersOf.get(art.id) ?? []).map((e) => refOf.get(e.run)!))].sort(
        (a, b) => Number(a.slice(4)) - Number(b.slice(4)),
      ),
    };
  });

  return { format: LOG_FORMAT, runs: logRuns, artifacts, unsupported: Object.keys(state.unsupported).sort(byCodePoint) };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** The log as snapshot bytes: sorted keys, two-space indent, trailing newline. */
export function serializeLog(log: LogModel): string {
  return `${canonicalJson(log)}\n`;
}
