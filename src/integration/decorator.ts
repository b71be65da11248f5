// `@wandb_log(datasets=False, models=False, others=False, settings=None)` as data. Flow and step
// definitions carry these in their `decorators` lists (outermost first, as in source).

import type { Settings } from './settings.ts';

export interface WandbLogOptions {
  datasets?: boolean;
  models?: boolean;
  others?: boolean;
  /** A `Settings` object (shared and mutated as in Python) or anything else (a dict), which is ignored. */
  settings?: Settings | Record<string, unknown> | null;
}

export interface WandbLogDecorator {
  readonly kind: 'wandb_log';
  readonly datasets: boolean;
  readonly models: boolean;
  readonly others: boolean;
  readonly settings: Settings | Record<string, unknown> | null;
  /** Where it was written (scenario files pass YAML positions). */
  readonly location?: { file: string; line: number; col?: number };
}

/** Keyword-only flags (the Python positional-flag pitfall of §1.1 cannot be expressed). */
export function wandbLog(options: WandbLogOptions = {}, location?: WandbLogDecorator['location']): WandbLogDecorator {
  return {
    kind: 'wandb_log',
    datasets: options.datasets ?? false,
    models: options.models ?? false,
    others: options.others ?? false,
    settings: options.settings ?? null,
    ...(location ? { location } : {}),
  };
}

export function isWandbLog(d: unknown): d is WandbLogDecorator {
  return typeof d === 'object' && d !== null && (d as { kind?: unknown }).kind === 'wandb_log';
}

/**
 * The decoration that applies to a task (reference §1.3): the earliest-applied one wins, so the innermost
 * step decoration (last in source order), else the innermost flow decoration, else none (no run).
 */
export function effectiveDecoration(stepDecorators: readonly unknown[] = [], flowDecorators: readonly unknown[] = []): { decorator: WandbLogDecorator; source: 'step' | 'flow' } | null {
  const step = stepDecorators.filter(isWandbLog).at(-1);
  if (step) return { decorator: step, source: 'step' };
  const flow = flowDecorators.filter(isWandbLog).at(-1);
  return flow ? { decorator: flow, source: 'flow' } : null;
}
