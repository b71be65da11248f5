// An upload into a staging file of the disk store. Chunks off the socket (~64 KiB) are copied into 1 MiB batches
// of shared memory; a full batch is written at its offset and hashed by the md5 worker (hasher.ts) at the same
// time, while the next batches fill. A batch is reused once both are done, so an upload holds at most
// SLOTS MiB whatever its size, and the socket is paused (the caller awaits write()) only when all are busy.
// An upload that ends before its first MiB (a manifest, a small file) is hashed and written in place, with no
// batch allocated: handing it to the worker would cost more than it saves.

import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { BlobStoreError } from './errors.ts';
import { OffThreadMd5 } from './hasher.ts';
import { WRITE_CHUNK_BYTES, type BlobWriter, type StagedBlob } from './store.ts';

const SLOTS = 4;

interface Slot { view: Uint8Array; busy: Promise<void> | null }

export function stagingWriter(tmp: string, durable: boolean, staged: (md5: string, size: number) => StagedBlob): BlobWriter {
  let handle: Promise<FileHandle> | null = null;
  const slots: Slot[] = [];
  let current = 0;
  let fill = 0;
  let position = 0;
  let size = 0;
  let done = false;
  let failure: unknown = null;
  let hasher: OffThreadMd5 | null = null;
  // Until the first MiB is in, chunks are only kept (they are fresh per read): most uploads end there.
  let small: Uint8Array[] | null = [];
  let aborted = false;
  // After abort() no write may open the file again: a write still queued then would re-create it after its removal.
  const file = () => (aborted ? Promise.reject(new BlobStoreError('the upload was aborted')) : (handle ??= open(tmp, 'wx', 0o600)));

  // One write in flight at a time, in order, as a plain sequential writer does: parallel writes to one file
  // gained nothing when the page cache absorbs them and competed for the 2 cores when the kernel throttles.
  let lastWrite: Promise<unknown> = Promise.resolve();
  const writeAt = (view: Uint8Array, length: number, at: number): Promise<void> => {
    const next = lastWrite.then(async () => {
      const fh = await file();
      for (let off = 0; off < length;) off += (await fh.write(view, off, length - off, at + off)).bytesWritten;
    });
    lastWrite = next.catch(() => {});
    return next;
  };
  /** The slot to fill next, once its previous batch is hashed and written. */
  const acquire = async (i: number): Promise<Slot> => {
    let slot = slots[i];
    if (!slot) slots[i] = slot = { view: new Uint8Array(new SharedArrayBuffer(WRITE_CHUNK_BYTES)), busy: null };
    if (slot.busy) {
      const busy = slot.busy;
      slot.busy = null;
      await busy;
    }
    return slot;
  };
  const dispatch = (slot: Slot, length: number) => {
    hasher ??= new OffThreadMd5();
    const at = position;
    position += length;
    slot.busy = Promise.all([hasher.update(slot.view.buffer as SharedArrayBuffer, 0, length), writeAt(slot.view, length, at)]).then(
      () => undefined,
      (err: unknown) => {
        failure ??= err;
        throw err;
      },
    );
    // Awaited by the next acquire() of this slot or by finish(); marked handled so a failure in between is not unhandled.
    slot.busy.catch(() => {});
  };
  const fail = (err: unknown): BlobStoreError =>
    err instanceof BlobStoreError ? err : new BlobStoreError(`cannot write an upload (${(err as Error).message})`, { cause: err });

  const copyIn = async (chunk: Uint8Array) => {
    for (let at = 0; at < chunk.byteLength;) {
      const slot = await acquire(current);
      const n = Math.min(WRITE_CHUNK_BYTES - fill, chunk.byteLength - at);
      slot.view.set(chunk.subarray(at, at + n), fill);
      fill += n;
      at += n;
      size += n;
      if (fill < WRITE_CHUNK_BYTES) continue;
      dispatch(slot, fill);
      current = (current + 1) % SLOTS;
      fill = 0;
    }
  };

  return {
    write: async (chunk) => {
      if (done) throw new BlobStoreError('the upload was already finished or aborted');
      if (failure) throw fail(failure);
      if (small && size + chunk.byteLength < WRITE_CHUNK_BYTES) {
        small.push(chunk);
        size += chunk.byteLength;
        return;
      }
      if (small) {
        const kept = small;
        small = null;
        size = 0;
        for (const c of kept) await copyIn(c);
      }
      await copyIn(chunk);
    },
    finish: async () => {
      if (done) throw new BlobStoreError('the upload was already finished or aborted');
      done = true;
      let md5: string;
      try {
        if (small) {
          const whole = Buffer.concat(small, size);
          md5 = createHash('md5').update(whole).digest('base64');
          await writeAt(whole, size, 0);
        } else {
          if (fill > 0) dispatch(slots[current]!, fill);
          for (const slot of slots) await slot.busy;
          md5 = await hasher!.digest();
        }
        const fh = await file();
        if (durable) await fh.sync();
        await fh.close();
      } catch (err) {
        hasher?.drop();
        await handle?.then((fh) => fh.close()).catch(() => {});
        rmSync(tmp, { force: true });
        throw fail(err);
      }
      return staged(md5, size);
    },
    abort: () => {
      done = true;
      aborted = true;
      hasher?.drop();
      const h = handle;
      handle = null;
      // The write in flight finishes first (the chain never rejects; queued ones now fail without opening the
      // file), then the file is closed and goes. Not the batches' promises: they settle as soon as the dropped
      // hash gives up, while their write may still be running.
      void lastWrite
        .then(() => h?.then((fh) => fh.close()))
        .catch(() => {})
        .finally(() => rmSync(tmp, { force: true }));
    },
  };
}

