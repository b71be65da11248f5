// A whole wandb-core-style session through the real `tracked-flows serve`: wandb-core's documents
// (test/fixtures/graphql/wandb-core/) in the order it sends them, variables as its Go code fills them
// (core/internal/gql/gql_gen.go marshals every input field, null when unset), the Python side's documents where
// the new SDK sends them (python-sdk/), ids and upload URLs taken from our answers. Two runs of a flow: `start`
// logs config, history, summary, a run file and dataset `raw_df`; `transform` uses raw_df:latest and downloads it.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';
import { corpusDocument, type Dialect } from '../helpers/graphql-corpus.ts';

const KEY = `local-${'c'.repeat(40)}`;
const AUTH = `Basic ${Buffer.from(`api:${KEY}`).toString('base64')}`;
const md5b64 = (b: string | Uint8Array) => createHash('md5').update(b).digest('base64');

let srv: ServeProcess;
const sent: string[] = [];

async function gql(dialect: Dialect, op: string, variables: Record<string, unknown> = {}) {
  sent.push(`${dialect}/${op}`);
  // wandb-core names the operation in operationName; the Python side's service API does too.
  const res = await fetch(`${srv.url}/graphql`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify({ query: corpusDocument(dialect, op), variables, operationName: op }) });
  const body = await res.json();
  expect(res.status, `${op}: ${JSON.stringify(body).slice(0, 300)}`).toBe(200);
  expect(body.errors, op).toBeUndefined();
  return body.data;
}
const put = async (url: string, bytes: string) => expect((await fetch(url, { method: 'PUT', body: bytes })).status).toBe(200);
const stream = async (run: string, body: unknown) => {
  const res = await fetch(`${srv.url}/files/e/p/${run}/file_stream`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
};

/** UpsertBucket as wandb-core's sender fills it (core/internal/runupserter): every variable, null when unset. */
const upsertVars = (name: string, extra: Record<string, unknown>) => ({
  id: null, name, project: 'p', entity: 'e', groupName: 'Flow/1', description: null, displayName: null, notes: null,
  commit: null, config: null, host: 'host', debug: null, program: null, repo: null, jobType: null, state: null, sweep: null,
  tags: null, summaryMetrics: null, ...extra,
});

/** The start of every wandb-core run: feature check, viewer, the run, the system monitor's org probe, telemetry. */
async function startRun(name: string, jobType: string, config: Record<string, unknown>) {
  const features = await gql('wandb-core', 'ServerFeaturesQuery');
  expect(features.serverInfo.features).toEqual([]);
  await gql('wandb-core', 'Viewer');
  await gql('wandb-core', 'ServerInfo');
  const up = await gql('wandb-core', 'UpsertBucket', upsertVars(name, { jobType, config: JSON.stringify({ ...config, _wandb: { value: { cli_version: '0.23.0' } } }) }));
  expect(up.upsertBucket).toMatchObject({ inserted: true, bucket: { name, project: { name: 'p', entity: { name: 'e' } } } });
  // core/internal/monitor/cwmetadata.go reads a pointer: no organization on a local server.
  expect(await gql('wandb-core', 'OrganizationCoreWeaveOrganizationID', { entityName: 'e' })).toEqual({ entity: { organization: null } });
  expect(await gql('wandb-core', 'FetchOrgEntityFromEntity', { entityName: 'e' })).toEqual({ entity: { organization: null } });
  // wandb.Api() built inside the run: internal_api's Viewer, then GetViewer.
  expect((await gql('python-sdk', 'Viewer')).viewer.entity).toBe('tracked-flows');
  expect((await gql('python-sdk', 'GetViewer')).viewer).toMatchObject({ entity: 'tracked-flows', apiKeys: { edges: [] }, teams: { edges: [] } });
  expect((await fetch(`${srv.url}/sdk/otel/v1/metrics`, { method: 'POST', headers: { authorization: AUTH }, body: 'x' })).status).toBe(404);
  const files = await gql('wandb-core', 'CreateRunFiles', { entity: 'e', project: 'p', run: name, files: ['wandb-metadata.json'] });
  for (const f of files.createRunFiles.files) await put(f.uploadUrl, '{"os": "Linux"}');
  await gql('wandb-core', 'RunStoppedStatus', { entityName: 'e', projectName: 'p', runId: name });
  return up.upsertBucket.bucket.id as string;
}

async function finishRun(name: string) {
  expect((await gql('wandb-core', 'MarkRunFilesUploaded', { entity: 'e', project: 'p', run: name, files: ['wandb-metadata.json'] })).markRunFilesUploaded).toEqual({ success: true });
  await stream(name, { files: {}, complete: true, exitcode: 0, uploaded: ['wandb-metadata.json'], dropped: 0 });
}

beforeAll(async () => {
  srv = await startServe(['--api-key', KEY]);
});
afterAll(async () => {
  await srv.stop();
});

describe('a wandb-core session through serve', () => {
  it('logs config, history, summary, files and an artifact, and a second run uses it', async () => {
    // ---- run 1: start
    await startRun('start1', 'start', { alpha: { value: 0.5 } });
    await stream('start1', {
      files: {
        'wandb-history.jsonl': { offset: 0, content: ['{"loss": 0.5, "_step": 0, "_runtime": 1.2, "_timestamp": 1700000000.1}'] },
        'wandb-summary.json': { offset: 0, content: ['{"loss": 0.5, "_step": 0, "_runtime": 1.2, "_wandb": {"runtime": 1}}'] },
      },
    });
    // log_artifact(raw_df): core/pkg/artifacts/saver.go
    const bytes = 'col\n1\n2\n';
    const fileMd5 = md5b64(bytes);
    // The digest wandb-core computes (reference §5.3): md5 over the preamble and "path:digest\n" per entry.
    const digest = createHash('md5').update(`wandb-artifact-manifest-v1\nraw_df.csv:${fileMd5}\n`).digest('hex');
    const created = await gql('wandb-core', 'CreateArtifact', {
      input: {
        aliases: [{ alias: 'latest', artifactCollectionName: 'raw_df' }], artifactCollectionName: 'raw_df', artifactCollectionNames: null,
        artifactTypeName: 'dataset', clientID: 'client-1', clientMutationId: null, description: null, digest, digestAlgorithm: 'MANIFEST_MD5',
        distributedID: null, enableDigestDeduplication: true, entityName: 'e', historyStep: null, labels: null, metadata: null,
        projectName: 'p', runName: 'start1', sequenceClientID: 'seq-1', storageRegion: null, ttlDurationSeconds: null,
      },
    });
    const artifact = created.createArtifact.artifact;
    expect(artifact).toMatchObject({ state: 'PENDING', artifactSequence: { latestArtifact: null } });
    const manifestVars = { artifactID: artifact.id, baseArtifactID: null, name: 'wandb_manifest.json', entityName: 'e', projectName: 'p', runName: 'start1', manifestType: 'FULL' };
    const reserved = await gql('wandb-core', 'CreateArtifactManifest', { ...manifestVars, digest: '', includeUpload: false });
    const manifestId = reserved.createArtifactManifest.artifactManifest.id;
    expect(reserved.createArtifactManifest.artifactManifest.file).not.toHaveProperty('uploadUrl');
    const files = await gql('wandb-core', 'CreateArtifactFiles', {
      storageLayout: 'V2',
      artifactFiles: [{ artifactID: artifact.id, artifactManifestID: manifestId, md5: fileMd5, mimetype: null, name: 'raw_df.csv', uploadPartsInput: null }],
    });
    const node = files.createArtifactFiles.files.edges[0].node;
    expect(node).toMatchObject({ uploadMultipartUrls: null, artifact: { id: artifact.id } });
    await put(node.uploadUrl, bytes);
    const manifest = JSON.stringify({ version: 1, storagePolicy: 'wandb-storage-policy-v1', storagePolicyConfig: { storageLayout: 'V2' }, contents: { 'raw_df.csv': { digest: fileMd5, size: bytes.length } } });
    const upload = await gql('wandb-core', 'CreateArtifactManifest', { ...manifestVars, digest: md5b64(manifest), includeUpload: true });
    expect(upload.createArtifactManifest.artifactManifest.id).toBe(manifestId);
    await put(upload.createArtifactManifest.artifactManifest.file.uploadUrl, manifest);
    expect((await gql('wandb-core', 'CommitArtifact', { artifactID: artifact.id })).commitArtifact.artifact).toEqual({ id: artifact.id, digest });
    await finishRun('start1');

    // ---- run 2: transform uses raw_df:latest (new SDK: Python _from_name, then the download, then UseArtifact)
    await startRun('transform1', 'transform', { beta: { value: 2 } });
    const member = await gql('python-sdk', 'ArtifactMembershipByName', { entity: 'e', project: 'p', name: 'raw_df:latest' });
    const used = member.project.artifactCollectionMembership;
    expect(used).toMatchObject({ versionIndex: 0, artifact: { id: artifact.id, digest, state: 'COMMITTED', fileCount: 1, size: bytes.length, artifactSequence: { name: 'raw_df', project: { entity: { name: 'e' } } } } });
    expect(used.aliases.map((a: { alias: string }) => a.alias)).toEqual(['latest', 'v0']);
    // wandb-core's downloader (core/pkg/artifacts/downloader.go): the manifest, then URLs for its entries.
    const m = await gql('wandb-core', 'ArtifactManifest', { artifact_id: artifact.id });
    const downloaded = await (await fetch(m.artifact.currentManifest.file.directUrl)).json();
    const entries = Object.entries(downloaded.contents as Record<string, { digest: string; size: number }>).map(([name, e]) => ({ name, digest: e.digest, size: e.size, birthArtifactID: null, ref: null }));
    const urls = await gql('wandb-core', 'ArtifactFileURLsByManifestEntries', { id: artifact.id, entries, storageLayout: 'V2', manifestVersion: '1', storageRegion: null });
    const edge = urls.artifact.filesByManifestEntries.edges[0].node;
    expect(edge.name).toBe('raw_df.csv');
    expect(await (await fetch(edge.directUrl)).text()).toBe(bytes);
    // The new SDK's Python download path too.
    const py = await gql('python-sdk', 'GetArtifactMembershipFileUrls', { entity: 'e', project: 'p', collection: 'raw_df', alias: 'latest', cursor: null, perPage: 5000 });
    expect(py.project.artifactCollection.artifactMembership.files.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['raw_df.csv']);
    await gql('wandb-core', 'UseArtifact', { input: { artifactID: artifact.id, entityName: 'e', projectName: 'p', runName: 'transform1', clientMutationId: null, usedAs: null } });
    await stream('transform1', { files: { 'wandb-history.jsonl': { offset: 0, content: ['{"rows": 2, "_step": 0}'] } } });
    await finishRun('transform1');

    // ---- what was logged
    const log = await (await fetch(`${srv.url}/_harness/log`, { headers: { authorization: AUTH } })).json();
    expect(log.unsupported).toEqual([]);
    expect(log.runs).toEqual([
      {
        ref: 'run-1', id: 'start1', entity: 'e', project: 'p', group: 'Flow/1', job_type: 'start', config: { alpha: 0.5 },
        summary: { loss: 0.5 }, history: [{ loss: 0.5 }], logged_artifacts: ['raw_df:v0'], used_artifacts: [], exit_code: 0, state: 'finished',
      },
      {
        ref: 'run-2', id: 'transform1', entity: 'e', project: 'p', group: 'Flow/1', job_type: 'transform', config: { beta: 2 },
        summary: {}, history: [{ rows: 2 }], logged_artifacts: [], used_artifacts: ['raw_df:v0'], exit_code: 0, state: 'finished',
      },
    ]);
    expect(log.artifacts).toEqual([
      { name: 'raw_df', type: 'dataset', version: 'v0', digest, aliases: ['latest', 'v0'], files: [{ path: 'raw_df.csv', size: bytes.length, md5: fileMd5 }], created_by: 'run-1', used_by: ['run-2'] },
    ]);
    // Every document of the session is one of wandb-core's or the new Python SDK's, and the order was theirs.
    expect(sent.slice(0, 4)).toEqual(['wandb-core/ServerFeaturesQuery', 'wandb-core/Viewer', 'wandb-core/ServerInfo', 'wandb-core/UpsertBucket']);
  });
});
