/**
 * `pickle.dumps(value, protocol=4)` as CPython 3.11's C pickler writes it, byte for byte, for builtins
 * (None, bool, int of any size, float, str, bytes, tuple, list, dict, set, frozenset and their nestings),
 * including its memo (by object identity) and framing. Objects pickled through `__reduce_ex__` follow the same
 * opcodes CPython emits for them: complex, Decimal, datetime, bytearray, OrderedDict, defaultdict, str Enum
 * members, pathlib paths, and instances of user classes (`copyreg.__newobj__` + `__dict__` state).
 *
 * Identity rules that CPython applies and we mirror (they decide where a BINGET appears):
 * - the same PyValue object twice is one object referenced twice;
 * - `''` and one-character Latin-1 strings are singletons; `b''` is a singleton;
 * - module names and attribute names (keys of an object's state) are interned, so shared;
 * - a class is written once and referenced afterwards.
 *
 * Values of library types whose real pickles depend on the library's internals (numpy arrays and scalars,
 * pandas objects) are written as documented stand-ins: `NEWOBJ` of their class with a state dict
 * (see `standInState`). They are deterministic and well-formed pickles, but not byte-equal to numpy's/pandas'.
 */
import type { PyType } from '../types.ts';
import { T, fullName, isSubclass } from '../types.ts';
import type { PyDict, PyValue } from '../model.ts';
import { py } from '../model.ts';
import { setIterationOrder } from '../pyhash.ts';
import { PythonError, ValuesError } from '../errors.ts';
import { PickleWriter } from './writer.ts';
import { datetimeState, pathParts, standInState } from './reduce.ts';
import { isNumpyValue, saveNdarray, saveNumpyScalar } from './numpy.ts';
import { isUnorderedList } from '../unknown.ts';
import { DERIVED_LAYOUT, pandasNotPredicted, saveDataFrame, saveSeries } from './pandas.ts';
import { BATCHSIZE, OP, bytesIdentity, encodeLong, isSingletonStr, u32le, u64le, utf8 } from './opcodes.ts';

/** A pickle `dumps` session: one memo, one output. */
export class Pickler {
  readonly out = new PickleWriter();
  /** Why the bytes are not those of the real run, one entry per value written as a stand-in. */
  readonly notPredicted: string[] = [];
  private readonly memoByObject = new Map<object, number>();
  private readonly memoByKey = new Map<string, number>();
  private memoSize = 0;

  dump(value: PyValue): Uint8Array {
    this.out.byte(OP.PROTO);
    this.out.byte(4);
    this.out.framing = true;
    this.save(value);
    this.out.byte(OP.STOP);
    this.out.commitFrame();
    return this.out.result();
  }

  // --- memo ------------------------------------------------------------------------------------------------

  memoize(identity: object | string): void {
    const index = this.memoSize++;
    if (typeof identity === 'string') this.memoByKey.set(identity, index);
    else this.memoByObject.set(identity, index);
    this.out.byte(OP.MEMOIZE);
  }

  lookup(identity: object | string): number | undefined {
    return typeof identity === 'string' ? this.memoByKey.get(identity) : this.memoByObject.get(identity);
  }

  get(index: number): void {
    if (index < 256) {
      this.out.byte(OP.BINGET);
      this.out.byte(index);
    } else {
      this.out.byte(OP.LONG_BINGET);
      this.out.bytes(u32le(index));
    }
  }

  /** Memo identity of a value: its object, or a value key where CPython shares objects. */
  private identityOf(v: PyValue): object | string {
    if (v.kind === 'str' && v.type === T.str && isSingletonStr(v.value) && !v.fresh) return `s:${v.value}`;
    if (v.kind === 'bytes' && v.type === T.bytes && v.value.length <= 1) return bytesIdentity(v.value);
    // numpy.True_ and numpy.False_ are the only numpy.bool_ objects.
    if (v.kind === 'numpy-scalar' && v.dtype === 'bool_' && isNumpyValue(v)) return `np.bool_:${String(v.value)}`;
    return v;
  }

  // --- dispatch --------------------------------------------------------------------------------------------

  save(v: PyValue): void {
    this.out.boundary();
    switch (v.kind) {
      case 'none': this.out.byte(OP.NONE); return;
      case 'bool': this.out.byte(v.value ? OP.NEWTRUE : OP.NEWFALSE); return;
      case 'int':
        if (v.type === T.int) { this.saveInt(v.value); return; }
        break;
      case 'float':
        if (v.type === T.float) { this.saveFloat(v.value); return; }
        break;
      default:
        break;
    }
    const identity = this.identityOf(v);
    const seen = this.lookup(identity);
    if (seen !== undefined) {
      this.get(seen);
      return;
    }
    switch (v.kind) {
      case 'str':
        if (v.type === T.str) return this.saveStr(v.value, identity);
        if (v.type.mro.some((t) => t === T.Enum)) return this.saveReduce(v, v.type, [py.str(v.value)]);
        break;
      case 'bytes':
        if (v.type === T.bytes) return this.saveBytes(v.value, identity);
        return this.saveReduce(v, T.bytearray, [py.bytes(v.value)]);
      case 'tuple': return this.saveTuple(v, v.items);
      case 'list':
        if (v.type === T.list) return this.saveList(v, v.items);
        // A list built from a set of str: the real run's pickle has the items in its process's hash order.
        if (isUnorderedList(v)) {
          this.notPredicted.push('list: its order is the hash order of a set of str or bytes, random per process');
          return this.saveList(v, v.items);
        }
        break;
      case 'dict': return this.saveDict(v);
      case 'set':
        return v.type === T.frozenset ? this.saveFrozenset(v, v.items) : this.saveSet(v, v.items);
      case 'complex': return this.saveReduce(v, T.complex, [py.float(v.re), py.float(v.im)]);
      case 'decimal': return this.saveReduce(v, T.Decimal, [py.str(v.text)]);
      case 'datetime': return this.saveReduce(v, T.datetime, [py.bytes(datetimeState(v))]);
      case 'path': return this.saveReduce(v, v.type, pathParts(v.path).map((p) => py.str(p)));
      case 'function': return this.saveFunction(v);
      case 'object':
        // Estimators and torch modules pickle their fitted/internal state (`_sklearn_version`, `_parameters`, ...),
        // which the model does not hold: their bytes are not the real run's.
        if (isSubclass(v.type, T.BaseEstimator) || isSubclass(v.type, T.Module)) {
          this.notPredicted.push(`${fullName(v.type)}: its pickled state is the library's internal state, not modelled`);
        }
        return this.saveObject(v, v.type, v.state);
      case 'numpy-scalar':
        if (isNumpyValue(v)) return saveNumpyScalar(this, v, identity);
        return this.saveStandIn(v);
      case 'ndarray':
        if (isNumpyValue(v)) return saveNdarray(this, v);
        return this.saveStandIn(v);
      case 'dataframe': case 'series': {
        // A real frame is written as pandas lays it out; only its derivation may make the bytes differ.
        const why = pandasNotPredicted(v);
        if (why !== undefined) this.notPredicted.push(`${fullName(v.type)}: ${why}`);
        if (why === undefined || why === DERIVED_LAYOUT) return v.kind === 'series' ? saveSeries(this, v) : saveDataFrame(this, v);
        return this.saveObject(v, v.type, standInState(v));
      }
      default:
        break;
    }
    throw new ValuesError(
      'unsupported-value',
      `Failed to pickle "${fullName(v.type)}": values of this class are not modelled by the pickler. Use a builtin value or a user class (!object).`,
    );
  }

  /** A library value whose real bytes are not modelled: a documented stand-in, and the pickle is marked inexact. */
  private saveStandIn(v: PyValue): void {
    this.notPredicted.push(`${fullName(v.type)}: ${STAND_IN_REASON}`);
    this.saveObject(v, v.type, standInState(v));
  }

  private saveInt(n: bigint): void {
    if (n >= 0n && n < 0x100n) {
      this.out.byte(OP.BININT1);
      this.out.byte(Number(n));
    } else if (n >= 0n && n < 0x10000n) {
      this.out.byte(OP.BININT2);
      this.out.bytes(Uint8Array.of(Number(n & 0xffn), Number(n >> 8n)));
    } else if (n >= -0x80000000n && n <= 0x7fffffffn) {
      this.out.byte(OP.BININT);
      const b = new Uint8Array(4);
      new DataView(b.buffer).setInt32(0, Number(n), true);
      this.out.bytes(b);
    } else {
      const data = encodeLong(n);
      if (data.length < 256) {
        this.out.byte(OP.LONG1);
        this.out.byte(data.length);
      } else {
        this.out.byte(OP.LONG4);
        this.out.bytes(u32le(data.length));
      }
      this.out.bytes(data);
    }
  }

  private saveFloat(x: number): void {
    const b = new Uint8Array(9);
    b[0] = OP.BINFLOAT;
    new DataView(b.buffer).setFloat64(1, x, false);
    this.out.bytes(b);
  }

  saveStr(s: string, identity: object | string): void {
    const data = utf8.encode(s);
    let header: Uint8Array;
    if (data.length < 256) header = Uint8Array.of(OP.SHORT_BINUNICODE, data.length);
    else if (data.length <= 0xffffffff) header = Uint8Array.of(OP.BINUNICODE, ...u32le(data.length));
    else header = Uint8Array.of(OP.BINUNICODE8, ...u64le(data.length));
    this.out.headerAndPayload(header, data);
    this.memoize(identity);
  }

  saveBytes(data: Uint8Array, identity: object | string): void {
    let header: Uint8Array;
    if (data.length < 256) header = Uint8Array.of(OP.SHORT_BINBYTES, data.length);
    else if (data.length <= 0xffffffff) header = Uint8Array.of(OP.BINBYTES, ...u32le(data.length));
    else header = Uint8Array.of(OP.BINBYTES8, ...u64le(data.length));
    this.out.headerAndPayload(header, data);
    this.memoize(identity);
  }

  /** Strings CPython interns (module names, attribute names): shared by value. */
  saveInterned(s: string, namespace: 'mod' | 'attr'): void {
    const key = isSingletonStr(s) ? `s:${s}` : `${namespace}:${s}`;
    const seen = this.lookup(key);
    if (seen !== undefined) this.get(seen);
    else this.saveStr(s, key);
  }

  saveTuple(v: PyValue, items: readonly PyValue[]): void {
    if (items.length === 0) {
      this.out.byte(OP.EMPTY_TUPLE);
      return;
    }
    if (items.length <= 3) {
      for (const it of items) this.save(it);
      this.out.byte(OP.TUPLE1 + items.length - 1);
    } else {
      this.out.byte(OP.MARK);
      for (const it of items) this.save(it);
      this.out.byte(OP.TUPLE);
    }
    this.memoize(v);
  }

  private saveList(v: PyValue, items: readonly PyValue[]): void {
    this.out.byte(OP.EMPTY_LIST);
    this.memoize(v);
    this.batchList(items);
  }

  /** `batch_list_exact`: APPEND for a single item, MARK ... APPENDS per 1000 otherwise. */
  private batchList(items: readonly PyValue[]): void {
    if (items.length === 0) return;
    if (items.length === 1) {
      this.save(items[0]!);
      this.out.byte(OP.APPEND);
      return;
    }
    let total = 0;
    do {
      this.out.byte(OP.MARK);
      let batch = 0;
      while (total < items.length) {
        this.save(items[total]!);
        total++;
        if (++batch === BATCHSIZE) break;
      }
      this.out.byte(OP.APPENDS);
    } while (total < items.length);
  }

  private saveDict(v: PyDict): void {
    if (v.type === T.dict) {
      this.out.byte(OP.EMPTY_DICT);
      this.memoize(v);
      this.batchDictExact(v.entries);
      return;
    }
    if (v.type === T.OrderedDict) {
      this.saveGlobal(T.OrderedDict);
      this.out.byte(OP.EMPTY_TUPLE);
      this.out.byte(OP.REDUCE);
      this.memoize(v);
      this.batchDictIter(v.entries);
      return;
    }
    if (v.type === T.defaultdict) {
      this.saveGlobal(T.defaultdict);
      const args = py.tuple(v.defaultFactory === undefined ? [py.None] : []);
      if (v.defaultFactory === undefined) this.saveTuple(args, args.items);
      else {
        this.saveGlobal(v.defaultFactory);
        this.out.byte(OP.TUPLE1);
        this.memoize(args);
      }
      this.out.byte(OP.REDUCE);
      this.memoize(v);
      this.batchDictIter(v.entries);
      return;
    }
    throw new ValuesError('unsupported-value', `Failed to pickle "${fullName(v.type)}": only dict, OrderedDict and defaultdict are modelled. Use one of them.`);
  }

  /** `batch_dict_exact`: note the empty trailing `MARK SETITEMS` when the size is a multiple of 1000. */
  private batchDictExact(entries: readonly [PyValue, PyValue][]): void {
    if (entries.length === 0) return;
    if (entries.length === 1) {
      this.save(entries[0]![0]);
      this.save(entries[0]![1]);
      this.out.byte(OP.SETITEM);
      return;
    }
    let pos = 0;
    let i: number;
    do {
      i = 0;
      this.out.byte(OP.MARK);
      while (pos < entries.length) {
        const [k, val] = entries[pos++]!;
        this.save(k);
        this.save(val);
        if (++i === BATCHSIZE) break;
      }
      this.out.byte(OP.SETITEMS);
    } while (i === BATCHSIZE);
  }

  /** `batch_dict` over an iterator (reduce's dictitems): a lone item of a batch uses SETITEM. */
  private batchDictIter(entries: readonly [PyValue, PyValue][]): void {
    let pos = 0;
    for (;;) {
      if (pos >= entries.length) return;
      if (pos + 1 === entries.length) {
        this.save(entries[pos]![0]);
        this.save(entries[pos]![1]);
        this.out.byte(OP.SETITEM);
        return;
      }
      this.out.byte(OP.MARK);
      let n = 0;
      while (pos < entries.length && n < BATCHSIZE) {
        this.save(entries[pos]![0]);
        this.save(entries[pos]![1]);
        pos++;
        n++;
      }
      this.out.byte(OP.SETITEMS);
      if (n !== BATCHSIZE) return;
    }
  }

  private saveSet(v: PyValue, items: readonly PyValue[]): void {
    this.out.byte(OP.EMPTY_SET);
    this.memoize(v);
    if (items.length === 0) return;
    const ordered = setIterationOrder(items);
    let pos = 0;
    let i: number;
    do {
      i = 0;
      this.out.byte(OP.MARK);
      while (pos < ordered.length) {
        this.save(ordered[pos++]!);
        if (++i === BATCHSIZE) break;
      }
      this.out.byte(OP.ADDITEMS);
    } while (i === BATCHSIZE);
  }

  private saveFrozenset(v: PyValue, items: readonly PyValue[]): void {
    this.out.byte(OP.MARK);
    for (const it of setIterationOrder(items)) this.save(it);
    this.out.byte(OP.FROZENSET);
    this.memoize(v);
  }

  /** STACK_GLOBAL: module name (interned) and qualname, then the class is memoised. */
  saveGlobal(t: PyType | { module: string; name: string }): void {
    const key = `cls:${t.module}:${t.name}`;
    const seen = this.lookup(key);
    if (seen !== undefined) {
      this.get(seen);
      return;
    }
    this.saveInterned(t.module, 'mod');
    const nameKey = isSingletonStr(t.name) ? `s:${t.name}` : { qualname: t.name };
    const seenName = typeof nameKey === 'string' ? this.lookup(nameKey) : undefined;
    if (seenName !== undefined) this.get(seenName);
    else this.saveStr(t.name, nameKey);
    this.out.byte(OP.STACK_GLOBAL);
    this.memoize(key);
  }

  /** `save_reduce` for `(callable, args)` with no state: the object is memoised after REDUCE. */
  private saveReduce(v: PyValue, callable: PyType, args: readonly PyValue[]): void {
    this.saveGlobal(callable);
    const argTuple = py.tuple(args);
    this.saveTuple(argTuple, args);
    this.out.byte(OP.REDUCE);
    this.memoize(v);
  }

  private saveFunction(v: Extract<PyValue, { kind: 'function' }>): void {
    if (!v.picklable) throw unpicklableFunction(v.qualname, v.module);
    this.saveGlobal({ module: v.module, name: v.qualname });
    // A function pickled by reference is memoised like the class path above; nothing else to write.
  }

  /** `copyreg.__newobj__` path of `object.__reduce_ex__(4)`: class, (), NEWOBJ, then `__dict__` + BUILD. */
  private saveObject(v: PyValue, type: PyType, state: readonly [string, PyValue][]): void {
    const blocker = type.mro.find((t) => !t.picklable);
    if (blocker !== undefined) {
      throw new PythonError('TypeError', `cannot pickle '${blocker.name}' object`);
    }
    this.saveGlobal(type);
    this.out.byte(OP.EMPTY_TUPLE);
    this.out.byte(OP.NEWOBJ);
    this.memoize(v);
    if (state.length === 0) return;
    const stateDict = {};
    this.out.byte(OP.EMPTY_DICT);
    this.memoize(stateDict);
    const write = ([k, val]: [string, PyValue]) => {
      this.saveInterned(k, 'attr');
      this.save(val);
    };
    if (state.length === 1) {
      write(state[0]!);
      this.out.byte(OP.SETITEM);
    } else {
      let pos = 0;
      let i: number;
      do {
        i = 0;
        this.out.byte(OP.MARK);
        while (pos < state.length) {
          write(state[pos++]!);
          if (++i === BATCHSIZE) break;
        }
        this.out.byte(OP.SETITEMS);
      } while (i === BATCHSIZE);
    }
    this.out.byte(OP.BUILD);
  }
}

/** The error CPython raises for a function pickle cannot find by name. */
export function unpicklableFunction(qualname: string, module: string): PythonError {
  if (qualname.includes('<locals>')) return new PythonError('AttributeError', `Can't pickle local object '${qualname}'`);
  // CPython prints the function's address here; ours is a fixed, documented placeholder.
  return new PythonError(
    '_pickle.PicklingError',
    `Can't pickle <function ${qualname} at 0x7f0000000000>: attribute lookup ${qualname} on ${module} failed`,
  );
}

const STAND_IN_REASON = 'a stand-in for a value the plan does not hold, or a library object whose pickle is not modelled';

/** `pickle.dumps(value, protocol=4)`. Throws a `PythonError` where Python's pickle raises. */
export function pickleDumps(value: PyValue): Uint8Array {
  return new Pickler().dump(value);
}

/** A pickle and whether its bytes are those the real run writes (`exact`); `notPredicted` says what is not. */
export interface PickledValue {
  readonly bytes: Uint8Array;
  readonly exact: boolean;
  readonly notPredicted: readonly string[];
}

/** `pickle.dump(value, f)` as the integration calls it, with what the bytes cannot be trusted for. */
export function pickleValue(value: PyValue): PickledValue {
  const p = new Pickler();
  const bytes = p.dump(value);
  return { bytes, exact: p.notPredicted.length === 0, notPredicted: p.notPredicted };
}


export { pathParts, standInState } from './reduce.ts';
export { encodeLong } from './opcodes.ts';
