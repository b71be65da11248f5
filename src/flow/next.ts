/**
 * `FlowSpec.next(*dsts, **kwargs)` at runtime (flowspec.py): validates the call and records the
 * transition. Messages are Metaflow's, with their `*x*` markers.
 */
import { FlowError, PythonError } from './errors.ts';
import { BoundMethod, Kwargs } from './flow-self.ts';
import type { FlowObject } from './flow-object.ts';
import { sameSwitchKey } from './value-protocol.ts';
import { isPyValue, unknownOrigin } from '../values/index.ts';

const invalidNext = (message: string, code: 'INVALID_NEXT' | 'NEXT_CALLED_TWICE' | 'FOREACH_VARIABLE_MISSING' | 'FOREACH_NOT_ITERABLE' | 'FOREACH_ZERO_SPLITS' | 'SWITCH_CONDITION_MISSING' = 'INVALID_NEXT') =>
  new PythonError('InvalidNextException', message, code);

/** A Python dict literal passed to `next` for a switch: a Map, or a plain object of str keys. */
function asSwitchDict(value: unknown): Map<unknown, unknown> | undefined {
  if (value instanceof Map) return value;
  if (value !== null && typeof value === 'object' && !(value instanceof BoundMethod) && !(value instanceof Kwargs)) {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto === Object.prototype || proto === null) return new Map(Object.entries(value));
  }
  return undefined;
}

export function performNext(flow: FlowObject, rawArgs: unknown[]): void {
  const last = rawArgs.at(-1);
  const kwargs: Record<string, unknown> = last instanceof Kwargs ? { ...last.values } : {};
  const dsts = last instanceof Kwargs ? rawArgs.slice(0, -1) : rawArgs;
  const step = flow.stepName;
  const values = flow.values;
  const { foreach = null, num_parallel: numParallel = null, condition = null, ...unknown } = kwargs;

  const unknownKeys = Object.keys(unknown);
  if (unknownKeys.length > 0) {
    throw invalidNext(`Step *${step}* passes an unknown keyword argument '${unknownKeys[0]}' to self.next().`);
  }
  if (flow.transition !== null) {
    throw invalidNext(`Multiple self.next() calls detected in step *${step}*. Call self.next() only once.`, 'NEXT_CALLED_TWICE');
  }

  if (condition !== null && condition !== undefined) {
    const cases = dsts.length === 1 ? asSwitchDict(dsts[0]) : undefined;
    if (!cases || cases.size === 0) {
      throw invalidNext(
        `Step *${step}* has an invalid self.next() transition. When using 'condition', the transition must be ` +
          'to a single, non-empty dictionary mapping condition values to step methods.',
      );
    }
    if (typeof condition !== 'string') {
      throw invalidNext(`Step *${step}* has an invalid self.next() transition. The argument to 'condition' must be a string.`);
    }
    if (foreach !== null || numParallel !== null) {
      throw invalidNext(
        `Step *${step}* has an invalid self.next() transition. Switch statements cannot be combined with foreach or num_parallel.`,
      );
    }
    let conditionValue: unknown;
    try {
      conditionValue = flow.getattr(condition);
    } catch (err) {
      if (!(err instanceof PythonError && err.pyType === 'AttributeError')) throw err;
      throw invalidNext(
        `Condition variable *self.${condition}* in step *${step}* does not exist. Make sure you set self.${condition} in this step.`,
        'SWITCH_CONDITION_MISSING',
      );
    }
    const key = values.switchKey(conditionValue);
    const match = [...cases.keys()].find(
      (k) => key !== undefined && (typeof k === 'string' || typeof k === 'number' || typeof k === 'boolean') && sameSwitchKey(k, key),
    );
    if (match === undefined) {
      throw new PythonError(
        'RuntimeError',
        `Switch condition variable '${condition}' has value '${values.str(conditionValue)}' which is not in the ` +
          `available cases: ${values.repr([...cases.keys()])}`,
        'SWITCH_VALUE_NOT_A_CASE',
      );
    }
    const chosen = cases.get(match);
    if (!(chosen instanceof BoundMethod)) {
      throw invalidNext(
        `Step *${step}* specifies a switch transition that is not a function. Make sure the value in the dictionary is a method of the Flow class.`,
      );
    }
    if (!flow.hasattr(chosen.name)) {
      throw invalidNext(`Step *${step}* specifies a switch transition to an unknown step, *${chosen.name}*.`);
    }
    flow.transition = { steps: [chosen.name], foreach: null };
    return;
  }

  if (dsts.length === 1 && asSwitchDict(dsts[0])) {
    throw invalidNext(`Step *${step}* has an invalid self.next() transition. Dictionary argument requires 'condition' parameter.`);
  }
  const funcs: string[] = [];
  dsts.forEach((dst, i) => {
    if (!(dst instanceof BoundMethod)) {
      throw invalidNext(
        `In step *${step}* the ${i + 1}. argument in self.next() is not a function. Make sure all arguments in self.next() are methods of the Flow class.`,
      );
    }
    if (!flow.hasattr(dst.name)) {
      throw invalidNext(`Step *${step}* specifies a self.next() transition to an unknown step, *${dst.name}*.`);
    }
    funcs.push(dst.name);
  });
  if (numParallel !== null) {
    throw new FlowError(
      'DEFINITION_INVALID',
      `Failed to run "self.next(num_parallel=...)" in step "${step}": @parallel steps are not modelled. Use foreach instead.`,
    );
  }
  if (foreach !== null && foreach !== undefined && foreach !== '') {
    if (typeof foreach !== 'string') {
      throw invalidNext(`Step *${step}* has an invalid self.next() transition. The argument to 'foreach' must be a string.`);
    }
    if (dsts.length !== 1) {
      throw invalidNext(`Step *${step}* has an invalid self.next() transition. Specify exactly one target for 'foreach'.`);
    }
    let variable: unknown;
    try {
      variable = flow.getattr(foreach);
    } catch (err) {
      if (!(err instanceof PythonError)) throw err;
      throw invalidNext(`Foreach variable *self.${foreach}* in step *${step}* does not exist. Check your variable.`, 'FOREACH_VARIABLE_MISSING');
    }
    let items: unknown[];
    try {
      items = values.iterate(variable);
    } catch (err) {
      throw invalidNext(
        `Foreach variable *self.${foreach}* in step *${step}* is not iterable. Please check details: ${err instanceof Error ? err.message : String(err)}`,
        'FOREACH_NOT_ITERABLE',
      );
    }
    if (items.length === 0) {
      throw invalidNext(`Foreach iterator over *${foreach}* in step *${step}* produced zero splits. Check your variable.`, 'FOREACH_ZERO_SPLITS');
    }
    flow.foreachValues = items;
    const unknown = isPyValue(variable) ? unknownOrigin(variable) : undefined;
    flow.foreachUnknown = unknown === undefined ? null : { at: unknown.at, expression: unknown.expression };
    flow.foreachNumSplits = items.length;
    flow.foreachVar = foreach;
  } else if (dsts.length < 1) {
    throw invalidNext(
      `Step *${step}* has an invalid self.next() transition. Specify at least one step function as an argument in self.next().`,
    );
  }
  flow.transition = { steps: funcs, foreach: typeof foreach === 'string' && foreach !== '' ? foreach : null };
}
