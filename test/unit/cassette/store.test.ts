// Loading checks the schema and names the file; writing is atomic and deterministic.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MockBackend } from '../../../src/index.ts';
import { CassetteError, loadCapture, loadCassette, playCapture, recordInProcess, serializeCassette, writeCassette, type Cassette } from '../../../harness/cassette/index.ts';

const CAPTURE = new URL('../../fixtures/captures/wandb-0.18.7-sdk-session.jsonl', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'tf-store-'));

async function recordCapture(): Promise<Cassette> {
  const rec = recordInProcess(new MockBackend());
  const played = await playCapture(loadCapture(CAPTURE), rec.baseUrl, (r) => rec.fetch(r));
  expect(played.filter((p) => p.problem)).toEqual([]);
  return rec.cassette();
}

function loadError(content: string): CassetteError {
  const file = join(dir, `bad-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, content);
  try {
    loadCassette(file);
  } catch (err) {
    expect(err).toBeInstanceOf(CassetteError);
    expect((err as Error).message.startsWith(`${file}: `)).toBe(true);
    return err as CassetteError;
  }
  throw new Error('expected a CassetteError');
}

describe('cassette store', () => {
  let cassette: Cassette;
  beforeAll(async () => {
    cassette = await recordCapture();
  });

  it('writes a cassette that loads back equal, with the 29 captured requests in order', () => {
    const file = join(dir, 'session.json');
    writeCassette(file, cassette);
    const back = loadCassette(file);
    expect(back).toEqual(cassette);
    expect(back.format).toBe('tracked-flows/cassette@1');
    expect(back.interactions).toHaveLength(29);
    expect(back.interactions.map((i) => i.request.method).slice(5, 7)).toEqual(['POST', 'PUT']);
    expect(back.interactions[15]!.request.body).toEqual({ text: 'hello world\n' }); // the artifact file
  });

  it('re-records the same session to the same bytes: no dates, ports or request ids', async () => {
    const again = await recordCapture();
    expect(serializeCassette(again)).toBe(serializeCassette(cassette));
    const text = serializeCassette(cassette);
    expect(text).not.toMatch(/"date"|x-request-id|127\.0\.0\.1|recorder\.invalid/i);
    expect(text).toContain('{{base_url}}/storage/run/e/p/c8ckosko/');
  });

  it('keeps JSON bodies as JSON with the exact bytes rebuildable (the manifest md5 the server checks)', () => {
    const manifestPut = cassette.interactions.find((i) => i.request.method === 'PUT' && i.request.path.startsWith('/storage/manifest/'))!;
    // From the capture: the manifest PUT's md5 equals the digest of the second CreateArtifactManifest.
    expect(manifestPut.request.body).toMatchObject({ style: 'python', json: { version: 1, contents: { 'data.txt': { digest: 'b1kCrCNwJL3QwXbLkwY9xA==', size: 12 } } } });
  });

  it('leaves no temp file behind and never a half-written cassette', () => {
    const file = join(dir, 'atomic', 'c.json');
    writeCassette(file, cassette);
    const before = readFileSync(file, 'utf8');
    const broken = { ...cassette, interactions: [{ request: { method: 'get' } }] } as unknown as Cassette;
    expect(() => writeCassette(file, broken)).toThrow(CassetteError);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(join(dir, 'atomic'))).toEqual(['c.json']);
  });

  it('reports a malformed file as "file: message"', () => {
    const err = loadError('{"format": "tracked-flows/cassette@1", ');
    expect(err.code).toBe('CASSETTE_INVALID');
    expect(err.message).toMatch(/: not JSON \(/);
  });

  it('reports a schema-invalid file with where and what', () => {
    const bad = JSON.parse(serializeCassette(cassette));
    bad.interactions[2].response.status = 'ok';
    delete bad.interactions[4].request.path;
    const err = loadError(JSON.stringify(bad));
    expect(err.message).toContain('/interactions/2/response/status must be integer');
    expect(err.message).toContain("/interactions/4/request must have required property 'path'");
    expect(loadError('{"format": "other", "meta": {}, "interactions": []}').message).toContain('/format must be equal to constant "tracked-flows/cassette@1"');
  });

  it('reports a missing file with its name', () => {
    expect(() => loadCassette(join(dir, 'nope.json'))).toThrow(`${join(dir, 'nope.json')}: cannot read the cassette (ENOENT).`);
    expect(existsSync(join(dir, 'nope.json'))).toBe(false);
  });
});
