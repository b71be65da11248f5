// Projects and runs (schema/runs.graphql): UpsertBucket creates and updates runs, CreateRunFiles hands out
// upload URLs, and the queries a sender polls (RunStoppedStatus, RunResumeStatus) read them back.

import { HISTORY_FILE } from '../../../protocol/index.ts';
import { failure } from '../../errors.ts';
import { summaryLine } from '../../facts.ts';
import { nextId } from '../../ids.ts';
import { projectExists, runKeyOfStorageId } from '../../indexes.ts';
import { checkRelativePath } from '../../paths.ts';
import { runKey, type BackendState, type RunRecord } from '../../state.ts';
import { Vars, type GraphQLContext, type ResolverMap } from '../context.ts';

const NAME = /^[^/\s][^/]*$/;
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Source of a Project. A project exists once a run or an artifact collection lives in it. */
export interface ProjectSource { entity: string; name: string }

export const projectSource = (entity: string, name: string): ProjectSource => ({ entity, name });

function checkName(op: string, what: string, value: string): string {
  if (!NAME.test(value) || value.length > 128) throw failure('BAD_VARIABLES', 'run', op, `${what} ${JSON.stringify(value)} is not a valid name (no "/", at most 128 characters)`);
  return value;
}

export function findRun(state: BackendState, entity: string, project: string, name: string, op: string): RunRecord {
  const run = state.runs[runKey(entity, project, name)];
  if (!run) throw failure('UNKNOWN_RUN', 'run', op, `there is no run ${entity}/${project}/${name}`, 'Create it with UpsertBucket first.');
  return run;
}

/** A run id the server makes up when the client sends none: 8 chars of [a-z0-9], from the id counter. */
function generatedName(state: BackendState): string {
  return (state.counter + 1).toString(36).padStart(8, '0');
}

/** Input objects of mutations, read with the operation's name in messages. */
export const inputOf = (args: { input?: unknown }, ctx: GraphQLContext) => new Vars(ctx.operation, (args.input ?? {}) as Record<string, unknown>);

/**
 * UpsertBucket: creates the run on first sight and updates it afterwards. On updates wandb-core sends null for
 * every field that did not change (reference §2.3), so null never erases what is stored.
 */
function upsertBucket(_s: unknown, args: { input: unknown }, ctx: GraphQLContext) {
  const v = inputOf(args, ctx);
  const storageId = v.optStr('id');
  const storageKey = storageId ? runKeyOfStorageId(ctx.state, storageId) : undefined;
  const byStorage = storageKey === undefined ? undefined : ctx.state.runs[storageKey];
  const entity = checkName(ctx.operation, 'entity', v.optStr('entityName') ?? byStorage?.entity ?? ctx.defaultEntity);
  const project = checkName(ctx.operation, 'project', v.optStr('modelName') ?? byStorage?.project ?? 'uncategorized');
  const name = checkName(ctx.operation, 'name', v.optStr('name') ?? byStorage?.name ?? generatedName(ctx.state));
  const config = v.optStr('config');
  if (config !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(config);
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw failure('BAD_VARIABLES', 'run', ctx.operation, 'variable "config" must be a JSON-encoded object string');
    }
  }
  const fields = {
    group: v.optStr('groupName'),
    jobType: v.optStr('jobType'),
    tags: v.optStrList('tags'),
    notes: v.optStr('notes'),
    displayName: v.optStr('displayName'),
  };
  // Validation is over: from here on the state changes.
  const key = runKey(entity, project, name);
  let run = ctx.state.runs[key];
  const inserted = !run;
  if (!run) {
    const seq = ctx.state.counter + 1; // creation order (the id counter only grows), without counting the runs
    run = {
      key, storageId: nextId(ctx.state, 'Run'), entity, project, name, displayName: fields.displayName ?? `run-${seq}`,
      group: null, jobType: null, tags: null, notes: null, configJson: null, streams: {}, files: {}, uploaded: [],
      exitCode: null, seq, createdAt: ctx.now(),
    };
    ctx.state.runs[key] = run;
  }
  if (fields.group !== null) run.group = fields.group;
  if (fields.jobType !== null) run.jobType = fields.jobType;
  if (fields.tags !== null) run.tags = fields.tags;
  if (fields.notes !== null) run.notes = fields.notes;
  if (fields.displayName !== null) run.displayName = fields.displayName;
  if (config !== null) run.configJson = config;
  run.heartbeatAt = ctx.now();
  return { bucket: run, inserted, serverSettings: { serverMessages: [] } };
}

function runFilePath(run: RunRecord, file: string): string {
  return ['/storage/run', run.entity, run.project, run.name, ...file.split('/')].map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join('/');
}

function createRunFiles(_s: unknown, args: { input: unknown }, ctx: GraphQLContext) {
  const v = inputOf(args, ctx);
  const run = findRun(ctx.state, v.str('entityName'), v.str('projectName'), v.str('runName'), ctx.operation);
  const names = v.list('files').map((f) => checkRelativePath(f, 'a run file name'));
  return {
    runID: run.storageId,
    uploadHeaders: [],
    files: names.map((name) => ({ id: b64(`File:v1:${run.key}/${name}`), name, uploadUrl: ctx.storageUrl(runFilePath(run, name)), uploadHeaders: [] })),
  };
}

function markRunFilesUploaded(_s: unknown, args: { input: unknown }, ctx: GraphQLContext) {
  const v = inputOf(args, ctx);
  const run = findRun(ctx.state, v.str('entityName'), v.str('projectName'), v.str('runName'), ctx.operation);
  const files = v.list('files').map((f) => checkRelativePath(f, 'a run file name'));
  for (const f of files) if (!run.uploaded.includes(f)) run.uploaded.push(f);
  return { success: true };
}

type ProjectArgs = { name?: string | null; entityName?: string | null };
const runOf = (p: ProjectSource, args: { name: string }, ctx: GraphQLContext) => ctx.state.runs[runKey(p.entity, p.name, args.name)] ?? null;

export const runResolvers: ResolverMap = {
  Query: {
    project: (_s, args: ProjectArgs, ctx: GraphQLContext) => {
      const entity = args.entityName ?? ctx.defaultEntity;
      const name = args.name ?? 'uncategorized';
      return projectExists(ctx.state, entity, name) ? projectSource(entity, name) : null;
    },
    // wandb-core reads `model.bucket == null` as "a new run": the project itself is always answered.
    model: (_s, args: ProjectArgs, ctx: GraphQLContext) => projectSource(args.entityName ?? ctx.defaultEntity, args.name ?? 'uncategorized'),
  },
  Mutation: { upsertBucket, createRunFiles, markRunFilesUploaded },
  Project: {
    id: (p: ProjectSource) => b64(`Project:v1:${p.entity}/${p.name}`),
    internalId: (p: ProjectSource) => `${p.entity}/${p.name}`,
    entityName: (p: ProjectSource) => p.entity,
    entity: (p: ProjectSource) => ({ name: p.entity }),
    run: runOf,
    bucket: runOf,
  },
  Run: {
    id: (r: RunRecord) => r.storageId,
    description: () => null,
    tags: (r: RunRecord) => r.tags ?? [],
    config: (r: RunRecord) => r.configJson ?? '{}',
    summaryMetrics: (r: RunRecord) => summaryLine(r) ?? '{}',
    wandbConfig: () => '{}',
    sweepName: () => null,
    historyLineCount: (r: RunRecord) => Object.keys(r.streams[HISTORY_FILE] ?? {}).length,
    logLineCount: () => 0,
    eventsLineCount: () => 0,
    historyTail: () => '[]',
    eventsTail: () => '[]',
    stopped: () => false,
    project: (r: RunRecord) => projectSource(r.entity, r.project),
  },
};
