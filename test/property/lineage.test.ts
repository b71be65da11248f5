// Property 3 (DESIGN §5): for random graphs (splits, foreach, nested foreach, switches, joins that merge), in
// `pinned` mode every used version is the one written last on the executed path to the reader; in `latest`
// mode the LATEST_MISMATCH diagnostics list exactly the uses where the two modes differ; the lineage graph is
// acyclic and every version has exactly one creator run.
import { describe, expect, it } from 'vitest';
import { type ScenarioResult } from '../../harness/runner/index.ts';
import { scenario, viaYaml, type GenDecorator, type GenScenario } from './arbitraries/index.ts';
import { checkProperty, execute, innermost, timeoutFor } from './harness.ts';
import { stepIo, valueOf } from './expected.ts';
import { expectUse } from './oracle.ts';

const arb = scenario({ noTypeConflicts: true, mostlyOn: true, lineage: 'pinned' });

/** `name#set-id` -> `name:vN`: which version holds the value of which `set` (by its creator's last write). */
function versionsBySet(g: GenScenario, r: ScenarioResult): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of r.log.artifacts) {
    const task = r.tasks.find((t) => t.run === a.created_by)!;
    const step = g.steps.find((s) => s.name === task.step)!;
    const last = step.body.filter((o) => o.op === 'set' && o.name === a.name).at(-1) as { id: number } | undefined;
    if (last) out.set(`${a.name}#${last.id}`, `${a.name}:${a.version}`);
  }
  return out;
}

function checkGraph(r: ScenarioResult): void {
  // Every version has one creator, the only run that lists it as logged.
  for (const a of r.log.artifacts) {
    const v = `${a.name}:${a.version}`;
    expect(a.created_by, `${v} has a creator`).not.toBeNull();
    expect(r.log.runs.filter((x) => x.logged_artifacts.includes(v)).map((x) => x.ref), `${v} logged by its creator only`).toEqual([a.created_by]);
  }
  // Acyclic: run -> version it created -> run that used it -> ...
  const edges = new Map<string, string[]>();
  for (const a of r.log.artifacts) {
    const v = `${a.name}:${a.version}`;
    edges.set(a.created_by!, [...(edges.get(a.created_by!) ?? []), v]);
    edges.set(v, [...a.used_by]);
  }
  const state = new Map<string, 'open' | 'done'>();
  const visit = (n: string): void => {
    if (state.get(n) === 'done') return;
    expect(state.get(n), `lineage cycle through ${n}`).not.toBe('open');
    state.set(n, 'open');
    for (const m of edges.get(n) ?? []) visit(m);
    state.set(n, 'done');
  };
  for (const n of edges.keys()) visit(n);
}

async function lineage(g: GenScenario): Promise<void> {
  const pinned = await execute(viaYaml(g));
  const latest = await execute(viaYaml({ ...g, lineage: 'latest' }));
  expect(pinned.flow_status).toBe('ok');
  expect(latest.flow_status).toBe('ok');
  const versions = versionsBySet(g, pinned);
  const effective = (step: string): GenDecorator | undefined => innermost(g.steps.find((s) => s.name === step)!.decorators) ?? innermost(g.flowDecorators);
  const mismatches: string[] = [];
  for (const t of pinned.tasks) {
    if (t.run === null) continue;
    const d = effective(t.step)!;
    const flags = { datasets: Boolean(d.datasets), models: Boolean(d.models), others: Boolean(d.others) };
    const want: string[] = [];
    for (const [name, id] of stepIo(g, g.steps.find((s) => s.name === t.step)!).inputs) {
      const v = versions.get(`${name}#${id}`);
      if (v && expectUse(valueOf(name, id), flags, g.integration)) want.push(v);
    }
    const run = pinned.log.runs.find((x) => x.ref === t.run)!;
    expect([...run.used_artifacts].sort(), `pinned: ${t.step}/${t.task_id} (${t.run}) uses the versions it read`).toEqual(want.sort());
    const latestRun = latest.log.runs.find((x) => x.ref === t.run)!;
    for (const v of want) {
      const name = v.split(':')[0]!;
      const used = latestRun.used_artifacts.find((u) => u.split(':')[0] === name);
      if (used !== v) mismatches.push(`${t.run} ${name} used=${used} pinned=${v}`);
    }
  }
  const reported = latest.diagnostics.filter((d) => d.code === 'LATEST_MISMATCH').map((d) => `${d.data!.run} ${d.variable} used=${d.data!.used} pinned=${d.data!.pinned}`);
  expect(reported.sort(), 'latest: LATEST_MISMATCH lists exactly the uses that differ').toEqual(mismatches.sort());
  checkGraph(pinned);
  checkGraph(latest);
}

describe('property: lineage', () => {
  it('pinned uses the last write on the executed path; latest mismatches are all reported; the graph is acyclic', async () => {
    await checkProperty('lineage', arb, lineage, 30);
  }, timeoutFor(30));
});
