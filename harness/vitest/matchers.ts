// Matchers on what planFile / runScenarioFile / runFlow return (a ScenarioResult): what a flow logged, used,
// configured and summarised per step, and the hazards found. A failure says what was logged instead.

import { expect } from 'vitest';
import type { MatcherState } from 'vitest';
import type { LogArtifact, LogRun } from '../../src/index.ts';
import type { ScenarioResult } from '../runner/index.ts';

type Result = Pick<ScenarioResult, 'tasks' | 'log' | 'diagnostics'>;
interface Outcome { pass: boolean; message: () => string }

export interface LoggedArtifactOptions { type?: string; version?: string; step?: string }
export interface UsedArtifactOptions { version?: string; step?: string }
export interface HazardOptions { step?: string; variable?: string }

function isResult(x: unknown): x is Result {
  const r = x as Partial<Result> | null;
  return typeof r === 'object' && r !== null && Array.isArray(r.tasks) && Array.isArray(r.diagnostics) && typeof r.log === 'object' && r.log !== null && Array.isArray(r.log.runs);
}

const NOT_A_RESULT = (ctx: MatcherState, name: string, received: unknown): Outcome => ({
  pass: false,
  message: () => `${name}: expected what planFile, runScenarioFile or runFlow return (a result with tasks, log and diagnostics), received ${ctx.utils.printReceived(received)}`,
});

/** Run ref -> the step whose task opened it. */
function stepsOfRuns(r: Result): Map<string, string> {
  return new Map(r.tasks.flatMap((t) => (t.run ? [[t.run, t.step] as const] : [])));
}

const where = (o: { step?: string; variable?: string; type?: string; version?: string }): string => {
  const parts = [o.type && `type "${o.type}"`, o.version && `version ${o.version}`, o.step && `step "${o.step}"`, o.variable && `variable "${o.variable}"`].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
};

const listOr = (items: string[], none: string): string => (items.length ? items.join(', ') : none);

/** The matcher's sentence, both ways round, and what was there instead. */
function outcome(ctx: MatcherState, pass: boolean, what: string, instead: string): Outcome {
  return { pass, message: () => (pass ? `expected result not to ${what}, but it did: ${instead}` : `expected result to ${what}; ${instead}`) };
}

function runsOfStep(r: Result, step: string): LogRun[] {
  const steps = stepsOfRuns(r);
  return r.log.runs.filter((run) => steps.get(run.ref) === step);
}

export const trackedFlowsMatchers = {
  toHaveLoggedArtifact(this: MatcherState, received: unknown, name: string, options: LoggedArtifactOptions = {}): Outcome {
    if (!isResult(received)) return NOT_A_RESULT(this, 'toHaveLoggedArtifact', received);
    const steps = stepsOfRuns(received);
    const fits = (a: LogArtifact) => a.name === name && (options.type === undefined || a.type === options.type)
      && (options.version === undefined || a.version === options.version) && (options.step === undefined || steps.get(a.created_by ?? '') === options.step);
    const found = received.log.artifacts.filter(fits);
    const show = (a: LogArtifact) => `${a.name}:${a.version} (${a.type}, step ${a.created_by ? (steps.get(a.created_by) ?? a.created_by) : 'none'})`;
    const pass = found.length > 0;
    return outcome(this, pass, `have logged artifact "${name}"${where(options)}`, pass ? found.map(show).join(', ') : `logged: ${listOr(received.log.artifacts.map(show), 'no artifacts')}`);
  },

  toHaveUsedArtifact(this: MatcherState, received: unknown, name: string, options: UsedArtifactOptions = {}): Outcome {
    if (!isResult(received)) return NOT_A_RESULT(this, 'toHaveUsedArtifact', received);
    const steps = stepsOfRuns(received);
    const uses = received.log.runs.flatMap((run) => run.used_artifacts.map((ref) => ({ ref, step: steps.get(run.ref) ?? run.ref })));
    const found = uses.filter((u) => {
      const [n, v] = [u.ref.slice(0, u.ref.lastIndexOf(':')), u.ref.slice(u.ref.lastIndexOf(':') + 1)];
      return n === name && (options.version === undefined || v === options.version) && (options.step === undefined || u.step === options.step);
    });
    const show = (u: { ref: string; step: string }) => `${u.ref} (step ${u.step})`;
    const pass = found.length > 0;
    return outcome(this, pass, `have used artifact "${name}"${where(options)}`, pass ? found.map(show).join(', ') : `used: ${listOr(uses.map(show), 'no artifacts')}`);
  },

  toHaveHazard(this: MatcherState, received: unknown, code: string, options: HazardOptions = {}): Outcome {
    if (!isResult(received)) return NOT_A_RESULT(this, 'toHaveHazard', received);
    const found = received.diagnostics.filter((d) => d.code === code && (options.step === undefined || d.step === options.step) && (options.variable === undefined || d.variable === options.variable));
    const show = (d: ScenarioResult['diagnostics'][number]) => `${d.code}${d.step ? ` [${d.step}]` : ''}${d.variable ? ` ${d.variable}` : ''}`;
    const pass = found.length > 0;
    return outcome(this, pass, `have hazard ${code}${where(options)}`, pass ? found.map((d) => `${show(d)}: ${d.message}`).join('; ') : `found: ${listOr(received.diagnostics.map(show), 'no hazards')}`);
  },

  toHaveLoggedSummary(this: MatcherState, received: unknown, step: string, partial: Record<string, unknown>): Outcome {
    return partialOfStep(this, 'toHaveLoggedSummary', received, step, partial, 'summary');
  },

  toHaveConfig(this: MatcherState, received: unknown, step: string, partial: Record<string, unknown>): Outcome {
    return partialOfStep(this, 'toHaveConfig', received, step, partial, 'config');
  },
};

function partialOfStep(ctx: MatcherState, name: string, received: unknown, step: string, partial: Record<string, unknown>, field: 'summary' | 'config'): Outcome {
  if (!isResult(received)) return NOT_A_RESULT(ctx, name, received);
  const runs = runsOfStep(received, step);
  const pass = runs.some((run) => ctx.equals(run[field], expect.objectContaining(partial)));
  const what = `have ${field === 'summary' ? 'logged summary' : 'config'} ${ctx.utils.stringify(partial, undefined, { min: true })} in step "${step}"`;
  const logged = runs.length === 0
    ? `step "${step}" has no W&B run (runs by step: ${listOr([...new Set(stepsOfRuns(received).values())].map((s) => `"${s}"`), 'none')})`
    : `step "${step}" logged ${field} ${runs.map((run) => ctx.utils.stringify(run[field], undefined, { min: true })).join(', ')}`;
  return outcome(ctx, pass, what, logged);
}

export interface TrackedFlowsMatchers<R = unknown> {
  /** The result logged an artifact of this name (and type, version `vN`, from this step's run). */
  toHaveLoggedArtifact(name: string, options?: LoggedArtifactOptions): R;
  /** A run (of this step) used a version (`vN`) of this artifact. */
  toHaveUsedArtifact(name: string, options?: UsedArtifactOptions): R;
  /** A diagnostic with this code (LATEST_MISMATCH, TASK_FAILED, ...), at this step / variable. */
  toHaveHazard(code: string, options?: HazardOptions): R;
  /** A run of this step has these summary keys with these values (others may be there too). */
  toHaveLoggedSummary(step: string, partial: Record<string, unknown>): R;
  /** A run of this step has this config (others keys may be there too). */
  toHaveConfig(step: string, partial: Record<string, unknown>): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends TrackedFlowsMatchers<T> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AsymmetricMatchersContaining extends TrackedFlowsMatchers {}
}
