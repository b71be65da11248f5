// Which runs `api.runs(path, filters, order)` lists, and in what order: the run fields the API's filters and
// orders name (W&B's spellings and the snake_case ones its docs use), read through facts.ts.

import { BackendError } from '../errors.ts';
import { configOf, runState } from '../facts.ts';
import { parseLenientJson } from '../json.ts';
import type { BackendState, RunRecord } from '../state.ts';
import { summaryLine } from '../facts.ts';
import { at, compare, matches, parseFilter, type FieldReader } from './filter.ts';

const COLUMNS: Record<string, (run: RunRecord) => unknown> = {
  name: (r) => r.name,
  id: (r) => r.name,
  displayName: (r) => r.displayName,
  display_name: (r) => r.displayName,
  group: (r) => r.group,
  jobType: (r) => r.jobType,
  job_type: (r) => r.jobType,
  state: (r) => runState(r),
  tags: (r) => r.tags ?? [],
  notes: (r) => r.notes,
  entity: (r) => r.entity,
  username: (r) => r.entity,
  createdAt: (r) => r.createdAt ?? null,
  created_at: (r) => r.createdAt ?? null,
  heartbeatAt: (r) => r.heartbeatAt ?? r.createdAt ?? null,
  heartbeat_at: (r) => r.heartbeatAt ?? r.createdAt ?? null,
};

/** Field access for one run, parsing its config and summary at most once. */
export function runReader(run: RunRecord): FieldReader {
  let rawConfig: unknown;
  let config: Record<string, unknown> | undefined;
  let summary: unknown;
  return (path) => {
    const column = Object.hasOwn(COLUMNS, path) ? COLUMNS[path] : undefined;
    if (column) return column(run);
    const [head, ...rest] = path.split('.');
    if (head === 'config' && rest.length > 0) {
      // `config.lr.value` addresses the value as W&B stores it ({"lr": {"value": ...}}); `config.lr` the value itself.
      if (rest[1] === 'value') {
        rawConfig ??= run.configJson ? parseLenientJson(run.configJson) : {};
        return at(rawConfig, rest);
      }
      config ??= configOf(run);
      return at(config, rest);
    }
    if ((head === 'summary_metrics' || head === 'summaryMetrics') && rest.length > 0) {
      if (summary === undefined) {
        const line = summaryLine(run);
        summary = line === null ? {} : parseLenientJson(line);
      }
      return at(summary, rest);
    }
    return undefined;
  };
}

/** `+created_at`, `-summary_metrics.acc`, `config.lr.value` (no sign: descending, as the SDK documents). */
export function parseOrder(raw: unknown): { path: string; descending: boolean } {
  if (raw === null || raw === undefined || raw === '') return { path: 'created_at', descending: false };
  if (typeof raw !== 'string') throw new BackendError('BAD_VARIABLES', `Failed to order runs: "order" must be a string such as "+created_at", got ${JSON.stringify(raw)}.`);
  const sign = raw[0];
  const path = sign === '+' || sign === '-' ? raw.slice(1) : raw;
  if (path === '') throw new BackendError('BAD_VARIABLES', `Failed to order runs: "order" names no field ("${raw}"). Use e.g. "+created_at" or "-summary_metrics.acc".`);
  return { path, descending: sign !== '+' };
}

/** The project's runs that match `filters`, in `order`; ties and missing values keep creation order (missing last). */
export function listRuns(state: BackendState, entity: string, project: string, filters: unknown, order: unknown): RunRecord[] {
  const filter = parseFilter(filters);
  const { path, descending } = parseOrder(order);
  const rows = Object.values(state.runs)
    .filter((r) => r.entity === entity && r.project === project)
    .map((run) => ({ run, read: runReader(run) }))
    .filter(({ read }) => matches(filter, read))
    .map(({ run, read }) => ({ run, key: read(path) }));
  rows.sort((a, b) => {
    const missingA = a.key === undefined || a.key === null;
    const missingB = b.key === undefined || b.key === null;
    if (missingA || missingB) return missingA === missingB ? a.run.seq - b.run.seq : missingA ? 1 : -1;
    const c = compare(a.key, b.key) ?? 0;
    return (descending ? -c : c) || a.run.seq - b.run.seq;
  });
  return rows.map((r) => r.run);
}
