// `validate flow.py` reports Metaflow's lint from the Python source: one small flow per lint case the library
// has (test/unit/flow/lint.test.ts, reference §7.2), under test/fixtures/python/lint/. The expected message and
// line of each are what real Metaflow 2.19.38 printed for that very file (`python3 <file> --no-pylint check`,
// source checkout d2dd7f953, Python 3.11.7, 2026-12-03), copied here: Metaflow prints the message with its
// `*x*` markers stripped, so the comparison strips them too. Metaflow prints no column; ours must lie on the line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../harness/cli/main.ts';

const DIR = new URL('../../fixtures/python/lint/', import.meta.url).pathname;

async function validate(file: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['validate', file], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const BULLETS =
  '  • Linear: self.next(self.step_name)\n  • Fan-out: self.next(self.step1, self.step2, ...)\n' +
  "  • Foreach: self.next(self.step, foreach='variable')\n  • Switch: self.next({\"key\": self.step, ...}, condition='variable')\n\n" +
  'For switch statements, keys must be string literals, numbers or config expressions (self.config.key_name), not variables.';

/** file -> [Metaflow's line (null: Metaflow names none, or "line 0"), Metaflow's message]. */
const OBSERVED: Record<string, [number | null, string]> = {
  'reserved-word.py': [11, 'Step name cmd is a reserved word. Choose another name for the step.'],
  'no-start.py': [null, "Your flow must have exactly one start step. Either name a step 'start' or use @step(start=True)."],
  'two-starts.py': [null, 'Multiple steps annotated with @step(start=True): also_begin, begin. Exactly one is allowed.'],
  'ambiguous-start.py': [null, "Ambiguous start step: step 'begin' is annotated with @step(start=True) but a step named 'start' also exists. Remove the 'start' name or the @step(start=True) annotation."],
  'start-incoming.py': [7, 'The start step start has incoming transitions from a. A start step must have no incoming transitions.'],
  'end-has-next.py': [11, 'The end step end has outgoing transitions. An end step must have no outgoing transitions (no self.next()).'],
  'end-is-join.py': [null, 'The terminal step end should not be a join step (it gets an extra argument). Add a join step before it.'],
  'bad-name.py': [11, 'Step Train has an invalid name. Only lowercase ascii characters, underscores, and digits are allowed.'],
  'too-many-args.py': [11, "Step train has too many arguments. Normal steps take only 'self' as an argument. Join steps take 'self' and 'inputs'."],
  'missing-self.py': [11, "Step train is missing the 'self' argument."],
  'missing-next.py': [11, 'Step train is missing a self.next() transition to the next step. Add a self.next() as the last line in the function.'],
  'invalid-transition.py': [10, `Step start specifies an invalid self.next() transition. Make sure the self.next() expression matches with one of the supported transition types:\n${BULLETS}`],
  'unknown-step.py': [8, 'Step start specifies a self.next() transition to an unknown step, tarin.'],
  'loop.py': [12, 'There is a loop in your flow: b->a->b. Break the loop by fixing self.next() transitions.'],
  'orphan.py': [11, 'Step lonely is unreachable from the entry step start. Add self.next(lonely) in another step or remove lonely.'],
  'unjoined-split.py': [19, 'The terminal step end was reached before a split started at step(s) a, b were joined. Add a join step before end.'],
  'join-without-split.py': [11, 'Step join seems like a join step (it takes an extra input argument) but it is not preceded by a split. Ensure that there is a matching split for every join.'],
  'switch-one-case.py': [7, 'Step start is a switch split but defines 1 transitions. Switch splits must define at least 2 transitions.'],
  // Metaflow 2.19.38 crashes here (IndexError in check_split_join_balance, reference §7.2 #15); the message is
  // the one its check_empty_foreaches would print, as the library gives it (test/unit/flow/lint.test.ts).
  'empty-foreach.py': [null, 'Step start is a foreach split that has no children: it is followed immediately by a join step, join. Add at least one step between the split and the join.'],
  'conditional-to-join.py': [24, 'A conditional path cannot lead directly to a join step.\nIn your conditional step(s) a, one or more of the possible paths transition directly to the join step join.\nAs a workaround, please introduce an intermediate, unconditional step on that specific path before joining.'],
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('validate flow.py: Metaflow lint messages at flow.py:line:col', () => {
  for (const [name, [line, message]] of Object.entries(OBSERVED)) {
    it(`${name}: "${message.split('\n')[0]!.slice(0, 60)}…"${line === null ? '' : ` on line ${line}`}`, async () => {
      const file = join(DIR, name);
      const lines = readFileSync(file, 'utf8').split('\n');
      const r = await validate(file);
      expect(r.code, r.err).toBe(2);
      // Each diagnostic starts `file:line:col: `; a message may run over several lines (the bullets); a count ends it.
      const found = r.err.replace(/^\d+ problems? found$/m, '').split(new RegExp(`^(?=${escape(file)}:\\d+:\\d+: )`, 'm')).map((s) => s.trimEnd()).filter((s) => s.startsWith(file));
      const located = found.map((d) => {
        const m = new RegExp(`^${escape(file)}:(\\d+):(\\d+): ([\\s\\S]*)$`).exec(d)!;
        return { line: Number(m[1]), col: Number(m[2]), message: m[3]!.replaceAll('*', '') };
      });
      const ours = located.find((d) => d.message === message.replaceAll('*', ''));
      expect(ours, `Metaflow's message among:\n${r.err}`).toBeDefined();
      // The first problem is the one Metaflow prints (it stops at the first failing check).
      expect(located[0]!.message).toBe(message);
      if (line !== null) expect(ours!.line).toBe(line);
      expect(ours!.line).toBeGreaterThanOrEqual(1);
      expect(ours!.line).toBeLessThanOrEqual(lines.length);
      expect(ours!.col).toBeGreaterThanOrEqual(1);
      expect(ours!.col).toBeLessThanOrEqual(lines[ours!.line - 1]!.length + 1);
    });
  }

  it('a valid flow (foreach, static split, joins, merge_artifacts, switch) passes lint', async () => {
    const r = await validate(join(DIR, 'ok.py'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });
});
