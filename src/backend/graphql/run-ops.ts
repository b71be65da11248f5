import { failure } from '../errors.ts';
import { nextId } from '../ids.ts';
import { runKeyOfStorageId } from '../indexes.ts';
import { checkRelativePath } from '../paths.ts';
import { runKey, type BackendState, type RunRecord } from '../state.ts';
import { HISTORY_FILE } from '../../protocol/index.ts';
import { Vars, type OpContext, type Resolver } from './context.ts';

const NAME = /^[^/\s][^/]*$/;

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

function bucket(run: RunRecord) {
  const history = run.streams[HISTORY_FILE] ?? {};
  return {
    id: run.storageId,
    name: run.name,
    displayName: run.displayName,
    description: null,
    config: run.configJson ?? '{}',
    sweepName: null,
    historyLineCount: Object.keys(history).length,
    project: {
      id: Buffer.from(`Project:v1:${run.entity}/${run.project}`).toString('base64'),
      name: run.project,
      entity: { id: Buffer.from(`Entity:v1:${run.entity}`).toString('base64'), name: run.entity },
    },
  };
}

/**
 * UpsertBucket: creates the run on first sight and updates it afterwards. On updates wandb-core sends null for
 * every field that did not change (reference §2.3), so null never erases what is stored.
 */
const upsertBucket: Resolver = (ctx: OpContext) => {
  const v = new Vars(ctx.operation, ctx.variables);
  const storageId = v.optStr('id');
  const storageKey = storageId ? runKeyOfStorageId(ctx.state, storageId) : undefined;
  const byStorage = storageKey === undefined ? undefined : ctx.state.runs[storageKey];
  const entity = checkName(ctx.operation, 'entity', v.optStr('entity') ?? byStorage?.entity ?? ctx.defaultEntity);
  const project = checkName(ctx.operation, 'project', v.optStr('project') ?? byStorage?.project ?? 'uncategorized');
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
      exitCode: null, seq,
    };
    ctx.state.runs[key] = run;
  }
  if (fields.group !== null) run.group = fields.group;
  if (fields.jobType !== null) run.jobType = fields.jobType;
  if (fields.tags !== null) run.tags = fields.tags;
  if (fields.notes !== null) run.notes = fields.notes;
  if (fields.displayName !== null) run.displayName = fields.displayName;
  if (config !== null) run.configJson = config;
  return { upsertBucket: { bucket: bucket(run), inserted, serverSettings: { serverMessages: [] } } };
};

/** The legacy sender polls this; `stopped: true` would make the SDK stop the run, so it is never sent. */
const runStoppedStatus: Resolver = (ctx) => {
  const v = new Vars(ctx.operation, ctx.variables);
  const entity = v.optStr('entityName') ?? ctx.defaultEntity;
  const project = v.optStr('projectName') ?? 'uncategorized';
  const run = ctx.state.runs[runKey(entity, project, v.str('runId'))];
  return { project: run ? { run: { stopped: false } } : null };
};

const runResumeStatus: Resolver = (ctx) => {
  const v = new Vars(ctx.operation, ctx.variables);
  const entity = v.optStr('entity') ?? ctx.defaultEntity;
  const project = v.optStr('project') ?? 'uncategorized';
  const run = ctx.state.runs[runKey(entity, project, v.str('name'))];
  if (!run) return { model: { bucket: null } };
  const b = bucket(run);
  return {
    model: {
      bucket: {
        ...b, summaryMetrics: '{}', logLineCount: 0, eventsLineCount: 0, historyTail: '[]', eventsTail: '[]',
        tags: run.tags ?? [], notes: run.notes, wandbConfig: '{}',
      },
    },
  };
};

function runFilePath(run: RunRecord, file: string): string {
  return ['/storage/run', run.entity, run.project, run.name, ...file.split('/')].map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join('/');
}

const createRunFiles: Resolver = (ctx) => {
  const v = new Vars(ctx.operation, ctx.variables);
  const run = findRun(ctx.state, v.str('entity'), v.str('project'), v.str('run'), ctx.operation);
  const names = v.list('files').map((f) => checkRelativePath(f, 'a run file name'));
  return {
    createRunFiles: {
      runID: run.storageId,
      uploadHeaders: [],
      files: names.map((name) => ({ name, uploadUrl: ctx.storageUrl(runFilePath(run, name)) })),
    },
  };
};

const markRunFilesUploaded: Resolver = (ctx) => {
  const v = new Vars(ctx.operation, ctx.variables.input ? (ctx.variables.input as Record<string, unknown>) : ctx.variables);
  const run = findRun(ctx.state, v.str('entityName'), v.str('projectName'), v.str('runName'), ctx.operation);
  const files = v.list('files').map((f) => checkRelativePath(f, 'a run file name'));
  for (const f of files) if (!run.uploaded.includes(f)) run.uploaded.push(f);
  return { markRunFilesUploaded: { success: true } };
};

export const runOps: Record<string, Resolver> = {
  UpsertBucket: upsertBucket,
  RunStoppedStatus: runStoppedStatus,
  RunResumeStatus: runResumeStatus,
  CreateRunFiles: createRunFiles,
  MarkRunFilesUploaded: markRunFilesUploaded,
};
