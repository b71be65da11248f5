export { MockBackend, DEFAULT_MAX_BODY_BYTES, type BackendOptions } from './backend.ts';
export { BackendError, type BackendErrorCode } from './errors.ts';
export { deriveLog, serializeLog, LOG_FORMAT, type LogModel, type LogRun, type LogArtifact, type LogArtifactFile } from './log-model.ts';
export { canonicalJson, lenientJson, parseLenientJson } from './json.ts';
export { configFromJson, loggedKeysOf } from './facts.ts';
export { createState, type BackendState } from './state.ts';
export { getSchema, schemaSource } from './graphql/executor.ts';
export { mswFetch, mswHandlers, startMswTransport, type MswTransport } from './transports/msw.ts';
export { directFetch, type InProcessFetch } from './transports/in-process.ts';
export { startHttpTransport, serveRequests, type HttpTransport, type RequestHandler } from './transports/http.ts';
export {
  FaultInjector, parseFaultPlan, globToRegExp, realSleep, TRUNCATE_HEADER, INJECTED_STATUSES,
  type Fault, type FaultRule, type FaultPlan, type FaultReport, type Sleep,
} from './faults.ts';
export { FAULT_PLAN_SCHEMA } from './fault-plan-schema.ts';
export {
  DataDir, SNAPSHOT_FILE, JOURNAL_FILE, SNAPSHOT_FORMAT, DEFAULT_SNAPSHOT_EVERY, BLOBS_DIR,
  type DurableStore, type DataDirOptions, type JournalEntry,
} from './data-dir.ts';
export { DiskBlobStore, MemoryBlobStore, BlobStoreError, referencedBlobs, type BlobRef, type BlobStore, type StagedBlob } from './blobs/index.ts';
