// Fault injection: each fault kind over both transports, occurrence windows and counts, plan validation (and
// its agreement with the exported JSON Schema), and DESIGN §5.4's property on the backend side: with faults
// below the retry limit, a retrying client ends with exactly the fault-free log.
import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCapture, playCapture } from '../../harness/cassette/capture.ts';
import {
  BackendError, FAULT_PLAN_SCHEMA, MockBackend, parseFaultPlan, serializeLog, startHttpTransport, startMswTransport, mswFetch, directFetch,
  type FaultPlan, type FaultRule, type HttpTransport,
} from '../../src/index.ts';
import { retryingSend } from './retrying-client.ts';
import { corpusDocument } from '../helpers/graphql-corpus.ts';

const CAPTURE = loadCapture(new URL('../fixtures/captures/wandb-0.18.7-sdk-session.jsonl', import.meta.url).pathname);
const UPSERT = corpusDocument('wandb-core', 'UpsertBucket');
const stateOf = (b: MockBackend) => JSON.stringify(b.state);

function gqlRequest(base: string, query: string, variables: Record<string, unknown> = {}): Request {
  return new Request(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
}
const upsert = (base: string, name: string) => gqlRequest(base, UPSERT, { name, project: 'p', entity: 'e' });

describe('each fault over node:http', () => {
  let backend: MockBackend;
  let srv: HttpTransport;
  const slept: number[] = [];
  beforeAll(async () => {
    backend = new MockBackend({ sleep: async (ms) => void slept.push(ms) });
    srv = await startHttpTransport(backend, { port: 0 });
  });
  afterAll(() => srv.close());
  afterEach(() => backend.reset());
  const setPlan = async (plan: FaultPlan) => {
    const res = await fetch(`${srv.url}/_harness/faults`, { method: 'POST', body: JSON.stringify(plan) });
    expect(res.status).toBe(200);
  };

  it.each([500, 502, 503, 504] as const)('status %i refuses before handling: state untouched, GraphQL error shape', async (status) => {
    await setPlan([{ operation: 'UpsertBucket', fault: { type: 'status', status } }]);
    const before = stateOf(backend);
    const res = await fetch(upsert(srv.url, 'r1'));
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body.errors[0]).toMatchObject({ extensions: { code: 'INJECTED_FAULT' } });
    expect(body.errors[0].message).toMatch(new RegExp(`^Failed to handle "POST /graphql": injected fault, HTTP ${status} from rule 1`));
    expect(stateOf(backend)).toBe(before);
  });

  it('rate-limit answers 429 with Retry-After and changes nothing', async () => {
    await setPlan([{ path: '/graphql', method: 'post', fault: { type: 'rate-limit', retryAfter: 7 } }]);
    const before = stateOf(backend);
    const res = await fetch(upsert(srv.url, 'r1'));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(stateOf(backend)).toBe(before);
  });

  it('reset before handling: the fetch fails and nothing was applied', async () => {
    await setPlan([{ operation: 'UpsertBucket', fault: { type: 'reset' } }]);
    await expect(fetch(upsert(srv.url, 'r1'))).rejects.toThrow();
    expect(backend.state.runs).toEqual({});
  });

  it('reset after handling: the fetch fails but the run WAS created (the client cannot know)', async () => {
    await setPlan([{ operation: 'UpsertBucket', fault: { type: 'reset', after: true } }]);
    await expect(fetch(upsert(srv.url, 'r1'))).rejects.toThrow();
    expect(Object.keys(backend.state.runs)).toEqual(['e/p/r1']);
  });

  it('truncate: the promised length, a part of the body, then the connection drops; the request was applied', async () => {
    await setPlan([{ operation: 'UpsertBucket', fault: { type: 'truncate', bytes: 10 } }]);
    const res = await fetch(upsert(srv.url, 'r1'));
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(10);
    expect(res.headers.get('x-tracked-flows-truncate')).toBeNull();
    await expect(res.text()).rejects.toThrow();
    expect(Object.keys(backend.state.runs)).toEqual(['e/p/r1']);
  });

  it('delay waits through the injected sleep, then handles normally', async () => {
    slept.length = 0;
    await setPlan([{ operation: 'UpsertBucket', fault: { type: 'delay', ms: 45_000 } }]);
    const res = await fetch(upsert(srv.url, 'r1'));
    expect(res.status).toBe(200);
    expect(slept).toEqual([45_000]);
    expect(Object.keys(backend.state.runs)).toEqual(['e/p/r1']);
  });

  it('fires on the nth / from..to occurrences only and reports the counts', async () => {
    await setPlan([
      { operation: 'UpsertBucket', nth: 2, fault: { type: 'status', status: 503 } },
      { path: '/files/*/*/*/file_stream', from: 2, to: 3, fault: { type: 'status', status: 500 } },
      { path: '/storage/**', fault: { type: 'status', status: 502 } },
    ]);
    const statuses: number[] = [];
    for (const name of ['a', 'b', 'c']) statuses.push((await fetch(upsert(srv.url, name))).status);
    expect(statuses).toEqual([200, 503, 200]);
    const fs = [] as number[];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${srv.url}/files/e/p/a/file_stream`, { method: 'POST', body: JSON.stringify({ files: { 'wandb-history.jsonl': { offset: i, content: [`{"i": ${i}}`] } } }) });
      fs.push(res.status);
    }
    expect(fs).toEqual([200, 500, 500, 200]);
    const report = await (await fetch(`${srv.url}/_harness/faults`)).json();
    expect(report.stats).toEqual([{ matched: 3, fired: 1 }, { matched: 4, fired: 2 }, { matched: 0, fired: 0 }]);
    expect(report.fired).toBe(3);
    expect(report.plan[1].path).toBe('/files/*/*/*/file_stream');
    expect(Object.keys(backend.state.runs).sort()).toEqual(['e/p/a', 'e/p/c']);
    expect(Object.keys(backend.state.runs['e/p/a']!.streams['wandb-history.jsonl']!)).toEqual(['0', '3']);
  });

  it('never faults /_harness/ (a plan can always be replaced), and replacing restarts the counts', async () => {
    await setPlan([{ path: '/**', fault: { type: 'status', status: 503 } }]);
    expect((await fetch(upsert(srv.url, 'x'))).status).toBe(503);
    expect((await fetch(`${srv.url}/_harness/log`)).status).toBe(200);
    await setPlan([]);
    expect((await fetch(upsert(srv.url, 'x'))).status).toBe(200);
    expect(await (await fetch(`${srv.url}/_harness/faults`)).json()).toEqual({ plan: [], stats: [], fired: 0 });
  });

  it('a bad plan is a 400 naming the problem, and the old plan stays', async () => {
    await setPlan([{ operation: 'Viewer', fault: { type: 'status', status: 503 } }]);
    const cases: [unknown, RegExp][] = [
      [{ rules: [] }, /the plan must be a JSON array of rules/],
      [[{ fault: { type: 'status', status: 418 } }], /rules\[0\]\.fault\.status must be one of 500, 502, 503, 504/],
      [[{ nth: 0, fault: { type: 'reset' } }], /rules\[0\]\.nth must be an integer >= 1/],
      [[{ from: 3, to: 2, fault: { type: 'reset' } }], /rules\[0\]\.to must be >= from \(3\)/],
      [[{ nth: 1, from: 1, fault: { type: 'reset' } }], /not both/],
      [[{ path: 'graphql', fault: { type: 'reset' } }], /rules\[0\]\.path must be a string starting with "\/"/],
      [[{ fault: { type: 'explode' } }], /rules\[0\]\.fault\.type must be one of status, rate-limit, reset, delay, truncate/],
      [[{ fault: { type: 'delay', ms: 5, extra: 1 } }], /unknown key "extra"/],
      [[{ operations: 'Viewer', fault: { type: 'reset' } }], /unknown key "operations"/],
    ];
    for (const [plan, message] of cases) {
      const res = await fetch(`${srv.url}/_harness/faults`, { method: 'POST', body: JSON.stringify(plan) });
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error).toMatch(/^Failed to set "fault plan": /);
      expect(body.error).toMatch(message);
    }
    expect((await fetch(`${srv.url}/_harness/faults`, { method: 'POST', body: '[{' })).status).toBe(400);
    expect((await (await fetch(`${srv.url}/_harness/faults`)).json()).plan).toEqual([{ operation: 'Viewer', fault: { type: 'status', status: 503 } }]);
  });

  it('the constructor validates too', () => {
    expect(() => new MockBackend({ faults: [{ fault: { type: 'status', status: 404 } }] as unknown as FaultPlan })).toThrow(BackendError);
  });
});

// The same failures on every in-process way in: msw's global interceptor, the runner's msw fetch (msw's
// handler pipeline, nothing patched) and the direct fetch. Each must look like a socket would to the client.
describe('faults in-process', () => {
  type Way = { fetch: typeof fetch; baseUrl: string; close(): void };
  const ways: [string, (backend: MockBackend) => Way | Promise<Way>][] = [
    ['msw setupServer (global fetch)', async (backend) => {
      const msw = await startMswTransport(backend, 'http://faults.mock');
      return { fetch: (...a) => fetch(...a), baseUrl: msw.baseUrl, close: () => msw.close() };
    }],
    ['mswFetch (the runner default)', (backend) => ({ fetch: mswFetch(backend) as typeof fetch, baseUrl: 'http://faults.mock', close: () => {} })],
    ['directFetch', (backend) => ({ fetch: directFetch(backend) as typeof fetch, baseUrl: 'http://faults.mock', close: () => {} })],
  ];
  it.each(ways)('%s: a reset is a failed fetch, a truncation a body that breaks, a 503 an answer', async (_name, open) => {
    const backend = new MockBackend({
      faults: [
        { operation: 'UpsertBucket', nth: 1, fault: { type: 'reset' } },
        { operation: 'UpsertBucket', nth: 2, fault: { type: 'truncate' } },
        { operation: 'UpsertBucket', nth: 3, fault: { type: 'status', status: 503 } },
      ],
    });
    const way = await open(backend);
    try {
      await expect(way.fetch(upsert(way.baseUrl, 'r1'))).rejects.toThrow(TypeError);
      expect(backend.state.runs).toEqual({});
      const cut = await way.fetch(upsert(way.baseUrl, 'r1'));
      expect(cut.status).toBe(200);
      expect(cut.headers.get('x-tracked-flows-truncate')).toBeNull();
      await expect(cut.text()).rejects.toThrow(/terminated/);
      expect(Object.keys(backend.state.runs)).toEqual(['e/p/r1']);
      expect((await way.fetch(upsert(way.baseUrl, 'r2'))).status).toBe(503);
      const ok = await way.fetch(upsert(way.baseUrl, 'r2'));
      expect(ok.status).toBe(200);
      expect((await ok.json()).data.upsertBucket.bucket.name).toBe('r2');
      expect(backend.faults.report().fired).toBe(3);
    } finally {
      way.close();
    }
  });
});

describe('the plan validator agrees with FAULT_PLAN_SCHEMA', () => {
  const validate = new Ajv2020({ strict: false }).compile(FAULT_PLAN_SCHEMA);
  const anyValue = fc.oneof(fc.integer({ min: -2, max: 600 }), fc.constantFrom(0.5, 429, 503, 700_000), fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null), fc.constant('/x'));
  const fault = fc.oneof(
    fc.record({ type: fc.constantFrom('status', 'rate-limit', 'reset', 'delay', 'truncate', 'boom'), status: anyValue, retryAfter: anyValue, after: anyValue, ms: anyValue, bytes: anyValue, x: anyValue }, { requiredKeys: ['type'] }),
    anyValue,
  );
  const rule = fc.oneof(
    fc.record({ operation: anyValue, path: anyValue, method: fc.oneof(anyValue, fc.constantFrom('get', 'POST', 'p-t')), nth: anyValue, from: anyValue, to: anyValue, fault, y: anyValue }, { requiredKeys: [] }),
    anyValue,
  );
  it('accepts and refuses the same plans (except to < from, which only the validator can see)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(fc.array(rule, { maxLength: 3 }), anyValue), (plan) => {
        let ours = true;
        try {
          parseFaultPlan(plan);
        } catch (err) {
          expect(err).toBeInstanceOf(BackendError);
          ours = false;
        }
        const backwards = Array.isArray(plan) && plan.some((r: any) => r && typeof r.to === 'number' && r.to < (typeof r.from === 'number' ? r.from : 1));
        const schema = validate(plan) && !backwards;
        if (ours) accepted++;
        expect(ours).toBe(schema);
      }),
      { seed: 909, numRuns: 3000 },
    );
    // The generator must reach both sides, or the agreement says nothing.
    expect(accepted).toBeGreaterThan(100);
  });
});

describe('DESIGN §5.4 (backend side): faults below the retry limit leave the fault-free log', () => {
  let srv: HttpTransport;
  let backend: MockBackend;
  beforeAll(async () => {
    backend = new MockBackend();
    srv = await startHttpTransport(backend, { port: 0 });
  });
  afterAll(() => srv.close());

  const OPS = [...new Set(CAPTURE.map((r) => r.op).filter((op): op is string => !!op))];
  const faultArb = fc.oneof(
    fc.constantFrom(500, 502, 503, 504).map((status) => ({ type: 'status' as const, status: status as 500 })),
    fc.integer({ min: 0, max: 120 }).map((retryAfter) => ({ type: 'rate-limit' as const, retryAfter })),
    fc.boolean().map((after) => ({ type: 'reset' as const, after })),
    fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }).map((bytes) => (bytes === undefined ? { type: 'truncate' as const } : { type: 'truncate' as const, bytes })),
  );
  const matchArb = fc.oneof(
    fc.constantFrom(...OPS).map((operation) => ({ operation })),
    fc.constantFrom('/storage/**', '/files/*/*/*/file_stream', '/graphql', '/**').map((path) => ({ path })),
  );
  // Windows of at most 3 and at most 5 rules: at most 15 consecutive failures, under wandb-core's 20 retries.
  const ruleArb = fc.tuple(matchArb, fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 2 }), faultArb).map(
    ([match, from, span, fault]): FaultRule => (span === 0 ? { ...match, nth: from, fault } : { ...match, from, to: from + span, fault }),
  );

  it('plays the 0.18.7 capture through random fault plans: same log, nothing lost, nothing doubled', async () => {
    await fetch(`${srv.url}/_harness/reset`, { method: 'POST' });
    const clean = await playCapture(CAPTURE, srv.url, (r) => fetch(r));
    expect(clean.filter((p) => p.problem)).toEqual([]);
    const expected = serializeLog(backend.log());
    let plans = 0;
    let fired = 0;
    let retried = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(ruleArb, { minLength: 1, maxLength: 5 }), async (plan) => {
        backend.reset();
        backend.faults.replace(plan);
        const { send, stats } = retryingSend();
        const played = await playCapture(CAPTURE, srv.url, send);
        const report = backend.faults.report();
        backend.faults.replace([]);
        expect(played.filter((p) => p.problem)).toEqual([]);
        expect(stats.gaveUp).toBe(0);
        expect(serializeLog(backend.log())).toBe(expected);
        plans++;
        fired += report.fired;
        retried += stats.retried;
      }),
      { seed: 5_4, numRuns: 40 },
    );
    console.log(`faults: ${plans} fault plans, ${fired} faults fired, ${retried} retries, 0 lost, 0 duplicated, 0 crashes`);
    expect(fired).toBeGreaterThan(plans);
  });
});
