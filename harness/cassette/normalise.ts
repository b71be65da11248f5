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
// - Run ids are client-generated: every run id seen (UpsertBucket `name`, file_stream path) becomes `<run>` in
//   variables and file_stream paths, and the key lists the ids it masked (`runs`). The key says what a request
//   asks, not which run asks it: which recorded run answers a live run is decided by meaning, in run-pairing.ts,
//   not by the order runs appear (Metaflow starts foreach siblings in any order). Server-issued URLs (uploads)
//   keep the recorded id: the client sends them back exactly as the replay handed them out.
// - Volatile fields (volatile.ts, the table docs/guides/record-replay.md prints) are masked: client ids, historyStep, paths, host,
//   git, timestamps and runtimes, `_wandb` telemetry inside JSON-string variables (config, summaryMetrics).
// - Content (`digest`/`md5`) is masked too unless `strictContent`; its values are kept beside the key
//   (`content`), so the player can report what differs without failing on it.
// - Set-like arrays (aliases, tags, artifactFiles, files, uploaded) are sorted: their order is random.
// - file_stream: `wandb-events.jsonl` (system metrics, all volatile) is dropped, history/summary lines are
//   parsed and masked like variables, console lines lose their timestamp prefix.
// - Everything else (uploads to server-issued URLs, downloads) is matched by method, path and query without
//   the body: the URL already names the file, and upload contents such as wandb-metadata.json are volatile.
// - Signed-URL parameters (already redacted in the cassette) never take part.

import { parseLenientJson, protocol } from '../../src/index.ts';
import type { Body } from './format.ts';
import { bodyText } from './body.ts';
import { CONTENT_KEYS, SET_KEYS, VOLATILE_KEYS } from './volatile.ts';

const MASK = '<masked>';
const SIGNED_PARAM = /^(?:sig|signature|x-amz-[\w-]*|x-goog-[\w-]*|awsaccesskeyid|googleaccessid|expires|token|access_token|api[-_]?key|key)$/i;
const CONSOLE_PREFIX = /^(ERROR )?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}( \[[^\]]*\])? /;
const EVENTS_FILE = 'wandb-events.jsonl';
const OUTPUT_FILE = 'output.log';

export interface KeyOptions {
  /** Compare `digest`/`md5` values (artifact content) instead of setting them aside as `content`. */
  strictContent?: boolean;
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
  /** GraphQL operation name, or null. */
  op: string | null;
  /** Content values set aside from the key (`path` -> JSON), unless `strictContent`. */
  content: Map<string, string>;
  /** The run ids masked as `<run>` in this key, in order of appearance: the run(s) the request speaks for. */
  runs: string[];
}

export const RUN_PLACEHOLDER = '<run>';

/** Stateful: it learns the session's run ids as they appear, so use one per session (recorded or live). */
export class Keyer {
  /** Run ids seen, numbered in order of appearance (for labels only: keys say `<run>`). */
  private readonly runs = new Map<string, number>();
  private found: string[] = [];
  constructor(private readonly options: KeyOptions = {}) {}

  key(req: RequestShape): RequestKey {
    this.found = [];
    const k = this.keyOf(req);
    k.runs = this.found;
    return k;
  }

  /** The number of a run id in order of appearance (1-based), or undefined. */
  runNumber(id: string): number | undefined {
    return this.runs.get(id);
  }

  private keyOf(req: RequestShape): RequestKey {
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
      const content = new Map<string, string>();
      const norm = this.value(vars, undefined, op, '', content);
      return { key: `${target} ${op} ${stable(norm)}`, family: `${target} ${op}`, norm, op, content, runs: [] };
    }
    if (stream && req.body) {
      const norm = this.fileStream(req.body);
      return { key: `${target} ${stable(norm)}`, family: target, norm, op: null, content: new Map(), runs: [] };
    }
    return { key: target, family: `${method} ${path.split('/').slice(0, 3).join('/')}`, norm: null, op: null, content: new Map(), runs: [] };
  }

  /** Normalises one history or summary row (parsed JSON): volatile keys masked, `_wandb` dropped. */
  row(v: unknown): unknown {
    return this.value(v);
  }

  private learnRun(id: string): void {
    if (!this.runs.has(id)) this.runs.set(id, this.runs.size + 1);
  }

  private masked(id: string): string {
    if (!this.found.includes(id)) this.found.push(id);
    return RUN_PLACEHOLDER;
  }

  private maskPath(path: string): string {
    if (this.runs.size === 0) return path;
    return path
      .split('/')
      .map((seg) => {
        const id = decodeSafe(seg);
        return this.runs.has(id) ? this.masked(id) : seg;
      })
      .join('/');
  }

  private value(v: unknown, key?: string, op?: string, path = '', content?: Map<string, string>): unknown {
    if (key !== undefined && (VOLATILE_KEYS.has(key) || (op !== undefined && VOLATILE_KEYS.has(`${op}.${key}`)))) return v === null ? null : MASK;
    if (key !== undefined && CONTENT_KEYS.has(key) && !this.options.strictContent && v !== null && v !== '') {
      content?.set(path, stable(v));
      return MASK;
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v); // NaN and +-Infinity stay distinct from null
    if (typeof v === 'string') {
      if (this.runs.has(v)) return this.masked(v);
      const t = v.trimStart();
      if (t.startsWith('{') || t.startsWith('[')) {
        try {
          return { '<json>': this.value(parseLenientJson(v), undefined, op, path, content) };
        } catch {
          return v;
        }
      }
      return v;
    }
    if (Array.isArray(v)) {
      // Items with a name (artifact files) are addressed by it: their order is random.
      const at = (x: unknown, i: number) => (x && typeof x === 'object' && typeof (x as { name?: unknown }).name === 'string' ? JSON.stringify((x as { name: string }).name) : String(i));
      const items = v.map((x, i) => this.value(x, undefined, op, `${path}[${at(x, i)}]`, content));
      return key !== undefined && SET_KEYS.has(key) ? items.map((x) => [stable(x), x] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((p) => p[1]) : items;
    }
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) out[k] = this.value((v as Record<string, unknown>)[k], k, op, path ? `${path}.${k}` : k, content);
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
