// A scratch copy of the project for one page's shell examples: what they read is linked (sources, node_modules,
// test fixtures), what they may write is copied (scenarios/, snapshots/), so an example can create, run and
// update files without touching the checkout. `npx tracked-flows` and `tracked-flows` run the checkout's bin
// through a shim on PATH: the examples test the CLI, not npx's resolution of a checkout's own bin (the
// fresh-clone check and test/e2e/package.test.ts cover that), and npx would add ~0.5 s per call.

import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const LINKED = ['node_modules', 'src', 'harness', 'bin', 'test', 'package.json', 'package-lock.json', 'tsconfig.json', 'vitest.config.ts'];
const COPIED = ['scenarios', 'snapshots'];

export interface Scratch {
  dir: string;
  write(name: string, text: string): string;
  sh(script: string, timeoutMs?: number): { code: number | null; stdout: string; stderr: string };
  remove(): void;
}

export function scratchProject(root: string): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'tf-doc-'));
  for (const name of LINKED) symlinkSync(join(root, name), join(dir, name));
  for (const name of COPIED) cpSync(join(root, name), join(dir, name), { recursive: true });
  const shims = join(dir, '.doc-bin');
  mkdirSync(shims);
  const cli = `node "${join(root, 'bin/tracked-flows.cjs')}"`;
  const realNpx = spawnSync('sh', ['-c', 'command -v npx'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(join(shims, 'npx'), `#!/bin/sh\nif [ "$1" = tracked-flows ]; then shift; exec ${cli} "$@"; fi\nexec "${realNpx}" "$@"\n`);
  writeFileSync(join(shims, 'tracked-flows'), `#!/bin/sh\nexec ${cli} "$@"\n`);
  chmodSync(join(shims, 'npx'), 0o755);
  chmodSync(join(shims, 'tracked-flows'), 0o755);
  // A user's local shell: no CI (snapshots of new scenarios are written), nothing of the vitest run around us.
  const env: NodeJS.ProcessEnv = { PATH: `${shims}:${process.env.PATH}`, HOME: process.env.HOME, TMPDIR: tmpdir(), LANG: 'C.UTF-8' };
  return {
    dir,
    write(name, text) {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text.endsWith('\n') ? text : `${text}\n`);
      return path;
    },
    sh(script, timeoutMs = 60_000) {
      const r = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd: dir, env, encoding: 'utf8', timeout: timeoutMs });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr + (r.error ? String(r.error) : '') };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
