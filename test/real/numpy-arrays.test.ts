// Issue 29, item 3, through the plan: random flow.py files make numpy arrays the way users do (np.zeros / np.ones /
// np.array / np.arange with dtype= and order=) and log them as `others`. The oracle is the kit's real numpy 1.24:
// python3 evaluates every expression and pickles it (protocol 4, as the integration's pickle.dump does); each
// file the plan logs must have exactly that md5, or, for a dtype the value model does not hold, be logged as not
// predicted. A failure prints the flow; replay: TF_PROPERTY_SEED=<seed> TF_PROPERTY_PATH=<path>.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { cpythonPickleMd5s, startStepFlow } from '../helpers/pickle-oracle.ts';
import { planJson } from '../helpers/plans.ts';
import { SEED, runs } from '../property/harness.ts';
import { kitEnv } from './helpers/kit.ts';

const MODELLED = ['np.bool_', 'bool', 'np.int8', '"int16"', 'np.int32', 'int', 'np.uint8', '"uint16"', 'np.uint32', 'np.uint64', 'np.float16', '"float32"', 'float', 'np.float64', 'np.complex64', '"complex128"', 'complex'];
/** Held by numpy, not by the value model: the array must be logged as not predicted. */
const UNMODELLED = ['"U3"'];

const dims = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 });
const kwargs = fc.record({
  dtype: fc.option(fc.constantFrom(...MODELLED, ...UNMODELLED), { nil: undefined }),
  order: fc.option(fc.constantFrom('"C"', '"F"'), { nil: undefined }),
});
const call = (name: string, first: string, k: { dtype?: string | undefined; order?: string | undefined }) =>
  `np.${name}(${[first, ...(k.dtype ? [`dtype=${k.dtype}`] : []), ...(k.order ? [`order=${k.order}`] : [])].join(', ')})`;

/** Small non-negative numbers (no uint wrap-around warnings), floats with fractions (a cast truncates them). */
const nested = (shape: readonly number[], xs: readonly number[]): string => {
  let i = 0;
  const go = (d: number): string => (d === shape.length ? String(xs[i++ % xs.length]) : `[${Array.from({ length: shape[d]! }, () => go(d + 1)).join(', ')}]`);
  return go(0);
};

const arrayExpr: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.constantFrom('zeros', 'ones'), dims, kwargs).map(([f, shape, k]) => call(f, shape.length === 1 ? String(shape[0]) : `(${shape.join(', ')})`, k)),
  fc.tuple(dims, fc.array(fc.constantFrom(0, 1, 2, 7, 100, 0.5, 1.25, 2.75, 99.5), { minLength: 1, maxLength: 6 }), kwargs).map(([shape, xs, k]) => call('array', nested(shape, xs), k)),
  fc.tuple(fc.integer({ min: 1, max: 9 }), kwargs.filter((k) => k.dtype === undefined || !['bool', 'np.bool_', '"U3"'].includes(k.dtype)))
    .map(([n, k]) => call('arange', String(n), { dtype: k.dtype })),
);

const dir = mkdtempSync(join(tmpdir(), 'tf-numpy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Planned { log: { artifacts: { name: string; files: { md5: string | null; unknown?: string }[] }[] } }

let n = 0;
let checked = 0;
describe('numpy arrays users make, pickled as others, against the kit\'s numpy', () => {
  it('every array the plan holds pickles to numpy 1.24\'s bytes; a dtype it does not hold is logged as not predicted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(arrayExpr, { minLength: 1, maxLength: 12 }), async (exprs) => {
        const file = join(dir, `np${n++}.py`);
        const text = startStepFlow('import numpy as np\n', '@wandb_log(others=True)', 'N', exprs.map((e, i) => `self.a${i} = ${e}`));
        writeFileSync(file, text);
        const plan = (await planJson(file, '--run-id', '1')) as unknown as Planned;
        const want = cpythonPickleMd5s(exprs, { prelude: 'import numpy as np', env: kitEnv(), warningsAreErrors: true });
        const got = exprs.map((_, i) => plan.log.artifacts.find((a) => a.name === `a${i}`)?.files[0]);
        exprs.forEach((e, i) => {
          const f = got[i];
          const unmodelled = UNMODELLED.some((d) => e.includes(`dtype=${d}`));
          if (unmodelled) expect(f?.md5 ?? null, `${e} (a dtype the value model does not hold)\n${text}`).toBeNull();
          else expect(f?.md5, `${e}\n${text}`).toBe(want[i]);
        });
        checked += exprs.length;
      }),
      { seed: SEED, numRuns: runs(25), ...(process.env.TF_PROPERTY_PATH ? { path: process.env.TF_PROPERTY_PATH } : {}), endOnFailure: true },
    );
    expect(checked).toBeGreaterThan(50);
  }, 600_000);
});
