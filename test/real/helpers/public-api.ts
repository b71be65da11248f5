// The real Public API (wandb 0.18.7's `wandb.Api()`) reading a server: test/real/public_api_read.py prints what
// it read in the log model's shape; here it gets the log's refs (by W&B run id) and the log is cut to the fields
// the Public API shows, so the two compare field by field.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseLenientJson, type LogModel } from '../../../src/index.ts';
import { inSlot, kitEnv, ROOT, runCommand } from './kit.ts';

interface ApiRun { id: string; summary: Record<string, unknown>; summary_file: Record<string, unknown> | null; files: string[]; [k: string]: unknown }
interface ApiArtifact { created_by: string | null; used_by: string[]; [k: string]: unknown }
interface ApiRead { runs: ApiRun[]; artifacts: ApiArtifact[]; problems: string[] }

export interface PublicApiComparison { expected: LogModel; actual: LogModel; problems: string[] }

export async function readPublicApi(url: string, path: string, log: LogModel): Promise<PublicApiComparison> {
  const downloads = mkdtempSync(join(tmpdir(), 'real-api-'));
  const exit = await inSlot(() => runCommand(['python3', join(ROOT, 'test/real/public_api_read.py'), path, downloads], { cwd: downloads, env: { ...kitEnv(), WANDB_BASE_URL: url } }));
  const line = exit.output.split('\n').find((l) => l.startsWith('{"artifacts"'));
  if (exit.code !== 0 || line === undefined) throw new Error(`public_api_read.py exited ${exit.code}:\n${exit.output.slice(-4000)}`);
  const read = parseLenientJson(line) as ApiRead; // Python's json writes a float as 1.0: kept a float
  const refOf = new Map(log.runs.map((r) => [r.id, r.ref]));
  const ref = (id: string) => refOf.get(id) ?? `unknown-run-${id}`;
  const problems = [...read.problems];
  const runs = read.runs.map(({ summary_file, files, ...r }) => {
    // The run's files: wandb-summary.json, downloaded, holds the same summary the API's run.summary gives.
    // compared as a field of its own: `runs[..].summary_file` is the log's summary too.
    if (summary_file === null) problems.push(`run ${r.id}: no wandb-summary.json among its files (${files.join(', ')})`);
    return { ...r, summary_file, ref: ref(r.id) };
  });
  const artifacts = read.artifacts.map((a) => ({ ...a, created_by: a.created_by === null ? null : ref(a.created_by), used_by: a.used_by.map(ref).sort() }));
  // What the Public API does not show: the exit code (0.18.7's Run has no field for it).
  const expected = { ...log, runs: log.runs.map(({ exit_code: _, ...r }) => ({ ...r, summary_file: r.summary })), artifacts: log.artifacts.map((a) => ({ ...a, aliases: [...a.aliases].sort(), used_by: [...a.used_by].sort() })) } as unknown as LogModel;
  const actual = { format: log.format, unsupported: log.unsupported, runs, artifacts } as unknown as LogModel;
  return { expected, actual, problems };
}
