import { embeddedUpstream, isCapture, loadSession, Player, Recorder, REPLAY_MODES, startCommand, startLocalServer, urlUpstream, writeCassette, type Miss, type ReplayMode, type RunningCommand, type Upstream } from '../cassette/index.ts';
import type { RegisterCommand } from './context.ts';
import { CliError } from './errors.ts';
import { asCliErrors, parsePort } from './record.ts';

export interface ReplayOptions { host: string; port: string; mode: string; upstream?: string; strictContent?: boolean; missGrace: string }

/**
 * `tracked-flows replay CASSETTE [--port P] [--mode lockdown|record-missing] [--strict-content] [-- COMMAND..]`:
 * serves the cassette to another honest session of the same program. The first stdout line is
 * `listening on http://HOST:PORT`. In lockdown a request nothing matches is answered 400 (no SDK retries it)
 * and printed at once on stderr, naming it and the nearest recorded requests with the fields that differ;
 * COMMAND's process group is stopped `--miss-grace` ms later and the replay exits 1. A summary follows on
 * stderr: matched, missed, content differences (listed; fatal only with --strict-content), unused recorded
 * interactions, and COMMAND's exit code when it exited on its own (which is then ours, or 1 after a miss).
 * In record-missing, misses go to the upstream and are appended to the cassette.
 */
export async function replay(file: string, command: string[], options: ReplayOptions, out: (l: string) => void, err: (l: string) => void): Promise<number> {
  if (!REPLAY_MODES.includes(options.mode as ReplayMode)) {
    throw new CliError('BAD_MODE', `Failed to replay "${file}": --mode must be one of ${REPLAY_MODES.join(', ')}, got "${options.mode}".`);
  }
  const mode = options.mode as ReplayMode;
  const port = parsePort(options.port, 'replay');
  const grace = Number(options.missGrace);
  if (!Number.isInteger(grace) || grace < 0) throw new CliError('BAD_GRACE', `Failed to replay "${file}": --miss-grace must be a whole number of milliseconds, got "${options.missGrace}".`);
  return asCliErrors(async () => {
    const cassette = await loadSession(file);
    let upstream: Upstream | undefined;
    let recorder: Recorder | undefined;
    if (mode === 'record-missing') {
      if (isCapture(file)) throw new CliError('BAD_MODE', `Failed to replay "${file}": a capture cannot be appended to. Convert it first, or use --mode lockdown.`);
      upstream = options.upstream ? urlUpstream(options.upstream) : await embeddedUpstream();
      recorder = new Recorder({ upstream: cassette.meta.upstream, secrets: [process.env.WANDB_API_KEY ?? ''] }, cassette);
    }
    let running: RunningCommand | undefined;
    let exited = false;
    let stopping = false;
    let stoppedAfterMiss = false;
    const onMiss = (m: Miss) => {
      err(m.message);
      if (running && !stopping) {
        stopping = true;
        setTimeout(() => {
          if (exited) return;
          stoppedAfterMiss = true;
          running!.stop();
        }, grace).unref();
      }
    };
    const player = new Player(cassette, { mode, upstream, recorder, strictContent: options.strictContent, onMiss });
    const server = await startLocalServer((r) => player.handle(r), { host: options.host, port });
    out(`listening on ${server.url}`);
    let code: number | null = null;
    try {
      if (command.length > 0) {
        running = startCommand(command, { WANDB_BASE_URL: server.url });
        code = await running.exited;
        exited = true;
      } else await untilSignal();
    } finally {
      await server.close();
      await upstream?.close();
    }
    if (recorder && player.appended > 0) {
      writeCassette(file, recorder.toCassette());
      err(`replay: appended ${player.appended} interactions to ${file}`);
    }
    for (const line of summary(player, code, stoppedAfterMiss, grace)) err(line);
    if (player.misses.length > 0) return code !== null && code !== 0 && !stoppedAfterMiss ? code : 1;
    return code ?? 0;
  });
}

function summary(player: Player, code: number | null, stopped: boolean, grace: number): string[] {
  const n = player.contentDifferences.length;
  const command = code === null ? '' : stopped ? `; COMMAND stopped ${grace} ms after the first miss (exit ${code})` : `; COMMAND exited ${code}`;
  const unused = player.unused();
  const lines = [`replay: ${player.matched} matched, ${player.misses.length} missed, ${n} content difference(s), ${unused.length} recorded interaction(s) unused${command}`];
  if (unused.length > 0) lines.push(`replay: unused: ${unused.slice(0, 5).join(', ')}${unused.length > 5 ? `, +${unused.length - 5} more` : ''}`);
  for (const d of player.contentDifferences) lines.push(`replay: content differs (not fatal; --strict-content makes it a miss): #${d.index} ${d.label}: ${d.differences.join('; ')}`);
  if (player.misses.length > 0) lines.push(`replay: first miss: ${player.misses[0]!.message.replace(/^replay: /, '')}`);
  return lines;
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
    .option('--strict-content', 'artifact content (digests, md5s, file bytes) must match too; by default differences are listed, not fatal')
    .option('--miss-grace <ms>', 'lockdown: stop COMMAND this long after the first miss', '1000')
    .action(async (file: string, command: string[], opts: ReplayOptions) => ctx.exit(await replay(file, command, opts, ctx.out, ctx.err)));
};
