// Property 4: parameters and constants never become inputs or artifacts (parameters go to config); each output
// appears once per task; a run's history rows are its scalar outputs, one row each, in first-write order with
// the last value written; locals never appear.
import { describe, expect, it } from 'vitest';
import { scenario, viaYaml, type GenScenario } from './arbitraries/index.ts';
import { checkProperty, execute, timeoutFor } from './harness.ts';
import { stepIo } from './expected.ts';
import { category, json } from './oracle.ts';

// Scalar-heavy: history rows are what this property orders.
const arb = scenario({ noTypeConflicts: true, mostlyOn: true, setChoices: ['n0', 'n1', 's0', 'lst0', 'df0', 'm0'] });

async function bookkeeping(g: GenScenario): Promise<void> {
  const r = await execute(viaYaml(g));
  expect(r.flow_status).toBe('ok');
  const fixed = [...g.parameters.map(([k]) => k), ...g.constants.map(([k]) => k)];
  const config = Object.fromEntries(g.parameters);
  for (const a of r.log.artifacts) expect(fixed, `artifact ${a.name}`).not.toContain(a.name);
  for (const t of r.tasks) {
    if (t.run === null) continue;
    const run = r.log.runs.find((x) => x.ref === t.run)!;
    const label = `${t.step}/${t.task_id} (${t.run})`;
    expect(run.config, `${label} config`).toEqual(config);
    const keys = run.history.flatMap((row) => Object.keys(row));
    expect(run.history.every((row) => Object.keys(row).length === 1), `${label}: one variable per history row`).toBe(true);
    expect(new Set(keys).size, `${label}: each output once`).toBe(keys.length);
    const names = run.logged_artifacts.map((v) => v.split(':')[0]);
    expect(new Set(names).size, `${label}: each artifact once`).toBe(names.length);
    for (const k of [...keys, ...Object.keys(run.summary)]) expect(fixed, `${label} history`).not.toContain(k);
    for (const u of run.used_artifacts) expect(fixed, `${label} uses`).not.toContain(u.split(':')[0]);
    const { outputs } = stepIo(g, g.steps.find((s) => s.name === t.step)!);
    const rows = [...outputs].filter(([, v]) => category(v) === 'scalar').map(([k, v]) => ({ [k]: json(v) }));
    expect(run.history, `${label}: history = scalar outputs in first-write order`).toEqual(rows);
  }
  expect(JSON.stringify(r.log)).not.toMatch(/loc_/);
}

describe('property: bookkeeping', () => {
  it('parameters and constants are never logged or used; outputs once per task; history in first-write order', async () => {
    await checkProperty('bookkeeping', arb, bookkeeping, 40);
  }, timeoutFor(40));
});
