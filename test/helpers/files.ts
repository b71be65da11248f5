import { readdirSync } from 'node:fs';

/** Every regular file under `dir`, as paths relative to it (sorted). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => `${d.parentPath ?? d.path}/${d.name}`.slice(dir.length + 1))
    .sort();
}
