import type { BackendState } from '../state.ts';

/** Every md5 the state refers to: what the blob store must keep. */
export function referencedBlobs(state: BackendState): Set<string> {
  return new Set(Object.keys(state.blobs));
}
