/**
 * Lezer's expression nodes -> ast.ts expressions (the base of the reader in parse.ts): positions, literals,
 * containers, operators, calls, attribute/item access, comprehensions, f-strings. Anything else is
 * `unsupported` with lezer's node name, and an error node is also recorded as a syntax error.
 */
import type { SyntaxNode } from '@lezer/common';
import type { Arg, CompClause, Expr, Param, Pos } from './ast.ts';
import { decodeString, parseNumber } from './literals.ts';

export const EXPR = new Set([
  'VariableName', 'Number', 'String', 'FormatString', 'ContinuedString', 'Boolean', 'None', 'Ellipsis',
  'ParenthesizedExpression', 'TupleExpression', 'ArrayExpression', 'SetExpression', 'DictionaryExpression',
  'ArrayComprehensionExpression', 'SetComprehensionExpression', 'DictionaryComprehensionExpression',
  'ComprehensionExpression', 'MemberExpression', 'CallExpression', 'BinaryExpression', 'UnaryExpression',
  'ConditionalExpression', 'LambdaExpression', 'NamedExpression', 'AwaitExpression', 'YieldExpression', '⚠',
]);

export const children = (n: SyntaxNode): SyntaxNode[] => {
  const out: SyntaxNode[] = [];
  for (let c = n.firstChild; c !== null; c = c.nextSibling) if (c.name !== 'Comment') out.push(c);
  return out;
};

/**
 * lezer-python groups `not` and the boolean operators wrongly (`not a and b` as `not (a and b)`, `a and not b
 * or c` as `a and not (b or c)`). Python's order is: `not` binds tighter than `and`, `and` tighter than `or`,
 * both left-associative. A boolean expression is flattened (parenthesised parts stay whole) and rebuilt.
 */
function boolOrder(e: Expr): Expr {
  const isBool = (x: Expr): x is Expr & { k: 'binop' } => x.k === 'binop' && (x.op === 'and' || x.op === 'or') && !x.paren;
  const isNot = (x: Expr): x is Expr & { k: 'unary' } => x.k === 'unary' && x.op === 'not' && !x.paren;
  const seq: (Expr | 'and' | 'or')[] = [];
  const walk = (x: Expr): void => {
    if (isBool(x)) {
      walk(x.l);
      seq.push(x.op as 'and' | 'or');
      walk(x.r);
    } else if (isNot(x) && (isBool(x.operand) || isNot(x.operand))) {
      const at = seq.length;
      walk(x.operand);
      const first = seq[at] as Expr;
      seq[at] = { k: 'unary', op: 'not', operand: first, pos: x.pos, text: `not ${first.text}` };
    } else seq.push(x);
  };
  walk(e);
  if (seq.length === 1) return seq[0] as Expr;
  const join = (l: Expr, op: string, r: Expr): Expr => ({ k: 'binop', op, l, r, pos: l.pos, text: `${l.text} ${op} ${r.text}` });
  const groups: Expr[] = [];
  let cur = seq[0] as Expr;
  for (let i = 1; i < seq.length; i += 2) {
    const op = seq[i] as string;
    const r = seq[i + 1] as Expr;
    if (op === 'and') cur = join(cur, 'and', r);
    else {
      groups.push(cur);
      cur = r;
    }
  }
  groups.push(cur);
  const out = groups.reduce((l, r) => join(l, 'or', r));
  return { ...out, pos: e.pos, text: e.text };
}

const COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=', 'in', 'not in', 'is', 'is not']);

export function split(nodes: SyntaxNode[], sep: string): SyntaxNode[][] {
  const out: SyntaxNode[][] = [[]];
  for (const c of nodes) {
    if (c.name === sep) out.push([]);
    else out.at(-1)!.push(c);
  }
  return out;
}

export class ExprReader {
  private readonly lineStarts: number[] = [0];
  readonly syntaxErrors: Pos[] = [];
  constructor(readonly file: string, readonly src: string) {
    for (let i = 0; i < src.length; i++) if (src.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  pos(n: { from: number; to: number }): Pos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= n.from) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: n.from - this.lineStarts[lo]! + 1, from: n.from, to: n.to };
  }

  text(n: SyntaxNode): string {
    return this.src.slice(n.from, n.to);
  }

  protected mark(n: SyntaxNode): void {
    if (n.type.isError) this.syntaxErrors.push(this.pos(n));
  }

  /** Every error node under `n` (lezer puts them anywhere, tokens included), but the end of a float like `4.`. */
  collectErrors(n: SyntaxNode): void {
    const cur = n.cursor();
    do if (cur.type.isError && !(cur.node.parent && this.trailingDotFloat(cur.node.parent))) this.syntaxErrors.push(this.pos(cur)); while (cur.next());
  }

  /**
   * `4.` and `4.e3` are Python floats that @lezer/python reads as a member access of an int (`4` `.` error, or
   * `4` `.` `e3`): the float's text is the whole node.
   */
  trailingDotFloat(n: SyntaxNode): string | undefined {
    if (n.name !== 'MemberExpression') return undefined;
    const cs = children(n);
    if (cs[0]?.name !== 'Number' || !/^\d[\d_]*$/.test(this.text(cs[0])) || cs[1]?.name !== '.' || cs[1].from !== cs[0].to) return undefined;
    const rest = cs[2];
    if (rest !== undefined && !rest.type.isError && !(rest.from === cs[1].to && /^[eE]\d[\d_]*$/.test(this.text(rest)))) return undefined;
    return this.src.slice(cs[0].from, rest === undefined || rest.type.isError ? cs[1].to : rest.to).replace(/_/g, '');
  }

  params(n: SyntaxNode | undefined): Param[] {
    if (n === undefined) return [];
    const out: Param[] = [];
    for (const part of split(children(n).filter((c) => c.name !== '(' && c.name !== ')'), ',')) {
      let star: Param['star'] = '';
      let i = 0;
      const t0 = part[0] ? this.text(part[0]) : '';
      if (t0 === '*' || t0 === '**') {
        star = t0;
        i = 1;
      }
      const nameNode = part[i];
      if (nameNode === undefined || nameNode.name !== 'VariableName') continue; // a bare `*` or `/` marker
      const eq = part.findIndex((c) => c.name === 'AssignOp');
      out.push({ name: this.text(nameNode), star, default: eq >= 0 && part[eq + 1] ? this.expr(part[eq + 1]!) : null });
    }
    return out;
  }

  // ---------------------------------------------------------------- expressions

  protected leaf(n: SyntaxNode, e: Record<string, unknown>): Expr {
    return { ...e, pos: this.pos(n), text: this.text(n) } as unknown as Expr;
  }

  protected unsupported(n: SyntaxNode, what = n.name): Expr {
    if (n.type.isError) this.syntaxErrors.push(this.pos(n));
    return this.leaf(n, { k: 'unsupported', what: n.type.isError ? 'syntax error' : what });
  }

  /** Comma-separated expressions as one: a tuple when there is a comma (`return a, b`, `x, y = ...`). */
  exprList(nodes: SyntaxNode[], whole: SyntaxNode): Expr {
    const parts = split(nodes, ',').filter((p) => p.length > 0);
    if (parts.length === 1 && !nodes.some((c) => c.name === ',')) return this.exprOf(parts[0]!, whole);
    const items = parts.map((p) => this.exprOf(p, whole));
    const from = nodes[0]?.from ?? whole.from;
    const to = nodes.at(-1)?.to ?? whole.to;
    return { k: 'tuple', items, pos: this.pos({ from, to }), text: this.src.slice(from, to) };
  }

  protected exprOf(part: SyntaxNode[], whole: SyntaxNode): Expr {
    const t0 = part[0] ? this.text(part[0]) : '';
    if ((t0 === '*') && part[1]) {
      const value = this.expr(part[1]);
      return { k: 'starred', value, pos: this.pos(part[0]!), text: `*${value.text}` };
    }
    return part[0] ? this.expr(part[0]) : this.unsupported(whole, 'empty expression');
  }

  args(n: SyntaxNode): Arg[] {
    const out: Arg[] = [];
    for (const part of split(children(n).filter((c) => c.name !== '(' && c.name !== ')'), ',')) {
      if (part.length === 0) continue;
      const t0 = this.text(part[0]!);
      if ((t0 === '*' || t0 === '**') && part[1]) out.push({ name: null, star: t0, value: this.expr(part[1]) });
      else if (part[1]?.name === 'AssignOp' && part[2]) out.push({ name: t0, star: '', value: this.expr(part[2]) });
      else if (part.length > 1 && part.some((c) => c.name === 'for')) out.push({ name: null, star: '', value: this.compOf(n, part, 'gen') });
      else out.push({ name: null, star: '', value: this.expr(part[0]!) });
    }
    return out;
  }

  expr(n: SyntaxNode): Expr {
    const cs = children(n);
    switch (n.name) {
      case 'VariableName': return this.leaf(n, { k: 'name', id: this.text(n) });
      case 'Number': {
        const v = parseNumber(this.text(n));
        return v === null ? this.unsupported(n, 'complex number') : this.leaf(n, typeof v === 'bigint' ? { k: 'int', value: v } : { k: 'float', value: v });
      }
      case 'String': {
        const s = decodeString(this.text(n));
        return this.leaf(n, { k: 'str', value: s.value, bytes: s.bytes });
      }
      case 'FormatString': return this.fstring(n);
      case 'ContinuedString': {
        const parts = cs.map((c) => this.expr(c));
        if (parts.every((p) => p.k === 'str')) {
          return this.leaf(n, { k: 'str', value: parts.map((p) => (p as { value: string }).value).join(''), bytes: (parts[0] as { bytes: boolean }).bytes });
        }
        return this.leaf(n, { k: 'fstr', parts: parts.flatMap((p) => (p.k === 'str' ? [p.value] : p.k === 'fstr' ? p.parts : [])) });
      }
      case 'Boolean': case 'None': case 'Ellipsis':
        return this.leaf(n, { k: 'const', value: n.name === 'Ellipsis' ? '...' : this.text(n) });
      case 'ParenthesizedExpression': {
        const inner = cs.find((c) => EXPR.has(c.name));
        return inner ? { ...this.expr(inner), paren: true } : this.unsupported(n);
      }
      case 'TupleExpression': case 'ArrayExpression': case 'SetExpression': {
        const items = split(cs.slice(1, -1), ',').filter((p) => p.length > 0).map((p) => this.exprOf(p, n));
        return this.leaf(n, { k: n.name === 'TupleExpression' ? 'tuple' : n.name === 'ArrayExpression' ? 'list' : 'set', items });
      }
      case 'DictionaryExpression': {
        const entries: [Expr, Expr][] = [];
        for (const part of split(cs.slice(1, -1), ',')) {
          if (part.length === 0) continue;
          if (this.text(part[0]!) === '**' || part.length !== 3) return this.unsupported(n, 'dict unpacking');
          entries.push([this.expr(part[0]!), this.expr(part[2]!)]);
        }
        return this.leaf(n, { k: 'dict', entries });
      }
      case 'ArrayComprehensionExpression': case 'SetComprehensionExpression':
      case 'DictionaryComprehensionExpression': case 'ComprehensionExpression':
        return this.comprehension(n, cs);
      case 'MemberExpression': {
        const float = this.trailingDotFloat(n);
        if (float !== undefined) return this.leaf(n, { k: 'float', value: Number(float) });
        const obj = this.expr(cs[0]!);
        if (cs[1]?.name === '.') return this.leaf(n, { k: 'attr', obj, name: cs[2] ? this.text(cs[2]) : '' });
        const inner = cs.slice(2, -1);
        return this.leaf(n, { k: 'index', obj, index: this.subscript(inner, n) });
      }
      case 'CallExpression': {
        const argList = cs.find((c) => c.name === 'ArgList');
        return this.leaf(n, { k: 'call', fn: this.expr(cs[0]!), args: argList ? this.args(argList) : [] });
      }
      case 'BinaryExpression': {
        const l = cs[0];
        const r = cs.at(-1);
        if (!l || !r || cs.length < 3) return this.unsupported(n);
        const op = cs.slice(1, -1).map((c) => this.text(c)).join(' ');
        const left = this.expr(l);
        const right = this.expr(r);
        // `a < b < c` is `a < b and b < c` (the middle operand is evaluated twice here, once in Python).
        if (COMPARISONS.has(op) && left.k === 'binop' && COMPARISONS.has(left.op) && !left.paren) {
          return this.leaf(n, { k: 'binop', op: 'and', l: left, r: { k: 'binop', op, l: left.r, r: right, pos: left.r.pos, text: `${left.r.text} ${op} ${right.text}` } });
        }
        const e = this.leaf(n, { k: 'binop', op, l: left, r: right });
        return op === 'and' || op === 'or' ? boolOrder(e) : e;
      }
      case 'UnaryExpression':
        return cs.length === 2 ? boolOrder(this.leaf(n, { k: 'unary', op: this.text(cs[0]!), operand: this.expr(cs[1]!) })) : this.unsupported(n);
      case 'ConditionalExpression': {
        const es = cs.filter((c) => EXPR.has(c.name));
        if (es.length !== 3) return this.unsupported(n);
        return this.leaf(n, { k: 'ternary', then: this.expr(es[0]!), test: this.expr(es[1]!), else: this.expr(es[2]!) });
      }
      case 'LambdaExpression': {
        const body = cs.at(-1);
        return body ? this.leaf(n, { k: 'lambda', params: this.params(cs.find((c) => c.name === 'ParamList')), body: this.expr(body) }) : this.unsupported(n);
      }
      default:
        return this.unsupported(n);
    }
  }

  protected subscript(inner: SyntaxNode[], whole: SyntaxNode): Expr {
    const parts = split(inner, ',').filter((p) => p.length > 0);
    const one = (p: SyntaxNode[]): Expr => {
      if (!p.some((c) => c.name === ':')) return this.exprOf(p, whole);
      const slots: (Expr | null)[] = [null, null, null];
      let i = 0;
      for (const c of p) {
        if (c.name === ':') i++;
        else if (i < 3) slots[i] = this.expr(c);
      }
      const from = p[0]!.from;
      const to = p.at(-1)!.to;
      return { k: 'slice', lo: slots[0]!, hi: slots[1]!, step: slots[2]!, pos: this.pos({ from, to }), text: this.src.slice(from, to) };
    };
    if (parts.length === 1 && !inner.some((c) => c.name === ',')) return one(parts[0]!);
    const items = parts.map(one);
    return { k: 'tuple', items, pos: this.pos(whole), text: this.text(whole) };
  }

  protected comprehension(n: SyntaxNode, cs: SyntaxNode[]): Expr {
    const kind = n.name === 'ArrayComprehensionExpression' ? 'list' : n.name === 'SetComprehensionExpression' ? 'set' : n.name === 'DictionaryComprehensionExpression' ? 'dict' : 'gen';
    return this.compOf(n, cs.slice(1, -1), kind);
  }

  /** `elt for target in iter [if test]...`; `n` gives the position (a generator argument: its ArgList). */
  protected compOf(n: SyntaxNode, inner: SyntaxNode[], kind: 'list' | 'set' | 'dict' | 'gen'): Expr {
    const firstFor = inner.findIndex((c) => c.name === 'for' || c.name === 'async');
    if (firstFor <= 0 || inner.some((c) => c.name === 'async')) return this.unsupported(n);
    const head = inner.slice(0, firstFor);
    const isDict = kind === 'dict';
    const colon = head.findIndex((c) => c.name === ':');
    const elt = this.expr(head[0]!);
    const value = isDict && colon >= 0 && head[colon + 1] ? this.expr(head[colon + 1]!) : null;
    const clauses: CompClause[] = [];
    let i = firstFor;
    while (i < inner.length) {
      const c = inner[i]!;
      if (c.name === 'for') {
        const inAt = inner.findIndex((x, j) => j > i && x.name === 'in');
        if (inAt < 0) return this.unsupported(n, 'comprehension without in');
        let end = inAt + 1;
        while (end < inner.length && inner[end]!.name !== 'for' && inner[end]!.name !== 'if') end++;
        clauses.push({ k: 'for', target: this.exprList(inner.slice(i + 1, inAt), n), iter: this.exprList(inner.slice(inAt + 1, end), n) });
        i = end;
      } else if (c.name === 'if') {
        if (inner[i + 1] === undefined) return this.unsupported(n, 'comprehension condition');
        clauses.push({ k: 'if', test: this.expr(inner[i + 1]!) });
        i += 2;
      } else i++;
    }
    if (n.name === 'ArgList') {
      const from = inner[0]!.from;
      const to = inner.at(-1)!.to;
      return { k: 'comp', kind, elt, value, clauses, pos: this.pos({ from, to }), text: this.src.slice(from, to) };
    }
    return this.leaf(n, { k: 'comp', kind, elt, value, clauses });
  }

  protected fstring(n: SyntaxNode): Expr {
    const text = this.text(n);
    const prefix = /^[A-Za-z]*/.exec(text)![0];
    const quote = text.slice(prefix.length).startsWith('"""') || text.slice(prefix.length).startsWith("'''") ? 3 : 1;
    const start = n.from + prefix.length + quote;
    const end = n.to - quote;
    const raw = /r/i.test(prefix);
    const parts: Array<string | { expr: Expr; conv: string | null; spec: string | null }> = [];
    let at = start;
    const literal = (from: number, to: number) => {
      if (to <= from) return;
      const s = this.src.slice(from, to).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
      parts.push(raw ? s : decodeString(`"${s.replace(/"/g, '\\"')}"`).value);
    };
    for (const c of children(n).filter((x) => x.name === 'FormatReplacement')) {
      literal(at, c.from);
      const rc = children(c);
      const e = rc.find((x) => EXPR.has(x.name));
      const conv = rc.find((x) => x.name === 'FormatConversion');
      const spec = rc.find((x) => x.name === 'FormatSpec');
      if (!e || rc.some((x) => x.name === 'FormatSelfDoc')) return this.unsupported(n, 'f-string form');
      parts.push({
        expr: this.expr(e),
        conv: conv ? this.text(conv).slice(1) : null,
        spec: spec ? this.src.slice(spec.from + 1, spec.to) : null,
      });
      at = c.to;
    }
    literal(at, end);
    return this.leaf(n, { k: 'fstr', parts });
  }
}
