/**
 * YAML with positions. Each document of a file becomes a `SourceDocument`: the plain data the JSON Schema
 * checks (tags ignored there: a tag's content is checked by the tag itself, see tags.ts), and a map from JSON
 * pointers to the YAML nodes, so a schema error at `/flow/steps/mid/next` points at line:col of that node.
 *
 * Aliases resolve to their anchor's data once (memoised), so a billion-laughs file stays linear. The yaml
 * package only *warns* about tags it cannot resolve; unknown tags are reported as errors by the loader.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parse, parseAllDocuments, type Document, type Node, type Pair, type Scalar } from 'yaml';
import type { Diagnostic } from './errors.ts';

export interface Position { readonly line: number; readonly col: number }

export interface SourceDocument {
  readonly file: string;
  /** Problems found while parsing this document (unknown tags): it is still checked, but never yields a scenario. */
  readonly parseProblems: number;
  readonly doc: Document.Parsed;
  /** Plain JSON-like data for the schema (integers as numbers, tags ignored). */
  readonly data: unknown;
  /** The node at a JSON pointer, and the key node when it is a map entry. */
  readonly nodes: ReadonlyMap<string, { readonly node: Node; readonly key?: Node }>;
  /** Every tagged node, in document order, with its pointer (the loader checks where tags are allowed). */
  readonly tagged: ReadonlyArray<{ readonly pointer: string; readonly node: Node }>;
  at(node: Node | null | undefined): Position;
  /** The value node's position at `pointer`, else the nearest enclosing node's. */
  valueAt(pointer: string): Position;
  /** The key node's position for a map entry at `pointer` (falls back to the value). */
  keyAt(pointer: string): Position;
  /** The node at a pointer, aliases resolved. */
  node(pointer: string): Node | undefined;
  /** The first pointer a node was seen at (an anchored node: where the anchor is). */
  pointerOf(node: Node): string;
}

export const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
export const joinPointer = (base: string, key: string | number): string => `${base}/${escapePointer(String(key))}`;

const firstLine = (message: string): string => message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');

export interface ParsedFile {
  readonly documents: SourceDocument[];
  readonly diagnostics: Diagnostic[];
}

/** Splits a file into its documents; YAML syntax errors become diagnostics and drop their document. */
export function parseYamlFile(file: string, text: string, knownTags: ReadonlySet<string>, suggest: (tag: string) => string): ParsedFile {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, keepSourceTokens: true, intAsBigInt: true, prettyErrors: true });
  const diagnostics: Diagnostic[] = [];
  const documents: SourceDocument[] = [];
  const pos = (offset: number): Position => lineCounter.linePos(offset);
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list as Document.Parsed[]) {
    for (const e of doc.errors) {
      const p = e.linePos?.[0] ?? pos(e.pos[0]);
      diagnostics.push({ file, line: p.line, col: p.col, code: 'yaml-syntax', message: `YAML syntax error: ${firstLine(e.message)}` });
    }
    let parseProblems = 0;
    for (const w of doc.warnings) {
      if (w.code !== 'TAG_RESOLVE_FAILED') continue;
      const tag = /Unresolved tag: (\S+)/.exec(w.message)?.[1] ?? '?';
      if (knownTags.has(tag)) continue;
      const p = w.linePos?.[0] ?? pos(w.pos[0]);
      diagnostics.push({ file, line: p.line, col: p.col, code: 'unknown-tag', message: `unknown tag ${tag}${suggest(tag)}` });
      parseProblems += 1;
    }
    if (doc.errors.length > 0) continue;
    if (doc.contents === null) continue; // an empty document (a trailing `---`)
    documents.push(buildDocument(file, text, doc, pos, parseProblems));
  }
  return { documents, diagnostics };
}

function buildDocument(file: string, text: string, doc: Document.Parsed, pos: (offset: number) => Position, parseProblems: number): SourceDocument {
  const nodes = new Map<string, { node: Node; key?: Node }>();
  const tagged: Array<{ pointer: string; node: Node }> = [];
  const memo = new Map<Node, unknown>();
  const inProgress = new Set<Node>();
  const pointers = new Map<Node, string>();

  const resolve = (n: unknown): Node | undefined => {
    let cur = n;
    for (let i = 0; i < 100 && isAlias(cur); i++) cur = cur.resolve(doc);
    return (cur ?? undefined) as Node | undefined;
  };

  const walk = (raw: unknown, pointer: string, key?: Node): unknown => {
    const node = resolve(raw);
    if (node === undefined) return null;
    nodes.set(pointer, key === undefined ? { node } : { node, key });
    if (!pointers.has(node)) pointers.set(node, pointer);
    if (isAlias(raw)) {
      // The anchor's data is computed once and shared; pointers below an alias fall back to the alias itself.
      if (inProgress.has(node)) return null; // a recursive alias: no finite data for the schema
      if (memo.has(node)) return memo.get(node);
    }
    if ((node as { tag?: string }).tag?.startsWith('!') && !isAlias(raw)) tagged.push({ pointer, node });
    let out: unknown;
    inProgress.add(node);
    if (isMap(node)) {
      const obj: Record<string, unknown> = {};
      memo.set(node, obj);
      for (const item of node.items as Pair[]) {
        if (!isPair(item)) continue;
        const keyNode = resolve(item.key);
        const k = keyNode && isScalar(keyNode) ? String(keyNode.value) : '';
        Object.defineProperty(obj, k, { value: walk(item.value, joinPointer(pointer, k), keyNode), enumerable: true, writable: true, configurable: true });
      }
      out = obj;
    } else if (isSeq(node)) {
      const arr: unknown[] = [];
      memo.set(node, arr);
      node.items.forEach((item, i) => arr.push(walk(item, joinPointer(pointer, i))));
      out = arr;
    } else if (isScalar(node)) {
      const v = scalarContent(node);
      out = typeof v === 'bigint' ? Number(v) : v;
      memo.set(node, out);
    } else {
      out = null;
    }
    inProgress.delete(node);
    return out;
  };

  const data = walk(doc.contents, '');
  const at = (node: Node | null | undefined): Position => pos(startOf(text, node));
  const nearest = (pointer: string): { node: Node; key?: Node } | undefined => {
    let p = pointer;
    for (;;) {
      const hit = nodes.get(p);
      if (hit !== undefined || p === '') return hit;
      p = p.slice(0, p.lastIndexOf('/'));
    }
  };
  /**
   * A pointer under an alias: walk registers an anchored node's children once (at the anchor), so below an alias
   * the node is found by descending from the nearest registered ancestor through the YAML structure itself.
   */
  const below = (pointer: string): Node | undefined => {
    const segments: string[] = [];
    let p = pointer;
    while (p !== '' && !nodes.has(p)) {
      segments.unshift(p.slice(p.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~'));
      p = p.slice(0, p.lastIndexOf('/'));
    }
    let cur: Node | undefined = nodes.get(p)?.node;
    for (const seg of segments) {
      if (cur === undefined) return undefined;
      if (isMap(cur)) {
        const pair = (cur.items as Pair[]).find((it) => isPair(it) && isScalar(resolve(it.key)) && String((resolve(it.key) as { value: unknown }).value) === seg);
        cur = pair ? resolve(pair.value) : undefined;
      } else if (isSeq(cur)) {
        cur = resolve(cur.items[Number(seg)]);
      } else return undefined;
    }
    return cur;
  };
  return {
    file, parseProblems, doc, data, nodes, tagged, at,
    valueAt: (pointer) => at(nearest(pointer)?.node),
    keyAt: (pointer) => {
      const hit = nodes.get(pointer);
      return hit?.key !== undefined ? at(hit.key) : at(nearest(pointer)?.node);
    },
    node: (pointer) => nodes.get(pointer)?.node ?? below(pointer),
    pointerOf: (node) => pointers.get(node) ?? '',
  };
}

/**
 * Where a node starts as the reader sees it: at its tag when it has one (`!DataFrame` on the line above a
 * block map), since the yaml package's range starts at the content.
 */
function startOf(text: string, node: Node | null | undefined): number {
  const start = node?.range?.[0] ?? 0;
  const tag = (node as { tag?: string } | null | undefined)?.tag;
  if (tag === undefined || !tag.startsWith('!')) return start;
  const at = text.lastIndexOf(tag, start);
  if (at < 0) return start;
  const between = text.slice(at + tag.length, start);
  return /^(?:\s|&\S+|#[^\n]*)*$/.test(between) ? at : start;
}

/**
 * A scalar's value. A plain scalar under a local tag (`!float 3`) is left a string by the yaml package;
 * it is resolved here as the core schema would resolve it untagged (3 -> int, 1.5 -> float, null, true).
 */
export function scalarContent(node: Scalar): unknown {
  const tag = node.tag;
  if (tag !== undefined && tag.startsWith('!') && !tag.startsWith('!!') && node.type === 'PLAIN' && typeof node.value === 'string') {
    return parse(node.value, { intAsBigInt: true }) as unknown;
  }
  return node.value;
}

export { isAlias, isMap, isPair, isScalar, isSeq };
export type { Node, Pair, Scalar };
