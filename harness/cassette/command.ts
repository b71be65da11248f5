// Running the user's COMMAND for `record` and `replay`, with WANDB_BASE_URL pointing at our server. Its exit
// code is the caller's to pass through; a command killed by a signal reports 128 + the signal number, as a
// shell does.
//
// The command runs in its own process group, so that `replay` can stop all of it (the SDK's service process
// included) after a miss: `stop()` signals the group, then kills it if it is still there after `killAfterMs`.

import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { CassetteError } from './errors.ts';

export interface RunningCommand {
  /** The exit code (128 + signal number when killed). */
  exited: Promise<number>;
  /** SIGTERM to the whole process group, SIGKILL after `killAfterMs` if it has not exited. */
  stop(killAfterMs?: number): void;
}

export function startCommand(argv: string[], env: Record<string, string>): RunningCommand {
  const [file, ...args] = argv;
  if (!file) throw new CassetteError('NO_COMMAND', 'Failed to run the command: none was given. Put it after `--`.');
  const child = spawn(file, args, { stdio: 'inherit', env: { ...process.env, ...env }, detached: process.platform !== 'win32' });
  let done = false;
  const signalGroup = (signal: NodeJS.Signals) => {
    if (done || child.pid === undefined) return;
    try {
      if (process.platform === 'win32') child.kill(signal);
      else process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  // Forward Ctrl-C / termination so the command can finish (and we can still write what was recorded): it is
  // in its own group, so the terminal's signal does not reach it by itself.
  const relay = (signal: NodeJS.Signals) => signalGroup(signal);
  process.on('SIGINT', relay);
  process.on('SIGTERM', relay);
  const exited = new Promise<number>((resolve, reject) => {
    const finish = () => {
      done = true;
      process.off('SIGINT', relay);
      process.off('SIGTERM', relay);
    };
    child.once('error', (err) => {
      finish();
      reject(new CassetteError('COMMAND_FAILED', `Failed to run "${file}": ${(err as NodeJS.ErrnoException).code ?? err.message}. Check the command after \`--\`.`, { cause: err }));
    });
    child.once('exit', (code, signal) => {
      finish();
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
  return {
    exited,
    stop: (killAfterMs = 2000) => {
      signalGroup('SIGTERM');
      setTimeout(() => signalGroup('SIGKILL'), killAfterMs).unref();
    },
  };
}

export function runCommand(argv: string[], env: Record<string, string>): Promise<number> {
  try {
    return startCommand(argv, env).exited;
  } catch (err) {
    return Promise.reject(err);
  }
}
