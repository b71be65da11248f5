/**
 * Python source -> the AST of ast.ts, with @lezer/python (error tolerant: a syntax error is an error node in
 * the tree, reported with its position, and the rest of the file is still read). Nothing is evaluated here.
 * Statements are read here; expressions by the base class (parse-expressions.ts).
 */
import { parser } from '@lezer/python';
import type { SyntaxNode } from '@lezer/common';
import type { ClassDef, Decorator, Expr, FunctionDef, Handler, ImportName, Module, Stmt } from './ast.ts';
import { children, EXPR, ExprReader, split } from './parse-expressions.ts';

class Reader extends ExprReader {
  // ---------------------------------------------------------------- statements

  body(n: SyntaxNode | undefined): Stmt[] {
    if (n === undefined) return [];
    const out: Stmt[] = [];
    for (const c of children(n)) {
      if (c.name === ':') continue;
      out.push(...this.stmts(c));
    }
    return out;
  }

  stmts(n: SyntaxNode): Stmt[] {
    if (n.name === 'StatementGroup') return children(n).filter((c) => c.name !== ';').flatMap((c) => this.stmts(c));
    if (n.name === ':' || n.name === ';') return [];
    return [this.stmt(n)];
  }

  private mk(n: SyntaxNode, s: Record<string, unknown>): Stmt {
    return { ...s, pos: this.pos(n), text: this.text(n) } as unknown as Stmt;
  }

  private unsupportedStmt(n: SyntaxNode): Stmt {
    return this.mk(n, { k: 'unsupported', what: n.type.isError ? 'syntax error' : n.name });
  }

  stmt(n: SyntaxNode): Stmt {
    const cs = children(n);
    switch (n.name) {
      case 'ExpressionStatement':
        return cs[0] ? this.mk(n, { k: 'expr', value: this.expr(cs[0]) }) : this.unsupportedStmt(n);
      case 'AssignStatement': {
        if (cs.some((c) => c.name === 'TypeDef')) {
          const at = cs.findIndex((c) => c.name === 'AssignOp');
          return this.mk(n, { k: 'annassign', target: this.expr(cs[0]!), value: at >= 0 && cs[at + 1] ? this.exprList(cs.slice(at + 1), n) : null });
        }
        const groups = split(cs, 'AssignOp');
        const exprs = groups.map((g) => this.exprList(g, n));
        return this.mk(n, { k: 'assign', targets: exprs.slice(0, -1), value: exprs.at(-1)! });
      }
      case 'UpdateStatement': {
        const at = cs.findIndex((c) => c.name === 'UpdateOp');
        return this.mk(n, { k: 'augassign', target: this.exprList(cs.slice(0, at), n), op: this.text(cs[at]!).slice(0, -1), value: this.exprList(cs.slice(at + 1), n) });
      }
      case 'DeleteStatement':
        return this.mk(n, { k: 'del', targets: cs.filter((c) => EXPR.has(c.name)).map((c) => this.expr(c)) });
      case 'PassStatement': return this.mk(n, { k: 'pass' });
      case 'BreakStatement': return this.mk(n, { k: 'break' });
      case 'ContinueStatement': return this.mk(n, { k: 'continue' });
      case 'ReturnStatement':
        return this.mk(n, { k: 'return', value: cs.length > 1 ? this.exprList(cs.slice(1), n) : null });
      case 'RaiseStatement': {
        const e = cs.find((c) => EXPR.has(c.name));
        return this.mk(n, { k: 'raise', exc: e ? this.expr(e) : null });
      }
      case 'AssertStatement': {
        const es = cs.filter((c) => EXPR.has(c.name));
        return this.mk(n, { k: 'assert', test: this.expr(es[0]!), msg: es[1] ? this.expr(es[1]) : null });
      }
      case 'ScopeStatement':
        return this.mk(n, { k: 'global', names: cs.filter((c) => c.name === 'VariableName').map((c) => this.text(c)) });
      case 'ImportStatement': return this.importStmt(n, cs);
      case 'IfStatement': {
        const branches: { test: Expr; body: Stmt[] }[] = [];
        let orelse: Stmt[] | null = null;
        for (let i = 0; i < cs.length; i++) {
          const c = cs[i]!;
          if ((c.name === 'if' || c.name === 'elif') && cs[i + 1] && cs[i + 2]) {
            branches.push({ test: this.expr(cs[i + 1]!), body: this.body(cs[i + 2]) });
            i += 2;
          } else if (c.name === 'else') {
            orelse = this.body(cs[i + 1]);
            i++;
          }
        }
        return branches.length > 0 ? this.mk(n, { k: 'if', branches, orelse }) : this.unsupportedStmt(n);
      }
      case 'WhileStatement': {
        const bodies = cs.filter((c) => c.name === 'Body');
        const test = cs.find((c) => EXPR.has(c.name));
        if (!test) return this.unsupportedStmt(n);
        return this.mk(n, { k: 'while', test: this.expr(test), body: this.body(bodies[0]), orelse: bodies[1] ? this.body(bodies[1]) : null });
      }
      case 'ForStatement': {
        const fi = cs.findIndex((c) => c.name === 'for');
        const ii = cs.findIndex((c) => c.name === 'in');
        const bodies = cs.filter((c) => c.name === 'Body');
        if (fi < 0 || ii < 0 || cs.some((c) => c.name === 'async')) return this.unsupportedStmt(n);
        const bi = cs.indexOf(bodies[0]!);
        return this.mk(n, {
          k: 'for', target: this.exprList(cs.slice(fi + 1, ii), n), iter: this.exprList(cs.slice(ii + 1, bi), n),
          body: this.body(bodies[0]), orelse: bodies[1] ? this.body(bodies[1]) : null,
        });
      }
      case 'WithStatement': {
        const items: { ctx: Expr; as: Expr | null }[] = [];
        let body: SyntaxNode | undefined;
        for (let i = 0; i < cs.length; i++) {
          const c = cs[i]!;
          if (c.name === 'Body') body = c;
          else if (EXPR.has(c.name)) {
            if (cs[i + 1]?.name === 'as' && cs[i + 2]) {
              items.push({ ctx: this.expr(c), as: this.expr(cs[i + 2]!) });
              i += 2;
            } else items.push({ ctx: this.expr(c), as: null });
          }
        }
        if (cs.some((c) => c.name === 'async')) return this.unsupportedStmt(n);
        return this.mk(n, { k: 'with', items, body: this.body(body) });
      }
      case 'TryStatement': return this.tryStmt(n, cs);
      case 'FunctionDefinition': return this.mk(n, { k: 'def', def: this.functionDef(n, []) });
      case 'ClassDefinition': return this.mk(n, { k: 'class', def: this.classDef(n, []) });
      case 'DecoratedStatement': {
        const decos = cs.filter((c) => c.name === 'Decorator').map((d) => this.decorator(d));
        const target = cs.find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition');
        if (!target) return this.unsupportedStmt(n);
        return target.name === 'FunctionDefinition'
          ? this.mk(n, { k: 'def', def: this.functionDef(target, decos) })
          : this.mk(n, { k: 'class', def: this.classDef(target, decos) });
      }
      default:
        this.mark(n);
        return this.unsupportedStmt(n);
    }
  }

  private importStmt(n: SyntaxNode, cs: SyntaxNode[]): Stmt {
    const names: ImportName[] = [];
    const dotted = (nodes: SyntaxNode[]): string => nodes.map((c) => this.text(c)).join('');
    if (cs[0]?.name === 'from') {
      const ii = cs.findIndex((c) => c.name === 'import');
      const modNodes = cs.slice(1, ii);
      const modText = dotted(modNodes);
      const level = /^\.*/.exec(modText)![0].length;
      const rest = cs.slice(ii + 1).filter((c) => c.name !== '(' && c.name !== ')');
      for (const part of split(rest, ',')) {
        const name = part[0] ? this.text(part[0]) : '';
        if (name === '') continue;
        const asAt = part.findIndex((c) => c.name === 'as');
        names.push({ name, asName: asAt >= 0 && part[asAt + 1] ? this.text(part[asAt + 1]!) : null });
      }
      return this.mk(n, { k: 'import', module: modText.slice(level) || null, names, level });
    }
    for (const part of split(cs.slice(1), ',')) {
      const asAt = part.findIndex((c) => c.name === 'as');
      names.push({ name: dotted(asAt >= 0 ? part.slice(0, asAt) : part), asName: asAt >= 0 && part[asAt + 1] ? this.text(part[asAt + 1]!) : null });
    }
    return this.mk(n, { k: 'import', module: null, names, level: 0 });
  }

  private tryStmt(n: SyntaxNode, cs: SyntaxNode[]): Stmt {
    let body: Stmt[] = [];
    const handlers: Handler[] = [];
    let orelse: Stmt[] | null = null;
    let final: Stmt[] | null = null;
    for (let i = 0; i < cs.length; i++) {
      const c = cs[i]!;
      if (c.name === 'try') body = this.body(cs[i + 1]);
      else if (c.name === 'except') {
        let j = i + 1;
        let types: Expr | null = null;
        let name: string | null = null;
        if (cs[j] && EXPR.has(cs[j]!.name)) types = this.expr(cs[j++]!);
        if (cs[j]?.name === 'as') {
          name = cs[j + 1] ? this.text(cs[j + 1]!) : null;
          j += 2;
        }
        handlers.push({ types, name, body: this.body(cs[j]), pos: this.pos(c) });
        i = j;
      } else if (c.name === 'else') orelse = this.body(cs[++i]);
      else if (c.name === 'finally') final = this.body(cs[++i]);
    }
    return this.mk(n, { k: 'try', body, handlers, orelse, final });
  }

  private decorator(n: SyntaxNode): Decorator {
    const cs = children(n).filter((c) => c.name !== 'At');
    const argList = cs.find((c) => c.name === 'ArgList');
    const nameNodes = cs.filter((c) => c !== argList);
    let name: Expr = this.leaf(nameNodes[0] ?? n, { k: 'name', id: nameNodes[0] ? this.text(nameNodes[0]) : '' });
    for (const c of nameNodes.slice(1)) {
      if (c.name === '.') continue;
      name = { k: 'attr', obj: name, name: this.text(c), pos: name.pos, text: `${name.text}.${this.text(c)}` };
    }
    if (nameNodes.length === 1 && EXPR.has(nameNodes[0]!.name) && nameNodes[0]!.name !== 'VariableName') name = this.expr(nameNodes[0]!);
    return { name, args: argList ? this.args(argList) : null, pos: this.pos(n), text: this.text(n).trim() };
  }

  private functionDef(n: SyntaxNode, decorators: Decorator[]): FunctionDef {
    const cs = children(n);
    const nameNode = cs.find((c) => c.name === 'VariableName');
    return {
      name: nameNode ? this.text(nameNode) : '',
      params: this.params(cs.find((c) => c.name === 'ParamList')),
      body: this.body(cs.find((c) => c.name === 'Body')),
      decorators,
      pos: this.pos(nameNode ?? n),
    };
  }

  private classDef(n: SyntaxNode, decorators: Decorator[]): ClassDef {
    const cs = children(n);
    const nameNode = cs.find((c) => c.name === 'VariableName');
    const argList = cs.find((c) => c.name === 'ArgList');
    return {
      name: nameNode ? this.text(nameNode) : '',
      bases: argList ? this.args(argList) : [],
      body: this.body(cs.find((c) => c.name === 'Body')),
      decorators,
      pos: this.pos(nameNode ?? n),
    };
  }
}

/** Parsed modules by file and text: the AST is never changed after parsing, so a re-plan of an unchanged file
 * (watch mode, a test suite, the bench) reuses it. Small and bounded: a few files at a time. */
const cache = new Map<string, Module>();
const CACHE_SIZE = 16;

export function parsePython(file: string, source: string): Module {
  const key = `${file}\u0000${source}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const mod = parseUncached(file, source);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, mod);
  return mod;
}

function parseUncached(file: string, source: string): Module {
  const tree = parser.parse(source);
  const r = new Reader(file, source);
  r.collectErrors(tree.topNode);
  const body = children(tree.topNode).flatMap((c) => r.stmts(c));
  const seen = new Set<number>();
  const syntaxErrors = r.syntaxErrors.filter((p) => !seen.has(p.from) && (seen.add(p.from), true)).sort((a, b) => a.from - b.from);
  return { file, source, body, syntaxErrors };
}

