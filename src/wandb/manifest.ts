// The artifact manifest as wandb-core writes it (reference §5.2): Go's json.Marshal of its Manifest struct,
// fields in declaration order, contents keys in byte order. We never write `local_path` (it is an absolute
// staging path: volatile and a leak of the local file system), and always write `skip_cache: false`, which the
// Go writer emits for every entry.
import { STORAGE_LAYOUT, STORAGE_POLICY, UNKNOWN_BYTES_EXTRA } from '../protocol/index.ts';
import { compareUtf8, encodeJson } from './json.ts';

export interface ManifestFileEntry {
  path: string;
  digest: string;
  size: number;
  birthArtifactID?: string | undefined;
  /** A plan's placeholder bytes: written as the entry's `extra` (UNKNOWN_BYTES_EXTRA). */
  unknown?: string | undefined;
}

export function manifestJson(entries: readonly ManifestFileEntry[]): string {
  // Built by hand rather than through an object: JS enumerates integer-like keys ("1", "10") first, which
  // would break the byte order of `contents`.
  const sorted = [...entries].sort((a, b) => compareUtf8(a.path, b.path));
  const contents = sorted.map((entry) => {
    const fields: Record<string, unknown> = { digest: entry.digest, size: entry.size };
    if (entry.birthArtifactID !== undefined) fields.birthArtifactID = entry.birthArtifactID;
    if (entry.unknown !== undefined) fields.extra = { [UNKNOWN_BYTES_EXTRA]: entry.unknown };
    fields.skip_cache = false;
    return encodeJson(entry.path) + ':' + encodeJson(fields);
  });
  const head = encodeJson({ version: 1, storagePolicy: STORAGE_POLICY, storagePolicyConfig: { storageLayout: STORAGE_LAYOUT } });
  return head.slice(0, -1) + ',"contents":{' + contents.join(',') + '}}';
}
