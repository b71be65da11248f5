/**
 * The small Python AST the interpreter walks: lezer's concrete tree (flat children, tokens included) turned
 * into typed nodes, each with its position. A construct outside the modelled subset becomes `unsupported`
 * (with lezer's node name), so the interpreter can say what it met and where instead of guessing.
 */

export interface Pos { readonly line: number; readonly col: number; readonly from: number; readonly to: number }

export type Expr = (
  | { readonly k: 'name'; readonly id: string }
  | { readonly k: 'int'; readonly value: bigint }
  | { readonly k: 'float'; readonly value: number }
  | { readonly k: 'str'; readonly value: string; readonly bytes: boolean }
  | { readonly k: 'fstr'; readonly parts: ReadonlyArray<string | { readonly expr: Expr; readonly conv: string | null; readonly spec: string | null }> }
  | { readonly k: 'const'; readonly value: 'True' | 'False' | 'None' | '...' }
  | { readonly k: 'list' | 'tuple' | 'set'; readonly items: readonly Expr[] }
  | { readonly k: 'dict'; readonly entries: ReadonlyArray<readonly [Expr, Expr]> }
  | { readonly k: 'attr'; readonly obj: Expr; readonly name: string }
  | { readonly k: 'index'; readonly obj: Expr; readonly index: Expr }
  | { readonly k: 'slice'; readonly lo: Expr | null; readonly hi: Expr | null; readonly step: Expr | null }
  | { readonly k: 'call'; readonly fn: Expr; readonly args: readonly Arg[] }
  | { readonly k: 'binop'; readonly op: string; readonly l: Expr; readonly r: Expr }
  | { readonly k: 'unary'; readonly op: string; readonly operand: Expr }
  | { readonly k: 'ternary'; readonly test: Expr; readonly then: Expr; readonly else: Expr }
  | { readonly k: 'lambda'; readonly params: readonly Param[]; readonly body: Expr }
  | { readonly k: 'comp'; readonly kind: 'list' | 'set' | 'dict' | 'gen'; readonly elt: Expr; readonly value: Expr | null; readonly clauses: readonly CompClause[] }
  | { readonly k: 'starred'; readonly value: Expr }
  | { readonly k: 'unsupported'; readonly what: string }
) & { readonly pos: Pos; readonly text: string; /** Written in parentheses (grouping is fixed). */ readonly paren?: true };

export type CompClause = { readonly k: 'for'; readonly target: Expr; readonly iter: Expr } | { readonly k: 'if'; readonly test: Expr };

export interface Arg { readonly name: string | null; readonly star: '' | '*' | '**'; readonly value: Expr }
export interface Param { readonly name: string; readonly star: '' | '*' | '**'; readonly default: Expr | null }

export interface Decorator { readonly name: Expr; readonly args: readonly Arg[] | null; readonly pos: Pos; readonly text: string }

export interface FunctionDef {
  readonly name: string;
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
  readonly decorators: readonly Decorator[];
  readonly pos: Pos;
}

export interface ClassDef {
  readonly name: string;
  readonly bases: readonly Arg[];
  readonly body: readonly Stmt[];
  readonly decorators: readonly Decorator[];
  readonly pos: Pos;
}

export interface ImportName { readonly name: string; readonly asName: string | null }

export interface Handler { readonly types: Expr | null; readonly name: string | null; readonly body: readonly Stmt[]; readonly pos: Pos }

export type Stmt = (
  | { readonly k: 'expr'; readonly value: Expr }
  | { readonly k: 'assign'; readonly targets: readonly Expr[]; readonly value: Expr }
  | { readonly k: 'augassign'; readonly target: Expr; readonly op: string; readonly value: Expr }
  | { readonly k: 'annassign'; readonly target: Expr; readonly value: Expr | null }
  | { readonly k: 'if'; readonly branches: ReadonlyArray<{ readonly test: Expr; readonly body: readonly Stmt[] }>; readonly orelse: readonly Stmt[] | null }
  | { readonly k: 'for'; readonly target: Expr; readonly iter: Expr; readonly body: readonly Stmt[]; readonly orelse: readonly Stmt[] | null }
  | { readonly k: 'while'; readonly test: Expr; readonly body: readonly Stmt[]; readonly orelse: readonly Stmt[] | null }
  | { readonly k: 'with'; readonly items: ReadonlyArray<{ readonly ctx: Expr; readonly as: Expr | null }>; readonly body: readonly Stmt[] }
  | { readonly k: 'try'; readonly body: readonly Stmt[]; readonly handlers: readonly Handler[]; readonly orelse: readonly Stmt[] | null; readonly final: readonly Stmt[] | null }
  | { readonly k: 'raise'; readonly exc: Expr | null }
  | { readonly k: 'return'; readonly value: Expr | null }
  | { readonly k: 'del'; readonly targets: readonly Expr[] }
  | { readonly k: 'assert'; readonly test: Expr; readonly msg: Expr | null }
  | { readonly k: 'pass' | 'break' | 'continue' }
  | { readonly k: 'def'; readonly def: FunctionDef }
  | { readonly k: 'class'; readonly def: ClassDef }
  | { readonly k: 'import'; readonly module: string | null; readonly names: readonly ImportName[]; readonly level: number }
  | { readonly k: 'global'; readonly names: readonly string[] }
  | { readonly k: 'unsupported'; readonly what: string }
) & { readonly pos: Pos; readonly text: string };

export interface Module {
  readonly file: string;
  readonly source: string;
  readonly body: readonly Stmt[];
  /** Lezer's error nodes: each a syntax error at its position. */
  readonly syntaxErrors: readonly Pos[];
}
