// GraphQL executed against a schema (issue 15), through a real node:http server: the 0.18.x use_artifact
// regression, answers shaped by the selection (aliases, fragments), refusals as a GraphQL server gives them, and
// the telemetry probe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCapture, playCapture } from '../../harness/cassette/capture.ts';
import { MockBackend, startHttpTransport, type HttpTransport } from '../../src/index.ts';
import { corpusDocument } from '../helpers/graphql-corpus.ts';

const CAPTURE = loadCapture(new URL('../fixtures/captures/wandb-0.18.7-sdk-session.jsonl', import.meta.url).pathname);

let backend: MockBackend;
let srv: HttpTransport;

async function gql(query: string, variables: Record<string, unknown> = {}, operationName?: string) {
  const res = await fetch(`${srv.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables, operationName }) });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  backend = new MockBackend();
  srv = await startHttpTransport(backend, { port: 0 });
  // Step 1 of the flow: the real 0.18.7 session logs dataset `x` (x:v0) from run c8ckosko in e/p.
  expect((await playCapture(CAPTURE, srv.url, (r) => fetch(r))).filter((p) => p.problem)).toEqual([]);
});
afterAll(() => srv.close());

const legacy = (op: string) => corpusDocument('legacy-0.18', op);

describe('the 0.18.x use_artifact regression (issue 15)', () => {
  it('probe -> ArtifactByName -> manifest download -> UseArtifact gives used_artifacts on the second run', async () => {
    const up = await gql(legacy('UpsertBucket'), { name: 'second', project: 'p', entity: 'e', jobType: 'transform' });
    expect(up.status).toBe(200);

    // The probe the SDK reads with res.get("ProjectInfoType", {}).get("fields", ...): it was null before.
    const probe = await gql(legacy('ProbeServerProjectInfo'));
    expect(probe.status).toBe(200);
    const fields: { name: string; args: { name: string }[] }[] = probe.body.data.ProjectInfoType.fields;
    const artifactArgs = fields.find((f) => f.name === 'artifact')!.args.map((a) => a.name);
    expect(artifactArgs).toContain('enableTracking'); // so the SDK adds $enableTracking to ArtifactByName

    // ArtifactByName with the legacy fragment: artifactSequence { project { entityName name } } (KeyError before).
    const byName = await gql(legacy('ArtifactByName'), { entityName: 'e', projectName: 'p', name: 'x:latest', enableTracking: false });
    expect(byName.status).toBe(200);
    const art = byName.body.data.project.artifact;
    expect(art.artifactSequence).toEqual({ project: { entityName: 'e', name: 'p' }, name: 'x' });
    expect(art).toMatchObject({ versionIndex: 0, artifactType: { name: 'dataset' }, state: 'COMMITTED', commitHash: '5bf1bede20e96d678dab' });
    expect(art.aliases.map((a: { alias: string }) => a.alias).sort()).toEqual(['latest', 'v0']);

    // The manifest download, from the URL the answer handed out.
    const manifest = await (await fetch(art.currentManifest.file.directUrl)).json();
    expect(Object.keys(manifest.contents)).toEqual(['data.txt']);

    const inputProbe = await gql(legacy('ProbeServerUseArtifactInput'));
    expect(inputProbe.body.data.UseArtifactInputInfoType.inputFields.map((f: { name: string }) => f.name)).toContain('usedAs');
    const used = await gql(legacy('UseArtifact'), { entityName: 'e', projectName: 'p', runName: 'second', artifactID: art.id, usedAs: null });
    expect(used.status).toBe(200);
    expect(used.body.data.useArtifact.artifact).toMatchObject({ id: art.id, digest: '5bf1bede20e96d678dab687d9ce4f009', state: 'COMMITTED' });

    const log = backend.log();
    expect(log.runs.find((r) => r.id === 'second')!.used_artifacts).toEqual(['x:v0']);
    expect(log.artifacts[0]!.used_by).toEqual(['run-2']);
    expect(log.unsupported).toEqual([]);
  });
});

describe('the answer is what the document selects', () => {
  const artifactId = () => Object.values(backend.state.artifacts).find((a) => a.collection === 'x')!.id;

  it('an aliased query gets exactly its fields under its aliases', async () => {
    const res = await gql(
      'query Aliased($id: ID!) { first: artifact(id: $id) { v: versionIndex kind: artifactType { n: name } } second: artifact(id: "nope") { id } me: viewer { who: entity } }',
      { id: artifactId() },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { first: { v: 0, kind: { n: 'dataset' } }, second: null, me: { who: 'tracked-flows' } } });
    expect(Object.keys(res.body.data.first)).toEqual(['v', 'kind']);
  });

  it('a query with fragments (named, inline, nested) gets exactly the fields they select', async () => {
    const res = await gql(
      `query WithFragments($id: ID!) { artifact(id: $id) { ...Head ... on Artifact { digest artifactSequence { ...Coll } } } }
       fragment Head on Artifact { id state }
       fragment Coll on ArtifactCollection { __typename name project { entityName } }`,
      { id: artifactId() },
    );
    expect(res.status).toBe(200);
    expect(res.body.data.artifact).toEqual({
      id: artifactId(), state: 'COMMITTED', digest: '5bf1bede20e96d678dab687d9ce4f009',
      artifactSequence: { __typename: 'ArtifactSequence', name: 'x', project: { entityName: 'e' } },
    });
    expect(Object.keys(res.body.data.artifact)).toEqual(['id', 'state', 'digest', 'artifactSequence']);
  });
});

describe('refusals as a GraphQL server gives them', () => {
  it('an unknown field: graphql-js names it with its location, 400 (not retried), listed as Type.field', async () => {
    const res = await gql('query Odd {\n  project(name: "p", entityName: "e") {\n    foo\n  }\n}');
    expect(res.status).toBe(400);
    const messages = res.body.errors.map((e: { message: string }) => e.message);
    expect(messages).toContain('Cannot query field "foo" on type "Project".');
    expect(res.body.errors.find((e: { message: string }) => e.message.startsWith('Cannot query'))).toMatchObject({ locations: [{ line: 3, column: 5 }] });
    expect(backend.log().unsupported).toEqual(expect.arrayContaining(['Odd', 'Project.foo']));
  });

  it('an unknown argument and an unknown input field are listed as what they are', async () => {
    const arg = await gql('query A { project(name: "p", entityName: "e", color: "red") { id } }');
    expect(arg.status).toBe(400);
    expect(arg.body.errors[1].message).toBe('Unknown argument "color" on field "Query.project".');
    const input = await gql(corpusDocument('wandb-core', 'UseArtifact'), { input: { entityName: 'e', projectName: 'p', runName: 'second', artifactID: 'x', shiny: true } });
    expect(input.status).toBe(400);
    expect(backend.log().unsupported).toEqual(expect.arrayContaining(['Query.project(color)', 'UseArtifactInput.shiny']));
  });

  it('a variable of the wrong type: a 400 naming the variable, nothing counted, nothing changed', async () => {
    const before = JSON.stringify(backend.state);
    const res = await gql(corpusDocument('wandb-core', 'CommitArtifact'), { artifactID: { not: 'an id' } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/^Failed to run "CommitArtifact": Variable "\$artifactID" got invalid value/);
    expect(res.body.errors[0].extensions.code).toBe('BAD_VARIABLES');
    expect(JSON.stringify(backend.state)).toBe(before);
  });

  it('a document that does not parse: 400 with the location', async () => {
    const res = await gql('query Broken { viewer { id }');
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ message: expect.stringMatching(/^Syntax Error/), locations: [{ line: 1, column: 29 }], extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  });

  it('multipart file specs are refused naming CreateArtifactFileSpecInput.uploadPartsInput', async () => {
    const pending = await gql(corpusDocument('wandb-core', 'CreateArtifact'), {
      input: { artifactTypeName: 'dataset', artifactCollectionName: 'big', entityName: 'e', projectName: 'p', runName: 'second', digest: 'c'.repeat(32), clientID: 'c1', sequenceClientID: 's1', enableDigestDeduplication: true, aliases: [] },
    });
    const res = await gql(corpusDocument('wandb-core', 'CreateArtifactFiles'), {
      storageLayout: 'V2', artifactFiles: [{ artifactID: pending.body.data.createArtifact.artifact.id, name: 'big.bin', md5: 'CY9rzUYh03PK3k6DJie09g==', uploadPartsInput: [{ partNumber: 1, hexMD5: 'a'.repeat(32) }] }],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/multipart uploads \(CreateArtifactFileSpecInput\.uploadPartsInput\) are not implemented/);
    expect(backend.log().unsupported).toContain('CreateArtifactFileSpecInput.uploadPartsInput');
  });
});

describe('wandb-core telemetry', () => {
  it('POST /sdk/otel/v1/metrics -> 404, so wandb-core turns telemetry off, with or without an API key', async () => {
    expect((await fetch(`${srv.url}/sdk/otel/v1/metrics`, { method: 'POST', body: 'x' })).status).toBe(404);
    const keyed = new MockBackend({ apiKey: `local-${'k'.repeat(40)}` });
    expect((await keyed.handle(new Request('http://mock/sdk/otel/v1/metrics', { method: 'POST', body: 'x' }))).status).toBe(404);
    expect((await keyed.handle(new Request('http://mock/graphql', { method: 'POST', body: '{}' }))).status).toBe(401);
  });
});
