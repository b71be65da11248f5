// Big files over real HTTP without ever holding them: bytes generated chunk by chunk from a seed (the md5 is
// computed the same way), streamed into a PUT, and hashed back as a download streams in. Plus the artifact flow
// around such a file, with the documents our client sends (src/wandb/queries.ts).
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { manifestDigest } from '../../src/wandb/digest.ts';
import { manifestJson } from '../../src/wandb/manifest.ts';
import { COMMIT_ARTIFACT, CREATE_ARTIFACT, CREATE_ARTIFACT_FILES, CREATE_ARTIFACT_MANIFEST } from '../../src/wandb/queries.ts';

const CHUNK = 1 << 20;
export const MiB = 1 << 20;

/** The i-th 1 MiB chunk of a seeded file: a fixed noise block with the seed and index stamped in front. */
function chunkAt(noise: Buffer, seed: number, i: number, size: number): Buffer {
  const out = Buffer.from(noise.subarray(0, Math.min(CHUNK, size - i * CHUNK)));
  if (out.length >= 8) {
    out.writeUInt32LE(seed >>> 0, 0);
    out.writeUInt32LE(i >>> 0, 4);
  }
  return out;
}

const NOISE = (() => {
  const b = Buffer.alloc(CHUNK);
  let x = 2463534242;
  for (let i = 0; i < b.length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b.writeUInt32LE(x >>> 0, i);
  }
  return b;
})();

export function* chunks(size: number, seed: number): Generator<Buffer> {
  for (let i = 0; i * CHUNK < size; i++) yield chunkAt(NOISE, seed, i, size);
}

/** base64 md5 of the seeded file, computed by generating it. */
export function seededMd5(size: number, seed: number): string {
  const h = createHash('md5');
  for (const c of chunks(size, seed)) h.update(c);
  return h.digest('base64');
}

export interface PutResult { status: number; body: string; headers: Record<string, string | string[] | undefined> }

/**
 * PUTs `size` seeded bytes to `url` as one streamed request. `onProgress(sent)` may return false to stop sending
 * (the request then hangs open: the caller kills the server).
 */
export function putSeeded(url: string, size: number, seed: number, onProgress?: (sent: number) => void): Promise<PutResult> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'PUT', agent: false, headers: { 'content-length': String(size), 'content-type': 'application/octet-stream' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    const gen = chunks(size, seed);
    let sent = 0;
    const pump = () => {
      for (;;) {
        const next = gen.next();
        if (next.done) return void req.end();
        sent += next.value.length;
        onProgress?.(sent);
        if (!req.write(next.value)) return void req.once('drain', pump);
      }
    };
    pump();
  });
}

/** GET (or a Range of) `url`, hashed as it streams in: never held whole. */
export function getMd5(url: string, headers: Record<string, string> = {}): Promise<{ status: number; md5: string; size: number; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    request(url, { headers, agent: false }, (res) => {
      const h = createHash('md5');
      let size = 0;
      res.on('data', (d: Buffer) => {
        h.update(d);
        size += d.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, md5: h.digest('base64'), size, headers: res.headers }));
      res.on('error', reject);
    }).on('error', reject).end();
  });
}

/** One request on its own connection: hashing a big file takes longer than serve's keep-alive timeout, and a
 *  pooled connection the server is closing at that moment fails the next request ("other side closed"). */
function send(url: string, method: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function gql(base: string, op: { name: string; query: string }, variables: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await send(`${base}/graphql`, 'POST', JSON.stringify({ operationName: op.name, query: op.query, variables }));
  const body = JSON.parse(res.text) as { data?: Record<string, any>; errors?: unknown };
  if (res.status !== 200 || body.errors) throw new Error(`${op.name}: HTTP ${res.status} ${JSON.stringify(body.errors)}`);
  return body.data!;
}

export interface BigArtifact { name: string; file: string; size: number; seed: number }

/** CreateArtifact -> CreateArtifactManifest -> CreateArtifactFiles: the artifact id and the file's upload URL. */
export async function prepareArtifact(base: string, a: BigArtifact, md5: string): Promise<{ id: string; fileUrl: string; manifestUrl: string; manifest: string }> {
  const contents: [string, string][] = [[a.file, md5]];
  const digest = manifestDigest(contents);
  const created = await gql(base, CREATE_ARTIFACT, {
    input: { entityName: 'e', projectName: 'p', artifactTypeName: 'model', artifactCollectionName: a.name, digest, aliases: [{ alias: 'latest', artifactCollectionName: a.name }] },
  });
  const id = created.createArtifact.artifact.id as string;
  const man = { artifactID: id, baseArtifactID: null, name: 'wandb_manifest.json', digest: '', entityName: 'e', projectName: 'p', runName: '', manifestType: 'FULL', includeUpload: false };
  const first = await gql(base, CREATE_ARTIFACT_MANIFEST, man);
  const files = await gql(base, CREATE_ARTIFACT_FILES, {
    storageLayout: 'V2',
    artifactFiles: [{ artifactID: id, name: a.file, md5, artifactManifestID: first.createArtifactManifest.artifactManifest.id }],
  });
  const fileUrl = files.createArtifactFiles.files.edges[0].node.uploadUrl as string;
  const manifest = manifestJson([{ path: a.file, digest: md5, size: a.size }]);
  const second = await gql(base, CREATE_ARTIFACT_MANIFEST, { ...man, digest: createHash('md5').update(manifest).digest('base64'), includeUpload: true });
  return { id, fileUrl, manifestUrl: second.createArtifactManifest.artifactManifest.file.uploadUrl as string, manifest };
}

/** The whole flow for one big file: prepare, PUT the bytes as one request (timed alone: putMs), PUT the manifest, commit. */
export async function logBigArtifact(base: string, a: BigArtifact): Promise<{ id: string; md5: string; md5Ms: number; putMs: number; put: PutResult }> {
  const t0 = performance.now();
  const md5 = seededMd5(a.size, a.seed);
  const md5Ms = performance.now() - t0;
  const { id, fileUrl, manifestUrl, manifest } = await prepareArtifact(base, a, md5);
  const t1 = performance.now();
  const put = await putSeeded(fileUrl, a.size, a.seed);
  const putMs = performance.now() - t1;
  if (put.status !== 200) return { id, md5, md5Ms, putMs, put };
  const man = await send(manifestUrl, 'PUT', manifest);
  if (man.status !== 200) throw new Error(`manifest PUT: HTTP ${man.status} ${man.text}`);
  await gql(base, COMMIT_ARTIFACT, { artifactID: id });
  return { id, md5, md5Ms, putMs, put };
}

/** Peak and current resident set of a process, in MiB, from /proc (Linux). */
export async function rssOf(pid: number): Promise<{ peak: number; now: number }> {
  const { readFileSync } = await import('node:fs');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { peak: kib('VmHWM') / 1024, now: kib('VmRSS') / 1024 };
}
