// logArtifact / useArtifact traffic (reference §5.1–§5.4) against a recording msw server.
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, seededRandom, WandbClient } from '../../../src/wandb/index.ts';
import { API_KEY, BASE, fakeWandb, membership } from './fake-wandb.ts';

const fake = fakeWandb();
beforeAll(() => fake.server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => fake.reset());
afterAll(() => fake.server.close());

const client = () => new WandbClient({ settings: { baseUrl: BASE, apiKey: API_KEY, entity: 'ent', project: 'proj' }, env: {}, clock: new ManualClock(), random: seededRandom(3) });
const start = async () => { const run = await client().init({ id: 'abc12345' }); fake.clear(); return run; };

const TWO_FILES = [
  { path: 'sub/notes.txt', bytes: 'hello\n' },
  { path: 'raw_df.csv', bytes: 'a,b\n1,2\n3,4\n' },
];

describe('logArtifact', () => {
  it('sends the reference sequence and shapes for a new version', async () => {
    const run = await start();
    await run.log({ x: 1 });
    const result = await run.logArtifact({ name: 'raw_df', type: 'dataset', files: TWO_FILES, metadata: { rows: 3 }, aliases: ['best'] });

    expect(fake.sequence()).toEqual([
      'Viewer', 'ArtifactType', 'CreateArtifact', 'CreateArtifactManifest', 'CreateArtifactFiles',
      'PUT /artifact/sub/notes.txt', 'PUT /artifact/raw_df.csv', 'CreateArtifactManifest', 'PUT /manifest/QXJ0aWZhY3Q6MQ==', 'CommitArtifact',
    ]);
    // Python part: public client, operationName "".
    for (const op of ['Viewer', 'ArtifactType']) {
      const r = fake.graphql(op)[0]!;
      expect(r.operationName).toBe('');
      expect(r.headers['user-agent']).toBe('W&B Public Client 0.28.3.dev1');
      expect(r.headers['use-admin-privileges']).toBe('true');
    }
    expect(fake.graphql('ArtifactType')[0]!.variables).toEqual({ entity: 'ent', project: 'proj', name: 'raw_df:latest' });

    const create = fake.graphql('CreateArtifact')[0]!;
    expect(create.operationName).toBe('CreateArtifact');
    expect(create.headers['user-agent']).toBe('wandb-core');
    const input = create.variables!.input;
    expect(Object.keys(input)).toEqual([
      'aliases', 'artifactCollectionName', 'artifactCollectionNames', 'artifactTypeName', 'clientID', 'clientMutationId',
      'description', 'digest', 'digestAlgorithm', 'distributedID', 'enableDigestDeduplication', 'entityName', 'historyStep',
      'labels', 'metadata', 'projectName', 'runName', 'sequenceClientID', 'storageRegion', 'ttlDurationSeconds',
    ]);
    expect(input).toMatchObject({
      aliases: [{ alias: 'latest', artifactCollectionName: 'raw_df' }, { alias: 'best', artifactCollectionName: 'raw_df' }],
      artifactCollectionName: 'raw_df', artifactCollectionNames: null, artifactTypeName: 'dataset', clientMutationId: null,
      description: null, digest: '335121c8f073fb0addf9940b0bf1128f', digestAlgorithm: 'MANIFEST_MD5', distributedID: null,
      enableDigestDeduplication: true, entityName: 'ent', historyStep: 1, labels: null, metadata: '{"rows": 3}',
      projectName: 'proj', runName: 'abc12345', storageRegion: null, ttlDurationSeconds: null,
    });
    expect(input.clientID).toMatch(/^[a-z0-9]{128}$/);
    expect(input.sequenceClientID).toMatch(/^[a-z0-9]{128}$/);

    const [m1, m2] = fake.graphql('CreateArtifactManifest');
    expect(m1!.variables).toEqual({
      artifactID: 'QXJ0aWZhY3Q6MQ==', baseArtifactID: null, name: 'wandb_manifest.json', digest: '', entityName: 'ent',
      projectName: 'proj', runName: 'abc12345', manifestType: 'FULL', includeUpload: false,
    });
    const files = fake.graphql('CreateArtifactFiles')[0]!.variables!;
    expect(files.storageLayout).toBe('V2');
    expect(files.artifactFiles).toEqual([
      { artifactID: 'QXJ0aWZhY3Q6MQ==', artifactManifestID: 'QXJ0aWZhY3RNYW5pZmVzdDox', md5: 'sZRqySSS0jR8YjW00mERhA==', mimetype: null, name: 'sub/notes.txt', uploadPartsInput: null },
      { artifactID: 'QXJ0aWZhY3Q6MQ==', artifactManifestID: 'QXJ0aWZhY3RNYW5pZmVzdDox', md5: 'w8a8Kujs5L0lENyiEiXAQQ==', mimetype: null, name: 'raw_df.csv', uploadPartsInput: null },
    ]);
    // PUTs: no credentials, the server's headers, the exact bytes.
    const [p1, p2, pm] = fake.puts();
    expect(p1!.headers.authorization).toBeUndefined();
    expect(p1!.headers['content-md5']).toBe('sZRqySSS0jR8YjW00mERhA==');
    expect([p1!.text, p2!.text]).toEqual(['hello\n', 'a,b\n1,2\n3,4\n']);
    // Manifest: byte-sorted contents, birthArtifactID from node.artifact.id; its b64 md5 is manifest #2's digest.
    const manifest = JSON.parse(pm!.text!);
    expect(manifest).toEqual({
      version: 1, storagePolicy: 'wandb-storage-policy-v1', storagePolicyConfig: { storageLayout: 'V2' },
      contents: {
        'raw_df.csv': { digest: 'w8a8Kujs5L0lENyiEiXAQQ==', size: 12, birthArtifactID: 'QXJ0aWZhY3Q6MQ==', skip_cache: false },
        'sub/notes.txt': { digest: 'sZRqySSS0jR8YjW00mERhA==', size: 6, birthArtifactID: 'QXJ0aWZhY3Q6MQ==', skip_cache: false },
      },
    });
    expect(Object.keys(manifest.contents)).toEqual(['raw_df.csv', 'sub/notes.txt']);
    expect(pm!.headers.authorization).toBeUndefined();
    expect(m2!.variables).toMatchObject({ includeUpload: true, digest: createHash('md5').update(pm!.text!).digest('base64') });
    expect(fake.graphql('CommitArtifact')[0]!.variables).toEqual({ artifactID: 'QXJ0aWZhY3Q6MQ==' });

    expect(result).toMatchObject({ id: 'QXJ0aWZhY3Q6MQ==', state: 'COMMITTED', deduplicated: false, digest: '335121c8f073fb0addf9940b0bf1128f' });
  });

  it('uploads nothing more when CreateArtifact answers COMMITTED (dedup)', async () => {
    fake.answer('CreateArtifact', () => ({ createArtifact: { artifact: { id: 'QXJ0aWZhY3Q6OQ==', state: 'COMMITTED', artifactSequence: { latestArtifact: { id: 'QXJ0aWZhY3Q6OQ==' } } } } }));
    const run = await start();
    const result = await run.logArtifact({ name: 'raw_df', type: 'dataset', files: TWO_FILES });
    expect(fake.sequence()).toEqual(['Viewer', 'ArtifactType', 'CreateArtifact']);
    expect(result).toMatchObject({ id: 'QXJ0aWZhY3Q6OQ==', state: 'COMMITTED', deduplicated: true });
    expect(fake.graphql('CreateArtifact')[0]!.variables!.input.historyStep).toBeNull(); // run.step 0 -> null
  });

  it('skips files the server already has (uploadUrl null) and uses latestArtifact as baseArtifactID', async () => {
    fake.answer('CreateArtifact', () => ({ createArtifact: { artifact: { id: 'TmV3', state: 'PENDING', artifactSequence: { latestArtifact: { id: 'T2xk' } } } } }));
    fake.answer('CreateArtifactFiles', (req) => ({
      createArtifactFiles: { files: { edges: req.variables!.artifactFiles.map((f: any) => ({ node: { storagePath: 's', uploadUrl: f.name === 'raw_df.csv' ? null : `http://storage.test/a/${f.name}`, uploadHeaders: [], artifact: { id: f.name === 'raw_df.csv' ? 'T2xk' : 'TmV3' } } })) } },
    }));
    const run = await start();
    await run.logArtifact({ name: 'raw_df', type: 'dataset', files: TWO_FILES });
    expect(fake.puts().map((p) => p.path)).toEqual(['/a/sub/notes.txt', '/manifest/TmV3']);
    expect(fake.graphql('CreateArtifactManifest').map((r) => r.variables!.baseArtifactID)).toEqual(['T2xk', 'T2xk']);
    const manifest = JSON.parse(fake.puts()[1]!.text!);
    expect(manifest.contents['raw_df.csv'].birthArtifactID).toBe('T2xk');
    expect(manifest.contents['sub/notes.txt'].birthArtifactID).toBe('TmV3');
  });

  it('sends CreateArtifactFiles in batches of 25', async () => {
    const run = await start();
    const files = Array.from({ length: 60 }, (_, i) => ({ path: `f${String(i).padStart(2, '0')}.txt`, bytes: `file ${i}` }));
    await run.logArtifact({ name: 'many', type: 'dataset', files });
    expect(fake.graphql('CreateArtifactFiles').map((r) => r.variables!.artifactFiles.length)).toEqual([25, 25, 10]);
    expect(fake.puts()).toHaveLength(61);
  });

  it('hashes and uploads files from disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wandb-art-'));
    try {
      await writeFile(join(dir, 'df.csv'), 'a,b\n1,2\n3,4\n');
      const run = await start();
      await run.logArtifact({ name: 'raw_df', type: 'dataset', files: [{ path: 'raw_df.csv', filePath: join(dir, 'df.csv') }, { path: 'sub/notes.txt', bytes: new TextEncoder().encode('hello\n') }] });
      expect(fake.graphql('CreateArtifact')[0]!.variables!.input.digest).toBe('335121c8f073fb0addf9940b0bf1128f');
      expect(fake.puts()[0]!.text).toBe('a,b\n1,2\n3,4\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('raises the SDK\'s ValueError when the name exists with another type', async () => {
    fake.answer('ArtifactType', () => ({ project: { artifact: { artifactType: { name: 'dataset' } } } }));
    const run = await start();
    const error = await run.logArtifact({ name: 'raw_df', type: 'model', files: TWO_FILES }).catch((e) => e);
    expect(error).toMatchObject({
      code: 'WANDB_ARTIFACT_TYPE_MISMATCH',
      python: { type: 'ValueError', message: "Artifact raw_df already exists with type 'dataset'; cannot create another with type 'model'" },
    });
    expect(fake.sequence()).toEqual(['Viewer', 'ArtifactType']);
  });

  it('sends Viewer once per run', async () => {
    const run = await start();
    await run.logArtifact({ name: 'a', type: 'dataset', files: [{ path: 'x', bytes: 'x' }] });
    await run.logArtifact({ name: 'b', type: 'dataset', files: [{ path: 'y', bytes: 'y' }] });
    await run.useArtifact('a:latest');
    expect(fake.graphql('Viewer')).toHaveLength(1);
  });

  it('rejects invalid names with the SDK\'s wording before any request', async () => {
    const run = await start();
    await expect(run.logArtifact({ name: 'données', type: 'dataset', files: [] })).rejects.toMatchObject({
      code: 'WANDB_ARTIFACT_NAME', python: { message: 'Artifact name may only contain alphanumeric characters, dashes, underscores, and dots' },
    });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('useArtifact', () => {
  it('sends Viewer, ArtifactMembershipByName, the Python ServerFeaturesQuery and UseArtifact', async () => {
    const run = await start();
    const used = await run.useArtifact('raw_df:latest');
    expect(fake.sequence()).toEqual(['Viewer', 'ArtifactMembershipByName', 'ServerFeaturesQuery', 'UseArtifact']);
    const lookup = fake.graphql('ArtifactMembershipByName')[0]!;
    expect(lookup.operationName).toBe('');
    expect(lookup.headers['user-agent']).toBe('W&B Public Client 0.28.3.dev1');
    expect(lookup.variables).toEqual({ entity: 'ent', project: 'proj', name: 'raw_df:latest' });
    expect(lookup.query).toMatch(/^query ArtifactMembershipByName\(\$entity: String!, \$project: String!, \$name: String!, \$includeAliases: Boolean = false\)/);
    const features = fake.graphql('ServerFeaturesQuery')[0]!;
    expect(features.operationName).toBe('');
    expect(features.headers['user-agent']).toBe('W&B Internal Client 0.28.3.dev1');
    const use = fake.graphql('UseArtifact')[0]!;
    expect(use.operationName).toBe('');
    expect(use.headers['user-agent']).toBe('W&B Internal Client 0.28.3.dev1');
    expect(use.variables).toEqual({ entityName: 'ent', projectName: 'proj', runName: 'abc12345', artifactID: 'QXJ0aWZhY3Q6Nw==', usedAs: null });
    expect(use.query).not.toContain('$usedAs');
    expect(used).toMatchObject({ id: 'QXJ0aWZhY3Q6Nw==', name: 'raw_df:v0', version: 'v0', type: 'dataset' });
  });

  it('adds the artifact entity and project when the server supports them', async () => {
    fake.answer('ServerFeaturesQuery', () => ({ serverInfo: { features: [{ name: 'USE_ARTIFACT_WITH_ENTITY_AND_PROJECT_INFORMATION', isEnabled: true }] } }));
    fake.answer('ArtifactMembershipByName', () => ({ project: { artifactCollectionMembership: membership({ entity: 'other', project: 'shared', versionIndex: 3 }) } }));
    const run = await start();
    const used = await run.useArtifact('other/shared/raw_df:v3');
    expect(fake.graphql('ArtifactMembershipByName')[0]!.variables).toEqual({ entity: 'other', project: 'shared', name: 'raw_df:v3' });
    expect(fake.graphql('UseArtifact')[0]!.variables).toEqual({
      entityName: 'ent', projectName: 'proj', runName: 'abc12345', artifactID: 'QXJ0aWZhY3Q6Nw==', usedAs: null,
      artifactEntityName: 'other', artifactProjectName: 'shared',
    });
    expect(used.name).toBe('raw_df:v3');
  });

  it('defaults a bare name to :latest', async () => {
    const run = await start();
    await run.useArtifact('raw_df');
    expect(fake.graphql('ArtifactMembershipByName')[0]!.variables!.name).toBe('raw_df:latest');
  });

  it('raises the SDK\'s not-found ValueErrors', async () => {
    const run = await start();
    fake.answer('ArtifactMembershipByName', () => ({ project: { artifactCollectionMembership: null } }));
    await expect(run.useArtifact('raw_df:latest')).rejects.toMatchObject({
      code: 'WANDB_ARTIFACT_NOT_FOUND', python: { type: 'ValueError', message: "artifact membership 'raw_df:latest' not found in 'ent/proj'" },
    });
    fake.answer('ArtifactMembershipByName', () => ({ project: null }));
    await expect(run.useArtifact('raw_df:latest')).rejects.toMatchObject({
      code: 'WANDB_ARTIFACT_NOT_FOUND', python: { message: "project 'proj' not found under entity 'ent'" },
    });
    expect(fake.graphql('UseArtifact')).toHaveLength(0);
  });

  it('treats a GraphQL error on the Python feature query as "no features"', async () => {
    fake.answer('ServerFeaturesQuery', () => HttpResponse.json({ errors: [{ message: 'Cannot query field "features" on type "ServerInfo".' }] }));
    const run = await start();
    await run.useArtifact('raw_df:latest');
    expect(Object.keys(fake.graphql('UseArtifact')[0]!.variables!)).not.toContain('artifactEntityName');
  });
});
