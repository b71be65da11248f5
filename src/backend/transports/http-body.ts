// Request and response bodies on a node:http connection, without holding them whole when they are big:
//   readBody     a small body (GraphQL, file_stream, manifest), buffered up to a limit;
//   bodyStream   a file upload, handed on as a web stream with backpressure (the socket pauses while the blob
//                store writes);
//   sendBody     a download, written as it is read, pausing on the socket's backpressure;
//   linger       what is left of a body nobody will read, after the answer: read and discarded for a bounded
//                time, then the connection is dropped. Closing at once (what node:http does after
//                `Connection: close`) makes the kernel answer the client's unread bytes with a reset, and a client
//                still sending loses the 413 it was sent before it could read it — nginx's "lingering close".

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How long an unread body is drained after the answer before the connection is dropped. */
export const DEFAULT_LINGER_MS = 5_000;

export type ReadResult = { body: Buffer } | { over: number };

export function readBody(req: IncomingMessage, limit: number): Promise<ReadResult> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        resolve({ over: size });
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve({ body: Buffer.concat(chunks, size) });
    };
    const onClose = () => {
      if (req.complete) return;
      cleanup();
      reject(new Error('the client closed the connection before the whole body arrived'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onClose);
  });
}

export interface BodyStream { stream: ReadableStream<Uint8Array>; detach(): void }

/** The request body as a web stream; detach() stops feeding it (the rest is left to linger()). */
export function bodyStream(req: IncomingMessage): BodyStream {
  let open = true;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const onData = (chunk: Buffer) => {
    if (!open) return;
    controller.enqueue(chunk);
    if ((controller.desiredSize ?? 0) <= 0) req.pause();
  };
  const onEnd = () => {
    if (open) controller.close();
    detach();
  };
  const onClose = () => {
    if (!open || req.complete) return;
    controller.error(new Error('the client closed the connection before the whole body arrived'));
    detach();
  };
  function detach(): void {
    open = false;
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('close', onClose);
    req.off('error', onClose);
  }
  const stream = new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        req.on('data', onData);
        req.on('end', onEnd);
        req.on('close', onClose);
        req.on('error', onClose);
      },
      pull() {
        req.resume();
      },
      cancel() {
        detach();
      },
    },
    // About 4 MiB queued before the socket is paused: enough to keep the disk busy, flat whatever the size.
    { highWaterMark: 4 << 20, size: (chunk) => chunk.byteLength },
  );
  return { stream, detach };
}

const CURRENT = Symbol('tracked-flows.currentRequest');
type ClosingSocket = Socket & { destroySoon?: () => void; [CURRENT]?: IncomingMessage };

/**
 * node:http ends a `Connection: close` exchange (asked by the client, or after an error) with destroySoon(): a
 * FIN, then the descriptor closed as soon as the answer is out, and the client's unread bytes get a reset. While
 * a request body is still coming, this makes it a half-close instead: the answer is out, the body keeps being
 * drained (linger), and the connection closes when the client closes it or after `ms`.
 */
export function lingerOnClose(req: IncomingMessage, ms: number): void {
  const socket = req.socket as ClosingSocket;
  const patched = socket[CURRENT] !== undefined;
  socket[CURRENT] = req;
  const original = socket.destroySoon;
  if (patched || typeof original !== 'function') return;
  socket.destroySoon = function destroySoon(this: ClosingSocket) {
    const current = this[CURRENT];
    if (!current || current.complete) return original.call(this);
    this.end();
    const timer = setTimeout(() => this.destroy(), ms);
    timer.unref();
    this.once('close', () => clearTimeout(timer));
  };
}

/** Drains what is left of the request body for at most `ms`, then drops the connection. */
export function linger(req: IncomingMessage, ms: number): void {
  if (req.complete || req.destroyed) return;
  const timer = setTimeout(() => req.socket.destroy(), ms);
  timer.unref();
  const done = () => clearTimeout(timer);
  req.once('end', done);
  req.once('close', done);
  req.on('data', () => {});
  req.resume();
}

/**
 * Writes a response body as it is produced; stops (and cancels the source) if the client goes away. With `cut`,
 * only that many bytes are written and the response is left unfinished (a truncation fault: the caller drops
 * the connection once they are out).
 */
export async function sendBody(body: ReadableStream<Uint8Array>, res: ServerResponse, cut?: number): Promise<void> {
  const reader = body.getReader();
  let left = cut ?? Infinity;
  try {
    for (;;) {
      if (res.destroyed) return void (await reader.cancel().catch(() => {}));
      const { done, value } = await reader.read();
      if (done) break;
      const chunk = value.byteLength > left ? value.subarray(0, left) : value;
      left -= chunk.byteLength;
      if (!res.write(chunk)) await drained(res);
      if (left === 0) {
        await reader.cancel().catch(() => {});
        // Flushed before the caller destroys the socket.
        return new Promise<void>((resolve) => res.write('', () => resolve()));
      }
    }
    res.end();
  } catch (err) {
    await reader.cancel().catch(() => {});
    // Headers are out; the only honest signal left for a failed read is a cut connection.
    res.destroy(err as Error);
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
