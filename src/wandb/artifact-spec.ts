// What a caller hands to `logArtifact` / `useArtifact`, checked before anything is sent.
import { LATEST_ALIAS } from '../protocol/index.ts';
import { WandbError } from './errors.ts';

export interface ArtifactFileInput {
  /** Path inside the artifact, with `/` separators. */
  path: string;
  /** The content, or… */
  bytes?: Uint8Array | string;
  /** …a file on disk, hashed in streaming and read only to upload it. */
  filePath?: string;
  /** The bytes stand for a value a plan cannot know (said in the manifest, see UNKNOWN_BYTES_EXTRA). */
  unknown?: string;
}

export interface LogArtifactSpec {
  name: string;
  type: string;
  files: readonly ArtifactFileInput[];
  metadata?: Record<string, unknown>;
  aliases?: readonly string[];
  description?: string;
  tags?: readonly string[];
}

export interface ArtifactPath { entity: string | undefined; project: string | undefined; name: string; alias: string }

const NAME_CHARS = /^[A-Za-z0-9_.-]+$/;

/** The SDK's name checks (`_validators.validate_artifact_name`), with its ValueError texts. */
export function checkArtifactName(name: string): void {
  const fail = (message: string) => new WandbError('WANDB_ARTIFACT_NAME', `Failed to log artifact "${name}": ${message}. Choose another artifact name.`, { python: { type: 'ValueError', message } });
  if (name.length > 128) throw fail('Artifact name is longer than 128 characters');
  if (!NAME_CHARS.test(name)) throw fail('Artifact name may only contain alphanumeric characters, dashes, underscores, and dots');
}

/** Empty, absolute, backslashed, or with an empty, "." or ".." segment: one test per entry (artifacts can hold 100k). */
const BAD_ENTRY_PATH = /^$|^\/|\\|(?:^|\/)\.{0,2}(?:\/|$)/;

export function checkArtifactFiles(name: string, files: readonly ArtifactFileInput[]): void {
  const seen = new Set<string>();
  // No closure per entry: this loop runs once per file of a directory artifact (100,000 entries is a real case).
  for (const file of files) {
    if (BAD_ENTRY_PATH.test(file.path)) {
      throw badEntry(name, file.path, 'is not a relative path with "/" separators and no "." or ".." parts. Give a path such as "data/file.csv"');
    }
    if (seen.has(file.path)) throw badEntry(name, file.path, 'appears twice. Give every entry a distinct path');
    if ((file.bytes === undefined) === (file.filePath === undefined)) throw badEntry(name, file.path, 'needs exactly one of "bytes" or "filePath"');
    seen.add(file.path);
  }
}

function badEntry(name: string, path: string, reason: string): WandbError {
  return new WandbError('WANDB_FILE', `Failed to log artifact "${name}": entry "${path}" ${reason}.`);
}

/** `[entity/][project/]name[:alias|:vN]`; a missing alias means `latest`, as `use_artifact` defaults. */
export function parseArtifactPath(spec: string): ArtifactPath {
  const parts = spec.split('/');
  if (parts.length > 3 || parts.some((p) => p === '')) {
    throw new WandbError('WANDB_ARTIFACT_NAME', `Failed to use artifact "${spec}": the name is not [entity/][project/]name[:alias]. Write it like "raw_df:latest" or "ent/proj/raw_df:v0".`);
  }
  const last = parts[parts.length - 1]!;
  const colon = last.indexOf(':');
  const name = colon < 0 ? last : last.slice(0, colon);
  const alias = colon < 0 ? LATEST_ALIAS : last.slice(colon + 1);
  if (name === '' || alias === '') {
    throw new WandbError('WANDB_ARTIFACT_NAME', `Failed to use artifact "${spec}": the name or the alias is empty. Write it like "raw_df:latest".`);
  }
  return {
    entity: parts.length === 3 ? parts[0] : undefined,
    project: parts.length >= 2 ? parts[parts.length - 2] : undefined,
    name,
    alias,
  };
}
