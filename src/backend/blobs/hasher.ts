// md5 off the main thread for big uploads. On the main thread md5 (~600 MiB/s on one core) was most of what a
// storage PUT cost, and while it ran the socket was not read and the disk not written. One worker per process
// (started at the first big upload, unref'd so it never keeps the process alive) keeps a hash per upload and is
// fed 1 MiB batches in order; the batches are shared memory, so nothing is copied to hand them over, and a batch
// is reused only once it is both hashed and written. Small uploads never come here (disk.ts hashes them in place).

import { Worker } from 'node:worker_threads';
import { BlobStoreError } from './errors.ts';

// Plain CommonJS evaluated in the worker: no file to locate, the same from the sources and from the bundle.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'update') {
    let h = hashes.get(m.id);
    if (!h) hashes.set(m.id, (h = createHash('md5')));
    h.update(new Uint8Array(m.buffer, m.offset, m.length));
    parentPort.postMessage({ id: m.id, op: 'hashed', seq: m.seq });
  } else if (m.op === 'digest') {
    const h = hashes.get(m.id) || createHash('md5');
    hashes.delete(m.id);
    parentPort.postMessage({ id: m.id, op: 'digest', md5: h.digest('base64') });
  } else if (m.op === 'drop') {
    hashes.delete(m.id);
  }
});
`;

type Reply = { id: number; op: 'hashed'; seq: number } | { id: number; op: 'digest'; md5: string };

interface Session { onHashed(seq: number): void; onDigest(md5: string): void; onError(err: Error): void }

let worker: Worker | null = null;
let nextId = 0;
const sessions = new Map<number, Session>();
// Replies still owed: the worker holds the process alive only while someone waits for it.
let owed = 0;

function post(to: Worker, message: object): void {
  if (owed++ === 0) to.ref();
  to.postMessage(message);
}

function settle(): void {
  if (--owed === 0) worker?.unref();
}

function shared(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_SOURCE, { eval: true });
  w.on('message', (m: Reply) => {
    settle();
    const s = sessions.get(m.id);
    if (!s) return;
    if (m.op === 'hashed') s.onHashed(m.seq);
    else {
      sessions.delete(m.id);
      s.onDigest(m.md5);
    }
  });
  const fail = (err: Error) => {
    if (worker !== w) return;
    worker = null;
    owed = 0;
    const error = new BlobStoreError(`the md5 worker stopped (${err.message})`, { cause: err });
    for (const s of sessions.values()) s.onError(error);
    sessions.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  // After the listeners: adding a 'message' listener refs the worker again.
  w.unref();
  worker = w;
  return w;
}

/** One upload's md5, computed in the worker from batches of a SharedArrayBuffer, in the order they are given. */
export class OffThreadMd5 {
  private readonly id = ++nextId;
  private readonly worker = shared();
  private seq = 0;
  private readonly waiting = new Map<number, () => void>();
  private failure: Error | null = null;
  private digested: ((md5: string) => void) | null = null;
  private digestFailed: ((err: Error) => void) | null = null;

  constructor() {
    sessions.set(this.id, {
      onHashed: (seq) => {
        const done = this.waiting.get(seq);
        this.waiting.delete(seq);
        done?.();
      },
      onDigest: (md5) => this.digested?.(md5),
      onError: (err) => {
        this.failure = err;
        for (const done of this.waiting.values()) done();
        this.waiting.clear();
        this.digestFailed?.(err);
      },
    });
  }

  /** Hashes `length` bytes of `buffer` at `offset`; resolves once they are hashed (the bytes may then change). */
  update(buffer: SharedArrayBuffer, offset: number, length: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = ++this.seq;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(seq, () => (this.failure ? reject(this.failure) : resolve()));
      post(this.worker, { id: this.id, op: 'update', seq, buffer, offset, length });
    });
  }

  /** The base64 md5 of everything given, once every batch is hashed. */
  digest(): Promise<string> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<string>((resolve, reject) => {
      this.digested = resolve;
      this.digestFailed = reject;
      post(this.worker, { id: this.id, op: 'digest' });
    });
  }

  /** Forgets this upload's hash (an aborted upload). */
  drop(): void {
    if (!sessions.delete(this.id)) return;
    this.worker.postMessage({ id: this.id, op: 'drop' });
    // Batches still in the worker will not be answered: whoever waits for them is let go.
    this.failure = new BlobStoreError('the upload was aborted');
    for (const done of this.waiting.values()) done();
    this.waiting.clear();
  }
}
