// Multipart uploads of big artifact files through the real `tracked-flows serve --data-dir` (issue 17, item 4):
// once with wandb-core's documents (test/fixtures/graphql/wandb-core/, variables as core/pkg/artifacts/saver.go
// fills them) and once with our client, each over a small test threshold (256 KiB parts). A part failing once
// under an injected fault is retried; a part with wrong bytes is refused with nothing visible; the completed file
// is in the log with its size and md5 and downloads with that md5; abort leaves nothing; a completed upload
// survives a SIGKILL and restart (journal replay) and an interrupted one leaves no temporary file.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, seededRandom, WandbClient } from '../../src/wandb/index.ts';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';
import { corpusDocument } from '../helpers/graphql-corpus.ts';
import { filesUnder } from '../helpers/files.ts';

const KEY = `local-${'m'.repeat(40)}`;
const AUTH = `Basic ${Buffer.from(`api:${KEY}`).toString('base64')}`;
const KiB = 1024;
const PART = 256 * KiB;
const SIZE = 5 * PART + 44 * KiB; // six parts, the last one short

/** Part i (0-based) of a seeded file, generated when needed: the test never holds the whole file. */
function partBytes(seed: number, i: number, size = SIZE): Buffer {
  const len = Math.min(PART, size - i * PART);
  const out = Buffer.alloc(len);
  let x = (seed * 7919 + i * 104729 + 1) >>> 0 || 1;
  for (let k = 0; k + 4 <= len; k += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, k);
  }
  return out;
}
const partCount = (size = SIZE) => Math.ceil(size / PART);
const hex = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
function wholeMd5(seed: number, size = SIZE): string {
  const h = createHash('md5');
  for (let i = 0; i < partCount(size); i++) h.update(partBytes(seed, i, size));
  return h.digest('base64');
}

const running: ServeProcess[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop('SIGKILL');
});
async function serve(dir: string): Promise<ServeProcess> {
  const s = await startServe(['--data-dir', dir, '--api-key', KEY]);
  running.push(s);
  return s;
}
async function kill(s: ServeProcess) {
  running.splice(running.indexOf(s), 1);
  await s.stop('SIGKILL');
}

async function gql(srv: ServeProcess, op: string, variables: Record<string, unknown>) {
  const res = await fetch(`${srv.url}/graphql`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ query: corpusDocument('wandb-core', op), variables, operationName: op }) });
  return { status: res.status, body: await res.json() };
}
async function ok(srv: ServeProcess, op: string, variables: Record<string, unknown>) {
  const res = await gql(srv, op, variables);
  expect(res.status, `${op}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(200);
  expect(res.body.errors, op).toBeUndefined();
  return res.body.data;
}
const harness = async (srv: ServeProcess, path: string, body?: unknown) =>
  (await fetch(`${srv.url}/_harness/${path}`, body === undefined ? { headers: { authorization: AUTH } } : { method: 'POST', headers: { authorization: AUTH }, body: JSON.stringify(body) })).json();
/** wandb-core's part PUT: Content-MD5 and Content-Length of the part (saver.go uploadMultipart). */
const putPart = (url: string, bytes: Buffer) => fetch(url, { method: 'PUT', headers: { 'content-md5': createHash('md5').update(bytes).digest('base64') }, body: new Uint8Array(bytes) });
const staging = (dir: string) => filesUnder(join(dir, 'blobs')).filter((f) => f.startsWith('staging/'));
const objects = (dir: string) => filesUnder(join(dir, 'blobs')).filter((f) => f.startsWith('objects/')).map((f) => f.slice('objects/'.length));

/** Streams a download and hashes it as it comes. */
async function downloadMd5(url: string): Promise<{ md5: string; size: number }> {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const h = createHash('md5');
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    h.update(chunk);
    size += chunk.byteLength;
  }
  return { md5: h.digest('base64'), size };
}

/** wandb-core's save up to CreateArtifactFiles, for one file of `seed` announced in parts. */
async function announce(srv: ServeProcess, name: string, seed: number) {
  const md5 = wholeMd5(seed);
  const digest = createHash('md5').update(`wandb-artifact-manifest-v1\n${name}:${md5}\n`).digest('hex');
  const created = await ok(srv, 'CreateArtifact', {
    input: {
      aliases: [{ alias: 'latest', artifactCollectionName: 'model' }], artifactCollectionName: 'model', artifactCollectionNames: null,
      artifactTypeName: 'model', clientID: `client-${seed}`, clientMutationId: null, description: null, digest, digestAlgorithm: 'MANIFEST_MD5',
      distributedID: null, enableDigestDeduplication: true, entityName: 'e', historyStep: null, labels: null, metadata: null,
      projectName: 'p', runName: 'mp1', sequenceClientID: 'seq-1', storageRegion: null, ttlDurationSeconds: null,
    },
  });
  const artifactID = created.createArtifact.artifact.id as string;
  const manifestVars = { artifactID, baseArtifactID: null, name: 'wandb_manifest.json', entityName: 'e', projectName: 'p', runName: 'mp1', manifestType: 'FULL' };
  const reserved = await ok(srv, 'CreateArtifactManifest', { ...manifestVars, digest: '', includeUpload: false });
  const uploadPartsInput = Array.from({ length: partCount() }, (_, i) => ({ partNumber: i + 1, hexMD5: hex(partBytes(seed, i)) }));
  const files = await ok(srv, 'CreateArtifactFiles', {
    storageLayout: 'V2',
    artifactFiles: [{ artifactID, artifactManifestID: reserved.createArtifactManifest.artifactManifest.id, md5, mimetype: null, name, uploadPartsInput }],
  });
  const node = files.createArtifactFiles.files.edges[0].node;
  return { artifactID, md5, digest, manifestVars, node, uploadPartsInput };
}

async function startRun(srv: ServeProcess) {
  await ok(srv, 'UpsertBucket', {
    id: null, name: 'mp1', project: 'p', entity: 'e', groupName: null, description: null, displayName: null, notes: null, commit: null,
    config: null, host: 'host', debug: null, program: null, repo: null, jobType: 'train', state: null, sweep: null, tags: null, summaryMetrics: null,
  });
}

describe('multipart upload with wandb-core documents through serve --data-dir', () => {
  it('wrong part -> 400 and nothing visible; a part failing once is retried; completed, logged, downloaded, kept over a SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracked-flows-mp-core-'));
    let srv = await serve(dir);
    await startRun(srv);
    const { artifactID, md5, digest, manifestVars, node, uploadPartsInput } = await announce(srv, 'model.bin', 1);
    const { uploadID, uploadUrlParts } = node.uploadMultipartUrls;
    expect(node.uploadUrl).toMatch(/\/storage\/artifacts\/.+\/model\.bin\?sig=/); // wandb-core goes multipart only with an uploadUrl
    expect(uploadUrlParts.map((p: { partNumber: number }) => p.partNumber)).toEqual([1, 2, 3, 4, 5, 6]);

    // A part with wrong bytes: 400 naming the part, nothing in the log, nothing left in the blob store.
    const bad = partBytes(1, 0);
    bad[100] = bad[100]! ^ 0xff;
    const refused = await putPart(uploadUrlParts[0].uploadUrl, bad);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: 'DIGEST_MISMATCH', error: expect.stringContaining('model.bin part 1') });
    expect((await harness(srv, 'log')).artifacts).toEqual([]);
    expect(filesUnder(join(dir, 'blobs'))).toEqual([]);

    // The second part PUT gets a 503 once; wandb-core's file transfer retries it (reference §6).
    await harness(srv, 'faults', [{ path: '/storage/artifacts/**', method: 'PUT', nth: 2, fault: { type: 'status', status: 503 } }]);
    const completedParts: { partNumber: number; hexMD5: string }[] = [];
    let attempts = 0;
    for (const [i, part] of uploadUrlParts.entries()) {
      for (;;) {
        attempts += 1;
        const res = await putPart(part.uploadUrl, partBytes(1, i));
        if (res.status === 503) continue;
        expect(res.status).toBe(200);
        completedParts.push({ partNumber: part.partNumber, hexMD5: res.headers.get('etag')! });
        break;
      }
    }
    expect(attempts).toBe(7);
    expect((await harness(srv, 'faults')).fired).toBe(1);
    expect(completedParts.map((p) => p.hexMD5)).toEqual(uploadPartsInput.map((p) => `"${p.hexMD5}"`));
    // Parts are not the file: nothing is listed before completion.
    expect((await harness(srv, 'log')).artifacts).toEqual([]);

    const done = await ok(srv, 'CompleteMultipartUploadArtifact', { completeMultipartAction: 'Complete', completedParts, artifactID, storagePath: node.storagePath, uploadID });
    expect(done.completeMultipartUploadArtifact).toEqual({ digest: md5 });
    // The parts went once the whole file was stored; the file is one blob under its md5.
    expect(objects(dir)).toEqual([Buffer.from(md5, 'base64').toString('hex')]);

    const manifest = JSON.stringify({ version: 1, storagePolicy: 'wandb-storage-policy-v1', storagePolicyConfig: { storageLayout: 'V2' }, contents: { 'model.bin': { digest: md5, size: SIZE } } });
    const upload = await ok(srv, 'CreateArtifactManifest', { ...manifestVars, digest: createHash('md5').update(manifest).digest('base64'), includeUpload: true });
    expect((await fetch(upload.createArtifactManifest.artifactManifest.file.uploadUrl, { method: 'PUT', body: manifest })).status).toBe(200);
    expect((await ok(srv, 'CommitArtifact', { artifactID })).commitArtifact.artifact).toEqual({ id: artifactID, digest });

    const expected = [{ path: 'model.bin', size: SIZE, md5 }];
    const check = async (s: ServeProcess) => {
      const log = await harness(s, 'log');
      expect(log.artifacts.map((a: { name: string; version: string; files: unknown }) => [a.name, a.version, a.files])).toEqual([['model', 'v0', expected]]);
      expect(log.unsupported).toEqual([]);
      const urls = await ok(s, 'ArtifactFileURLsByManifestEntries', { id: artifactID, entries: [{ name: 'model.bin', digest: md5, size: SIZE, birthArtifactID: null, ref: null }], storageLayout: 'V2', manifestVersion: '1', storageRegion: null });
      expect(await downloadMd5(urls.artifact.filesByManifestEntries.edges[0].node.directUrl)).toEqual({ md5, size: SIZE });
    };
    await check(srv);

    // SIGKILL, restart on the same data dir: the journal replays the completion (the blob is checked, not copied).
    await kill(srv);
    srv = await serve(dir);
    await check(srv);
    expect(staging(dir)).toEqual([]);
  });

  it('abort leaves nothing; an upload interrupted by SIGKILL leaves no temporary file and no listed file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracked-flows-mp-abort-'));
    let srv = await serve(dir);
    await startRun(srv);
    const before = objects(dir);
    const a = await announce(srv, 'a.bin', 2);
    const aParts = a.node.uploadMultipartUrls.uploadUrlParts;
    for (const i of [0, 1]) expect((await putPart(aParts[i].uploadUrl, partBytes(2, i))).status).toBe(200);
    expect(objects(dir)).toHaveLength(before.length + 2);
    const aborted = await ok(srv, 'CompleteMultipartUploadArtifact', { completeMultipartAction: 'Abort', completedParts: [], artifactID: a.artifactID, storagePath: a.node.storagePath, uploadID: a.node.uploadMultipartUrls.uploadID });
    expect(aborted.completeMultipartUploadArtifact).toEqual({ digest: null });
    expect(objects(dir)).toEqual(before);
    const late = await putPart(aParts[2].uploadUrl, partBytes(2, 2));
    expect(late.status).toBe(404);
    const completeAfter = await gql(srv, 'CompleteMultipartUploadArtifact', { completeMultipartAction: 'Complete', completedParts: [], artifactID: a.artifactID, storagePath: a.node.storagePath, uploadID: a.node.uploadMultipartUrls.uploadID });
    expect(completeAfter.status).toBe(404);
    expect(completeAfter.body.errors[0].message).toMatch(/no multipart upload "[0-9a-f]{32}" \(never announced, completed or aborted\)/);

    // Another upload: part 1 arrives, part 2 is cut off mid-body by a SIGKILL.
    const b = await announce(srv, 'b.bin', 3);
    const bParts = b.node.uploadMultipartUrls.uploadUrlParts;
    expect((await putPart(bParts[0].uploadUrl, partBytes(3, 0))).status).toBe(200);
    // Cut off after 2 MiB of a declared 3 MiB (more than the store buffers before its first write to disk).
    const req = request(bParts[1].uploadUrl, { method: 'PUT', agent: false, headers: { 'content-length': String(3 * 1024 * KiB) } });
    req.on('error', () => {});
    for (let i = 0; i < 8; i++) req.write(partBytes(3 + i, 0));
    for (let t = 0; staging(dir).length === 0 && t < 300; t++) await new Promise((r) => setTimeout(r, 10));
    expect(staging(dir)).toHaveLength(1);
    await kill(srv);
    req.destroy();

    srv = await serve(dir);
    expect(staging(dir)).toEqual([]);
    const log = await harness(srv, 'log');
    expect(log.artifacts).toEqual([]);
    // The upload is still in progress (as S3 keeps one until it is completed or aborted): the rest of the parts
    // and the completion go through after the restart (same URLs, on the new port).
    const moved = (url: string) => Object.assign(new URL(url), { host: new URL(srv.url).host }).toString();
    const etags = [`"${hex(partBytes(3, 0))}"`];
    for (let i = 1; i < bParts.length; i++) {
      const res = await putPart(moved(bParts[i].uploadUrl), partBytes(3, i));
      expect(res.status).toBe(200);
      etags.push(res.headers.get('etag')!);
    }
    const done = await ok(srv, 'CompleteMultipartUploadArtifact', { completeMultipartAction: 'Complete', completedParts: etags.map((hexMD5, i) => ({ partNumber: i + 1, hexMD5 })), artifactID: b.artifactID, storagePath: b.node.storagePath, uploadID: b.node.uploadMultipartUrls.uploadID });
    expect(done.completeMultipartUploadArtifact.digest).toBe(b.md5);
  });
});

describe('multipart upload with our client through serve --data-dir', () => {
  const client = (srv: ServeProcess) => new WandbClient({
    settings: { baseUrl: srv.url, apiKey: KEY, entity: 'e', project: 'p' }, env: {}, clock: new ManualClock(), random: seededRandom(7),
    multipart: { thresholdBytes: 1024 * KiB, partBytes: PART },
  });
  const writeSeeded = (dir: string, name: string, seed: number) => {
    const path = join(dir, name);
    for (let i = 0; i < partCount(); i++) writeFileSync(path, partBytes(seed, i), { flag: i === 0 ? 'w' : 'a' });
    return path;
  };

  it('logs a file over the threshold in parts (one part retried after a 503) next to a small one; logged, downloaded, kept over a SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracked-flows-mp-client-'));
    let srv = await serve(join(dir, 'data'));
    await harness(srv, 'faults', [{ path: '/storage/artifacts/**', method: 'PUT', nth: 3, fault: { type: 'status', status: 503 } }]);
    const run = await client(srv).init({ id: 'c1', jobType: 'train' });
    const big = writeSeeded(dir, 'model.bin', 4);
    const logged = await run.logArtifact({ name: 'model', type: 'model', files: [{ path: 'model.bin', filePath: big }, { path: 'small.txt', bytes: 'small file\n' }] });
    await run.finish(0);
    expect(logged.state).toBe('COMMITTED');
    expect((await harness(srv, 'faults')).fired).toBe(1);
    const md5 = wholeMd5(4);
    const expected = [{ path: 'model.bin', size: SIZE, md5 }, { path: 'small.txt', size: 11, md5: createHash('md5').update('small file\n').digest('base64') }];
    const check = async (s: ServeProcess) => {
      const log = await harness(s, 'log');
      expect(log.artifacts.map((a: { name: string; files: unknown }) => [a.name, a.files])).toEqual([['model', expected]]);
      const urls = await ok(s, 'ArtifactFileURLsByManifestEntries', { id: logged.id, entries: [{ name: 'model.bin', digest: md5, size: SIZE, birthArtifactID: null, ref: null }], storageLayout: 'V2', manifestVersion: '1', storageRegion: null });
      expect(await downloadMd5(urls.artifact.filesByManifestEntries.edges[0].node.directUrl)).toEqual({ md5, size: SIZE });
    };
    await check(srv);
    await kill(srv);
    srv = await serve(join(dir, 'data'));
    await check(srv);
  });

  it('a part that keeps failing: the client aborts the upload, the log and the blob store keep nothing of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracked-flows-mp-client-abort-'));
    const srv = await serve(join(dir, 'data'));
    const run = await client(srv).init({ id: 'c2', jobType: 'train' });
    const before = objects(join(dir, 'data'));
    await harness(srv, 'faults', [{ path: '/storage/artifacts/**', method: 'PUT', from: 3, fault: { type: 'status', status: 500 } }]);
    const big = writeSeeded(dir, 'model.bin', 5);
    await expect(run.logArtifact({ name: 'model', type: 'model', files: [{ path: 'model.bin', filePath: big }] })).rejects.toMatchObject({
      message: expect.stringContaining('Failed to log artifact "model": 1 of 1 file uploads failed (first: "model.bin")'),
      cause: { code: 'WANDB_RETRIES_EXHAUSTED', message: expect.stringMatching(/"model\.bin part 3": HTTP 500 .* after 21 attempts/) },
    });
    expect((await harness(srv, 'log')).artifacts).toEqual([]);
    // Parts 1 and 2 were stored, then removed by the abort.
    expect(objects(join(dir, 'data'))).toEqual(before);
    expect(staging(join(dir, 'data'))).toEqual([]);
  });
});
