import { inspectCassette, loadSession } from '../cassette/index.ts';
import { serializeLog, type LogModel } from '../../src/index.ts';
import type { RegisterCommand } from './context.ts';
import { CliError } from './errors.ts';
import { asCliErrors } from './record.ts';

export interface InspectOptions { json?: boolean; apiKey?: string }

/**
 * `tracked-flows inspect CASSETTE|URL [--json]`: the log model of a recorded session (a cassette, or a capture
 * JSONL, fed through a fresh backend) or of a running `serve` (`GET URL/_harness/log`). Exit 1 when the backend
 * could not reproduce part of the session (the log is still printed).
 */
export async function inspect(source: string, options: InspectOptions, out: (l: string) => void, err: (l: string) => void): Promise<number> {
  return asCliErrors(async () => {
    let log: LogModel;
    let problems: string[] = [];
    if (/^https?:\/\//.test(source)) log = await fetchLog(source, options.apiKey);
    else ({ log, problems } = await inspectCassette(await loadSession(source)));
    if (options.json) out(serializeLog(log).trimEnd());
    else for (const line of describeLog(log)) out(line);
    for (const p of problems) err(`inspect: ${p}`);
    return problems.length > 0 ? 1 : 0;
  });
}

async function fetchLog(base: string, apiKey?: string): Promise<LogModel> {
  const url = `${base.replace(/\/+$/, '')}/_harness/log`;
  let res: Response;
  try {
    res = await fetch(url, { headers: apiKey ? { authorization: `Basic ${Buffer.from(`api:${apiKey}`).toString('base64')}` } : {} });
  } catch (e) {
    throw new CliError('UNREACHABLE', `Failed to inspect "${base}": ${(e as Error).message}. Is \`tracked-flows serve\` running there?`);
  }
  if (!res.ok) throw new CliError('HTTP_ERROR', `Failed to inspect "${base}": GET ${url} answered ${res.status}. ${res.status === 401 ? 'Pass --api-key.' : 'Is this a tracked-flows server?'}`);
  return (await res.json()) as LogModel;
}

const j = (v: unknown) => JSON.stringify(v);

export function describeLog(log: LogModel): string[] {
  const lines = [`runs: ${log.runs.length}`];
  for (const r of log.runs) {
    lines.push(`  ${r.ref} ${r.entity}/${r.project}/${r.id} ${r.state}${r.exit_code === null ? '' : ` (exit ${r.exit_code})`} group=${r.group ?? '-'} job_type=${r.job_type ?? '-'}`);
    lines.push(`    config ${j(r.config)} summary ${j(r.summary)} history ${r.history.length} row(s)`);
    lines.push(`    logged [${r.logged_artifacts.join(', ')}] used [${r.used_artifacts.join(', ')}]`);
  }
  lines.push(`artifacts: ${log.artifacts.length}`);
  for (const a of log.artifacts) {
    lines.push(`  ${a.name}:${a.version} ${a.type} aliases [${a.aliases.join(', ')}] files [${a.files.map((f) => f.path).join(', ')}] created_by ${a.created_by ?? '-'} used_by [${a.used_by.join(', ')}]`);
  }
  lines.push(`unsupported: ${log.unsupported.length === 0 ? 'none' : log.unsupported.join(', ')}`);
  return lines;
}

export const registerInspect: RegisterCommand = (program, ctx) => {
  program
    .command('inspect')
    .description('print the log model of a cassette, a capture, or a running serve')
    .argument('<source>', 'cassette JSON, capture JSONL, or http(s) URL of `tracked-flows serve`')
    .option('--json', 'print the log model as JSON (stable, sorted keys)')
    .option('--api-key <key>', 'API key of the serve at URL, if it checks one (default: none)')
    .action(async (source: string, opts: InspectOptions) => ctx.exit(await inspect(source, opts, ctx.out, ctx.err)));
};
