import { describe, expect, it } from 'vitest';
import { classifyTrack, classifyUse, fastcoreSort, type Flags, type Profile } from '../../../src/values/classify.ts';
import { py } from '../../../src/values/model.ts';
import { T, TypeRegistry, defineClass } from '../../../src/values/types.ts';
import { TABLE_VALUES, fileFs, net, wineDf } from './fixtures.ts';

// Flag combinations in the order d,m,o = 000, 001, 010, 011, 100, 101, 110, 111.
const COMBOS: Flags[] = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => ({ datasets: (n & 4) !== 0, models: (n & 2) !== 0, others: (n & 1) !== 0 }));
const _ = null;

// Reference §3.2 (current, observed when run) and §3.3 (legacy: the type's own flag decides, no fall-through).
// Transcribed by hand, one entry per flag combination.
const EXPECTED: Record<Profile, Record<string, { track: (string | null)[]; use: (string | null)[] }>> = {
  current: {
    scalar: { track: Array(8).fill('scalar'), use: Array(8).fill(_) },
    generic: { track: [_, 'generic', _, 'generic', _, 'generic', _, 'generic'], use: [_, 'others', _, 'others', _, 'others', _, 'others'] },
    df: {
      track: [_, 'generic', _, 'generic', 'pd.DataFrame', 'pd.DataFrame', 'pd.DataFrame', 'pd.DataFrame'],
      use: [_, 'others', _, 'others', 'datasets', 'datasets', 'datasets', 'datasets'],
    },
    path: {
      track: [_, 'generic', _, 'generic', 'Path', 'Path', 'Path', 'Path'],
      use: [_, 'others', _, 'others', 'datasets', 'datasets', 'datasets', 'datasets'],
    },
    sklearn: {
      track: [_, 'generic', 'BaseEstimator', 'BaseEstimator', _, 'generic', 'BaseEstimator', 'BaseEstimator'],
      use: [_, 'others', 'models', 'models', _, 'others', 'models', 'models'],
    },
    torch: {
      track: [_, 'generic', 'nn.Module', 'nn.Module', _, 'generic', 'nn.Module', 'nn.Module'],
      use: [_, 'others', 'models', 'models', _, 'others', 'models', 'models'],
    },
  },
  legacy: {
    scalar: { track: Array(8).fill('scalar'), use: Array(8).fill(_) },
    generic: { track: [_, 'generic', _, 'generic', _, 'generic', _, 'generic'], use: [_, 'others', _, 'others', _, 'others', _, 'others'] },
    df: {
      track: [_, _, _, _, 'pd.DataFrame', 'pd.DataFrame', 'pd.DataFrame', 'pd.DataFrame'],
      use: [_, _, _, _, 'datasets', 'datasets', 'datasets', 'datasets'],
    },
    path: {
      track: [_, _, _, _, 'Path', 'Path', 'Path', 'Path'],
      use: [_, _, _, _, 'datasets', 'datasets', 'datasets', 'datasets'],
    },
    sklearn: {
      track: [_, _, 'BaseEstimator', 'BaseEstimator', _, _, 'BaseEstimator', 'BaseEstimator'],
      use: [_, _, 'models', 'models', _, _, 'models', 'models'],
    },
    torch: {
      track: [_, _, 'nn.Module', 'nn.Module', _, _, 'nn.Module', 'nn.Module'],
      use: [_, _, 'models', 'models', _, _, 'models', 'models'],
    },
  },
};

describe.each(['current', 'legacy'] as const)('value-by-value table, %s profile', (profile) => {
  const rows = [...TABLE_VALUES, { name: 'nn.Module', category: 'torch' as const, value: net }];
  for (const row of rows) {
    it(`${row.name} under all 8 flag combinations`, () => {
      const exp = EXPECTED[profile][row.category]!;
      expect(COMBOS.map((f) => classifyTrack(row.value, f, { profile }))).toEqual(exp.track);
      expect(COMBOS.map((f) => classifyUse(row.value, f, { profile }))).toEqual(exp.use);
    });
  }
  it('nn.Module with torch absent is generic only', () => {
    const track = COMBOS.map((f) => classifyTrack(net, f, { profile, libraries: { torch: false } }));
    expect(track).toEqual([_, 'generic', _, 'generic', _, 'generic', _, 'generic']);
  });
});

describe.each(['current', 'legacy'] as const)('the integration unit tests (reference §6.1), %s profile', (profile) => {
  const o = { profile };
  const rf = py.sklearn('RandomForestClassifier');
  const gb = py.sklearn('GradientBoostingClassifier');
  const localFunc = py.function('test_track_other.<locals>.func');
  const cwd = py.path('.', fileFs); // Path(): the current directory, which exists
  it('test_track_dataframe', () => {
    expect(classifyTrack(wineDf, { datasets: true }, o)).toBe('pd.DataFrame');
    expect(classifyTrack(wineDf, { datasets: false }, o)).toBe(null);
  });
  it('test_track_path', () => {
    expect(classifyTrack(cwd, { datasets: true }, o)).toBe('Path');
    expect(classifyTrack(cwd, { datasets: false }, o)).toBe(null);
  });
  it('test_track_sklearn_model', () => {
    for (const m of [rf, gb]) {
      expect(classifyTrack(m, { models: true }, o)).toBe('BaseEstimator');
      expect(classifyTrack(m, { models: false }, o)).toBe(null);
    }
  });
  it('test_track_pytorch_model', () => {
    expect(classifyTrack(net, { models: true }, o)).toBe('nn.Module');
    expect(classifyTrack(net, { models: false }, o)).toBe(null);
  });
  it('test_track_other', () => {
    expect(classifyTrack(localFunc, { others: true }, o)).toBe('generic');
    expect(classifyTrack(localFunc, { others: false }, o)).toBe(null);
  });
  it('test_track_scalar', () => {
    const scalars = [py.bool(false), py.float(1.1), py.int(1), py.str('wandb'), py.set([py.int(1), py.int(2), py.int(3)]), py.list([py.int(4), py.int(5), py.int(6)])];
    const d = py.dict(scalars.map((v, i) => [py.str(`k${i}`), v]));
    for (const v of [...scalars, d]) expect(classifyTrack(v, {}, o)).toBe('scalar');
  });
  it('test_use_datasets', () => {
    for (const v of [wineDf, cwd]) {
      expect(classifyUse(v, { datasets: true }, o)).toBe('datasets');
      expect(classifyUse(v, { datasets: false }, o)).toBe(null);
    }
  });
  it('test_use_models', () => {
    for (const v of [rf, gb, net]) {
      expect(classifyUse(v, { models: true }, o)).toBe('models');
      expect(classifyUse(v, { models: false }, o)).toBe(null);
    }
  });
  it('test_use_others', () => {
    expect(classifyUse(localFunc, { others: true }, o)).toBe('others');
    expect(classifyUse(localFunc, { others: false }, o)).toBe(null);
  });
  it('added cases (§6.1): use of a scalar, None, numpy scalars', () => {
    expect(classifyUse(py.int(5), { others: true }, o)).toBe(null);
    expect(classifyTrack(py.None, { others: true }, o)).toBe('generic');
    expect(classifyTrack(py.numpy('float64', 1), {}, o)).toBe('scalar');
    expect(classifyTrack(py.numpy('int64', 1n), {}, o)).toBe(null);
    expect(classifyTrack(py.numpy('int64', 1n), { others: true }, o)).toBe('generic');
  });
});

describe('profiles differ on a typed value whose flag is off (reference §3.3)', () => {
  it('DataFrame with datasets=False, others=True: current pickles it, legacy logs nothing', () => {
    expect(classifyTrack(wineDf, { datasets: false, others: true }, { profile: 'current' })).toBe('generic');
    expect(classifyTrack(wineDf, { datasets: false, others: true }, { profile: 'legacy' })).toBe(null);
  });
  it('bool and np.float64 are scalars in every era', () => {
    for (const profile of ['current', 'legacy'] as const) {
      expect(classifyTrack(py.bool(true), {}, { profile })).toBe('scalar');
      expect(classifyTrack(py.numpy('float64', 2.5), { others: true }, { profile })).toBe('scalar');
    }
  });
});

describe('multiple inheritance', () => {
  const reg = new TypeRegistry();
  const ModelEst = reg.define('ModelEst', ['nn.Module', 'BaseEstimator']);
  const EstModel = reg.define('EstModel', ['BaseEstimator', 'nn.Module']);
  it('current: the chain order decides (nn.Module is tested before BaseEstimator)', () => {
    for (const t of [ModelEst, EstModel]) expect(classifyTrack(py.object(t), { models: true })).toBe('nn.Module');
  });
  it('legacy: fastcore takes the type registered first, whatever the MRO', () => {
    for (const t of [ModelEst, EstModel]) expect(classifyTrack(py.object(t), { models: true }, { profile: 'legacy' })).toBe('nn.Module');
  });
  it('current falls through to scalar for a dict subclass that is also a Module with models off', () => {
    const DictModule = reg.define('DictModule', ['dict', 'nn.Module']);
    expect(classifyTrack(py.object(DictModule), { models: false })).toBe('scalar');
    expect(classifyTrack(py.object(DictModule), { models: false }, { profile: 'legacy' })).toBe(null);
  });
});

describe('fastcore sorted_topologically (fastcore test_sort examples)', () => {
  const A = defineClass('A', []);
  const B = defineClass('B', [A]);
  const C = defineClass('C', [B]);
  const D = defineClass('D', [A]);
  const E = defineClass('E', [D]);
  const names = (ts: { name: string }[]) => ts.map((t) => t.name).join('');
  it('puts subclasses first and keeps registration order otherwise', () => {
    expect(names(fastcoreSort([A, C, B, D]))).toBe('CBDA');
    expect(names(fastcoreSort([A, C, D, B]))).toBe('CDBA');
    expect(names(fastcoreSort([E, A, C, D, B]))).toBe('ECDBA');
    expect(names(fastcoreSort([A, C, D, B, E]))).toBe('CEDBA');
  });
  it('bool sorts before int', () => {
    expect(fastcoreSort([T.int, T.bool])[0]).toBe(T.bool);
  });
});
