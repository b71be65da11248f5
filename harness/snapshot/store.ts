// Where snapshots live, apart from how they are compared (vitest's snapshot state / environment split):
// the file system for the CLI, memory for tests. Writes are atomic: temp file + rename, never half-written.

import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export interface SnapshotStore {
  read(key: string): string | null;
  write(key: string, content: string): void;
  /** Every stored key (for obsolete detection). */
  keys(): string[];
  /** Where a key is stored, for messages. */
  where(key: string): string;
}

export class FsSnapshotStore implements SnapshotStore {
  constructor(readonly root: string) {}

  where(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  read(key: string): string | null {
    try {
      return readFileSync(this.where(key), 'utf8');
    } catch {
      return null;
    }
  }

  write(key: string, content: string): void {
    const file = this.where(key);
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, content);
      renameSync(tmp, file);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  }

  keys(): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        return;
      }
      for (const name of names.sort()) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.json')) out.push(relative(this.root, path).split(sep).join('/'));
      }
    };
    walk(this.root);
    return out;
  }
}

export class MemorySnapshotStore implements SnapshotStore {
  readonly files = new Map<string, string>();
  writes = 0;
  where(key: string): string {
    return `memory:${key}`;
  }
  read(key: string): string | null {
    return this.files.get(key) ?? null;
  }
  write(key: string, content: string): void {
    this.writes += 1;
    this.files.set(key, content);
  }
  keys(): string[] {
    return [...this.files.keys()].sort();
  }
}
