import { describe, expect, it } from 'vitest';
import {
  buildGraph, formatLintProblem, INVALID_TRANSITION_HELP, lintFlow, lintGraph, runFlow, FlowLintError,
  type FlowDefinition, type StepDefinition,
} from '../../../src/flow/index.ts';

const flow = (steps: StepDefinition[], extra: Partial<FlowDefinition> = {}): FlowDefinition => ({ name: 'LFlow', steps, ...extra });
const messages = (def: FlowDefinition, options = {}) => lintFlow(def, options).problems.map((p) => p.message);

// Reference §7.2, every check with Metaflow 2.19.38's wording (`*x*` markers as in lint.py).
describe('lint: each message of reference §7.2', () => {
  it('check_reserved_words', () => {
    const def = flow([{ name: 'start', next: 'cmd' }, { name: 'cmd', next: 'end' }, { name: 'end' }]);
    expect(messages(def)).toEqual(['Step name *cmd* is a reserved word. Choose another name for the step.']);
  });

  it('check_basic_steps: no start, no end, several annotated', () => {
    expect(messages(flow([{ name: 'a', next: 'end' }, { name: 'end' }]))).toContain(
      "Your flow must have exactly one start step. Either name a step 'start' or use @step(start=True).",
    );
    expect(messages(flow([{ name: 'start', next: 'a' }, { name: 'a' }]))).toContain(
      "Your flow must have exactly one end step. Either name a step 'end' or use @step(end=True).",
    );
    const twoStarts = flow([
      { name: 'y', start: true, next: 'end' }, { name: 'x', start: true, next: 'end' }, { name: 'end' },
    ]);
    expect(messages(twoStarts)).toContain('Multiple steps annotated with @step(start=True): x, y. Exactly one is allowed.');
    const twoEnds = flow([{ name: 'start', next: ['p', 'q'] }, { name: 'p', end: true }, { name: 'q', end: true }]);
    expect(messages(twoEnds)).toContain('Multiple steps annotated with @step(end=True): p, q. Exactly one is allowed.');
  });

  it('check_annotation_name_conflict', () => {
    const def = flow([
      { name: 'begin', start: true, next: 'end' }, { name: 'start', next: 'end' }, { name: 'finish', end: true }, { name: 'end' },
    ]);
    const found = messages(def);
    expect(found).toContain(
      "Ambiguous start step: step 'begin' is annotated with @step(start=True) but a step named 'start' also exists. Remove the 'start' name or the @step(start=True) annotation.",
    );
    expect(found).toContain(
      "Ambiguous end step: step 'finish' is annotated with @step(end=True) but a step named 'end' also exists. Remove the 'end' name or the @step(end=True) annotation.",
    );
  });

  it('check_start_end_degree', () => {
    const def = flow([{ name: 'start', next: 'a' }, { name: 'a', next: ['start', 'end'] }, { name: 'end', next: 'b' }, { name: 'b' }]);
    const found = messages(def);
    expect(found).toContain('The start step *start* has incoming transitions from a. A start step must have no incoming transitions.');
    expect(found).toContain('The end step *end* has outgoing transitions. An end step must have no outgoing transitions (no self.next()).');
  });

  it('check_that_end_is_end: a tail next, a join', () => {
    expect(messages(flow([{ name: 'start', next: 'end' }, { name: 'end', next: { invalid: 'self.next(x)' } }]))).toContain(
      'The terminal step *end* should not have a self.next() transition. Just remove it.',
    );
    expect(messages(flow([{ name: 'start', next: ['a', 'b'] }, { name: 'a', next: 'end' }, { name: 'b', next: 'end' }, { name: 'end', join: true }]))).toContain(
      'The terminal step *end* should not be a join step (it gets an extra argument). Add a join step before it.',
    );
  });

  it('check_step_names', () => {
    expect(messages(flow([{ name: 'start', next: 'Bad' }, { name: 'Bad', next: 'end' }, { name: 'end' }]))).toEqual([
      'Step *Bad* has an invalid name. Only lowercase ascii characters, underscores, and digits are allowed.',
    ]);
    expect(messages(flow([{ name: 'start', next: '_x' }, { name: '_x', next: 'end' }, { name: 'end' }]))).toEqual([
      'Step *_x* has an invalid name. Only lowercase ascii characters, underscores, and digits are allowed.',
    ]);
  });

  it('check_num_args: too many, join+split, missing self', () => {
    const found = messages(flow([
      { name: 'start', next: 'a', numArgs: 3 },
      { name: 'a', next: ['b', 'c'], join: true },
      { name: 'b', next: 'j', numArgs: 0 },
      { name: 'c', next: 'j' },
      { name: 'j', join: true, next: 'end' },
      { name: 'end' },
    ]));
    expect(found).toContain("Step start has too many arguments. Normal steps take only 'self' as an argument. Join steps take 'self' and 'inputs'.");
    expect(found).toContain(
      'Step *a* is both a join step (it takes an extra argument) and a split step (it transitions to multiple steps). This is not allowed. Add a new step so that split and join become separate steps.',
    );
    expect(found).toContain("Step *b* is missing the 'self' argument.");
  });

  it('check_static_transitions', () => {
    expect(messages(flow([{ name: 'start', next: 'a' }, { name: 'a' }, { name: 'end' }]))).toContain(
      'Step *a* is missing a self.next() transition to the next step. Add a self.next() as the last line in the function.',
    );
  });

  it('check_valid_transitions, with the four bullets', () => {
    const found = messages(flow([{ name: 'start', next: { invalid: 'self.next({k: self.end}, condition="c")' } }, { name: 'end' }]));
    expect(found[0]).toBe(
      'Step *start* specifies an invalid self.next() transition. Make sure the self.next() expression matches with one of the supported transition types:\n' +
        '  • Linear: self.next(self.step_name)\n  • Fan-out: self.next(self.step1, self.step2, ...)\n' +
        "  • Foreach: self.next(self.step, foreach='variable')\n  • Switch: self.next({\"key\": self.step, ...}, condition='variable')\n\n" +
        'For switch statements, keys must be string literals, numbers or config expressions (self.config.key_name), not variables.',
    );
    expect(found[0]?.endsWith(INVALID_TRANSITION_HELP)).toBe(true);
  });

  it('check_unknown_transitions', () => {
    expect(messages(flow([{ name: 'start', next: 'nope' }, { name: 'end' }]))).toContain(
      'Step *start* specifies a self.next() transition to an unknown step, *nope*.',
    );
  });

  it('check_for_acyclicity reports b->a->b as observed; a switch self-edge is exempt', () => {
    const found = messages(flow([{ name: 'start', next: 'a' }, { name: 'a', next: 'b' }, { name: 'b', next: ['a', 'end'] }, { name: 'end' }]));
    expect(found).toContain('There is a loop in your flow: *b->a->b*. Break the loop by fixing self.next() transitions.');
    const loop = flow([
      { name: 'start', next: 'loop' },
      { name: 'loop', next: { switch: 'cont', cases: { yes: 'loop', no: 'end' } } },
      { name: 'end' },
    ]);
    expect(messages(loop)).toEqual([]);
  });

  it('check_for_orphans', () => {
    expect(messages(flow([{ name: 'start', next: 'end' }, { name: 'lonely', next: 'end' }, { name: 'end' }]))).toEqual([
      'Step *lonely* is unreachable from the entry step *start*. Add self.next(lonely) in another step or remove *lonely*.',
    ]);
  });

  it('check_split_join_balance: end before join, wrong count, no split, unrelated splits', () => {
    expect(messages(flow([{ name: 'start', next: ['a', 'b'] }, { name: 'a', next: 'end' }, { name: 'b', next: 'end' }, { name: 'end' }]))).toContain(
      'The terminal step *end* was reached before a split started at step(s) *a, b* were joined. Add a join step before *end*.',
    );
    const wrongCount = messages(flow([
      { name: 'start', next: ['a', 'b', 'c'] }, { name: 'a', next: 'j' }, { name: 'b', next: 'j' }, { name: 'c', next: 'd' },
      { name: 'd', next: 'end' }, { name: 'j', join: true, next: 'end' }, { name: 'end' },
    ]));
    expect(wrongCount).toContain(
      'Step *j* seems like a join step (it takes an extra input argument) but an incorrect number of steps (*a, b*) lead to it. This join was expecting 3 incoming paths, starting from split step(s) *a, b, c*.',
    );
    expect(messages(flow([{ name: 'start', next: 'j' }, { name: 'j', join: true, next: 'end' }, { name: 'end' }]))).toEqual([
      'Step *j* seems like a join step (it takes an extra input argument) but it is not preceded by a split. Ensure that there is a matching split for every join.',
    ]);
    const unrelated = messages(flow([
      { name: 'start', next: ['a', 'b'] }, { name: 'a', next: ['c', 'd'] }, { name: 'b', next: 'j' }, { name: 'c', next: 'j' },
      { name: 'd', next: 'j2' }, { name: 'j', join: true, next: 'j2' }, { name: 'j2', join: true, next: 'end' }, { name: 'end' },
    ]));
    expect(unrelated).toContain('Step *j* joins steps from unrelated splits. Ensure that there is a matching join for every split.');
  });

  it('check_switch_splits: too few transitions, no condition, no cases', () => {
    const one = flow([{ name: 'start', next: { switch: 'c', cases: { a: 'end' } } }, { name: 'end' }]);
    expect(messages(one)).toEqual(['Step *start* is a switch split but defines 1 transitions. Switch splits must define at least 2 transitions.']);
    const noCondition = flow([{ name: 'start', next: { cases: { a: 'b', x: 'end' } } }, { name: 'b', next: 'end' }, { name: 'end' }]);
    expect(messages(noCondition)).toEqual(['Step *start* is a switch split but has no condition variable.']);
    const noCases = flow([{ name: 'start', next: { switch: 'c', cases: {} } }, { name: 'end' }]);
    expect(messages(noCases)).toContain('Step *start* is a switch split but has no switch cases defined.');
  });

  it('check_empty_foreaches gets its message for foreach -> join (Metaflow crashes there)', () => {
    const def = flow([{ name: 'start', next: { foreach: 'items', to: 'j' } }, { name: 'j', join: true, next: 'end' }, { name: 'end' }]);
    expect(messages(def)).toEqual([
      'Step *start* is a foreach split that has no children: it is followed immediately by a join step, *j*. Add at least one step between the split and the join.',
    ]);
  });

  it('check_nested_foreach is off by default and available on request', () => {
    const def = flow([
      { name: 'start', next: { foreach: 'xs', to: 'mid' } }, { name: 'mid', next: { foreach: 'ys', to: 'inner' } },
      { name: 'inner', next: 'jin' }, { name: 'jin', join: true, next: 'jout' }, { name: 'jout', join: true, next: 'end' }, { name: 'end' },
    ]);
    expect(messages(def)).toEqual([]);
    expect(messages(def, { forbidNestedForeach: true })).toEqual([
      'Nested foreaches are not allowed: Step *mid* is a foreach split that is nested under another foreach split.',
    ]);
  });

  it('check_ambiguous_joins', () => {
    const def = flow([
      { name: 'start', next: ['a', 'b'] }, { name: 'a', next: { switch: 'c', cases: { x: 'j', y: 'c' } } },
      { name: 'c', next: 'j' }, { name: 'b', next: 'j' }, { name: 'j', join: true, next: 'end' }, { name: 'end' },
    ]);
    expect(messages(def)).toContain(
      'A conditional path cannot lead directly to a join step.\nIn your conditional step(s) *a*, one or more of the possible paths transition directly to the join step *j*.\nAs a workaround, please introduce an intermediate, unconditional step on that specific path before joining.',
    );
  });

  it('a single-step flow is both start and end', () => {
    expect(messages(flow([{ name: 'only' }]))).toEqual([]);
  });
});

describe('lint: every problem at once, located', () => {
  const file = '<project>/broken.py';
  const def = flow([
    { name: 'start', next: 'nope', location: { file, line: 5 }, nextLocation: { file, line: 7 } },
    { name: 'Bad', next: 'end', location: { file, line: 9 } },
    { name: 'a', location: { file, line: 12 } },
    { name: 'end', join: true, location: { file, line: 15 } },
  ]);

  it('reports all problems in check order, the first being the one Metaflow prints', () => {
    const { problems } = lintFlow(def);
    expect(problems.map((p) => p.check)).toEqual([
      'check_that_end_is_end', 'check_step_names', 'check_num_args', 'check_static_transitions',
      'check_unknown_transitions', 'check_for_orphans', 'check_for_orphans', 'check_for_orphans',
    ]);
    // dir() order: upper case sorts first, as in Python.
    expect(problems.map((p) => p.step)).toEqual(['end', 'Bad', 'end', 'a', 'start', 'Bad', 'a', 'end']);
    expect(problems[0]?.message).toBe(
      'The terminal step *end* should not be a join step (it gets an extra argument). Add a join step before it.',
    );
    expect(problems[4]).toMatchObject({
      message: 'Step *start* specifies a self.next() transition to an unknown step, *nope*.',
      location: { file, line: 7 },
    });
  });

  it('refuses to run, carrying every problem', async () => {
    const run = runFlow(def);
    await expect(run).rejects.toBeInstanceOf(FlowLintError);
    await expect(run).rejects.toMatchObject({ code: 'LINT_FAILED', problems: expect.arrayContaining([expect.objectContaining({ check: 'check_for_orphans' })]) });
  });

  it("formats a problem as Metaflow's console does (reference §7.1)", () => {
    const missingNext = flow([
      { name: 'start', next: 'a' }, { name: 'a', location: { file: '<project>/missing_next.py', line: 9 } }, { name: 'end' },
    ]);
    const [first] = lintGraph(buildGraph(missingNext));
    expect(formatLintProblem(first!)).toBe(
      '    Validity checker found an issue in file <project>/missing_next.py on line 9:\n' +
        '    Step a is missing a self.next() transition to the next step. Add a self.next() as the last line in the function.',
    );
    expect(formatLintProblem({ check: 'check_basic_steps', message: 'x' })).toBe('    Validity checker found an issue:\n    x');
  });
});
