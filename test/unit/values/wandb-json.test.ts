import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeValue, type ValueEncoding } from '../../../src/values/encoding.ts';
import { toWandbJson, wandbJsonText, wandbJsonToJs } from '../../../src/values/wandb-json.ts';
import { PythonError } from '../../../src/values/errors.ts';
import { pyFloatRepr } from '../../../src/values/pyrepr.ts';
import { py } from '../../../src/values/model.ts';
import { pyHash } from '../../../src/values/pyhash.ts';

interface Vector { description: string; repr: string; encoding: ValueEncoding; json?: string; error?: string }
const fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../fixtures/values/json-vectors.json', import.meta.url)), 'utf8'),
) as { vectors: Vector[]; float_repr: [string, string][] };

function fromPythonHex(h: string): number {
  const m = /^(-?)0x([01])\.([0-9a-f]+)p([+-]\d+)$/.exec(h);
  if (m === null) throw new Error(h);
  const mant = BigInt(`0x${m[2]}${m[3]}`);
  const v = Number(mant) * 2 ** (Number(m[4]) - 4 * m[3]!.length);
  return m[1] === '-' ? -v : v;
}

describe('W&B JSON of scalar outputs, equal to CPython json.dumps with json_friendly', () => {
  for (const v of fixture.vectors) {
    it(`${v.description}: ${v.repr.slice(0, 50)}`, () => {
      const value = decodeValue(v.encoding);
      if (v.json !== undefined) {
        expect(wandbJsonText(value)).toBe(v.json);
      } else {
        let err: unknown;
        try { wandbJsonText(value); } catch (e) { err = e; }
        expect(err).toBeInstanceOf(PythonError);
        expect((err as PythonError).pythonRepr).toBe(v.error);
      }
    });
  }
});

describe('repr(float) like CPython', () => {
  it(`matches ${fixture.float_repr.length} CPython reprs`, () => {
    for (const [hex, repr] of fixture.float_repr) expect(pyFloatRepr(fromPythonHex(hex))).toBe(repr);
  });
});

describe('reference §3.6 failure modes and values that were fine', () => {
  it('a list holding a RandomForestClassifier raises W&B\'s TypeError', () => {
    expect(() => wandbJsonText(py.list([py.sklearn('RandomForestClassifier')]))).toThrow('Object of type RandomForestClassifier is not JSON serializable');
  });
  it('a list holding a DataFrame raises too', () => {
    const df = py.dataframe(['a'], [[py.int(1)]]);
    expect(() => wandbJsonText(py.list([df]))).toThrow('Object of type DataFrame is not JSON serializable');
  });
  it('numpy scalars become numbers; small arrays become lists', () => {
    expect(wandbJsonText(py.list([py.numpy('int64', 3n), py.numpy('float32', 0.5), py.numpy('bool_', true), py.numpy('float64', 2)]))).toBe('[3, 0.5, true, 2.0]');
    expect(wandbJsonText(py.record({ arr: py.ndarray('int64', [2, 2], [1n, 2n, 3n, 4n]) }))).toBe('{"arr": [[1, 2], [3, 4]]}');
  });
  it('compact separators and plain JS form are available', () => {
    const v = py.record({ a: py.list([py.int(1), py.float(Number.NaN)]) });
    expect(wandbJsonText(v, { compact: true })).toBe('{"a":[1,NaN]}');
    expect(wandbJsonToJs(toWandbJson(py.int(2n ** 70n)))).toBe(2n ** 70n);
    expect(wandbJsonToJs(toWandbJson(v))).toEqual({ a: [1, Number.NaN] });
  });
});

describe('CPython hash() of numbers and tuples (drives set order)', () => {
  const hashes = (JSON.parse(
    readFileSync(fileURLToPath(new URL('../../fixtures/values/json-vectors.json', import.meta.url)), 'utf8'),
  ) as { hashes: [ValueEncoding, string][] }).hashes;
  it(`matches ${hashes.length} CPython hashes`, () => {
    for (const [enc, h] of hashes) expect([enc, pyHash(decodeValue(enc))?.toString()]).toEqual([enc, h]);
  });
});
