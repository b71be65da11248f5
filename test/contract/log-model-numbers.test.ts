// Numbers as the SDK writes them: bare NaN / Infinity in history lines (reference §3.1) are accepted and shown
// as strings, and a float with an integral value stays a float (`1.0`) in the log's JSON, as W&B received it.
import { describe, expect, it } from 'vitest';
import { MockBackend, serializeLog } from '../../src/index.ts';

const post = (backend: MockBackend, path: string, body: string) =>
  backend.handle(new Request(`http://wandb.test${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }));

describe('numbers in the log model', () => {
  it('keeps NaN/Infinity and integral floats from history, summary and config', async () => {
    const backend = new MockBackend();
    const upsert = JSON.stringify({
      query: 'mutation UpsertBucket($name: String) { upsertBucket(input: {name: $name}) { bucket { id } } }',
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
