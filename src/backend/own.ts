// State records are plain objects indexed by names that come off the wire. A plain lookup would find what every
// object inherits (`constructor`, `toString`, ...) and an assignment to `__proto__` would replace a record's
// prototype instead of storing anything. Untrusted keys are read through own() and `__proto__` is refused as a
// name before it can be stored (fuzzing found both: a 500 and a silently lost file).

export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The one key an assignment cannot store on a plain object. */
export const RESERVED_KEY = '__proto__';
