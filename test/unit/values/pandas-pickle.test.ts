import { describe, expect, it } from 'vitest';
import { py } from '../../../src/values/model.ts';
import { pickleValue } from '../../../src/values/pickle/pickler.ts';
import { checkPickleVectors, readPickleVectors } from './pickle-vector-check.ts';

const fixture = readPickleVectors('pandas-pickle-vectors.json');

describe('pandas Series and DataFrames pickle as pandas 1.5.3 does (pickle.dump, protocol 4)', () => {
  it('has vectors made by the real pandas', () => {
    expect(fixture['pandas']).toBe('1.5.3');
    expect(fixture.protocol).toBe(4);
    expect(fixture.vectors.length).toBeGreaterThanOrEqual(40);
  });
  it('says the bytes are not predicted for a frame derived otherwise than by the constructor', () => {
    const derived = py.dataframe(['a'], [[py.int(1)]]);
    const constructed = py.dataframe(['a'], [[py.int(1)]], 'constructed');
    expect(pickleValue(constructed).exact).toBe(true);
    const pickled = pickleValue(derived);
    expect(pickled.exact).toBe(false);
    expect(pickled.notPredicted[0]).toMatch(/^pandas\.core\.frame\.DataFrame: its memory layout/);
    // Written as the constructor lays it out all the same: the likeliest bytes.
    expect(pickled.bytes).toEqual(pickleValue(constructed).bytes);
  });
  it('says so for a column whose dtype it does not model', () => {
    const s = py.series([py.list([py.int(1)])], undefined, 'constructed');
    expect(pickleValue(s).notPredicted).toEqual(['pandas.core.series.Series: a column holds values whose dtype is not modelled']);
  });
  it('says so for the layouts it does not model: an empty Series, a frame without columns', () => {
    expect(pickleValue(py.series([], 'x', 'constructed')).notPredicted).toEqual(['pandas.core.series.Series: an empty Series pickles an Int64Index, not modelled']);
    expect(pickleValue(py.dataframe([], [], 'constructed')).exact).toBe(false);
  });
  checkPickleVectors(fixture);
});
