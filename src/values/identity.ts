/**
 * Content identity of a value, as Metaflow's datastore computes it: the sha1 of `pickle.dumps(v, protocol=4)`
 * (artifacts are content-addressed by that hash). `merge_artifacts` reports a conflict when two branches hold
 * different hashes for a name, so equal builtin values give equal ids and e.g. `1` and `1.0` do not.
 * An unpicklable value throws the pickling error, as Metaflow fails the task ("Cannot pickle artifact").
 */
import { createHash } from 'node:crypto';
import type { PyValue } from './model.ts';
import { pickleDumps } from './pickle/pickler.ts';

export function contentId(v: PyValue): string {
  return createHash('sha1').update(pickleDumps(v)).digest('hex');
}

export function sameContent(a: PyValue, b: PyValue): boolean {
  return contentId(a) === contentId(b);
}
