// What varies between two honest sessions of one program (reference §7 "Volatile data"), and so takes no part
// in replay matching. One table: the Keyer and the stream checker take their key sets from it,
// docs/guides/record-replay.md prints it ("Replay a real session in CI"), and test/unit/cassette/volatile.test.ts has one test per entry.

export interface VolatileEntry {
  /** Stable id, used by the tests (one per entry). */
  id: string;
  /** What is normalised, as a user would name it. */
  what: string;
  /** Where it is on the wire. */
  where: string;
  /** How it is normalised. */
  how: string;
  /** Why it varies between honest sessions (with the source). */
  why: string;
  /** Variable / JSON keys masked wherever they appear; `Op.key` only in that operation's variables. */
  keys?: readonly string[];
}

export const VOLATILE_TABLE: readonly VolatileEntry[] = [
  { id: 'run-id', what: 'run ids', where: 'UpsertBucket `name`; `run`, `runName`, `runId` variables; the file_stream path; upload URLs', how: 'masked as `<run>`; each live run is paired with the recorded runs it agrees with (by meaning, not arrival); answers carry the live id', why: '8 random `[a-z0-9]` per run unless `WANDB_RUN_ID` (ref §2.3); the SDK adopts the answered `bucket.name`' },
  { id: 'storage-id', what: 'storage id', where: 'UpsertBucket `id`', how: 'masked (null stays null)', why: 'server-assigned `bucket.id`, sent back on later upserts (ref §2.3)', keys: ['UpsertBucket.id'] },
  { id: 'client-ids', what: 'artifact client ids', where: 'CreateArtifact `clientID`, `sequenceClientID`; ClientIDMapping `clientID`', how: 'masked; the pair is learned, answers carry the live id', why: '128 random chars per artifact (ref §5.1)', keys: ['clientID', 'sequenceClientID'] },
  { id: 'history-step', what: 'sequence position', where: 'CreateArtifact `historyStep`', how: 'masked', why: '`run.step` at log time, depends on timing (ref §5.1, §7)', keys: ['historyStep'] },
  { id: 'paths', what: 'paths', where: 'UpsertBucket `program`; `codePath`, `codePathLocal`', how: 'masked', why: 'absolute script path: another checkout folder (ref §2.3, §7)', keys: ['program', 'codePath', 'codePathLocal'] },
  { id: 'host', what: 'host', where: 'UpsertBucket `host`', how: 'masked', why: 'machine host name (ref §2.3, §7)', keys: ['host'] },
  { id: 'git', what: 'git state', where: 'UpsertBucket `commit`, `repo`', how: 'masked', why: 'the checkout, not what was logged (ref §7)', keys: ['commit', 'repo'] },
  { id: 'wandb-config', what: 'os/python/cli versions, telemetry', where: '`config._wandb` (and `_wandb` anywhere in a JSON body)', how: 'masked', why: '`cli_version`, `python_version`, `t` telemetry, `e` environment keyed by a random writer id, `start_time` (ref §2.3, §7)', keys: ['_wandb'] },
  { id: 'timestamps', what: 'timestamps and durations', where: '`_timestamp`, `_runtime` in history and summary rows; `heartbeatAt`, `startedAt`, `start_time`, `createdAt`, `updatedAt`, `timestamp`', how: 'masked', why: 'wall clock of the session (ref §7)', keys: ['_timestamp', '_runtime', 'timestamp', 'heartbeatAt', 'startedAt', 'start_time', 'createdAt', 'updatedAt'] },
  { id: 'offsets', what: 'file_stream offsets and batching', where: 'file_stream `offset`, which POST carries a row, heartbeats, `uploaded`, `dropped`, `preempting`', how: 'rows compared in order from the first offset seen; the final summary and `exitcode` at `complete`', why: '15 s rate limit, 30 s heartbeats, size splits, resumed offsets, retries re-send offsets (ref §3.1, §7)' },
  { id: 'run-file-batches', what: 'run-file request batches', where: 'CreateRunFiles `files`', how: 'answered file by file from the recorded answers for the same run', why: 'run-file requests are batched over 5 s (ref §4.1, §7)' },
  { id: 'system-metrics', what: 'system metrics', where: 'file_stream `wandb-events.jsonl`', how: 'not compared', why: 'sampled every 15 s from the machine (ref §3.1, §7)' },
  { id: 'console', what: 'console output', where: 'file_stream `output.log`', how: 'not compared', why: 'timestamps, paths, progress bars; not a logged fact (ref §3.1, §7)' },
  { id: 'run-files', what: 'run file bodies', where: 'uploads of `wandb-metadata.json`, `requirements.txt`, `config.yaml`, `wandb-summary.json`, `diff.patch`', how: 'the upload URL is matched, the body is not', why: 'os, python, host, program, timestamps, pip freeze (ref §4.2, §7); config and summary are compared where they are logged (UpsertBucket, file_stream)' },
  { id: 'set-order', what: 'order of sets', where: '`aliases`, `tags`, `artifactFiles`, `files`, `artifactCollectionNames`', how: 'sorted', why: 'built from sets or Go maps: random order (ref §5.1, §7)' },
  { id: 'content', what: 'artifact content', where: 'CreateArtifact `digest`, CreateArtifactFiles `md5`, CreateArtifactManifest `digest`, artifact file and manifest uploads', how: 'reported as content differences, not fatal; `--strict-content` compares them', why: 'retrained weights, timestamps inside files: bytes legitimately change (issue 16)', keys: ['digest', 'md5'] },
  { id: 'query-text', what: 'GraphQL document text', where: '`query`', how: 'only the operation name and variables are compared', why: 'SDK versions print documents differently (ref §1.4)' },
  { id: 'headers', what: 'headers', where: '`User-Agent`, `X-WANDB-USERNAME`, `Authorization`, ...', how: 'not compared', why: 'SDK version, user, credentials (ref §1.3, §7)' },
  { id: 'repeats', what: 'repeated requests', where: 'probes, Viewer, ServerFeaturesQuery, retries', how: 'equal requests answered in recorded order, then the last answer again', why: 'how often the SDK probes or retries varies (ref §7)' },
];

/** `key` -> masked everywhere; `Op.key` -> masked in that operation only. Content keys are set aside, not masked away. */
export const VOLATILE_KEYS = new Set(VOLATILE_TABLE.filter((e) => e.id !== 'content').flatMap((e) => e.keys ?? []));
export const CONTENT_KEYS = new Set(VOLATILE_TABLE.find((e) => e.id === 'content')!.keys!);
export const SET_KEYS = new Set(['aliases', 'tags', 'artifactFiles', 'files', 'uploaded', 'artifactCollectionNames']);
