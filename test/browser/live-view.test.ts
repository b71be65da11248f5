// serve's live view: `GET /` on a real `tracked-flows serve` process shows what clients have logged, is guarded
// by --api-key like /_harness/log, and in a browser refreshes itself when new traffic changes the log.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, WandbClient, seededRandom } from '../../src/index.ts';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';
import { SKIP_REASON, hasChromium, launchChromium, outputDir } from './chromium.ts';

const KEY = `live-${'b'.repeat(40)}`;
const AUTH = { authorization: `Basic ${Buffer.from(`api:${KEY}`).toString('base64')}` };

let srv: ServeProcess;
const client = (seed: number) =>
  new WandbClient({ settings: { baseUrl: srv.url, apiKey: KEY, entity: 'e', project: 'p', mode: 'online' }, env: {}, clock: new ManualClock(1_700_000_000_000), random: seededRandom(seed) });

/** A run with config, history and a dataset `x` of one file. */
async function producer(seed: number): Promise<void> {
  const run = await client(seed).init({ group: 'Flow/1', jobType: 'start', config: { alpha: 0.5 } });
  await run.log({ loss: 0.25 });
  await run.logArtifact({ name: 'x', type: 'dataset', files: [{ path: 'raw.csv', bytes: Buffer.from('a,b\n1,2\n') }] });
  await run.finish(0);
}

beforeAll(async () => {
  srv = await startServe(['--api-key', KEY]);
});
afterAll(async () => {
  await srv?.stop();
});

describe('GET / on tracked-flows serve', () => {
  it('keeps serve\'s first line and asks for the key, with a Basic challenge a browser answers', async () => {
    expect(srv.firstLine).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
    const refused = await fetch(`${srv.url}/`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Basic realm="tracked-flows"/);
    expect(await refused.text()).not.toContain('<html');
    const wrong = await fetch(`${srv.url}/`, { headers: { authorization: `Basic ${Buffer.from('api:nope').toString('base64')}` } });
    expect(wrong.status).toBe(401);
  });

  it('shows an empty log, then the run a client logged', async () => {
    const empty = await fetch(`${srv.url}/`, { headers: AUTH });
    expect(empty.status).toBe(200);
    expect(empty.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await empty.text()).toContain('No run was logged.');
    await producer(1);
    const text = await (await fetch(`${srv.url}/`, { headers: AUTH })).text();
    expect(text).toContain('<details class="run finished" data-run="run-1" open>');
    expect(text).toContain('<tr><th scope="row">alpha</th><td><code>0.5</code></td></tr>');
    expect(text).toContain('<title>x:v0</title>');
    // Other paths still reach the backend.
    expect((await fetch(`${srv.url}/_harness/log`, { headers: AUTH })).status).toBe(200);
    expect((await fetch(`${srv.url}/nowhere`, { headers: AUTH })).status).toBe(404);
  });
});

describe.skipIf(!hasChromium)(`the live view in Chromium${hasChromium ? '' : ` (${SKIP_REASON})`}`, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders the runs and the lineage, and reloads itself when a client logs another run', async () => {
    const context = await browser.newContext({ httpCredentials: { username: 'api', password: KEY }, viewport: { width: 1300, height: 900 } });
    const page = await context.newPage();
    const origins = new Set<string>();
    page.on('request', (r) => origins.add(new URL(r.url()).origin));
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${srv.url}/`, { waitUntil: 'load' });
    const before = await page.locator('details[data-run]').count();
    expect(before).toBeGreaterThanOrEqual(1);
    expect(await page.locator('figure[data-graph="lineage"] svg g.node title').allTextContents()).toEqual(expect.arrayContaining(['run-1', 'x:v0']));

    // A consumer of x:latest: the page notices through its poller (about a second) and shows the new run and use.
    const consumer = await client(99).init({ group: 'Flow/1', jobType: 'end' });
    await consumer.useArtifact('x:latest');
    await consumer.finish(0);
    const ref = `run-${before + 1}`;
    await page.waitForSelector(`details[data-run="${ref}"]`, { timeout: 15_000 });
    expect(await page.locator('figure[data-graph="lineage"] svg g.edge.used_by title').allTextContents()).toContain(`x:v0->${ref}`);
    expect(await page.locator('#live-status').textContent()).toBe('live');
    await page.screenshot({ path: join(outputDir('live'), 'live.png'), fullPage: true });
    expect([...origins]).toEqual([srv.url]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
