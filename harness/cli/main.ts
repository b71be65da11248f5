// argv -> the harness. The only place that prints or decides exit codes (DESIGN §4.4: 0 ok, 1 failed, 2 bad input).

import { Command, CommanderError } from 'commander';
import { CliError } from './errors.ts';
import { serve } from './serve.ts';

export async function main(argv: string[], io = { out: (s: string) => console.log(s), err: (s: string) => console.error(s) }): Promise<number> {
  let result = 0;
  const program = new Command('tracked-flows')
    .description('Offline testing and replay harness for Metaflow flows tracked with Weights & Biases')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  program
    .command('serve')
    .description('serve the mock W&B backend on a real port (point WANDB_BASE_URL at it)')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', '8080')
    .option('--api-key <key>', 'require this API key (Basic api:<key>) on GraphQL and file_stream')
    .option('--max-body-bytes <n>', 'largest accepted request body')
    .action(async (opts) => {
      result = await serve(opts, io.out);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return result;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliError) {
      io.err(err.message);
      return err.exitCode;
    }
    throw err;
  }
}
