// The `.py` twins (scenarios/python/*.py), written as their users wrote them, planned by the CLI from the Python
// source: each plan must equal what the library already says its YAML twin logs — the committed snapshot
// (checked against the reference when it was written) for runs, config, summary, history, artifacts, lineage
// and tasks, and the YAML twin's own plan for the diagnostics (hazards). Never compared with the .py's own output.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLenientJson } from '../../src/index.ts';
import { planObject } from '../../harness/cli/plan.ts';
import { run } from '../helpers/flows.ts';
import { comparable, planJson, type Plan } from '../helpers/plans.ts';
import { systemForeach } from '../helpers/system-flows.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const PY = join(ROOT, 'scenarios/python');

/** The W&B project a flow.py logs to comes from the environment, as for `python flow.py run`. */
const WANDB_EP = ['--env', 'WANDB_ENTITY=e', '--env', 'WANDB_PROJECT=p'];
const RUN_1 = ['--run-id', '1', ...WANDB_EP];
const WINE = ['--param', 'raw_data=/flows/wine.csv'];

/**
 * `frontEnd`: what the Python front end may say about the twin (`line:col CODE`): nothing, since every value the
 * twin reads from a file is pinned in its value file — except the pytorch twin's optimizer and scheduler, which
 * no value model holds and nothing logged depends on (honest OPAQUE_VALUE warnings).
 */
const YAML_TWINS: { py: string; yaml: string; args: string[]; frontEnd?: string[] }[] = [
  { py: 'docs-step.py', yaml: 'docs/step', args: RUN_1 },
  { py: 'docs-flow.py', yaml: 'docs/flow', args: RUN_1 },
  { py: 'docs-flow-and-steps.py', yaml: 'docs/flow-and-steps', args: RUN_1 },
  // graphs/foreach.yaml names no W&B project: the defaults, as for a flow.py run without WANDB_* set.
  { py: 'graphs-foreach.py', yaml: 'graphs/foreach', args: ['--run-id', '1'] },
  { py: 'system-decoboth.py', yaml: 'system/decoboth', args: [...RUN_1, ...WINE] },
  { py: 'system-decoclass.py', yaml: 'system/decoclass', args: [...RUN_1, ...WINE] },
  { py: 'system-decostep.py', yaml: 'system/decostep', args: [...RUN_1, ...WINE] },
  { py: 'system-pytorch.py', yaml: 'system/pytorch', args: RUN_1, frontEnd: ['50:21 OPAQUE_VALUE', '50:36 OPAQUE_VALUE', '51:21 OPAQUE_VALUE'] },
];

interface PlanDiagnostic { code: string; message: string }

/** Splits a flow.py plan's diagnostics: the front end's lead with `file:line:col:`; the rest are the runtime's hazards. */
function split(p: Plan, file: string): { hazards: unknown[]; frontEnd: string[] } {
  const all = p.diagnostics as PlanDiagnostic[];
  const own = (d: PlanDiagnostic) => d.message.startsWith(`${file}:`);
  return {
    hazards: all.filter((d) => !own(d)),
    frontEnd: all.filter(own).map((d) => `${/^.*?:(\d+:\d+):/.exec(d.message.slice(file.length))?.[1] ?? '?'} ${d.code}`),
  };
}

function expectSamePlan(actual: Plan, expected: Plan, file: string, frontEnd: string[] = []): void {
  const what = file.slice(PY.length + 1);
  const { hazards, frontEnd: said } = split(actual, file);
  const [got, want] = [comparable({ ...actual, diagnostics: hazards }), comparable(expected)];
  expect(got.log, `${what}: log`).toBe(want.log);
  expect(got.tasks, `${what}: tasks`).toBe(want.tasks);
  expect(got.diagnostics, `${what}: hazards`).toBe(want.diagnostics);
  expect(said, `${what}: what the Python front end reports (messages: ${JSON.stringify((actual.diagnostics as PlanDiagnostic[]).map((d) => d.message))})`).toEqual(frontEnd);
}

describe('plan flow.py: the .py twins log what their YAML twins log', () => {
  for (const t of YAML_TWINS) {
    it(`${t.py} = snapshots/${t.yaml}.json (plan ${t.args.join(' ')})`, async () => {
      const snapshot = parseLenientJson(readFileSync(join(ROOT, `snapshots/${t.yaml}.json`), 'utf8')) as Plan;
      const yamlPlan = await planJson(join(ROOT, `scenarios/${t.yaml}.yaml`));
      // The YAML twin still plans to its snapshot (else the comparison below would be against a stale file).
      expect(comparable(yamlPlan).log).toBe(comparable(snapshot).log);
      const pyPlan = await planJson(join(PY, t.py), ...t.args);
      expectSamePlan(pyPlan, { tasks: snapshot.tasks, log: snapshot.log, diagnostics: yamlPlan.diagnostics }, join(PY, t.py), t.frontEnd);
    });
  }

  it('system-foreach.py = the statement-by-statement model of flow_foreach.py (test/helpers/system-flows.ts)', async () => {
    const model = planObject(await run({ definition: systemForeach() }));
    // The model is what reference §6.2 derives for flow_foreach: 5 runs, models + 5 datasets from start, each
    // train logs model_name and accuracy, the join logs results; JOIN_INPUTS_UNTRACKED for its three reads.
    expect(model.log.runs.map((r) => r.job_type)).toEqual(['start', 'train', 'train', 'join_train', 'end']);
    expect(model.log.runs[0]!.logged_artifacts).toEqual(['raw_df:v0', 'X_train:v0', 'X_test:v0', 'y_train:v0', 'y_test:v0']);
    expect(model.log.runs[1]!.history).toEqual([{ model_name: 'RandomForestClassifier' }, { accuracy: 1 }]);
    expect(model.diagnostics.map((d) => [d.code, d.variable])).toEqual([['JOIN_INPUTS_UNTRACKED', 'model_name'], ['JOIN_INPUTS_UNTRACKED', 'preds'], ['JOIN_INPUTS_UNTRACKED', 'accuracy']]);
    const pyPlan = await planJson(join(PY, 'system-foreach.py'), ...RUN_1, ...WINE);
    expectSamePlan(pyPlan, model as unknown as Plan, join(PY, 'system-foreach.py'));
  });

  it("the system YAML twins' snapshots say what reference §6.2 derives (not only what the harness recorded)", () => {
    const snap = (n: string) => JSON.parse(readFileSync(join(ROOT, `snapshots/system/${n}.json`), 'utf8')) as { log: { runs: { job_type: string; config: unknown; logged_artifacts: string[]; used_artifacts: string[]; summary: unknown }[]; artifacts: { name: string; type: string }[] } };
    const DATASETS = ['raw_df:v0', 'X_train:v0', 'X_test:v0', 'y_train:v0', 'y_test:v0'];
    const CONFIG = { raw_data: '/flows/wine.csv', seed: 1337, test_size: 0.2 };
    const rows = (n: string) => snap(n).log.runs.map((r) => [r.job_type, r.logged_artifacts, r.used_artifacts]);
    for (const n of ['decoboth', 'decoclass', 'decostep']) for (const r of snap(n).log.runs) expect(r.config).toEqual(CONFIG);
    expect(rows('decoboth')).toEqual([['start', DATASETS, []], ['train', [], []], ['end', [], []]]);
    expect(rows('decostep')).toEqual([['start', DATASETS, []], ['train', [], []], ['end', [], []]]);
    expect(rows('decoclass')).toEqual([['start', DATASETS, []], ['train', ['clf:v0'], ['X_train:v0', 'y_train:v0']], ['end', ['preds:v0'], ['clf:v0', 'X_test:v0', 'y_test:v0']]]);
    expect(snap('decoclass').log.artifacts.filter((a) => ['clf', 'preds'].includes(a.name)).map((a) => [a.name, a.type])).toEqual([['clf', 'model'], ['preds', 'other']]);
    for (const n of ['decoboth', 'decoclass', 'decostep']) expect(snap(n).log.runs[2]!.summary).toEqual({ accuracy: 1 });
    const torch = snap('pytorch').log;
    expect(torch.runs).toHaveLength(3);
    expect(torch.runs[0]!.config).toEqual({ batch_size: 64, test_batch_size: 1000, epochs: 1, lr: 1, gamma: 0.7, no_cuda: false, seed: 1, log_interval: 10, save_model: false });
    expect(torch.runs[0]!.summary).toEqual({ use_cuda: false, train_kwargs: { batch_size: 64 }, test_kwargs: { batch_size: 1000 } });
    expect(torch.artifacts).toEqual([]);
  });
});
