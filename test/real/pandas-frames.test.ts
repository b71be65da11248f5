// Issue 29, item 3, through the plan: random flow.py files build pandas frames and Series with their constructors
// (a dict of columns, records, rows with `columns=`, a list with `name=`) and log them as `others` (datasets off).
// The oracle is the kit's real pandas 1.5.3: python3 evaluates each expression and pickles it (protocol 4); each
// file the plan logs must have that md5. A frame derived from another (`.head()`, a copy through `pd.DataFrame`)
// lays out its index and blocks by its derivation: it must be logged as not predicted unless its md5 is right.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { cpythonPickleMd5s, startStepFlow } from '../helpers/pickle-oracle.ts';
import { planJson } from '../helpers/plans.ts';
import { SEED, runs } from '../property/harness.ts';
import { kitEnv } from './helpers/kit.ts';

const CELLS: Record<string, readonly string[]> = {
  int: ['0', '1', '-3', '42'],
  float: ['0.5', '1.0', '-2.25', '3.0'],
  bool: ['True', 'False'],
  str: ['"a"', '"bc"', '""'],
};
const column = fc.tuple(fc.constantFrom('int', 'float', 'bool', 'str'), fc.constantFrom('a', 'b', 'c', 'x', 'y'));
const columns = fc.uniqueArray(column, { minLength: 1, maxLength: 4, selector: ([, name]) => name });

const frame: fc.Arbitrary<{ text: string; derived: boolean }> = fc.tuple(columns, fc.integer({ min: 1, max: 4 }), fc.constantFrom('dict', 'records', 'rows'), fc.nat(1000))
  .map(([cols, nRows, form, seed]) => {
    const cell = (kind: string, r: number, c: number) => CELLS[kind]![(seed + r * 7 + c * 3) % CELLS[kind]!.length]!;
    const rows = Array.from({ length: nRows }, (_, r) => cols.map(([kind], c) => cell(kind, r, c)));
    if (form === 'dict') return { text: `pd.DataFrame({${cols.map(([, name], c) => `"${name}": [${rows.map((r) => r[c]).join(', ')}]`).join(', ')}})`, derived: false };
    if (form === 'records') return { text: `pd.DataFrame([${rows.map((r) => `{${cols.map(([, name], c) => `"${name}": ${r[c]}`).join(', ')}}`).join(', ')}])`, derived: false };
    return { text: `pd.DataFrame([${rows.map((r) => `[${r.join(', ')}]`).join(', ')}], columns=[${cols.map(([, name]) => `"${name}"`).join(', ')}])`, derived: false };
  });

const series = fc.tuple(fc.constantFrom('int', 'float', 'bool', 'str'), fc.integer({ min: 1, max: 5 }), fc.option(fc.constantFrom('"s"', '"flag"'), { nil: undefined }))
  .map(([kind, n, name]) => ({ text: `pd.Series([${Array.from({ length: n }, (_, i) => CELLS[kind]![i % CELLS[kind]!.length]).join(', ')}]${name ? `, name=${name}` : ''})`, derived: false }));

const value = fc.oneof(frame, series, frame.map((f) => ({ text: `${f.text}.head(2)`, derived: true })));

const dir = mkdtempSync(join(tmpdir(), 'tf-pandas-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Planned { log: { artifacts: { name: string; files: { md5: string | null; unknown?: string }[] }[] } }

let n = 0;
const seen = { exact: 0, declared: 0 };
describe('pandas values users make, pickled as others, against the kit\'s pandas', () => {
  it('a constructed frame or Series pickles to pandas 1.5.3\'s bytes; a derived frame is exact or logged as not predicted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 8 }), async (vals) => {
        const file = join(dir, `pd${n++}.py`);
        const text = startStepFlow('import pandas as pd\n', '@wandb_log(datasets=False, others=True)', 'P', vals.map((v, i) => `self.v${i} = ${v.text}`));
        writeFileSync(file, text);
        const plan = (await planJson(file, '--run-id', '1')) as unknown as Planned;
        const want = cpythonPickleMd5s(vals.map((v) => v.text), { prelude: 'import pandas as pd', env: kitEnv() });
        vals.forEach((v, i) => {
          const f = plan.log.artifacts.find((a) => a.name === `v${i}`)?.files[0];
          if (v.derived && f?.md5 === null) {
            seen.declared++;
            return;
          }
          expect(f?.md5, `${v.text}\n${text}`).toBe(want[i]);
          seen.exact++;
        });
      }),
      { seed: SEED, numRuns: runs(20), ...(process.env.TF_PROPERTY_PATH ? { path: process.env.TF_PROPERTY_PATH } : {}), endOnFailure: true },
    );
    expect(seen.exact).toBeGreaterThan(30);
  }, 600_000);
});
