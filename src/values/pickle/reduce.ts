/**
 * The arguments and states CPython's `__reduce__` methods produce for the non-builtin values we pickle, and the
 * documented stand-in states for library values whose real pickles depend on library internals.
 */
import type { PyValue } from '../model.ts';
import { py } from '../model.ts';

/** `datetime.__reduce__` state: 10 bytes, year big-endian, then month..second, microsecond in 3 bytes. */
export function datetimeState(v: Extract<PyValue, { kind: 'datetime' }>): Uint8Array {
  return Uint8Array.of(v.year >> 8, v.year & 0xff, v.month, v.day, v.hour, v.minute, v.second,
    (v.microsecond >> 16) & 0xff, (v.microsecond >> 8) & 0xff, v.microsecond & 0xff);
}

/** `PurePosixPath(p).parts`: `('/', 'a', 'b')` for `/a/b`, `()` for `.`. */
export function pathParts(p: string): string[] {
  const parts: string[] = [];
  let rest = p;
  if (rest.startsWith('/')) {
    // POSIX keeps exactly two leading slashes as a root of their own; one or three+ become '/'.
    const m = /^\/+/.exec(rest)![0];
    parts.push(m.length === 2 ? '//' : '/');
    rest = rest.slice(m.length);
  }
  for (const seg of rest.split('/')) if (seg !== '' && seg !== '.') parts.push(seg);
  return parts;
}

/** The state dict written for library values we cannot reproduce byte-exactly (documented stand-ins). */
export function standInState(v: PyValue): [string, PyValue][] {
  const scalar = (x: number | bigint | boolean): PyValue =>
    typeof x === 'boolean' ? py.bool(x) : typeof x === 'bigint' ? py.int(x) : py.float(x);
  switch (v.kind) {
    case 'numpy-scalar': return [['dtype', py.str(v.dtype)], ['value', scalar(v.value)]];
    case 'ndarray':
      return [['dtype', py.str(v.dtype)], ['shape', py.tuple(v.shape.map((n) => py.int(n)))], ['data', py.list(v.data.map(scalar))]];
    case 'dataframe':
      return [['columns', py.list(v.columns.map((c) => py.str(c)))], ['rows', py.list(v.rows.map((r) => py.list([...r])))]];
    case 'series': return [['name', v.name === undefined ? py.None : py.str(v.name)], ['data', py.list([...v.items])]];
    default: return [];
  }
}

