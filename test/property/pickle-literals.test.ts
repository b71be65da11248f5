// Issue 29, item 1 and 3 together: plain Python values a flow.py builds (literals, nested containers with repeated
// items, strings made at run time) and logs as `others` are pickled byte for byte as the real run pickles them.
// The oracle is CPython itself: python3 evaluates each expression and pickles it (protocol 4, the integration's
// pickle.dump), so object identity (merged constants, one-character singletons, strings made at run time) is
// CPython's, not ours. A failure prints the flow; replay: TF_PROPERTY_SEED=<seed> TF_PROPERTY_PATH=<path>.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { cpythonPickleMd5s, startStepFlow } from '../helpers/pickle-oracle.ts';
import { planJson } from '../helpers/plans.ts';
import { SEED, runs, timeoutFor } from './harness.ts';

const leaf: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('0', '7', '-300', '2**70', '0.5', '-1.25', '1e300', '1.0', 'None', 'True', 'False'),
  fc.constantFrom('"a"', '"bc"', '""', '"x y"', '"é"', '"a-b"', 'b"a"', 'b"xyz"'),
  // Strings made while the step runs (some folded to constants by CPython's compiler, some not).
  fc.constantFrom('"a" + "b"', 'str(12)', 'str(3)', '"%s-%d" % ("q", 2)', 'f"{4}"', '"-".join(["p", "q"])', '"Ab".lower()'),
);

const value: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`),
    fc.array(tie('v'), { maxLength: 4 }).map((xs) => `(${xs.join(', ')}${xs.length === 1 ? ',' : ''})`),
    fc.array(fc.tuple(fc.constantFrom('"k"', '"a"', '"bc"', '1', '2'), tie('v')), { maxLength: 3 }).map((es) => `{${es.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
    fc.array(fc.constantFrom('1', '2', '3', '40'), { maxLength: 4 }).map((xs) => (xs.length ? `{${xs.join(', ')}}` : 'set()')),
  ),
})).v;

const dir = mkdtempSync(join(tmpdir(), 'tf-literals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Planned { log: { artifacts: { name: string; files: { md5: string | null }[] }[] } }

let n = 0;
describe('plain values a flow.py logs as others pickle as CPython pickles them', () => {
  it('random nested literals and strings made at run time: each .pkl has CPython\'s md5', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 6 }), async (exprs) => {
        const file = join(dir, `l${n++}.py`);
        // Wrapped in a 1-tuple, a str or an int is pickled as `others` too (a bare one goes to history).
        const text = startStepFlow('', '@wandb_log(others=True)', 'L', exprs.map((e, i) => `self.v${i} = (${e},)`));
        writeFileSync(file, text);
        const plan = (await planJson(file, '--run-id', '1')) as unknown as Planned;
        const want = cpythonPickleMd5s(exprs.map((e) => `(${e},)`));
        exprs.forEach((e, i) => {
          expect(plan.log.artifacts.find((a) => a.name === `v${i}`)?.files[0]?.md5, `(${e},)\n${text}`).toBe(want[i]);
        });
      }),
      { seed: SEED, numRuns: runs(60), ...(process.env.TF_PROPERTY_PATH ? { path: process.env.TF_PROPERTY_PATH } : {}) },
    );
  }, timeoutFor(60));
});
