// The disk store's upload writer (src/backend/blobs/staging-writer.ts): socket-sized chunks copied into 1 MiB
// shared batches, each written at its offset while the md5 worker hashes it. What must hold whatever the chunk
// sizes: the staged file is byte for byte what came in, its md5 is the md5 of those bytes (checked against
// node:crypto over the same bytes, not against the writer), an abort leaves no staging file, and an upload over
// HTTP whose bytes do not match the announced md5 still gets its 400 with nothing kept.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskBlobStore } from '../../src/backend/blobs/index.ts';
import { DataDir, MockBackend } from '../../src/index.ts';
import { CREATE_ARTIFACT, CREATE_ARTIFACT_FILES } from '../../src/wandb/queries.ts';

const MiB = 1 << 20;
const stores: DiskBlobStore[] = [];
const dirs: DataDir[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) d.close();
});
const store = () => {
  const s = DiskBlobStore.temporary();
  stores.push(s);
  return s;
};
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('base64');

/** Bytes that differ at every offset that matters (a batch boundary shifted by one shows up in the md5). */
function bytes(size: number): Buffer {
  const b = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; i++) b[i] = (i * 131 + (i >>> 11)) & 0xff;
  return b;
}

/** `data` in pieces of the given sizes, cycling, as fresh copies (a socket hands out fresh buffers). */
function* pieces(data: Buffer, sizes: number[]): Generator<Buffer> {
  let at = 0;
  for (let k = 0; at < data.length; k++) {
    const n = sizes[k % sizes.length]!;
    yield Buffer.from(data.subarray(at, at + n));
    at += n;
  }
}

describe('the disk store upload writer', () => {
  it('a multi-MiB upload in odd-sized chunks: the staged file is the same bytes, with their md5', async () => {
    const data = bytes(5 * MiB + 12_345);
    const s = store();
    const w = s.begin();
    // 64 KiB + 1 (never aligned to a batch), a 3 MiB chunk spanning several batches, a single byte.
    for (const piece of pieces(data, [65_537, 3 * MiB, 1, 100_000])) await w.write(piece);
    const staged = await w.finish();
    expect(staged.size).toBe(data.length);
    expect(staged.md5).toBe(md5(data));
    staged.commit();
    const hex = Buffer.from(staged.md5, 'base64').toString('hex');
    expect(readFileSync(join(s.objects, hex)).equals(data)).toBe(true);
  });

  it('uploads under one batch, exactly one batch, and empty: right md5 and bytes', async () => {
    const s = store();
    for (const size of [0, 1, MiB - 1, MiB, MiB + 1, 4 * MiB, 4 * MiB + 7]) {
      const data = bytes(size);
      const w = s.begin();
      for (const piece of pieces(data, [65_536])) await w.write(piece);
      const staged = await w.finish();
      expect([size, staged.size, staged.md5]).toEqual([size, size, md5(data)]);
      staged.commit();
      expect(readFileSync(join(s.objects, Buffer.from(staged.md5, 'base64').toString('hex'))).equals(data)).toBe(true);
    }
  });

  it('two uploads at once, interleaved chunk by chunk, keep their own md5', async () => {
    const s = store();
    const a = bytes(3 * MiB + 5);
    const b = Buffer.from(bytes(3 * MiB + 5).map((x) => x ^ 0x5a));
    const wa = s.begin();
    const wb = s.begin();
    const pa = [...pieces(a, [70_000])];
    const pb = [...pieces(b, [70_000])];
    for (let i = 0; i < pa.length; i++) await Promise.all([wa.write(pa[i]!), wb.write(pb[i]!)]);
    const [sa, sb] = await Promise.all([wa.finish(), wb.finish()]);
    expect([sa.md5, sb.md5]).toEqual([md5(a), md5(b)]);
  });

  it('an abort after several batches leaves no staging file, and a later upload still works', async () => {
    const s = store();
    const w = s.begin();
    for (const piece of pieces(bytes(6 * MiB), [65_536])) await w.write(piece);
    w.abort();
    await expect.poll(() => readdirSync(s.staging), { timeout: 2_000 }).toEqual([]);
    await expect(w.write(Buffer.alloc(1))).rejects.toThrow(/already finished or aborted/);
    const again = s.begin();
    const data = bytes(2 * MiB + 3);
    await again.write(data);
    expect((await again.finish()).md5).toBe(md5(data));
  });

  it('over HTTP-shaped traffic: a 3 MiB upload whose bytes do not match the announced md5 is a 400, nothing kept', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tracked-flows-staging-test-'));
    const dataDir = new DataDir(root, { warn: () => {} });
    dirs.push(dataDir);
    const backend = new MockBackend({ durable: dataDir });
    const gql = async (op: { name: string; query: string }, variables: unknown) => {
      const res = await backend.handle(new Request('http://mock/graphql', { method: 'POST', body: JSON.stringify({ query: op.query, variables }) }));
      return ((await res.json()) as { data: Record<string, any> }).data;
    };
    const sent = bytes(3 * MiB);
    const created = await gql(CREATE_ARTIFACT, { input: { entityName: 'e', projectName: 'p', artifactTypeName: 'dataset', artifactCollectionName: 'ds', digest: 'a'.repeat(32) } });
    const id = created.createArtifact.artifact.id as string;
    const announced = md5(Buffer.concat([sent.subarray(0, MiB), Buffer.alloc(1, sent[MiB]! ^ 1), sent.subarray(MiB + 1)]));
    const files = await gql(CREATE_ARTIFACT_FILES, { storageLayout: 'V2', artifactFiles: [{ artifactID: id, name: 'f.bin', md5: announced }] });
    const url = files.createArtifactFiles.files.edges[0].node.uploadUrl as string;
    const gen = pieces(sent, [65_536]);
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        const next = gen.next();
        if (next.done) c.close();
        else c.enqueue(next.value);
      },
    });
    const res = await backend.handle(new Request(url, { method: 'PUT', body, duplex: 'half' } as RequestInit));
    expect(res.status).toBe(400);
    expect(readdirSync(join(root, 'blobs', 'staging'))).toEqual([]);
    expect(readdirSync(join(root, 'blobs', 'objects'))).toEqual([]);
  });
});
