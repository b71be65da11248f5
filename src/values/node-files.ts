/** Real-disk `FileSource`: paths are resolved against `baseDir` (a scenario file's directory). */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FileKind, FileSource } from './files.ts';
import { ValuesError } from './errors.ts';

export class NodeFiles implements FileSource {
  constructor(private readonly baseDir: string) {}

  kind(path: string): FileKind {
    try {
      const s = statSync(resolve(this.baseDir, path));
      return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'missing';
    } catch {
      return 'missing';
    }
  }

  read(path: string): Uint8Array {
    try {
      return new Uint8Array(readFileSync(resolve(this.baseDir, path)));
    } catch (cause) {
      throw new ValuesError('file-access', `Failed to read "${path}": ${(cause as Error).message}. Check that the file exists and is readable.`, { cause });
    }
  }

  list(dir: string): string[] {
    return readdirSync(resolve(this.baseDir, dir));
  }
}
