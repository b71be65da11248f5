export { MockBackend, DEFAULT_MAX_BODY_BYTES, type BackendOptions } from './backend.ts';
export { BackendError, type BackendErrorCode } from './errors.ts';
export { deriveLog, serializeLog, LOG_FORMAT, type LogModel, type LogRun, type LogArtifact, type LogArtifactFile } from './log-model.ts';
export { canonicalJson, parseLenientJson } from './json.ts';
export { createState, type BackendState } from './state.ts';
export { RESOLVERS } from './graphql/router.ts';
export { mswHandlers, startMswTransport, type MswTransport } from './transports/msw.ts';
export { startHttpTransport, type HttpTransport } from './transports/http.ts';
