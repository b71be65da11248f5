// Multipart uploads (issue 17, item 4) in-process, through handle(): part URLs as CreateArtifactFiles with
// uploadPartsInput hands them out, an ETag per part, a part with wrong bytes refused with nothing visible, a part
// failing once under an injected fault and retried, and CompleteMultipartUploadArtifact putting the parts together
// under the whole file's md5 (Abort dropping them). Through serve: test/e2e/multipart-serve.test.ts.
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDir, MockBackend } from '../../src/index.ts';
import type { PartSpec } from '../../src/backend/multipart.ts';
import { COMPLETE_MULTIPART_UPLOAD_ARTIFACT, CREATE_ARTIFACT, CREATE_ARTIFACT_FILES } from '../../src/wandb/queries.ts';
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

async function setup(fileMd5 = b64Md5(FILE), options: { memory?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tracked-flows-multipart-'));
  const store = new DataDir(dir, { warn: () => {} });
  open.push(store);
  const backend = options.memory ? new MockBackend() : new MockBackend({ durable: store });
  const created = await gql(backend, CREATE_ARTIFACT.query, { input: { entityName: 'e', projectName: 'p', artifactTypeName: 'model', artifactCollectionName: 'm', digest: 'b'.repeat(32) } });
  const id = created.body.data.createArtifact.artifact.id as string;
  const files = await gql(backend, CREATE_ARTIFACT_FILES.query, { storageLayout: 'V2', artifactFiles: [{ artifactID: id, artifactManifestID: null, name: 'model.bin', md5: fileMd5, mimetype: null, uploadPartsInput: PARTS }] });
  const node = files.body.data.createArtifactFiles.files.edges[0].node;
  const urls = node.uploadMultipartUrls as { uploadID: string; uploadUrlParts: { partNumber: number; uploadUrl: string }[] };
  const complete = (action: 'Complete' | 'Abort', completedParts: PartSpec[]) =>
    gql(backend, COMPLETE_MULTIPART_UPLOAD_ARTIFACT.query, { completeMultipartAction: action, completedParts, artifactID: id, storagePath: node.storagePath, uploadID: urls.uploadID });
  return { dir, backend, urls, complete };
}
async function gql(backend: MockBackend, query: string, variables: Record<string, unknown>) {
  const res = await backend.handle(new Request('http://mock/graphql', { method: 'POST', body: JSON.stringify({ query, variables }) }));
  return { status: res.status, body: (await res.json()) as any };
}
const put = (backend: MockBackend, url: string, bytes: Uint8Array) => backend.handle(new Request(url, { method: 'PUT', body: Buffer.from(bytes) }));

describe('multipart uploads through handle()', () => {
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
    const { dir, backend, urls, complete } = await setup();
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

    const done = await complete('Complete', etags);
    expect([done.status, done.body.data]).toEqual([200, { completeMultipartUploadArtifact: { digest: b64Md5(FILE) } }]);
    const md5 = b64Md5(FILE);
    expect(backend.state.blobs).toEqual({ [md5]: { size: FILE.length } });
    expect(backend.state.multipart).toEqual({});
    expect(filesUnder(join(dir, 'blobs'))).toEqual([`objects/${hexMd5(FILE)}`]);
    const back = Buffer.from(await new Response(backend.blobs.open(md5, 0, FILE.length - 1)).arrayBuffer());
    expect(back.equals(FILE)).toBe(true);
  });

  it('completion refuses a wrong ETag or a missing part; abort drops the upload and its parts', async () => {
    const { dir, backend, urls, complete } = await setup();
    const etags: PartSpec[] = [];
    for (const [i, part] of urls.uploadUrlParts.entries()) {
      const res = await put(backend, part.uploadUrl, slices[i]!);
      etags.push({ partNumber: part.partNumber, hexMD5: res.headers.get('etag')! });
    }
    const wrong = etags.map((e, i) => (i === 1 ? { ...e, hexMD5: '"' + '0'.repeat(32) + '"' } : e));
    const refused = await complete('Complete', wrong);
    expect([refused.status, refused.body.errors[0].message]).toEqual([400, expect.stringMatching(/completedParts\[1\] \(part 2\) has ETag/)]);
    const short = await complete('Complete', etags.slice(0, 2));
    expect([short.status, short.body.errors[0].message]).toEqual([400, expect.stringMatching(/2 completed parts for an upload of 3/)]);
    // Refused completions leave nothing: the three parts, no assembled file, nothing staged.
    expect(filesUnder(join(dir, 'blobs'))).toEqual(PARTS.map((p) => `objects/${p.hexMD5}`).sort());
    expect((await complete('Abort', [])).body.data).toEqual({ completeMultipartUploadArtifact: { digest: null } });
    expect(backend.state.multipart).toEqual({});
    expect(filesUnder(join(dir, 'blobs'))).toEqual([]);
    const again = await put(backend, urls.uploadUrlParts[0]!.uploadUrl, slices[0]!);
    expect(again.status).toBe(404);
  });

  it('parts that do not make the announced file: Complete is refused after assembling, the assembled bytes are not kept', async () => {
    const { dir, backend, urls, complete } = await setup(b64Md5(Buffer.from('another file')));
    const etags: PartSpec[] = [];
    for (const [i, part] of urls.uploadUrlParts.entries()) etags.push({ partNumber: part.partNumber, hexMD5: (await put(backend, part.uploadUrl, slices[i]!)).headers.get('etag')! });
    const refused = await complete('Complete', etags);
    expect([refused.status, refused.body.errors[0].extensions.code]).toEqual([400, 'DIGEST_MISMATCH']);
    expect(refused.body.errors[0].message).toContain(`the parts put together have md5 ${b64Md5(FILE)}`);
    expect(filesUnder(join(dir, 'blobs'))).toEqual(PARTS.map((p) => `objects/${p.hexMD5}`).sort());
    expect(backend.log().artifacts).toEqual([]);
  });

  it('a completion journaled but not yet snapshotted replays from the journal: the assembled blob is found, the parts go at start', async () => {
    const { dir, backend, urls, complete } = await setup();
    const etags: PartSpec[] = [];
    for (const [i, part] of urls.uploadUrlParts.entries()) etags.push({ partNumber: part.partNumber, hexMD5: (await put(backend, part.uploadUrl, slices[i]!)).headers.get('etag')! });
    // The crash window: the completion is in the journal, the snapshot that would drop the part PUTs is not made.
    const durable = open.at(-1)!;
    const snapshot = durable.snapshot.bind(durable);
    durable.snapshot = () => {
      throw new Error('disk full');
    };
    expect((await complete('Complete', etags)).status).toBe(200);
    durable.snapshot = snapshot;
    expect(filesUnder(join(dir, 'blobs')).length).toBe(4); // the parts were kept for the replay
    durable.close();

    const store = new DataDir(dir, { warn: () => {} });
    open.push(store);
    const again = new MockBackend({ durable: store });
    expect(again.state.multipart).toEqual({});
    expect(again.state.blobs).toEqual({ [b64Md5(FILE)]: { size: FILE.length } });
    expect(filesUnder(join(dir, 'blobs'))).toEqual([`objects/${hexMd5(FILE)}`]);
  });

  it('the in-process memory store, and a completion written with an alias, a fragment and inline values', async () => {
    const { backend, urls } = await setup(b64Md5(FILE), { memory: true });
    const etags: string[] = [];
    for (const [i, part] of urls.uploadUrlParts.entries()) etags.push((await put(backend, part.uploadUrl, slices[i]!)).headers.get('etag')!);
    const artifactID = Object.keys(backend.state.artifacts)[0]!;
    const parts = etags.map((e, i) => `{partNumber: ${i + 1}, hexMD5: ${JSON.stringify(e)}}`).join(', ');
    const query = `mutation Done { finished: completeMultipartUploadArtifact(input: {completeMultipartAction: Complete, completedParts: [${parts}], artifactID: "${artifactID}", storagePath: "x", uploadID: "${urls.uploadID}"}) { ...D } }
      fragment D on CompleteMultipartUploadArtifactPayload { digest }`;
    const res = await gql(backend, query, {});
    expect([res.status, res.body]).toEqual([200, { data: { finished: { digest: b64Md5(FILE) } } }]);
    expect(backend.state.blobs).toEqual({ [b64Md5(FILE)]: { size: FILE.length } });
    expect(PARTS.map((p) => backend.blobs.has(Buffer.from(p.hexMD5, 'hex').toString('base64')))).toEqual([false, false, false]);
    const back = Buffer.from(await new Response(backend.blobs.open(b64Md5(FILE), 0, FILE.length - 1)).arrayBuffer());
    expect(back.equals(FILE)).toBe(true);
  });
});
