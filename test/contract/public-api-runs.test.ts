// api.runs(path, filters, order, per_page) through handle(): each filter form the SDK's MongoDB-like JSON takes,
// the orders it sends, and a project of 250 runs listed whole over several pages in the API's order. The runs are
// made as an SDK makes them (UpsertBucket, file_stream), and every expectation is computed from that input.
import { beforeAll, describe, expect, it } from 'vitest';
import { MockBackend } from '../../src/index.ts';
import { PublicApi, userKeys } from '../helpers/public-api.ts';

const BASE = 'http://wandb.test';
const UPSERT = `mutation UpsertBucket($name: String, $project: String, $entity: String, $groupName: String, $jobType: String, $config: JSONString, $displayName: String, $tags: [String!]) {
  upsertBucket(input: {name: $name, modelName: $project, entityName: $entity, groupName: $groupName, jobType: $jobType, config: $config, displayName: $displayName, tags: $tags}) { bucket { id name } inserted }
}`;

interface Made { name: string; displayName: string; group: string; jobType: string; state: 'finished' | 'failed' | 'running'; alpha?: number; acc?: number }

async function post(backend: MockBackend, path: string, body: unknown): Promise<void> {
  const res = await backend.handle(new Request(`${BASE}${path}`, { method: 'POST', body: JSON.stringify(body) }));
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
}

async function makeRun(backend: MockBackend, project: string, r: Made): Promise<void> {
  const config = r.alpha === undefined ? {} : { alpha: { value: r.alpha, desc: null } };
  await post(backend, '/graphql', { query: UPSERT, variables: { name: r.name, project, entity: 'e', groupName: r.group, jobType: r.jobType, displayName: r.displayName, config: JSON.stringify(config) } });
  const summary = { ...(r.acc === undefined ? {} : { acc: r.acc }), _step: 0, _runtime: 1 };
  const done = r.state === 'running' ? {} : { complete: true, exitcode: r.state === 'finished' ? 0 : 1 };
  await post(backend, `/files/e/${project}/${r.name}/file_stream`, { files: { 'wandb-summary.json': { offset: 0, content: [JSON.stringify(summary)] } }, ...done });
}

const MADE: Made[] = [
  { name: 'r1', displayName: 'start-1', group: 'Flow/1', jobType: 'start', state: 'finished', alpha: 0.5, acc: 0.7 },
  { name: 'r2', displayName: 'train-1a', group: 'Flow/1', jobType: 'train', state: 'finished', alpha: 0.1, acc: 0.9 },
  { name: 'r3', displayName: 'train-1b', group: 'Flow/1', jobType: 'train', state: 'failed', alpha: 0.5 },
  { name: 'r4', displayName: 'end-1', group: 'Flow/1', jobType: 'end', state: 'finished', acc: 0.85 },
  { name: 'r5', displayName: 'start-2', group: 'Flow/2', jobType: 'start', state: 'running', alpha: 0.3, acc: 0.6 },
  { name: 'r6', displayName: 'train-2', group: 'Flow/2', jobType: 'train', state: 'finished', alpha: 0.9, acc: 0.95 },
];

let backend: MockBackend;
let api: PublicApi;
const names = (pred: (r: Made) => boolean) => MADE.filter(pred).map((r) => r.name);
const listed = async (filters: unknown, order?: string) => (await api.runs('e', 'p', { filters, ...(order ? { order } : {}) })).runs.map((r) => r.id);

beforeAll(async () => {
  backend = new MockBackend();
  for (const r of MADE) await makeRun(backend, 'p', r);
  api = new PublicApi((req) => backend.handle(req), BASE);
});

describe('api.runs filters', () => {
  it('no filter: every run, oldest first (the SDK default order "+created_at"), with the logged summary and state', async () => {
    const { runs, runCount } = await api.runs('e', 'p');
    expect(runs.map((r) => r.id)).toEqual(MADE.map((r) => r.name));
    expect(runCount).toBe(6);
    expect(runs.map((r) => [r.state, userKeys(r.summary), r.config])).toEqual(
      MADE.map((m) => [m.state, m.acc === undefined ? {} : { acc: m.acc }, m.alpha === undefined ? {} : { alpha: m.alpha }]),
    );
  });

  it('equality on group, jobType, state, displayName / display_name', async () => {
    expect(await listed({ group: 'Flow/2' })).toEqual(names((r) => r.group === 'Flow/2'));
    expect(await listed({ jobType: 'train' })).toEqual(names((r) => r.jobType === 'train'));
    expect(await listed({ state: 'failed' })).toEqual(['r3']);
    expect(await listed({ displayName: 'end-1' })).toEqual(['r4']);
    expect(await listed({ display_name: 'start-2' })).toEqual(['r5']);
  });

  it('$and and $or', async () => {
    expect(await listed({ $and: [{ jobType: 'train' }, { state: 'finished' }] })).toEqual(['r2', 'r6']);
    expect(await listed({ $or: [{ displayName: 'start-1' }, { group: 'Flow/2' }] })).toEqual(['r1', 'r5', 'r6']);
    expect(await listed({ $and: [{ group: 'Flow/1' }, { $or: [{ jobType: 'start' }, { jobType: 'end' }] }] })).toEqual(['r1', 'r4']);
  });

  it('$in and $ne', async () => {
    expect(await listed({ jobType: { $in: ['start', 'end'] } })).toEqual(names((r) => r.jobType === 'start' || r.jobType === 'end'));
    expect(await listed({ state: { $ne: 'finished' } })).toEqual(['r3', 'r5']);
  });

  it('$regex (the docs example {"display_name": {"$regex": "^foo.*"}})', async () => {
    expect(await listed({ display_name: { $regex: '^train-' } })).toEqual(names((r) => r.displayName.startsWith('train-')));
    expect(await listed({ group: { $regex: '2$' } })).toEqual(['r5', 'r6']);
  });

  it('$exists on config.* and summary_metrics.*', async () => {
    expect(await listed({ 'config.alpha': { $exists: true } })).toEqual(names((r) => r.alpha !== undefined));
    expect(await listed({ 'summary_metrics.acc': { $exists: false } })).toEqual(['r3']);
  });

  it('config.KEY and config.KEY.value (as W&B stores it) name the same value; summary_metrics.KEY compares', async () => {
    expect(await listed({ 'config.alpha': 0.5 })).toEqual(['r1', 'r3']);
    expect(await listed({ 'config.alpha.value': 0.5 })).toEqual(['r1', 'r3']);
    expect(await listed({ 'summary_metrics.acc': { $gt: 0.8 } })).toEqual(['r2', 'r4', 'r6']);
    expect(await listed({ 'config.alpha': { $in: [0.1, 0.9] }, 'summary_metrics.acc': { $gte: 0.9 } })).toEqual(['r2', 'r6']);
  });

  it('an operator it does not know is a 400 naming it (never a silent match)', async () => {
    const query = 'query Runs($project: String!, $entity: String!, $filters: JSONString) { project(name: $project, entityName: $entity) { runs(filters: $filters) { edges { node { name } } } } }';
    const res = await backend.handle(new Request(`${BASE}/graphql`, { method: 'POST', body: JSON.stringify({ query, variables: { project: 'p', entity: 'e', filters: JSON.stringify({ state: { $near: 1 } }) } }) }));
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('the operator $near on \\"state\\" is not supported');
  });
});

describe('api.runs order', () => {
  it('"-summary_metrics.acc": highest first, runs without it last', async () => {
    const withAcc = MADE.filter((r) => r.acc !== undefined).sort((a, b) => b.acc! - a.acc!).map((r) => r.name);
    expect(await listed({}, '-summary_metrics.acc')).toEqual([...withAcc, 'r3']);
  });

  it('"+config.alpha.value": lowest first, ties in creation order', async () => {
    expect(await listed({}, '+config.alpha.value')).toEqual(['r2', 'r5', 'r1', 'r3', 'r6', 'r4']);
  });

  it('"-created_at": newest first', async () => {
    // A clock that ticks a second per request: each run is created later than the one before.
    const fresh = new MockBackend({ now: (() => { let t = 0; return () => new Date((t += 1000)); })() });
    for (const r of MADE.slice(0, 3)) await makeRun(fresh, 'p', r);
    const other = new PublicApi((req) => fresh.handle(req), BASE);
    expect((await other.runs('e', 'p', { order: '-created_at' })).runs.map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
  });
});

describe('api.runs pagination', () => {
  it('250 runs in a project come back whole over several pages, in the API order', async () => {
    const big = new MockBackend();
    const made = Array.from({ length: 250 }, (_v, i) => ({ name: `run${String(i).padStart(3, '0')}`, displayName: `d${i}`, group: 'G', jobType: 'train', state: 'finished' as const, acc: (i * 37) % 101 }));
    for (const r of made) await makeRun(big, 'big', r);
    const client = new PublicApi((req) => big.handle(req), BASE);
    const all = await client.runs('e', 'big', { perPage: 50 });
    expect(all.pages).toBe(5);
    expect(all.runCount).toBe(250);
    expect(all.runs.map((r) => r.id)).toEqual(made.map((r) => r.name));
    const byAcc = await client.runs('e', 'big', { perPage: 64, order: '-summary_metrics.acc' });
    expect(byAcc.pages).toBe(4);
    const expected = [...made].sort((a, b) => b.acc - a.acc || a.name.localeCompare(b.name)).map((r) => r.name);
    expect(byAcc.runs.map((r) => r.id)).toEqual(expected);
    expect(client.sent.filter((d) => d === 'Runs')).toHaveLength(9);
  });
});
