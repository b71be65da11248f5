// POST /files/{entity}/{project}/{run}/file_stream (reference §3). Lines are stored by (file, offset) and a
// re-sent offset overwrites: that is what makes the SDK's retries idempotent.

import { EVENTS_FILE, HISTORY_FILE, SUMMARY_FILE } from '../protocol/index.ts';
import { failure } from './errors.ts';
import { parseLenientJson } from './json.ts';
import { checkRelativePath } from './paths.ts';
import { runKey, type BackendState } from './state.ts';
import { own } from './own.ts';

const JSON_LINE_FILES = new Set([HISTORY_FILE, SUMMARY_FILE, EVENTS_FILE]);

interface Chunk { file: string; offset: number; content: string[] }

/** `at` is the request's clock value (ISO 8601): a stream request is the run's heartbeat. */
export function fileStream(state: BackendState, entity: string, project: string, name: string, body: unknown, at?: string): unknown {
  const subject = `${entity}/${project}/${name}`;
  const run = state.runs[runKey(entity, project, name)];
  if (!run) throw failure('UNKNOWN_RUN', 'stream to', subject, 'there is no such run', 'Create it with UpsertBucket first.');
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw failure('BAD_REQUEST', 'stream to', subject, 'the body must be a JSON object');
  const { files, uploaded, complete, exitcode } = body as Record<string, unknown>;

  // Validate everything first: a bad request must leave the run exactly as it was.
  const chunks: Chunk[] = [];
  if (files !== undefined) {
    if (files === null || typeof files !== 'object' || Array.isArray(files)) throw failure('BAD_REQUEST', 'stream to', subject, '"files" must be an object');
    for (const [file, chunk] of Object.entries(files as Record<string, unknown>)) {
      checkRelativePath(file, 'a stream file name');
      const { offset, content } = (chunk ?? {}) as Record<string, unknown>;
      if (!Number.isSafeInteger(offset) || (offset as number) < 0) throw failure('BAD_REQUEST', 'stream to', subject, `files["${file}"].offset must be a non-negative integer`);
      if (!Array.isArray(content) || !content.every((l) => typeof l === 'string')) throw failure('BAD_REQUEST', 'stream to', subject, `files["${file}"].content must be a list of strings`);
      if (JSON_LINE_FILES.has(file)) {
        content.forEach((line, i) => {
          let parsed: unknown;
          try {
            parsed = parseLenientJson(line);
          } catch {
            parsed = undefined;
          }
          if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
            throw failure('BAD_REQUEST', 'stream to', subject, `line ${(offset as number) + i} of ${file} is not a JSON object`);
          }
        });
      }
      chunks.push({ file, offset: offset as number, content: content as string[] });
    }
  }
  if (uploaded !== undefined && (!Array.isArray(uploaded) || !uploaded.every((u) => typeof u === 'string'))) {
    throw failure('BAD_REQUEST', 'stream to', subject, '"uploaded" must be a list of file names');
  }
  for (const u of (uploaded as string[] | undefined) ?? []) checkRelativePath(u, 'an uploaded file name');
  if (complete !== undefined && typeof complete !== 'boolean') throw failure('BAD_REQUEST', 'stream to', subject, '"complete" must be a boolean');
  if (exitcode !== undefined && exitcode !== null && !Number.isSafeInteger(exitcode)) throw failure('BAD_REQUEST', 'stream to', subject, '"exitcode" must be an integer');

  for (const { file, offset, content } of chunks) {
    const lines = own(run.streams, file) ?? (run.streams[file] = {});
    content.forEach((line, i) => {
      lines[String(offset + i)] = line;
    });
  }
  for (const u of (uploaded as string[] | undefined) ?? []) if (!run.uploaded.includes(u)) run.uploaded.push(u);
  if (at !== undefined) run.heartbeatAt = at;
  if (complete === true) run.exitCode = (exitcode as number | null | undefined) ?? 0;
  // What W&B's own mock server answered; wandb-core reads only `stopped`, which must never be true here.
  return { exitcode: null, limits: {} };
}
