// Bad input at the HTTP server: each gets a clear 4xx naming the problem, the server keeps serving, and the
// state is exactly what it was (an unknown operation is only counted under `unsupported`).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockBackend, startHttpTransport, type HttpTransport } from '../../src/index.ts';
import { corpusDocument } from '../helpers/graphql-corpus.ts';

let backend: MockBackend;
let srv: HttpTransport;
const gql = (query: string, variables: Record<string, unknown> = {}) =>
  fetch(`${srv.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });

const UPSERT = corpusDocument('wandb-core', 'UpsertBucket');
const CREATE_ARTIFACT = 'mutation CreateArtifact ($input: CreateArtifactInput!) { createArtifact(input: $input) { artifact { id state } } }';
const CREATE_FILES = 'mutation CreateArtifactFiles($artifactFiles: [CreateArtifactFileSpecInput!]!, $storageLayout: ArtifactStorageLayout!) { createArtifactFiles(input: {artifactFiles: $artifactFiles, storageLayout: $storageLayout}) { files { edges { node { uploadUrl } } } } }';

beforeAll(async () => {
  backend = new MockBackend({ maxBodyBytes: 64 * 1024 });
  srv = await startHttpTransport(backend, { port: 0 });
  await gql(UPSERT, { name: 'run1', project: 'p', entity: 'e' });
  const res = await gql(CREATE_ARTIFACT, {
    input: { artifactTypeName: 'dataset', artifactCollectionName: 'x', entityName: 'e', projectName: 'p', runName: 'run1', digest: '64e7c61456b10382e2f3b571ac24b659', aliases: [{ alias: 'latest', artifactCollectionName: 'x' }] },
  });
  expect(res.status).toBe(200);
});
afterAll(() => srv.close());

async function expectRefused(send: () => Promise<Response>, status: number, mentions: RegExp) {
  const before = JSON.stringify({ ...backend.state, unsupported: {} });
  const res = await send();
  expect(res.status).toBe(status);
  const body = await res.json();
  const message: string = body.errors?.[0]?.message ?? body.error;
  expect(message).toMatch(mentions);
  expect(JSON.stringify({ ...backend.state, unsupported: {} })).toBe(before);
  // ...and the server still answers a good request.
  const ok = await gql('query ServerFeaturesQuery { serverInfo { features { name isEnabled } } }');
  expect(ok.status).toBe(200);
  return body;
}

const artifactId = () => Object.keys(backend.state.artifacts)[0]!;

describe('bad input at the HTTP server', () => {
  it('malformed JSON -> 400', async () => {
    await expectRefused(() => fetch(`${srv.url}/graphql`, { method: 'POST', body: '{"query": "query Viewer {' }), 400, /not valid UTF-8 JSON/);
  });

  it('a GraphQL body without a query -> 400', async () => {
    await expectRefused(() => fetch(`${srv.url}/graphql`, { method: 'POST', body: JSON.stringify({ variables: {} }) }), 400, /no "query"/);
  });

  it('an unknown operation -> 400 naming it, and listed under unsupported', async () => {
    const body = await expectRefused(() => gql('query LaunchAgentIntrospection { launchAgent { id } }'), 400, /"LaunchAgentIntrospection".*does not implement/);
    expect(body.errors[0].extensions.code).toBe('UNSUPPORTED_OPERATION');
    expect(backend.log().unsupported).toEqual(['LaunchAgentIntrospection', 'Query.launchAgent']);
  });

  it('a file_stream for an unknown run -> 404', async () => {
    await expectRefused(
      () => fetch(`${srv.url}/files/e/p/nosuchrun/file_stream`, { method: 'POST', body: JSON.stringify({ files: { 'wandb-history.jsonl': { offset: 0, content: ['{"a": 1}'] } } }) }),
      404,
      /no such run/,
    );
  });

  it('a file_stream whose history line is not JSON -> 400', async () => {
    await expectRefused(
      () => fetch(`${srv.url}/files/e/p/run1/file_stream`, { method: 'POST', body: JSON.stringify({ files: { 'wandb-history.jsonl': { offset: 0, content: ['{"a": 1}', '{"a": '] } } }) }),
      400,
      /line 1 of wandb-history.jsonl is not a JSON object/,
    );
  });

  it.each([['../escape.txt'], ['/etc/passwd'], ['a/../../b']])('an artifact file named %s -> 400', async (name) => {
    await expectRefused(
      () => gql(CREATE_FILES, { storageLayout: 'V2', artifactFiles: [{ artifactID: artifactId(), artifactManifestID: 'm', name, md5: 'CY9rzUYh03PK3k6DJie09g==', mimetype: null, uploadPartsInput: null }] }),
      400,
      /absolute paths are not allowed|'\.\.' segments are not allowed/,
    );
  });

  it('a body over the size limit -> 413', async () => {
    await expectRefused(() => fetch(`${srv.url}/graphql`, { method: 'POST', body: JSON.stringify({ query: `query Viewer { viewer { id } } # ${'x'.repeat(70 * 1024)}` }) }), 413, /over the limit of 65536/);
  });

  it('an upload to a URL the server never handed out -> 404', async () => {
    await expectRefused(() => fetch(`${srv.url}/storage/artifacts/${encodeURIComponent(artifactId())}/data.txt`, { method: 'PUT', body: 'hello' }), 404, /no CreateArtifactFiles announced/);
  });

  it('wrong variable types -> 400 naming the variable', async () => {
    await expectRefused(() => gql(UPSERT, { name: 42, project: 'p', entity: 'e' }), 400, /Variable "\$name" got invalid value 42; String cannot represent a non string value/);
  });
});
