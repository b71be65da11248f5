/**
 * Lint checks about the steps themselves (names, start/end, arguments, tails): lint.py checks 1-10.
 * Each returns every problem it finds; Metaflow raises at the first one.
 */
import type { FlowGraph, GraphNode } from '../graph.ts';
import { problem, type LintProblem } from './problem.ts';

const RESERVED_STEP_NAMES = new Set(['name', 'next', 'input', 'index', 'cmd']);

/** The tail's location, falling back to the step's (Metaflow says "line 0" when there is no tail). */
const tailLocation = (node: GraphNode) => node.nextLocation ?? node.location;

export function checkReservedWords(graph: FlowGraph): LintProblem[] {
  return [...graph.nodes.values()]
    .filter((node) => RESERVED_STEP_NAMES.has(node.name))
    .map((node) =>
      problem(
        'check_reserved_words',
        `Step name *${node.name}* is a reserved word. Choose another name for the step.`,
        node.name,
        node.location,
      ),
    );
}

export function checkBasicSteps(graph: FlowGraph): LintProblem[] {
  const found: LintProblem[] = [];
  const nodes = [...graph.nodes.values()];
  const missing = (kind: 'start' | 'end', annotated: string[]) =>
    annotated.length > 1
      ? `Multiple steps annotated with @step(${kind}=True): ${[...annotated].sort().join(', ')}. Exactly one is allowed.`
      : `Your flow must have exactly one ${kind} step. Either name a step '${kind}' or use @step(${kind}=True).`;
  if (graph.startStep === null) {
    found.push(problem('check_basic_steps', missing('start', nodes.filter((n) => n.isStartStep).map((n) => n.name))));
  }
  if (graph.endStep === null) {
    found.push(problem('check_basic_steps', missing('end', nodes.filter((n) => n.isEndStep).map((n) => n.name))));
  }
  return found;
}

export function checkAnnotationNameConflict(graph: FlowGraph): LintProblem[] {
  const found: LintProblem[] = [];
  for (const kind of ['start', 'end'] as const) {
    const chosen = kind === 'start' ? graph.startStep : graph.endStep;
    if (chosen !== null && chosen !== kind && graph.nodes.has(kind)) {
      found.push(
        problem(
          'check_annotation_name_conflict',
          `Ambiguous ${kind} step: step '${chosen}' is annotated with @step(${kind}=True) but a step named ` +
            `'${kind}' also exists. Remove the '${kind}' name or the @step(${kind}=True) annotation.`,
          chosen,
          graph.nodes.get(chosen)?.location,
        ),
      );
    }
  }
  return found;
}

export function checkStartEndDegree(graph: FlowGraph): LintProblem[] {
  if (graph.startStep === null || graph.endStep === null) return [];
  const found: LintProblem[] = [];
  const start = graph.nodes.get(graph.startStep)!;
  if (start.inFuncs.length > 0) {
    found.push(
      problem(
        'check_start_end_degree',
        `The start step *${start.name}* has incoming transitions from ${start.inFuncs.join(', ')}. ` +
          'A start step must have no incoming transitions.',
        start.name,
        start.location,
      ),
    );
  }
  const end = graph.nodes.get(graph.endStep)!;
  if (end.outFuncs.length > 0) {
    found.push(
      problem(
        'check_start_end_degree',
        `The end step *${end.name}* has outgoing transitions. ` +
          'An end step must have no outgoing transitions (no self.next()).',
        end.name,
        end.location,
      ),
    );
  }
  return found;
}

export function checkThatEndIsEnd(graph: FlowGraph): LintProblem[] {
  if (graph.endStep === null) return [];
  const node = graph.nodes.get(graph.endStep)!;
  const found: LintProblem[] = [];
  if (node.hasTailNext || node.invalidTailNext) {
    found.push(
      problem(
        'check_that_end_is_end',
        `The terminal step *${node.name}* should not have a self.next() transition. Just remove it.`,
        node.name,
        tailLocation(node),
      ),
    );
  }
  if (node.numArgs > 1) {
    found.push(
      problem(
        'check_that_end_is_end',
        `The terminal step *${node.name}* should not be a join step (it gets an extra argument). ` +
          'Add a join step before it.',
        node.name,
        tailLocation(node),
      ),
    );
  }
  return found;
}

export function checkStepNames(graph: FlowGraph): LintProblem[] {
  return [...graph.nodes.values()]
    .filter((node) => /[^a-z0-9_]/.test(node.name) || node.name === '' || node.name.startsWith('_'))
    .map((node) =>
      problem(
        'check_step_names',
        `Step *${node.name}* has an invalid name. Only lowercase ascii characters, underscores, and digits are allowed.`,
        node.name,
        node.location,
      ),
    );
}

export function checkNumArgs(graph: FlowGraph): LintProblem[] {
  const found: LintProblem[] = [];
  for (const node of graph.nodes.values()) {
    let message: string | undefined;
    if (node.numArgs > 2) {
      message =
        `Step ${node.name} has too many arguments. Normal steps take only 'self' as an argument. ` +
        "Join steps take 'self' and 'inputs'.";
    } else if (node.numArgs === 2 && node.type !== 'join') {
      message =
        `Step *${node.name}* is both a join step (it takes an extra argument) and a split step ` +
        '(it transitions to multiple steps). This is not allowed. Add a new step so that split and join ' +
        'become separate steps.';
    } else if (node.numArgs === 0) {
      message = `Step *${node.name}* is missing the 'self' argument.`;
    }
    if (message !== undefined) found.push(problem('check_num_args', message, node.name, node.location));
  }
  return found;
}

export function checkStaticTransitions(graph: FlowGraph): LintProblem[] {
  return [...graph.nodes.values()]
    .filter((node) => node.type !== 'end' && !node.hasTailNext)
    .map((node) =>
      problem(
        'check_static_transitions',
        `Step *${node.name}* is missing a self.next() transition to the next step. ` +
          'Add a self.next() as the last line in the function.',
        node.name,
        node.location,
      ),
    );
}

export const INVALID_TRANSITION_HELP =
  'Make sure the self.next() expression matches with one of the supported transition types:\n' +
  '  • Linear: self.next(self.step_name)\n' +
  '  • Fan-out: self.next(self.step1, self.step2, ...)\n' +
  "  • Foreach: self.next(self.step, foreach='variable')\n" +
  '  • Switch: self.next({"key": self.step, ...}, condition=\'variable\')\n\n' +
  'For switch statements, keys must be string literals, numbers or config expressions ' +
  '(self.config.key_name), not variables.';

export function checkValidTransitions(graph: FlowGraph): LintProblem[] {
  return [...graph.nodes.values()]
    .filter((node) => node.type !== 'end' && node.hasTailNext && node.invalidTailNext)
    .map((node) =>
      problem(
        'check_valid_transitions',
        `Step *${node.name}* specifies an invalid self.next() transition. ${INVALID_TRANSITION_HELP}`,
        node.name,
        tailLocation(node),
      ),
    );
}

export function checkUnknownTransitions(graph: FlowGraph): LintProblem[] {
  const found: LintProblem[] = [];
  for (const node of graph.nodes.values()) {
    for (const target of new Set(node.outFuncs)) {
      if (graph.nodes.has(target)) continue;
      found.push(
        problem(
          'check_unknown_transitions',
          `Step *${node.name}* specifies a self.next() transition to an unknown step, *${target}*.`,
          node.name,
          tailLocation(node),
        ),
      );
    }
  }
  return found;
}
