// Derived lookups over the state, so a request costs the same with 10 runs or 10,000. They live beside the
// state, not in it (the state stays plain, persisted data): each is rebuilt from the state when it misses,
// which also covers a state restored from disk or replaced by a reset.

import type { BackendState } from './state.ts';

interface Indexes { projects: Set<string>; storage: Map<string, string>; usage: Set<string> }

const cache = new WeakMap<BackendState, Indexes>();

function indexesOf(state: BackendState): Indexes {
  let ix = cache.get(state);
  if (!ix) cache.set(state, (ix = rebuild(state)));
  return ix;
}

function rebuild(state: BackendState): Indexes {
  const projects = new Set<string>();
  const storage = new Map<string, string>();
  for (const run of Object.values(state.runs)) {
    projects.add(`${run.entity}/${run.project}`);
    storage.set(run.storageId, run.key);
  }
  for (const c of Object.values(state.collections)) projects.add(`${c.entity}/${c.project}`);
  return { projects, storage, usage: new Set(state.usage.map((e) => usageKey(e.run, e.artifact))) };
}

const usageKey = (run: string, artifact: string) => `${run}\n${artifact}`;

/** Whether any run or artifact collection lives in entity/project. */
export function projectExists(state: BackendState, entity: string, project: string): boolean {
  const key = `${entity}/${project}`;
  if (indexesOf(state).projects.has(key)) return true;
  cache.set(state, rebuild(state)); // a miss may be a project created since: look again, once
  return indexesOf(state).projects.has(key);
}

/** The run key of a storage id (UpsertBucket's `id`), or undefined. */
export function runKeyOfStorageId(state: BackendState, storageId: string): string | undefined {
  const hit = indexesOf(state).storage.get(storageId);
  if (hit !== undefined && state.runs[hit]?.storageId === storageId) return hit;
  cache.set(state, rebuild(state));
  return indexesOf(state).storage.get(storageId);
}

/** Adds the usage edge run <- artifact unless it is there already; true when added. */
export function addUsage(state: BackendState, run: string, artifact: string): boolean {
  const ix = indexesOf(state);
  const key = usageKey(run, artifact);
  if (ix.usage.size !== state.usage.length) cache.set(state, rebuild(state));
  if (indexesOf(state).usage.has(key)) return false;
  state.usage.push({ run, artifact });
  indexesOf(state).usage.add(key);
  return true;
}
