// The data dir in-process: recovery equals the state before the "crash" (a second backend opened on the same
// directory without closing the first), a torn journal tail is dropped with a warning, real corruption stops
// the start with an error, nothing is applied twice, a failed append answers 500 and rolls memory back.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCapture, playCapture } from '../../harness/cassette/capture.ts';
import { filesUnder } from '../helpers/files.ts';
import { BackendError, DataDir, JOURNAL_FILE, MockBackend, SNAPSHOT_FILE, serializeLog, type DurableStore } from '../../src/index.ts';
import { corpusDocument } from '../helpers/graphql-corpus.ts';

const CAPTURE = loadCapture(new URL('../fixtures/captures/wandb-0.18.7-sdk-session.jsonl', import.meta.url).pathname);
const KEY = `local-${'k'.repeat(40)}`;
const AUTH = `Basic ${Buffer.from(`api:${KEY}`).toString('base64')}`;
const open: DataDir[] = [];

function fresh(dir: string, options: { snapshotEvery?: number; apiKey?: string } = {}) {
  const warnings: string[] = [];
  const store = new DataDir(dir, { warn: (m) => warnings.push(m), snapshotEvery: options.snapshotEvery });
  open.push(store);
  return { backend: new MockBackend({ durable: store, apiKey: options.apiKey }), store, warnings };
}
const send = (backend: MockBackend) => (r: Request) => backend.handle(r);
const tmp = () => mkdtempSync(join(tmpdir(), 'tracked-flows-data-'));
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

describe('serve --data-dir, in-process', () => {
  it('recovers the capture exactly, from the journal and from snapshots, without the API key on disk', async () => {
    for (const snapshotEvery of [1000, 3, 1]) {
      const dir = tmp();
      const first = fresh(dir, { snapshotEvery, apiKey: KEY });
      expect((await playCapture(CAPTURE, 'http://mock', send(first.backend), KEY)).filter((p) => p.problem)).toEqual([]);
      const expected = JSON.stringify(first.backend.state);
      const second = fresh(dir, { apiKey: KEY }); // the first one never closed: as after a kill
      expect(JSON.stringify(second.backend.state)).toBe(expected);
      expect(second.warnings).toEqual([]);
      expect(serializeLog(second.backend.log())).toContain('"c8ckosko"');
      // Every file, blobs/ included (file bytes are stored there, never a key).
      for (const file of filesUnder(dir)) {
        const text = readFileSync(join(dir, file), 'utf8');
        expect(text).not.toContain(KEY);
        expect(text).not.toContain(AUTH.slice(6));
        expect(text).not.toMatch(/sig=/);
      }
    }
  });

  it('ignores a torn journal tail with a warning, trims it, and keeps appending after it', async () => {
    const dir = tmp();
    const first = fresh(dir);
    await playCapture(CAPTURE, 'http://mock', send(first.backend));
    const expected = JSON.stringify(first.backend.state);
    appendFileSync(join(dir, JOURNAL_FILE), '0123456789abcdef0123456789abcdef {"seq": 9999, "at": "19');
    const second = fresh(dir);
    expect(JSON.stringify(second.backend.state)).toBe(expected);
    expect(second.warnings).toHaveLength(1);
    expect(second.warnings[0]).toMatch(/^Ignored a torn journal tail in .*journal\.log: \d+ bytes at offset \d+, an unfinished last line\./);
    // Start-up snapshotted and emptied the journal; new changes append after the trimmed tail and recover too.
    const res = await second.backend.handle(new Request('http://mock/graphql', { method: 'POST', body: JSON.stringify({ query: corpusDocument('wandb-core', 'UpsertBucket'), variables: { name: 'after', project: 'p', entity: 'e' } }) }));
    expect(res.status).toBe(200);
    const third = fresh(dir);
    expect(Object.keys(third.backend.state.runs)).toContain('e/p/after');
    expect(third.warnings).toEqual([]);
  });

  it('a damaged last line (complete, wrong checksum) is a torn tail too', async () => {
    const dir = tmp();
    const first = fresh(dir);
    await first.backend.handle(upsert('a'));
    const expected = JSON.stringify(first.backend.state);
    appendFileSync(join(dir, JOURNAL_FILE), `${'0'.repeat(32)} {"seq": 2}\n`);
    const second = fresh(dir);
    expect(JSON.stringify(second.backend.state)).toBe(expected);
    expect(second.warnings[0]).toMatch(/a damaged last line/);
  });

  it('a damaged line with valid entries after it stops the start with DATA_DIR, losing nothing silently', async () => {
    const dir = tmp();
    const first = fresh(dir);
    for (const name of ['a', 'b', 'c']) await first.backend.handle(upsert(name));
    const path = join(dir, JOURNAL_FILE);
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[1] = lines[1]!.replace('"b"', '"B"').replace(/^.{32}/, '0'.repeat(32));
    writeFileSync(path, lines.join('\n'));
    expect(() => new MockBackend({ durable: new DataDir(dir, { warn: () => {} }) })).toThrow(/^Failed to use data dir ".*": journal\.log line 2 is damaged and valid entries follow it\./);
    try {
      new MockBackend({ durable: new DataDir(dir, { warn: () => {} }) });
    } catch (err) {
      expect(err).toBeInstanceOf(BackendError);
      expect((err as BackendError).code).toBe('DATA_DIR');
    }
  });

  it('a crash between the snapshot rename and the journal truncation applies nothing twice', async () => {
    const dir = tmp();
    const first = fresh(dir);
    await playCapture(CAPTURE, 'http://mock', send(first.backend));
    const journal = readFileSync(join(dir, JOURNAL_FILE));
    first.store.snapshot(first.backend.state);
    writeFileSync(join(dir, JOURNAL_FILE), journal); // the truncation "never happened"
    const second = fresh(dir);
    expect(JSON.stringify(second.backend.state)).toBe(JSON.stringify(first.backend.state));
    expect(Object.keys(second.backend.state.artifacts)).toHaveLength(1);
  });

  it('a leftover snapshot temp file (a crash while snapshotting) is removed with a note', async () => {
    const dir = tmp();
    const first = fresh(dir);
    await first.backend.handle(upsert('a'));
    writeFileSync(join(dir, `${SNAPSHOT_FILE}.tmp`), '{"format": "tracked-flows/backend-sta');
    const second = fresh(dir);
    expect(Object.keys(second.backend.state.runs)).toEqual(['e/p/a']);
    expect(second.warnings[0]).toMatch(/Removed an unfinished snapshot/);
    expect(existsSync(join(dir, `${SNAPSHOT_FILE}.tmp`))).toBe(false);
  });

  it('a snapshot that is not one stops the start with DATA_DIR', () => {
    const dir = tmp();
    writeFileSync(join(dir, SNAPSHOT_FILE), '{"format": "something-else", "seq": 0, "state": {}}');
    expect(() => new MockBackend({ durable: new DataDir(dir, { warn: () => {} }) })).toThrow(/is not a tracked-flows\/backend-state@1 snapshot/);
  });

  it('POST /_harness/reset is durable', async () => {
    const dir = tmp();
    const first = fresh(dir);
    await first.backend.handle(upsert('a'));
    await first.backend.handle(new Request('http://mock/_harness/reset', { method: 'POST' }));
    expect(fresh(dir).backend.state.runs).toEqual({});
  });

  it('a request applied behind a reset fault is durable (the client saw nothing, the server has it)', async () => {
    const dir = tmp();
    const first = fresh(dir);
    first.backend.faults.replace([{ operation: 'UpsertBucket', fault: { type: 'reset', after: true } }]);
    expect((await first.backend.handle(upsert('a'))).type).toBe('error');
    expect(Object.keys(fresh(dir).backend.state.runs)).toEqual(['e/p/a']);
  });

  it('a failed append answers 500 DATA_DIR and rolls memory back to what the disk holds', async () => {
    const dir = tmp();
    const real = new DataDir(dir, { warn: () => {} });
    open.push(real);
    let failing = false;
    const flaky: DurableStore = {
      load: () => real.load(),
      append: (e) => {
        if (failing) throw new BackendError('DATA_DIR', 'Failed to use data dir "x": the disk is full. Free some space.');
        real.append(e);
      },
      get wantsSnapshot() { return real.wantsSnapshot; },
      snapshot: (s) => real.snapshot(s),
      warn: () => {},
      close: () => real.close(),
    };
    const backend = new MockBackend({ durable: flaky });
    expect((await backend.handle(upsert('a'))).status).toBe(200);
    failing = true;
    const res = await backend.handle(upsert('b'));
    expect(res.status).toBe(500);
    expect((await res.json()).errors[0]).toMatchObject({ message: expect.stringMatching(/the disk is full/), extensions: { code: 'DATA_DIR' } });
    expect(Object.keys(backend.state.runs)).toEqual(['e/p/a']);
  });
});

function upsert(name: string): Request {
  return new Request('http://mock/graphql', { method: 'POST', body: JSON.stringify({ query: corpusDocument('wandb-core', 'UpsertBucket'), variables: { name, project: 'p', entity: 'e' } }) });
}
