// The storage side of multipart uploads (issue 17, item 4), through PUTs to handle(): part URLs as
// announceMultipart hands them out (the future CreateArtifactFiles resolver's answer), an ETag per part, a part
// with wrong bytes refused with nothing visible, a part failing once under an injected fault and retried, and
// completion putting the parts together under the whole file's md5. The GraphQL mutations come with the schema.
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDir, MockBackend } from '../../src/index.ts';
import { abortMultipart, announceMultipart, assembleMultipart, completeMultipart, type PartSpec } from '../../src/backend/multipart.ts';
import { CREATE_ARTIFACT } from '../../src/wandb/queries.ts';
import { filesUnder } from '../helpers/files.ts';

const open: DataDir[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
const PART = 64 * 1024;
const FILE = Buffer.from(Array.from({ length: 3 * PART - 1000 }, (_, i) => (i * 131 + (i >> 10)) & 0xff));
const slices = [0, 1, 2].map((i) => FILE.subarray(i * PART, (i + 1) * PART));
const hexMd5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const b64Md5 = (b: Uint8Array) => createHash('md5').update(b).digest('base64');
const PARTS: PartSpec[] = slices.map((s, i) => ({ partNumber: i + 1, hexMD5: hexMd5(s) }));

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'tracked-flows-multipart-'));
  const store = new DataDir(dir, { warn: () => {} });
  open.push(store);
  const backend = new MockBackend({ durable: store });
  const res = await backend.handle(new Request('http://mock/graphql', {
    method: 'POST',
    body: JSON.stringify({ query: CREATE_ARTIFACT.query, variables: { input: { entityName: 'e', projectName: 'p', artifactTypeName: 'model', artifactCollectionName: 'm', digest: 'b'.repeat(32) } } }),
  }));
  const id = ((await res.json()) as any).data.createArtifact.artifact.id as string;
  // What CreateArtifactFiles with uploadPartsInput will do once the schema has it.
  const urls = announceMultipart(backend.state, backend.state.artifacts[id]!, 'model.bin', b64Md5(FILE), PARTS, (p) => `http://mock${p}`);
  return { dir, backend, urls };
}
const put = (backend: MockBackend, url: string, bytes: Uint8Array) => backend.handle(new Request(url, { method: 'PUT', body: Buffer.from(bytes) }));

describe('multipart uploads, storage side', () => {
  it('hands out part URLs as the SDKs use them: the file URL with partNumber and uploadId', async () => {
    const { urls } = await setup();
    expect(urls.uploadID).toMatch(/^[0-9a-f]{32}$/);
    expect(urls.uploadUrlParts.map((p) => p.partNumber)).toEqual([1, 2, 3]);
    expect(urls.uploadUrlParts[1]!.uploadUrl).toMatch(new RegExp(`^http://mock/storage/artifacts/[^/]+/model\\.bin\\?partNumber=2&uploadId=${urls.uploadID}$`));
  });

  it('a part with wrong bytes: 400, nothing recorded, nothing left in the store; the right bytes then pass', async () => {
    const { dir, backend, urls } = await setup();
    const bad = Buffer.from(slices[0]!);
    bad[7] = bad[7]! ^ 0xff;
    const res = await put(backend, urls.uploadUrlParts[0]!.uploadUrl, bad);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'DIGEST_MISMATCH', error: expect.stringMatching(/model\.bin part 1": the body's md5 is [0-9a-f]{32}, uploadPartsInput announced/) });
    expect(backend.state.multipart[urls.uploadID]!.received).toEqual({});
    expect(filesUnder(join(dir, 'blobs'))).toEqual([]);
    const ok = await put(backend, urls.uploadUrlParts[0]!.uploadUrl, slices[0]!);
    expect([ok.status, ok.headers.get('etag')]).toEqual([200, `"${hexMd5(slices[0]!)}"`]);
  });

  it('a part failing once under an injected fault is retried; completion assembles the file under its md5', async () => {
    const { dir, backend, urls } = await setup();
    backend.faults.replace([{ path: '/storage/artifacts/**', method: 'PUT', nth: 2, fault: { type: 'status', status: 503 } }]);
    const etags: PartSpec[] = [];
    let attempts = 0;
    for (const [i, part] of urls.uploadUrlParts.entries()) {
      for (;;) {
        attempts += 1;
        const res = await put(backend, part.uploadUrl, slices[i]!);
        if (res.status === 503) continue; // the SDK retries 5xx (reference §6)
        expect(res.status).toBe(200);
        etags.push({ partNumber: part.partNumber, hexMD5: res.headers.get('etag')! });
        break;
      }
    }
    expect(attempts).toBe(4);
    expect(backend.faults.report().fired).toBe(1);
    // The refused attempt left nothing: only the three parts are stored.
    expect(filesUnder(join(dir, 'blobs')).sort()).toEqual(PARTS.map((p) => `objects/${p.hexMD5}`).sort());

    const staged = await assembleMultipart(backend.blobs, backend.state, urls.uploadID, etags);
    expect([staged.md5, staged.size]).toEqual([b64Md5(FILE), FILE.length]);
    const { md5, unusedParts } = completeMultipart(backend.state, urls.uploadID, etags, staged);
    for (const part of unusedParts) backend.blobs.remove(part);
    expect(md5).toBe(b64Md5(FILE));
    expect(backend.state.blobs).toEqual({ [md5]: { size: FILE.length } });
    expect(backend.state.multipart).toEqual({});
    expect(filesUnder(join(dir, 'blobs'))).toEqual([`objects/${hexMd5(FILE)}`]);
    const back = Buffer.from(await new Response(backend.blobs.open(md5, 0, FILE.length - 1)).arrayBuffer());
    expect(back.equals(FILE)).toBe(true);
  });

  it('completion refuses a wrong ETag or a missing part; abort drops the upload and its parts', async () => {
    const { dir, backend, urls } = await setup();
    const etags: PartSpec[] = [];
    for (const [i, part] of urls.uploadUrlParts.entries()) {
      const res = await put(backend, part.uploadUrl, slices[i]!);
      etags.push({ partNumber: part.partNumber, hexMD5: res.headers.get('etag')! });
    }
    const wrong = etags.map((e, i) => (i === 1 ? { ...e, hexMD5: '"' + '0'.repeat(32) + '"' } : e));
    await expect(assembleMultipart(backend.blobs, backend.state, urls.uploadID, wrong)).rejects.toThrow(/completedParts\[1\] \(part 2\) has ETag/);
    await expect(assembleMultipart(backend.blobs, backend.state, urls.uploadID, etags.slice(0, 2))).rejects.toThrow(/2 completed parts for an upload of 3/);
    expect(filesUnder(join(dir, 'blobs', 'objects')).length).toBe(3);
    for (const part of abortMultipart(backend.state, urls.uploadID)) backend.blobs.remove(part);
    expect(backend.state.multipart).toEqual({});
    expect(filesUnder(join(dir, 'blobs'))).toEqual([]);
    const again = await put(backend, urls.uploadUrlParts[0]!.uploadUrl, slices[0]!);
    expect(again.status).toBe(404);
  });
});
