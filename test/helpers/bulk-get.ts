// A GET for the big-file bench that reads the socket as the disk-direct reader reads the file: 1 MiB at a time
// into one reused buffer, hashed as it arrives. node:http's client reads 64 KiB per system call and adds a parser
// and a stream event per read; on 2 cores that client, not the server, was what the download rows measured
// (serve sent the same file to curl at 450-616 MiB/s). Deliberately minimal: HTTP/1.1, `Connection: close`, a
// body with a Content-Length (what serve answers for stored bytes); anything else is refused, never guessed.
import { createHash } from 'node:crypto';
import { connect } from 'node:net';

const READ_BYTES = 1 << 20;
const HEAD_LIMIT = 64 << 10;

export interface BulkGet { status: number; md5: string; size: number; reads: number }

export function bulkGetMd5(url: string): Promise<BulkGet> {
  const u = new URL(url);
  if (u.protocol !== 'http:') return Promise.reject(new Error(`Failed to GET "${url}": only http: URLs are supported. Use getMd5 for others.`));
  return new Promise((resolve, reject) => {
    const hash = createHash('md5');
    let head: Buffer | null = Buffer.alloc(0);
    let status = 0;
    let left = 0;
    let size = 0;
    let reads = 0;
    let settled = false;
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(new Error(`Failed to GET "${url}": ${reason}.`));
    };
    const take = (body: Buffer) => {
      const used = body.subarray(0, Math.min(body.length, left));
      hash.update(used);
      size += used.length;
      left -= used.length;
      if (left > 0 || settled) return;
      settled = true;
      socket.destroy();
      resolve({ status, md5: hash.digest('base64'), size, reads });
    };
    const onRead = (n: number, buf: Uint8Array): void => {
      reads += 1;
      const chunk = Buffer.from(buf.buffer, buf.byteOffset, n);
      if (!head) return take(chunk);
      // The head is small and arrives first; copied out, since the read buffer is reused.
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return void (head.length > HEAD_LIMIT && fail(`no end of headers in the first ${HEAD_LIMIT} bytes`));
      const text = head.subarray(0, end).toString('latin1');
      const rest = head.subarray(end + 4);
      head = null;
      status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? NaN);
      const length = /\r\ncontent-length:[ \t]*(\d+)/i.exec(text)?.[1];
      if (!Number.isInteger(status)) return fail(`not an HTTP/1.x status line: ${JSON.stringify(text.split('\r\n')[0])}`);
      if (length === undefined) return fail('the answer has no Content-Length (chunked bodies are not read here)');
      left = Number(length);
      take(rest);
    };
    const socket = connect({ host: u.hostname, port: Number(u.port || 80), onread: { buffer: Buffer.allocUnsafe(READ_BYTES), callback: (n, buf) => (onRead(n, buf), true) } });
    socket.on('error', (err) => fail(err.message));
    socket.on('close', () => fail(head ? 'the connection closed before the headers' : `the connection closed with ${left} bytes of the body missing`));
    socket.write(`GET ${u.pathname}${u.search} HTTP/1.1\r\nhost: ${u.host}\r\nconnection: close\r\n\r\n`);
  });
}
