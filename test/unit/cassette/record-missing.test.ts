// replay --mode record-missing: a miss goes to the upstream, its answer is served and appended (redacted),
// and the same request is then answered from the cassette.
import { describe, expect, it } from 'vitest';
import { MockBackend } from '../../../src/index.ts';
import { backendUpstream, Player, Recorder, recordInProcess, serializeCassette } from '../../../harness/cassette/index.ts';
import { main } from '../../../harness/cli/main.ts';
import { corpusDocument } from '../../helpers/graphql-corpus.ts';

const KEY = `local-${'m'.repeat(40)}`;
const auth = { authorization: `Basic ${Buffer.from(`api:${KEY}`).toString('base64')}` };
const viewer = () => new Request('http://replay.invalid/graphql', { method: 'POST', headers: auth, body: JSON.stringify({ query: 'query Viewer { viewer { id entity } }', variables: {} }) });
const upsert = () => new Request('http://replay.invalid/graphql', { method: 'POST', headers: auth, body: JSON.stringify({ query: corpusDocument('wandb-core', 'UpsertBucket'), variables: { entity: 'e', project: 'p', name: 'r1' } }) });

describe('record-missing', () => {
  it('forwards a miss upstream, appends it redacted, and answers it from the cassette afterwards', async () => {
    const rec = recordInProcess(new MockBackend());
    await rec.fetch(viewer());
    const base = rec.cassette();
    expect(base.interactions).toHaveLength(1);

    const upstreamBackend = new MockBackend({ apiKey: KEY });
    const recorder = new Recorder({ upstream: base.meta.upstream }, base);
    const player = new Player(base, { mode: 'record-missing', upstream: backendUpstream(upstreamBackend), recorder });
    expect((await player.handle(viewer())).status).toBe(200); // recorded
    const first = await player.handle(upsert()); // missing: forwarded
    expect(first.status).toBe(200);
    expect(((await first.json()) as any).data.upsertBucket.bucket.name).toBe('r1');
    expect(upstreamBackend.log().runs.map((r) => r.id)).toEqual(['r1']);
    expect((await player.handle(upsert())).status).toBe(200); // now answered from the appended interaction
    expect(upstreamBackend.log().runs).toHaveLength(1);
    expect(player.appended).toBe(1);
    expect(player.misses).toEqual([]);

    const grown = recorder.toCassette();
    expect(grown.interactions).toHaveLength(2);
    expect(grown.interactions[1]!.request.headers.authorization).toBe('[REDACTED]');
    expect(serializeCassette(grown)).not.toContain(KEY);
  });

  it('needs an upstream and a recorder', () => {
    expect(() => new Player({ format: 'tracked-flows/cassette@1', meta: { recorder: 'r', upstream: 'u' }, interactions: [] }, { mode: 'record-missing' })).toThrow(/needs an upstream and a recorder/);
  });
});

describe('command-line usage errors exit 2', () => {
  const run = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out, err };
  };
  it('rejects an unknown replay mode, a bad port, a bad pattern and a missing command', async () => {
    expect(await run(['replay', 'x.json', '--mode', 'strict'])).toEqual({ code: 2, out: [], err: ['Failed to replay "x.json": --mode must be one of lockdown, record-missing, got "strict".'] });
    expect((await run(['replay', 'x.json', '--port', 'http'])).err).toEqual(['Failed to replay: --port must be an integer 0-65535, got "http".']);
    expect((await run(['record', '--out', 'c.json', '--redact', '(', '--', 'true'])).code).toBe(2);
    expect(await run(['record', '--out', 'c.json'])).toEqual({ code: 2, out: [], err: ['Failed to record: no command was given. Usage: tracked-flows record --out FILE -- COMMAND..'] });
    expect((await run(['record', '--', 'true'])).code).toBe(2); // --out is required
  });
  it('names a missing cassette', async () => {
    expect(await run(['inspect', '/nonexistent/c.json'])).toEqual({ code: 2, out: [], err: ['/nonexistent/c.json: cannot read the cassette (ENOENT).'] });
  });
});
