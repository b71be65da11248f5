// The cassette layer (DESIGN §4.3): format and store, redaction, recording (proxy and in-process), replay,
// inspect (cassette or capture -> log model) and the log diff.
export { CassetteError } from './errors.ts';
export { CASSETTE_FORMAT, BASE_URL_PLACEHOLDER, REDACTED, type Body, type Cassette, type CassetteMeta, type Interaction, type RecordedRequest, type RecordedResponse } from './format.ts';
export { loadCassette, parseCassette, serializeCassette, writeCassette } from './store.ts';
export { Redactor } from './redact.ts';
export { Recorder, RECORDER, type Exchange, type RecorderOptions } from './recorder.ts';
export { urlUpstream, embeddedUpstream, backendUpstream, type Upstream } from './upstream.ts';
export { startRecordingProxy, type RecordingProxy } from './proxy.ts';
export { recordInProcess, type InProcessRecording } from './in-process.ts';
export { Keyer, stable, type KeyOptions, type RequestKey } from './normalise.ts';
export { Player, REPLAY_MODES, MISS_STATUS, LOG_PATH, type Miss, type PlayerOptions, type ReplayMode } from './player.ts';
export type { ContentDifference } from './content.ts';
export { Identities } from './identities.ts';
export { StreamBook } from './stream.ts';
export { VOLATILE_TABLE, type VolatileEntry } from './volatile.ts';
export { startLocalServer, type LocalServer } from './http-server.ts';
export { inspectCassette, type InspectResult } from './inspect.ts';
export { captureToCassette, isCapture, loadSession } from './convert.ts';
export { diffLogs, DEFAULT_OPAQUE_FILES, type DiffOptions, type LogDiff } from './diff.ts';
export { runCommand, startCommand, type RunningCommand } from './command.ts';
export { loadCapture, playCapture, type CaptureRecord, type PlayedRequest } from './capture.ts';
