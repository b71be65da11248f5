// argv -> the harness. The only place that prints or decides exit codes (DESIGN §4.4: 0 ok, 1 failed, 2 bad input).
// Each command is a module of its own that registers itself here.

import { Command, CommanderError } from 'commander';
import type { CliContext, RegisterCommand } from './context.ts';
import { CliError } from './errors.ts';
import { registerServe } from './serve.ts';
import { registerRecord } from './record.ts';
import { registerReplay } from './replay.ts';
import { registerInspect } from './inspect.ts';
import { registerValidate } from './validate.ts';
import { registerRun } from './run.ts';
import { registerPlan } from './plan.ts';
import { registerDiff } from './diff.ts';
import { registerImport } from './import.ts';

const COMMANDS: RegisterCommand[] = [registerServe];
COMMANDS.push(registerRecord, registerReplay, registerInspect);
COMMANDS.push(registerValidate);
COMMANDS.push(registerRun, registerPlan, registerDiff);
COMMANDS.push(registerImport);

export async function main(argv: string[], io: Pick<CliContext, 'out' | 'err'> = { out: (s) => console.log(s), err: (s) => console.error(s) }): Promise<number> {
  let code = 0;
  const ctx: CliContext = { ...io, exit: (c) => (code = c) };
  const program = new Command('tracked-flows')
    .description('Offline testing and replay harness for Metaflow flows tracked with Weights & Biases')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  for (const register of COMMANDS) register(program, ctx);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliError) {
      io.err(err.message);
      return err.exitCode;
    }
    throw err;
  }
}
