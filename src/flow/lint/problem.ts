import type { SourceLocation } from '../model.ts';

/** One lint finding: Metaflow's message verbatim (with its `*x*` markers), the check that found it and where. */
export interface LintProblem {
  /** The Metaflow check's name, e.g. `check_for_orphans`. */
  readonly check: string;
  readonly message: string;
  /** The step concerned, when there is one. */
  readonly step?: string;
  readonly location?: SourceLocation;
}

export function problem(
  check: string,
  message: string,
  step?: string,
  location?: SourceLocation,
): LintProblem {
  return {
    check,
    message,
    ...(step !== undefined ? { step } : {}),
    ...(location !== undefined ? { location } : {}),
  };
}
