// The cassette format `tracked-flows/cassette@1` (DESIGN §4.3): a recorded HTTP session as ordered
// interactions. Everything in it is already redacted, and nothing in it changes on every re-record:
// no dates, no request ids, no ports — the origin the client talked to is written as BASE_URL_PLACEHOLDER.

export const CASSETTE_FORMAT = 'tracked-flows/cassette@1';

/** Stands for "the server the client was pointed at" in recorded URLs; a replay server puts its own origin back. */
export const BASE_URL_PLACEHOLDER = '{{base_url}}';

/** What replaces a secret in headers and bodies, and (URL-safe) in query strings. */
export const REDACTED = '[REDACTED]';
export const REDACTED_IN_URL = 'REDACTED';

/**
 * A body as readable as its content allows: JSON when it parses (with the serialisation style, so the exact
 * bytes — and their md5, which W&B checks on uploads — can be rebuilt), else UTF-8 text, else base64.
 */
export type Body =
  | { json: unknown; style: 'compact' | 'python' }
  | { text: string }
  | { base64: string };

export interface RecordedRequest {
  method: string;
  /** Path without the query, as the client sent it (relative to the server it was pointed at). */
  path: string;
  /** Query parameters in their order; repeated names keep every value. */
  query: [string, string][];
  /** Lower-case names, sorted; hop-by-hop and volatile headers dropped, secrets redacted. Never matched. */
  headers: Record<string, string>;
  body: Body | null;
}

export interface RecordedResponse {
  status: number;
  headers: Record<string, string>;
  body: Body | null;
}

export interface Interaction {
  request: RecordedRequest;
  response: RecordedResponse;
}

export interface CassetteMeta {
  /** `tracked-flows/<version>` of the recorder. */
  recorder: string;
  /** `embedded` (the in-process mock backend), an upstream URL, or `capture:<file name>` for a converted capture. */
  upstream: string;
}

export interface Cassette {
  format: typeof CASSETTE_FORMAT;
  meta: CassetteMeta;
  interactions: Interaction[];
}

export function emptyCassette(meta: CassetteMeta): Cassette {
  return { format: CASSETTE_FORMAT, meta: { recorder: meta.recorder, upstream: meta.upstream }, interactions: [] };
}

/** `path?query` of a recorded request, with the query encoded as a client would send it. */
export function pathWithQuery(req: Pick<RecordedRequest, 'path' | 'query'>): string {
  if (req.query.length === 0) return req.path;
  return `${req.path}?${req.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}
