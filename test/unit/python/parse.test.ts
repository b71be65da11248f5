import { describe, expect, it } from 'vitest';
import type { Expr } from '../../../harness/python/ast.ts';
import { parsePython } from '../../../harness/python/parse.ts';

/** Fully parenthesised: the same printing was applied to CPython's ast for each text to get the expected values. */
const render = (e: Expr): string => {
  switch (e.k) {
    case 'binop': return `(${render(e.l)} ${e.op} ${render(e.r)})`;
    case 'unary': return `(${e.op} ${render(e.operand)})`;
    case 'name': return e.id;
    case 'int': return String(e.value);
    case 'ternary': return `(${render(e.then)} if ${render(e.test)} else ${render(e.else)})`;
    case 'attr': return `${render(e.obj)}.${e.name}`;
    case 'call': return `${render(e.fn)}()`;
    default: return `<${e.k}>`;
  }
};
const parseExpr = (src: string): Expr => (parsePython('p.py', `x = ${src}\n`).body[0] as Extract<ReturnType<typeof parsePython>['body'][number], { k: 'assign' }>).value;

describe('parse: Python grouping, as CPython groups it', () => {
  // Expected strings: CPython 3.11's ast.parse(src, mode="eval"), printed fully parenthesised (BoolOp folded left).
  const cases: [string, string][] = [
    ['not a and b', '((not a) and b)'],
    ['a and not b or c', '((a and (not b)) or c)'],
    ['a or b and not c or d', '((a or (b and (not c))) or d)'],
    ['not a and not b and c', '(((not a) and (not b)) and c)'],
    ['not (a or b) and c', '((not (a or b)) and c)'],
    ['a and (not b or c)', '(a and ((not b) or c))'],
    ['not a == b', '(not (a == b))'],
    ['-a ** 2', '(- (a ** 2))'],
    ['a ** b ** c', '(a ** (b ** c))'],
    ['a - b - c', '((a - b) - c)'],
    ['a if b else c or d', '(a if b else (c or d))'],
  ];
  for (const [src, want] of cases) it(src, () => expect(render(parseExpr(src))).toBe(want));

  it('a comparison chain is an and of its comparisons', () => {
    expect(render(parseExpr('a < b <= c'))).toBe('((a < b) and (b <= c))');
  });

  it('a syntax error is a position, and the rest of the file is still read', () => {
    const m = parsePython('p.py', 'x = (1,\ny = 2\ndef f(self):\n    return 3\n');
    expect(m.syntaxErrors.length).toBeGreaterThan(0);
    expect(m.body.some((s) => s.k === 'def')).toBe(true);
  });
});
