// A run's history as the Public API reads it: `history(samples, minStep, maxStep)` (JSON text per row, what
// run.history() and scan_history()'s HistoryPage parse), `sampledHistory(specs)` (rows with the requested keys
// only), `historyKeys` (lastStep, which bounds scan_history) and wandb-core's `parquetHistory` (no exported
// Parquet here: every step is live data, so the reader pages through HistoryPage).

import { BackendError } from '../errors.ts';
import { historyLines } from '../facts.ts';
import { parseLenientJson } from '../json.ts';
import type { RunRecord } from '../state.ts';

interface Row { step: number; text: string; value: Record<string, unknown> }

/** Rows with their `_step` (the row's position when a client sent none). */
function rows(run: RunRecord): Row[] {
  return historyLines(run).map((text, i) => {
    const value = parseLenientJson(text) as Record<string, unknown>;
    const step = typeof value._step === 'number' ? value._step : i;
    return { step, text, value };
  });
}

/** At most `samples` rows, evenly spread, first and last kept (W&B samples long histories the same way). */
function sample<T>(items: readonly T[], samples: number): T[] {
  if (items.length <= samples) return [...items];
  if (samples <= 0) return [];
  if (samples === 1) return [items[0]!];
  const out: T[] = [];
  for (let i = 0; i < samples; i++) out.push(items[Math.round((i * (items.length - 1)) / (samples - 1))]!);
  return out;
}

function int(value: unknown, name: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  // Int64 arrives as a number or, past 2^53, as the decimal text (scalars.ts).
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new BackendError('BAD_VARIABLES', `Failed to read history: "${name}" must be an integer, got ${JSON.stringify(value)}.`);
  return value;
}

/** `history(samples, minStep, maxStep)`: steps in [minStep, maxStep), as the JSON text each row was logged with. */
export function historyPage(run: RunRecord, args: { samples?: unknown; minStep?: unknown; maxStep?: unknown }): string[] {
  const min = int(args.minStep, 'minStep', -Infinity);
  const max = int(args.maxStep, 'maxStep', Infinity);
  const samples = int(args.samples, 'samples', 500);
  return sample(rows(run).filter((r) => r.step >= min && r.step < max), samples).map((r) => r.text);
}

interface Spec { keys: string[]; samples: number; minStep: number; maxStep: number }

function parseSpec(raw: unknown): Spec {
  let spec: unknown = raw;
  if (typeof raw === 'string') {
    try {
      spec = JSON.parse(raw);
    } catch {
      spec = undefined;
    }
  }
  const s = spec as Record<string, unknown> | undefined;
  if (!s || typeof s !== 'object' || !Array.isArray(s.keys) || !s.keys.every((k) => typeof k === 'string')) {
    throw new BackendError('BAD_VARIABLES', `Failed to read sampled history: each spec must be a JSON object with "keys" (a list of strings), got ${JSON.stringify(raw)?.slice(0, 80)}.`);
  }
  return {
    keys: s.keys as string[],
    samples: int(s.samples, 'samples', 500),
    minStep: int(s.minStep, 'minStep', -Infinity),
    maxStep: int(s.maxStep, 'maxStep', Infinity),
  };
}

/**
 * `sampledHistory(specs)`: per spec, the rows that have every requested key, with those keys only. W&B treats
 * the spec's maxStep as inclusive (wandb-core's livedata.go subtracts one for that reason).
 */
export function sampledHistory(run: RunRecord, specs: unknown): Record<string, unknown>[][] {
  if (!Array.isArray(specs)) throw new BackendError('BAD_VARIABLES', 'Failed to read sampled history: "specs" must be a list of JSON strings.');
  const all = rows(run);
  return specs.map(parseSpec).map((spec) => {
    const hits = all.filter((r) => r.step >= spec.minStep && r.step <= spec.maxStep && spec.keys.every((k) => Object.hasOwn(r.value, k)));
    return sample(hits, spec.samples).map((r) => Object.fromEntries(spec.keys.map((k) => [k, r.value[k]])));
  });
}

/** `historyKeys`: the last step and, per key, the JSON types it was logged with and how often. */
export function historyKeys(run: RunRecord): { lastStep?: number; keys: Record<string, { typeCounts: { type: string; count: number }[] }> } {
  const all = rows(run);
  const counts = new Map<string, Map<string, number>>();
  for (const r of all) {
    for (const [k, v] of Object.entries(r.value)) {
      const type = v === null ? 'nil' : typeof v === 'number' ? 'number' : typeof v === 'string' ? 'string' : typeof v === 'boolean' ? 'boolean' : Array.isArray(v) ? 'list' : 'map';
      const byType = counts.get(k) ?? new Map<string, number>();
      byType.set(type, (byType.get(type) ?? 0) + 1);
      counts.set(k, byType);
    }
  }
  const keys = Object.fromEntries([...counts].map(([k, byType]) => [k, { typeCounts: [...byType].map(([type, count]) => ({ type, count })) }]));
  return all.length === 0 ? { keys } : { lastStep: Math.max(...all.map((r) => r.step)), keys };
}

/** `parquetHistory(liveKeys)`: nothing exported, so no Parquet URLs and every row as live data (its liveKeys only). */
export function parquetHistory(run: RunRecord, liveKeys: unknown): { parquetUrls: string[]; liveData: Record<string, unknown>[] } {
  const keys = Array.isArray(liveKeys) ? liveKeys.filter((k): k is string => typeof k === 'string') : [];
  return {
    parquetUrls: [],
    liveData: rows(run).map((r) => Object.fromEntries(keys.filter((k) => k === '_step' || Object.hasOwn(r.value, k)).map((k) => [k, k === '_step' ? r.step : r.value[k]]))),
  };
}
