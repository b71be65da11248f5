import { CassetteError, embeddedUpstream, Recorder, runCommand, startRecordingProxy, urlUpstream, writeCassette } from '../cassette/index.ts';
import { Option } from 'commander';
import type { RegisterCommand } from './context.ts';
import { CliError } from './errors.ts';

export interface RecordOptions { out: string; upstream?: string; redact: string[]; host: string; port: string }

/**
 * `tracked-flows record --out FILE [--upstream URL] -- COMMAND..`: COMMAND runs with WANDB_BASE_URL pointing at a
 * recording proxy; when it exits, the (redacted) cassette is written atomically and COMMAND's exit code is ours.
 * Without --upstream the proxy talks to an embedded mock backend.
 */
export async function record(command: string[], options: RecordOptions, err: (line: string) => void): Promise<number> {
  if (command.length === 0) throw new CliError('NO_COMMAND', 'Failed to record: no command was given. Usage: tracked-flows record --out FILE -- COMMAND..');
  const redact = parsePatterns(options.redact, 'record');
  const port = parsePort(options.port, 'record');
  if (options.upstream !== undefined && !/^https?:\/\/[^/]/.test(options.upstream)) {
    throw new CliError('BAD_UPSTREAM', `Failed to record: --upstream must be an http(s) URL, got "${options.upstream}".`);
  }
  return asCliErrors(async () => {
    const upstream = options.upstream ? urlUpstream(options.upstream) : await embeddedUpstream();
    const secrets = [process.env.WANDB_API_KEY].filter((s): s is string => !!s);
    const recorder = new Recorder({ upstream: upstream.label, redact, secrets });
    const proxy = await startRecordingProxy({ upstream, recorder, host: options.host, port });
    err(`record: proxy ${proxy.url} -> ${upstream.label === 'embedded' ? `embedded backend (${upstream.base.origin})` : upstream.label}`);
    let code: number;
    try {
      code = await runCommand(command, { WANDB_BASE_URL: proxy.url });
    } finally {
      await proxy.close();
      await upstream.close();
    }
    writeCassette(options.out, recorder.toCassette());
    err(`record: wrote ${recorder.size} interactions to ${options.out}`);
    return code;
  });
}

const collect = (value: string, previous: string[]) => [...previous, value];

export const registerRecord: RegisterCommand = (program, ctx) => {
  program
    .command('record')
    .description('run COMMAND against a recording proxy and write a cassette (secrets redacted)')
    .requiredOption('--out <file>', 'cassette to write (required)')
    .option('--upstream <url>', 'server to record (default: an embedded mock backend)')
    .addOption(new Option('--redact <regex>', 'also redact matches of this pattern (repeatable)').argParser(collect).default([], 'none'))
    .option('--host <host>', 'address of the proxy', '127.0.0.1')
    .option('--port <port>', 'port of the proxy (0 picks a free one)', '0')
    .argument('[command...]', 'the command to run, after --')
    .action(async (command: string[], opts: RecordOptions) => ctx.exit(await record(command, opts, ctx.err)));
};

/** Bad cassettes, captures and commands are input problems: reported as they are, with exit 2. */
export async function asCliErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof CassetteError) throw new CliError(err.code, err.message);
    throw err;
  }
}

export function parsePatterns(patterns: string[], command: string): RegExp[] {
  return patterns.map((p) => {
    try {
      return new RegExp(p, 'g');
    } catch (err) {
      throw new CliError('BAD_PATTERN', `Failed to ${command}: --redact "${p}" is not a regular expression (${(err as Error).message}).`);
    }
  });
}

export function parsePort(value: string, command: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError('BAD_PORT', `Failed to ${command}: --port must be an integer 0-65535, got "${value}".`);
  return port;
}
