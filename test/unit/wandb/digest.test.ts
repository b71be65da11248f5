// Digest test vectors of reference §5.3 (checked there with Python's hashlib), an astral-path ordering case
// derived with python3's hashlib, and constant-memory streaming of a 1 GiB file.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { open, rm, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { base64ToHex, manifestDigest, md5Base64, md5FileBase64, md5Hex } from '../../../src/wandb/index.ts';

describe('entry digests', () => {
  it('md5("test") is CY9rzUYh03PK3k6DJie09g== / 098f6bcd4621d373cade4e832627b4f6', () => {
    expect(md5Base64('test')).toBe('CY9rzUYh03PK3k6DJie09g==');
    expect(md5Hex('test')).toBe('098f6bcd4621d373cade4e832627b4f6');
    expect(base64ToHex('CY9rzUYh03PK3k6DJie09g==')).toBe('098f6bcd4621d373cade4e832627b4f6');
  });

  it('hashes the reference files', () => {
    expect(md5Base64('a,b\n1,2\n3,4\n')).toBe('w8a8Kujs5L0lENyiEiXAQQ==');
    expect(md5Base64('hello\n')).toBe('sZRqySSS0jR8YjW00mERhA==');
  });

  it('streams a file from disk to the same digest and size', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wandb-digest-'));
    try {
      await writeFile(join(dir, 'raw_df.csv'), 'a,b\n1,2\n3,4\n');
      expect(await md5FileBase64(join(dir, 'raw_df.csv'))).toEqual({ md5: 'w8a8Kujs5L0lENyiEiXAQQ==', size: 12 });
      await writeFile(join(dir, 'empty'), '');
      expect(await md5FileBase64(join(dir, 'empty'))).toEqual({ md5: '1B2M2Y8AsgTpgAmY7PhCfg==', size: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails clearly on a missing file', async () => {
    await expect(md5FileBase64(join(tmpdir(), 'no-such-file-for-wandb-digest'))).rejects.toMatchObject({ code: 'WANDB_FILE' });
  });
});

describe('artifact (manifest) digest', () => {
  it('of an empty artifact is 64e7c61456b10382e2f3b571ac24b659', () => {
    expect(manifestDigest([])).toBe('64e7c61456b10382e2f3b571ac24b659');
  });

  it('of the two-file artifact is 335121c8f073fb0addf9940b0bf1128f, whatever the input order', () => {
    const a = ['raw_df.csv', 'w8a8Kujs5L0lENyiEiXAQQ=='] as const;
    const b = ['sub/notes.txt', 'sZRqySSS0jR8YjW00mERhA=='] as const;
    expect(manifestDigest([a, b])).toBe('335121c8f073fb0addf9940b0bf1128f');
    expect(manifestDigest([b, a])).toBe('335121c8f073fb0addf9940b0bf1128f');
  });

  it('sorts paths by UTF-8 bytes, not UTF-16 units (astral characters)', () => {
    // python3: files "😀.txt"=b"a", "\ufffd.txt"=b"b", "z.txt"=b"c"; sorted() puts U+FFFD before U+1F600
    // (JS's default sort would put the surrogate pair first) → 15587b75e1cb6d8c04c39fc12e4c5bfa.
    const entries = [
      ['\u{1F600}.txt', md5Base64('a')],
      ['\uFFFD.txt', md5Base64('b')],
      ['z.txt', md5Base64('c')],
    ] as const;
    expect(md5Base64('a')).toBe('DMF1ucDxtqgxw5niaXcmYQ==');
    expect(manifestDigest(entries)).toBe('15587b75e1cb6d8c04c39fc12e4c5bfa');
    // The UTF-16 order gives python3's digest of the wrong order, which must not be ours.
    expect(manifestDigest(entries)).not.toBe('397456ea2698148e273c9b0a70194ed8');
  });
});

describe('streaming a 1 GiB file', () => {
  it('uses constant memory and matches md5sum', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wandb-digest-big-'));
    const path = join(dir, 'big.bin');
    const GiB = 1024 ** 3;
    try {
      const chunk = randomBytes(16 * 1024 * 1024);
      const handle = await open(path, 'w');
      try {
        for (let written = 0; written < GiB; written += chunk.length) {
          chunk[0] = (written / chunk.length) & 0xff; // vary the chunks a little
          await handle.write(chunk, 0, chunk.length);
        }
      } finally {
        await handle.close();
      }

      global.gc?.();
      const before = process.memoryUsage();
      let peakRss = before.rss;
      let peakHeap = before.heapUsed;
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      }, 5);
      let result;
      try {
        result = await md5FileBase64(path);
      } finally {
        clearInterval(sampler);
      }
      const after = process.memoryUsage();
      peakRss = Math.max(peakRss, after.rss);

      expect(result.size).toBe(GiB);
      expect(peakRss - before.rss).toBeLessThan(64 * 1024 * 1024);
      expect(peakHeap - before.heapUsed).toBeLessThan(64 * 1024 * 1024);
      const hex = execFileSync('md5sum', [path], { encoding: 'utf8' }).split(' ')[0];
      expect(base64ToHex(result.md5)).toBe(hex);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
