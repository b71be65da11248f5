// Issue 29: no stand-in is ever logged as a value. Random flow.py files assign `self.v<i>` from expressions built of
// known literals and calls into a module the plan cannot see (`ext.f<k>()`), through lists, dicts, f-strings,
// %-formatting and +. The oracle is independent of the interpreter:
// - an expression with an unknown leaf is logged with an `$unknown` marker inside (or, of unknown type, not at all),
//   never as a plain value;
// - one without must be logged exactly as CPython computes it (python3 evaluates every known expression, json.dumps).
// A failure prints the flow; replay: TF_PROPERTY_SEED=<seed> TF_PROPERTY_PATH=<path> npx vitest run <this file>.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { planJson } from '../helpers/plans.ts';
import { SEED } from './harness.ts';

interface Gen { text: string; unknown: boolean }

const leaf: fc.Arbitrary<Gen> = fc.oneof(
  fc.integer({ min: -50, max: 50 }).map((n) => ({ text: String(n), unknown: false })),
  fc.constantFrom('a', 'bc', '', 'x-1').map((s) => ({ text: JSON.stringify(s), unknown: false })),
  fc.nat(3).map((k) => ({ text: `ext.f${k}()`, unknown: true })),
);

const expr: fc.Arbitrary<Gen> = fc.letrec<{ e: Gen }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => ({ text: `[${a.text}, ${b.text}]`, unknown: a.unknown || b.unknown })),
    tie('e').map((a) => ({ text: `{"k": ${a.text}}`, unknown: a.unknown })),
    // Over leaves only: CPython 3.11 cannot nest an f-string's own quotes.
    fc.tuple(leaf, leaf).map(([a, b]) => ({ text: `f'{${a.text}}-{${b.text}}'`, unknown: a.unknown || b.unknown })),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => ({ text: `"%s|%r" % (${a.text}, ${b.text})`, unknown: a.unknown || b.unknown })),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => ({ text: `str(${a.text}) + str(${b.text})`, unknown: a.unknown || b.unknown })),
  ),
})).e;

const dir = mkdtempSync(join(tmpdir(), 'tf-unknowns-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hasMarker = (v: unknown): boolean =>
  Array.isArray(v) ? v.some(hasMarker) : v !== null && typeof v === 'object' ? '$unknown' in v || Object.values(v).some(hasMarker) : false;

/** What CPython logs for each known expression: json.dumps(eval(expr)) with lists for tuples, as W&B stores them. */
function cpython(exprs: readonly string[]): unknown[] {
  const out = execFileSync('python3', ['-c', 'import json,sys\nfor e in json.load(sys.stdin): print(json.dumps(eval(e)))'], { input: JSON.stringify(exprs), encoding: 'utf8' });
  return out.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);
}

let n = 0;
describe('issue 29: unknown values are never logged as stand-ins', () => {
  it('random flows with unknown leaves: unknown values carry a marker, known ones equal CPython', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(expr, { minLength: 1, maxLength: 6 }), async (vars) => {
        const file = join(dir, `u${n++}.py`);
        const body = vars.map((v, i) => `        self.v${i} = ${v.text}`).join('\n');
        writeFileSync(file, `from metaflow import FlowSpec, step\nfrom wandb.integration.metaflow import wandb_log\nimport ext\n\n\n@wandb_log\nclass U(FlowSpec):\n    @step\n    def start(self):\n${body}\n        self.next(self.end)\n\n    @step\n    def end(self):\n        pass\n`);
        const plan = (await planJson(file, '--run-id', '1')) as unknown as { log: { runs: { summary: Record<string, unknown> }[] } };
        const summary = plan.log.runs[0]!.summary;
        const known = vars.map((v, i) => [i, v] as const).filter(([, v]) => !v.unknown);
        const expected = cpython(known.map(([, v]) => v.text));
        for (const [i, v] of vars.entries()) {
          const got = summary[`v${i}`];
          // A value of unknown type may be logged or not, as its real type decides (the plan says so, OPAQUE_VALUE):
          // absent is honest. Present, it must be marked: never a plain value standing in for it.
          if (v.unknown && got !== undefined) expect(hasMarker(got), `v${i} = ${v.text} must be marked unknown, was ${JSON.stringify(got)}`).toBe(true);
        }
        known.forEach(([i, v], k) => expect(summary[`v${i}`], `v${i} = ${v.text}`).toEqual(expected[k]));
      }),
      { seed: SEED, numRuns: Number(process.env.TF_PROPERTY_RUNS ?? 25), ...(process.env.TF_PROPERTY_PATH ? { path: process.env.TF_PROPERTY_PATH } : {}) },
    );
  }, 300_000);
});
