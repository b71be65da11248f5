// The in-process runner's blob store: bytes in a Map. Same two-phase contract as the disk store, so a
// scenario sees the same answers (a mismatch refused, nothing half-visible) on every transport.

import { createHash } from 'node:crypto';
import { BlobStoreError } from './errors.ts';
import { READ_CHUNK_BYTES, type BlobRef, type BlobStore, type BlobWriter, type StagedBlob } from './store.ts';

export class MemoryBlobStore implements BlobStore {
  readonly kind = 'memory' as const;
  private readonly blobs = new Map<string, Buffer>();

  begin(): BlobWriter {
    const chunks: Buffer[] = [];
    const hash = createHash('md5');
    let size = 0;
    let open = true;
    return {
      write: async (chunk) => {
        if (!open) throw new BlobStoreError('the upload was already finished or aborted');
        hash.update(chunk);
        chunks.push(Buffer.from(chunk));
        size += chunk.byteLength;
      },
      finish: async () => {
        open = false;
        return this.stage(Buffer.concat(chunks, size), hash.digest('base64'));
      },
      abort: () => {
        open = false;
        chunks.length = 0;
      },
    };
  }

  putBytes(bytes: Uint8Array): BlobRef {
    const staged = this.stage(Buffer.from(bytes), createHash('md5').update(bytes).digest('base64'));
    staged.commit();
    return { md5: staged.md5, size: staged.size };
  }

  has(md5: string): boolean {
    return this.blobs.has(md5);
  }

  size(md5: string): number | undefined {
    return this.blobs.get(md5)?.length;
  }

  open(md5: string, start: number, end: number): ReadableStream<Uint8Array> {
    const bytes = this.blobs.get(md5);
    if (!bytes) throw new BlobStoreError(`blob ${md5} is not stored`);
    let at = start;
    return new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at > end) return controller.close();
        const next = Math.min(end + 1, at + READ_CHUNK_BYTES);
        controller.enqueue(bytes.subarray(at, next));
        at = next;
      },
    });
  }

  remove(md5: string): void {
    this.blobs.delete(md5);
  }

  sweep(keep: ReadonlySet<string>): string[] {
    // Staged bytes live in their writers' closures, not here: nothing to sweep for them.
    const removed = [...this.blobs.keys()].filter((md5) => !keep.has(md5));
    for (const md5 of removed) this.blobs.delete(md5);
    return removed;
  }

  close(): void {
    this.blobs.clear();
  }

  private stage(bytes: Buffer, md5: string): StagedBlob {
    let pending: Buffer | null = bytes;
    return {
      md5,
      size: bytes.length,
      commit: () => {
        if (pending && !this.blobs.has(md5)) this.blobs.set(md5, pending);
        pending = null;
      },
      discard: () => {
        pending = null;
      },
    };
  }
}
