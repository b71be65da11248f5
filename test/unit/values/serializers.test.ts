import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  PythonError, T, artifactFiles, defineClass, contentId, decodeValue, encodeValue, inlineDirPath, isinstance, missingPath,
  pathEntries, pickleDumps, py, torchSave, type ValueEncoding,
} from '../../../src/values/index.ts';
import { fileFs } from './fixtures.ts';

const vectors = (JSON.parse(
  readFileSync(fileURLToPath(new URL('../../fixtures/values/pickle-vectors.json', import.meta.url)), 'utf8'),
) as { vectors: { description: string; encoding: ValueEncoding; hex: string }[] }).vectors;

describe('unpicklable values raise the pickling error the integration propagates (reference §3.6)', () => {
  it('a local function: AttributeError: Can\'t pickle local object (CPython 3.11 text)', () => {
    let err: unknown;
    try { pickleDumps(py.function('f.<locals>.g')); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(PythonError);
    expect((err as PythonError).pythonRepr).toBe("AttributeError: Can't pickle local object 'f.<locals>.g'");
  });
  it('inside a container too', () => {
    expect(() => pickleDumps(py.list([py.int(1), py.function('test_track_other.<locals>.func')])))
      .toThrow("Can't pickle local object 'test_track_other.<locals>.func'");
  });
  it('an instance of a class declared unpicklable', () => {
    const Handle = defineHandle();
    expect(() => pickleDumps(py.object(Handle))).toThrow("cannot pickle 'TextIOWrapper' object");
  });
});

function defineHandle() {
  return defineClass('TextIOWrapper', [], { module: '_io', picklable: false });
}

describe('content identity', () => {
  it('is the sha1 of the CPython pickle (Metaflow\'s content address)', () => {
    for (const v of vectors.slice(0, 40)) {
      const expected = createHash('sha1').update(Buffer.from(v.hex, 'hex')).digest('hex');
      expect(contentId(decodeValue(v.encoding))).toBe(expected);
    }
  });
  it('distinguishes 1 from 1.0 and equal containers compare equal', () => {
    expect(contentId(py.int(1))).not.toBe(contentId(py.float(1)));
    expect(contentId(py.record({ a: py.list([py.int(1)]) }))).toBe(contentId(py.record({ a: py.list([py.int(1)]) })));
  });
});

describe('Path values', () => {
  it('a file gives its basename, a dir its files relative to it (sorted), a missing path nothing (§3.2)', () => {
    expect(pathEntries(py.path('data/f.txt', fileFs)).map((e) => e.name)).toEqual(['f.txt']);
    const dir = inlineDirPath('data', { 'sub/g.txt': 'y', 'f.txt': 'x' });
    expect(pathEntries(dir).map((e) => [e.name, Buffer.from(e.data).toString()])).toEqual([['f.txt', 'x'], ['sub/g.txt', 'y']]);
    expect(pathEntries(missingPath('nowhere'))).toEqual([]);
  });
  it('a Path is a Path, a PurePosixPath is not', () => {
    expect(isinstance(py.path('x'), 'Path')).toBe(true);
    expect(isinstance(py.purePath('x'), 'Path')).toBe(false);
    expect(isinstance(py.purePath('x'), T.PurePath)).toBe(true);
  });
});

describe('artifact files per label (reference §3.2 serialization table)', () => {
  it('names the files as the integration does', async () => {
    const df = py.dataframe(['a'], [[py.int(1)]]);
    expect((await artifactFiles('pd.DataFrame', 'df', df)).map((f) => f.name)).toEqual(['df.parquet']);
    expect((await artifactFiles('BaseEstimator', 'model', py.sklearn('RandomForestClassifier'))).map((f) => f.name)).toEqual(['model.pkl']);
    expect((await artifactFiles('generic', 'none', py.None)).map((f) => [f.name, Buffer.from(f.data).toString('hex')])).toEqual([['none.pkl', '80044e2e']]);
    expect((await artifactFiles('generic', 'tup', py.tuple([py.int(1)])))[0]!.name).toBe('tup.pkl');
    expect(await artifactFiles('Path', 'p', missingPath('m'))).toEqual([]);
    expect(await artifactFiles('scalar', 'x', py.int(1))).toEqual([]);
  });
  it('marks a .pkl whose bytes are not the real run\'s, and only such a .pkl', async () => {
    const [estimator] = await artifactFiles('BaseEstimator', 'model', py.sklearn('RandomForestClassifier'));
    expect(estimator!.notPredicted).toEqual(['sklearn.ensemble._forest.RandomForestClassifier: its pickled state is the library\'s internal state, not modelled']);
    const [arr] = await artifactFiles('generic', 'arr', py.ndarray('int64', [8], [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]));
    // np.arange(1, 9): 211 bytes in the real run (issue 29), predicted exactly.
    expect([arr!.data.length, arr!.notPredicted]).toEqual([211, undefined]);
    const [derived] = await artifactFiles('generic', 'df', py.dataframe(['a'], [[py.int(1)]]));
    expect(derived!.notPredicted).toHaveLength(1);
  });
  it('torch modules are written deterministically in the documented format', async () => {
    const a = torchSave(py.torchModule('Net', [['hidden', py.int(16)]]));
    const b = torchSave(py.torchModule('Net', [['hidden', py.int(16)]]));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    const doc = JSON.parse(Buffer.from(a).toString()) as { format: string; class: string; mro: string[] };
    expect(doc.format).toBe('tracked-flows/torch-module@1');
    expect(doc.class).toBe('__main__.Net');
    expect(doc.mro).toEqual(['__main__.Net', 'torch.nn.modules.module.Module', 'object']);
    expect((await artifactFiles('nn.Module', 'net', py.torchModule('Net')))[0]!.name).toBe('net.pkl');
  });
});

describe('value encoding round trip', () => {
  it('decode(encode(v)) pickles to the same CPython bytes', () => {
    for (const v of vectors.filter((x) => !JSON.stringify(x.encoding).includes('"shared"'))) {
      const again = decodeValue(encodeValue(decodeValue(v.encoding)));
      expect(Buffer.from(pickleDumps(again)).toString('hex')).toBe(v.hex);
    }
  });
});

describe('ndarray from nested lists', () => {
  it('infers shape and dtype as numpy does for Python scalars', async () => {
    const { ndarrayFromNested } = await import('../../../src/values/index.ts');
    const a = ndarrayFromNested([py.list([py.int(1), py.int(2)]), py.list([py.int(3), py.float(4.5)])]);
    expect([a.dtype, a.shape]).toEqual(['float64', [2, 2]]);
    expect(ndarrayFromNested([py.int(1), py.int(2)]).dtype).toBe('int64');
    expect(ndarrayFromNested([py.bool(true)]).dtype).toBe('bool');
    expect(() => ndarrayFromNested([py.list([py.int(1)]), py.list([])])).toThrow(/not rectangular/);
  });
});
