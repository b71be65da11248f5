// Python-like values as plain generator data (`GenValue`), so one generated value can be written as a scenario
// YAML tag AND built directly with `py.*` — the two must mean the same thing (the round-trip property checks it).
// Every class of the type registry is reachable: builtins, scalar subclasses (through `!object` with declared
// bases: OrderedDict, defaultdict, a str Enum), numpy scalars, ndarray, DataFrame, Series, Path (inline files or
// missing), PurePath, nn.Module, sklearn, user classes with bases and a picklable flag, unpicklable functions.
import fc from 'fast-check';
import { values } from '../../../src/index.ts';

const { py } = values;

export type NpDtype = 'float64' | 'float32' | 'int64' | 'bool_';

export type GenValue =
  | { t: 'int'; v: number }
  | { t: 'float'; v: number }
  | { t: 'str'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'none' }
  | { t: 'list'; items: GenValue[] }
  | { t: 'dict'; entries: [string, GenValue][] }
  | { t: 'tuple'; items: GenValue[] }
  | { t: 'set'; items: number[] }
  | { t: 'frozenset'; items: number[] }
  | { t: 'bytes'; v: string }
  | { t: 'np'; dtype: NpDtype; v: number | boolean }
  | { t: 'ndarray'; items: number[] }
  | { t: 'DataFrame'; columns: string[]; rows: number[][] }
  | { t: 'Series'; items: number[] }
  | { t: 'Path'; files: Record<string, string> }
  | { t: 'PathMissing'; name: string }
  | { t: 'PurePath'; path: string }
  | { t: 'module'; cls: string }
  | { t: 'sklearn'; cls: string; params: [string, number][] }
  | { t: 'object'; cls: string; bases: string[]; picklable: boolean }
  | { t: 'function'; name: string };

// --- the direct build (what the TypeScript test would write) -------------------------------------------------

/** A fresh Python value each call (as a `set:` operation makes one per execution). */
export function toPy(g: GenValue, registry = new values.TypeRegistry()): values.PyValue {
  const go = (x: GenValue) => toPy(x, registry);
  switch (g.t) {
    case 'int': return py.int(g.v);
    case 'float': return py.float(g.v);
    case 'str': return py.str(g.v);
    case 'bool': return py.bool(g.v);
    case 'none': return py.None;
    case 'list': return py.list(g.items.map(go));
    case 'dict': return py.dict(g.entries.map(([k, v]) => [py.str(k), go(v)]));
    case 'tuple': return py.tuple(g.items.map(go));
    case 'set': return py.set(g.items.map((n) => py.int(n)));
    case 'frozenset': return py.frozenset(g.items.map((n) => py.int(n)));
    case 'bytes': return py.bytes(g.v);
    case 'np': return py.numpy(g.dtype, g.dtype === 'int64' ? BigInt(g.v as number) : g.v);
    case 'ndarray': return values.ndarrayFromNested(g.items.map((n) => py.int(n)));
    // As the `!DataFrame` / `!Series` tags stand for them: made by the constructor (their pickles are exact).
    case 'DataFrame': return py.dataframe(g.columns, g.rows.map((r) => r.map((n) => py.int(n))), 'constructed');
    case 'Series': return py.series(g.items.map((n) => py.int(n)), undefined, 'constructed');
    case 'Path': return values.inlineDirPath('data', g.files);
    case 'PathMissing': return values.missingPath(g.name);
    case 'PurePath': return py.purePath(g.path);
    case 'module': return py.torchModule(g.cls);
    case 'sklearn': return py.sklearn(g.cls, g.params.map(([k, v]) => [k, py.int(v)]));
    case 'object': return py.object(registry.define(g.cls, g.bases, { picklable: g.picklable }));
    case 'function': return py.function(g.name);
  }
}

// --- the YAML form (plain text, so every tag is written exactly as a person would) ----------------------------

const q = (s: string) => JSON.stringify(s);
const flowSeq = (xs: string[]) => `[${xs.join(', ')}]`;

export function toYaml(g: GenValue): string {
  switch (g.t) {
    case 'int': return String(g.v);
    // `!float` keeps a float a float although it may print as an integer.
    case 'float': return `!float ${Number.isInteger(g.v) ? `${g.v}.0` : String(g.v)}`;
    case 'str': return q(g.v);
    case 'bool': return String(g.v);
    case 'none': return 'null';
    case 'list': return flowSeq(g.items.map(toYaml));
    case 'dict': return `{${g.entries.map(([k, v]) => `${q(k)}: ${toYaml(v)}`).join(', ')}}`;
    case 'tuple': return `!tuple ${flowSeq(g.items.map(toYaml))}`;
    case 'set': return `!set ${flowSeq(g.items.map(String))}`;
    case 'frozenset': return `!frozenset ${flowSeq(g.items.map(String))}`;
    case 'bytes': return `!bytes ${q(g.v)}`;
    case 'np': return `!numpy.${g.dtype} ${g.dtype === 'float64' || g.dtype === 'float32' ? (Number.isInteger(g.v) ? `${g.v}.0` : String(g.v)) : String(g.v)}`;
    case 'ndarray': return `!ndarray ${flowSeq(g.items.map(String))}`;
    case 'DataFrame': return `!DataFrame { columns: ${flowSeq(g.columns.map(q))}, rows: ${flowSeq(g.rows.map((r) => flowSeq(r.map(String))))} }`;
    case 'Series': return `!Series ${flowSeq(g.items.map(String))}`;
    case 'Path': return `!Path { files: {${Object.entries(g.files).map(([k, v]) => `${q(k)}: ${q(v)}`).join(', ')}} }`;
    case 'PathMissing': return `!Path { missing: ${q(g.name)} }`;
    case 'PurePath': return `!PurePath ${q(g.path)}`;
    case 'module': return `!nn.Module { class: ${g.cls} }`;
    case 'sklearn': return `!sklearn { class: ${g.cls}, params: {${g.params.map(([k, v]) => `${k}: ${v}`).join(', ')}} }`;
    case 'object': return `!object { class: ${g.cls}, bases: ${flowSeq(g.bases.map(q))}, picklable: ${g.picklable} }`;
    case 'function': return `!function ${q(g.name)}`;
  }
}

// --- arbitraries ------------------------------------------------------------------------------------------------

const smallInt = fc.integer({ min: -1000, max: 1000 });
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'z', '0', '_', ' ', 'é'), maxLength: 6 });
const name = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'x', 'y'), minLength: 1, maxLength: 4 });
const finiteFloat = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));

/** JSON-friendly leaves (what `run.log` writes without complaint). */
const jsonLeaf: fc.Arbitrary<GenValue> = fc.oneof(
  smallInt.map((v) => ({ t: 'int' as const, v })),
  finiteFloat.map((v) => ({ t: 'float' as const, v })),
  text.map((v) => ({ t: 'str' as const, v })),
  fc.boolean().map((v) => ({ t: 'bool' as const, v })),
  fc.constant({ t: 'none' as const }),
);

/** Nested containers of JSON-friendly leaves (and tuples/sets inside, which W&B's encoder also accepts). */
export const jsonTree: fc.Arbitrary<GenValue> = fc.letrec<{ tree: GenValue }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    jsonLeaf,
    fc.array(tie('tree'), { maxLength: 3 }).map((items) => ({ t: 'list' as const, items })),
    fc.uniqueArray(fc.tuple(name, tie('tree')), { maxLength: 3, selector: ([k]) => k }).map((entries) => ({ t: 'dict' as const, entries })),
    fc.array(tie('tree'), { maxLength: 2 }).map((items) => ({ t: 'tuple' as const, items })),
    // 0..7: small ints hash to themselves and a 3-element set has 8 slots, so CPython iterates them sorted.
    fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { maxLength: 3 }).map((items) => ({ t: 'set' as const, items })),
  ),
})).tree;

const ints = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 99 }), { minLength: min, maxLength: max });

export const dataFrame = fc.integer({ min: 1, max: 2 }).chain((ncol) =>
  fc.record({
    columns: fc.constant(['a', 'b'].slice(0, ncol)),
    rows: fc.array(fc.array(fc.integer({ min: 0, max: 99 }), { minLength: ncol, maxLength: ncol }), { maxLength: 3 }),
  }).map((d) => ({ t: 'DataFrame' as const, ...d })),
);
export const sklearn = fc.record({
  cls: fc.constantFrom('RandomForestClassifier', 'LogisticRegression', 'Pipeline'),
  params: fc.uniqueArray(fc.tuple(fc.constantFrom('max_depth', 'seed', 'n'), fc.integer({ min: 0, max: 9 })), { maxLength: 2, selector: ([k]) => k }),
}).map((d) => ({ t: 'sklearn' as const, ...d }));
export const torchModule = fc.constantFrom('Net', 'Encoder').map((cls) => ({ t: 'module' as const, cls }));

/** Bases a user class may declare; each lands in a distinct row of the classification table. */
export const USER_BASES = [
  [], ['nn.Module'], ['BaseEstimator'], ['nn.Module', 'BaseEstimator'],
  ['dict'], ['OrderedDict'], ['defaultdict'], ['list'], ['str'], ['int'], ['float'], ['str', 'Enum'], ['Enum'],
] as const;

/** A user class; names are unique per value so two values never redefine one class differently. */
export const userObject = fc.record({
  bases: fc.constantFrom(...USER_BASES.map((b) => [...b])),
  picklable: fc.boolean(),
  n: fc.integer({ min: 0, max: 99 }),
  // torch.save of an unpicklable module is not modelled (src/values/torch.ts ignores the flag): models stay picklable.
}).map(({ bases, picklable, n }) => ({ t: 'object' as const, cls: `User${n}`, bases, picklable: picklable || bases.includes('nn.Module') || bases.includes('BaseEstimator') }));

/** Any top-level value: each class of the registry, plus nested scalar containers. */
export const anyValue: fc.Arbitrary<GenValue> = fc.oneof(
  // Plain scalars weigh as much as all the containers: each builtin class must turn up often at the top level.
  { weight: 4, arbitrary: jsonLeaf },
  { weight: 2, arbitrary: jsonTree },
  fc.constantFrom<NpDtype>('float64', 'float32', 'int64', 'bool_').chain((dtype) =>
    (dtype === 'bool_' ? fc.boolean() : fc.integer({ min: -50, max: 50 })).map((v) => ({ t: 'np' as const, dtype, v }))),
  fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { maxLength: 3 }).map((items) => ({ t: 'frozenset' as const, items })),
  text.map((v) => ({ t: 'bytes' as const, v })),
  ints(1, 4).map((items) => ({ t: 'ndarray' as const, items })),
  ints(0, 3).map((items) => ({ t: 'Series' as const, items })),
  dataFrame,
  fc.dictionary(fc.constantFrom('a.txt', 'b.csv'), text, { minKeys: 1, maxKeys: 2 }).map((files) => ({ t: 'Path' as const, files })),
  fc.constantFrom('gone.txt', 'nowhere').map((n) => ({ t: 'PathMissing' as const, name: n })),
  fc.constantFrom('a/b.txt', 'c').map((path) => ({ t: 'PurePath' as const, path })),
  torchModule,
  sklearn,
  userObject,
  fc.integer({ min: 0, max: 9 }).map((n) => ({ t: 'function' as const, name: `make.<locals>.f${n}` })),
  // A "scalar" container holding a model: W&B's encoder fails on it whatever the flags (reference §3.6).
  sklearn.map((m) => ({ t: 'list' as const, items: [{ t: 'int' as const, v: 1 }, m] })),
);

/** Gives user classes in a value list distinct names (one Python class per name in a flow file). */
export function distinctClasses(vs: GenValue[]): GenValue[] {
  let k = 0;
  return vs.map((v) => (v.t === 'object' ? { ...v, cls: `User${k++}` } : v));
}
