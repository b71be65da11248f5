// Snapshots of scenario results with vitest's update modes: `none` (CI: a missing or different snapshot fails),
// `new` (local default: missing ones are written, different ones fail), `all` (`-u`: everything is written).
// A file whose content would not change is never rewritten.

import { createTwoFilesPatch } from 'diff';
import { canonicalJson } from '../../src/index.ts';
import type { ScenarioResult } from '../runner/index.ts';
import type { SnapshotStatus } from '../report/types.ts';
import type { SnapshotStore } from './store.ts';

export type UpdateMode = 'none' | 'new' | 'all';

/** `none` when CI is set (vitest's rule), `new` otherwise. */
export function defaultUpdateMode(env: Record<string, string | undefined> = process.env): UpdateMode {
  return env.CI && env.CI !== 'false' && env.CI !== '0' ? 'none' : 'new';
}

/**
 * What a snapshot holds: the flow's outcome, its tasks, the log model and the diagnostics — everything but
 * timings. Sorted keys, two-space indent, trailing newline: the same scenario gives the same bytes.
 */
export function snapshotText(result: ScenarioResult): string {
  const { scenario, flow_status, tasks, log, diagnostics } = result;
  return `${canonicalJson({ format: 'tracked-flows/snapshot@1', scenario, flow_status, tasks, log, diagnostics })}\n`;
}

export interface SnapshotOutcome { key: string; path: string; status: SnapshotStatus; diff: string | null; passed: boolean }

export function checkSnapshot(store: SnapshotStore, key: string, result: ScenarioResult, mode: UpdateMode): SnapshotOutcome {
  const actual = snapshotText(result);
  const stored = store.read(key);
  const path = store.where(key);
  if (stored === actual) return { key, path, status: 'unchanged', diff: null, passed: true };
  if (stored === null) {
    if (mode === 'none') return { key, path, status: 'missing', diff: null, passed: false };
    store.write(key, actual);
    return { key, path, status: 'new', diff: null, passed: true };
  }
  const diff = createTwoFilesPatch(`${path} (snapshot)`, `${path} (this run)`, stored, actual, undefined, undefined, { context: 3 });
  if (mode === 'all') {
    store.write(key, actual);
    return { key, path, status: 'updated', diff, passed: true };
  }
  return { key, path, status: 'mismatch', diff, passed: false };
}

/** Stored snapshots that no scenario produced in this run (only meaningful for an unfiltered run). */
export function obsoleteSnapshots(store: SnapshotStore, seen: Iterable<string>): string[] {
  const keep = new Set(seen);
  return store.keys().filter((k) => !keep.has(k));
}
