// Regressions for what the fuzzer found (fuzz.test.ts): each was a 5xx, a silently lost write or a state change
// behind a 400 before the fix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockBackend, startHttpTransport, type HttpTransport } from '../../src/index.ts';
import { rawClient } from './raw-http.ts';
import { anyDocument } from '../helpers/graphql-corpus.ts';

let backend: MockBackend;
let srv: HttpTransport;
let raw: ReturnType<typeof rawClient>;
// The SDKs' document for the operation (test/fixtures/graphql/), or a made-up one for names nobody sends.
const gql = (operationName: string, variables: unknown = {}, query = anyDocument(operationName) ?? `mutation ${operationName} { x }`) =>
  fetch(`${srv.url}/graphql`, { method: 'POST', body: JSON.stringify({ query, operationName, variables }) });
const stream = (run: string, files: unknown) => fetch(`${srv.url}/files/e/p/${run}/file_stream`, { method: 'POST', body: JSON.stringify({ files }) });

beforeAll(async () => {
  backend = new MockBackend();
  srv = await startHttpTransport(backend, { port: 0 });
  raw = rawClient(srv.url);
  expect((await gql('UpsertBucket', { name: 'r1', project: 'p', entity: 'e' })).status).toBe(200);
});
afterAll(async () => {
  raw.close();
  await srv.close();
});

describe('names JavaScript objects inherit', () => {
  it('operation "constructor" is unsupported (it used to answer 200 with the whole state inside)', async () => {
    const res = await gql('constructor');
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('does not implement');
    expect(text).not.toContain('"runs"');
  });

  it.each(['__proto__', 'toString', 'hasOwnProperty'])('operation %s -> 400, not 500', async (op) => {
    expect((await gql(op)).status).toBe(400);
  });

  it('an artifact id "toString" is no artifact (it used to be a 500)', async () => {
    const res = await gql('ArtifactByID', { id: 'toString' });
    expect(res.status).toBe(200);
    expect((await res.json()).data).toEqual({ artifact: null });
  });

  it('introspecting a type named "constructor" answers null (it used to be a 500)', async () => {
    const res = await gql('ProbeServerCapabilities', {}, 'query ProbeServerCapabilities { X: __type(name: "constructor") { fields { name } } }');
    expect(res.status).toBe(200);
    expect((await res.json()).data).toEqual({ X: null });
  });

  it('a stream file named "constructor" is stored as its own file; "__proto__" is refused', async () => {
    expect((await stream('r1', { constructor: { offset: 0, content: ['hi'] } })).status).toBe(200);
    expect(Object.hasOwn(backend.state.runs['e/p/r1']!.streams, 'constructor')).toBe(true);
    expect(({} as Record<string, unknown>)['0']).toBeUndefined(); // no write went to Object.prototype
    const before = JSON.stringify(backend.state);
    const res = await stream('r1', JSON.parse('{"__proto__": {"offset": 0, "content": ["x"]}}'));
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(/"__proto__" is a reserved name/);
    expect(JSON.stringify(backend.state)).toBe(before);
  });
});

describe('validation before mutation', () => {
  it('CreateArtifact with a wrong-typed description leaves the id counter alone', async () => {
    const before = JSON.stringify(backend.state);
    const res = await gql('CreateArtifact', { input: { artifactTypeName: 'dataset', artifactCollectionName: 'z', entityName: 'e', projectName: 'p', runName: 'r1', digest: 'b'.repeat(32), aliases: [], description: 0 } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(backend.state)).toBe(before);
  });
});

describe('the node:http transport', () => {
  it('a file_stream path with broken percent-encoding -> 400 (it used to be a 500)', async () => {
    expect(await raw.send({ method: 'POST', path: '/files/e/p/%zz/file_stream', body: new TextEncoder().encode('{}') })).toMatchObject({ status: 400 });
  });

  it('a Host header that makes no URL -> 400 (it used to be a 500)', async () => {
    expect(await raw.send({ method: 'GET', path: '/_harness/log', headers: { host: 'a b' } })).toMatchObject({ status: 200 });
    expect(await raw.send({ method: 'GET', path: '//[', headers: { host: 'a b' } })).toMatchObject({ status: 400 });
  });

  it('TRACE -> 405 (the Request constructor refuses it: it used to be a 500)', async () => {
    expect(await raw.send({ method: 'TRACE', path: '/graphql' })).toMatchObject({ status: 405 });
  });

  it('dot segments and backslashes are refused, not resolved into another file (it used to store "a")', async () => {
    for (const path of ['/storage/run/e/p/r1/a/../a', '/storage/run/e/p/r1/a/%2E%2e/a', '/storage/run/e/p/r1/./a', '/storage/run/e/p/r1/a\\..\\a']) {
      const res = await raw.send({ method: 'PUT', path, body: new TextEncoder().encode('x') });
      expect(res, path).toMatchObject({ status: 400 });
    }
    expect(backend.state.runs['e/p/r1']!.files).toEqual({});
  });
});
