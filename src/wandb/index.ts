// Public API of the W&B client layer (DESIGN §3.4).
export { WandbClient, init } from './client.ts';
export type { WandbClientOptions } from './client.ts';
export { OnlineRun, LocalRun, WANDB_CONFIG_ENTRY, CONFIG_FILE } from './run.ts';
export type { Run, InitOptions } from './run.ts';
export { RunConfig, RunSummary } from './run-data.ts';
export type { LoggedArtifact, UsedArtifact } from './artifacts.ts';
export { prepareArtifact } from './artifacts.ts';
export { DEFAULT_MULTIPART, MAX_PARTS, partSize } from './multipart.ts';
export type { MultipartOptions } from './multipart.ts';
export type { LogArtifactSpec, ArtifactFileInput, ArtifactPath } from './artifact-spec.ts';
export { parseArtifactPath, checkArtifactName } from './artifact-spec.ts';
export { resolveSettings, basicAuth, DEFAULT_BASE_URL } from './settings.ts';
export type { WandbSettings, WandbSettingsInput, WandbMode } from './settings.ts';
export { WandbError, isWandbError, pyRepr } from './errors.ts';
export type { WandbErrorCode, PythonException } from './errors.ts';
export { systemClock, ManualClock, seededRandom, randomId } from './clock.ts';
export type { Clock, RandomSource } from './clock.ts';
export { WandbHttp } from './http.ts';
export type { FetchLike, ClientKind, GraphQLOperation } from './http.ts';
export {
  GRAPHQL_RETRY, UPSERT_BUCKET_RETRY, FILE_STREAM_RETRY, FILE_TRANSFER_RETRY, backoffMs, retryAfterMs,
} from './retry.ts';
export type { RetryPolicy } from './retry.ts';
export { md5Base64, md5Hex, md5FileBase64, md5SmallFileBase64, manifestDigest, base64ToHex } from './digest.ts';
export { manifestJson } from './manifest.ts';
export { encodeJson, pyFloatRepr, compareUtf8, float, PyFloat } from './json.ts';
export type { WireValue } from './json.ts';
export { configYaml } from './yaml.ts';
export { MAX_BUFFER_BYTES } from './filestream.ts';
export { SDK_VERSION } from './version.ts';
