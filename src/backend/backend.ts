// The mock W&B backend: one `handle(Request) -> Response` over explicit state (DESIGN §3.5), like msw's pure
// getResponse. Transports (msw, node:http) only move bytes in and out of it.

import { gunzipSync } from 'node:zlib';
import { FILE_STREAM_PATTERN, GRAPHQL_PATH } from '../protocol/index.ts';
import { BackendError, failure } from './errors.ts';
import { execute } from './graphql/router.ts';
import { parseOperation } from './graphql/operation.ts';
import { deriveLog, serializeLog, type LogModel } from './log-model.ts';
import { createState, type BackendState } from './state.ts';
import { checkSignature, download, signPath, upload } from './storage.ts';
import { fileStream } from './file-stream.ts';

export interface BackendOptions {
  /** When set, GraphQL, file_stream and harness requests need `Authorization: Basic base64("api:<key>")`. */
  apiKey?: string;
  /** The entity a Viewer query answers and runs without an entity get. */
  defaultEntity?: string;
  /** Largest accepted request body, in bytes (413 above). */
  maxBodyBytes?: number;
  /** Clock for `createdAt` fields; fixed by default so answers are deterministic. */
  now?: () => Date;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

export class MockBackend {
  state: BackendState = createState();
  readonly options: Required<Omit<BackendOptions, 'apiKey'>> & { apiKey: string | undefined };
  private readonly expectedAuth: string | undefined;

  constructor(options: BackendOptions = {}) {
    this.options = {
      apiKey: options.apiKey,
      defaultEntity: options.defaultEntity ?? 'tracked-flows',
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      now: options.now ?? (() => new Date(0)),
    };
    this.expectedAuth = options.apiKey ? `Basic ${Buffer.from(`api:${options.apiKey}`).toString('base64')}` : undefined;
  }

  log(): LogModel {
    return deriveLog(this.state);
  }

  reset(): void {
    this.state = createState();
  }

  /** Never throws: every failure becomes a 4xx/5xx answer naming the problem. */
  async handle(request: Request): Promise<Response> {
    try {
      return await this.route(request);
    } catch (err) {
      if (err instanceof BackendError) return errorResponse(err, new URL(request.url).pathname === GRAPHQL_PATH);
      const message = `Failed to handle "${request.method} ${new URL(request.url).pathname}": ${(err as Error)?.message ?? String(err)}.`;
      return json({ errors: [{ message, extensions: { code: 'INTERNAL' } }] }, 500);
    }
  }

  private async route(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    const method = request.method.toUpperCase();

    if (path.startsWith('/storage/')) {
      if (this.options.apiKey && !checkSignature(this.options.apiKey, path, url.searchParams.get('sig'))) {
        throw new BackendError('UNAUTHORIZED', `Failed to accept "${method} ${path}": the upload URL's signature is missing or wrong. Use the URL the server handed out.`);
      }
      if (method === 'PUT') {
        upload(this.state, path, await this.body(request));
        return new Response(null, { status: 200 });
      }
      if (method === 'GET') {
        const { body, type } = download(this.state, path);
        return new Response(Buffer.from(body), { status: 200, headers: { 'content-type': type } });
      }
      throw failure('METHOD_NOT_ALLOWED', 'accept', `${method} ${path}`, 'storage URLs take PUT and GET');
    }

    this.authorize(request, method, path);
    if (path === '/_harness/log' && method === 'GET') return new Response(serializeLog(this.log()), { headers: { 'content-type': 'application/json' } });
    if (path === '/_harness/reset' && method === 'POST') {
      this.reset();
      return json({ ok: true }, 200);
    }
    if (path === GRAPHQL_PATH) {
      if (method !== 'POST') throw failure('METHOD_NOT_ALLOWED', 'accept', `${method} ${path}`, 'GraphQL takes POST');
      const op = parseOperation(parseJson(await this.body(request), 'GraphQL request'));
      const data = execute({
        state: this.state,
        operation: op.name,
        query: op.query,
        variables: op.variables,
        defaultEntity: this.options.defaultEntity,
        storageUrl: (p) => this.storageUrl(url.origin, p),
        now: () => this.options.now().toISOString(),
      });
      return json({ data }, 200);
    }
    const stream = FILE_STREAM_PATTERN.exec(path);
    if (stream) {
      if (method !== 'POST') throw failure('METHOD_NOT_ALLOWED', 'accept', `${method} ${path}`, 'file_stream takes POST');
      let raw = await this.body(request);
      if (request.headers.get('content-encoding') === 'gzip') raw = gunzipOrFail(raw, path);
      const [entity, project, name] = stream.slice(1).map((s) => decodeURIComponent(s)) as [string, string, string];
      return json(fileStream(this.state, entity, project, name, parseJson(raw, 'file_stream body')), 200);
    }
    throw failure('NOT_FOUND', 'route', `${method} ${path}`, 'the mock W&B backend serves /graphql, /files/{entity}/{project}/{run}/file_stream, /storage/... and /_harness/...');
  }

  private authorize(request: Request, method: string, path: string): void {
    if (this.expectedAuth && request.headers.get('authorization') !== this.expectedAuth) {
      throw new BackendError('UNAUTHORIZED', `Failed to accept "${method} ${path}": missing or wrong API key. Send Authorization: Basic base64("api:<key>") with the key the server was started with.`);
    }
  }

  private storageUrl(origin: string, path: string): string {
    return `${origin}${path}${this.options.apiKey ? `?sig=${signPath(this.options.apiKey, path)}` : ''}`;
  }

  private async body(request: Request): Promise<Uint8Array> {
    const declared = Number(request.headers.get('content-length') ?? NaN);
    const limit = this.options.maxBodyBytes;
    if (declared > limit) throw tooLarge(declared, limit);
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > limit) throw tooLarge(bytes.byteLength, limit);
    return bytes;
  }
}

function tooLarge(size: number, limit: number): BackendError {
  return new BackendError('TOO_LARGE', `Failed to accept request: the body has ${size} bytes, over the limit of ${limit}. Split the upload or raise --max-body-bytes.`);
}

function gunzipOrFail(raw: Uint8Array, path: string): Uint8Array {
  try {
    return gunzipSync(raw);
  } catch {
    throw failure('BAD_REQUEST', 'decompress', path, 'Content-Encoding is gzip but the body is not gzip');
  }
}

function parseJson(raw: Uint8Array, what: string): unknown {
  const text = new TextDecoder('utf-8', { fatal: true });
  try {
    return JSON.parse(text.decode(raw));
  } catch (err) {
    throw new BackendError('BAD_JSON', `Failed to read ${what}: the body is not valid UTF-8 JSON (${(err as Error).message}).`);
  }
}

export function json(value: unknown, status: number): Response {
  return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
}

/** GraphQL endpoints answer in GraphQL's error shape; the others with {error, code}. */
function errorResponse(err: BackendError, graphql: boolean): Response {
  const body = graphql ? { errors: [{ message: err.message, extensions: { code: err.code } }] } : { error: err.message, code: err.code };
  return json(body, err.status);
}
