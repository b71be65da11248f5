// Our W&B client against the mock backend, in-process (msw) and over a real socket (`tracked-flows serve`):
// what the log model shows is derived from the traffic alone.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, MockBackend, WandbClient, seededRandom, startMswTransport, type LogModel, type MswTransport } from '../../src/index.ts';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';

const KEY = `local-${'a'.repeat(40)}`;
const md5b64 = (s: string) => createHash('md5').update(s).digest('base64');

/** The session of the issue: init, config, three history rows, summary, a dataset `x` with two files; a second run uses x:latest. */
async function session(client: WandbClient, files: Record<string, string>): Promise<void> {
  const producer = await client.init({ group: 'Flow/1', jobType: 'start', config: { alpha: 0.5, layers: [1, 2] } });
  for (const loss of [0.9, 0.5, 0.25]) await producer.log({ loss });
  producer.summary.update({ best: 0.25 });
  await producer.logArtifact({ name: 'x', type: 'dataset', files: Object.entries(files).map(([path, text]) => ({ path, bytes: Buffer.from(text) })) });
  await producer.finish(0);
  const consumer = await client.init({ group: 'Flow/1', jobType: 'end' });
  await consumer.useArtifact('x:latest');
  await consumer.finish(0);
}

const FILES = { 'raw.csv': 'a,b\n1,2\n3,4\n', 'sub/notes.txt': 'hello\n' };

function expectSessionLog(log: LogModel) {
  expect(log.unsupported).toEqual([]);
  expect(log.runs).toHaveLength(2);
  const [producer, consumer] = log.runs;
  expect(producer).toMatchObject({
    ref: 'run-1', entity: 'e', project: 'p', group: 'Flow/1', job_type: 'start',
    config: { alpha: 0.5, layers: [1, 2] },
    history: [{ loss: 0.9 }, { loss: 0.5 }, { loss: 0.25 }],
    logged_artifacts: ['x:v0'], used_artifacts: [], exit_code: 0, state: 'finished',
  });
  // W&B's summary holds the last value of each logged key plus what was set directly.
  expect(producer!.summary).toEqual({ loss: 0.25, best: 0.25 });
  expect(consumer).toMatchObject({ ref: 'run-2', job_type: 'end', history: [], logged_artifacts: [], used_artifacts: ['x:v0'], exit_code: 0 });
  expect(log.artifacts).toEqual([
    {
      name: 'x', type: 'dataset', version: 'v0', aliases: ['latest', 'v0'], created_by: 'run-1', used_by: ['run-2'],
      // A reference test vector (wire protocol §5.3): these two files, one as `raw_df.csv`, give 335121c8...;
      // here the path differs, so the digest is recomputed below from the reference's algorithm.
      digest: manifestDigestPython({ 'raw.csv': md5b64(FILES['raw.csv']), 'sub/notes.txt': md5b64(FILES['sub/notes.txt']) }),
      files: [
        { path: 'raw.csv', size: 12, md5: 'w8a8Kujs5L0lENyiEiXAQQ==' },
        { path: 'sub/notes.txt', size: 6, md5: 'sZRqySSS0jR8YjW00mERhA==' },
      ],
    },
  ]);
}

/** The reference's digest algorithm, spelled out independently of both the client and the backend. */
function manifestDigestPython(entries: Record<string, string>): string {
  const h = createHash('md5').update('wandb-artifact-manifest-v1\n');
  for (const path of Object.keys(entries).sort()) h.update(`${path}:${entries[path]}\n`);
  return h.digest('hex');
}

describe.each(['msw', 'serve'] as const)('client -> backend over %s', (transport) => {
  let baseUrl: string;
  let backend: MockBackend | undefined;
  let msw: MswTransport | undefined;
  let srv: ServeProcess | undefined;
  const getLog = async (): Promise<LogModel> =>
    backend ? backend.log() : (await fetch(`${baseUrl}/_harness/log`, { headers: { authorization: `Basic ${Buffer.from(`api:${KEY}`).toString('base64')}` } })).json();
  const client = (seed: number) => new WandbClient({ settings: { baseUrl, apiKey: KEY, entity: 'e', project: 'p', mode: 'online' }, env: {}, clock: new ManualClock(1_700_000_000_000), random: seededRandom(seed) });

  beforeAll(async () => {
    if (transport === 'msw') {
      backend = new MockBackend({ apiKey: KEY });
      msw = await startMswTransport(backend, 'http://wandb.mock');
      baseUrl = msw.baseUrl;
    } else {
      srv = await startServe(['--api-key', KEY]);
      baseUrl = srv.url;
    }
  });
  afterAll(async () => {
    msw?.close();
    await srv?.stop();
  });

  it('shows both runs, their config, history, summary, exit codes, and x:v0 with files, digest and lineage', async () => {
    await session(client(1), FILES);
    expectSessionLog(await getLog());
  });

  it('identical content makes no v1; different content makes v1 and moves latest', async () => {
    const again = await client(2).init({ jobType: 'again' });
    const same = await again.logArtifact({ name: 'x', type: 'dataset', files: Object.entries(FILES).map(([path, t]) => ({ path, bytes: Buffer.from(t) })) });
    expect(same.deduplicated).toBe(true);
    await again.finish(0);
    let log = await getLog();
    expect(log.artifacts.map((a) => `${a.name}:${a.version}`)).toEqual(['x:v0']);
    expect(log.runs[2]).toMatchObject({ job_type: 'again', logged_artifacts: [] });

    const changed = await client(3).init({ jobType: 'changed' });
    await changed.logArtifact({ name: 'x', type: 'dataset', files: [{ path: 'raw.csv', bytes: Buffer.from('a,b\n5,6\n') }] });
    await changed.finish(0);
    log = await getLog();
    expect(log.artifacts.map((a) => [`${a.name}:${a.version}`, a.aliases])).toEqual([
      ['x:v0', ['v0']],
      ['x:v1', ['latest', 'v1']],
    ]);
    expect(log.artifacts[1]).toMatchObject({ created_by: 'run-4', files: [{ path: 'raw.csv', size: 8, md5: md5b64('a,b\n5,6\n') }] });
  });
});
