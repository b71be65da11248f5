// Runs one child.ts measurement in a fresh process and returns its JSON line.
import { execFileSync } from 'node:child_process';

const CHILD = new URL('./child.ts', import.meta.url).pathname;

export function child(args: string[]): Record<string, number> & { times?: number[] } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', CHILD, ...args], { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}
