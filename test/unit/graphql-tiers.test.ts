// Tiered execution (src/backend/graphql/compiled.ts): a document that has run a few times is compiled by
// graphql-jit. The compiler must not change a single byte of what the backend answers or logs, so each case
// runs twice, once on graphql-js alone and once with every document compiled from its first run, and the two
// are compared: every scenario in scenarios/ (the derived log), and a session of refusals sent as HTTP
// requests (status and body of every answer, then the log).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MockBackend, serializeLog } from '../../src/index.ts';
import { HOT_AFTER, useEngine, type Engine } from '../../src/backend/graphql/compiled.ts';
import { loadScenarioPaths } from '../../harness/scenario/index.ts';
import { runScenario, toRunnable } from '../../harness/runner/index.ts';
import { COMMIT_ARTIFACT, CREATE_ARTIFACT, CREATE_ARTIFACT_FILES, SERVER_FEATURES, UPSERT_BUCKET, useArtifactOperation } from '../../src/wandb/queries.ts';

afterEach(() => useEngine('tiered'));

// A document the compiler refuses runs on graphql-js and is reported on stderr: here that would make the
// comparison vacuous, so it fails the test.
const stderr = vi.spyOn(console, 'error');
afterEach(() => {
  const refused = stderr.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('cannot compile'));
  stderr.mockClear();
  expect(refused).toEqual([]);
});

describe('compiled and interpreted GraphQL give the same answers', () => {
  const { scenarios } = loadScenarioPaths(['scenarios']);

  it(`every library scenario logs the same on graphql-js and on graphql-jit (${scenarios.length} scenarios)`, async () => {
    expect(scenarios.length).toBeGreaterThan(20);
    for (const s of scenarios) {
      const logs: string[] = [];
      for (const engine of ['graphql-js', 'jit'] as Engine[]) {
        useEngine(engine);
        const result = await runScenario(toRunnable(s), { transport: 'direct' });
        logs.push(serializeLog(result.log));
      }
      expect(logs[1], s.id).toBe(logs[0]);
    }
  });

  // Refusals of each kind the executor words: a variable that does not coerce (no resolver runs), a query
  // whose resolver refuses, a mutation whose resolver refuses (the compiled answer is kept), a partial answer.
  const session: { query: string; operationName?: string; variables: Record<string, unknown> }[] = [
    { query: UPSERT_BUCKET.query, operationName: 'UpsertBucket', variables: { name: 'r1', project: 'p', entity: 'e' } },
    { query: UPSERT_BUCKET.query, operationName: 'UpsertBucket', variables: { name: 42, project: 'p', entity: 'e' } },
    { query: CREATE_ARTIFACT.query, operationName: 'CreateArtifact', variables: { input: { artifactTypeName: 'dataset', artifactCollectionName: 'x', entityName: 'e', projectName: 'p', runName: 'r1', digest: '64e7c61456b10382e2f3b571ac24b659', aliases: [{ alias: 'latest', artifactCollectionName: 'x' }] } } },
    { query: CREATE_ARTIFACT.query, operationName: 'CreateArtifact', variables: { input: { artifactTypeName: 'dataset' } } },
    { query: CREATE_ARTIFACT_FILES.query, operationName: 'CreateArtifactFiles', variables: { storageLayout: 'V2', artifactFiles: [{ artifactID: 'nope', name: 'a.txt', md5: 'x', artifactManifestID: 'nope' }] } },
    { query: COMMIT_ARTIFACT.query, operationName: 'CommitArtifact', variables: { artifactID: 'QXJ0aWZhY3Q6OTk5' } },
    { query: useArtifactOperation(true).query, variables: { entityName: 'e', projectName: 'p', runName: 'r1', artifactID: 'QXJ0aWZhY3Q6OTk5' } },
    { query: useArtifactOperation(false).query, variables: { entityName: 'e', projectName: 'p', runName: 'nobody', artifactID: 'QXJ0aWZhY3Q6OTk5' } },
    { query: 'query Q($id: ID!) { artifact(id: $id) { id state } }', variables: { id: 'QXJ0aWZhY3Q6OTk5' } },
    { query: 'query Q($id: ID!) { artifact(id: $id) { id state } }', variables: {} },
    { query: 'query Two { a: viewer { name } b: project(name: "p", entityName: "e") { name run(name: "r1") { name } } }', variables: {} },
    // Two root fields, the second refused: a partial answer (200, data and errors), state changed by the first.
    { query: 'mutation Both { a: upsertBucket(input: {name: "r2", modelName: "p", entityName: "e"}) { bucket { name } } b: commitArtifact(input: {artifactID: "QXJ0aWZhY3Q6OTk5"}) { artifact { id } } }', variables: {} },
    { query: SERVER_FEATURES.query, operationName: 'ServerFeaturesQuery', variables: {} },
  ];

  async function play(engine: Engine): Promise<string[]> {
    useEngine(engine);
    const backend = new MockBackend({ defaultEntity: 'e' });
    const out: string[] = [];
    // Each request is sent past HOT_AFTER so the tiered default would compile it too.
    for (let round = 0; round < HOT_AFTER + 1; round++) {
      for (const r of session) {
        const res = await backend.handle(new Request('http://wandb.test/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(r) }));
        out.push(`${res.status} ${await res.text()}`);
      }
    }
    out.push(serializeLog(backend.log()));
    return out;
  }

  it('a session of refusals gets byte-identical answers and the same log', async () => {
    const interpreted = await play('graphql-js');
    const compiled = await play('jit');
    expect(compiled).toEqual(interpreted);
    // The session does refuse, in each way: otherwise it would compare nothing of interest.
    const statuses = interpreted.slice(0, session.length).map((x) => Number(x.slice(0, 3)));
    expect(statuses.filter((s) => s >= 400).length).toBeGreaterThanOrEqual(6);
    expect(interpreted.some((x) => x.startsWith('200') && x.includes('"errors"'))).toBe(true);
  });
});
