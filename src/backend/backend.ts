// The mock W&B backend: one `handle(Request) -> Response` over explicit state (DESIGN §3.5), like msw's pure
// getResponse. Transports (msw, node:http) only move bytes in and out of it.

import { gunzipSync } from 'node:zlib';
import { FILE_STREAM_PATTERN, GRAPHQL_PATH } from '../protocol/index.ts';
import type { DurableStore } from './data-dir.ts';
import { BackendError, failure } from './errors.ts';
import { FaultInjector, realSleep, refusal, truncated, type FaultPlan, type Sleep } from './faults.ts';
import { runGraphQL } from './graphql/executor.ts';
import { parseOperation } from './graphql/operation.ts';
import { deriveLog, serializeLog, type LogModel } from './log-model.ts';
import { createState, type BackendState } from './state.ts';
import { checkSignature, isBlobUpload, signPath } from './storage.ts';
import { adoptInlineBlobs, replayRequest, routeStorage, type Incoming } from './storage-route.ts';
import { receive } from './blobs/intake.ts';
import { MemoryBlobStore } from './blobs/memory.ts';
import { referencedBlobs } from './blobs/references.ts';
import type { BlobStore } from './blobs/store.ts';
import { fileStream } from './file-stream.ts';
import { own } from './own.ts';
import { RefusalLog } from './refusals.ts';
import { assembleMultipart, partQuery, storedWhole } from './multipart.ts';
import { COMPLETION_FIELD, multipartCompletions } from './graphql/completions.ts';
import type { StagedBlob } from './blobs/store.ts';

export interface BackendOptions {
  /** When set, GraphQL, file_stream and harness requests need `Authorization: Basic base64("api:<key>")`. */
  apiKey?: string;
  /** The entity a Viewer query answers and runs without an entity get. */
  defaultEntity?: string;
  /** Largest accepted GraphQL, file_stream, manifest or harness body, in bytes (413 above). */
  maxBodyBytes?: number;
  /** Largest accepted file upload (a storage PUT of run or artifact file bytes); no cap by default. */
  maxUploadBytes?: number;
  /** Where file bytes go. Default: the durable store's (a data dir's blobs/), else one in memory. */
  blobs?: BlobStore;
  /** Clock for `createdAt` fields; fixed by default so answers are deterministic. */
  now?: () => Date;
  /** Fault plan (faults.ts); validated here, replaceable with `POST /_harness/faults`. */
  faults?: FaultPlan;
  /** How `delay` faults wait: real timers by default, a virtual clock's sleep in tests. */
  sleep?: Sleep;
  /** Durable state (data-dir.ts): recovered on construction; every change is on disk before it is answered. */
  durable?: DurableStore;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

const EMPTY: Uint8Array = new Uint8Array(0);

/** Per request: the clock value and default entity it is handled with, and whether auth is skipped (replay). */
interface Handling { at: Date; entity: string; replay: boolean }

export class MockBackend {
  state: BackendState = createState();
  readonly options: Required<Omit<BackendOptions, 'apiKey' | 'faults' | 'sleep' | 'durable' | 'blobs'>> & { apiKey: string | undefined };
  readonly blobs: BlobStore;
  readonly faults: FaultInjector;
  /** Every answer with status >= 400 since the start or the last reset: `GET /_harness/stats`. */
  readonly refusals = new RefusalLog();
  private readonly expectedAuth: string | undefined;
  private readonly sleep: Sleep;
  private readonly durable: DurableStore | undefined;

  constructor(options: BackendOptions = {}) {
    this.options = {
      apiKey: options.apiKey,
      defaultEntity: options.defaultEntity ?? 'tracked-flows',
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      maxUploadBytes: options.maxUploadBytes ?? Infinity,
      now: options.now ?? (() => new Date(0)),
    };
    this.expectedAuth = options.apiKey ? `Basic ${Buffer.from(`api:${options.apiKey}`).toString('base64')}` : undefined;
    this.faults = new FaultInjector(options.faults ?? []);
    this.sleep = options.sleep ?? realSleep;
    this.durable = options.durable;
    this.blobs = options.blobs ?? options.durable?.blobs ?? new MemoryBlobStore();
    if (this.durable) {
      const replayed = this.recover();
      // Start every life with a fresh snapshot, so the journal never outgrows one run of the server.
      if (replayed > 0) this.durable.snapshot(this.state);
      // What no reference reaches — half-written by a crash, or placed by a request whose journal entry never
      // made it — is not anyone's data: it goes before the first request.
      const removed = this.blobs.sweep(referencedBlobs(this.state));
      if (removed.length > 0) this.durable.warn(`Removed ${removed.length} unreferenced or unfinished blob file(s) from the blob store (left by a crash or a refused upload): ${removed.slice(0, 5).join(', ')}${removed.length > 5 ? ', ...' : ''}.`);
    }
  }

  /** The cap on a request's body, or null when the body is file bytes streamed to the blob store instead. */
  uploadLimit(method: string, path: string): number | null {
    return isBlobUpload(method.toUpperCase(), path) ? this.options.maxUploadBytes : null;
  }

  log(): LogModel {
    return deriveLog(this.state);
  }

  reset(): void {
    this.state = createState();
    this.refusals.clear();
    this.durable?.snapshot(this.state);
    // Uploads in flight keep their staging files; stored blobs nothing refers to any more go.
    this.blobs.sweep(referencedBlobs(this.state), { staging: false });
  }

  /** Never throws: every failure becomes a 4xx/5xx answer naming the problem (or, for a reset fault, a network error). */
  async handle(request: Request): Promise<Response> {
    const response = await this.answer(request);
    const path = new URL(request.url).pathname;
    if (path !== '/_harness/stats') this.refusals.note(request.method.toUpperCase(), path, response);
    return response;
  }

  private async answer(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const graphql = url.pathname === GRAPHQL_PATH;
    let body: Uint8Array = EMPTY;
    let blob: Incoming['blob'];
    let discard = () => {};
    let assembled: Map<string, StagedBlob> | undefined;
    try {
      if (isBlobUpload(method, url.pathname)) {
        // A wrong signature is refused before a byte of a possibly huge body is stored.
        const unsigned = this.unsigned(method, url);
        if (unsigned) return errorResponse(unsigned, false);
        const staged = await receive(this.blobs, request.body, this.options.maxUploadBytes, '--max-upload-bytes');
        blob = { md5: staged.md5, size: staged.size, place: staged.commit };
        discard = staged.discard;
      } else {
        body = await this.body(request);
        if (graphql && method === 'POST') assembled = await this.assembleCompletions(body);
      }
    } catch (err) {
      const problem = err instanceof BackendError ? err : failure('BAD_REQUEST', 'read', `${method} ${url.pathname}`, `the body could not be read (${(err as Error)?.message ?? String(err)})`);
      return errorResponse(problem, graphql);
    }
    try {
      const picked = this.faults.empty || url.pathname.startsWith('/_harness/')
        ? null
        : this.faults.pick({ method, path: url.pathname, operation: () => (graphql && method === 'POST' ? peekOperation(body) : null) });
      if (picked) {
        const refused = refusal(picked, `${method} ${url.pathname}`, graphql);
        if (refused) return refused;
        if (picked.fault.type === 'delay') await this.sleep(picked.fault.ms);
      }
      const { response, released } = this.apply({ method, url, headers: request.headers, body, blob, assembled }, { at: this.options.now(), entity: this.options.defaultEntity, replay: false });
      if (released.length > 0) this.release(released);
      // Applied (and journaled), but the client never sees the answer: what makes idempotency matter.
      if (picked?.fault.type === 'reset') return Response.error();
      if (picked?.fault.type === 'truncate') return truncated(response, picked.fault.bytes);
      return response;
    } finally {
      // A staged upload nobody accepted (refused, faulted, mismatched) is deleted; after commit this does nothing.
      discard();
      for (const whole of assembled?.values() ?? []) whole.discard();
    }
  }

  /**
   * CompleteMultipartUploadArtifact puts gigabytes of parts together: streamed into one staged blob here, before
   * the synchronous apply (which checks and commits it). One that cannot be staged is left to the resolver,
   * whose checks then name what is wrong.
   */
  private async assembleCompletions(body: Uint8Array): Promise<Map<string, StagedBlob> | undefined> {
    if (!mayComplete(body)) return undefined;
    let op;
    try {
      op = parseOperation(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)));
    } catch {
      return undefined; // answered by apply() with the same error
    }
    const completions = multipartCompletions(op.query, op.variables, op.operationName);
    if (completions.length === 0) return undefined;
    const staged = new Map<string, StagedBlob>();
    for (const { uploadId, parts } of completions) {
      if (staged.has(uploadId)) continue;
      try {
        staged.set(uploadId, await assembleMultipart(this.blobs, this.state, uploadId, parts));
      } catch {
        // the resolver refuses it with the reason
      }
    }
    return staged;
  }

  /**
   * Parts of a completed or aborted multipart upload, removed once nothing needs them. With a data dir the
   * journal's part PUTs still name them (a replay re-applies each PUT, and a PUT whose blob is gone does not
   * apply), so a snapshot first takes those entries out of the journal; if it fails the parts stay, and go at the
   * next start, when the replay no longer needs them.
   */
  private release(md5s: readonly string[]): void {
    if (this.durable) {
      try {
        this.durable.snapshot(this.state);
      } catch (err) {
        this.durable.warn(`Kept ${md5s.length} multipart part blob(s) until the next start: ${(err as Error).message}`);
        return;
      }
    }
    for (const md5 of md5s) this.blobs.remove(md5);
  }

  /** Synchronous from dispatch to journal: no other request can interleave between a change and its entry. */
  private apply(req: Incoming, how: Handling): { response: Response; applied: boolean; released: string[] } {
    const graphql = req.url.pathname === GRAPHQL_PATH;
    // mutating: the request may have changed state (journaled when it succeeds); counted: it was refused but
    // changed the `unsupported` counts, which the log shows (journaled too); released: blobs nothing refers to
    // any more once the change is journaled.
    const effect = { mutating: false, counted: false, released: [] as string[] };
    let response: Response;
    try {
      response = this.route(req, how, effect);
    } catch (err) {
      if (!(err instanceof BackendError)) {
        const message = `Failed to handle "${req.method} ${req.url.pathname}": ${(err as Error)?.message ?? String(err)}.`;
        // A resolver failed half-way: put memory back to what the disk says, when there is a disk.
        if (effect.mutating && this.durable && !how.replay) this.rollBack();
        return { response: json({ errors: [{ message, extensions: { code: 'INTERNAL' } }] }, 500), applied: false, released: [] };
      }
      response = errorResponse(err, graphql);
    }
    // Resolvers validate before they change anything, so a refusal changed nothing — except the count of
    // unsupported operations, which is state the log shows.
    const applied = effect.mutating && (response.status < 400 || effect.counted);
    if (applied && this.durable && !how.replay) {
      const problem = this.persist(req, how);
      if (problem) return { response: errorResponse(problem, graphql), applied: false, released: [] };
    }
    return { response, applied, released: applied ? effect.released : [] };
  }

  /** Journals an applied request before it is answered; on failure rolls memory back and returns the error. */
  private persist(req: Incoming, how: Handling): BackendError | null {
    const durable = this.durable!;
    try {
      durable.append({
        at: how.at.toISOString(),
        entity: how.entity,
        method: req.method,
        // A part PUT keeps which part it was (never the signature).
        path: req.url.pathname + partQuery(req.url),
        encoding: req.headers.get('content-encoding'),
        // File bytes are in the blob store (placed, and durable, before this line): the journal keeps the reference.
        ...(req.blob ? { body: '', blob: { md5: req.blob.md5, size: req.blob.size } } : { body: Buffer.from(req.body).toString('base64') }),
      });
    } catch (err) {
      this.rollBack();
      return err instanceof BackendError ? err : failure('DATA_DIR', 'persist', `${req.method} ${req.url.pathname}`, (err as Error).message);
    }
    if (durable.wantsSnapshot) {
      try {
        durable.snapshot(this.state);
      } catch (err) {
        // The change is in the journal already; a failed snapshot only postpones compaction.
        durable.warn((err as Error).message);
      }
    }
    return null;
  }

  /** Snapshot + journal -> state, re-applying each entry exactly as it was first handled. Returns the count. */
  private recover(): number {
    const durable = this.durable!;
    const { state, entries } = durable.load();
    this.state = state;
    adoptInlineBlobs(this.state, this.blobs);
    for (const entry of entries) {
      const { response, applied } = this.apply(replayRequest(this.blobs, entry), { at: new Date(entry.at), entity: entry.entity, replay: true });
      if (!applied) durable.warn(`Journal entry ${entry.seq} (${entry.method} ${entry.path}) did not apply again (HTTP ${response.status}); it is skipped.`);
    }
    return entries.length;
  }

  private rollBack(): void {
    try {
      this.recover();
    } catch (err) {
      this.durable!.warn(`Failed to roll back to the state on disk: ${(err as Error).message}`);
    }
  }

  private route(req: Incoming, how: Handling, effect: { mutating: boolean; counted: boolean; released: string[] }): Response {
    const { url, method } = req;
    const path = url.pathname;

    if (path.startsWith('/storage/')) {
      const unsigned = how.replay ? null : this.unsigned(method, url);
      if (unsigned) throw unsigned;
      effect.mutating = method === 'PUT';
      return routeStorage(this.state, this.blobs, req);
    }

    // wandb-core's telemetry proxy (core/internal/analytics/opentelemetryproxy.go) turns itself off only on 404
    // or 405: answered 404 as a W&B server without telemetry proxying does, before (and whatever) the API key.
    if (path.startsWith('/sdk/otel/')) throw failure('NOT_FOUND', 'route', `${method} ${path}`, 'this server does not proxy telemetry');
    if (!how.replay) this.authorize(req.headers, method, path);
    if (path === '/_harness/log' && method === 'GET') return new Response(serializeLog(this.log()), { headers: { 'content-type': 'application/json' } });
    if (path === '/_harness/stats' && method === 'GET') return json(this.refusals.stats(), 200);
    if (path === '/_harness/reset' && method === 'POST') {
      this.reset();
      return json({ ok: true }, 200);
    }
    if (path === '/_harness/faults') {
      if (method === 'GET') return json(this.faults.report(), 200);
      if (method === 'POST') return json(this.faults.replace(parseJson(req.body, 'fault plan')), 200);
      throw failure('METHOD_NOT_ALLOWED', 'accept', `${method} ${path}`, 'the fault plan takes GET and POST');
    }
    if (path === GRAPHQL_PATH) {
      if (method !== 'POST') throw failure('METHOD_NOT_ALLOWED', 'accept', `${method} ${path}`, 'GraphQL takes POST');
      const op = parseOperation(parseJson(req.body, 'GraphQL request'));
      // Whether it mutates is the document's operation type; until that is known, a throw rolls back.
      effect.mutating = true;
      const at = how.at.toISOString();
      const state = this.state;
      const outcome = runGraphQL({ query: op.query, variables: op.variables, operationName: op.operationName, label: op.name }, {
        state,
        operation: op.name,
        defaultEntity: how.entity,
        storageUrl: (p) => this.storageUrl(url.origin, p),
        now: () => at,
        unsupported: (entry) => {
          state.unsupported[entry] = (own(state.unsupported, entry) ?? 0) + 1;
        },
        multipart: {
          // On replay the assembled file is already in the store: the journal entry follows its commit.
          whole: (uploadId) => (how.replay ? storedWhole(state, this.blobs, uploadId) : req.assembled?.get(uploadId)),
          release: (md5s) => void effect.released.push(...md5s),
        },
      });
      effect.mutating = outcome.mutating;
      effect.counted = outcome.code === 'UNSUPPORTED_OPERATION';
      return json(outcome.body, outcome.status);
    }
    const stream = FILE_STREAM_PATTERN.exec(path);
    if (stream) {
      if (method !== 'POST') throw failure('METHOD_NOT_ALLOWED', 'accept', `${method} ${path}`, 'file_stream takes POST');
      const raw = req.headers.get('content-encoding') === 'gzip' ? gunzipOrFail(req.body, path) : req.body;
      const [entity, project, name] = stream.slice(1).map((s) => decodeSegment(s, path)) as [string, string, string];
      effect.mutating = true;
      return json(fileStream(this.state, entity, project, name, parseJson(raw, 'file_stream body'), how.at.toISOString()), 200);
    }
    throw failure('NOT_FOUND', 'route', `${method} ${path}`, 'the mock W&B backend serves /graphql, /files/{entity}/{project}/{run}/file_stream, /storage/... and /_harness/...');
  }

  /** The refusal for a storage URL whose signature is missing or wrong (only when an API key is set). */
  private unsigned(method: string, url: URL): BackendError | null {
    if (!this.options.apiKey || checkSignature(this.options.apiKey, url.pathname, url.searchParams.get('sig'))) return null;
    return new BackendError('UNAUTHORIZED', `Failed to accept "${method} ${url.pathname}": the upload URL's signature is missing or wrong. Use the URL the server handed out.`);
  }

  private authorize(headers: Headers, method: string, path: string): void {
    if (this.expectedAuth && headers.get('authorization') !== this.expectedAuth) {
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

/**
 * Whether a GraphQL body can name the multipart completion field: its bytes hold the name, or a JSON `\u`
 * escape that could spell it. Nearly every request has neither, and skips a second decode and JSON.parse of its
 * body (route() parses it for the executor); the answer for the others is unchanged.
 */
function mayComplete(body: Uint8Array): boolean {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return bytes.includes(COMPLETION_FIELD) || bytes.includes('\\u');
}

/** The operation name of a GraphQL body, for fault rules; null when the body is not one. */
function peekOperation(body: Uint8Array): string | null {
  try {
    return parseOperation(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body))).name;
  } catch {
    return null;
  }
}

function decodeSegment(segment: string, path: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw failure('BAD_PATH', 'decode', path, 'the path is not valid percent-encoding');
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
