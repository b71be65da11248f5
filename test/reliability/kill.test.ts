// SIGKILL the real `tracked-flows serve --data-dir` mid-traffic, restart it on the same directory, and check:
// everything acknowledged (2xx received) before the kill is there, nothing half-written is (every file_stream
// chunk is all there or not at all), start-up never crashes, and no secret is on disk. Repeated several times.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCapture, playCapture } from '../../harness/cassette/capture.ts';
import { BIN } from '../helpers/serve-process.ts';
import { corpusDocument } from '../helpers/graphql-corpus.ts';
import { filesUnder } from '../helpers/files.ts';

const KEY = `local-${'s'.repeat(40)}`;
const AUTH = `Basic ${Buffer.from(`api:${KEY}`).toString('base64')}`;
const CAPTURE = loadCapture(new URL('../fixtures/captures/wandb-0.18.7-sdk-session.jsonl', import.meta.url).pathname);
const KILLS = 5;
const WORKERS = 4;
const CHUNK = 3;
// Deterministic "random" moments to pull the plug, in ms of traffic.
const KILL_AFTER = [180, 60, 320, 120, 250];

interface Serve { url: string; stderr: () => string; kill(): Promise<void> }

async function startServe(dir: string): Promise<Serve> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--api-key', KEY, '--data-dir', dir], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /^listening on (\S+)\n/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening: ${stderr}`)));
  });
  return { url, stderr: () => stderr, kill: async () => void (child.kill('SIGKILL'), await exited) };
}

/** What the clients were told: run -> acknowledged chunk numbers. */
type Acked = Map<string, Set<number>>;

async function traffic(url: string, life: number, acked: Acked, stop: { now: boolean }): Promise<number> {
  let sent = 0;
  const post = (path: string, body: unknown) => fetch(`${url}${path}`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const worker = async (w: number) => {
    for (let r = 0; !stop.now; r++) {
      const name = `l${life}w${w}r${r}`;
      try {
        const up = await post('/graphql', { query: corpusDocument('wandb-core', 'UpsertBucket'), variables: { name, project: 'p', entity: 'e', config: JSON.stringify({ life: { value: life } }) } });
        sent++;
        if (up.status !== 200) continue;
        acked.set(name, new Set());
        for (let n = 0; n < 6 && !stop.now; n++) {
          const content = Array.from({ length: CHUNK }, (_, k) => JSON.stringify({ n, k, _step: n * CHUNK + k }));
          const res = await post(`/files/e/p/${name}/file_stream`, { files: { 'wandb-history.jsonl': { offset: n * CHUNK, content } } });
          sent++;
          if (res.status === 200) acked.get(name)!.add(n);
        }
      } catch {
        return; // the server died under this request: its outcome is unknown, which is allowed
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
  return sent;
}

describe('serve --data-dir survives SIGKILL', () => {
  it(`keeps every acknowledged change across ${KILLS} kills, never half a request`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracked-flows-kill-'));
    const acked: Acked = new Map();
    let sent = 0;
    let warnings = 0;
    let srv = await startServe(dir);
    // The real SDK session first: after all the kills it must still be there, whole.
    expect((await playCapture(CAPTURE, srv.url, (r) => fetch(r), KEY)).filter((p) => p.problem)).toEqual([]);

    for (let life = 0; life < KILLS; life++) {
      const stop = { now: false };
      const running = traffic(srv.url, life, acked, stop);
      await new Promise((r) => setTimeout(r, KILL_AFTER[life]));
      await srv.kill();
      stop.now = true;
      sent += await running;

      srv = await startServe(dir);
      warnings += (srv.stderr().match(/torn journal tail/g) ?? []).length;
      const log = await (await fetch(`${srv.url}/_harness/log`, { headers: { authorization: AUTH } })).json();
      const runs = new Map<string, { history: { n: number; k: number }[]; config: unknown }>(log.runs.map((r: { id: string }) => [r.id, r]));
      // Everything acknowledged is there...
      for (const [name, chunks] of acked) {
        const run = runs.get(name);
        expect(run, `run ${name} was acknowledged`).toBeDefined();
        const have = new Set(run!.history.map((h) => h.n));
        for (const n of chunks) expect(have.has(n), `${name} chunk ${n} was acknowledged`).toBe(true);
      }
      // ...and nothing is half there: a chunk is all its lines or none.
      for (const [name, run] of runs) {
        if (!name.startsWith('l')) continue;
        const byChunk = new Map<number, number>();
        for (const h of run.history) byChunk.set(h.n, (byChunk.get(h.n) ?? 0) + 1);
        for (const [n, count] of byChunk) expect(count, `${name} chunk ${n}`).toBe(CHUNK);
      }
      const sdk = log.runs.find((r: { id: string }) => r.id === 'c8ckosko');
      expect(sdk).toMatchObject({ history: [{ a: 1 }], exit_code: 0, logged_artifacts: ['x:v0'] });
      expect(log.artifacts.map((a: { name: string; version: string }) => `${a.name}:${a.version}`)).toEqual(['x:v0']);
    }
    await srv.kill();

    // Every file, blobs/ included (file bytes are stored there, never a key).
    for (const file of filesUnder(dir)) {
      const text = readFileSync(join(dir, file), 'latin1');
      expect(text, file).not.toContain(KEY);
      expect(text, file).not.toContain(AUTH.slice(6));
    }
    const ackedChunks = [...acked.values()].reduce((n, s) => n + s.size, 0);
    expect(ackedChunks).toBeGreaterThan(KILLS * 5); // the kills really happened mid-traffic
    console.log(`kills: ${KILLS} SIGKILLs survived, ${sent} requests sent, ${acked.size} runs and ${ackedChunks} chunks acknowledged, 0 lost, 0 half-written, ${warnings} torn tails ignored, 0 crashes`);
  });
});

describe('serve --data-dir on a directory it cannot trust', () => {
  it('exits with code 2 and says why, instead of crashing or starting empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracked-flows-bad-'));
    writeFileSync(join(dir, 'state.json'), '{"format": "tracked-flows/backend-state@1", "seq": 0, "sta');
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dir], { stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^Failed to use data dir ".*": state\.json is not readable JSON/);
  });
});
