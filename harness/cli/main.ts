// argv -> the harness. The only place that prints or decides exit codes (DESIGN §4.4: 0 ok, 1 failed, 2 bad input).
// Each command is a module of its own that registers itself here.
//
// Only the command being run is loaded: a process pays for what its command needs (the cassette schema, the
// HTML reporter's Graphviz, msw, ...) and nothing else. In the package's CLI bundle (scripts/build.mjs) the
// commands are lazily initialised modules of one file started from V8's code cache: `validate` and `plan` take
// ~1.7x / ~2.6x of `node -e 0` (npm run bench).
// Help, a version flag or an unknown command load them all, so the listing and commander's suggestions stay whole.

import { Command, CommanderError } from 'commander';
import type { CliContext, RegisterCommand } from './context.ts';
import { CliError } from './errors.ts';

const COMMANDS: Record<string, () => Promise<RegisterCommand>> = {
  serve: async () => (await import('./serve.ts')).registerServe,
  record: async () => (await import('./record.ts')).registerRecord,
  replay: async () => (await import('./replay.ts')).registerReplay,
  inspect: async () => (await import('./inspect.ts')).registerInspect,
  validate: async () => (await import('./validate.ts')).registerValidate,
  run: async () => (await import('./run.ts')).registerRun,
  plan: async () => (await import('./plan.ts')).registerPlan,
  diff: async () => (await import('./diff.ts')).registerDiff,
  import: async () => (await import('./import.ts')).registerImport,
};

// What `tracked-flows --help` says after the commands: what no single command's help can (docs/reference/cli.md).
const TRAILER = `
Exit codes:
  0  success
  1  a snapshot differs, a scenario failed, diff found a difference, or a replay missed
  2  invalid input or usage (every problem at path:line:col; nothing is run or written)

Environment:
  CI                            set: snapshot update mode defaults to none (else new)
  TRACKED_FLOWS_FROM            dist: a checkout runs the build in dist/; src: the sources (default: src in a
                                checkout, the bundle when installed)
  TRACKED_FLOWS_CACHE_DIR       where the CLI keeps its V8 code cache under another Node version (default:
                                $XDG_CACHE_HOME/tracked-flows, else ~/.cache/tracked-flows)
  TRACKED_FLOWS_GRAPHQL_ENGINE  graphql-js: never compile documents; jit: compile every document at once
                                (default: compile a document after 32 runs)

Docs: docs/ in the repository; docs/reference/cli.md has every command and flag.`;

/** The registrations argv needs: its command's alone when it names one, else all (in the listing's order). */
function registrationsFor(argv: readonly string[]): Promise<RegisterCommand[]> {
  const name = argv[0];
  const wanted = name !== undefined && Object.hasOwn(COMMANDS, name) ? [name] : Object.keys(COMMANDS);
  return Promise.all(wanted.map((n) => COMMANDS[n]!()));
}

/** Metaflow spells `--config NAME FILE` and `--config-value NAME JSON` with two values; commander takes one. */
function joinTwoValueOptions(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if ((a === '--config' || a === '--config-value') && i + 2 < argv.length && !argv[i + 1]!.includes('=')) {
      out.push(a, `${argv[i + 1]}=${argv[i + 2] ?? ''}`);
      i += 2;
    } else out.push(a);
  }
  return out;
}

export async function main(argv: string[], io: Pick<CliContext, 'out' | 'err'> = { out: (s) => console.log(s), err: (s) => console.error(s) }): Promise<number> {
  let code = 0;
  const ctx: CliContext = { ...io, exit: (c) => (code = c) };
  const program = new Command('tracked-flows')
    .description('Offline testing and replay harness for Metaflow flows tracked with Weights & Biases')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .addHelpText('after', TRAILER);
  for (const register of await registrationsFor(argv)) register(program, ctx);

  try {
    await program.parseAsync(joinTwoValueOptions(argv), { from: 'user' });
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
