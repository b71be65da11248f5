// Value encodings on the wire: W&B's extended JSON (bare NaN/Infinity), Python's float repr and json.dumps
// separators, and the config.yaml writer.
import { describe, expect, it } from 'vitest';
import { configYaml, encodeJson, float, manifestJson, pyFloatRepr } from '../../../src/wandb/index.ts';

describe('pyFloatRepr (Python repr(float))', () => {
  it.each([
    [1, '1.0'], [0.1, '0.1'], [1.5, '1.5'], [-0.0, '-0.0'], [1e16, '1e+16'], [1234567890123456.7, '1234567890123456.8'],
    [0.0001, '0.0001'], [0.00001, '1e-05'], [1.5e-7, '1.5e-07'], [1e22, '1e+22'], [123.456, '123.456'], [NaN, 'NaN'],
    [Infinity, 'Infinity'], [-Infinity, '-Infinity'], [1700000000.5, '1700000000.5'],
  ])('repr(%s) == %s', (x, text) => {
    expect(pyFloatRepr(x)).toBe(text);
  });
});

describe('encodeJson', () => {
  it('writes compact Go-style lines with bare NaN/Infinity', () => {
    expect(encodeJson({ a: NaN, b: [Infinity, -Infinity], c: 'x<y&z', d: null, e: 2, f: float(2) })).toBe('{"a":NaN,"b":[Infinity,-Infinity],"c":"x\\u003cy\\u0026z","d":null,"e":2,"f":2.0}');
  });

  it('writes Python json.dumps style for Python-built fields', () => {
    expect(encodeJson({ rows: 3, name: 'é' }, { style: 'python' })).toBe('{"rows": 3, "name": "\\u00e9"}');
  });

  it('sorts keys by UTF-8 bytes when asked', () => {
    expect(encodeJson({ b: 1, _w: 2, A: 3 }, { style: 'go', sortKeys: true })).toBe('{"A":3,"_w":2,"b":1}');
  });

  it('fails clearly on values that are not plain data', () => {
    expect(() => encodeJson({ m: new Map() })).toThrow(/Failed to encode "m": an instance of Map is not JSON serializable/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeJson(cyclic)).toThrow(/contains itself/);
  });
});

describe('manifestJson', () => {
  it('orders contents by bytes even for integer-like and astral paths', () => {
    const json = manifestJson([
      { path: '\u{1F600}', digest: 'd', size: 1 }, { path: '\uFFFD', digest: 'd', size: 1 }, { path: '10', digest: 'd', size: 1 }, { path: '9', digest: 'd', size: 1 },
    ]);
    expect(json.startsWith('{"version":1,"storagePolicy":"wandb-storage-policy-v1","storagePolicyConfig":{"storageLayout":"V2"},"contents":{"10":')).toBe(true);
    const order = [...json.matchAll(/"([^"]+)":\{"digest"/g)].map((m) => m[1]);
    expect(order).toEqual(['10', '9', '\uFFFD', '\u{1F600}']);
  });
});

describe('configYaml', () => {
  it('writes nested maps, lists of maps, empty containers and quoted ambiguous strings', () => {
    expect(configYaml({ p: { value: { lr: 0.001, opts: [{ a: 1, b: 'x y' }], none: null, empty: [], e2: {}, n: '1.5', t: 'true', nan: NaN } } })).toBe([
      'wandb_version: 1', '',
      'p:', '  value:',
      '    e2: {}', '    empty: []', '    lr: 0.001', '    n: "1.5"', '    nan: .nan', '    none: null',
      '    opts:', '    - a: 1', '      b: x y', '    t: "true"', '',
    ].join('\n'));
  });
});
