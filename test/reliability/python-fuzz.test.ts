// Random mutations of real flow files (the .py twins and the lint fixtures, and now and then their value files;
// then, in a second property, the wild corpus of public flow.py files in test/fixtures/wild):
// lines and tokens deleted, duplicated and swapped, truncation, random bytes, unbalanced brackets, broken
// indentation. Every mutant goes through `validate`; what validate accepts through `import` (whose scenario must
// validate in turn) and `plan --json` (one in ten of the others too), all in-process: never an exception, never
// a stack trace, exit codes from DESIGN §4.4 only, and every diagnostic at file:line:col inside the file.
//   TF_FUZZ_RUNS  mutants (default 1,000, as in CI)      TF_FUZZ_SEED  the seed (default 20261203)
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/plans.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const SEED = Number(process.env.TF_FUZZ_SEED ?? 20261203);
const RUNS = Number(process.env.TF_FUZZ_RUNS ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'tf-python-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pyFiles = (d: string) => readdirSync(d).filter((n) => n.endsWith('.py')).sort().map((n) => join(d, n));
interface Source { name: string; text: string; values: string | null }
const sourceOf = (file: string): Source => {
  const values = file.replace(/\.py$/, '.values.yaml');
  return { name: basename(file), text: readFileSync(file, 'utf8'), values: existsSync(values) ? readFileSync(values, 'utf8') : null };
};
const sources = [...pyFiles(join(ROOT, 'scenarios/python')), ...pyFiles(join(ROOT, 'test/fixtures/python/lint'))].map(sourceOf);
// The wild corpus (derive_facts.py is the script that made its facts, not a flow).
const wildSources = pyFiles(join(ROOT, 'test/fixtures/wild')).filter((f) => !f.endsWith('/derive_facts.py')).map(sourceOf);

/**
 * Rules the wild corpus' mutants still break because of planner defects being fixed (issue 25). A violation of
 * one is counted, not failed; each must still be seen (else: take it out of this list). Crashes (an exception,
 * a stack trace, an exit code other than 0 and 2) are never tolerated.
 */
type Defect = 'position' | 'import-invalid';
// Fixed: `position` (an unknown read back from a container was placed at 0:0; it now keeps where it was made).
const WILD_PENDING: Readonly<Partial<Record<Defect, string>>> = {
  // Seen at the default seed: mutants of mf-spin-complex-dag.py whose import fails the scenario lint ("end was
  // reached before a split ... were joined") and of obtut-cv-tuning-mixin.py written with duplicate map keys.
  // Seen at other seeds (the `{}` written inside the comment is fixed): `foreach=" items"` accepted by validate but written as a name the scenario schema refuses.
  'import-invalid': 'the scenario import wrote does not validate',
};

type Mutation = { kind: string; a: number; b: number; text: string };
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('delete-line', 'duplicate-line', 'swap-lines', 'delete-token', 'duplicate-token', 'swap-tokens', 'truncate', 'insert', 'bracket', 'indent', 'replace-line'),
  a: fc.nat(), b: fc.nat(),
  text: fc.oneof(
    fc.constantFrom('(', ')', '[', ']', '{', '}', ':', ',', '=', '@', '.', '"', "'", '"""', '\\', '#', '\t', '\n', '    ', 'self.', 'self.next(', 'def ', 'class ', '@step', 'lambda', 'yield', '\u0000', '\uFFFD', '𝔘', 'é', '\r'),
    fc.string({ maxLength: 8 }),
    fc.uint8Array({ minLength: 1, maxLength: 6 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
  ),
});

const TOKEN = /[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|"[^"\n]*"|'[^'\n]*'|\S/g;

/** One mutation; line and token positions wrap around so every generated number picks something. */
function mutate(src: string, m: Mutation): string {
  const lines = src.split('\n');
  const i = m.a % lines.length;
  const j = m.b % lines.length;
  const tokens = [...lines[i]!.matchAll(TOKEN)];
  const tok = tokens.length > 0 ? tokens[m.b % tokens.length]! : null;
  const tok2 = tokens.length > 0 ? tokens[(m.b + 1 + (m.a % 3)) % tokens.length]! : null;
  const at = m.a % Math.max(1, src.length);
  switch (m.kind) {
    case 'delete-line': lines.splice(i, 1); break;
    case 'duplicate-line': lines.splice(i, 0, lines[i]!); break;
    case 'swap-lines': [lines[i], lines[j]] = [lines[j]!, lines[i]!]; break;
    case 'delete-token': if (tok) lines[i] = lines[i]!.slice(0, tok.index) + lines[i]!.slice(tok.index! + tok[0].length); break;
    case 'duplicate-token': if (tok) lines[i] = lines[i]!.slice(0, tok.index) + tok[0] + lines[i]!.slice(tok.index); break;
    case 'swap-tokens':
      if (tok && tok2 && tok.index! < tok2.index!) {
        const l = lines[i]!;
        lines[i] = l.slice(0, tok.index) + tok2[0] + l.slice(tok.index! + tok[0].length, tok2.index) + tok[0] + l.slice(tok2.index! + tok2[0].length);
      }
      break;
    case 'truncate': return src.slice(0, at);
    case 'insert': return src.slice(0, at) + m.text + src.slice(at);
    case 'bracket': {
      // Unbalanced: drop one bracket of the file, or add a stray one.
      const brackets = [...src.matchAll(/[()[\]{}]/g)];
      if (brackets.length > 0 && m.b % 2 === 0) {
        const k = brackets[m.a % brackets.length]!.index!;
        return src.slice(0, k) + src.slice(k + 1);
      }
      return src.slice(0, at) + '([{)]}'[m.b % 6] + src.slice(at);
    }
    case 'indent': lines[i] = [' ', '   ', '\t', '        '][m.b % 4]! + lines[i]!.replace(/^ {0,2}/, m.b % 2 === 0 ? '' : '  '); break;
    default: lines[i] = m.text;
  }
  return lines.join('\n');
}

/** Where the pending defects' violations are counted (null: none is tolerated). */
type Tolerated = { seen: (d: Defect, example: string) => void } | null;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const figures = { mutants: 0, validateRejected: 0, imported: 0, planned: 0, planRejected: 0, diagnostics: 0, valueFiles: 0 };

/** Every `file:line:col:` on stderr names a place inside the file; nothing looks like a stack trace. */
function checkOutput(file: string, text: string, stderr: string, stdout: string, tolerated: Tolerated = null): void {
  expect(stderr + stdout).not.toMatch(/\n\s+at .*\(?\S+:\d+:\d+\)?\n/);
  const lines = text.split('\n');
  for (const m of stderr.matchAll(new RegExp(`^${escape(file)}:(-?\\d+):(-?\\d+): (.*)$`, 'gm'))) {
    figures.diagnostics += 1;
    const [line, col] = [Number(m[1]), Number(m[2])];
    const inside = line >= 1 && line <= lines.length && col >= 1 && col <= lines[line - 1]!.length + 1;
    if (!inside && tolerated !== null) {
      tolerated.seen('position', m[0]);
      continue;
    }
    expect(line, m[0]).toBeGreaterThanOrEqual(1);
    expect(line, m[0]).toBeLessThanOrEqual(lines.length);
    expect(col, m[0]).toBeGreaterThanOrEqual(1);
    expect(col, m[0]).toBeLessThanOrEqual(lines[line - 1]!.length + 1);
    expect(m[3]!.trim().length, m[0]).toBeGreaterThan(0);
  }
}

/** One mutant of `src` through validate, import and plan, checking every rule (bar the tolerated defects). */
async function fuzzOne(src: Source, ms: Mutation[], valuesRoll: number, tolerated: Tolerated): Promise<void> {
  const text = ms.reduce(mutate, src.text);
  const file = join(dir, src.name);
  writeFileSync(file, text);
  const valuesFile = file.replace(/\.py$/, '.values.yaml');
  rmSync(valuesFile, { force: true });
  if (src.values !== null) {
    // Mostly the real value file beside the mutant; now and then a mutated one.
    const mutatedValues = valuesRoll < 2;
    if (mutatedValues) figures.valueFiles += 1;
    writeFileSync(valuesFile, mutatedValues ? ms.reduce(mutate, src.values) : src.values);
  }
  figures.mutants += 1;

  const v = await cli('validate', file);
  expect([0, 2], v.err).toContain(v.code);
  if (v.code === 2) figures.validateRejected += 1;
  checkOutput(file, text, v.err, v.out, tolerated);

  if (v.code === 0) {
    // The importer on what validate accepts: a scenario file that itself validates, or a refusal.
    const imported = join(dir, 'imported.yaml');
    rmSync(imported, { force: true });
    const i = await cli('import', file, '-o', imported);
    expect([0, 2], i.err).toContain(i.code);
    checkOutput(file, text, i.err, '', tolerated);
    if (i.code === 0) {
      figures.imported += 1;
      const again = await cli('validate', imported);
      if (again.err !== '' && tolerated !== null) tolerated.seen('import-invalid', `${src.name}: ${again.err.split('\n')[0]}`);
      else expect(again.err, `the scenario imported from a mutant of ${src.name} is invalid`).toBe('');
    }
  }

  // Plan what validate accepted (there the interpreter runs the steps), and one in ten of the rest (plan
  // refuses those with the same diagnostics): 1,000 mutants stay within ~20 s on 2 busy cores.
  if (v.code !== 0 && figures.mutants % 10 !== 0) return;
  const p = await cli('plan', file, '--json', '--run-id', '1');
  expect([0, 2], p.err).toContain(p.code);
  checkOutput(file, text, p.err, p.code === 0 ? '' : p.out, tolerated);
  if (p.code === 0) {
    figures.planned += 1;
    const plan = JSON.parse(p.out) as { tasks: unknown[]; log: { runs: unknown[] }; diagnostics: { message: string }[] };
    expect(Array.isArray(plan.tasks) && Array.isArray(plan.log.runs) && Array.isArray(plan.diagnostics)).toBe(true);
    // The front end's diagnostics in the plan lead with file:line:col too.
    checkOutput(file, text, plan.diagnostics.map((d) => d.message).join('\n'), '', tolerated);
  } else {
    figures.planRejected += 1;
    expect(p.err.length).toBeGreaterThan(0);
  }
}

describe('flow.py importer under mutated files', () => {
  it(`validate, import and plan of ${RUNS} mutated flow files: diagnostics at file:line:col, never an exception`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(sources.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.nat(9), (k, ms, valuesRoll) => fuzzOne(sources[k]!, ms, valuesRoll, null)),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`python fuzz: ${figures.mutants} mutated flow files (${figures.valueFiles} with a mutated value file): validate rejected ${figures.validateRejected}; ` +
      `import gave a valid scenario for ${figures.imported}; ` +
      `plan gave a plan for ${figures.planned} and refused ${figures.planRejected}; ${figures.diagnostics} file:line:col diagnostics checked; 0 crashes`);
  }, 120_000);

  it(`validate, import and plan of ${RUNS} mutated files of the wild corpus: never an exception, exit codes 0 and 2 only`, async () => {
    const before = { ...figures };
    const seen: Record<Defect, string[]> = { position: [], 'import-invalid': [] };
    const tolerated: Tolerated = { seen: (d, example) => { seen[d].push(example); } };
    await fc.assert(
      fc.asyncProperty(fc.nat(wildSources.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.nat(9), (k, ms, valuesRoll) => fuzzOne(wildSources[k]!, ms, valuesRoll, tolerated)),
      { seed: SEED, numRuns: RUNS },
    );
    const d = (k: keyof typeof figures) => figures[k] - before[k];
    console.log(`python fuzz, wild corpus: ${d('mutants')} mutated flow files from ${wildSources.length} public flow.py files: validate rejected ${d('validateRejected')}; `
      + `import gave a scenario for ${d('imported')}; plan gave a plan for ${d('planned')} and refused ${d('planRejected')}; 0 crashes; `
      + `pending defects: ${seen.position.length} diagnostics outside the file, ${seen['import-invalid'].length} imported scenarios invalid`);
    for (const [defect, examples] of Object.entries(seen)) for (const e of examples) console.log(`  ${defect}: ${e.replace(dir, '').slice(0, 200)}`);
    for (const defect of Object.keys(WILD_PENDING) as Defect[]) {
      expect(seen[defect].length, `no mutant shows "${WILD_PENDING[defect]}" any more: take ${defect} out of WILD_PENDING`).toBeGreaterThan(0);
    }
  }, 180_000);
});
