// Bad input, fuzzed (seeded fast-check) at the real node:http server: malformed JSON, invalid UTF-8, wrong
// variable types for every implemented operation, unknown operations, bodies over the limit, path traversal,
// wrong md5 and truncated uploads, random paths, methods and Host headers. Every request gets a 4xx (never a
// 5xx, never a dropped connection), the server keeps serving, and the state is untouched (an unknown operation
// may only be counted under `unsupported`).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCapture, playCapture } from '../../harness/cassette/capture.ts';
import { MockBackend, startHttpTransport, type HttpTransport } from '../../src/index.ts';
import { anyDocument } from '../helpers/graphql-corpus.ts';
import { rawClient, rawSocket, type RawRequest, type RawResult } from './raw-http.ts';

const CAPTURE = loadCapture(new URL('../fixtures/captures/wandb-0.18.7-sdk-session.jsonl', import.meta.url).pathname);
const LIMIT = 64 * 1024;
const RUN = 'c8ckosko';
const SEED = 9_2026;

let backend: MockBackend;
let srv: HttpTransport;
let client: ReturnType<typeof rawClient>;
let committedId: string;
let pendingId: string;
const totals = { requests: 0, fiveXX: 0, dropped: 0, stateChanges: 0, twoXX: 0 };

const md5 = (b: string | Uint8Array) => createHash('md5').update(b).digest('base64');
const enc = (s: string) => new TextEncoder().encode(s);
// The SDKs' document for the operation (test/fixtures/graphql/), or a made-up one for names nobody sends.
const gqlBody = (operationName: string, variables: unknown, kind = 'mutation') =>
  enc(JSON.stringify({ query: anyDocument(operationName) ?? `${kind} ${operationName} { x }`, operationName, variables }));
const stateKey = () => JSON.stringify({ ...backend.state, unsupported: {} });

async function gql(operationName: string, variables: unknown) {
  const res = await fetch(`${srv.url}/graphql`, { method: 'POST', body: gqlBody(operationName, variables) });
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body.data;
}

beforeAll(async () => {
  // File uploads have their own cap (none by default); set to the same here so every route is fuzzed over its limit.
  backend = new MockBackend({ maxBodyBytes: LIMIT, maxUploadBytes: LIMIT });
  srv = await startHttpTransport(backend, { port: 0 });
  client = rawClient(srv.url);
  expect((await playCapture(CAPTURE, srv.url, (r) => fetch(r))).filter((p) => p.problem)).toEqual([]);
  committedId = Object.values(backend.state.artifacts).find((a) => a.state === 'COMMITTED')!.id;
  const created = await gql('CreateArtifact', { input: { artifactTypeName: 'dataset', artifactCollectionName: 'y', entityName: 'e', projectName: 'p', runName: RUN, digest: 'a'.repeat(32), aliases: [] } });
  pendingId = created.createArtifact.artifact.id;
  await gql('CreateArtifactManifest', { artifactID: pendingId, name: 'wandb_manifest.json', digest: '', baseArtifactID: null, entityName: 'e', projectName: 'p', runName: RUN, manifestType: 'FULL', includeUpload: false });
  await gql('CreateArtifactFiles', { storageLayout: 'V2', artifactFiles: [{ artifactID: pendingId, name: 'data.txt', md5: md5('hello'), artifactManifestID: 'm' }] });
});
afterAll(async () => {
  client.close();
  await srv.close();
  console.log(`fuzz: ${totals.requests} requests, ${totals.fiveXX} 5xx, ${totals.dropped} crashes/dropped, ${totals.stateChanges} state changes on refusals (${totals.twoXX} accepted in the random-request run)`);
});

/** Sends one hostile request; `strict` = it must be refused with a 4xx. Returns the result for more checks. */
async function attack(r: RawRequest, strict = true): Promise<RawResult> {
  const before = stateKey();
  const result = await client.send(r);
  totals.requests++;
  const where = `${r.method} ${r.path}`;
  if (result === 'dropped') {
    totals.dropped++;
    throw new Error(`${where}: the connection was dropped without an answer`);
  }
  if (result.status >= 500) {
    totals.fiveXX++;
    throw new Error(`${where}: HTTP ${result.status}: ${result.body.slice(0, 300)}`);
  }
  if (result.status >= 400 && stateKey() !== before) {
    totals.stateChanges++;
    throw new Error(`${where}: refused with ${result.status} but the state changed`);
  }
  if (result.status < 400) totals.twoXX++;
  if (strict) expect(result.status, `${where}: ${result.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
  return result;
}

const run = (prop: fc.IAsyncPropertyWithHooks<any> | fc.IAsyncProperty<any>, numRuns: number) => fc.assert(prop, { seed: SEED, numRuns });

// Names JavaScript objects inherit: a backend that indexes records with untrusted keys trips on these.
const TRICKY = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype', '__defineGetter__'];
const trickyString = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...TRICKY), fc.constantFrom('..', '/', '%2e%2e', 'a/../b', '\\x', '\u0000', ''));

describe('fuzzed bad input at the HTTP server', () => {
  it('malformed JSON and invalid UTF-8 -> 400', async () => {
    const notJson = fc.string({ maxLength: 80 }).filter((s) => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    });
    const invalidUtf8 = fc.tuple(fc.string({ maxLength: 20 }), fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80])).map(([s, bad]) => {
      const head = enc(`{"query": "query Viewer { viewer { id } }", "variables": {"x": "${s.replace(/["\\]/g, '')}`);
      return new Uint8Array([...head, ...bad, ...enc('"}}')]);
    });
    const target = fc.constantFrom('/graphql', `/files/e/p/${RUN}/file_stream`, '/_harness/faults');
    await run(
      fc.asyncProperty(target, fc.oneof(notJson.map(enc), invalidUtf8), fc.boolean(), async (path, body, chunked) => {
        await attack({ method: 'POST', path, body, chunks: chunked ? 3 : undefined });
      }),
      300,
    );
  });

  // What each operation's document (wandb-core's where it has one) reads, and how: the fuzzer puts a value of a
  // wrong type in one of them.
  type Kind = 'str' | 'optStr' | 'list' | 'optStrList' | 'optBool' | 'obj' | 'jsonObjStr' | 'hex32' | 'files';
  interface Spec { op: string; base: () => Record<string, unknown>; vars: Record<string, Kind>; nested?: 'input' }
  const SPECS: Spec[] = [
    { op: 'UpsertBucket', base: () => ({ name: 'fz', project: 'p', entity: 'e' }), vars: { id: 'optStr', entity: 'optStr', project: 'optStr', name: 'optStr', config: 'jsonObjStr', groupName: 'optStr', jobType: 'optStr', notes: 'optStr', displayName: 'optStr', tags: 'optStrList' } },
    { op: 'RunStoppedStatus', base: () => ({ entityName: 'e', projectName: 'p', runId: RUN }), vars: { entityName: 'optStr', projectName: 'optStr', runId: 'str' } },
    { op: 'RunResumeStatus', base: () => ({ entity: 'e', project: 'p', name: RUN }), vars: { entity: 'optStr', project: 'optStr', name: 'str' } },
    { op: 'CreateRunFiles', base: () => ({ entity: 'e', project: 'p', run: RUN, files: ['f.txt'] }), vars: { entity: 'str', project: 'str', run: 'str', files: 'files' } },
    { op: 'MarkRunFilesUploaded', base: () => ({ entity: 'e', project: 'p', run: RUN, files: ['f.txt'] }), vars: { entity: 'str', project: 'str', run: 'str', files: 'files' } },
    {
      op: 'CreateArtifact', nested: 'input',
      base: () => ({ artifactTypeName: 'dataset', artifactCollectionName: 'z', entityName: 'e', projectName: 'p', runName: RUN, digest: 'b'.repeat(32), aliases: [], metadata: '{}', description: 'd' }),
      vars: { artifactTypeName: 'str', artifactCollectionName: 'optStr', entityName: 'str', projectName: 'str', runName: 'optStr', digest: 'hex32', aliases: 'list', metadata: 'optStr', description: 'optStr', artifactCollectionNames: 'optStrList' },
    },
    { op: 'CreateArtifactManifest', base: () => ({ artifactID: pendingId, name: 'wandb_manifest.json', digest: '', entityName: 'e', projectName: 'p', runName: RUN, manifestType: 'FULL', includeUpload: true }), vars: { artifactID: 'str', name: 'str', digest: 'optStr', includeUpload: 'optBool' } },
    { op: 'CreateArtifactFiles', base: () => ({ storageLayout: 'V2', artifactFiles: [{ artifactID: pendingId, name: 'b.txt', md5: md5('b') }] }), vars: { artifactFiles: 'list' } },
    { op: 'CommitArtifact', base: () => ({ artifactID: pendingId }), vars: { artifactID: 'str' } },
    { op: 'ArtifactType', base: () => ({ entityName: 'e', projectName: 'p', name: 'x:latest' }), vars: { entityName: 'optStr', projectName: 'optStr', name: 'str' } },
    { op: 'ArtifactMembershipByName', base: () => ({ entity: 'e', project: 'p', name: 'x:latest' }), vars: { entity: 'str', project: 'str', name: 'str' } },
    { op: 'ArtifactByName', base: () => ({ entityName: 'e', projectName: 'p', name: 'x:v0' }), vars: { entityName: 'optStr', projectName: 'optStr', name: 'str' } },
    ...['ArtifactByID', 'FetchArtifactManifest', 'ArtifactFileURLs'].map((op): Spec => ({ op, base: () => ({ id: committedId }), vars: { id: 'str' } })),
    { op: 'UseArtifact', nested: 'input', base: () => ({ entityName: 'e', projectName: 'p', runName: RUN, artifactID: committedId }), vars: { entityName: 'str', projectName: 'str', runName: 'str', artifactID: 'str' } },
  ];
  const num = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
  const obj = fc.dictionary(trickyString, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
  const BAD_NAME = fc.oneof(num, fc.constant(null), fc.constantFrom('../x', '/abs', 'a\\b', 'a//b', './a', '', '__proto__'));
  // No bare scalar where a list is expected: GraphQL coerces one value into a one-item list (spec, "Input
  // Coercion" of lists), so ["a"] and "a" are the same request there.
  const WRONG: Record<Kind, fc.Arbitrary<unknown>> = {
    str: fc.oneof(num, fc.boolean(), fc.constant(null), fc.constant(''), fc.array(fc.string(), { maxLength: 2 }), obj),
    optStr: fc.oneof(num, fc.boolean(), fc.array(fc.string(), { maxLength: 2 }), obj),
    list: fc.oneof(obj, fc.array(fc.oneof(num, fc.constant(null), fc.string()), { minLength: 1, maxLength: 2 })),
    optStrList: fc.oneof(num, fc.boolean(), obj, fc.array(fc.oneof(num, fc.constant(null), obj), { minLength: 1, maxLength: 2 })),
    optBool: fc.oneof(num, fc.string(), fc.array(fc.boolean(), { maxLength: 1 }), obj),
    obj: fc.oneof(num, fc.boolean(), fc.string(), fc.constant(null), fc.array(obj, { maxLength: 1 })),
    jsonObjStr: fc.oneof(num, fc.boolean(), obj, fc.constantFrom('[1]', '"s"', 'nope', '1', 'null', '{')),
    hex32: fc.oneof(num, fc.constant(null), fc.string({ maxLength: 40 }).filter((s) => !/^[0-9a-f]{32}$/.test(s)), fc.constant('A'.repeat(32))),
    files: fc.oneof(num, obj, fc.constant(null), fc.array(BAD_NAME, { minLength: 1, maxLength: 2 })),
  };
  const wrongVariables = fc.constantFrom(...SPECS).chain((spec) =>
    fc.oneof(
      fc.constantFrom(...Object.keys(spec.vars)).chain((name) => WRONG[spec.vars[name]!].map((value) => ({ spec, variables: place(spec, { ...spec.base(), [name]: value }) }))),
      // The whole input object (or the variables) of the wrong type.
      // (null variables mean "none", which is fine for some operations, so null is left out there.)
      (spec.nested ? WRONG.obj : WRONG.obj.filter((v) => v !== null)).map((value) => ({ spec, variables: spec.nested ? { [spec.nested]: value } : value })),
      // Artifact files whose entries are wrong.
      fc.constantFrom('artifactID', 'md5', 'name').chain((key) => (key === 'name' ? BAD_NAME : WRONG.str).map((value) => ({
        spec: SPECS.find((s) => s.op === 'CreateArtifactFiles')!,
        variables: { storageLayout: 'V2', artifactFiles: [{ artifactID: pendingId, name: 'c.txt', md5: md5('c'), [key]: value }] },
      }))),
    ),
  );
  function place(spec: Spec, vars: Record<string, unknown>) {
    return spec.nested ? { [spec.nested]: vars } : vars;
  }

  it('fuzzes real documents: every operation above has one in the corpus', () => {
    expect(SPECS.filter((s) => anyDocument(s.op) === undefined).map((s) => s.op)).toEqual([]);
  });

  it('wrong variable types for every operation -> 4xx (or, for a query, nothing found), state untouched', async () => {
    await run(
      fc.asyncProperty(wrongVariables, async ({ spec, variables }) => {
        const isQuery = /^\s*query\b/m.test(anyDocument(spec.op)!);
        const before = stateKey();
        const result = await attack({ method: 'POST', path: '/graphql', body: gqlBody(spec.op, variables), headers: { 'content-type': 'application/json' } }, !isQuery);
        // 400 for a value of the wrong type; an ID given as a number is coerced (GraphQL's ID accepts integers) and
        // then names no record: 404. A query may also find nothing (200, null), and never changes the state.
        if (result !== 'dropped') expect(isQuery ? [200, 400, 404] : [400, 404]).toContain(result.status);
        if (isQuery) expect(stateKey()).toBe(before);
      }),
      900,
    );
  });

  it('unknown operations -> 400 naming them, counted only under unsupported', async () => {
    const name = fc.oneof(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/), fc.constantFrom(...TRICKY), fc.string({ maxLength: 10 })).filter((n) => anyDocument(n) === undefined);
    await run(
      fc.asyncProperty(name, fc.constantFrom('query', 'mutation'), async (op, kind) => {
        const result = await attack({ method: 'POST', path: '/graphql', body: gqlBody(op, {}, kind) });
        if (result === 'dropped') return;
        expect(result.status).toBe(400);
        if (/^[A-Za-z_]\w*$/.test(op) && !op.startsWith('__')) expect(result.body).toContain(`"Failed to run \\"${op}\\": the tracked-flows mock backend does not implement`);
      }),
      200,
    );
  });

  it('bodies over the size limit -> 413, declared or chunked', async () => {
    const path = fc.constantFrom('/graphql', `/files/e/p/${RUN}/file_stream`, `/storage/artifacts/${encodeURIComponent('QXJ0aWZhY3Q6djE6MQ==')}/data.txt`, '/_harness/faults', '/nowhere');
    await run(
      fc.asyncProperty(path, fc.integer({ min: LIMIT + 1, max: LIMIT * 3 }), fc.boolean(), async (p, size, chunked) => {
        const result = await attack({ method: p.startsWith('/storage') ? 'PUT' : 'POST', path: p, body: new Uint8Array(size).fill(0x7b), chunks: chunked ? 4 : undefined });
        if (result !== 'dropped') expect(result.status).toBe(413);
      }),
      60,
    );
  });

  it('path traversal in artifact, run and stream file names -> 400/404', async () => {
    const evil = fc.oneof(
      fc.constantFrom('../escape.txt', '/etc/passwd', 'a/../../b', '..', 'C:/x', 'a\\..\\b', 'a/./b', 'a//b', 'x\u0000y', '__proto__'),
      fc.tuple(fc.array(fc.constantFrom('a', '..', '.', ''), { minLength: 1, maxLength: 4 })).map(([parts]) => parts.join('/')).filter((p) => p.split('/').some((s) => s === '..' || s === '.' || s === '')),
    );
    const at = fc.constantFrom('files', 'put-artifact', 'put-run', 'stream', 'manifest');
    await run(
      fc.asyncProperty(evil, at, async (name, where) => {
        const encoded = name.split('/').map(encodeURIComponent).join('/');
        const r: RawRequest =
          where === 'files' ? { method: 'POST', path: '/graphql', body: gqlBody('CreateArtifactFiles', { storageLayout: 'V2', artifactFiles: [{ artifactID: pendingId, name, md5: md5('z') }] }) }
          : where === 'put-artifact' ? { method: 'PUT', path: `/storage/artifacts/${encodeURIComponent(pendingId)}/${encoded}`, body: enc('hello') }
          : where === 'put-run' ? { method: 'PUT', path: `/storage/run/e/p/${RUN}/${encoded}`, body: enc('hello') }
          : where === 'stream' ? { method: 'POST', path: `/files/e/p/${RUN}/file_stream`, body: enc(JSON.stringify({ files: { [name]: { offset: 0, content: ['x'] } } })) }
          : { method: 'PUT', path: `/storage/manifest/${encodeURIComponent(pendingId)}`, body: enc(JSON.stringify({ version: 1, storagePolicy: 'wandb-storage-policy-v1', contents: { [name]: { digest: md5('z'), size: 1 } } })) };
        await attack(r);
      }),
      300,
    );
  });

  it('wrong md5 -> 400, truncated uploads are never applied', async () => {
    const path = `/storage/artifacts/${encodeURIComponent(pendingId)}/data.txt`;
    await run(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }).filter((b) => md5(b) !== md5('hello')), fc.boolean(), async (body, truncate) => {
        if (!truncate) {
          const result = await attack({ method: 'PUT', path, body });
          if (result !== 'dropped') expect(result.body).toMatch(/md5/);
          return;
        }
        // The client promises more than it sends and hangs up: the server must not apply a partial body.
        const before = stateKey();
        const result = await client.send({ method: 'PUT', path, body: enc('hel'), declared: 5 });
        totals.requests++;
        expect(result).toBe('dropped');
        expect(stateKey()).toBe(before);
      }),
      200,
    );
    // The announced content itself still uploads: the refusals were about the bodies, not the URL.
    expect((await client.send({ method: 'PUT', path, body: enc('hello') })) as { status: number }).toMatchObject({ status: 200 });
  });

  it('random paths, methods, Host headers and bodies: never a 5xx, refusals change nothing', async () => {
    const segment = fc.oneof(fc.constantFrom('graphql', 'files', 'e', 'p', RUN, 'file_stream', 'storage', 'run', 'artifacts', 'manifest', '_harness', 'log', 'faults', 'reset', '%zz', '%2e%2e', '%00', '%E0%A4%A', '..', ''), fc.stringMatching(/^[A-Za-z0-9._~-]{1,8}$/), fc.constantFrom(...TRICKY));
    const path = fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => `/${s.join('/')}`).filter((p) => p !== '/_harness/reset');
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'SEARCH');
    const host = fc.oneof(fc.constant(undefined), fc.constantFrom('a b', 'x/y', '[::1', 'h:99999', '%', 'ok.example:1', ''));
    const body = fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 2 }).map((v) => enc(JSON.stringify(v))), fc.uint8Array({ maxLength: 40 }));
    await run(
      fc.asyncProperty(method, path, host, body, async (m, p, h, b) => {
        await attack({ method: m, path: p, headers: h === undefined ? {} : { host: h }, body: m === 'GET' || m === 'HEAD' ? undefined : b }, false);
      }),
      500,
    );
  });

  it('CONNECT, Upgrade and garbage on the socket get an answer, not silence', async () => {
    expect(await rawSocket(srv.url, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n')).toMatch(/^HTTP\/1\.1 405/);
    expect(await rawSocket(srv.url, 'GET /graphql HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n')).toMatch(/^HTTP\/1\.1 4\d\d/);
    expect(await rawSocket(srv.url, '\u0001\u0002 garbage\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    totals.requests += 3;
  });

  it('still serves a good request, and the log is what the capture made', async () => {
    const res = await fetch(`${srv.url}/_harness/log`);
    expect(res.status).toBe(200);
    const log = await res.json();
    expect(log.runs.map((r: { id: string }) => r.id)).toContain(RUN);
    expect(log.artifacts.map((a: { name: string; version: string }) => `${a.name}:${a.version}`)).toContain('x:v0');
    expect(totals.fiveXX + totals.dropped + totals.stateChanges).toBe(0);
  });
});
