// Numbers as the SDK writes them: bare NaN / Infinity in history lines (reference §3.1) are accepted and shown
// as strings, and a float with an integral value stays a float (`1.0`) in the log's JSON, as W&B received it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MockBackend, canonicalJson, lenientJson, parseLenientJson, serializeLog } from '../../src/index.ts';
import { corpusDocument } from '../helpers/graphql-corpus.ts';

const post = (backend: MockBackend, path: string, body: string) =>
  backend.handle(new Request(`http://wandb.test${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }));

describe('numbers in the log model', () => {
  it('keeps NaN/Infinity and integral floats from history, summary and config', async () => {
    const backend = new MockBackend();
    const upsert = JSON.stringify({
      query: corpusDocument('wandb-core', 'UpsertBucket'),
      variables: { name: 'r1', project: 'p', entity: 'e', config: '{"lr": {"value": 1.0}, "epochs": {"value": 3}, "_wandb": {"value": {}}}' },
    });
    expect((await post(backend, '/graphql', upsert)).status).toBe(200);
    // The exact bytes the SDK sends: bare tokens inside the line strings.
    const stream = '{"files": {"wandb-history.jsonl": {"offset": 0, "content": ["{\\"loss\\": NaN, \\"acc\\": 1.0, \\"n\\": 2, \\"big\\": -Infinity, \\"_step\\": 0}"]}, ' +
      '"wandb-summary.json": {"offset": 0, "content": ["{\\"loss\\": NaN, \\"acc\\": 1.0, \\"deep\\": {\\"w\\": [2.0, 0.5]}, \\"_step\\": 0}"]}}, "complete": true, "exitcode": 0}';
    expect((await post(backend, '/files/e/p/r1/file_stream', stream)).status).toBe(200);
    const text = serializeLog(backend.log());
    expect(text).toContain('"history": [\n        {\n          "acc": 1.0,\n          "big": "-Infinity",\n          "loss": "NaN",\n          "n": 2\n        }\n      ]');
    expect(text).toMatch(/"w": \[\n\s+2\.0,\n\s+0\.5\n\s+\]/);
    expect(text).toContain('"lr": 1.0');
    expect(text).toContain('"epochs": 3');
    // Readers of the object see plain numbers: 1.0 is 1 in JavaScript.
    expect(backend.log().runs[0]!.history).toEqual([{ loss: NaN, acc: 1, n: 2, big: -Infinity }]);
  });
});

// Handing a log to another thread (the suite pool) or reading it back from a server must not turn `1.0` into
// `1`: the float notes live beside the values, so the text form is the only carrier.
describe('lenientJson, the lossless text form', () => {
  const jsonish = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.double(), fc.integer().map((n) => `${n}.0`), fc.string(), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
  })).value;
  // Source text with integral floats written as floats: build it by hand, since JSON.stringify cannot.
  const write = (v: unknown): string => {
    if (typeof v === 'string' && /^-?\d+\.0$/.test(v)) return v;
    if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : String(v);
    if (Array.isArray(v)) return `[${v.map(write).join(', ')}]`;
    if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${write(x)}`).join(', ')}}`;
    return JSON.stringify(v);
  };

  it('parseLenientJson(lenientJson(x)) is x: values, key order, NaN/Infinity and integral floats', () => {
    fc.assert(fc.property(jsonish, (v) => {
      const source = write(v);
      const parsed = parseLenientJson(source);
      const again = parseLenientJson(lenientJson(parsed));
      expect(again).toEqual(parsed);
      expect(JSON.stringify(Object.keys(Object(again)))).toBe(JSON.stringify(Object.keys(Object(parsed))));
      expect(canonicalJson(again)).toBe(canonicalJson(parsed));
    }), { seed: 20261127, numRuns: 300 });
    expect(lenientJson(parseLenientJson('{"b": 1.0, "a": [NaN, 2e0, 3, -Infinity]}'))).toBe('{"b":1.0,"a":[NaN,2.0,3,-Infinity]}');
  });
});
