// Record a real session through the proxy, replay it with nothing else running, inspect it into the log of the
// live run — through the library (proxy, replay server) and through the real CLI with a node script as COMMAND.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeLog } from '../../src/index.ts';
import {
  embeddedUpstream, inspectCassette, loadCapture, loadCassette, Player, playCapture, Recorder, startLocalServer, startRecordingProxy, writeCassette,
} from '../../harness/cassette/index.ts';
import { BIN, startServe, type ServeProcess } from '../helpers/serve-process.ts';

const CAPTURE = new URL('../fixtures/captures/wandb-0.18.7-sdk-session.jsonl', import.meta.url).pathname;
const PLAY = new URL('../fixtures/cassettes/play-capture.ts', import.meta.url).pathname;
const PLAY_COMMAND = [process.execPath, '--import', 'tsx', PLAY];
const KEY = `local-${'s'.repeat(40)}`;
const AUTH = { authorization: `Basic ${Buffer.from(`api:${KEY}`).toString('base64')}` };
const dir = mkdtempSync(join(tmpdir(), 'tf-cassette-e2e-'));

interface Run { code: number | null; stdout: string; stderr: string }

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: 'pipe', env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('record -> replay -> inspect, in process', () => {
  it('records the capture through the proxy, replays it alone, and inspects it into the live log', async () => {
    const upstream = await embeddedUpstream();
    const recorder = new Recorder({ upstream: upstream.label });
    const proxy = await startRecordingProxy({ upstream, recorder });
    const played = await playCapture(loadCapture(CAPTURE), proxy.url, (r) => fetch(r));
    expect(played.filter((p) => p.problem)).toEqual([]);
    const liveLog = await (await fetch(`${upstream.base.origin}/_harness/log`)).text();
    await proxy.close();
    await upstream.close();
    const file = join(dir, 'in-process.json');
    writeCassette(file, recorder.toCassette());

    // Every upload went through the proxy too: the 7 PUTs of the capture are in the cassette.
    const cassette = loadCassette(file);
    expect(cassette.interactions).toHaveLength(29);
    expect(cassette.interactions.filter((i) => i.request.method === 'PUT').map((i) => i.request.path.split('/')[2])).toEqual(['run', 'artifacts', 'manifest', 'run', 'run', 'run']);

    const { log, problems } = await inspectCassette(cassette);
    expect(problems).toEqual([]);
    expect(serializeLog(log)).toBe(liveLog);

    // Nothing else is running now: the replay server alone answers the SDK's requests.
    const player = new Player(cassette);
    const server = await startLocalServer((r) => player.handle(r));
    try {
      const again = await playCapture(loadCapture(CAPTURE), server.url, (r) => fetch(r));
      expect(again.filter((p) => p.problem)).toEqual([]);
      expect(player.misses).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('the record, replay and inspect commands', () => {
  let srv: ServeProcess;
  const cassetteFile = join(dir, 'cli.json');
  let record: Run;
  beforeAll(async () => {
    srv = await startServe(['--api-key', KEY]);
    record = await cli(['record', '--out', cassetteFile, '--upstream', srv.url, '--', ...PLAY_COMMAND], { WANDB_API_KEY: KEY });
  }, 60_000);
  afterAll(async () => {
    await srv.stop();
  });

  it('records the session COMMAND ran against the proxy, and exits with its code', () => {
    expect(record.stderr).toContain(`record: wrote 29 interactions to ${cassetteFile}`);
    expect(JSON.parse(record.stdout.trim().split('\n').pop()!)).toEqual({ requests: 29, problems: [] });
    expect(record.code).toBe(0);
  });

  it('writes no secret: neither the API key nor the upload signatures', () => {
    const bytes = readFileSync(cassetteFile, 'utf8');
    expect(bytes).not.toContain(KEY);
    expect(bytes).not.toContain(AUTH.authorization.slice(6));
    expect(bytes).not.toMatch(/sig=[0-9a-f]{32}/);
    expect(bytes).toContain('sig=REDACTED');
    expect(JSON.parse(bytes).meta).toEqual({ recorder: 'tracked-flows/0.1.0', upstream: srv.url });
  });

  it('inspects the cassette into the log of the live run', async () => {
    const live = await (await fetch(`${srv.url}/_harness/log`, { headers: AUTH })).text();
    const inspected = await cli(['inspect', cassetteFile, '--json']);
    expect(inspected.stderr).toBe('');
    expect(inspected.code).toBe(0);
    expect(inspected.stdout).toBe(live);
    const viaUrl = await cli(['inspect', srv.url, '--json', '--api-key', KEY]);
    expect(viaUrl.stdout).toBe(live);
  }, 30_000);

  it('replays it to COMMAND with nothing behind it', async () => {
    const r = await cli(['replay', cassetteFile, '--', ...PLAY_COMMAND]);
    expect(r.stdout.split('\n')[0]).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({ requests: 29, problems: [] });
    expect(r.stderr).toBe('replay: 29 matched, 0 missed, 0 content difference(s), 0 recorded interaction(s) unused; COMMAND exited 0\n');
    expect(r.code).toBe(0);
  }, 30_000);

  it('fails a replay that misses, printing the request and the nearest recordings at once and in the summary', async () => {
    const script = `const r = await fetch(process.env.WANDB_BASE_URL + '/graphql', { method: 'POST', body: JSON.stringify({ query: 'query Viewer { viewer { id } }', variables: { entity: 'someone-else' } }) }); console.log(r.status, (await r.json()).code);`;
    const r = await cli(['replay', cassetteFile, '--', process.execPath, '--input-type=module', '-e', script]);
    expect(r.stdout.split('\n')[1]).toBe('400 CASSETTE_MISS');
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^replay: no recorded interaction matches POST \/graphql Viewer \(POST \/graphql\); nearest: #1 POST \/graphql Viewer \(entity: got "someone-else", not recorded\)/);
    expect(lines[1]).toBe('replay: 0 matched, 1 missed, 0 content difference(s), 29 recorded interaction(s) unused; COMMAND exited 0');
    expect(lines[2]).toMatch(/^replay: unused: #0 POST \/graphql ProbeServerCapabilities, #1 POST \/graphql Viewer, .*, \+24 more$/);
    expect(lines[3]).toBe(`replay: first miss: ${lines[0]!.slice('replay: '.length)}`);
    expect(lines).toHaveLength(4);
    expect(r.code).toBe(1);
  }, 30_000);

  it('passes COMMAND\'s exit code through', async () => {
    const out = join(dir, 'exit.json');
    const r = await cli(['record', '--out', out, '--', process.execPath, '-e', 'process.exit(7)']);
    expect(r.code).toBe(7);
    expect(loadCassette(out).interactions).toEqual([]);
    // replay too, naming it in the summary (a command that exits on its own keeps its code).
    const replayed = await cli(['replay', cassetteFile, '--', process.execPath, '-e', 'process.exit(7)']);
    expect(replayed.code).toBe(7);
    expect(replayed.stderr.split('\n')[0]).toBe('replay: 0 matched, 0 missed, 0 content difference(s), 29 recorded interaction(s) unused; COMMAND exited 7');
  }, 30_000);

  it('refuses a malformed or schema-invalid cassette with "file: message" and exit 2', async () => {
    const malformed = join(dir, 'malformed.json');
    writeFileSync(malformed, '{"format": "tracked-flows/cassette@1",');
    const a = await cli(['replay', malformed]);
    expect(a.code).toBe(2);
    expect(a.stderr.trim()).toMatch(new RegExp(`^${malformed.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not JSON \\(`));
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ format: 'tracked-flows/cassette@1', meta: { recorder: 'x', upstream: 'y' }, interactions: [{ request: { method: 'POST' }, response: { status: 200, headers: {}, body: null } }] }));
    const b = await cli(['inspect', invalid]);
    expect(b.code).toBe(2);
    expect(b.stderr.trim()).toBe(`${invalid}: not a tracked-flows/cassette@1 file: /interactions/0/request must have required property 'path'; /interactions/0/request must have required property 'query'; /interactions/0/request must have required property 'headers'; /interactions/0/request must have required property 'body'. Re-record it with \`tracked-flows record\`.`);
    expect(b.stdout).toBe('');
  }, 30_000);
});
