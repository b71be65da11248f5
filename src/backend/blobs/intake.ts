// A request body into the store: read chunk by chunk (never whole), md5 on the fly, the size limit enforced as
// the bytes arrive. What comes out is a staged blob the caller checks and then commits or discards.

import { BackendError } from '../errors.ts';
import type { BlobStore, StagedBlob } from './store.ts';

export class TooLarge extends BackendError {
  constructor(readonly size: number, readonly limit: number, flag: string) {
    super('TOO_LARGE', `Failed to accept request: the body has at least ${size} bytes, over the limit of ${limit}. Split the upload or raise ${flag}.`);
  }
}

/** Streams `body` into the store. Throws TooLarge past `limit` (nothing kept), or the read/write error. */
export async function receive(store: BlobStore, body: ReadableStream<Uint8Array> | null, limit: number, flag: string): Promise<StagedBlob> {
  const writer = store.begin();
  let size = 0;
  const reader = body?.getReader();
  try {
    for (;;) {
      const next = await reader?.read();
      if (!next || next.done) break;
      size += next.value.byteLength;
      if (size > limit) throw new TooLarge(size, limit, flag);
      await writer.write(next.value);
    }
    return await writer.finish();
  } catch (err) {
    writer.abort();
    // Stop pulling; whoever owns the connection decides what happens to the rest of the body.
    void reader?.cancel().catch(() => {});
    throw err;
  }
}
