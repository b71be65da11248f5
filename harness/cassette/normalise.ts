// The matching key of a request (DESIGN §4.3, reference §7): method, path and a normalised body, so a new
// session of the same program finds its recorded answers although its run ids, client ids, timestamps and
// telemetry differ. Keys are plain readable strings, computed on redacted requests.
//
//   POST /graphql UpsertBucket {"config":{...},"entity":"e","name":"<run-1>",...}
//   POST /files/e/p/<run-1>/file_stream {"complete":true,"exitcode":0,...}
//   PUT /storage/run/e/p/c8ckosko/config.yaml
//
// - GraphQL: operation name (operationName, else parsed from the document) + variables; the query text itself
//   is ignored (SDK versions print it differently).
// - Run ids are client-generated: the first run seen (UpsertBucket `name`, file_stream path) becomes `<run-1>`,
//   the next `<run-2>`, in variables and file_stream paths, so two runs of a session stay distinct. Server-issued
//   URLs (uploads) keep the recorded id: the client sends them back exactly as the replay handed them out.
// - Volatile fields are masked: clientID/sequenceClientID, historyStep, timestamps and runtimes, `_wandb`
//   telemetry inside JSON-string variables (config, summaryMetrics); `digest`/`md5` too with `maskDigests`.
// - Set-like arrays (aliases, tags, artifactFiles, files, uploaded) are sorted: their order is random.
// - file_stream: `wandb-events.jsonl` (system metrics, all volatile) is dropped, history/summary lines are
//   parsed and masked like variables, console lines lose their timestamp prefix.
// - Everything else (uploads to server-issued URLs, downloads) is matched by method, path and query without
//   the body: the URL already names the file, and upload contents such as wandb-metadata.json are volatile.
// - Signed-URL parameters (already redacted in the cassette) never take part.

import { protocol } from '../../src/index.ts';
import type { Body } from './format.ts';
import { bodyText } from './body.ts';

const MASK = '<masked>';
const VOLATILE = new Set(['clientID', 'sequenceClientID', 'historyStep', '_timestamp', '_runtime', '_wandb', 'timestamp', 'heartbeatAt', 'startedAt', 'start_time', 'createdAt', 'updatedAt']);
const DIGESTS = new Set(['digest', 'md5', 'manifestDigest']);
const SETS = new Set(['aliases', 'tags', 'artifactFiles', 'files', 'uploaded', 'artifactCollectionNames']);
const SIGNED_PARAM = /^(?:sig|signature|x-amz-[\w-]*|x-goog-[\w-]*|awsaccesskeyid|googleaccessid|expires|token|access_token|api[-_]?key|key)$/i;
const CONSOLE_PREFIX = /^(ERROR )?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}( \[[^\]]*\])? /;
const EVENTS_FILE = 'wandb-events.jsonl';
const OUTPUT_FILE = 'output.log';

export interface KeyOptions {
  /** Mask `digest`/`md5` values too (for sessions whose file contents legitimately differ). */
  maskDigests?: boolean;
  /** Map run ids to `<run-N>` (default true; turn off when sessions fix WANDB_RUN_ID and you want it checked). */
  maskRunIds?: boolean;
}

export interface RequestShape { method: string; path: string; query: [string, string][]; body: Body | null }

export interface RequestKey {
  key: string;
  /** `METHOD path` plus the GraphQL operation: the neighbourhood searched for nearest candidates. */
  family: string;
  /** The normalised body (for explaining differences), or null. */
  norm: unknown;
}

/** Stateful: it numbers run ids in order of appearance, so use one per session (recorded or live). */
export class Keyer {
  private readonly runs = new Map<string, string>();
  constructor(private readonly options: KeyOptions = {}) {}

  key(req: RequestShape): RequestKey {
    const method = req.method.toUpperCase();
    const stream = protocol.FILE_STREAM_PATTERN.exec(req.path);
    if (stream && this.options.maskRunIds !== false) this.learnRun(decodeSafe(stream[3]!));
    // Only file_stream paths are built by the client from its run id; other URLs were handed out by the server
    // and come back verbatim, recorded run id included.
    const path = stream ? this.maskPath(req.path) : req.path;
    const query = req.query
      .filter(([k]) => !SIGNED_PARAM.test(k))
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .sort()
      .join('&');
    const target = `${method} ${path}${query ? `?${query}` : ''}`;

    if (method === 'POST' && req.path.endsWith('/graphql') && req.body && 'json' in req.body) {
      const { query: doc, variables, operationName } = (req.body.json ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
      const op = typeof operationName === 'string' && operationName !== '' ? operationName : typeof doc === 'string' ? (protocol.OPERATION_NAME.exec(doc)?.[2] ?? '(anonymous)') : '(anonymous)';
      const vars = variables && typeof variables === 'object' ? (variables as Record<string, unknown>) : {};
      if (op === 'UpsertBucket' && typeof vars.name === 'string' && this.options.maskRunIds !== false) this.learnRun(vars.name);
      const norm = this.value(vars);
      return { key: `${target} ${op} ${stable(norm)}`, family: `${target} ${op}`, norm };
    }
    if (stream && req.body) {
      const norm = this.fileStream(req.body);
      return { key: `${target} ${stable(norm)}`, family: target, norm };
    }
    return { key: target, family: `${method} ${path.split('/').slice(0, 3).join('/')}`, norm: null };
  }

  private learnRun(id: string): void {
    if (!this.runs.has(id)) this.runs.set(id, `<run-${this.runs.size + 1}>`);
  }

  private maskPath(path: string): string {
    if (this.runs.size === 0) return path;
    return path
      .split('/')
      .map((seg) => {
        const masked = this.runs.get(decodeSafe(seg));
        return masked ?? seg;
      })
      .join('/');
  }

  private value(v: unknown, key?: string): unknown {
    if (key !== undefined && (VOLATILE.has(key) || (this.options.maskDigests && DIGESTS.has(key)))) return v === null ? null : MASK;
    if (typeof v === 'string') {
      const masked = this.runs.get(v);
      if (masked) return masked;
      const t = v.trimStart();
      if (t.startsWith('{') || t.startsWith('[')) {
        try {
          return { '<json>': this.value(JSON.parse(v)) };
        } catch {
          return v;
        }
      }
      return v;
    }
    if (Array.isArray(v)) {
      const items = v.map((x) => this.value(x));
      return key !== undefined && SETS.has(key) ? items.map((x) => [stable(x), x] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((p) => p[1]) : items;
    }
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) out[k] = this.value((v as Record<string, unknown>)[k], k);
      return out;
    }
    return v;
  }

  private fileStream(body: Body): unknown {
    let json: unknown;
    try {
      json = 'json' in body ? body.json : JSON.parse(bodyText(body));
    } catch {
      return { '<text>': bodyText(body) };
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) return this.value(json);
    const { files, ...rest } = json as { files?: Record<string, { offset?: number; content?: unknown[] }> };
    const out = this.value(rest) as Record<string, unknown>;
    if (files && typeof files === 'object') {
      const kept: Record<string, unknown> = {};
      for (const name of Object.keys(files).sort()) {
        if (name === EVENTS_FILE) continue;
        const f = files[name]!;
        const content = Array.isArray(f?.content) ? f.content : [];
        kept[name] = {
          offset: f?.offset ?? null,
          content: content.map((line) => (typeof line !== 'string' ? this.value(line) : name === OUTPUT_FILE ? line.replace(CONSOLE_PREFIX, '') : this.value(line))),
        };
      }
      out.files = kept;
    }
    return out;
  }
}

/** JSON with sorted keys, compact: the form keys and differences are shown in. */
export function stable(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stable).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stable((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
