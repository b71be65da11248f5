// The lingering close after a 413 (issue 17): the answer goes out at once, the rest of the body is read and
// discarded so the client is not reset before it reads the answer, and a client that never stops sending is cut
// off after the bounded time.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MockBackend, startHttpTransport, type HttpTransport } from '../../src/index.ts';

let srv: HttpTransport | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

describe('a body over the limit', () => {
  for (const connection of ['keep-alive', 'close']) it(`is answered 413 while the client is still sending, drained, and cut off after lingerMs (Connection: ${connection})`, async () => {
    srv = await startHttpTransport(new MockBackend({ maxBodyBytes: 1000 }), { port: 0, lingerMs: 300 });
    const { port } = new URL(srv.url);
    // Half-open allowed: after the server's FIN (Connection: close) this client goes on sending, as a blind uploader does.
    const socket = connect({ port: Number(port), host: '127.0.0.1', allowHalfOpen: true });
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(performance.now())));
    socket.on('error', () => {});
    await new Promise((r) => socket.once('connect', r));
    socket.write(`POST /graphql HTTP/1.1\r\nhost: x\r\nconnection: ${connection}\r\ncontent-type: application/json\r\ncontent-length: ${10 ** 9}\r\n\r\n`);
    // Keep sending, slowly, well past the answer: a client that does not look at what it gets back.
    const started = performance.now();
    const sender = setInterval(() => socket.writable && socket.write(Buffer.alloc(4096, 0x7b)), 10);
    const end = await closed;
    clearInterval(sender);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toContain('over the limit of 1000. Split the upload or raise --max-body-bytes');
    // Not closed at once (that is the reset the client would see), not kept open for ever either.
    expect(end - started).toBeGreaterThanOrEqual(250);
    expect(end - started).toBeLessThan(3000);
  });

  it('a client that finishes sending keeps a usable keep-alive connection after the 413', async () => {
    srv = await startHttpTransport(new MockBackend({ maxBodyBytes: 1000 }), { port: 0, lingerMs: 5000 });
    const { port } = new URL(srv.url);
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    await new Promise((r) => socket.once('connect', r));
    socket.write(`POST /graphql HTTP/1.1\r\nhost: x\r\ncontent-length: 5000\r\n\r\n${'{'.repeat(5000)}`);
    socket.write('GET /_harness/log HTTP/1.1\r\nhost: x\r\n\r\n');
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (/HTTP\/1\.1 200 /.test(answer)) {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
    socket.destroy();
    expect(answer).toMatch(/^HTTP\/1\.1 413 [\s\S]*HTTP\/1\.1 200 /);
  });
});
