// The Public API's runs (schema/public-api.graphql): a project's runs filtered, ordered and paged; a run's
// state, times, summary, system metrics, history and files. Facts come from src/backend/facts.ts (the log
// model's derivation), the list logic from src/backend/query/ (pure functions over the state).

import { createHash } from 'node:crypto';
import { eventsLine, runState } from '../../facts.ts';
import { byCodePoint } from '../../json.ts';
import { historyKeys, historyPage, parquetHistory, sampledHistory } from '../../query/history.ts';
import { page } from '../../query/pages.ts';
import { listRuns } from '../../query/runs.ts';
import type { BackendState, RunRecord } from '../../state.ts';
import type { GraphQLContext, ResolverMap } from '../context.ts';
import { projectSource, type ProjectSource } from './runs.ts';

type PageArgs = { after?: string | null; first?: number | null };
type RunsArgs = PageArgs & { filters?: string | null; order?: string | null };

/** A stable 31-bit number for a project (wandb 0.28.2 parses Run.projectId with int()). */
const projectNumber = (entity: string, project: string): number => parseInt(createHash('sha256').update(`${entity}/${project}`).digest('hex').slice(0, 7), 16);

/** W&B's timestamp text: seconds, UTC, no zone suffix. */
export const wandbTime = (iso: string | undefined): string | null => (iso ? iso.slice(0, 19) : null);

export const runPage = (runs: readonly RunRecord[], args: PageArgs) => page(runs, (r) => r.key, 'Run', args);

function runFilePath(run: RunRecord, file: string): string {
  return ['/storage/run', run.entity, run.project, run.name, ...file.split('/')].map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join('/');
}

/** Run files uploaded by PUT, in name order, optionally only `names` or names matching a SQL-LIKE `pattern`. */
function runFiles(run: RunRecord, args: PageArgs & { names?: (string | null)[] | null; pattern?: string | null }, ctx: GraphQLContext) {
  let names = Object.keys(run.files).sort(byCodePoint);
  const wanted = (args.names ?? []).filter((n): n is string => typeof n === 'string');
  if (wanted.length > 0) names = names.filter((n) => wanted.includes(n));
  if (args.pattern) {
    const re = new RegExp(`^${args.pattern.split('%').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/_/g, '.')).join('.*')}$`);
    names = names.filter((n) => re.test(n));
  }
  const p = page(names, (n) => n, 'File', args);
  return {
    totalCount: p.totalCount,
    pageInfo: p.pageInfo,
    edges: p.edges.map(({ node: name, cursor }) => {
      const file = run.files[name]!;
      const url = ctx.storageUrl(runFilePath(run, name));
      return {
        cursor,
        node: {
          id: Buffer.from(`File:v1:${run.key}/${name}`).toString('base64'), name, displayName: name.split('/').pop(), url, directUrl: url,
          uploadUrl: null, uploadHeaders: [], storagePath: null, sizeBytes: file.size, mimetype: mimetypeOf(name),
          updatedAt: wandbTime(run.heartbeatAt ?? run.createdAt), digest: file.md5, md5: file.md5, artifact: null, uploadMultipartUrls: null,
        },
      };
    }),
  };
}

function mimetypeOf(name: string): string {
  if (name.endsWith('.json') || name.endsWith('.jsonl')) return 'application/json';
  if (name.endsWith('.txt') || name.endsWith('.log')) return 'text/plain';
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'application/x-yaml';
  return 'application/octet-stream';
}

/** Every project that holds a run or an artifact collection, by entity then name. */
function projectsOf(state: BackendState, entity: string | null | undefined): ProjectSource[] {
  const keys = new Set<string>();
  for (const r of Object.values(state.runs)) keys.add(`${r.entity}/${r.project}`);
  for (const c of Object.values(state.collections)) keys.add(`${c.entity}/${c.project}`);
  return [...keys]
    .map((k) => k.split('/') as [string, string])
    .filter(([e]) => !entity || e === entity)
    .sort((a, b) => byCodePoint(a[0], b[0]) || byCodePoint(a[1], b[1]))
    .map(([e, p]) => projectSource(e, p));
}

export const publicRunResolvers: ResolverMap = {
  Query: {
    models: (_s, args: PageArgs & { entityName?: string | null }, ctx: GraphQLContext) => {
      const p = page(projectsOf(ctx.state, args.entityName), (x) => `${x.entity}/${x.name}`, 'Project', args);
      return { edges: p.edges, pageInfo: p.pageInfo };
    },
  },
  Project: {
    readOnly: () => false,
    createdAt: (p: ProjectSource, _a, ctx: GraphQLContext) =>
      wandbTime(Object.values(ctx.state.runs).filter((r) => r.entity === p.entity && r.project === p.name).map((r) => r.createdAt ?? '').sort()[0] || undefined),
    isBenchmark: () => false,
    user: (p: ProjectSource) => ({ name: p.entity }),
    runCount: (p: ProjectSource, args: RunsArgs, ctx: GraphQLContext) => listRuns(ctx.state, p.entity, p.name, args.filters, args.order).length,
    runs: (p: ProjectSource, args: RunsArgs, ctx: GraphQLContext) => runPage(listRuns(ctx.state, p.entity, p.name, args.filters, args.order), args),
  },
  Run: {
    projectId: (r: RunRecord) => projectNumber(r.entity, r.project),
    exitcode: (r: RunRecord) => r.exitCode,
    state: (r: RunRecord) => runState(r),
    commit: () => null,
    readOnly: () => false,
    createdAt: (r: RunRecord) => wandbTime(r.createdAt),
    heartbeatAt: (r: RunRecord) => wandbTime(r.heartbeatAt ?? r.createdAt),
    systemMetrics: (r: RunRecord) => eventsLine(r) ?? '{}',
    user: (r: RunRecord) => ({ name: r.entity }),
    historyKeys: (r: RunRecord) => historyKeys(r),
    history: (r: RunRecord, args: { samples?: number | null; minStep?: unknown; maxStep?: unknown }) => historyPage(r, args),
    sampledHistory: (r: RunRecord, args: { specs: unknown }) => sampledHistory(r, args.specs),
    parquetHistory: (r: RunRecord, args: { liveKeys: unknown }) => parquetHistory(r, args.liveKeys),
    fileCount: (r: RunRecord) => Object.keys(r.files).length,
    files: (r: RunRecord, args, ctx: GraphQLContext) => runFiles(r, args, ctx),
  },
};
