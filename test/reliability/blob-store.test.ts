// The blob store behind handle() (issue 17): uploads stream in as Request bodies, the state and the journal hold
// {md5, size} and never the bytes, a mismatch leaves nothing behind, downloads answer Content-Length / HEAD /
// Range, and whatever no reference reaches (a crash's leftovers) is removed at start.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDir, JOURNAL_FILE, MockBackend, SNAPSHOT_FILE, startHttpTransport } from '../../src/index.ts';
import { CREATE_ARTIFACT, CREATE_ARTIFACT_FILES, UPSERT_BUCKET } from '../../src/wandb/queries.ts';
import { filesUnder } from '../helpers/files.ts';

const open: DataDir[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
const tmp = () => mkdtempSync(join(tmpdir(), 'tracked-flows-blobs-test-'));
function durable(dir: string) {
  const warnings: string[] = [];
  const store = new DataDir(dir, { warn: (m) => warnings.push(m) });
  open.push(store);
  return { backend: new MockBackend({ durable: store }), warnings };
}
const md5 = (b: Uint8Array | string) => createHash('md5').update(b).digest('base64');
const hex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');

/** A body that arrives in pieces, as a socket delivers it: never a buffered Request. */
function streamed(bytes: Uint8Array, piece = 1000): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, (at += piece)));
    },
  });
}
const put = (url: string, bytes: Uint8Array) => new Request(url, { method: 'PUT', body: streamed(bytes), duplex: 'half' } as RequestInit);
const gql = async (backend: MockBackend, op: { name: string; query: string }, variables: unknown) => {
  const res = await backend.handle(new Request('http://mock/graphql', { method: 'POST', body: JSON.stringify({ query: op.query, variables }) }));
  const body = (await res.json()) as { data: Record<string, any> };
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body.data;
};
const run = (backend: MockBackend) => gql(backend, UPSERT_BUCKET, { name: 'r1', project: 'p', entity: 'e' });
async function announced(backend: MockBackend, name: string, digest: string): Promise<string> {
  const created = await gql(backend, CREATE_ARTIFACT, { input: { entityName: 'e', projectName: 'p', artifactTypeName: 'dataset', artifactCollectionName: 'ds', digest: 'a'.repeat(32) } });
  const id = created.createArtifact.artifact.id as string;
  const files = await gql(backend, CREATE_ARTIFACT_FILES, { storageLayout: 'V2', artifactFiles: [{ artifactID: id, name, md5: digest }] });
  return files.createArtifactFiles.files.edges[0].node.uploadUrl as string;
}

const BYTES = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 31 + (i >> 8)) & 0xff));

describe('the blob store behind handle()', () => {
  it('stores a streamed run file by md5; the state and the journal hold {md5, size}, never the bytes', async () => {
    const dir = tmp();
    const { backend } = durable(dir);
    await run(backend);
    const res = await backend.handle(put('http://mock/storage/run/e/p/r1/model.bin', BYTES));
    expect(res.status).toBe(200);
    const ref = { md5: md5(BYTES), size: BYTES.length };
    expect(backend.state.blobs).toEqual({ [ref.md5]: { size: ref.size } });
    expect(backend.state.runs['e/p/r1']!.files).toEqual({ 'model.bin': ref });
    const journal = readFileSync(join(dir, JOURNAL_FILE), 'utf8');
    expect(journal).toContain(`"body":"","blob":${JSON.stringify(ref)}`);
    expect(journal).not.toContain(BYTES.subarray(0, 3000).toString('base64'));
    expect(filesUnder(join(dir, 'blobs'))).toEqual([`objects/${hex(ref.md5)}`]);
    expect(readFileSync(join(dir, 'blobs', 'objects', hex(ref.md5))).equals(BYTES)).toBe(true);

    // Recovered from the journal: same state, the file downloads whole.
    const again = durable(dir);
    expect(again.backend.state).toEqual(backend.state);
    const down = await again.backend.handle(new Request('http://mock/storage/run/e/p/r1/model.bin'));
    expect([down.status, down.headers.get('content-length')]).toEqual([200, String(BYTES.length)]);
    expect(Buffer.from(await down.arrayBuffer()).equals(BYTES)).toBe(true);
    // The snapshot written at start holds the reference too.
    expect(JSON.parse(readFileSync(join(dir, SNAPSHOT_FILE), 'utf8')).state.blobs).toEqual({ [ref.md5]: { size: ref.size } });
  });

  it('a file whose bytes do not match what CreateArtifactFiles announced: 400, nothing stored, nothing staged', async () => {
    const dir = tmp();
    const { backend } = durable(dir);
    const url = await announced(backend, 'data.bin', md5(BYTES));
    const wrong = Buffer.from(BYTES);
    wrong[1234] = wrong[1234]! ^ 1;
    const res = await backend.handle(put(url, wrong));
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'DIGEST_MISMATCH' });
    expect(backend.state.blobs).toEqual({});
    expect(filesUnder(join(dir, 'blobs'))).toEqual([]);
    // The right bytes then go through.
    expect((await backend.handle(put(url, BYTES))).status).toBe(200);
    expect(filesUnder(join(dir, 'blobs'))).toEqual([`objects/${hex(md5(BYTES))}`]);
  });

  it('removes unreferenced and half-written blob files at start, with a note, and keeps the referenced ones', async () => {
    const dir = tmp();
    const first = durable(dir);
    await run(first.backend);
    expect((await first.backend.handle(put('http://mock/storage/run/e/p/r1/a.bin', BYTES))).status).toBe(200);
    const stray = hex(md5('never referenced'));
    writeFileSync(join(dir, 'blobs', 'objects', stray), 'never referenced');
    mkdirSync(join(dir, 'blobs', 'staging'), { recursive: true });
    writeFileSync(join(dir, 'blobs', 'staging', '123-4-deadbeef'), 'half of an upload');
    const second = durable(dir);
    expect(filesUnder(join(dir, 'blobs'))).toEqual([`objects/${hex(md5(BYTES))}`]);
    expect(second.warnings).toEqual([expect.stringMatching(/^Removed 2 unreferenced or unfinished blob file\(s\) from the blob store/)]);
  });

  it('adopts a snapshot from before the blob store (bytes inline, base64) into the store', async () => {
    const dir = tmp();
    const ref = md5('old bytes');
    writeFileSync(join(dir, SNAPSHOT_FILE), JSON.stringify({ format: 'tracked-flows/backend-state@1', seq: 0, state: { blobs: { [ref]: Buffer.from('old bytes').toString('base64') } } }));
    const { backend } = durable(dir);
    expect(backend.state.blobs).toEqual({ [ref]: { size: 9 } });
    expect(readFileSync(join(dir, 'blobs', 'objects', hex(ref)), 'utf8')).toBe('old bytes');
  });
});

describe('downloads from the memory store (the in-process runner)', () => {
  it('answers GET with Content-Length, HEAD without a body, a Range with 206, past the end with 416', async () => {
    const backend = new MockBackend();
    await run(backend);
    expect((await backend.handle(put('http://mock/storage/run/e/p/r1/m.bin', BYTES))).status).toBe(200);
    const url = 'http://mock/storage/run/e/p/r1/m.bin';
    const get = await backend.handle(new Request(url));
    expect(Buffer.from(await get.arrayBuffer()).equals(BYTES)).toBe(true);
    const head = await backend.handle(new Request(url, { method: 'HEAD' }));
    expect([head.status, head.headers.get('content-length'), head.body]).toEqual([200, String(BYTES.length), null]);
    for (const [range, start, end] of [['bytes=10-19', 10, 19], ['bytes=299990-', 299_990, 299_999], ['bytes=-5', 299_995, 299_999], ['bytes=0-999999', 0, 299_999]] as const) {
      const res = await backend.handle(new Request(url, { headers: { range } }));
      expect([res.status, res.headers.get('content-range')], range).toEqual([206, `bytes ${start}-${end}/${BYTES.length}`]);
      expect(Buffer.from(await res.arrayBuffer()).equals(BYTES.subarray(start, end + 1)), range).toBe(true);
    }
    const past = await backend.handle(new Request(url, { headers: { range: 'bytes=300000-' } }));
    expect([past.status, past.headers.get('content-range')]).toEqual([416, `bytes */${BYTES.length}`]);
    // Several ranges are not supported: the whole body, as RFC 9110 allows.
    const multi = await backend.handle(new Request(url, { headers: { range: 'bytes=0-1,5-6' } }));
    expect([multi.status, multi.headers.get('content-length')]).toEqual([200, String(BYTES.length)]);
  });

  it('a reset drops the bytes nothing refers to any more', async () => {
    const backend = new MockBackend();
    await run(backend);
    await backend.handle(put('http://mock/storage/run/e/p/r1/m.bin', BYTES));
    expect(backend.blobs.has(md5(BYTES))).toBe(true);
    backend.reset();
    expect(backend.blobs.has(md5(BYTES))).toBe(false);
  });

  it('file uploads are capped by maxUploadBytes (413 naming --max-upload-bytes), not by maxBodyBytes', async () => {
    const capped = new MockBackend({ maxUploadBytes: 1000 });
    await run(capped);
    const res = await capped.handle(put('http://mock/storage/run/e/p/r1/big.bin', BYTES));
    expect(res.status).toBe(413);
    expect((await res.json()).error).toMatch(/over the limit of 1000\. Split the upload or raise --max-upload-bytes/);
    expect(capped.state.blobs).toEqual({});
    // 300 KB through a backend whose body limit is 5 KB: uploads have no cap unless one is set.
    const small = new MockBackend({ maxBodyBytes: 5000 });
    await run(small);
    expect((await small.handle(put('http://mock/storage/run/e/p/r1/big.bin', BYTES))).status).toBe(200);
  });

  it('a truncate fault on a download over HTTP: the promised length, the first bytes, then the connection drops', async () => {
    const backend = new MockBackend();
    await run(backend);
    await backend.handle(put('http://mock/storage/run/e/p/r1/m.bin', BYTES));
    backend.faults.replace([{ path: '/storage/**', method: 'GET', fault: { type: 'truncate', bytes: 100_000 } }]);
    const srv = await startHttpTransport(backend, { port: 0 });
    try {
      const res = await fetch(`${srv.url}/storage/run/e/p/r1/m.bin`);
      expect([res.status, res.headers.get('content-length')]).toEqual([200, String(BYTES.length)]);
      let got = 0;
      const reader = res.body!.getReader();
      const failed = await (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return false;
          got += value.byteLength;
        }
      })().catch(() => true);
      expect([failed, got]).toEqual([true, 100_000]);
    } finally {
      await srv.close();
    }
  });
});
