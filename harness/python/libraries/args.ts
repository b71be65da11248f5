/** Reading call arguments as Python binds them (position or keyword). */
import type { Args } from '../host.ts';
import { isPy, type Value } from '../interp-values.ts';

export const argOf = (a: Args, i: number, name: string): Value | undefined => a.positional[i] ?? a.keywords.get(name);

export const strArg = (a: Args, i: number, name: string): string | undefined => {
  const v = argOf(a, i, name);
  return v !== undefined && isPy(v) && v.kind === 'str' ? v.value : undefined;
};
