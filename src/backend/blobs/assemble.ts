import type { BlobRef, BlobStore, StagedBlob } from './store.ts';

/** Streams stored blobs, in order, into one new staged blob (md5 of the whole computed as it goes). */
export async function assemble(store: BlobStore, parts: readonly BlobRef[]): Promise<StagedBlob> {
  const writer = store.begin();
  try {
    for (const part of parts) {
      if (part.size === 0) continue;
      const reader = store.open(part.md5, 0, part.size - 1).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        await writer.write(value);
      }
    }
    return await writer.finish();
  } catch (err) {
    writer.abort();
    throw err;
  }
}
