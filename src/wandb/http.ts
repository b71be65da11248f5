// The HTTP layer: GraphQL, file_stream and upload PUTs over an injectable fetch, with the SDK's headers
// (§1.3), envelopes (§1.4) and retries (§6). Credentials go only to requests under base_url (GraphQL and
// file_stream); upload PUTs carry the server-supplied headers and nothing else.
import { gzipSync } from 'node:zlib';
import { CORE_USER_AGENT, GRAPHQL_PATH } from '../protocol/index.ts';
import type { FileStreamBody, GraphQLResponse } from '../protocol/index.ts';
import type { Clock, RandomSource } from './clock.ts';
import { WandbError } from './errors.ts';
import { backoffMs, FILE_STREAM_RETRY, FILE_TRANSFER_RETRY, GRAPHQL_RETRY, retryAfterMs } from './retry.ts';
import type { RetryPolicy } from './retry.ts';
import { basicAuth } from './settings.ts';
import type { WandbSettings } from './settings.ts';
import { SDK_VERSION } from './version.ts';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Which logical client sends a GraphQL request (§0, §1.3). `core` = wandb-core's generated ops
 * (operationName set); `public` / `internal` = Python's `wandb.Api()` / InternalApi queries proxied through
 * wandb-core in >= 0.28 (operationName "").
 */
export type ClientKind = 'core' | 'public' | 'internal';

export interface GraphQLOperation {
  /** Operation name as written in the document. */
  name: string;
  query: string;
  client: ClientKind;
  retry?: RetryPolicy;
}

export interface HttpDeps {
  settings: WandbSettings;
  fetch: FetchLike;
  clock: Clock;
  random: RandomSource;
}

const MAX_ERROR_BODY = 500;

export class WandbHttp {
  private readonly headers: Record<ClientKind, Record<string, string>>;
  private readonly graphqlUrl: string;

  constructor(private readonly deps: HttpDeps) {
    const auth: Record<string, string> = deps.settings.apiKey ? { Authorization: basicAuth(deps.settings.apiKey) } : {};
    const json = { 'Content-Type': 'application/json' };
    this.headers = {
      core: { ...auth, ...json, 'User-Agent': CORE_USER_AGENT },
      public: { ...auth, ...json, 'User-Agent': `W&B Public Client ${SDK_VERSION}`, 'Use-Admin-Privileges': 'true' },
      internal: { ...auth, ...json, 'User-Agent': `W&B Internal Client ${SDK_VERSION}` },
    };
    this.graphqlUrl = deps.settings.baseUrl + GRAPHQL_PATH;
  }

  /** One GraphQL operation; answers with `data`, throws on HTTP failure or a non-empty `errors`. */
  async graphql<T>(op: GraphQLOperation, variables: Record<string, unknown>): Promise<T> {
    const body = JSON.stringify({ query: op.query, variables, operationName: op.client === 'core' ? op.name : '' });
    const response = await this.send(op.name, op.retry ?? GRAPHQL_RETRY, this.graphqlUrl, () => ({
      method: 'POST', headers: this.headers[op.client], body,
    }));
    let parsed: GraphQLResponse<T>;
    try {
      parsed = (await response.json()) as GraphQLResponse<T>;
    } catch (cause) {
      throw new WandbError('WANDB_BAD_RESPONSE', `Failed to run "${op.name}": the server's answer is not JSON. Check that WANDB_BASE_URL points at a W&B server.`, { cause, status: response.status, operation: op.name });
    }
    if (parsed.errors && parsed.errors.length > 0) {
      const messages = parsed.errors.map((e) => e.message ?? (e as { error?: string }).error).join('; ');
      throw new WandbError('WANDB_GRAPHQL', `Failed to run "${op.name}": the server answered with GraphQL errors: ${this.redact(messages)}. Fix the request or the server; GraphQL errors are not retried.`, { status: response.status, operation: op.name });
    }
    if (parsed.data === undefined || parsed.data === null) {
      throw new WandbError('WANDB_BAD_RESPONSE', `Failed to run "${op.name}": the answer has no "data". Check the server's reply to this operation.`, { status: response.status, operation: op.name });
    }
    return parsed.data;
  }

  async fileStream(entity: string, project: string, run: string, body: FileStreamBody, gzip: boolean): Promise<void> {
    const url = `${this.deps.settings.baseUrl}/files/${encodeURIComponent(entity)}/${encodeURIComponent(project)}/${encodeURIComponent(run)}/file_stream`;
    const text = JSON.stringify(body);
    const payload: string | Uint8Array = gzip ? gzipSync(text) : text;
    const headers = gzip ? { ...this.headers.core, 'Content-Encoding': 'gzip' } : this.headers.core;
    const response = await this.send('file_stream', FILE_STREAM_RETRY, url, () => ({ method: 'POST', headers, body: payload as BodyInit }));
    // wandb-core reads only `stopped`; the body is drained so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
  }

  /**
   * PUT raw bytes to a presigned URL with the server's `"Key:Value"` headers (plus `extra`, e.g. a part's
   * Content-MD5) and no credentials. Returns the answer's ETag (what a multipart part is completed with), or null.
   */
  async upload(label: string, url: string, bytes: Uint8Array, uploadHeaders: readonly string[], extra: Record<string, string> = {}): Promise<string | null> {
    const headers: Record<string, string> = {};
    for (const line of uploadHeaders) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
    }
    Object.assign(headers, extra);
    const response = await this.send(label, FILE_TRANSFER_RETRY, url, () => ({ method: 'PUT', headers, body: bytes as BodyInit }));
    await response.arrayBuffer().catch(() => undefined);
    return response.headers.get('etag');
  }

  /** Attempts a request until it succeeds, fails fatally, or the policy's retries are spent. */
  private async send(label: string, policy: RetryPolicy, url: string, init: () => RequestInit): Promise<Response> {
    const { fetch, clock, random } = this.deps;
    for (let attempt = 0; ; attempt++) {
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await fetch(url, init());
      } catch (error) {
        failure = error;
      }
      if (response?.ok) return response;
      const status = response?.status;
      if (response && !policy.retryStatus(response.status)) {
        const detail = await this.errorDetail(response);
        throw new WandbError('WANDB_HTTP', `Failed to send "${label}": the server answered HTTP ${response.status}${detail}. This status is not retried; fix the request or the server.`, { status, operation: label });
      }
      if (attempt >= policy.retryMax) {
        const reason = response ? `HTTP ${response.status}${await this.errorDetail(response)}` : `connection error (${describe(failure)})`;
        throw new WandbError('WANDB_RETRIES_EXHAUSTED', `Failed to send "${label}": ${reason} after ${attempt + 1} attempts. Check that the server at ${this.deps.settings.baseUrl} is up.`, { status, operation: label, cause: failure });
      }
      const wait = retryAfterMs(response?.headers.get('Retry-After') ?? null, clock.now()) ?? backoffMs(policy, attempt, random);
      // Drain (not cancel: a cancelled body can hang msw's interceptor) so the connection is reusable.
      if (response) await response.arrayBuffer().catch(() => undefined);
      await clock.sleep(wait);
    }
  }

  private async errorDetail(response: Response): Promise<string> {
    const text = await response.text().catch(() => '');
    if (!text) return '';
    let message = text;
    try {
      const parsed = JSON.parse(text) as { errors?: { message?: string }[]; error?: string };
      message = parsed.errors?.map((e) => e.message).join('; ') || parsed.error || text;
    } catch { /* not JSON: keep the text */ }
    return ` (${this.redact(message.slice(0, MAX_ERROR_BODY))})`;
  }

  /** A server may echo what it received; the API key must never reach an error message. */
  private redact(text: string): string {
    const key = this.deps.settings.apiKey;
    if (!key) return text;
    const encoded = basicAuth(key).slice('Basic '.length);
    return text.split(key).join('<redacted>').split(encoded).join('<redacted>');
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
  }
  return String(error);
}
