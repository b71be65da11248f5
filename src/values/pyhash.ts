/**
 * Python equality and CPython's hash for the values whose hash does not depend on the process: numbers
 * (int, bool, float, complex, numpy scalars) and tuples of them. With those we can reproduce CPython's set
 * iteration order, which decides the order of a set's items in its pickle and in W&B's JSON (a set becomes a
 * list in iteration order).
 *
 * `str`/`bytes` hashes are salted per process (PYTHONHASHSEED) and `None`'s hash is its address on
 * CPython <= 3.11, so a set holding those has no reproducible order: we keep insertion order for it.
 */
import type { PyValue } from './model.ts';

const MASK64 = (1n << 64n) - 1n;
const MODULUS = (1n << 61n) - 1n; // _PyHASH_MODULUS
const HASH_INF = 314159n;
const XXPRIME_1 = 11400714785074694791n;
const XXPRIME_2 = 14029467366897019727n;
const XXPRIME_5 = 2870177450012600261n;

function numericValue(v: PyValue): { int: bigint } | { float: number } | undefined {
  switch (v.kind) {
    case 'bool': return { int: v.value ? 1n : 0n };
    case 'int': return { int: v.value };
    case 'float': return { float: v.value };
    case 'numpy-scalar':
      if (typeof v.value === 'boolean') return { int: v.value ? 1n : 0n };
      if (typeof v.value === 'bigint') return { int: v.value };
      return { float: v.value };
    default: return undefined;
  }
}

/** Python `==` for the values the model can compare structurally; otherwise identity. */
export function pyEquals(a: PyValue, b: PyValue): boolean {
  if (a === b) return true;
  const na = numericValue(a);
  const nb = numericValue(b);
  if (na !== undefined || nb !== undefined) {
    if (na === undefined || nb === undefined) {
      if (a.kind === 'complex' || b.kind === 'complex') return complexEquals(a, b);
      return false;
    }
    if ('int' in na && 'int' in nb) return na.int === nb.int;
    if ('float' in na && 'float' in nb) return na.float === nb.float;
    const i = 'int' in na ? na.int : (nb as { int: bigint }).int;
    const f = 'float' in na ? na.float : (nb as { float: number }).float;
    return Number.isInteger(f) && BigInt(f) === i;
  }
  if (a.kind === 'complex' || b.kind === 'complex') return complexEquals(a, b);
  if (a.kind === 'none' && b.kind === 'none') return true;
  if (a.kind === 'str' && b.kind === 'str') return a.value === b.value;
  if (a.kind === 'bytes' && b.kind === 'bytes') return a.value.length === b.value.length && a.value.every((x, i) => x === b.value[i]);
  if (a.kind === 'tuple' && b.kind === 'tuple') return a.items.length === b.items.length && a.items.every((x, i) => pyEquals(x, b.items[i]!));
  if (a.kind === 'list' && b.kind === 'list') return a.items.length === b.items.length && a.items.every((x, i) => pyEquals(x, b.items[i]!));
  if (a.kind === 'set' && b.kind === 'set') return a.items.length === b.items.length && a.items.every((x) => b.items.some((y) => pyEquals(x, y)));
  if (a.kind === 'dict' && b.kind === 'dict') {
    return a.entries.length === b.entries.length &&
      a.entries.every(([k, v]) => b.entries.some(([k2, v2]) => pyEquals(k, k2) && pyEquals(v, v2)));
  }
  if (a.kind === 'decimal' && b.kind === 'decimal') return a.text === b.text;
  return false;
}

function complexEquals(a: PyValue, b: PyValue): boolean {
  const parts = (v: PyValue): [number, number] | undefined => {
    if (v.kind === 'complex') return [v.re, v.im];
    const n = numericValue(v);
    if (n === undefined) return undefined;
    return ['int' in n ? Number(n.int) : n.float, 0];
  };
  const pa = parts(a);
  const pb = parts(b);
  return pa !== undefined && pb !== undefined && pa[0] === pb[0] && pa[1] === pb[1];
}

function signed64(u: bigint): bigint {
  return BigInt.asIntN(64, u);
}

/** hash(int): sign * (|n| mod 2**61-1), with -1 mapped to -2. */
export function hashInt(n: bigint): bigint {
  const abs = n < 0n ? -n : n;
  let h = abs % MODULUS;
  if (n < 0n) h = -h;
  return h === -1n ? -2n : h;
}

/** hash(float): the hash of the exact rational value, reduced modulo 2**61-1 (Python's numeric hash). */
export function hashFloat(x: number): bigint | undefined {
  if (Number.isNaN(x)) return undefined; // CPython >= 3.10 hashes NaN by identity.
  if (!Number.isFinite(x)) return x > 0 ? HASH_INF : -HASH_INF;
  if (x === 0) return 0n;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const exponentBits = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exponent: number;
  if (exponentBits === 0) {
    exponent = -1074;
  } else {
    mantissa |= 1n << 52n;
    exponent = exponentBits - 1075;
  }
  // value = mantissa * 2**exponent; 2**61 = 1 (mod 2**61-1), so any power of two reduces to 2**(e mod 61).
  const e = ((exponent % 61) + 61) % 61;
  let h = (mantissa % MODULUS) * (1n << BigInt(e)) % MODULUS;
  if (negative) h = -h;
  return h === -1n ? -2n : h;
}

/** CPython's hash(v) where it does not depend on the process; undefined otherwise. */
export function pyHash(v: PyValue): bigint | undefined {
  switch (v.kind) {
    case 'bool': return v.value ? 1n : 0n;
    case 'int': return hashInt(v.value);
    case 'float': return hashFloat(v.value);
    case 'numpy-scalar':
      if (typeof v.value === 'boolean') return v.value ? 1n : 0n;
      if (typeof v.value === 'bigint') return hashInt(v.value);
      return hashFloat(v.value);
    case 'complex': {
      const re = hashFloat(v.re);
      const im = hashFloat(v.im);
      if (re === undefined || im === undefined) return undefined;
      const h = signed64((BigInt.asUintN(64, re) + 1000003n * BigInt.asUintN(64, im)) & MASK64);
      return h === -1n ? -2n : h;
    }
    case 'tuple': {
      let acc = XXPRIME_5;
      for (const item of v.items) {
        const lane = pyHash(item);
        if (lane === undefined) return undefined;
        acc = (acc + BigInt.asUintN(64, lane) * XXPRIME_2) & MASK64;
        acc = ((acc << 31n) | (acc >> 33n)) & MASK64;
        acc = (acc * XXPRIME_1) & MASK64;
      }
      acc = (acc + (BigInt(v.items.length) ^ (XXPRIME_5 ^ 3527539n))) & MASK64;
      if (acc === MASK64) return 1546275796n;
      return signed64(acc);
    }
    default:
      return undefined;
  }
}

const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5n;
const MINSIZE = 8;

interface Slot { hash: bigint; item: PyValue }

/** Finds the slot CPython's setobject.c would use (set_add_entry / set_insert_clean probe sequence). */
function probe(table: (Slot | null)[], hash: bigint, item: PyValue | undefined): { index: number; existing: boolean } {
  const mask = table.length - 1;
  let i = Number(hash & BigInt(mask));
  let perturb = hash;
  for (;;) {
    const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    for (let j = i; j <= i + probes; j++) {
      const slot = table[j];
      if (slot === null || slot === undefined) return { index: j, existing: false };
      if (item !== undefined && slot.hash === hash && pyEquals(slot.item, item)) return { index: j, existing: true };
    }
    perturb >>= PERTURB_SHIFT;
    i = Number((BigInt(i) * 5n + 1n + perturb) & BigInt(mask));
  }
}

/**
 * The iteration order of a set built by adding `items` one by one (as `set([...])` and `{...}` do).
 * Falls back to insertion order when some item's hash is not reproducible.
 */
export function setIterationOrder(items: readonly PyValue[]): PyValue[] {
  const hashes: bigint[] = [];
  for (const it of items) {
    const h = pyHash(it);
    if (h === undefined) return [...items];
    hashes.push(BigInt.asUintN(64, h));
  }
  let table: (Slot | null)[] = new Array<Slot | null>(MINSIZE).fill(null);
  let fill = 0;
  items.forEach((item, k) => {
    const hash = hashes[k]!;
    const found = probe(table, hash, item);
    if (found.existing) return;
    table[found.index] = { hash, item };
    fill++;
    const mask = table.length - 1;
    if (fill * 5 >= mask * 3) {
      const used = fill; // no deletions, so fill == used
      const minused = used > 50000 ? used * 2 : used * 4;
      let size = MINSIZE;
      while (size <= minused) size <<= 1;
      const next: (Slot | null)[] = new Array<Slot | null>(size).fill(null);
      for (const slot of table) {
        if (slot !== null) next[probe(next, slot.hash, undefined).index] = slot;
      }
      table = next;
    }
  });
  return table.filter((s): s is Slot => s !== null).map((s) => s.item);
}
