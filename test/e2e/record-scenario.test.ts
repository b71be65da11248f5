// Our own client, running a scenario against `serve`, recorded through the proxy; replayed with nothing else
// running; the cassette inspected into the same log as the live run; `diff` of the scenario against it is clean.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, startServe, type ServeProcess } from '../helpers/serve-process.ts';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const SCENARIO = join(ROOT, 'scenarios/docs/flow-and-steps.yaml');
const PLAN = `"${process.execPath}" "${BIN}" plan "${SCENARIO}" --json --base-url "$WANDB_BASE_URL"`;

let srv: ServeProcess;
let dir: string;
beforeAll(async () => {
  srv = await startServe();
  dir = mkdtempSync(join(tmpdir(), 'tf-rec-'));
});
afterAll(async () => {
  await srv.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('record -> replay -> inspect -> diff, with our own client', () => {
  it('records the scenario run, replays it offline, and the cassette inspects into the live log', async () => {
    const cassette = join(dir, 'flow-and-steps.cassette.json');
    const recorded = await run(process.execPath, [BIN, 'record', '--out', cassette, '--upstream', srv.url, '--', 'sh', '-c', PLAN], { cwd: ROOT });
    const livePlan = JSON.parse(recorded.stdout.slice(recorded.stdout.indexOf('{')));
    const live = await (await fetch(`${srv.url}/_harness/log`)).json();
    expect(livePlan.log).toEqual(live);
    expect(live.runs.map((r: { job_type: string }) => r.job_type)).toEqual(['start', 'mid', 'end']);

    // Replay: the same command against the cassette alone (the upstream is not involved).
    const replayed = await run(process.execPath, [BIN, 'replay', cassette, '--', 'sh', '-c', PLAN], { cwd: ROOT });
    const replayPlan = JSON.parse(replayed.stdout.slice(replayed.stdout.indexOf('{')));
    expect(replayPlan.log).toEqual(live);

    const inspected = await run(process.execPath, [BIN, 'inspect', cassette, '--json'], { cwd: ROOT });
    expect(JSON.parse(inspected.stdout)).toEqual(live);

    const diff = await run(process.execPath, [BIN, 'diff', SCENARIO, cassette], { cwd: ROOT });
    expect(diff.stdout).toContain('no difference');
    expect(readFileSync(cassette, 'utf8')).toContain('"format": "tracked-flows/cassette@1"');
  });

  it('diff exits 1 with a readable difference when the recording is of another scenario', async () => {
    const other = join(ROOT, 'test/fixtures/captures/wandb-0.18.7-sdk-session.jsonl');
    const err = await run(process.execPath, [BIN, 'diff', SCENARIO, other], { cwd: ROOT }).catch((e: { code: number; stdout: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    expect((err as { stdout: string }).stdout).toMatch(/difference/);
  });
});
