import { describe, expect, it } from 'vitest';
import { T, TypeRegistry, defineClass, fullName, isSubclass, typeRepr } from '../../../src/values/types.ts';
import { ValuesError } from '../../../src/values/errors.ts';

const names = (t: { mro: readonly { name: string }[] }) => t.mro.map((m) => m.name);

describe('C3 linearisation (values from CPython 3.11)', () => {
  it('orders the classic diamond as CPython does', () => {
    const O = defineClass('O', []);
    const F = defineClass('F', [O]);
    const E = defineClass('E', [O]);
    const D = defineClass('D', [O]);
    const C = defineClass('C', [D, F]);
    const B = defineClass('B', [D, E]);
    const A = defineClass('A', [B, C]);
    expect(names(A)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'O', 'object']);
  });
  it('rejects an inconsistent hierarchy with Python\'s TypeError text', () => {
    const X = defineClass('X', []);
    const Y = defineClass('Y', []);
    const P = defineClass('P', [X, Y]);
    const Q = defineClass('Q', [Y, X]);
    let err: unknown;
    try { defineClass('Z', [P, Q]); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ValuesError);
    expect((err as ValuesError).code).toBe('mro-conflict');
    expect((err as Error).message).toContain('Cannot create a consistent method resolution\norder (MRO) for bases X, Y');
  });
  it('gives pathlib.PosixPath and OrderedDict their CPython MROs', () => {
    expect(names(T.PosixPath)).toEqual(['PosixPath', 'Path', 'PurePosixPath', 'PurePath', 'object']);
    expect(names(T.OrderedDict)).toEqual(['OrderedDict', 'dict', 'object']);
  });
});

describe('isinstance over the MRO', () => {
  it('bool is an int; numpy.float64 is a float; float32/int64/bool_ are not Python scalars', () => {
    expect(isSubclass(T.bool, T.int)).toBe(true);
    expect(isSubclass(T.float64, T.float)).toBe(true);
    expect(names(T.float64)).toEqual(['float64', 'floating', 'inexact', 'number', 'generic', 'float', 'object']);
    expect(isSubclass(T.float32, T.float)).toBe(false);
    expect(isSubclass(T.int64, T.int)).toBe(false);
    expect(isSubclass(T.bool_, T.bool)).toBe(false);
  });
  it('PurePosixPath is not a Path; PosixPath is both', () => {
    expect(isSubclass(T.PurePosixPath, T.Path)).toBe(false);
    expect(isSubclass(T.PosixPath, T.Path)).toBe(true);
    expect(isSubclass(T.PosixPath, T.PurePath)).toBe(true);
  });
  it('user classes with declared bases, resolved by name', () => {
    const reg = new TypeRegistry();
    const Net = reg.define('Net', ['nn.Module']);
    const Both = reg.define('Both', ['Net', 'BaseEstimator']);
    expect(isSubclass(Both, T.Module)).toBe(true);
    expect(isSubclass(Both, T.BaseEstimator)).toBe(true);
    expect(names(Both)).toEqual(['Both', 'Net', 'Module', 'BaseEstimator', 'object']);
    expect(() => reg.resolve('Nope')).toThrow(/Failed to resolve class "Nope"/);
    expect(fullName(Net)).toBe('__main__.Net');
  });
  it('prints types as str(type(x)) does', () => {
    expect(typeRepr(T.PosixPath)).toBe("<class 'pathlib.PosixPath'>");
    expect(typeRepr(T.ndarray)).toBe("<class 'numpy.ndarray'>");
    expect(typeRepr(T.int)).toBe("<class 'int'>");
    expect(typeRepr(T.DataFrame)).toBe("<class 'pandas.core.frame.DataFrame'>");
  });
});
