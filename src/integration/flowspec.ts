// The typed TypeScript API: Metaflow-style classes with `@step` and `@wandbLog` decorators (TypeScript's
// `experimentalDecorators` form), turned into the same plain `FlowDefinition` that scenario files compile to.
//
//   @wandbLog({ datasets: true, models: true })
//   class WandbExampleFlow extends FlowSpec {
//     static alpha = Parameter({ default: 0.5 });
//     @step('end') start(self: FlowSelf) { self.setattr('raw_df', py.dataframe(...)); }
//     @wandbLog({ datasets: false }) @step() end(self: FlowSelf) {}
//   }
//   const definition = toFlowDefinition(WandbExampleFlow);
//
// A step's transition is given to `@step` (Metaflow finds it by reading the source; here it is declared), a
// join is a step method taking `(self, inputs)`, every other method is a helper, and static fields are
// parameters (`Parameter(...)`) or class constants. Decorators keep source order (outermost first), so
// precedence follows the real integration: the innermost step decoration, else the innermost flow one.

import type { FlowDefinition, FlowSelf, HelperMethod, Inputs, NextSpec, ParameterDefinition, StepDefinition } from '../flow/index.ts';
import { isWandbLog, setWandbLogApplier, type WandbLogDecorator } from './decorator.ts';
import { IntegrationError } from './errors.ts';

/** The base class of flows written in TypeScript (a marker: the definition is read from the class). */
export class FlowSpec {}

interface StepEntry { name: string; next: NextSpec | undefined; decorators: unknown[]; order: number; options: StepOptions }
interface ClassMeta { steps: Map<string, StepEntry>; methodDecorators: Map<string, unknown[]>; flowDecorators: unknown[] }

const META = new WeakMap<object, ClassMeta>();
let order = 0;

function metaOf(ctor: object): ClassMeta {
  let m = META.get(ctor);
  if (!m) META.set(ctor, (m = { steps: new Map(), methodDecorators: new Map(), flowDecorators: [] }));
  return m;
}

export interface StepOptions { retry?: number; start?: boolean; end?: boolean; join?: boolean }

/** `@step(next?)`: `'b'`, `['a', 'b']`, `{ foreach: 'items', to: 'a' }`, `{ switch: 'v', cases: {...} }`, or none for the end step. */
export function step(next?: NextSpec, options: StepOptions = {}) {
  return (proto: object, key: string | symbol): void => {
    const name = String(key);
    const m = metaOf(proto.constructor);
    // Decorators below @step in the source were applied first; they belong to this step too.
    const below = m.methodDecorators.get(name) ?? [];
    m.steps.set(name, { name, next, decorators: below, order: order++, options });
  };
}

setWandbLogApplier((data: WandbLogDecorator, target: unknown, key?: string | symbol) => {
  if (key === undefined && typeof target === 'function') {
    // Class decorators apply innermost (nearest the class line) first: prepending keeps source order.
    metaOf(target).flowDecorators.unshift(data);
    return;
  }
  if (key !== undefined && target !== null && typeof target === 'object') {
    const m = metaOf((target as object).constructor);
    const name = String(key);
    const entry = m.steps.get(name);
    if (entry) entry.decorators.unshift(data);
    else m.methodDecorators.set(name, [data, ...(m.methodDecorators.get(name) ?? [])]);
    return;
  }
  throw new IntegrationError('BAD_DECORATOR', 'Failed to apply @wandbLog: it decorates a FlowSpec class or one of its methods.');
});

/** A `Parameter(...)` declared as a static field. */
export class ParameterSpec {
  constructor(readonly options: Omit<ParameterDefinition, 'name'>) {}
}
export const Parameter = (options: Omit<ParameterDefinition, 'name'> = {}): ParameterSpec => new ParameterSpec(options);

type FlowClass = abstract new () => FlowSpec;

export function toFlowDefinition(cls: FlowClass): FlowDefinition {
  const m = META.get(cls);
  if (!m || m.steps.size === 0) throw new IntegrationError('BAD_DECORATOR', `Failed to read flow "${cls.name}": it has no @step methods. Decorate its steps with @step().`);
  const proto = cls.prototype as Record<string, unknown>;
  const steps: StepDefinition[] = [...m.steps.values()]
    .sort((a, b) => a.order - b.order)
    .map((e) => {
      const fn = proto[e.name] as (self: FlowSelf, inputs?: Inputs) => unknown;
      return {
        name: e.name,
        body: (self: FlowSelf, inputs: Inputs | null) => fn.call(undefined, self, inputs ?? undefined),
        ...(e.next !== undefined ? { next: e.next } : {}),
        join: e.options.join ?? fn.length >= 2,
        ...(e.options.retry !== undefined ? { retry: e.options.retry } : {}),
        ...(e.options.start ? { start: true } : {}),
        ...(e.options.end ? { end: true } : {}),
        decorators: e.decorators.filter(isWandbLog),
      };
    });
  const helpers: Record<string, HelperMethod> = {};
  for (const key of Object.getOwnPropertyNames(proto)) {
    if (key === 'constructor' || m.steps.has(key) || typeof proto[key] !== 'function') continue;
    const fn = proto[key] as (...args: unknown[]) => unknown;
    helpers[key] = (self, ...args) => fn.call(undefined, self, ...args);
  }
  const parameters: ParameterDefinition[] = [];
  const constants: Record<string, unknown> = {};
  for (const key of Object.getOwnPropertyNames(cls)) {
    if (['length', 'name', 'prototype'].includes(key)) continue;
    const v = (cls as unknown as Record<string, unknown>)[key];
    if (v instanceof ParameterSpec) parameters.push({ name: key, ...v.options });
    else if (typeof v !== 'function') constants[key] = v;
  }
  return {
    name: cls.name, steps, parameters, constants, decorators: m.flowDecorators.filter(isWandbLog),
    ...(Object.keys(helpers).length > 0 ? { helpers } : {}),
  };
}

/** Decorations written on helper methods (for `createWandbIntegration({ helperDecorators })`). */
export function helperDecoratorsOf(cls: FlowClass): Record<string, unknown[]> {
  const m = META.get(cls);
  return m ? Object.fromEntries([...m.methodDecorators.entries()].filter(([k]) => !m.steps.has(k))) : {};
}
