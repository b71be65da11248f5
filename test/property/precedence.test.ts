// Property 1 (DESIGN §5): each task's effective options are those of the innermost step decoration, else the
// flow's innermost, else it has no run — observed in the backend's runs and artifacts only.
import { describe, it } from 'vitest';
import { expect } from 'vitest';
import { FLOW_NAME, scenario, viaYaml, type GenDecorator, type GenScenario } from './arbitraries/index.ts';
import { checkProperty, execute, innermost, timeoutFor } from './harness.ts';

/** Probes at the end of every body: a DataFrame, an estimator and a tuple, one per flag (legacy: no fall-through). */
const withProbes = (g: GenScenario): GenScenario => ({
  ...g,
  steps: g.steps.map((s) => ({
    ...s,
    body: [...s.body,
      { op: 'set' as const, name: `pd_${s.name}`, value: { t: 'DataFrame' as const, columns: ['p'], rows: [[0]] }, id: 0 },
      { op: 'set' as const, name: `pm_${s.name}`, value: { t: 'sklearn' as const, cls: 'LogisticRegression', params: [] }, id: 0 },
      { op: 'set' as const, name: `po_${s.name}`, value: { t: 'tuple' as const, items: [] }, id: 0 }],
  })),
});

const arb = scenario({ integration: 'legacy' }).map(withProbes);

async function precedence(g: GenScenario): Promise<void> {
  const r = await execute(viaYaml(g));
  expect(r.flow_status).toBe('ok');
  const stepOf = new Map(g.steps.map((s) => [s.name, s]));
  const effective = (step: string): GenDecorator | undefined => innermost(stepOf.get(step)!.decorators) ?? innermost(g.flowDecorators);
  const runOf = new Map(r.log.runs.map((x) => [x.ref, x]));
  const expectedArtifacts = new Set<string>();
  // Settings objects in execution order: the first task using one fixes its group and job type (§1.4 item 2).
  const shared = new Map<number, { group: string; job: string }>();
  for (const t of [...r.tasks].sort((a, b) => Number(a.task_id) - Number(b.task_id))) {
    const d = effective(t.step);
    expect(t.run === null, `task ${t.step}/${t.task_id}: a run iff decorated`).toBe(d === undefined);
    if (!d) continue;
    const run = runOf.get(t.run!)!;
    let want = { group: `${FLOW_NAME}/1`, job: t.step };
    if (d.settings?.kind === 'settings') {
      const f = d.settings.fields;
      want = shared.get(d.settings.id) ?? { group: f.run_group ?? want.group, job: f.run_job_type ?? want.job };
      shared.set(d.settings.id, want);
    }
    expect([run.group, run.job_type], `task ${t.step}/${t.task_id} group and job type`).toEqual([want.group, want.job]);
    if (d.datasets) expectedArtifacts.add(`pd_${t.step}:dataset`);
    if (d.models) expectedArtifacts.add(`pm_${t.step}:model`);
    if (d.others) expectedArtifacts.add(`po_${t.step}:other`);
  }
  const probes = r.log.artifacts.filter((a) => /^p[dmo]_/.test(a.name)).map((a) => `${a.name}:${a.type}`);
  expect(probes.sort()).toEqual([...expectedArtifacts].sort());
}

describe('property: override precedence', () => {
  it('innermost step decoration, else the flow\'s, else no run', async () => {
    await checkProperty('precedence', arb, precedence, 40);
  }, timeoutFor(40));
});
