import { embeddedUpstream, isCapture, loadSession, Player, Recorder, REPLAY_MODES, runCommand, startLocalServer, urlUpstream, writeCassette, type ReplayMode, type Upstream } from '../cassette/index.ts';
import type { RegisterCommand } from './context.ts';
import { CliError } from './errors.ts';
import { asCliErrors, parsePort } from './record.ts';

export interface ReplayOptions { host: string; port: string; mode: string; upstream?: string; maskDigests?: boolean }

/**
 * `tracked-flows replay CASSETTE [--port P] [--mode lockdown|record-missing] [-- COMMAND..]`: serves the
 * cassette. The first stdout line is `listening on http://HOST:PORT`. In lockdown a request nothing matches
 * gets a 500 and one line on stderr naming it and the nearest recorded requests; the run then fails (exit 1,
 * or COMMAND's own non-zero code). In record-missing, misses go to the upstream and are appended to the cassette.
 */
export async function replay(file: string, command: string[], options: ReplayOptions, out: (l: string) => void, err: (l: string) => void): Promise<number> {
  if (!REPLAY_MODES.includes(options.mode as ReplayMode)) {
    throw new CliError('BAD_MODE', `Failed to replay "${file}": --mode must be one of ${REPLAY_MODES.join(', ')}, got "${options.mode}".`);
  }
  const mode = options.mode as ReplayMode;
  const port = parsePort(options.port, 'replay');
  return asCliErrors(async () => {
    const cassette = await loadSession(file);
    let upstream: Upstream | undefined;
    let recorder: Recorder | undefined;
    if (mode === 'record-missing') {
      if (isCapture(file)) throw new CliError('BAD_MODE', `Failed to replay "${file}": a capture cannot be appended to. Convert it first, or use --mode lockdown.`);
      upstream = options.upstream ? urlUpstream(options.upstream) : await embeddedUpstream();
      recorder = new Recorder({ upstream: cassette.meta.upstream, secrets: [process.env.WANDB_API_KEY ?? ''] }, cassette);
    }
    const player = new Player(cassette, { mode, upstream, recorder, maskDigests: options.maskDigests, onMiss: (m) => err(m.message) });
    const server = await startLocalServer((r) => player.handle(r), { host: options.host, port });
    out(`listening on ${server.url}`);
    let code = 0;
    try {
      if (command.length > 0) code = await runCommand(command, { WANDB_BASE_URL: server.url });
      else await untilSignal();
    } finally {
      await server.close();
      await upstream?.close();
    }
    if (recorder && player.appended > 0) {
      writeCassette(file, recorder.toCassette());
      err(`replay: appended ${player.appended} interactions to ${file}`);
    }
    if (code === 0 && player.misses.length > 0) code = 1;
    return code;
  });
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const registerReplay: RegisterCommand = (program, ctx) => {
  program
    .command('replay')
    .description('serve a cassette (or a capture) offline, optionally around COMMAND')
    .argument('<cassette>', 'cassette JSON, or a capture JSONL')
    .argument('[command...]', 'a command to run against it, after --')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', '0')
    .option('--mode <mode>', 'lockdown (a miss is an error) or record-missing (misses go upstream and are appended)', 'lockdown')
    .option('--upstream <url>', 'record-missing: the server misses go to (default: an embedded mock backend)')
    .option('--mask-digests', 'ignore digest/md5 values when matching')
    .action(async (file: string, command: string[], opts: ReplayOptions) => ctx.exit(await replay(file, command, opts, ctx.out, ctx.err)));
};
