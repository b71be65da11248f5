// mockWandb(): code that calls the global fetch itself (no fetch handed to it) reaches a fresh embedded backend
// through msw's setupServer, for the W&B public API and WANDB_BASE_URL alike; log / reset / faults on it.
import { beforeEach, describe, expect, it } from 'vitest';

process.env.WANDB_BASE_URL = 'http://wandb.local.test:8080';
const { mockWandb } = await import('../../../harness/vitest/index.ts');

const wandb = mockWandb({ backend: { defaultEntity: 'team' } });

/** What any W&B client sends first for a run: UpsertBucket over GraphQL (reference wire protocol). */
async function upsertRun(baseUrl: string, name: string): Promise<Response> {
  return fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`api:${'k'.repeat(40)}`).toString('base64')}` },
    body: JSON.stringify({
      query: 'mutation UpsertBucket($name: String, $project: String, $entity: String) { upsertBucket(input: {name: $name, modelName: $project, entityName: $entity}) { bucket { id name } inserted } }',
      variables: { name, project: 'p', entity: 'team' },
    }),
  });
}

describe('mockWandb', () => {
  beforeEach(() => wandb.reset());

  it('answers a plain fetch to https://api.wandb.ai/graphql and logs the run', async () => {
    const res = await upsertRun('https://api.wandb.ai', 'r1');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { upsertBucket: { bucket: { name: string } } } }).data.upsertBucket.bucket.name).toBe('r1');
    expect(wandb.log().runs.map((r) => [r.entity, r.project, r.id])).toEqual([['team', 'p', 'r1']]);
  });

  it('intercepts WANDB_BASE_URL too; reset() gives an empty backend', async () => {
    expect(wandb.log().runs).toEqual([]);
    await upsertRun('http://wandb.local.test:8080', 'r2');
    expect(wandb.log().runs.map((r) => r.id)).toEqual(['r2']);
  });

  it('faults(plan): the next UpsertBucket is answered 503, the one after goes through', async () => {
    wandb.faults([{ operation: 'UpsertBucket', nth: 1, fault: { type: 'status', status: 503 } }]);
    expect((await upsertRun('https://api.wandb.ai', 'r3')).status).toBe(503);
    expect((await upsertRun('https://api.wandb.ai', 'r3')).status).toBe(200);
    expect(wandb.log().runs).toHaveLength(1);
  });

  it('a request elsewhere is an error, not a leak to the network', async () => {
    await expect(fetch('https://example.invalid/x')).rejects.toThrow();
  });
});
