/**
 * What a `pathlib.Path` value points at. The integration logs a Path as the file itself, the files of a
 * directory (recursively, under names relative to it), or nothing when it is missing. Paths in scenarios may be
 * virtual (inline files) or real, so file access goes through this small interface; `node-files.ts` is the
 * real-disk implementation.
 */
import { ValuesError } from './errors.ts';
import type { PyPath, PyValue } from './model.ts';
import { py } from './model.ts';

export type FileKind = 'file' | 'dir' | 'missing';

export interface FileSource {
  kind(path: string): FileKind;
  read(path: string): Uint8Array;
  /** Names of the immediate entries of a directory. */
  list(dir: string): string[];
}

function normalise(p: string): string {
  const abs = p.startsWith('/');
  const segs = p.split('/').filter((s) => s !== '' && s !== '.');
  return (abs ? '/' : '') + segs.join('/');
}

function join(dir: string, name: string): string {
  return dir === '' ? name : dir === '/' ? `/${name}` : `${dir}/${name}`;
}

/** Files held in memory, keyed by path; directories exist implicitly. */
export class VirtualFiles implements FileSource {
  private readonly files = new Map<string, Uint8Array>();

  constructor(files: Record<string, string | Uint8Array> = {}) {
    for (const [p, content] of Object.entries(files)) {
      this.files.set(normalise(p), typeof content === 'string' ? new TextEncoder().encode(content) : content);
    }
  }

  kind(path: string): FileKind {
    const p = normalise(path);
    if (this.files.has(p)) return 'file';
    const prefix = p === '' ? '' : `${p}/`;
    for (const k of this.files.keys()) if (k.startsWith(prefix)) return 'dir';
    return 'missing';
  }

  read(path: string): Uint8Array {
    const data = this.files.get(normalise(path));
    if (data === undefined) {
      throw new ValuesError('file-access', `Failed to read "${path}": no such file in the virtual files. Declare it under files: in the scenario.`);
    }
    return data;
  }

  list(dir: string): string[] {
    const p = normalise(dir);
    const prefix = p === '' ? '' : `${p}/`;
    const names = new Set<string>();
    for (const k of this.files.keys()) {
      if (k.startsWith(prefix)) names.add(k.slice(prefix.length).split('/')[0]!);
    }
    return [...names];
  }
}

/** `!Path {files: {name: content}}`: a directory named `dirName` holding those files. */
export function inlineDirPath(dirName: string, files: Record<string, string | Uint8Array>): PyPath {
  const entries: Record<string, string | Uint8Array> = {};
  for (const [name, content] of Object.entries(files)) entries[join(normalise(dirName), name)] = content;
  return py.path(dirName, new VirtualFiles(entries));
}

/** `!Path {missing: name}`: a path where nothing exists. */
export function missingPath(name: string): PyPath {
  return py.path(name, new VirtualFiles());
}

export interface PathEntry {
  /** Artifact entry name: the basename for a file, the path relative to the directory for a dir. */
  readonly name: string;
  readonly data: Uint8Array;
  /** The data is a placeholder for bytes that cannot be predicted (an unknown value): says what is unknown. */
  readonly unknown?: string;
  /** Set when the bytes are not those the real run writes (an estimator's fitted state, ...): why, one line each. */
  readonly notPredicted?: readonly string[];
}

/**
 * What `wandb_track` adds for a Path: `add_file` (entry = basename), `add_dir` (entries relative to it,
 * recursive), or nothing for a missing path (an empty artifact is still logged). Sorted by name, the order of
 * W&B's manifest.
 */
export function pathEntries(value: PyValue): PathEntry[] {
  if (value.kind !== 'path') {
    throw new ValuesError('invalid-value', `Failed to list files of "${value.type.name}": it is not a path. Pass a Path value.`);
  }
  const files = value.files;
  if (files === undefined) {
    throw new ValuesError('file-access', `Failed to list files of "${value.path}": the value has no file source. Build it with a FileSource (inline files, missingPath, or node files).`);
  }
  const kind = files.kind(value.path);
  if (kind === 'missing') return [];
  if (kind === 'file') {
    const base = normalise(value.path).split('/').pop()!;
    return [{ name: base, data: files.read(value.path) }];
  }
  const out: PathEntry[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const name of files.list(dir)) {
      const full = join(dir, name);
      const relName = rel === '' ? name : `${rel}/${name}`;
      const k = files.kind(full);
      if (k === 'file') out.push({ name: relName, data: files.read(full) });
      else if (k === 'dir') walk(full, relName);
    }
  };
  walk(normalise(value.path), '');
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
