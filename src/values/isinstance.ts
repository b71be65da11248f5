/** `isinstance(value, T)`: a walk over the value's MRO. Accepts a type or a name the registry knows. */
import type { PyValue } from './model.ts';
import { TypeRegistry, isSubclass, type PyType } from './types.ts';

const known = new TypeRegistry();

export function isinstance(value: PyValue, type: PyType | string | readonly (PyType | string)[]): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.some((t: PyType | string) => isSubclass(value.type, typeof t === 'string' ? known.resolve(t) : t));
}
