// The Public API's run and artifact filters: the MongoDB-like JSON that `api.runs(path, filters=...)` sends as
// the `filters` variable (a JSONString), evaluated over one record at a time. The operators are those the SDK's
// own QueryGenerator writes (wandb/apis/public/query_generator.py) plus `$exists`; an operator or a shape we do
// not know is refused with a message naming it, never silently matched.

import { BackendError } from '../errors.ts';

/** Reads a dotted path of a record; undefined when the record has no such field. */
export type FieldReader = (path: string) => unknown;

export type Filter = Record<string, unknown>;

const COMPARISONS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$regex', '$exists']);

function bad(reason: string): BackendError {
  return new BackendError('BAD_VARIABLES', `Failed to apply "filters": ${reason}. Write filters as the wandb SDK does, e.g. {"$and": [{"group": "Flow/1"}, {"config.alpha": {"$gt": 0.1}}]}.`);
}

/** Parses the `filters` variable (a JSON string, an object, or null/empty for "everything"). */
export function parseFilter(raw: unknown): Filter {
  if (raw === null || raw === undefined || raw === '') return {};
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw bad(`the value is not JSON (${JSON.stringify(raw.slice(0, 60))})`);
    }
  }
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw bad('it must be a JSON object');
  check(value as Filter);
  return value as Filter;
}

/** Validates the whole filter up front, so a bad operator is refused even when no record reaches it. */
function check(filter: Filter): void {
  for (const [key, cond] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(cond) || cond.some((c) => c === null || typeof c !== 'object' || Array.isArray(c))) throw bad(`${key} takes a list of filter objects`);
      cond.forEach((c) => check(c as Filter));
    } else if (key.startsWith('$')) {
      throw bad(`the operator ${key} is not supported at the top level (supported: $and, $or, $nor)`);
    } else if (isOperatorObject(cond)) {
      for (const [op, arg] of Object.entries(cond as Record<string, unknown>)) {
        if (op === '$not') {
          if (!isOperatorObject(arg)) throw bad(`$not on "${key}" takes an operator object`);
          check({ [key]: arg });
        } else if (!COMPARISONS.has(op)) throw bad(`the operator ${op} on "${key}" is not supported (supported: ${[...COMPARISONS, '$not'].join(', ')})`);
        else if ((op === '$in' || op === '$nin') && !Array.isArray(arg)) throw bad(`${op} on "${key}" takes a list`);
        else if (op === '$regex' && typeof arg !== 'string') throw bad(`$regex on "${key}" takes a string`);
        else if (op === '$regex') compile(arg as string, key);
      }
    }
  }
}

const isOperatorObject = (v: unknown): boolean =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => k.startsWith('$'));

const regexCache = new Map<string, RegExp>();

function compile(pattern: string, key: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    try {
      re = new RegExp(pattern);
    } catch (err) {
      throw bad(`$regex on "${key}" is not a valid regular expression (${(err as Error).message})`);
    }
    regexCache.set(pattern, re);
  }
  return re;
}

/** Whether the record that `read` describes matches the (already parsed) filter. */
export function matches(filter: Filter, read: FieldReader): boolean {
  for (const [key, cond] of Object.entries(filter)) {
    if (key === '$and') {
      if (!(cond as Filter[]).every((c) => matches(c, read))) return false;
    } else if (key === '$or') {
      if (!(cond as Filter[]).some((c) => matches(c, read))) return false;
    } else if (key === '$nor') {
      if ((cond as Filter[]).some((c) => matches(c, read))) return false;
    } else if (!fieldMatches(read(key), cond, key)) return false;
  }
  return true;
}

function fieldMatches(value: unknown, cond: unknown, key: string): boolean {
  if (!isOperatorObject(cond)) return equals(value, cond);
  for (const [op, arg] of Object.entries(cond as Record<string, unknown>)) {
    if (!operatorMatches(value, op, arg, key)) return false;
  }
  return true;
}

function operatorMatches(value: unknown, op: string, arg: unknown, key: string): boolean {
  switch (op) {
    case '$eq':
      return equals(value, arg);
    case '$ne':
      return !equals(value, arg);
    case '$in':
      return (arg as unknown[]).some((a) => equals(value, a));
    case '$nin':
      return !(arg as unknown[]).some((a) => equals(value, a));
    case '$exists':
      return (value !== undefined) === Boolean(arg);
    case '$regex': {
      const re = compile(arg as string, key);
      return Array.isArray(value) ? value.some((v) => typeof v === 'string' && re.test(v)) : typeof value === 'string' && re.test(value);
    }
    case '$not':
      return !fieldMatches(value, arg, key);
    default: {
      const c = compare(value, arg);
      if (c === null) return false;
      return op === '$gt' ? c > 0 : op === '$gte' ? c >= 0 : op === '$lt' ? c < 0 : c <= 0;
    }
  }
}

/** Mongo's equality: null matches a missing field too; a list field matches when any element is equal. */
function equals(value: unknown, want: unknown): boolean {
  if (want === null) return value === null || value === undefined;
  if (Array.isArray(value) && !Array.isArray(want)) return value.some((v) => equals(v, want));
  if (value === want) return true;
  if (typeof value === 'object' && typeof want === 'object' && value !== null) return JSON.stringify(value) === JSON.stringify(want);
  return false;
}

/** Numbers with numbers, strings with strings; anything else does not compare (the condition is false). */
export function compare(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'string' && typeof b === 'string') return a === b ? 0 : a < b ? -1 : 1;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return null;
}

/** Follows a dotted path into a plain value; undefined where it leaves the value. */
export function at(value: unknown, path: readonly string[]): unknown {
  let cur = value;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
