// Retry policies of wandb-core (reference §6): which answers are retried, how often, and how long to wait.
// The waits go through the injected clock, so a test with a fake clock never sleeps.
import type { RandomSource } from './clock.ts';

export interface RetryPolicy {
  readonly name: string;
  /** Retries after the first attempt (go-retryablehttp's RetryMax). */
  readonly retryMax: number;
  readonly minWaitMs: number;
  readonly maxWaitMs: number;
  /** Whether a non-2xx status is worth another attempt; transport errors are always retried. */
  retryStatus(status: number): boolean;
}

// clients.RetryMostFailures: these are fatal, every other non-2xx (and status 0 / >= 600) is retried.
const GRAPHQL_FATAL = new Set([400, 401, 403, 404, 409, 410, 413, 422, 501]);
const UPSERT_FATAL = new Set([...GRAPHQL_FATAL].filter((s) => s !== 409));

export const GRAPHQL_RETRY: RetryPolicy = {
  name: 'graphql', retryMax: 20, minWaitMs: 2_000, maxWaitMs: 60_000,
  retryStatus: (status) => !GRAPHQL_FATAL.has(status),
};

/** UpsertBucket's per-request policy also retries 409 (a concurrent upsert of the same run). */
export const UPSERT_BUCKET_RETRY: RetryPolicy = {
  ...GRAPHQL_RETRY, name: 'upsert-bucket',
  retryStatus: (status) => !UPSERT_FATAL.has(status),
};

/** ~7 days of retries; a fatal answer kills the stream (the run keeps going, nothing more is sent). */
export const FILE_STREAM_RETRY: RetryPolicy = { ...GRAPHQL_RETRY, name: 'file-stream', retryMax: 10_085 };

/** ErrorPropagatedRetryPolicy: 429 and 5xx except 501; every other 4xx (408 included) is fatal. */
export const FILE_TRANSFER_RETRY: RetryPolicy = {
  name: 'file-transfer', retryMax: 20, minWaitMs: 2_000, maxWaitMs: 60_000,
  retryStatus: (status) => status === 429 || (status >= 500 && status !== 501) || status === 0 || status >= 600,
};

/** `min(max, min_wait * 2^attempt * (1 + 0.25 * rand))`, attempt counting from 0. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: RandomSource): number {
  return Math.min(policy.maxWaitMs, policy.minWaitMs * 2 ** attempt * (1 + 0.25 * random()));
}

/**
 * A `Retry-After` of float seconds or an HTTP date, used as is (not capped). Undefined when absent or
 * unreadable, so the exponential backoff applies.
 */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
