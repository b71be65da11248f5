// Running the user's COMMAND for `record` and `replay`, with WANDB_BASE_URL pointing at our server. Its exit
// code is the caller's to pass through; a command killed by a signal reports 128 + the signal number, as a
// shell does.

import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { CassetteError } from './errors.ts';

export function runCommand(argv: string[], env: Record<string, string>): Promise<number> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new CassetteError('NO_COMMAND', 'Failed to run the command: none was given. Put it after `--`.'));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: 'inherit', env: { ...process.env, ...env } });
    // Forward Ctrl-C / termination so the child can finish (and we can still write what was recorded).
    const relay = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', relay);
    process.on('SIGTERM', relay);
    const done = () => {
      process.off('SIGINT', relay);
      process.off('SIGTERM', relay);
    };
    child.once('error', (err) => {
      done();
      reject(new CassetteError('COMMAND_FAILED', `Failed to run "${file}": ${(err as NodeJS.ErrnoException).code ?? err.message}. Check the command after \`--\`.`, { cause: err }));
    });
    child.once('exit', (code, signal) => {
      done();
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
