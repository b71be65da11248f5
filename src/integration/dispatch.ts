// What `wandb_track` and `wandb_use` do with one value (reference §3.1, §3.3), through our W&B client. Every
// exception the Python calls raise is reproduced as a flow.PythonError with the same type and message, so the
// task fails exactly as the Metaflow task would.

import { PythonError as FlowPythonError } from '../flow/index.ts';
import {
  PythonError as ValuesPythonError, artifactFiles, classifyTrack, classifyUse, describeTrack, toWandbJson,
  type Flags, type Profile, type PyValue, type TrackLabel, type WandbJson,
} from '../values/index.ts';
import { float, isWandbError, type Run, type WireValue } from '../wandb/index.ts';
import type { LoggedVersion } from './lineage.ts';

/** A value as it goes to `run.log`: ints stay ints, floats stay floats (1.0 is written `1.0`). */
function toWire(j: WandbJson): WireValue {
  if (j === null || typeof j === 'boolean' || typeof j === 'string') return j;
  if (Array.isArray(j)) return j.map(toWire);
  if ('int' in j) return j.int >= BigInt(Number.MIN_SAFE_INTEGER) && j.int <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(j.int) : j.int;
  if ('float' in j) return float(j.float);
  const out: Record<string, WireValue> = {};
  for (const [k, v] of (j as { object: readonly (readonly [string, WandbJson])[] }).object) out[k] = toWire(v);
  return out as WireValue;
}

/** A JS value for the run's config (parameters): same conversion. */
export function configValue(value: unknown): WireValue {
  return isPy(value) ? toWire(toWandbJson(value)) : (value as WireValue);
}

const isPy = (v: unknown): v is PyValue => typeof v === 'object' && v !== null && 'kind' in v && 'type' in v;

/** Re-raise what the Python code would raise, as the flow runtime's Python exception. */
export function asPython(err: unknown): unknown {
  if (err instanceof FlowPythonError) return err;
  if (err instanceof ValuesPythonError) return new FlowPythonError(err.pythonType, err.message, 'USER_EXCEPTION', { cause: err });
  if (isWandbError(err) && err.python) return new FlowPythonError(err.python.type, err.python.message, 'USER_EXCEPTION', { cause: err });
  return err;
}

export interface TrackOutcome { label: TrackLabel; artifact: LoggedVersion | null; logged: 'history' | 'artifact' | 'nothing' }

export async function track(run: Run, name: string, value: unknown, flags: Flags, profile: Profile): Promise<TrackOutcome> {
  if (!isPy(value)) return { label: null, artifact: null, logged: 'nothing' };
  const label = classifyTrack(value, flags, { profile });
  if (label === null) return { label, artifact: null, logged: 'nothing' };
  if (label === 'scalar') {
    // One run.log per variable: one history row each (reference §3.1 row 5).
    await run.log({ [name]: toWire(toWandbJson(value)) });
    return { label, artifact: null, logged: 'history' };
  }
  const { artifactType } = describeTrack(label);
  // Bytes that are not the real run's (an unknown value's placeholder, an estimator's unmodelled fitted state) are
  // said in the manifest, so the log shows them as not predicted rather than as an md5 nobody will see.
  const files = (await artifactFiles(label, name, value, run.id)).map((f) => {
    const unknown = f.unknown ?? (f.notPredicted ? `bytes not predicted: ${f.notPredicted.join('; ')}` : undefined);
    return { path: f.name, bytes: f.data, ...(unknown !== undefined ? { unknown } : {}) };
  });
  const logged = await run.logArtifact({ name, type: artifactType!, files });
  const predicted = files.every((f) => !('unknown' in f));
  const artifact = logged.id ? { id: logged.id, name, type: artifactType!, digest: predicted ? logged.digest : null } : null;
  return { label, artifact, logged: 'artifact' };
}

export type UseOutcome =
  | { kind: 'none' }
  /** Pinned lineage, but no logged version holds the value read: there is nothing exact to use. */
  | { kind: 'unpinned'; requested: string }
  | { kind: 'used'; requested: string; resolved: string | null; resolvedId: string | null }
  | { kind: 'missing'; requested: string; warning: string };

/** `wandb_use`: scalars never; typed values by their flag; a missing artifact only warns (CommError). */
export async function use(run: Run, name: string, value: unknown, flags: Flags, profile: Profile, pinned: LoggedVersion | null, mode: 'latest' | 'pinned'): Promise<UseOutcome> {
  if (!isPy(value) || classifyUse(value, flags, { profile }) === null) return { kind: 'none' };
  if (mode === 'pinned' && !pinned) return { kind: 'unpinned', requested: `${name} (no logged version)` };
  const requested = mode === 'pinned' && pinned ? `${name}@${pinned.id}` : `${name}:latest`;
  try {
    if (mode === 'pinned' && pinned) {
      await run.useArtifactById(pinned.id);
      return { kind: 'used', requested, resolved: null, resolvedId: pinned.id };
    }
    const used = await run.useArtifact(`${name}:latest`);
    return { kind: 'used', requested, resolved: used.name, resolvedId: used.id };
  } catch (err) {
    if (isWandbError(err, 'WANDB_ARTIFACT_NOT_FOUND')) {
      const type = `<class '${value.type.module ? `${value.type.module}.` : ''}${value.type.name}'>`;
      return {
        kind: 'missing', requested,
        warning: `This artifact (${name}, ${type}) does not exist in the wandb datastore! If you created an instance inline (e.g. sklearn.ensemble.RandomForestClassifier), then you can safely ignore this. Otherwise you may want to check your internet connection!`,
      };
    }
    throw err;
  }
}
