// A real SDK capture (reference/captures/*.jsonl: requests only) as a cassette: it is played the way the SDK
// would against a fresh embedded backend through the in-process recorder, so the cassette holds the capture's
// requests (with the backend's ids and upload URLs) and answers the SDK accepts.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { MockBackend } from '../../src/index.ts';
import { loadCapture, playCapture, type CaptureRecord } from './capture.ts';
import { CassetteError } from './errors.ts';
import type { Cassette } from './format.ts';
import { recordInProcess } from './in-process.ts';
import { loadCassette } from './store.ts';

export async function captureToCassette(records: CaptureRecord[], source: string): Promise<Cassette> {
  const rec = recordInProcess(new MockBackend(), { upstream: `capture:${basename(source)}` });
  const played = await playCapture(records, rec.baseUrl, (r) => rec.fetch(r));
  const failed = played.find((p) => p.problem);
  if (failed) {
    throw new CassetteError('CAPTURE_UNPLAYABLE', `${source}: request ${failed.index + 1} (${failed.label}) could not be played: ${failed.problem}. The capture is not a session the embedded backend can serve.`);
  }
  return rec.cassette();
}

/** A capture is JSON lines of requests; a cassette is one JSON document with a `format`. */
export function isCapture(file: string): boolean {
  if (file.endsWith('.jsonl')) return true;
  let head: string;
  try {
    head = readFileSync(file, 'utf8').slice(0, 4096);
  } catch {
    return false;
  }
  const firstLine = head.split('\n', 1)[0]!.trim();
  try {
    const v = JSON.parse(firstLine) as Record<string, unknown>;
    return typeof v?.method === 'string' && typeof v?.path === 'string';
  } catch {
    return false;
  }
}

/** Either kind of recorded session, as a cassette. */
export async function loadSession(file: string): Promise<Cassette> {
  return isCapture(file) ? captureToCassette(loadCapture(file), file) : loadCassette(file);
}
