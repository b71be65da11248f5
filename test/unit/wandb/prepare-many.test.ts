// prepareArtifact hashes files on disk a few at a time: entries must stay in input order, every file and
// content hashed exactly as one at a time, and the error thrown is the first failing file in input order.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { md5FileBase64, prepareArtifact } from '../../../src/wandb/index.ts';

let dir = '';
const N = 300;
const content = (i: number) => `file ${i}\n`.repeat(i % 7); // includes empty files
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wandb-prepare-many-'));
  await Promise.all(Array.from({ length: N }, (_, i) => writeFile(join(dir, `f${i}`), content(i))));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('prepareArtifact over many files', () => {
  it('keeps input order and the digests and sizes of hashing one at a time, bytes and files mixed', async () => {
    const files = Array.from({ length: N }, (_, i) => (i % 5 === 0 ? { path: `d/b${i}`, bytes: content(i) } : { path: `d/f${i}`, filePath: join(dir, `f${i}`) }));
    const { entries } = await prepareArtifact({ name: 'many', type: 'dataset', files });
    expect(entries.map((e) => e.path)).toEqual(files.map((f) => f.path));
    for (const [i, e] of entries.entries()) {
      expect(e.digest).toBe(createHash('md5').update(content(i)).digest('base64'));
      expect(e.size).toBe(Buffer.byteLength(content(i)));
    }
    expect(await md5FileBase64(join(dir, 'f1'))).toEqual({ md5: entries[1]!.digest, size: entries[1]!.size });
  });

  it('throws for the first missing file in input order, whichever fails first in time', async () => {
    const files = Array.from({ length: 40 }, (_, i) => ({ path: `f${i}`, filePath: join(dir, i === 30 || i === 12 ? `missing-${i}` : `f${i}`) }));
    await expect(prepareArtifact({ name: 'many', type: 'dataset', files })).rejects.toMatchObject({ code: 'WANDB_FILE', message: expect.stringContaining('missing-12') });
  });
});
