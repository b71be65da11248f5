// The real integration's own account of what it did, from the flow's output: Metaflow prefixes every line with
// its task (`[RUN/STEP/TASK (pid N)]`), wandb prints the run's URL (so its W&B run id) at init, and @wandb_log
// prints `Logging artifact: NAME (...)` / `Using artifact: NAME (...)` per variable. A witness that does not go
// through our backend: the plan and serve share the backend's code, so a backend bug (a lineage edge never
// recorded) would make them agree with each other; they cannot both agree with this.
import type { LogModel } from '../../../src/index.ts';

export interface TaskAccount { task: string; runId: string | undefined; logged: string[]; used: string[] }

const LINE = /\[([^\]\s]+\/[^\]\s]+\/\d+) \(pid \d+\)\] wandb: (.*)$/;

export function sdkAccount(output: string): TaskAccount[] {
  const tasks = new Map<string, TaskAccount>();
  for (const line of output.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const [, task, said] = m as unknown as [string, string, string];
    let t = tasks.get(task);
    if (!t) tasks.set(task, (t = { task, runId: undefined, logged: [], used: [] }));
    const url = /View run at \S*\/runs\/([a-z0-9]+)/.exec(said);
    if (url && t.runId === undefined) t.runId = url[1];
    const art = /^(Logging|Using) artifact: (\S+) \(/.exec(said);
    if (art) (art[1] === 'Logging' ? t.logged : t.used).push(art[2]!);
    // A use the server refused as unknown is no use (the integration warns and goes on).
    const missing = /^WARNING This artifact \((\S+), .*does not exist in the wandb datastore/.exec(said);
    if (missing) t.used = t.used.filter((n) => n !== missing[1]);
  }
  return [...tasks.values()];
}

/** Every W&B run's logged and used artifact names in the log, against what its task said it logged and used. */
export function accountDifferences(account: TaskAccount[], log: LogModel): string[] {
  const out: string[] = [];
  const names = (l: string[]) => [...new Set(l.map((nv) => nv.slice(0, nv.lastIndexOf(':'))))].sort();
  const said = (l: string[]) => [...new Set(l)].sort();
  for (const t of account) {
    if (t.runId === undefined) continue;
    const run = log.runs.find((r) => r.id === t.runId);
    if (!run) {
      out.push(`task ${t.task}: its W&B run ${t.runId} is not in the log`);
      continue;
    }
    // Used: exactly what the task said. Logged: a `log_artifact` whose content a version already has is that
    // version (the server deduplicates; it is no output of this run), so what the task said it logged must
    // exist as an artifact, and the run's outputs must be among what it said.
    const [sdkUsed, serveUsed] = [said(t.used), names(run.used_artifacts)];
    if (JSON.stringify(sdkUsed) !== JSON.stringify(serveUsed)) out.push(`runs[job_type=${run.job_type}, task ${t.task}].used_artifacts: the SDK said ${JSON.stringify(sdkUsed)}, serve logged ${JSON.stringify(serveUsed)}`);
    const [sdkLogged, serveLogged] = [said(t.logged), names(run.logged_artifacts)];
    const lost = sdkLogged.filter((n) => !log.artifacts.some((a) => a.name === n));
    const extra = serveLogged.filter((n) => !sdkLogged.includes(n));
    if (lost.length + extra.length > 0) out.push(`runs[job_type=${run.job_type}, task ${t.task}].logged_artifacts: the SDK said ${JSON.stringify(sdkLogged)}, serve logged ${JSON.stringify(serveLogged)} (${lost.length ? `no artifact ${JSON.stringify(lost)}` : `not said ${JSON.stringify(extra)}`})`);
  }
  if (account.every((t) => t.runId === undefined) && log.runs.length > 0) out.push(`the output names no W&B run (no "View run at" line) but serve logged ${log.runs.length}`);
  return out;
}
