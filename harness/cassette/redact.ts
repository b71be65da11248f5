// Redaction, applied before anything reaches a cassette (DESIGN §4.3, §7): credentials in headers, API-key-like
// fields in bodies, signed-URL query strings, any literal secret seen in an Authorization header (wherever it
// shows up again), and the user's own patterns. Signed-URL parameters are also volatile — they change on every
// recording — so redacting them keeps re-records stable too.

import { REDACTED, REDACTED_IN_URL, type Body } from './format.ts';

/** Header names whose values are credentials. */
const SECRET_HEADER = /^(?:authorization|proxy-authorization|cookie|set-cookie)$|api[-_]?key|token|secret|password/i;
/** JSON field names whose values are credentials. */
const SECRET_FIELD = /(?:api[-_]?key|apikey|password|passwd|secret|token|authorization|cookie|credential)s?$/i;
/** Query parameters of signed URLs (our backend's `sig`, S3 `X-Amz-*`, GCS `X-Goog-*`, Azure SAS `sig`) and keys. */
const SECRET_PARAM = /^(?:sig|signature|x-amz-[\w-]*|x-goog-[\w-]*|awsaccesskeyid|googleaccessid|expires|token|access_token|api[-_]?key|key)$/i;
/** Credentials written into strings: `Basic ...`, `Bearer ...`. */
const CREDENTIAL_STRING = /\b(Basic|Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/g;
/** `api_key: ...` / `password=...` lines in text bodies (YAML, .env, netrc-like files). */
const SECRET_ASSIGNMENT = /\b((?:api[-_]?key|password|passwd|secret|token)\s*[:=]\s*)["']?[^\s"',}]+["']?/gi;
const URL_WITH_QUERY = /^(?:https?:\/\/|\{\{base_url\}\}|\/)[^?\s]*\?/;

export class Redactor {
  private readonly patterns: RegExp[];
  private readonly literals = new Set<string>();

  constructor(options: { patterns?: (RegExp | string)[]; secrets?: string[] } = {}) {
    this.patterns = (options.patterns ?? []).map((p) => (typeof p === 'string' ? new RegExp(p, 'g') : new RegExp(p.source, p.flags.includes('g') ? p.flags : `${p.flags}g`)));
    for (const s of options.secrets ?? []) this.addSecret(s);
  }

  /** A literal that must never be written, e.g. an API key; too-short strings would redact noise. */
  addSecret(secret: string): void {
    if (secret.length >= 8) this.literals.add(secret);
  }

  /** Learns the secret inside an Authorization header so it is also scrubbed where a client echoes it. */
  learn(headers: Headers): void {
    const auth = headers.get('authorization');
    if (!auth) return;
    const [scheme, value = ''] = auth.split(/\s+/, 2);
    this.addSecret(value);
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) this.addSecret(decoded.slice(colon + 1));
    }
  }

  /** Any string: literal secrets, credential strings and user patterns. */
  text(s: string, replacement = REDACTED): string {
    let out = s;
    for (const lit of this.literals) if (out.includes(lit)) out = out.split(lit).join(replacement);
    out = out.replace(CREDENTIAL_STRING, `$1 ${replacement}`);
    for (const p of this.patterns) out = out.replace(p, replacement);
    return out;
  }

  header(name: string, value: string): string {
    return SECRET_HEADER.test(name) ? REDACTED : this.text(value);
  }

  query(pairs: [string, string][]): [string, string][] {
    return pairs.map(([k, v]) => [k, SECRET_PARAM.test(k) ? REDACTED_IN_URL : this.text(v, REDACTED_IN_URL)]);
  }

  path(path: string): string {
    return this.text(path, REDACTED_IN_URL);
  }

  /** A URL inside a body (an upload URL in a GraphQL answer): its signed query parameters go. */
  url(s: string): string {
    const m = URL_WITH_QUERY.exec(s);
    if (!m) return this.text(s);
    const [base, ...rest] = s.split('?');
    const query = rest.join('?');
    const hash = query.indexOf('#');
    const params = (hash >= 0 ? query.slice(0, hash) : query).split('&').map((kv) => {
      const eq = kv.indexOf('=');
      const k = eq >= 0 ? kv.slice(0, eq) : kv;
      return eq >= 0 && SECRET_PARAM.test(safeDecode(k)) ? `${k}=${REDACTED_IN_URL}` : this.text(kv, REDACTED_IN_URL);
    });
    return `${this.text(base!, REDACTED_IN_URL)}?${params.join('&')}${hash >= 0 ? query.slice(hash) : ''}`;
  }

  body(body: Body | null): Body | null {
    if (body === null || 'base64' in body) return body;
    if ('text' in body) return { text: this.text(body.text).replace(SECRET_ASSIGNMENT, `$1${REDACTED}`) };
    return { json: this.redactJson(body.json), style: body.style };
  }

  /** JSON: secret fields are redacted whole (whatever their type), URLs lose their signatures. */
  redactJson(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.redactJson(v));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = SECRET_FIELD.test(k) && v !== null ? REDACTED : this.redactJson(v);
      return out;
    }
    return typeof value === 'string' ? this.jsonString(value) : value;
  }

  /** GraphQL JSONString variables (config, summaryMetrics, metadata) hold JSON inside a string: look inside. */
  private jsonString(s: string): string {
    const t = s.trimStart();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        const inner: unknown = JSON.parse(s);
        const redacted = this.redactJson(inner);
        // Untouched strings keep their exact bytes.
        return JSON.stringify(redacted) === JSON.stringify(inner) ? s : JSON.stringify(redacted);
      } catch {
        // not JSON: an ordinary string
      }
    }
    return this.url(s);
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
