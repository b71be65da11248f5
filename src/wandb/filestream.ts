// The run's file_stream (reference §3.1). Flushing policy, deterministic by design (no 15-s timers):
// - history lines and the summary are buffered; nothing is sent until `flush()`, `finish()`, or a buffer that
//   reaches MAX_BUFFER_BYTES (then the next `push` sends it, as wandb-core sends right away at its size limit);
// - each flush is ONE POST holding every buffered history line (consecutive offsets) and, if it changed since
//   the last send, the summary as one line at its fixed offset (0 for a new run);
// - `finish()` sends the remaining data, then a last POST `{uploaded?, complete: true, exitcode}`, so
//   `complete` comes after every other piece of data.
// Offsets are fixed when a line is buffered, so a retried POST re-sends the same (file, offset) pairs: the
// server overwrites, nothing is duplicated. A fatal answer kills the stream, as in wandb-core: it is
// recorded as a warning and nothing more is sent.
import { HISTORY_FILE, SUMMARY_FILE } from '../protocol/index.ts';
import type { FileStreamBody } from '../protocol/index.ts';
import { WandbError } from './errors.ts';
import type { WandbHttp } from './http.ts';

/** wandb-core's request size limit (`x_file_stream_max_bytes`, ≈10 MiB). */
export const MAX_BUFFER_BYTES = 10 * 1024 * 1024;

export interface RunPath { entity: string; project: string; runId: string }

export class FileStream {
  private pending: string[] = [];
  private pendingBytes = 0;
  private nextHistoryOffset: number;
  private pendingSummary: string | undefined;
  private lastSentSummary: string | undefined;
  private dead = false;

  constructor(
    private readonly http: WandbHttp,
    private readonly path: () => RunPath,
    private readonly gzip: () => boolean,
    private readonly warn: (message: string) => void,
    historyStartOffset = 0,
    private readonly summaryOffset = 0,
  ) {
    this.nextHistoryOffset = historyStartOffset;
  }

  get isDead(): boolean { return this.dead; }

  async pushHistory(line: string): Promise<void> {
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= MAX_BUFFER_BYTES) await this.flush();
  }

  /** The full summary line; only the latest one is kept, and it is sent only if it differs from the last sent. */
  setSummary(line: string): void {
    this.pendingSummary = line === this.lastSentSummary ? undefined : line;
  }

  async flush(): Promise<void> {
    const files: NonNullable<FileStreamBody['files']> = {};
    const lines = this.pending;
    if (lines.length > 0) files[HISTORY_FILE] = { offset: this.nextHistoryOffset, content: lines };
    const summary = this.pendingSummary;
    if (summary !== undefined) files[SUMMARY_FILE] = { offset: this.summaryOffset, content: [summary] };
    if (lines.length === 0 && summary === undefined) return;
    const sent = await this.post({ files });
    if (!sent) return;
    this.nextHistoryOffset += lines.length;
    this.pending = [];
    this.pendingBytes = 0;
    if (summary !== undefined) this.lastSentSummary = summary;
    this.pendingSummary = undefined;
  }

  async finish(uploaded: readonly string[], exitCode: number): Promise<void> {
    await this.flush();
    const body: FileStreamBody = {};
    if (uploaded.length > 0) body.uploaded = [...uploaded];
    body.complete = true;
    body.exitcode = exitCode;
    await this.post(body);
  }

  private async post(body: FileStreamBody): Promise<boolean> {
    if (this.dead) return false;
    const { entity, project, runId } = this.path();
    try {
      await this.http.fileStream(entity, project, runId, body, this.gzip());
      return true;
    } catch (error) {
      if (!(error instanceof WandbError)) throw error;
      this.dead = true;
      this.warn(`Fatal error while uploading data. Some run data will not be synced, but it will still be written to disk. (${error.message})`);
      return false;
    }
  }
}
