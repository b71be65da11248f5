// What was logged, per run and per artifact version, read from the backend's state. One derivation, two
// readers: the log model (log-model.ts, the format of snapshots) and the Public API's answers (graphql/
// resolvers/public-*.ts) both call these, so what `wandb.Api()` sees and what `/_harness/log` says cannot drift.

import { EVENTS_FILE, HISTORY_FILE, SUMMARY_FILE, SYSTEM_KEYS, UNKNOWN_BYTES_EXTRA } from '../protocol/index.ts';
import { byCodePoint, copyFloatNote, parseLenientJson } from './json.ts';
import { own } from './own.ts';
import type { ArtifactRecord, BackendState, CollectionRecord, RunRecord } from './state.ts';

const DROPPED = new Set<string>(SYSTEM_KEYS);

/** The keys a user logged: `_step`, `_runtime`, `_timestamp` and `_wandb` dropped (float notes kept). */
export function userKeys(obj: unknown): Record<string, unknown> {
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

/** A run's stream file as received: its lines in offset order. */
export function streamLines(run: RunRecord, file: string): string[] {
  const byOffset = run.streams[file] ?? {};
  return Object.keys(byOffset)
    .map(Number)
    .sort((a, b) => a - b)
    .map((o) => byOffset[String(o)]!);
}

/** History rows as the client sent them (JSON text, system keys included), in order. */
export const historyLines = (run: RunRecord): string[] => streamLines(run, HISTORY_FILE);

/** The latest summary as the client sent it (JSON text), or null before any. */
export function summaryLine(run: RunRecord): string | null {
  const lines = streamLines(run, SUMMARY_FILE);
  return lines.length === 0 ? null : lines[lines.length - 1]!;
}

/** The latest system-metrics sample (wandb-events.jsonl), or null. */
export function eventsLine(run: RunRecord): string | null {
  const lines = streamLines(run, EVENTS_FILE);
  return lines.length === 0 ? null : lines[lines.length - 1]!;
}

export function summaryOf(run: RunRecord): Record<string, unknown> {
  const line = summaryLine(run);
  return line === null ? {} : loggedKeysOf(line);
}

export const historyOf = (run: RunRecord): Record<string, unknown>[] => historyLines(run).map(loggedKeysOf);

/**
 * A config as W&B keeps it (JSON text) -> what was logged: `{"k": {"value": v}}` (wandb-core) or
 * `{"k": {"desc": d, "value": v}}` (legacy) -> `{"k": v}`; `_wandb` dropped. Readers of the Public API's
 * `Run.config` (serve's live page) call this too.
 */
export function configFromJson(json: string | null): Record<string, unknown> {
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

export const configOf = (run: RunRecord): Record<string, unknown> => configFromJson(run.configJson);

/** A summary or history row as W&B keeps it (JSON text) -> the keys a user logged. */
export const loggedKeysOf = (json: string): Record<string, unknown> => userKeys(parseLenientJson(json));

export type RunState = 'running' | 'finished' | 'failed';

export const runState = (run: RunRecord): RunState => (run.exitCode === null ? 'running' : run.exitCode === 0 ? 'finished' : 'failed');

/** Runs in creation order (what `ref` numbers). */
export const runsInOrder = (state: BackendState): RunRecord[] => Object.values(state.runs).sort((a, b) => a.seq - b.seq);

/** Committed versions, by collection name then version. */
export function committedArtifacts(state: BackendState): ArtifactRecord[] {
  return Object.values(state.artifacts)
    .filter((a) => a.state === 'COMMITTED')
    .sort((a, b) => byCodePoint(a.collection, b.collection) || a.versionIndex! - b.versionIndex!);
}

export const versionName = (art: ArtifactRecord): string => `${art.collection}:v${art.versionIndex}`;

export function collectionOfArtifact(state: BackendState, art: ArtifactRecord): CollectionRecord | undefined {
  return own(state.collections, `${art.entity}/${art.project}/${art.collection}`);
}

/** The version's aliases, `vN` included, sorted. */
export function aliasesOf(state: BackendState, art: ArtifactRecord): string[] {
  const coll = collectionOfArtifact(state, art);
  const aliases = Object.entries(coll?.aliases ?? {})
    .filter(([, id]) => id === art.id)
    .map(([alias]) => alias);
  if (art.versionIndex !== null) aliases.push(`v${art.versionIndex}`);
  return [...new Set(aliases)].sort(byCodePoint);
}

/**
 * A file of a version. `unknown` (size and md5 null) when the client said its bytes stand for a value it could not
 * know (a plan of a flow.py: UNKNOWN_BYTES_EXTRA), so that no placeholder's md5 is ever shown as a prediction.
 */
export type ArtifactFileFact =
  | { path: string; size: number; md5: string }
  | { path: string; size: null; md5: null; unknown: string };

/** The manifest's entries, by path. */
export function artifactFilesOf(art: ArtifactRecord): ArtifactFileFact[] {
  const contents = art.manifest?.contents ?? {};
  return Object.keys(contents)
    .sort(byCodePoint)
    .map((path) => {
      const entry = contents[path]!;
      const unknown = entry.extra?.[UNKNOWN_BYTES_EXTRA];
      if (typeof unknown === 'string') return { path, size: null, md5: null, unknown };
      return { path, size: entry.size, md5: entry.digest };
    });
}

/** Lineage, grouped once so readers stay linear: versions each run logged (creation order), uses per run and per version. */
export interface Lineage {
  logged: Map<string, ArtifactRecord[]>;
  /** run key -> committed versions it used, in the order of use. */
  used: Map<string, ArtifactRecord[]>;
  /** artifact id -> run keys that used it, in the order of use, without repeats. */
  users: Map<string, string[]>;
}

export function lineageOf(state: BackendState): Lineage {
  const logged = groupBy(
    Object.values(state.artifacts)
      .filter((a) => a.state === 'COMMITTED' && a.createdBy !== null)
      .sort((a, b) => a.seq - b.seq),
    (a) => a.createdBy!,
  );
  const used = new Map<string, ArtifactRecord[]>();
  const users = new Map<string, string[]>();
  for (const e of state.usage) {
    const art = own(state.artifacts, e.artifact);
    if (!art || art.state !== 'COMMITTED') continue;
    const list = used.get(e.run);
    if (list) list.push(art);
    else used.set(e.run, [art]);
    const runs = users.get(e.artifact);
    if (!runs) users.set(e.artifact, [e.run]);
    else if (!runs.includes(e.run)) runs.push(e.run);
  }
  return { logged, used, users };
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
