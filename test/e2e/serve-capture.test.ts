// The real SDK capture (wandb 0.18.7, legacy Python sender) plays through `tracked-flows serve` over a real
// socket: every answer is one the SDK accepts, nothing is unsupported, and the log shows what the SDK logged.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCapture, playCapture } from '../../harness/cassette/capture.ts';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';

const CAPTURE = new URL('../fixtures/captures/wandb-0.18.7-sdk-session.jsonl', import.meta.url).pathname;
// ../shared beside the main checkout; from a worktree under /work/wt/ it is one level further up.
const SHARED_TOOL = ['../../../shared/tools/replay_capture.py', '../../../../shared/tools/replay_capture.py']
  .map((p) => new URL(p, import.meta.url).pathname)
  .find((p) => existsSync(p)) ?? '';
const KEY = `local-${'a'.repeat(40)}`;

describe('the wandb 0.18.7 capture through serve', () => {
  let srv: ServeProcess;
  beforeAll(async () => {
    srv = await startServe(['--api-key', KEY]);
  });
  afterAll(async () => {
    await srv.stop();
  });

  it('prints exactly "listening on http://HOST:PORT" first, bound to 127.0.0.1', () => {
    expect(srv.firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers every captured request as the SDK needs and logs the session', async () => {
    const records = loadCapture(CAPTURE);
    expect(records).toHaveLength(29);
    const played = await playCapture(records, srv.url, (r) => fetch(r), KEY);
    expect(played.filter((p) => p.problem)).toEqual([]);
    const log = await (await fetch(`${srv.url}/_harness/log`, { headers: { authorization: `Basic ${Buffer.from(`api:${KEY}`).toString('base64')}` } })).json();
    expect(log.unsupported).toEqual([]);
    expect(log.runs).toHaveLength(1);
    // From the capture's README: wandb.log({"a": 1}); run.summary["b"] = 2; log_artifact of dataset `x` with data.txt.
    expect(log.runs[0]).toMatchObject({ entity: 'e', project: 'p', id: 'c8ckosko', history: [{ a: 1 }], exit_code: 0, state: 'finished', logged_artifacts: ['x:v0'] });
    expect(log.runs[0].summary).toMatchObject({ b: 2 });
    expect(log.artifacts).toEqual([
      {
        name: 'x', type: 'dataset', version: 'v0', aliases: ['latest', 'v0'], created_by: 'run-1', used_by: [],
        // The digest the SDK itself sent in CreateArtifact; md5 of "hello world\n" in base64.
        digest: '5bf1bede20e96d678dab687d9ce4f009',
        files: [{ path: 'data.txt', size: 12, md5: 'b1kCrCNwJL3QwXbLkwY9xA==' }],
      },
    ]);
  });

  // The team's SDK-behaviour checker (DESIGN §3.5), when the shared tools are beside the checkout.
  it.runIf(SHARED_TOOL !== '')('passes replay_capture.py', async () => {
    await fetch(`${srv.url}/_harness/reset`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`api:${KEY}`).toString('base64')}` } });
    const { stdout } = await promisify(execFile)('python3', [SHARED_TOOL, CAPTURE, srv.url, '--api-key', KEY]);
    expect(JSON.parse(stdout)).toMatchObject({ requests: 29, ok: 29, failed: 0 });
  });

  it('refuses a request without the key, or with another one, with 401', async () => {
    const body = JSON.stringify({ query: 'query Viewer { viewer { id } }' });
    expect((await fetch(`${srv.url}/graphql`, { method: 'POST', body })).status).toBe(401);
    const other = `Basic ${Buffer.from(`api:local-${'b'.repeat(40)}`).toString('base64')}`;
    expect((await fetch(`${srv.url}/graphql`, { method: 'POST', body, headers: { authorization: other } })).status).toBe(401);
    expect((await fetch(`${srv.url}/_harness/log`)).status).toBe(401);
  });

  it('stops cleanly on SIGINT', async () => {
    const other = await startServe();
    expect(await other.stop('SIGINT')).toBe(0);
  });
});
