// Where a scenario's snapshot lives: `snapshots/` mirroring `scenarios/` (DESIGN §4.2). Shared by the CLI's
// `run`, the programmatic API and the vitest suites, so all three read and write the same files.

import { existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { Scenario } from '../scenario/index.ts';

/**
 * The scenarios root of a file: its nearest ancestor directory named `scenarios`, else the directory the user
 * named (or the file's own directory). Snapshots mirror it under the sibling `snapshots/`.
 */
export function scenariosRoot(file: string, given: readonly string[]): string {
  const abs = resolve(file);
  const parts = abs.split(sep);
  const k = parts.lastIndexOf('scenarios', parts.length - 2);
  if (k > 0) return parts.slice(0, k + 1).join(sep);
  const dir = given.map((g) => resolve(g)).find((g) => existsSync(g) && statSync(g).isDirectory() && abs.startsWith(g + sep));
  return dir ?? dirname(abs);
}

export function snapshotsDirFor(root: string): string {
  return join(dirname(root), basename(root) === 'scenarios' ? 'snapshots' : `${basename(root)}.snapshots`);
}

/** `dir/file.yaml` -> `dir/file.json`; a matrix combination -> `dir/file/<combination>.json`. */
export function snapshotKey(s: Scenario, root: string): string {
  const rel = relative(root, resolve(s.file)).split(sep).join('/');
  const stem = rel.slice(0, rel.length - extname(rel).length);
  return s.combination ? `${stem}/${s.snapshotKey}.json` : `${stem}.json`;
}
