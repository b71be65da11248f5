// Retry policy of reference §6 over a recording msw server and a manual clock: nothing sleeps for real.
import { HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  backoffMs, FILE_TRANSFER_RETRY, GRAPHQL_RETRY, ManualClock, retryAfterMs, UPSERT_BUCKET_RETRY, WandbClient,
} from '../../../src/wandb/index.ts';
import { API_KEY, BASE, fakeWandb } from './fake-wandb.ts';

const fake = fakeWandb();
beforeAll(() => fake.server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => fake.reset());
afterAll(() => fake.server.close());

function client(clock = new ManualClock(), random = () => 0) {
  return new WandbClient({ settings: { baseUrl: BASE, apiKey: API_KEY, mode: 'online', entity: 'ent', project: 'proj' }, env: {}, clock, random });
}

const failTimes = (n: number, status: number, headers: Record<string, string> = {}) =>
  (req: any, i: number) => (i < n ? new HttpResponse('busy', { status, headers }) : undefined);

describe('backoff', () => {
  it('is min(max, 2s * 2^attempt * (1 + 0.25 rand))', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((a) => backoffMs(GRAPHQL_RETRY, a, () => 0))).toEqual([2000, 4000, 8000, 16000, 32000, 60000, 60000]);
    expect(backoffMs(GRAPHQL_RETRY, 1, () => 1)).toBe(5000);
  });

  it('reads Retry-After as float seconds or an HTTP date, uncapped', () => {
    expect(retryAfterMs('1.5', 0)).toBe(1500);
    expect(retryAfterMs('120', 0)).toBe(120_000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:00 GMT'))).toBe(60_000);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
    expect(retryAfterMs(null, 0)).toBeUndefined();
  });

  it('classifies statuses per client', () => {
    for (const s of [408, 429, 500, 502, 503, 504]) expect(GRAPHQL_RETRY.retryStatus(s)).toBe(true);
    for (const s of [400, 401, 403, 404, 409, 410, 413, 422, 501]) expect(GRAPHQL_RETRY.retryStatus(s)).toBe(false);
    expect(UPSERT_BUCKET_RETRY.retryStatus(409)).toBe(true);
    expect(UPSERT_BUCKET_RETRY.retryStatus(400)).toBe(false);
    expect(FILE_TRANSFER_RETRY.retryStatus(408)).toBe(false);
    expect(FILE_TRANSFER_RETRY.retryStatus(429)).toBe(true);
    expect(FILE_TRANSFER_RETRY.retryStatus(501)).toBe(false);
    expect(FILE_TRANSFER_RETRY.retryStatus(503)).toBe(true);
    expect([GRAPHQL_RETRY.retryMax, FILE_TRANSFER_RETRY.retryMax]).toEqual([20, 20]);
  });
});

/** Wraps the default answer: fail `n` times with `status`, then answer normally. */
function flaky(op: string, n: number, status: number, headers: Record<string, string> = {}) {
  let seen = 0;
  return async (req: any, i: number) => {
    if (seen++ < n) return new HttpResponse('busy', { status, headers });
    const { defaultAnswers } = await import('./fake-wandb.ts');
    return defaultAnswers[op]!(req, i) as any;
  };
}

describe('GraphQL retries', () => {
  it('retries 503 with exponential backoff and then succeeds', async () => {
    const clock = new ManualClock();
    fake.answer('UpsertBucket', flaky('UpsertBucket', 3, 503));
    const run = await client(clock).init({ id: 'abc12345' });
    expect(run.id).toBe('abc12345');
    expect(fake.graphql('UpsertBucket')).toHaveLength(4);
    expect(clock.sleeps).toEqual([2000, 4000, 8000]);
  });

  it('honours Retry-After as is', async () => {
    const clock = new ManualClock();
    fake.answer('UpsertBucket', flaky('UpsertBucket', 2, 429, { 'Retry-After': '90' }));
    await client(clock).init({ id: 'abc12345' });
    expect(clock.sleeps).toEqual([90_000, 90_000]);
  });

  it('retries 409 on UpsertBucket only', async () => {
    const clock = new ManualClock();
    fake.answer('UpsertBucket', flaky('UpsertBucket', 1, 409));
    await client(clock).init({ id: 'abc12345' });
    expect(fake.graphql('UpsertBucket')).toHaveLength(2);

    fake.reset();
    fake.answer('CreateRunFiles', failTimes(1, 409) as any);
    const run = await client(clock).init({ id: 'abc12345' });
    await run.finish();
    expect(fake.graphql('CreateRunFiles')).toHaveLength(1);
    expect(run.warnings.join('\n')).toMatch(/HTTP 409/);
  });

  it('does not retry a fatal 4xx and never leaks the API key', async () => {
    const clock = new ManualClock();
    fake.answer('UpsertBucket', () => new HttpResponse(`bad key ${API_KEY}`, { status: 401 }));
    const error = await client(clock).init({ id: 'abc12345' }).catch((e) => e);
    expect(error).toMatchObject({ code: 'WANDB_HTTP', status: 401, operation: 'UpsertBucket' });
    expect(error.message).toMatch(/^Failed to send "UpsertBucket": .*HTTP 401/);
    expect(error.message).not.toContain(API_KEY);
    expect(fake.graphql('UpsertBucket')).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('does not retry GraphQL errors', async () => {
    const clock = new ManualClock();
    fake.answer('UpsertBucket', () => HttpResponse.json({ errors: [{ message: 'project is archived' }] }));
    await expect(client(clock).init({ id: 'abc12345' })).rejects.toMatchObject({ code: 'WANDB_GRAPHQL', message: expect.stringContaining('project is archived') });
    expect(fake.graphql('UpsertBucket')).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('gives up after RetryMax retries (21 attempts)', async () => {
    const clock = new ManualClock();
    fake.answer('UpsertBucket', () => new HttpResponse('down', { status: 500 }));
    await expect(client(clock).init({ id: 'abc12345' })).rejects.toMatchObject({ code: 'WANDB_RETRIES_EXHAUSTED', status: 500 });
    expect(fake.graphql('UpsertBucket')).toHaveLength(21);
    expect(clock.sleeps).toHaveLength(20);
    expect(clock.sleeps.slice(0, 6)).toEqual([2000, 4000, 8000, 16000, 32000, 60000]);
  });

  it('retries connection errors', async () => {
    const clock = new ManualClock();
    fake.answer('UpsertBucket', flaky('UpsertBucket', 0, 200));
    let calls = 0;
    const flakyFetch = (input: string, init: RequestInit) => (++calls <= 2 ? Promise.reject(new TypeError('fetch failed')) : globalThis.fetch(input, init));
    const c = new WandbClient({ settings: { baseUrl: BASE, apiKey: API_KEY, entity: 'ent', project: 'proj' }, env: {}, clock, random: () => 0, fetch: flakyFetch });
    await c.init({ id: 'abc12345' });
    expect(clock.sleeps).toEqual([2000, 4000]);
  });

  it('treats a failed ServerFeaturesQuery as "no features" and goes on', async () => {
    fake.answer('ServerFeaturesQuery', () => HttpResponse.json({ errors: [{ message: 'Cannot query field "features" on type "ServerInfo".' }] }));
    const run = await client().init({ id: 'abc12345' });
    expect(run.id).toBe('abc12345');
  });
});

describe('file_stream and upload retries', () => {
  it('re-sends the same offsets after a 500, so the server can overwrite', async () => {
    const clock = new ManualClock();
    const run = await client(clock).init({ id: 'abc12345' });
    fake.answerFileStream((req, i) => (i === 0 ? new HttpResponse('x', { status: 500 }) : { exitcode: null }));
    await run.log({ loss: 0.5 });
    await run.flush();
    const [first, second] = fake.fileStreams();
    expect(second!.json).toEqual(first!.json);
    expect(first!.json.files['wandb-history.jsonl'].offset).toBe(0);
    expect(clock.sleeps).toEqual([2000]);
  });

  it('a fatal file_stream answer kills the stream: a warning, nothing more sent', async () => {
    const run = await client().init({ id: 'abc12345' });
    fake.answerFileStream(() => new HttpResponse('gone', { status: 404 }));
    await run.log({ loss: 0.5 });
    await run.finish();
    expect(fake.fileStreams()).toHaveLength(1);
    expect(run.warnings.join('\n')).toMatch(/Fatal error while uploading data/);
  });

  it('retries an upload on 503 and drops it (a warning) on 403', async () => {
    const clock = new ManualClock();
    let putCalls = 0;
    fake.answerStorage(() => (++putCalls === 1 ? new HttpResponse(null, { status: 503 }) : new HttpResponse(null, { status: 200 })));
    const run = await client(clock).init({ id: 'abc12345' });
    await run.finish();
    expect(fake.puts().map((p) => p.path)).toEqual(['/run/wandb-summary.json', '/run/wandb-summary.json', '/run/config.yaml']);
    expect(fake.fileStreams().at(-1)!.json.uploaded).toEqual(['wandb-summary.json', 'config.yaml']);

    fake.reset();
    fake.answerStorage((req) => new HttpResponse(null, { status: req.path.endsWith('config.yaml') ? 403 : 200 }));
    const run2 = await client(clock).init({ id: 'abc12345' });
    await run2.finish();
    expect(fake.puts()).toHaveLength(2);
    expect(fake.fileStreams().at(-1)!.json.uploaded).toEqual(['wandb-summary.json']);
    expect(run2.warnings.join('\n')).toMatch(/HTTP 403/);
  });
});
