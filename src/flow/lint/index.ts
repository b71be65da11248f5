/**
 * Lint, as Metaflow's lint.py: small named checks run in Metaflow's order. Unlike Metaflow (which stops at
 * the first problem) every problem is reported, in check order and, within a check, in `dir()` order —
 * so the first problem is the one Metaflow itself would print.
 */
import type { FlowGraph } from '../graph.ts';
import { stripMarkers } from '../errors.ts';
import {
  checkAnnotationNameConflict,
  checkBasicSteps,
  checkNumArgs,
  checkReservedWords,
  checkStartEndDegree,
  checkStaticTransitions,
  checkStepNames,
  checkThatEndIsEnd,
  checkUnknownTransitions,
  checkValidTransitions,
} from './basic-checks.ts';
import {
  checkAmbiguousJoins,
  checkEmptyForeaches,
  checkForAcyclicity,
  checkForOrphans,
  checkNestedForeach,
  checkSplitJoinBalance,
  checkSwitchSplits,
} from './structure-checks.ts';
import type { LintProblem } from './problem.ts';

export type { LintProblem } from './problem.ts';
export { INVALID_TRANSITION_HELP } from './basic-checks.ts';

export type LintCheck = (graph: FlowGraph) => LintProblem[];

export interface LintOptions {
  /** Enable `check_nested_foreach` (off by default, as in Metaflow's local runtime). */
  readonly forbidNestedForeach?: boolean;
}

/** The checks in lint.py's execution order. */
export const LINT_CHECKS: ReadonlyArray<readonly [name: string, check: LintCheck]> = [
  ['check_reserved_words', checkReservedWords],
  ['check_basic_steps', checkBasicSteps],
  ['check_annotation_name_conflict', checkAnnotationNameConflict],
  ['check_start_end_degree', checkStartEndDegree],
  ['check_that_end_is_end', checkThatEndIsEnd],
  ['check_step_names', checkStepNames],
  ['check_num_args', checkNumArgs],
  ['check_static_transitions', checkStaticTransitions],
  ['check_valid_transitions', checkValidTransitions],
  ['check_unknown_transitions', checkUnknownTransitions],
  ['check_for_acyclicity', checkForAcyclicity],
  ['check_for_orphans', checkForOrphans],
  ['check_split_join_balance', checkSplitJoinBalance],
  ['check_switch_splits', checkSwitchSplits],
  ['check_empty_foreaches', checkEmptyForeaches],
  ['check_nested_foreach', checkNestedForeach],
  ['check_ambiguous_joins', checkAmbiguousJoins],
];

export function lintGraph(graph: FlowGraph, options: LintOptions = {}): LintProblem[] {
  const problems: LintProblem[] = [];
  for (const [name, check] of LINT_CHECKS) {
    if (name === 'check_nested_foreach' && !options.forbidNestedForeach) continue;
    problems.push(...check(graph));
  }
  return problems;
}

/**
 * Metaflow's console form of one problem (stderr, markers stripped):
 * `    Validity checker found an issue in file F on line N:` / `    <message>`.
 */
export function formatLintProblem(p: LintProblem): string {
  const where = p.location
    ? `    Validity checker found an issue in file ${p.location.file} on line ${p.location.line}:`
    : '    Validity checker found an issue:';
  return `${where}\n    ${stripMarkers(p.message)}`;
}
