// The real SDK kit for the replay tests: its environment (built when missing, as ../shared/realsdk/README.md
// says), and `record` / `replay` of a Metaflow flow run through the real CLI, each in a folder of its own.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { BIN } from '../../helpers/serve-process.ts';

export const ROOT = resolve(new URL('../../../', import.meta.url).pathname);

/** The kit's folder: REALSDK_DIR, else `.realsdk` in the checkout, built by the shared setup script when missing. */
export function kitEnv(): Record<string, string> {
  const dir = process.env.REALSDK_DIR ?? join(ROOT, '.realsdk');
  if (!existsSync(join(dir, 'env.sh'))) {
    const setup = process.env.REALSDK_SETUP ?? join(ROOT, '../shared/realsdk/setup.sh');
    if (!existsSync(setup)) throw new Error(`Failed to find the real SDK kit: neither ${dir}/env.sh nor ${setup} exists. Set REALSDK_DIR to a built kit.`);
    execFileSync('bash', [setup, dir], { cwd: ROOT, stdio: 'inherit' });
  }
  const out = execFileSync('bash', ['-c', `. "${join(dir, 'env.sh')}" && env -0`], { encoding: 'utf8' });
  return Object.fromEntries(out.split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

export interface FlowRun { code: number | null; stderr: string; stdout: string; ms: number }

/** A fresh folder holding the flow file (and its data files): another checkout, as CI would have. */
export function folderWith(files: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'tf-real-replay-'));
  for (const f of files) copyFileSync(f, join(dir, basename(f)));
  return dir;
}

export function cli(args: string[], cwd: string, env: Record<string, string>): Promise<FlowRun> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - t0 }));
  });
}

/** `replay: N matched, M missed, ...` of a replay's stderr. */
export function replaySummary(r: FlowRun): { matched: number; missed: number; line: string } {
  const line = r.stderr.split('\n').find((l) => /^replay: \d+ matched, \d+ missed/.test(l)) ?? '';
  const m = /^replay: (\d+) matched, (\d+) missed/.exec(line);
  return { matched: m ? Number(m[1]) : -1, missed: m ? Number(m[2]) : -1, line };
}

/** The first misses a replay printed, for a failure message. */
export const missLines = (r: FlowRun): string[] => r.stderr.split('\n').filter((l) => l.startsWith('replay: no recorded interaction matches')).slice(0, 3);
