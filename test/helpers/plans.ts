// `tracked-flows` in-process (harness/cli/main.ts's main) and plan objects made comparable across their sources:
// a flow.py and its scenario get different W&B run ids (random, seeded from the scenario id, which a flow.py
// does not have), so every run id is replaced by its ref before two plans are compared as canonical JSON.
import { expect } from 'vitest';
import { canonicalJson, parseLenientJson } from '../../src/index.ts';
import { main } from '../../harness/cli/main.ts';

export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

export interface Plan { tasks: unknown; log: { runs: { id: string; ref: string }[] }; diagnostics: unknown }

/** `plan ARGS --json`, which must succeed with nothing on stderr. Floats stay floats (`1.0`). */
export async function planJson(...argv: string[]): Promise<Plan> {
  const r = await cli('plan', ...argv, '--json');
  expect(r.err, `plan ${argv.join(' ')}`).toBe('');
  expect(r.code).toBe(0);
  return parseLenientJson(r.out) as Plan;
}

/** Canonical JSON of a part of a plan, each run id written as `<run-N>`. */
export function normalised(part: unknown, log: Plan['log']): string {
  let text = canonicalJson(part);
  for (const r of log.runs) text = text.split(JSON.stringify(r.id)).join(JSON.stringify(`<${r.ref}>`));
  return text;
}

/** The parts of two plans that must be equal, each as normalised text. */
export function comparable(p: Plan): { log: string; tasks: string; diagnostics: string } {
  return { log: normalised(p.log, p.log), tasks: normalised(p.tasks, p.log), diagnostics: normalised(p.diagnostics, p.log) };
}
