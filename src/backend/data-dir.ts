// Durable state for `serve --data-dir DIR` (DESIGN §7). The choice, and why:
//
//   DIR/state.json   a snapshot {format, seq, state}, only ever replaced atomically (temp file, fsync, rename,
//                    fsync of the directory), so it is always a complete snapshot, old or new.
//   DIR/journal.log  an append-only journal of the requests that changed state since that snapshot, one per
//                    line as `<md5 hex of the JSON> <JSON>\n`, written and fsynced BEFORE the request is answered:
//                    a 2xx the client received implies the change is on disk.
//
// Recovery = snapshot + re-applying the journal through the same pure dispatch, which is deterministic given
// the state, the request, and the clock value and default entity recorded with each entry. A journal line cut
// short by a crash (no newline, or a checksum that does not match, with nothing valid after it) is a torn
// tail: that request was never acknowledged, so it is dropped with a warning and the file is trimmed. A bad
// line with valid lines after it is real corruption and stops the start-up with an error instead of silently
// losing acknowledged data. Entries carry a sequence number; those already in the snapshot (a crash between the
// snapshot's rename and the journal's truncation) are skipped, so nothing is applied twice.
//
//   DIR/blobs/       the blob store (blobs/disk.ts): file bytes by md5. A journal entry for a file upload holds
//                    only the reference {md5, size}; the blob is fsynced and renamed into place before its entry
//                    is written, so an entry never points at bytes that are not on disk.
//
// Only method, path (never the query string: upload URLs carry signatures), Content-Encoding and the body are
// written: never a header, so never an API key or an Authorization value.

import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { BackendError } from './errors.ts';
import { createState, type BackendState } from './state.ts';
import { DiskBlobStore } from './blobs/disk.ts';
import type { BlobRef, BlobStore } from './blobs/store.ts';

export const SNAPSHOT_FORMAT = 'tracked-flows/backend-state@1';
export const SNAPSHOT_FILE = 'state.json';
export const JOURNAL_FILE = 'journal.log';
export const DEFAULT_SNAPSHOT_EVERY = 500;
export const BLOBS_DIR = 'blobs';

/** One applied request, with what made its handling deterministic. */
export interface JournalEntry {
  seq: number;
  /** The clock value the request was handled with (ISO 8601). */
  at: string;
  /** The server's default entity at the time. */
  entity: string;
  method: string;
  /** Path, percent-encoded as received; no query string except a part PUT's `?partNumber=N&uploadId=U` (never a signature). */
  path: string;
  encoding: string | null;
  /** The request body, base64 ("" for a file upload, whose bytes are in the blob store). */
  body: string;
  /** A file upload: the blob it stored. */
  blob?: BlobRef;
}

export type NewJournalEntry = Omit<JournalEntry, 'seq'>;

/** Where a MockBackend keeps its state durable. DataDir is the file implementation. */
export interface DurableStore {
  /** The last snapshot and the journal entries after it, in order. May be called again to roll back. */
  load(): { state: BackendState; entries: JournalEntry[] };
  /** Appends one applied request; it is on disk (fsynced) when this returns. */
  append(entry: NewJournalEntry): void;
  /** True when enough entries piled up since the last snapshot. */
  readonly wantsSnapshot: boolean;
  /** Makes `state` the new snapshot, atomically, and empties the journal. */
  snapshot(state: BackendState): void;
  warn(message: string): void;
  close(): void;
  /** Where file bytes are kept beside the state, when the store has a place for them. */
  readonly blobs?: BlobStore;
}

export interface DataDirOptions {
  /** Where recovery notes go (a torn tail, a leftover temp file). Default: stderr. */
  warn?: (message: string) => void;
  /** Journal entries between snapshots. */
  snapshotEvery?: number;
}

const fail = (dir: string, reason: string, hint: string, cause?: unknown) =>
  new BackendError('DATA_DIR', `Failed to use data dir "${dir}": ${reason}. ${hint}`, { cause });

const md5hex = (text: string) => createHash('md5').update(text).digest('hex');

export class DataDir implements DurableStore {
  private fd: number | null = null;
  private seq = 0;
  private sinceSnapshot = 0;
  private readonly snapshotEvery: number;
  private readonly warnFn: (message: string) => void;
  private blobStore: DiskBlobStore | null = null;

  constructor(readonly dir: string, options: DataDirOptions = {}) {
    this.snapshotEvery = options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
    this.warnFn = options.warn ?? ((m) => process.stderr.write(`${m}\n`));
  }

  private get snapshotPath() { return join(this.dir, SNAPSHOT_FILE); }
  private get journalPath() { return join(this.dir, JOURNAL_FILE); }

  warn(message: string): void {
    this.warnFn(message);
  }

  /** DIR/blobs, created on first use; durable: a blob is fsynced and its directory entry too before it counts. */
  get blobs(): BlobStore {
    if (!this.blobStore) {
      try {
        this.blobStore = new DiskBlobStore(join(this.dir, BLOBS_DIR), { durable: true });
      } catch (err) {
        throw fail(this.dir, `cannot create ${BLOBS_DIR}/ (${(err as Error).message})`, 'Pick a writable directory.', err);
      }
    }
    return this.blobStore;
  }

  get wantsSnapshot(): boolean {
    return this.sinceSnapshot >= this.snapshotEvery;
  }

  load(): { state: BackendState; entries: JournalEntry[] } {
    try {
      mkdirSync(this.dir, { recursive: true });
    } catch (err) {
      throw fail(this.dir, `cannot create it (${(err as Error).message})`, 'Pick a writable directory.', err);
    }
    const tmp = `${this.snapshotPath}.tmp`;
    if (existsSync(tmp)) {
      // A snapshot that never got renamed: the previous snapshot and the journal still hold everything.
      this.warn(`Removed an unfinished snapshot ${tmp} (a crash while writing it); the previous snapshot and the journal are complete.`);
      rmSync(tmp, { force: true });
    }
    const { state, seq } = this.readSnapshot();
    const entries = this.readJournal(seq);
    this.seq = entries.at(-1)?.seq ?? seq;
    this.sinceSnapshot = entries.length;
    if (this.fd === null) this.fd = this.open(this.journalPath, 'a');
    return { state, entries };
  }

  append(entry: NewJournalEntry): void {
    if (this.fd === null) throw fail(this.dir, 'the journal is not open', 'Call load() first.');
    const json = JSON.stringify({ seq: this.seq + 1, ...entry });
    try {
      // One write per line, so a crash leaves at worst one torn line at the end.
      writeSync(this.fd, `${md5hex(json)} ${json}\n`);
      fsyncSync(this.fd);
    } catch (err) {
      throw fail(this.dir, `cannot append to the journal (${(err as Error).message})`, 'Check free space and permissions.', err);
    }
    this.seq += 1;
    this.sinceSnapshot += 1;
  }

  snapshot(state: BackendState): void {
    const tmp = `${this.snapshotPath}.tmp`;
    try {
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, JSON.stringify({ format: SNAPSHOT_FORMAT, seq: this.seq, state }));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.snapshotPath);
      this.syncDir();
      // The snapshot holds every entry up to `seq`: the journal starts over (entries <= seq would be skipped anyway).
      if (this.fd !== null) {
        ftruncateSync(this.fd, 0);
        fsyncSync(this.fd);
      }
    } catch (err) {
      throw fail(this.dir, `cannot write a snapshot (${(err as Error).message})`, 'Check free space and permissions.', err);
    }
    this.sinceSnapshot = 0;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }

  private open(path: string, flags: string): number {
    try {
      return openSync(path, flags, 0o600);
    } catch (err) {
      throw fail(this.dir, `cannot open ${path} (${(err as Error).message})`, 'Check permissions.', err);
    }
  }

  private syncDir(): void {
    const fd = openSync(this.dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  private readSnapshot(): { state: BackendState; seq: number } {
    if (!existsSync(this.snapshotPath)) return { state: createState(), seq: 0 };
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.snapshotPath, 'utf8'));
    } catch (err) {
      throw fail(this.dir, `${SNAPSHOT_FILE} is not readable JSON (${(err as Error).message})`, 'It is only ever replaced atomically, so something else changed it; restore it or start with an empty directory.', err);
    }
    const snap = parsed as { format?: unknown; seq?: unknown; state?: unknown } | null;
    if (!snap || snap.format !== SNAPSHOT_FORMAT || !Number.isSafeInteger(snap.seq) || !snap.state || typeof snap.state !== 'object') {
      throw fail(this.dir, `${SNAPSHOT_FILE} is not a ${SNAPSHOT_FORMAT} snapshot`, 'Start with an empty directory, or one written by this version.');
    }
    return { state: { ...createState(), ...(snap.state as BackendState) }, seq: snap.seq as number };
  }

  private readJournal(snapshotSeq: number): JournalEntry[] {
    if (!existsSync(this.journalPath)) return [];
    const buf = readFileSync(this.journalPath);
    const entries: JournalEntry[] = [];
    let last = snapshotSeq;
    let offset = 0;
    let lineNo = 0;
    while (offset < buf.length) {
      lineNo += 1;
      const nl = buf.indexOf(10, offset);
      const entry = nl < 0 ? null : decodeLine(buf.subarray(offset, nl).toString('utf8'));
      if (!entry) {
        if (nl >= 0 && hasValidLine(buf, nl + 1)) {
          throw fail(this.dir, `${JOURNAL_FILE} line ${lineNo} is damaged and valid entries follow it`, 'The journal was altered; restore it from a backup or start with an empty directory.');
        }
        this.trimTornTail(offset, buf.length - offset, nl < 0 ? 'an unfinished last line' : 'a damaged last line');
        break;
      }
      if (entry.seq > snapshotSeq) {
        if (entry.seq !== last + 1) {
          throw fail(this.dir, `${JOURNAL_FILE} line ${lineNo} has entry ${entry.seq} where ${last + 1} was expected`, 'The journal was altered; restore it or start with an empty directory.');
        }
        entries.push(entry);
        last = entry.seq;
      }
      offset = nl + 1;
    }
    return entries;
  }

  private trimTornTail(offset: number, bytes: number, what: string): void {
    this.warn(`Ignored a torn journal tail in ${this.journalPath}: ${bytes} bytes at offset ${offset}, ${what}. A crash cut that write short; its request was never acknowledged.`);
    const fd = this.open(this.journalPath, 'r+');
    try {
      ftruncateSync(fd, offset);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

function decodeLine(line: string): JournalEntry | null {
  const space = line.indexOf(' ');
  if (space !== 32) return null;
  const json = line.slice(33);
  if (md5hex(json) !== line.slice(0, 32)) return null;
  try {
    const e = JSON.parse(json) as JournalEntry;
    const ok = Number.isSafeInteger(e.seq) && typeof e.at === 'string' && typeof e.entity === 'string' && typeof e.method === 'string'
      && typeof e.path === 'string' && (e.encoding === null || typeof e.encoding === 'string') && typeof e.body === 'string'
      && (e.blob === undefined || (typeof e.blob?.md5 === 'string' && Number.isSafeInteger(e.blob.size)));
    return ok ? e : null;
  } catch {
    return null;
  }
}

function hasValidLine(buf: Buffer, from: number): boolean {
  let offset = from;
  while (offset < buf.length) {
    const nl = buf.indexOf(10, offset);
    if (nl < 0) return false;
    if (decodeLine(buf.subarray(offset, nl).toString('utf8'))) return true;
    offset = nl + 1;
  }
  return false;
}
