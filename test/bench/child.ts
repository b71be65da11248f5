// One measurement in a fresh process, so its peak RSS is its own. Prints one JSON line on stdout.
//   scale <n> <plain|tracked> <msw|direct> [no-input]   a foreach of n through the runner (or without msw)
//   cold <msw|direct>                        the 3-step scenario, first 10 runs of a fresh process (JIT cold)
//   hash-file <path> | raw-file <path>       md5FileBase64 | createHash('md5') over 1 MiB readSync chunks
//   hash-dir <dir>  | raw-dir <dir>          prepareArtifact over every file | readFileSync + one-shot md5 per file

import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'base64') => string }).hash;
import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { md5FileBase64, prepareArtifact } from '../../src/index.ts';
import { runScenario } from '../../harness/runner/index.ts';
import { threeStepScenario } from './cases.ts';
import { runDirect } from './direct.ts';
import { foreachOf } from './flows.ts';
import { withPeakMemory } from './stats.ts';

const [kind, arg, ...rest] = process.argv.slice(2);

async function main(): Promise<Record<string, unknown>> {
  switch (kind) {
    case 'scale': {
      const size = Number(arg);
      const tracked = rest[0] === 'tracked';
      const readsInput = rest[2] !== 'no-input';
      const direct = rest[1] === 'direct';
      const go = (k: number) => (direct ? runDirect(foreachOf(k, tracked, readsInput)) : runScenario(foreachOf(k, tracked, readsInput)));
      await go(10); // warm-up: module init, JIT
      const runs = size <= 100 ? 7 : size <= 1000 ? 3 : 1;
      const { value: times, peakRssMiB, peakHeapMiB, baseRssMiB } = await withPeakMemory(async () => {
        const out: number[] = [];
        for (let i = 0; i < runs; i++) {
          const t0 = performance.now();
          await go(size);
          out.push(performance.now() - t0);
        }
        return out;
      });
      return { times, peakRssMiB, peakHeapMiB, baseRssMiB };
    }
    case 'cold': {
      const s = threeStepScenario();
      const times: number[] = [];
      for (let i = 0; i < 10; i++) {
        const t0 = performance.now();
        await runScenario(s, { transport: arg as 'msw' | 'direct' });
        times.push(performance.now() - t0);
      }
      return { times };
    }
    case 'hash-file':
    case 'raw-file': {
      const size = statSync(arg!).size;
      const { value: ms, peakRssMiB, baseRssMiB } = await withPeakMemory(async () => {
        const t0 = performance.now();
        if (kind === 'hash-file') await md5FileBase64(arg!);
        else rawFile(arg!);
        return performance.now() - t0;
      });
      return { ms, bytes: size, peakRssMiB, baseRssMiB };
    }
    case 'hash-dir':
    case 'raw-dir': {
      const names = readdirSync(arg!).sort();
      let bytes = 0;
      const { value: ms, peakRssMiB, baseRssMiB } = await withPeakMemory(async () => {
        const t0 = performance.now();
        if (kind === 'hash-dir') {
          const { entries } = await prepareArtifact({ name: 'dir', type: 'dataset', files: names.map((n) => ({ path: n, filePath: join(arg!, n) })) });
          bytes = entries.reduce((a, e) => a + e.size, 0);
        } else {
          for (const n of names) {
            const b = readFileSync(join(arg!, n));
            // The fastest node:crypto md5 for a whole buffer (one-shot when this Node has it), as ours uses.
            if (oneShot) oneShot('md5', b, 'base64');
            else createHash('md5').update(b).digest('base64');
            bytes += b.byteLength;
          }
        }
        return performance.now() - t0;
      });
      return { ms, bytes, files: names.length, peakRssMiB, baseRssMiB };
    }
    default:
      throw new Error(`Failed to run bench child "${kind}": unknown kind. Use scale, hash-file, raw-file, hash-dir or raw-dir.`);
  }
}

function rawFile(path: string): void {
  const fd = openSync(path, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  const hash = createHash('md5');
  try {
    for (let got; (got = readSync(fd, buf, 0, buf.length, null)) > 0;) hash.update(got === buf.length ? buf : buf.subarray(0, got));
    hash.digest('base64');
  } finally {
    closeSync(fd);
  }
}

process.stdout.write(`${JSON.stringify(await main())}\n`);
