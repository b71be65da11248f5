// No secret reaches a cassette (DESIGN §4.3, §7): a key planted in a header, a JSON body and a URL query is
// absent from the written bytes, and so are signed-URL parameters (our `sig`, S3 X-Amz-*, GCS X-Goog-*).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MockBackend } from '../../../src/index.ts';
import { recordInProcess, Redactor, writeCassette } from '../../../harness/cassette/index.ts';
import { corpusDocument } from '../../helpers/graphql-corpus.ts';

const KEY = `local-${'k'.repeat(40)}`;
const PLANTED = 'PLANTED-s3cr3t-9f8e7d6c5b4a';

async function recordedBytes(record: (fetch: (u: string, init?: RequestInit) => Promise<Response>, base: string) => Promise<void>, redact?: RegExp[]): Promise<string> {
  const rec = recordInProcess(new MockBackend({ apiKey: KEY }), { redact });
  await record((u, init) => rec.fetch(u, init), rec.baseUrl);
  const file = join(mkdtempSync(join(tmpdir(), 'tf-redact-')), 'c.json');
  writeCassette(file, rec.cassette());
  return readFileSync(file, 'utf8');
}

const basic = (key: string) => `Basic ${Buffer.from(`api:${key}`).toString('base64')}`;
const gql = (query: string, variables: Record<string, unknown>) => JSON.stringify({ query, variables });

describe('redaction before writing', () => {
  it('keeps a key planted in a header, a JSON body and a URL query out of the cassette', async () => {
    const text = await recordedBytes(async (fetch, base) => {
      await fetch(`${base}/graphql?api_key=${PLANTED}`, {
        method: 'POST',
        headers: { authorization: basic(KEY), 'x-api-key': PLANTED, cookie: `session=${PLANTED}` },
        body: gql(corpusDocument('wandb-core', 'UpsertBucket'), {
          entity: 'e', project: 'p', name: 'r1', apiKey: PLANTED, config: JSON.stringify({ nested: { password: PLANTED } }),
        }),
      });
    });
    expect(text).not.toContain(PLANTED);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(Buffer.from(`api:${KEY}`).toString('base64'));
    expect(text).toContain('[REDACTED]');
    // The request itself is still there and readable.
    expect(text).toContain('"project": "p"');
  });

  it('scrubs the API key wherever the client echoes it, once seen in Authorization', async () => {
    const text = await recordedBytes(async (fetch, base) => {
      await fetch(`${base}/files/e/p/r1/file_stream`, {
        method: 'POST',
        headers: { authorization: basic(KEY) },
        body: JSON.stringify({ files: { 'output.log': { offset: 0, content: [`export KEY=${KEY}`] } } }),
      });
    });
    expect(text).not.toContain(KEY);
  });

  it('drops the signature of the upload URLs the server hands out, in answers and in the uploads', async () => {
    const text = await recordedBytes(async (fetch, base) => {
      const auth = { authorization: basic(KEY) };
      await fetch(`${base}/graphql`, { method: 'POST', headers: auth, body: gql(corpusDocument('wandb-core', 'UpsertBucket'), { entity: 'e', project: 'p', name: 'r1' }) });
      const res = await fetch(`${base}/graphql`, { method: 'POST', headers: auth, body: gql(corpusDocument('wandb-core', 'CreateRunFiles'), { entity: 'e', project: 'p', run: 'r1', files: ['config.yaml'] }) });
      const url = ((await res.json()) as any).data.createRunFiles.files[0].uploadUrl as string;
      expect(url).toMatch(/\?sig=[0-9a-f]{32}$/); // the live client gets a working signed URL
      expect((await fetch(url, { method: 'PUT', body: 'a: 1\n' })).status).toBe(200);
      (globalThis as any).sig = new URL(url).searchParams.get('sig');
    });
    const sig = (globalThis as any).sig as string;
    expect(text).not.toContain(sig);
    expect(text).toContain('sig=REDACTED');
  });

  it('removes S3 and GCS signature parameters from URLs in bodies, keeping the rest of the URL', () => {
    const r = new Redactor();
    expect(r.url('https://bucket.s3.amazonaws.com/a/b?X-Amz-Algorithm=AWS4&X-Amz-Signature=abc123&partNumber=2')).toBe(
      'https://bucket.s3.amazonaws.com/a/b?X-Amz-Algorithm=REDACTED&X-Amz-Signature=REDACTED&partNumber=2',
    );
    expect(r.url('https://storage.googleapis.com/b/o?X-Goog-Signature=f00&X-Goog-Credential=me%2F1')).toBe('https://storage.googleapis.com/b/o?X-Goog-Signature=REDACTED&X-Goog-Credential=REDACTED');
    expect(r.redactJson({ directUrl: 'https://x.blob.core.windows.net/c/f?sv=1&sig=zzz', name: 'f' })).toEqual({ directUrl: 'https://x.blob.core.windows.net/c/f?sv=1&sig=REDACTED', name: 'f' });
  });

  it('applies the user patterns (--redact) to paths, queries, headers and bodies', async () => {
    const text = await recordedBytes(
      async (fetch, base) => {
        await fetch(`${base}/graphql?team=acme-internal`, {
          method: 'POST',
          headers: { 'x-wandb-username': 'alice@acme-internal' },
          body: gql('query Viewer { viewer { id } }', { note: 'from acme-internal' }),
        });
      },
      [/acme-internal/],
    );
    expect(text).not.toContain('acme-internal');
  });

  it('redacts secret assignments in text uploads', () => {
    expect(new Redactor().body({ text: 'wandb_version: 1\napi_key: abcdef123456\n' })).toEqual({ text: 'wandb_version: 1\napi_key: [REDACTED]\n' });
  });
});
