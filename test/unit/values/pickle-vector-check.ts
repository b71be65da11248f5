/** Checks pickle vectors (made by a real CPython, see test/fixtures/values/gen_*pickle_vectors.py) byte for byte. */
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeValue, type ValueEncoding } from '../../../src/values/encoding.ts';
import { pickleValue } from '../../../src/values/pickle/pickler.ts';

export interface PickleVector { description: string; repr: string; encoding: ValueEncoding; hex: string }
export interface PickleVectorFile { python: string; protocol: number; vectors: PickleVector[]; [k: string]: unknown }

export function readPickleVectors(name: string): PickleVectorFile {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/values/${name}`, import.meta.url)), 'utf8')) as PickleVectorFile;
}

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** One test per vector: the pickler's bytes equal CPython's, and the pickler claims them exact. */
export function checkPickleVectors(fixture: PickleVectorFile): void {
  for (const v of fixture.vectors) {
    it(`${v.description}: ${v.repr.slice(0, 60)}`, () => {
      const pickled = pickleValue(decodeValue(v.encoding));
      const got = toHex(pickled.bytes);
      if (got !== v.hex) {
        // Show the first differing offset, not 100 KB of hex.
        let i = 0;
        while (i < got.length && got[i] === v.hex[i]) i++;
        expect(`@${i / 2}: ${got.slice(i, i + 40)}`).toBe(`@${i / 2}: ${v.hex.slice(i, i + 40)}`);
      }
      expect(got.length).toBe(v.hex.length);
      expect(pickled.notPredicted).toEqual([]);
      expect(pickled.exact).toBe(true);
    });
  }
}
