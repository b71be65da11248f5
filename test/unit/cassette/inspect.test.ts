// inspect: a recorded session fed through a fresh backend gives the log of the live session; a capture
// converts to a cassette that inspects into what the SDK logged (reference/README.md).
import { describe, expect, it } from 'vitest';
import { MockBackend, serializeLog } from '../../../src/index.ts';
import { captureToCassette, inspectCassette, isCapture, loadCapture, playCapture, recordInProcess } from '../../../harness/cassette/index.ts';
import { proxiedUrl, targetUrl } from '../../../harness/cassette/forward.ts';
import { urlUpstream } from '../../../harness/cassette/upstream.ts';

const CAPTURE = new URL('../../fixtures/captures/wandb-0.18.7-sdk-session.jsonl', import.meta.url).pathname;

describe('inspect', () => {
  it('turns the reference capture, converted to a cassette, into the expected log', async () => {
    expect(isCapture(CAPTURE)).toBe(true);
    const cassette = await captureToCassette(loadCapture(CAPTURE), CAPTURE);
    expect(cassette.meta.upstream).toBe('capture:wandb-0.18.7-sdk-session.jsonl');
    expect(cassette.interactions).toHaveLength(29);
    const { log, problems } = await inspectCassette(cassette);
    expect(problems).toEqual([]);
    // The capture: wandb.init(project="p", entity="e"); wandb.log({"a": 1}); run.summary["b"] = 2;
    // log_artifact of a dataset artifact x holding data.txt ("hello world\n"); run.finish().
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]).toMatchObject({ ref: 'run-1', entity: 'e', project: 'p', history: [{ a: 1 }], summary: { a: 1, b: 2 }, logged_artifacts: ['x:v0'], exit_code: 0, state: 'finished' });
    expect(log.artifacts).toEqual([
      {
        name: 'x', type: 'dataset', version: 'v0', aliases: ['latest', 'v0'], created_by: 'run-1', used_by: [],
        digest: '5bf1bede20e96d678dab687d9ce4f009', // the digest the SDK sent in CreateArtifact
        files: [{ path: 'data.txt', size: 12, md5: 'b1kCrCNwJL3QwXbLkwY9xA==' }], // md5 of "hello world\n"
      },
    ]);
    expect(log.unsupported).toEqual([]);
  });

  it('substitutes the ids and upload URLs a fresh backend hands out for the recorded ones', async () => {
    // A server that has been up for a while hands out other ids than a fresh one.
    const live = new MockBackend({ apiKey: `local-${'a'.repeat(40)}` });
    live.state.counter = 1000;
    const rec = recordInProcess(live);
    const played = await playCapture(loadCapture(CAPTURE), rec.baseUrl, (r) => rec.fetch(r), `local-${'a'.repeat(40)}`);
    expect(played.filter((p) => p.problem)).toEqual([]);
    const cassette = rec.cassette();
    const ids = [...JSON.stringify(cassette).matchAll(/"(Q[A-Za-z0-9+/]+=*)"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString()).filter((s) => /^Artifact:v1:\d+$/.test(s));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => Number(id.split(':')[2]) > 1000)).toBe(true); // ids a fresh backend does not hand out
    const { log, problems } = await inspectCassette(cassette);
    expect(problems).toEqual([]);
    expect(serializeLog(log)).toBe(serializeLog(live.log()));
  });

  it('reports where the fresh backend disagrees with the recorded server, and lists what it does not support', async () => {
    const rec = recordInProcess(new MockBackend());
    await rec.fetch(`${rec.baseUrl}/graphql`, { method: 'POST', body: '{"query": "query Nope { nope }"}' });
    await rec.fetch(`${rec.baseUrl}/storage/run/e/p/missing/f.txt`, { method: 'PUT', body: 'x' }); // 404 there too
    await rec.fetch(`${rec.baseUrl}/storage/run/e/p/gone/f.txt`, { method: 'PUT', body: 'x' });
    const cassette = rec.cassette();
    cassette.interactions[1]!.response.status = 200; // pretend the recorded server accepted it
    cassette.interactions[2]!.response.status = 503; // a transient failure: not sent again
    const { log, problems } = await inspectCassette(cassette);
    expect(log.unsupported).toEqual(['Nope', 'Query.nope']);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^#1 PUT \/storage\/run\/e\/p\/missing\/f\.txt: recorded 200, the backend answered 404/);
  });
});

describe('upload URLs through the proxy', () => {
  const upstream = urlUpstream('https://api.wandb.example/base');
  it('sends URLs on the upstream through the proxy with the same path', () => {
    expect(proxiedUrl('https://api.wandb.example/base/storage?file=a', upstream, 'http://127.0.0.1:9')).toBe('http://127.0.0.1:9/storage?file=a');
    expect(targetUrl(new URL('http://127.0.0.1:9/storage?file=a'), upstream).href).toBe('https://api.wandb.example/base/storage?file=a');
  });
  it('sends presigned URLs elsewhere through /_upstream/<origin>/ and back to that origin', () => {
    const s3 = 'https://bucket.s3.amazonaws.com/k/data.txt?X-Amz-Signature=abc';
    const via = proxiedUrl(s3, upstream, 'http://127.0.0.1:9');
    expect(via).toMatch(/^http:\/\/127\.0\.0\.1:9\/_upstream\/[A-Za-z0-9_-]+\/k\/data\.txt\?X-Amz-Signature=abc$/);
    expect(targetUrl(new URL(via), upstream).href).toBe(s3);
  });
});
