import { describe, expect, it } from 'vitest';
import { py } from '../../../src/values/model.ts';
import { pickleValue } from '../../../src/values/pickle/pickler.ts';
import { T, defineClass } from '../../../src/values/types.ts';
import { checkPickleVectors, readPickleVectors } from './pickle-vector-check.ts';

const fixture = readPickleVectors('numpy-pickle-vectors.json');

describe('numpy arrays and scalars pickle as numpy 1.24 does (pickle.dump, protocol 4)', () => {
  it('has vectors of every numeric dtype made by the real numpy', () => {
    expect(fixture['numpy']).toBe('1.24.2');
    expect(fixture.protocol).toBe(4);
    expect(fixture.vectors.length).toBeGreaterThanOrEqual(300);
  });
  it('writes np.arange(1, 9) in 211 bytes, as the real run does (issue 29)', () => {
    const arange = py.ndarray('int64', [8], [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]);
    expect(pickleValue(arange).bytes.length).toBe(211);
  });
  it('says the bytes are not predicted for a stand-in of an array it does not hold', () => {
    const standIn = { ...py.ndarray('float64', [0], []), type: defineClass('ndarray', [], { module: 'numpy' }) };
    const pickled = pickleValue(py.list([py.int(1), standIn]));
    expect(pickled.exact).toBe(false);
    expect(pickled.notPredicted).toHaveLength(1);
    expect(pickled.notPredicted[0]).toMatch(/^numpy\.ndarray: /);
    expect(pickleValue(py.ndarray('float64', [0], [])).exact).toBe(true);
    expect(T.ndarray).not.toBe(standIn.type);
  });
  checkPickleVectors(fixture);
});
