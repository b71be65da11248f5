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

/** Something that is both decoration data and a TypeScript decorator for FlowSpec classes and their steps. */
export type WandbLogDecoratorFn = WandbLogDecorator & (<T>(target: T, key?: string | symbol, descriptor?: PropertyDescriptor) => void);

/**
 * Keyword-only flags (the Python positional-flag pitfall of §1.1 cannot be expressed). The value is decoration
 * data (for `decorators:` lists) and also a decorator: `@wandbLog({ datasets: true })` on a FlowSpec class or
 * step method (src/integration/flowspec.ts).
 */
export function wandbLog(options: WandbLogOptions = {}, location?: WandbLogDecorator['location']): WandbLogDecoratorFn {
  const data = wandbLogDecoration(options, location);
  const apply = (target: unknown, key?: string | symbol) => decorateWithWandbLog(data, target, key);
  return Object.assign(apply, data) as WandbLogDecoratorFn;
}

/** The decoration as plain data (what scenario files compile to; compares and serialises as data). */
export function wandbLogDecoration(options: WandbLogOptions = {}, location?: WandbLogDecorator['location']): WandbLogDecorator {
  return {
    kind: 'wandb_log',
    datasets: options.datasets ?? false,
    models: options.models ?? false,
    others: options.others ?? false,
    settings: options.settings ?? null,
    ...(location ? { location } : {}),
  };
}

/** Set by flowspec.ts (kept apart so this module stays free of the class machinery). */
let decorateWithWandbLog: (data: WandbLogDecorator, target: unknown, key?: string | symbol) => void = () => {
  throw new Error('Failed to apply @wandbLog: import it from src/index.ts so the FlowSpec support is loaded.');
};
export function setWandbLogApplier(f: typeof decorateWithWandbLog): void {
  decorateWithWandbLog = f;
}

export function isWandbLog(d: unknown): d is WandbLogDecorator {
  return (typeof d === 'object' || typeof d === 'function') && d !== null && (d as { kind?: unknown }).kind === 'wandb_log';
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
