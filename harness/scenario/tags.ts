/**
 * Value tags -> Python values (`values` PyValues). Plain YAML is Python's plain types: an integer is an `int`
 * (any size), a number with a fraction or exponent a `float`, strings, booleans, null (None), maps (dict, keys
 * converted too) and sequences (list). Tags give the rest (DESIGN §4.1).
 *
 * Identity follows YAML anchors: an alias is the *same* Python object as its anchor (`a = b = [...]`), and an
 * aliased `!Settings` is one `Settings` shared and mutated as in Python. Every problem is a diagnostic at the
 * node; a broken value becomes None so the rest of the file is still checked.
 */
import { dirname } from 'node:path';
import { values } from '../../src/index.ts';
import type { Diagnostic } from './errors.ts';
import { checkTagContent, describePointer } from './schema.ts';
import { isAlias, isMap, isPair, isScalar, isSeq, scalarContent, type Node, type SourceDocument } from './yaml-source.ts';

type PyValue = values.PyValue;
const { py } = values;

/** The tags of format version 1 (as the yaml package spells local tags). */
export const VALUE_TAGS = [
  '!tuple', '!set', '!frozenset', '!unordered', '!bytes', '!float', '!DataFrame', '!Series', '!ndarray',
  '!numpy.float64', '!numpy.float32', '!numpy.int64', '!numpy.bool_', '!Path', '!PurePath',
  '!nn.Module', '!sklearn', '!object', '!function', '!unknown',
] as const;
export const SETTINGS_TAG = '!Settings';
export const KNOWN_TAGS: ReadonlySet<string> = new Set<string>([...VALUE_TAGS, SETTINGS_TAG]);

/** `!Settings {...}` as data: compile makes one real `Settings` per spec (per compiled run, identity kept). */
export interface SettingsSpec {
  readonly kind: 'settings-spec';
  readonly fields: {
    run_group?: string | null; run_job_type?: string | null; project?: string | null; entity?: string | null;
    mode?: 'online' | 'offline' | 'disabled' | null;
  };
}

export const isSettingsSpec = (x: unknown): x is SettingsSpec =>
  typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'settings-spec';

const NUMPY: Record<string, values.NumpyScalarDtype> = {
  '!numpy.float64': 'float64', '!numpy.float32': 'float32', '!numpy.int64': 'int64', '!numpy.bool_': 'bool_',
};

/** Builds values of one document; remembers which tagged nodes it consumed (the rest are misplaced). */
export class ValueBuilder {
  readonly consumed = new Set<Node>();
  private readonly memo = new Map<Node, PyValue>();
  private readonly settingsMemo = new Map<Node, SettingsSpec>();
  /** Classes of `!object` values, per file: a later `bases: [Foo]` finds an earlier `!object {class: Foo}`. */
  private readonly registry: values.TypeRegistry;

  constructor(private readonly src: SourceDocument, private readonly diagnostics: Diagnostic[], registry?: values.TypeRegistry) {
    this.registry = registry ?? new values.TypeRegistry();
  }

  /**
   * A scenario's strings stand for literals in a step's body, which CPython's compiler merges into one object per
   * value: a value holding `a` twice pickles it once and then refers to it, as the real run's pickle does.
   */
  private readonly strings = new Map<string, PyValue>();
  private interned(v: PyValue): PyValue {
    if (v.kind !== 'str') return v;
    const hit = this.strings.get(v.value);
    if (hit) return hit;
    this.strings.set(v.value, v);
    return v;
  }

  private report(node: Node, message: string, code: Diagnostic['code'] = 'bad-value'): values.PyNone {
    const p = this.src.at(node);
    this.diagnostics.push({ file: this.src.file, line: p.line, col: p.col, code, message });
    return py.None;
  }

  private resolve(raw: unknown): Node | undefined {
    let cur = raw;
    for (let i = 0; i < 100 && isAlias(cur); i++) cur = cur.resolve(this.src.doc);
    return (cur ?? undefined) as Node | undefined;
  }

  /** Plain data of a node (what the schema sees). */
  plain(raw: unknown): unknown {
    const node = this.resolve(raw);
    if (node === undefined) return null;
    if (isMap(node)) {
      const o: Record<string, unknown> = {};
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const k = this.resolve(item.key);
        Object.defineProperty(o, k && isScalar(k) ? String(k.value) : '', { value: this.plain(item.value), enumerable: true, writable: true, configurable: true });
      }
      return o;
    }
    if (isSeq(node)) return node.items.map((x) => this.plain(x));
    if (isScalar(node)) {
      const v = scalarContent(node);
      return typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v;
    }
    return null;
  }

  /** The Python value of a node at a value position. */
  value(raw: unknown): PyValue {
    const node = this.resolve(raw);
    if (node === undefined) return py.None;
    const hit = this.memo.get(node);
    if (hit !== undefined) return hit;
    const tag = (node as { tag?: string }).tag;
    const local = tag !== undefined && tag.startsWith('!') && !tag.startsWith('tag:');
    if (local) this.consumed.add(node);
    let v: PyValue;
    if (local && KNOWN_TAGS.has(tag)) {
      v = this.tagged(tag, node);
    } else if (local) {
      v = py.None; // unknown tag: already reported by the parser pass
    } else {
      v = this.plainValue(node);
    }
    if (!this.memo.has(node)) this.memo.set(node, v);
    return this.memo.get(node)!;
  }

  private plainValue(node: Node): PyValue {
    if (isMap(node)) {
      // Memoised before the entries: a map that contains an alias of itself is one self-referencing dict.
      const d = py.dict([]);
      this.memo.set(node, d);
      for (const item of node.items) if (isPair(item)) d.entries.push([this.value(item.key), this.value(item.value)]);
      const deduped = py.dict(d.entries); // Python keeps one entry per equal key (1 == 1.0 == True)
      d.entries.splice(0, d.entries.length, ...deduped.entries);
      return d;
    }
    if (isSeq(node)) {
      const l = py.list([]);
      this.memo.set(node, l);
      for (const item of node.items) l.items.push(this.value(item));
      return l;
    }
    if (isScalar(node)) return this.interned(scalar(scalarContent(node)));
    return py.None;
  }

  private items(node: Node, tag: string): PyValue[] | null {
    if (!isSeq(node)) {
      this.report(node, `${tag} takes a sequence (${tag} [..]), got ${isMap(node) ? 'a map' : 'a scalar'}`);
      return null;
    }
    return node.items.map((x) => this.value(x));
  }

  private checked(tag: string, node: Node): boolean {
    const found = checkTagContent(tag.slice(1), this.plain(node), this.src, this.src.pointerOf(node));
    this.diagnostics.push(...found);
    return found.length === 0;
  }

  private child(node: Node, key: string): unknown {
    if (!isMap(node)) return undefined;
    const pair = node.items.find((p) => isPair(p) && isScalar(this.resolve(p.key)) && String((this.resolve(p.key) as { value: unknown }).value) === key);
    return pair?.value;
  }

  private tagged(tag: string, node: Node): PyValue {
    try {
      return this.tagValue(tag, node);
    } catch (err) {
      if (err instanceof values.ValuesError) return this.report(node, `bad ${tag} value: ${err.message}`);
      throw err;
    }
  }

  private tagValue(tag: string, node: Node): PyValue {
    const content = () => (isScalar(node) ? scalarContent(node) : undefined);
    switch (tag) {
      case '!tuple': { const xs = this.items(node, tag); return xs ? py.tuple(xs) : py.None; }
      case '!set': { const xs = this.items(node, tag); return xs ? py.set(xs) : py.None; }
      case '!frozenset': { const xs = this.items(node, tag); return xs ? py.frozenset(xs) : py.None; }
      // A list whose order the real run draws per process (a set of str, a static join's inputs): `import` writes it.
      case '!unordered': { const xs = this.items(node, tag); return xs ? values.unorderedList(xs) : py.None; }
      // `!Series`/`!DataFrame` stand for `pd.Series(list)`/`pd.DataFrame({column: list})` made in the step: the
      // constructor's layout, whose pickle is byte-exact (a frame derived by other operations is not).
      case '!Series': { const xs = this.items(node, tag); return xs ? py.series(xs, undefined, 'constructed') : py.None; }
      case '!ndarray': { const xs = this.items(node, tag); return xs ? values.ndarrayFromNested(xs) : py.None; }
      case '!bytes': {
        const c = content();
        return typeof c === 'string' ? py.bytes(c) : this.report(node, `!bytes takes a string, got ${describe(c, node)}`);
      }
      case '!float': {
        const c = content();
        if (typeof c === 'bigint' || typeof c === 'number') return py.float(Number(c));
        if (typeof c === 'string' && /^\s*[+-]?(inf(inity)?|nan|\d+(\.\d*)?(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?)\s*$/i.test(c)) {
          const t = c.trim().toLowerCase().replace(/^\+/, '');
          return py.float(t.endsWith('nan') ? NaN : t.endsWith('inf') || t.endsWith('infinity') ? (t.startsWith('-') ? -Infinity : Infinity) : Number(t));
        }
        return this.report(node, `!float takes a number, got ${describe(c, node)}`);
      }
      case '!numpy.float64': case '!numpy.float32': case '!numpy.int64': case '!numpy.bool_': {
        const dtype = NUMPY[tag]!;
        const c = content();
        if (dtype === 'bool_' ? typeof c === 'boolean' : dtype === 'int64' ? typeof c === 'bigint' : typeof c === 'bigint' || typeof c === 'number') {
          return py.numpy(dtype, c as number | bigint | boolean);
        }
        return this.report(node, `${tag} takes ${dtype === 'bool_' ? 'a boolean' : dtype === 'int64' ? 'an integer' : 'a number'}, got ${describe(c, node)}`);
      }
      case '!DataFrame': {
        if (!this.checked(tag, node)) return py.None;
        const columns = (this.plain(this.child(node, 'columns')) as unknown[]).map(String);
        const rowsNode = this.resolve(this.child(node, 'rows'));
        const rows: PyValue[][] = [];
        let ok = true;
        for (const r of isSeq(rowsNode) ? rowsNode.items : []) {
          const rn = this.resolve(r)!;
          const row = isSeq(rn) ? rn.items.map((x) => this.value(x)) : [];
          if (row.length !== columns.length) {
            this.report(rn, `!DataFrame row has ${row.length} value(s) for ${columns.length} column(s) (${columns.join(', ')}): give every row one value per column`);
            ok = false;
          }
          rows.push(row);
        }
        return ok ? py.dataframe(columns, rows, 'constructed') : py.None;
      }
      case '!Path': {
        if (!this.checked(tag, node)) return py.None;
        const c = this.plain(node);
        if (typeof c === 'string') return py.path(c, new values.NodeFiles(dirname(this.src.file)));
        const o = c as { files?: Record<string, string>; dir?: string; missing?: string };
        if (o.missing !== undefined && (o.files !== undefined || o.dir !== undefined)) {
          return this.report(node, '!Path takes either {files, dir?} or {missing}, not both');
        }
        if (o.missing !== undefined) return values.missingPath(o.missing);
        if (o.files === undefined) return this.report(node, '!Path {dir} needs files: {name: content}');
        return values.inlineDirPath(o.dir ?? 'data', o.files);
      }
      case '!unknown': {
        // A value a plan of a flow.py could not know (`import` writes it): logged as unknown, as the plan logs it.
        if (!this.checked(tag, node)) return py.None;
        const o = this.plain(node) as { type: values.UnknownKind; at?: string; expression?: string };
        if (o.type === 'Path') return values.unknownPath(o.expression ?? '', o.at ?? '');
        return values.unknownValue(o.type, o.at ?? '', o.expression ?? '');
      }
      case '!PurePath': {
        if (!this.checked(tag, node)) return py.None;
        return py.purePath(String(this.plain(node)));
      }
      case '!nn.Module': {
        if (!this.checked(tag, node)) return py.None;
        return py.torchModule(String((this.plain(node) as { class: string }).class));
      }
      case '!sklearn': {
        if (!this.checked(tag, node)) return py.None;
        const cls = String((this.plain(node) as { class: string }).class);
        return py.sklearn(cls, this.stateOf(this.child(node, 'params')));
      }
      case '!object': {
        if (!this.checked(tag, node)) return py.None;
        const o = this.plain(node) as { class: string; bases?: string[]; picklable?: boolean };
        let type: values.PyType;
        try {
          type = this.registry.define(o.class, o.bases ?? [], o.picklable === undefined ? {} : { picklable: o.picklable });
        } catch (err) {
          if (err instanceof values.ValuesError) return this.report(node, `bad !object value: ${err.message}`);
          throw err;
        }
        return py.object(type, this.stateOf(this.child(node, 'state')));
      }
      case '!function': {
        if (!this.checked(tag, node)) return py.None;
        return py.function(String(this.plain(node)));
      }
      case SETTINGS_TAG:
        return this.report(node, `!Settings is only meaningful as wandb_log's settings, not as a value at ${describePointer(this.src.pointerOf(node))}`, 'misplaced-tag');
      default:
        return py.None;
    }
  }

  private stateOf(raw: unknown): [string, PyValue][] {
    const node = this.resolve(raw);
    if (!isMap(node)) return [];
    const out: [string, PyValue][] = [];
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const k = this.resolve(item.key);
      out.push([k && isScalar(k) ? String(k.value) : '', this.value(item.value)]);
    }
    return out;
  }

  /** wandb_log's `settings:`: `!Settings {...}` (one spec per anchored node), a plain map (kept as data), or null. */
  settings(raw: unknown): SettingsSpec | Record<string, unknown> | null {
    const node = this.resolve(raw);
    if (node === undefined) return null;
    const tag = (node as { tag?: string }).tag;
    if (tag === SETTINGS_TAG) {
      this.consumed.add(node);
      const hit = this.settingsMemo.get(node);
      if (hit) return hit;
      const spec: SettingsSpec = { kind: 'settings-spec', fields: this.checked(tag, node) ? (this.plain(node) as SettingsSpec['fields']) : {} };
      this.settingsMemo.set(node, spec);
      return spec;
    }
    const v = this.plain(node);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  }
}

function scalar(v: unknown): PyValue {
  if (v === null || v === undefined) return py.None;
  if (typeof v === 'boolean') return py.bool(v);
  if (typeof v === 'bigint') return py.int(v);
  if (typeof v === 'number') return py.float(v); // integers arrive as bigint (intAsBigInt): a number is a float
  return py.str(String(v));
}

function describe(c: unknown, node: Node): string {
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a sequence';
  if (c === null || c === undefined) return 'null';
  return typeof c === 'string' ? `the string ${JSON.stringify(c)}` : `${typeof c === 'bigint' ? 'the integer' : typeof c === 'number' ? 'the float' : 'the boolean'} ${String(c)}`;
}
