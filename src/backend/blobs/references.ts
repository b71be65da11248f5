import type { BackendState } from '../state.ts';

/** Every md5 the state refers to — stored files and the parts of multipart uploads in progress: what the blob
 *  store must keep. */
export function referencedBlobs(state: BackendState): Set<string> {
  const keep = new Set(Object.keys(state.blobs));
  for (const upload of Object.values(state.multipart ?? {})) for (const part of Object.values(upload.received)) keep.add(part.md5);
  return keep;
}
