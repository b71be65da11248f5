// The blob store (DESIGN §3.5): file bytes, content-addressed by md5, kept OUT of the state. The state and the
// journal hold only references ({md5, size}); the bytes live here, on disk (disk.ts) or in memory (memory.ts).
//
// Writing is two-phase so a request is never half-visible: bytes stream into a staging area while their md5 is
// computed (begin -> write* -> finish), and only when the caller has checked that md5 against what was announced
// does commit() put the blob in place (for the disk store: fsync, atomic rename, fsync of the directory). A
// staged blob that is not committed is discarded; one left behind by a crash is swept at the next start.

/** A reference to stored bytes: base64 md5 (as W&B writes digests) and size in bytes. */
export interface BlobRef { md5: string; size: number }

/** Bytes written and hashed, not yet visible under their md5. */
export interface StagedBlob extends BlobRef {
  /** Makes the blob visible (and durable, for a durable store) under its md5. Synchronous: callers run it
   *  inside the synchronous apply-and-journal step. Idempotent; a blob already stored is kept as it is. */
  commit(): void;
  /** Forgets the staged bytes (a refused or failed upload). Idempotent; a no-op after commit. */
  discard(): void;
}

/** An upload in progress: chunks in, md5 computed on the fly. */
export interface BlobWriter {
  write(chunk: Uint8Array): Promise<void>;
  finish(): Promise<StagedBlob>;
  /** Stops and removes what was written (the client went away, the body was over the limit). */
  abort(): void;
}

export interface BlobStore {
  /** 'disk' stores keep bytes in files; 'memory' in the process (the in-process runner). */
  readonly kind: 'disk' | 'memory';
  begin(): BlobWriter;
  /** Stores bytes already in memory (a small body, or a legacy journal entry), committed at once. */
  putBytes(bytes: Uint8Array): BlobRef;
  has(md5: string): boolean;
  /** Size in bytes of a stored blob, or undefined when it is not stored. */
  size(md5: string): number | undefined;
  /** The bytes [start, end] (inclusive) of a stored blob as a stream, read lazily, a chunk at a time. */
  open(md5: string, start: number, end: number): ReadableStream<Uint8Array>;
  /** Removes one stored blob (the parts of a completed multipart upload); nothing if it is not stored. */
  remove(md5: string): void;
  /** Removes every blob whose md5 is not in `keep`, and (unless `staging: false`) every staged leftover: call it
   *  with staging only when no upload is in flight (at start). Returns what it removed. */
  sweep(keep: ReadonlySet<string>, options?: { staging?: boolean }): string[];
  /** Releases the store; a store that owns a temporary folder removes it. */
  close(): void;
}

/** How far a streamed body is read before writing it out: big writes, few system calls, bounded memory. */
export const WRITE_CHUNK_BYTES = 1 << 20;
export const READ_CHUNK_BYTES = 1 << 20;

/** File names for md5s: hex, which is safe in a path, unlike base64's "/". */
export function md5Hex(md5: string): string {
  return Buffer.from(md5, 'base64').toString('hex');
}

