// `tracked-flows run [PATHS..]`: load (all problems at once, exit 2, nothing written), run every scenario
// against its own embedded backend, compare with snapshots, report. Exit 1 when a snapshot differs or is
// missing in `none` mode; a flow that fails is not itself a failure — its snapshot says it fails.

import { writeFileSync, renameSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { Argument, type Command } from 'commander';
import { runSuite, selectScenarios, toRunnable, type ScenarioResult, type Transport } from '../runner/index.ts';
import type { RunReport, ScenarioReport } from '../report/types.ts';
import { FsSnapshotStore, checkSnapshot, defaultUpdateMode, obsoleteSnapshots, type SnapshotStore, type UpdateMode } from '../snapshot/index.ts';
import type { CliContext, RegisterCommand } from './context.ts';
import { CliError } from './errors.ts';
import { chooseReporter, REPORTERS } from './reporters.ts';
import { loadOrFail, scenariosRoot, snapshotKey, snapshotsDirFor } from './scenarios.ts';
import { FlowFileProblem, isFlowFile } from '../python/cli-options.ts';
import type { Scenario } from '../scenario/index.ts';

export interface RunOptions {
  update?: boolean;
  updateMode?: string;
  reporter: string;
  output?: string;
  filter?: string;
  shard?: string;
  transport: string;
  concurrency: string;
  workers: string;
}

export async function runCommand(paths: string[], o: RunOptions, ctx: CliContext, env = process.env): Promise<number> {
  const transport = o.transport as Transport;
  if (!['msw', 'http', 'direct'].includes(transport)) throw new CliError('BAD_OPTION', `Failed to run: --transport must be msw, http or direct, got "${o.transport}".`);
  const mode: UpdateMode = o.update ? 'all' : ((o.updateMode as UpdateMode | undefined) ?? defaultUpdateMode(env));
  if (!['none', 'new', 'all'].includes(mode)) throw new CliError('BAD_OPTION', `Failed to run: --update-mode must be none, new or all, got "${mode}".`);
  const concurrency = Number(o.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new CliError('BAD_OPTION', `Failed to run: --concurrency must be a positive integer, got "${o.concurrency}".`);
  const workers = o.workers === 'auto' ? 'auto' : Number(o.workers);
  if (workers !== 'auto' && (!Number.isInteger(workers) || workers < 1)) throw new CliError('BAD_OPTION', `Failed to run: --workers must be a positive integer or "auto", got "${o.workers}".`);

  const inputs = paths.length > 0 ? paths : ['scenarios'];
  const pyInputs = inputs.filter(isFlowFile);
  const yamlInputs = inputs.filter((p) => !isFlowFile(p));
  let flows: Scenario[] = [];
  // The Python front end is loaded only for flow.py paths.
  let frontEnd: ((s: Scenario) => ScenarioResult['diagnostics']) | null = null;
  try {
    if (pyInputs.length > 0) {
      const [{ loadFlowScenarios }, { frontEndDiagnostics }] = await Promise.all([import('../python/cli.ts'), import('../python/index.ts')]);
      frontEnd = frontEndDiagnostics;
      flows = await loadFlowScenarios(pyInputs);
    }
  } catch (err) {
    if (err instanceof FlowFileProblem) throw new CliError('INVALID_SCENARIO', err.message);
    throw err;
  }
  const all = [...(yamlInputs.length > 0 ? loadOrFail(yamlInputs) : []), ...flows];
  let selected;
  try {
    selected = selectScenarios(all, o.filter, o.shard);
  } catch (err) {
    throw new CliError('BAD_OPTION', (err as Error).message);
  }
  const stores = new Map<string, SnapshotStore>();
  const storeOf = (root: string) => stores.get(root) ?? stores.set(root, new FsSnapshotStore(snapshotsDirFor(root))).get(root)!;
  const places = selected.map((s) => {
    const root = scenariosRoot(s.file, inputs);
    return { store: storeOf(root), key: snapshotKey(s, root) };
  });

  const reporter = chooseReporter(o.reporter, ctx, Boolean(process.stdout.isTTY) && o.reporter === 'console' && !o.output);
  const started = performance.now();
  const reports: ScenarioReport[] = new Array(selected.length);
  // A flow.py scenario holds interpreter closures: it runs on this thread (no `source` for a worker to reload).
  await runSuite(selected.map((s) => (isFlowFile(s.file) ? { ...toRunnable(s), source: undefined } : toRunnable(s))), {
    transport, concurrency, workers,
    onResult: (result, k) => {
      if (frontEnd !== null && isFlowFile(selected[k]!.file)) result.diagnostics.push(...frontEnd(selected[k]!));
      const snap = checkSnapshot(places[k]!.store, places[k]!.key, result, mode);
      reports[k] = { result, file: selected[k]!.file, snapshot: { path: snap.path, status: snap.status, diff: snap.diff }, passed: snap.passed };
      reporter.onScenario?.(reports[k]!, k, selected.length);
    },
  });
  // Obsolete snapshots only make sense for what this run covered: not with a filter or a shard, and only the
  // snapshots mirroring the paths given (running scenarios/docs says nothing of scenarios/lineage's snapshots).
  const obsolete = o.filter || o.shard ? [] : [...stores.entries()].flatMap(([root, store]) =>
    obsoleteSnapshots(store, places.filter((p) => p.store === store).map((p) => p.key))
      .filter((k) => coveredBy(join(root, k.replace(/\.json$/, '')), inputs))
      .map((k) => store.where(k)));
  const count = (st: string) => reports.filter((r) => r.snapshot?.status === st).length;
  const report: RunReport = {
    scenarios: reports,
    obsolete,
    summary: {
      passed: reports.filter((r) => r.passed).length, failed: reports.filter((r) => !r.passed).length,
      new: count('new'), updated: count('updated'), unchanged: count('unchanged'), mismatched: count('mismatch') + count('missing'), obsolete: obsolete.length,
    },
    duration_ms: Math.round(performance.now() - started),
  };
  const text = await reporter.render(report);
  if (o.output) {
    const tmp = `${o.output}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, o.output);
  } else if (text) ctx.out(text.trimEnd());
  return report.summary.failed > 0 ? 1 : 0;
}

/** Whether a scenario path stem (no extension; a matrix's file stem is a prefix of it) lies in the paths run. */
function coveredBy(stem: string, inputs: readonly string[]): boolean {
  return inputs.some((input) => {
    const base = resolve(input).replace(/\.ya?ml$/, '');
    return stem === base || stem.startsWith(base + sep);
  });
}

export const registerRun: RegisterCommand = (program: Command, ctx) => {
  program
    .command('run')
    .description('run scenarios against the embedded mock backend and compare with snapshots')
    .addArgument(new Argument('[paths...]', 'scenario files or directories, flow.py files').default([], 'scenarios/'))
    .option('-u, --update', 'write every snapshot: --update-mode all')
    .option('--update-mode <mode>', 'none | new | all (default: none when CI is set, else new)')
    .option('--reporter <name>', `how to report: ${REPORTERS.join(' | ')}`, 'console')
    .option('--output <file>', 'write the report to this file (default: stdout)')
    .option('--filter <text>', 'only scenarios whose id contains text (or matches /regex/) (default: all)')
    .option('--shard <i/n>', 'only the i-th of n shards, e.g. 2/4 (default: all)')
    .option('--transport <name>', "direct (in-process, each Request straight to the backend: fastest) | msw (in-process, through msw's request handlers) | http (a real node:http server per scenario)", 'direct')
    .option('--concurrency <n>', 'scenarios in flight at once on this thread (a worker runs one at a time)', '4')
    .option('--workers <n>', 'threads to spread scenarios over, or "auto" (one per core); each worker starts in ~1 s, so this pays off for long suites', '1')
    .action(async (paths: string[], opts: RunOptions) => ctx.exit(await runCommand(paths, opts, ctx)));
};
