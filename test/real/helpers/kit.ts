// The real-SDK kit (../shared/realsdk, built into .realsdk/ at the repo root): its environment, and the
// commands a user types — `python3 flow.py run`, `tracked-flows serve|record|replay` — spawned as processes.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const KIT = join(ROOT, '.realsdk');
export const BIN = join(ROOT, 'bin/tracked-flows.cjs');

/** Builds the kit when it is missing (REALSDK_REBUILD=1: always). setup.sh needs root for apt-get, as on CI. */
export function ensureKit(): void {
  if (existsSync(join(KIT, 'env.sh')) && !process.env['REALSDK_REBUILD']) return;
  const setup = join(ROOT, '../shared/realsdk/setup.sh');
  if (!existsSync(setup)) throw new Error(`Failed to build the real-SDK kit: ${setup} is missing. Lay the repo out with ../shared beside it, as CI does.`);
  const r = spawnSync('bash', [setup, '.realsdk'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`Failed to build the real-SDK kit: setup.sh exited ${r.status}. Its output is above.`);
}

let cached: Record<string, string> | undefined;

/** The process environment with the kit's env.sh sourced (PATH to Debian's python3, PYTHONPATH, WANDB_* ...). */
export function kitEnv(): Record<string, string> {
  if (cached) return cached;
  const r = spawnSync('bash', ['-c', `. "${join(KIT, 'env.sh')}" && env -0`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`Failed to source ${KIT}/env.sh: ${r.stderr}`);
  cached = Object.fromEntries(r.stdout.split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  return cached;
}

export interface Exit { code: number | null; output: string; ms: number }

/**
 * Jobs at once (REAL_CONCURRENCY, default 2: CI's cores), a job being a serve and the real Python run against it.
 * Tests run concurrently and queue here, first come first served; a test holds a slot only while its job runs,
 * never while it waits for another test's job. Never nest: a job that takes a slot inside a slot can deadlock.
 */
const slots = { free: Math.max(1, Number(process.env['REAL_CONCURRENCY'] ?? 2)), waiting: [] as (() => void)[] };

export async function inSlot<T>(work: () => Promise<T>): Promise<T> {
  if (slots.free > 0) slots.free--;
  else await new Promise<void>((resolve) => slots.waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = slots.waiting.shift();
    if (next) next();
    else slots.free++;
  }
}

/** Runs a command to its end, stdout and stderr interleaved into `output` (printed when a test fails). */
export function runCommand(argv: string[], options: { cwd: string; env: Record<string, string> }): Promise<Exit> {
  const started = Date.now();
  const child = spawn(argv[0]!, argv.slice(1), { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output, ms: Date.now() - started }));
  });
}

export interface RunFlowOptions {
  /** Working folder: the flow's data files are read relative to it, Metaflow's .metaflow/ is written there. */
  cwd: string;
  /** `--max-workers N`; omitted: Metaflow's default parallelism (16). */
  maxWorkers?: number;
  /** Added to the kit's environment (WANDB_BASE_URL, FIXED_RUN_ID, WANDB_ENTITY ...). */
  env?: Record<string, string>;
  /** After `run` (e.g. `--raw_data wine.csv`). */
  args?: string[];
  /** A tracked-flows command the flow runs under, e.g. `['record', '--out', C]`: `tracked-flows ...via -- python3 ...`. */
  via?: string[];
}

/** `python3 FILE --no-pylint run [--max-workers N] ARGS`, as a user runs a flow, optionally under `tracked-flows`. */
export function runFlow(file: string, o: RunFlowOptions): Promise<Exit> {
  const python = ['python3', file, '--no-pylint', 'run', ...(o.maxWorkers !== undefined ? ['--max-workers', String(o.maxWorkers)] : []), ...(o.args ?? [])];
  const argv = o.via ? [process.execPath, BIN, ...o.via, '--', ...python] : python;
  return runCommand(argv, { cwd: o.cwd, env: { ...kitEnv(), ...o.env } });
}
