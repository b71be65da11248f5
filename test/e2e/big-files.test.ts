// Files of any size through the real `tracked-flows serve` (issue 17): one streamed PUT of a big artifact file,
// listed in the log, downloaded back streamed with the same md5 while serve's memory stays flat; a SIGKILL in the
// middle of a big upload with --data-dir; a 128 MiB GraphQL body answered with a 413 the client can read.
// The test uses 96 MiB (the 1 GiB and 4 GiB runs are `npm run bench` rows: too slow for every test run). The data is
// generated chunk by chunk from a seed, never held whole in this process either.
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chunks, getMd5, logBigArtifact, MiB, prepareArtifact, putSeeded, rssOf, seededMd5 } from '../helpers/big-upload.ts';
import { filesUnder } from '../helpers/files.ts';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';

const BIG = 96 * MiB;
const running: ServeProcess[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop('SIGKILL');
});
async function serve(args: string[] = []): Promise<ServeProcess> {
  const s = await startServe(args);
  running.push(s);
  return s;
}
const logOf = async (base: string) => (await (await fetch(`${base}/_harness/log`)).json()) as { artifacts: { name: string; version: string; files: { path: string; size: number; md5: string }[] }[] };

describe('a big artifact file through serve', () => {
  it(`uploads ${BIG / MiB} MiB as one PUT, lists it with size and md5, streams it back; serve's RSS stays flat`, async () => {
    const srv = await serve();
    await logBigArtifact(srv.url, { name: 'warm-up', file: 'w.bin', size: 4 * MiB, seed: 7 }); // module loading, JIT
    const before = await rssOf(srv.child.pid!);
    const { id, md5, put } = await logBigArtifact(srv.url, { name: 'model', file: 'model.bin', size: BIG, seed: 1 });
    expect(put.status).toBe(200);
    const log = await logOf(srv.url);
    expect(log.artifacts.find((a) => a.name === 'model')).toMatchObject({ version: 'v0', files: [{ path: 'model.bin', size: BIG, md5 }] });
    const fileUrl = `${srv.url}/storage/artifacts/${encodeURIComponent(id)}/model.bin`;
    const back = await getMd5(fileUrl);
    expect(back).toMatchObject({ status: 200, md5, size: BIG });
    expect(back.headers['content-length']).toBe(String(BIG));
    const after = await rssOf(srv.child.pid!);
    const growth = after.peak - before.now;
    console.log(`big file: ${BIG / MiB} MiB up and down through serve; serve RSS ${before.now.toFixed(0)} MiB before, peak ${after.peak.toFixed(0)} MiB: growth ${growth.toFixed(1)} MiB (limit 100)`);
    expect(growth).toBeLessThan(100);

    // HEAD: the length, no body. Range: the bytes asked for, as the SDK's multipart download asks.
    const head = await fetch(fileUrl, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length'), head.headers.get('accept-ranges')]).toEqual([200, String(BIG), 'bytes']);
    const start = 5 * MiB + 3;
    const part = await getMd5(fileUrl, { range: `bytes=${start}-${start + MiB - 1}` });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes ${start}-${start + MiB - 1}/${BIG}`);
    const whole = Buffer.concat([...chunks(7 * MiB, 1)]); // the first 7 MiB of the same file, to cut the range from
    expect(part.md5).toBe(seededMd5Slice(whole, start, MiB));
    const tail = await getMd5(fileUrl, { range: `bytes=${BIG}-` });
    expect([tail.status, tail.headers['content-range']]).toEqual([416, `bytes */${BIG}`]);
  });

  it('keeps a completed upload and forgets an interrupted one across a SIGKILL of serve --data-dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracked-flows-big-kill-'));
    let srv = await serve(['--data-dir', dir]);
    const done = await logBigArtifact(srv.url, { name: 'done', file: 'done.bin', size: 8 * MiB, seed: 2 });
    expect(done.put.status).toBe(200);
    // The big one: prepared, then killed when half of its bytes are sent.
    const big = { name: 'cut', file: 'cut.bin', size: 64 * MiB, seed: 3 };
    const { fileUrl } = await prepareArtifact(srv.url, big, seededMd5(big.size, big.seed));
    const victim = srv;
    let killed = false;
    const put = putSeeded(fileUrl, big.size, big.seed, (sent) => {
      if (!killed && sent >= big.size / 2) {
        killed = true;
        victim.child.kill('SIGKILL');
      }
    }).catch((err: Error) => err);
    expect(await put).toBeInstanceOf(Error); // the connection died under the PUT: never acknowledged
    await victim.stop('SIGKILL');
    const leftBehind = filesUnder(dir).filter((f) => f.startsWith('blobs/staging/'));

    srv = await serve(['--data-dir', dir]);
    const log = await logOf(srv.url);
    expect(log.artifacts.map((a) => `${a.name}:${a.version}`)).toEqual(['done:v0']);
    expect(log.artifacts[0]!.files).toEqual([{ path: 'done.bin', size: 8 * MiB, md5: done.md5 }]);
    const back = await getMd5(`${srv.url}/storage/artifacts/${encodeURIComponent(done.id)}/done.bin`);
    expect([back.status, back.md5, back.size]).toEqual([200, done.md5, 8 * MiB]);
    // Nothing half-written is left: the staging file the kill left (if the kill came after its first write) is gone.
    const hex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');
    expect(filesUnder(join(dir, 'blobs'))).toEqual([`objects/${hex(done.md5)}`]);
    console.log(`kill mid-upload: ${leftBehind.length} staging file(s) after the kill, 0 after restart; the completed 8 MiB file intact`);
  });
});

describe('the blob store of a serve without --data-dir', () => {
  it('is a temporary folder the server owns and removes when it stops', async () => {
    const srv = await serve();
    const mine = () => readdirSync(tmpdir()).filter((n) => n.startsWith(`tracked-flows-blobs-${srv.child.pid}-`));
    expect((await logBigArtifact(srv.url, { name: 'tmp', file: 't.bin', size: MiB, seed: 6 })).put.status).toBe(200);
    expect(mine()).toHaveLength(1);
    expect(filesUnder(join(tmpdir(), mine()[0]!))).toHaveLength(1);
    expect(await srv.stop('SIGTERM')).toBe(0);
    expect(mine()).toEqual([]);
  });
});

describe('a body over --max-body-bytes', () => {
  for (const framing of ['content-length', 'chunked'] as const) {
    it(`a 128 MiB POST to /graphql (${framing}) gets a 413 the client reads, naming the limit`, async () => {
      const srv = await serve();
      const answer = await postGenerated(`${srv.url}/graphql`, 128 * MiB, framing);
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'TOO_LARGE' });
      expect(answer.body).toMatch(/over the limit of 67108864\. Split the upload or raise --max-body-bytes/);
      // The server is fine afterwards.
      expect((await fetch(`${srv.url}/_harness/log`)).status).toBe(200);
    });
  }

  it('a file upload over --max-upload-bytes gets a 413 naming that flag, and nothing is stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracked-flows-upload-cap-'));
    const srv = await serve(['--data-dir', dir, '--max-upload-bytes', String(2 * MiB)]);
    const a = { name: 'capped', file: 'c.bin', size: 3 * MiB, seed: 4 };
    const { fileUrl } = await prepareArtifact(srv.url, a, seededMd5(a.size, a.seed));
    const put = await putSeeded(fileUrl, a.size, a.seed);
    expect(put.status).toBe(413);
    expect(put.body).toMatch(/over the limit of 2097152\. Split the upload or raise --max-upload-bytes/);
    expect(filesUnder(join(dir, 'blobs'))).toEqual([]);
  });
});

function seededMd5Slice(bytes: Buffer, start: number, length: number): string {
  return createHash('md5').update(bytes.subarray(start, start + length)).digest('base64');
}

/** POSTs `size` generated bytes, framed by Content-Length or chunked; resolves with what the client read. */
function postGenerated(url: string, size: number, framing: 'content-length' | 'chunked'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (framing === 'content-length') headers['content-length'] = String(size);
    const req = request(url, { method: 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    // A write error after the answer arrived (the server stopped draining) is not the outcome under test.
    req.on('error', (err) => reject(err));
    const gen = chunks(size, 5);
    const pump = () => {
      for (;;) {
        const next = gen.next();
        if (next.done) return void req.end();
        if (!req.write(next.value)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}
