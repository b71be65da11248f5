// A recording msw server for the client's unit tests: every request is kept (method, URL, headers, body),
// and each GraphQL operation gets a minimal valid answer written from the reference (§2.3, §4.1, §5.1, §5.4).
// Tests override answers per operation. This is not the mock backend: it checks nothing on its own.
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { OPERATION_NAME } from '../../../src/protocol/index.ts';

export const BASE = 'http://wandb.test';
export const STORAGE = 'http://storage.test';
export const API_KEY = 'local-' + 'a'.repeat(40);

export interface Recorded {
  method: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  /** GraphQL operation parsed from the document (the spy's regex, §1.4). */
  op?: string;
  operationName?: string;
  query?: string;
  variables?: Record<string, any>;
  /** Parsed JSON body (GraphQL envelope, file_stream body) or raw text for uploads. */
  json?: any;
  text?: string;
}

export type Responder = (req: Recorded, n: number) => Response | Promise<Response> | Record<string, unknown>;

const ids = { artifact: 'QXJ0aWZhY3Q6MQ==', manifest: 'QXJ0aWZhY3RNYW5pZmVzdDox' };

export const defaultAnswers: Record<string, Responder> = {
  ServerFeaturesQuery: () => ({ serverInfo: { features: [] } }),
  Viewer: () => ({ viewer: { id: 'VXNlcjox', entity: 'ent', username: 'u', email: null, flags: '{}', teams: { edges: [] } } }),
  UpsertBucket: (req) => ({
    upsertBucket: {
      bucket: {
        id: 'UnVuOnYxOnByb2o6YWJj', name: req.variables!.name, displayName: 'tiny-run-1', description: null, config: '{}',
        sweepName: null, historyLineCount: 0,
        project: { id: 'UHJvamVjdDox', name: req.variables!.project ?? 'proj', entity: { id: 'RW50aXR5OjE=', name: req.variables!.entity ?? 'ent' } },
      },
      inserted: true,
    },
  }),
  CreateRunFiles: (req) => ({
    createRunFiles: {
      runID: 'UnVuOnYxOnByb2o6YWJj',
      uploadHeaders: ['Content-Type:application/octet-stream', 'X-Upload-Token:t1'],
      files: (req.variables!.files as string[]).map((name) => ({ name, uploadUrl: `${STORAGE}/run/${name}` })),
    },
  }),
  ArtifactType: () => ({ project: null }),
  CreateArtifact: () => ({ createArtifact: { artifact: { id: ids.artifact, state: 'PENDING', artifactSequence: { latestArtifact: null } } } }),
  CreateArtifactManifest: (req) => ({
    createArtifactManifest: {
      artifactManifest: {
        id: ids.manifest,
        file: req.variables!.includeUpload ? { id: 'RmlsZTox', uploadUrl: `${STORAGE}/manifest/${req.variables!.artifactID}`, uploadHeaders: [] } : { id: 'RmlsZTox' },
      },
    },
  }),
  CreateArtifactFiles: (req) => ({
    createArtifactFiles: {
      files: {
        edges: (req.variables!.artifactFiles as { name: string; md5: string; artifactID: string }[]).map((f) => ({
          node: { storagePath: `x/${f.name}`, uploadUrl: `${STORAGE}/artifact/${f.name}`, uploadHeaders: [`Content-MD5:${f.md5}`], uploadMultipartUrls: null, artifact: { id: f.artifactID } },
        })),
      },
    },
  }),
  CommitArtifact: (req) => ({ commitArtifact: { artifact: { id: req.variables!.artifactID, digest: 'd' } } }),
  ArtifactMembershipByName: () => ({ project: { artifactCollectionMembership: membership() } }),
  UseArtifact: (req) => ({ useArtifact: { artifact: { id: req.variables!.artifactID, digest: 'd', description: null, state: 'COMMITTED', createdAt: '2026-01-01T00:00:00', metadata: null } } }),
};

export function membership(overrides: { id?: string; versionIndex?: number; collection?: string; entity?: string; project?: string } = {}) {
  const project = { id: 'UHJvamVjdDox', internalId: '1', name: overrides.project ?? 'proj', entity: { name: overrides.entity ?? 'ent' } };
  const versionIndex = overrides.versionIndex ?? 0;
  const collection = overrides.collection ?? 'raw_df';
  return {
    __typename: 'ArtifactCollectionMembership', id: 'TWVtYmVyOjE=', versionIndex,
    aliases: [{ __typename: 'ArtifactAlias', id: 'QWxpYXM6MQ==', alias: 'latest' }],
    artifactCollection: { __typename: 'ArtifactSequence', name: collection, project },
    artifact: {
      __typename: 'Artifact', id: overrides.id ?? 'QXJ0aWZhY3Q6Nw==', artifactSequence: { __typename: 'ArtifactSequence', name: collection, project },
      versionIndex, artifactType: { name: 'dataset' }, description: null, metadata: null, ttlDurationSeconds: -1, ttlIsInherited: true,
      tags: [], historyStep: null, state: 'COMMITTED', size: 12, digest: '335121c8f073fb0addf9940b0bf1128f', commitHash: 'abc',
      fileCount: 2, createdAt: '2026-01-01T00:00:00', updatedAt: null,
    },
  };
}

function headersOf(request: Request): Record<string, string> {
  const out: Record<string, string> = {};
  request.headers.forEach((value, key) => { out[key] = value; });
  return out;
}

export function fakeWandb() {
  const requests: Recorded[] = [];
  const answers: Record<string, Responder> = { ...defaultAnswers };
  const counts = new Map<string, number>();
  let fileStream: Responder = () => ({ exitcode: null, limits: {} });
  let storage: Responder = () => new Response(null, { status: 200 });

  const reply = async (key: string, responder: Responder, rec: Recorded): Promise<Response> => {
    const n = counts.get(key) ?? 0;
    counts.set(key, n + 1);
    const out = await responder(rec, n);
    return out instanceof Response ? out : HttpResponse.json(key === 'file_stream' ? out : { data: out });
  };

  const server = setupServer(
    http.post(`${BASE}/graphql`, async ({ request }) => {
      const json = await request.json() as { query: string; variables?: Record<string, unknown>; operationName?: string };
      const op = OPERATION_NAME.exec(json.query)?.[2];
      const rec: Recorded = {
        method: 'POST', url: request.url, path: new URL(request.url).pathname, headers: headersOf(request), op,
        operationName: json.operationName, query: json.query, variables: json.variables, json,
      };
      requests.push(rec);
      const responder = op ? answers[op] : undefined;
      if (!responder) return HttpResponse.json({ errors: [{ message: `unsupported operation ${op}` }] });
      return reply(op!, responder, rec);
    }),
    http.post(`${BASE}/files/:entity/:project/:run/file_stream`, async ({ request }) => {
      const headers = headersOf(request);
      let bytes = new Uint8Array(await request.arrayBuffer());
      if (headers['content-encoding'] === 'gzip') bytes = new Uint8Array((await import('node:zlib')).gunzipSync(bytes));
      const text = new TextDecoder().decode(bytes);
      const rec: Recorded = { method: 'POST', url: request.url, path: new URL(request.url).pathname, headers, json: JSON.parse(text), text };
      requests.push(rec);
      return reply('file_stream', fileStream, rec);
    }),
    http.put(`${STORAGE}/*`, async ({ request }) => {
      const text = await request.text();
      const rec: Recorded = { method: 'PUT', url: request.url, path: new URL(request.url).pathname, headers: headersOf(request), text };
      requests.push(rec);
      return reply('upload', storage, rec);
    }),
  );

  return {
    server,
    requests,
    answer(op: string, responder: Responder) { answers[op] = responder; },
    answerFileStream(responder: Responder) { fileStream = responder; },
    answerStorage(responder: Responder) { storage = responder; },
    /** The sequence of GraphQL op names, `file_stream` and `PUT <path>`. */
    sequence(): string[] {
      return requests.map((r) => (r.op ? r.op : r.method === 'PUT' ? `PUT ${r.path}` : 'file_stream'));
    },
    graphql(op: string): Recorded[] { return requests.filter((r) => r.op === op); },
    fileStreams(): Recorded[] { return requests.filter((r) => r.path.endsWith('/file_stream')); },
    puts(): Recorded[] { return requests.filter((r) => r.method === 'PUT'); },
    /** Forget the recorded requests but keep the answers. */
    clear() { requests.length = 0; counts.clear(); },
    reset() { requests.length = 0; counts.clear(); Object.assign(answers, defaultAnswers); fileStream = () => ({ exitcode: null, limits: {} }); storage = () => new Response(null, { status: 200 }); },
  };
}
