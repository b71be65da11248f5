// Property 2 (DESIGN §5): for random values of every class (nested containers, subclasses, user classes) and
// both profiles x all 8 flag combinations, what the backend's log shows for each variable — a history row, an
// artifact of type dataset|model|other, nothing, or a task failure with the reference's error — matches the
// ORACLE table (test/property/oracle.ts, reference §3.1–§3.3); a second step reading every variable uses
// exactly the artifacts `wandb_use` would; locals never appear anywhere in the log.
import { describe, expect, it } from 'vitest';
import { FLAG_SETS, classificationScenario, viaYaml, type GenScenario, type GenValue } from './arbitraries/index.ts';
import { checkProperty, execute, timeoutFor } from './harness.ts';
import { expectTrack, expectUse, type Flags } from './oracle.ts';

const flagsOf = (d: { datasets?: boolean; models?: boolean; others?: boolean }): Flags => ({ datasets: Boolean(d.datasets), models: Boolean(d.models), others: Boolean(d.others) });

async function classification(g: GenScenario): Promise<void> {
  const profile = g.integration;
  const [start, end] = g.steps as [GenScenario['steps'][0], GenScenario['steps'][0]];
  const writer = flagsOf(start.decorators[0]!);
  const reader = flagsOf(end.decorators[0]!);
  const r = await execute(viaYaml(g));
  const sets = start.body.filter((o): o is Extract<typeof o, { op: 'set' }> => o.op === 'set');
  const history: Record<string, unknown>[] = [];
  const artifacts: string[] = [];
  const uses: string[] = [];
  let failure: string | null = null;
  for (const { name, value } of sets) {
    const e = expectTrack(value as GenValue, writer, profile);
    if (e.kind === 'failure') { failure = e.error; break; }
    if (e.kind === 'history') history.push({ [name]: e.value });
    if (e.kind === 'artifact') {
      artifacts.push(`${name}:${e.type}`);
      if (expectUse(value as GenValue, reader, profile)) uses.push(`${name}:v0`);
    }
  }
  const run1 = r.log.runs[0]!;
  expect(r.tasks[0]!.error, 'start fails exactly as the reference says').toBe(failure);
  expect(run1.history, 'history rows').toEqual(history);
  expect(r.log.artifacts.map((a) => `${a.name}:${a.type}`).sort(), 'artifacts and their types').toEqual(artifacts.sort());
  expect(run1.exit_code).toBe(failure ? 1 : 0);
  if (!failure) {
    expect(r.tasks.map((t) => t.status)).toEqual(['ok', 'ok']);
    expect([...r.log.runs[1]!.used_artifacts].sort(), 'end uses what wandb_use would').toEqual(uses.sort());
  }
  expect(JSON.stringify(r.log)).not.toMatch(/loc_/);
}

describe('property: type classification', () => {
  for (const profile of ['current', 'legacy'] as const) {
    for (const writer of FLAG_SETS) {
      const label = `${profile}, datasets=${writer.datasets} models=${writer.models} others=${writer.others}`;
      it(label, async () => {
        await checkProperty(`classification-${profile}-${Number(writer.datasets)}${Number(writer.models)}${Number(writer.others)}`, classificationScenario(profile, writer), classification, 12);
      }, timeoutFor(12));
    }
  }
});
