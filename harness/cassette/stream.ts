// file_stream by meaning (volatile.ts: offsets, system-metrics, console). How the SDK splits its stream into
// POSTs (15 s rate limit, heartbeats, size splits, retries re-sending an offset) varies between sessions, so
// file_stream requests are not matched one by one: each run's recorded stream is rebuilt into rows, and the live
// rows are compared with them in order, as they arrive — history row n with recorded row n, counted from the
// first offset each side sent. At `complete`, the final summary and the exit code are compared, and rows the
// recording has but the live session never sent are named. A live stream is checked against every recorded run
// its run may still be (run-pairing.ts): the ones it agrees with are its new candidates.

import { parseLenientJson, protocol } from '../../src/index.ts';
import { bodyText } from './body.ts';
import type { Body, Interaction } from './format.ts';
import { diffValues } from './nearest.ts';
import { Keyer, stable, type KeyOptions } from './normalise.ts';

const { HISTORY_FILE, SUMMARY_FILE } = protocol;

interface StreamFile { offset?: unknown; content?: unknown }
interface StreamBody { files?: Record<string, StreamFile>; complete?: unknown; exitcode?: unknown }

/** The parsed file_stream body, or null when it is not a JSON object. */
export function streamBody(body: Body | null): StreamBody | null {
  if (body === null) return {};
  let v: unknown;
  try {
    v = 'json' in body ? body.json : JSON.parse(bodyText(body));
  } catch {
    return null;
  }
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as StreamBody) : null;
}

function lines(body: StreamBody, file: string): { offset: number; lines: string[] } | null {
  const f = body.files?.[file];
  if (!f || !Array.isArray(f.content)) return null;
  return { offset: typeof f.offset === 'number' ? f.offset : 0, lines: f.content.filter((l): l is string => typeof l === 'string') };
}

interface RecordedRow { row: unknown; index: number }

interface RecordedStream {
  history: RecordedRow[];
  summary: RecordedRow | null;
  exitcode: { value: unknown; index: number } | null;
  /** The recorded interactions of this stream (the first answered one answers the live requests). */
  indices: number[];
  /** History rows each interaction carried (for the served transcript). */
  rowsOf: Map<number, number[]>;
}

interface LiveStream { base: number | null; seen: Set<number>; summary: unknown; summaryLine: string | null; completed: boolean; failed: boolean }

/** `agreeing`: the candidates the live stream agrees with so far; else the nearest one, and where it differs. */
export type StreamVerdict = { ok: true; agreeing: string[] } | { ok: false; run: string; nearest: number; differences: string[] };

export class StreamBook {
  private readonly recorded = new Map<string, RecordedStream>();
  private readonly live = new Map<string, LiveStream>();
  private readonly rows: Keyer;

  constructor(interactions: readonly Interaction[], options: KeyOptions = {}) {
    this.rows = new Keyer({ ...options, maskRunIds: false });
    const offsets = new Map<string, Map<number, RecordedRow>>();
    interactions.forEach((x, index) => {
      const m = x.request.method === 'POST' ? protocol.FILE_STREAM_PATTERN.exec(x.request.path) : null;
      if (!m || x.response.status >= 300) return;
      const run = streamKey(m[1]!, m[2]!, m[3]!);
      let s = this.recorded.get(run);
      if (!s) this.recorded.set(run, (s = { history: [], summary: null, exitcode: null, indices: [], rowsOf: new Map() }));
      s.indices.push(index);
      const body = streamBody(x.request.body);
      if (!body) return;
      const h = lines(body, HISTORY_FILE);
      if (h) {
        let byOffset = offsets.get(run);
        if (!byOffset) offsets.set(run, (byOffset = new Map()));
        h.lines.forEach((line, k) => byOffset!.set(h.offset + k, { row: this.row(line), index }));
      }
      const sm = lines(body, SUMMARY_FILE);
      if (sm && sm.lines.length > 0) s.summary = { row: this.row(sm.lines[sm.lines.length - 1]!), index };
      if (body.complete === true) s.exitcode = { value: body.exitcode ?? null, index };
    });
    for (const [run, byOffset] of offsets) {
      const s = this.recorded.get(run)!;
      s.history = [...byOffset.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
      s.history.forEach((r, n) => s.rowsOf.set(r.index, [...(s.rowsOf.get(r.index) ?? []), n]));
    }
  }

  has(entity: string, project: string, recordedRun: string): boolean {
    return this.recorded.has(streamKey(entity, project, recordedRun));
  }

  /** Any recorded stream's first interaction: the nearest candidate for a stream the recording lacks. */
  anyIndex(): number | null {
    for (const s of this.recorded.values()) if (s.indices.length > 0) return s.indices[0]!;
    return null;
  }

  /** The interaction answering a recorded run's stream. */
  answer(entity: string, project: string, recordedRun: string): number {
    return this.recorded.get(streamKey(entity, project, recordedRun))!.indices[0]!;
  }

  /** Checks one live POST of `liveRun` against the recorded streams of its candidates (recorded run ids). */
  check(entity: string, project: string, liveRun: string, candidates: readonly string[], body: Body | null): StreamVerdict {
    const key = streamKey(entity, project, liveRun);
    let live = this.live.get(key);
    if (!live) this.live.set(key, (live = { base: null, seen: new Set(), summary: null, summaryLine: null, completed: false, failed: false }));
    const parsed = streamBody(body);
    const streams = candidates.flatMap((run) => {
      const rec = this.recorded.get(streamKey(entity, project, run));
      return rec ? [{ run, rec }] : [];
    });
    if (streams.length === 0) return this.fail(live, candidates[0] ?? '', this.anyIndex() ?? 0, [`run: got ${JSON.stringify(`${decode(entity)}/${decode(project)}/${liveRun}`)}, no recorded run streams there`]);
    if (!parsed) return this.fail(live, streams[0]!.run, streams[0]!.rec.indices[0]!, ['(body): not a JSON object']);

    const rows: [number, unknown][] = [];
    const h = lines(parsed, HISTORY_FILE);
    if (h) {
      if (live.base === null) live.base = h.offset;
      for (const [k, line] of h.lines.entries()) rows.push([h.offset + k - live.base, this.row(line)]);
    }
    for (const [n] of rows) live.seen.add(n);
    const sm = lines(parsed, SUMMARY_FILE);
    if (sm && sm.lines.length > 0) {
      live.summaryLine = sm.lines[sm.lines.length - 1]!;
      live.summary = this.row(live.summaryLine);
    }
    const verdicts = streams.map(({ run, rec }) => ({ run, ...this.compare(rec, live!, rows, parsed) }));
    const agreeing = verdicts.filter((v) => v.differences.length === 0).map((v) => v.run);
    if (agreeing.length === 0) {
      const near = verdicts.reduce((a, b) => (b.differences.length < a.differences.length ? b : a));
      return this.fail(live, near.run, near.at, near.differences);
    }
    if (parsed.complete === true) live.completed = true;
    return { ok: true, agreeing };
  }

  /** Where the live rows of this POST (and, at `complete`, the whole stream) differ from one recorded stream. */
  private compare(rec: RecordedStream, live: LiveStream, rows: readonly [number, unknown][], parsed: StreamBody): { at: number; differences: string[] } {
    for (const [n, row] of rows) {
      const where = `${HISTORY_FILE}[${n}]`;
      const recorded = rec.history[n];
      if (!recorded) return { at: rec.indices[rec.indices.length - 1]!, differences: [`${where}: got ${clip(stable(row))}, not recorded (the recording has ${rec.history.length} row(s))`] };
      const diffs = diffValues(row, recorded.row, where);
      if (diffs.length > 0) return { at: recorded.index, differences: diffs };
    }
    if (parsed.complete !== true) return { at: rec.indices[0]!, differences: [] };
    const diffs: string[] = [];
    const missing = rec.history.map((_, n) => n).filter((n) => !live.seen.has(n));
    if (missing.length > 0) diffs.push(`${HISTORY_FILE}: rows ${missing.join(', ')} recorded, never sent`);
    if (rec.summary && live.summaryLine === null) diffs.push(`${SUMMARY_FILE}: missing, recorded a summary`);
    else if (rec.summary) diffs.push(...diffValues(live.summary, rec.summary.row, SUMMARY_FILE));
    const recordedExit = rec.exitcode?.value ?? null;
    if ((parsed.exitcode ?? null) !== recordedExit) diffs.push(`exitcode: got ${JSON.stringify(parsed.exitcode ?? null)}, recorded ${JSON.stringify(recordedExit)}`);
    return { at: rec.exitcode?.index ?? rec.summary?.index ?? rec.indices[0]!, differences: diffs };
  }

  /** Recorded stream interactions the live session has covered: all their rows seen, and completed if they complete. */
  served(recordedOf: (liveRun: string) => string | undefined): number[] {
    const out: number[] = [];
    for (const [key, live] of this.live) {
      const [entity, project, liveRun] = JSON.parse(key) as [string, string, string];
      const run = recordedOf(liveRun);
      const rec = run === undefined ? undefined : this.recorded.get(streamKey(entity, project, run));
      if (!rec || live.failed) continue;
      for (const index of rec.indices) {
        const rows = rec.rowsOf.get(index) ?? [];
        if (rows.every((n) => live.seen.has(n)) && (live.completed || (rows.length > 0 && index !== rec.summary?.index && index !== rec.exitcode?.index))) out.push(index);
      }
    }
    return out;
  }

  private fail(live: LiveStream, run: string, nearest: number, differences: string[]): StreamVerdict {
    live.failed = true;
    return { ok: false, run, nearest, differences };
  }

  private row(line: string): unknown {
    let v: unknown;
    try {
      v = parseLenientJson(line);
    } catch {
      return line;
    }
    return this.rows.row(v);
  }
}

const streamKey = (entity: string, project: string, run: string) => JSON.stringify([decode(entity), decode(project), decode(run)]);
const clip = (s: string, n = 80) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
