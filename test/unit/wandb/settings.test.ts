// Settings from explicit values and the environment (reference §1.1) and the modes that send nothing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveSettings, WandbClient, WandbError } from '../../../src/wandb/index.ts';
import { API_KEY, BASE, fakeWandb } from './fake-wandb.ts';

const fake = fakeWandb();
beforeAll(() => fake.server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => fake.reset());
afterAll(() => fake.server.close());

describe('resolveSettings', () => {
  it('reads WANDB_* and strips a trailing slash from the base URL', () => {
    expect(resolveSettings({}, { WANDB_BASE_URL: 'http://127.0.0.1:8080/', WANDB_API_KEY: API_KEY, WANDB_ENTITY: 'e', WANDB_PROJECT: 'p' })).toEqual({
      baseUrl: 'http://127.0.0.1:8080', apiKey: API_KEY, mode: 'online', entity: 'e', project: 'p',
    });
  });

  it('defaults to https://api.wandb.ai and lets explicit settings win over env', () => {
    expect(resolveSettings({ apiKey: API_KEY }, {}).baseUrl).toBe('https://api.wandb.ai');
    expect(resolveSettings({ project: 'mine', mode: 'disabled' }, { WANDB_PROJECT: 'env', WANDB_MODE: 'online' })).toMatchObject({ project: 'mine', mode: 'disabled' });
  });

  it('accepts a prefix- and ≥40 [\\w-] chars, and rejects other keys without echoing them', () => {
    expect(() => resolveSettings({ apiKey: 'a'.repeat(40) }, {})).not.toThrow();
    expect(() => resolveSettings({ apiKey: 'local-' + 'b'.repeat(40) }, {})).not.toThrow();
    const short = 'abc-' + 'c'.repeat(30);
    for (const key of [short, 'x'.repeat(40) + ' ', 'a!'.repeat(30)]) {
      const error = (() => { try { resolveSettings({ apiKey: key }, {}); } catch (e) { return e; } })() as WandbError;
      expect(error).toBeInstanceOf(WandbError);
      expect(error.code).toBe('WANDB_CONFIG');
      expect(error.message).not.toContain(key.trim());
      expect(error.message).toMatch(/^Failed to read setting "api_key": /);
    }
  });

  it('requires a key online but not when disabled or offline', () => {
    expect(() => resolveSettings({}, {})).toThrow(/no API key/);
    expect(resolveSettings({}, { WANDB_MODE: 'disabled' }).mode).toBe('disabled');
    expect(resolveSettings({}, { WANDB_MODE: 'dryrun' }).mode).toBe('offline');
    expect(() => resolveSettings({ mode: 'turbo' }, {})).toThrow(/not a W&B mode/);
  });

  it('rejects wandb.ai hosts that are not https://api.*', () => {
    expect(() => resolveSettings({ apiKey: API_KEY, baseUrl: 'http://api.wandb.ai' }, {})).toThrow(/https:\/\/api/);
    expect(() => resolveSettings({ apiKey: API_KEY, baseUrl: 'not a url' }, {})).toThrow(/not a URL/);
  });
});

describe('modes that send nothing', () => {
  it('WANDB_MODE=disabled: a no-op run, no traffic at all', async () => {
    const run = await new WandbClient({ env: { WANDB_MODE: 'disabled', WANDB_BASE_URL: BASE } }).init({ config: { a: 1 } });
    await run.log({ a: 1 });
    run.summary.set('b', 2);
    expect(await run.logArtifact({ name: 'x', type: 'dataset', files: [{ path: 'f', bytes: 'f' }] })).toMatchObject({ id: null, state: 'DISABLED' });
    expect(await run.useArtifact('x:latest')).toMatchObject({ id: null, name: 'x:latest' });
    await run.finish();
    expect(run.mode).toBe('disabled');
    expect(run.id).toMatch(/^[a-z0-9]{8}$/);
    expect(fake.requests).toHaveLength(0);
  });

  it('WANDB_MODE=offline: no traffic; artifacts are hashed; use_artifact raises the SDK\'s TypeError', async () => {
    const run = await new WandbClient({ env: { WANDB_MODE: 'offline', WANDB_BASE_URL: BASE } }).init({ id: 'off12345' });
    await run.log({ a: 1 });
    expect(run.step).toBe(1);
    const logged = await run.logArtifact({ name: 'raw_df', type: 'dataset', files: [{ path: 'raw_df.csv', bytes: 'a,b\n1,2\n3,4\n' }, { path: 'sub/notes.txt', bytes: 'hello\n' }] });
    expect(logged).toMatchObject({ id: null, state: 'OFFLINE', digest: '335121c8f073fb0addf9940b0bf1128f' });
    await expect(run.useArtifact('raw_df:latest')).rejects.toMatchObject({ code: 'WANDB_OFFLINE', python: { type: 'TypeError', message: 'Cannot use artifact when in offline mode.' } });
    await run.finish();
    expect(fake.requests).toHaveLength(0);
  });
});
