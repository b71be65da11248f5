/**
 * What a branch does to `self`, read from its source: for a condition the plan cannot decide, the
 * UNKNOWN_CONDITION diagnostic says what each outcome would do, and the interpreter follows the one that
 * does not raise.
 */
import type { Expr, Stmt } from './ast.ts';

export function outcome(stmts: readonly Stmt[]): { text: string; raises: boolean } {
  const sets = new Set<string>();
  const dels = new Set<string>();
  let raises = false;
  const selfAttr = (e: Expr): string | undefined => (e.k === 'attr' && e.obj.k === 'name' && e.obj.id === 'self' ? e.name : undefined);
  const targets = (e: Expr): string[] => (e.k === 'tuple' || e.k === 'list' ? e.items.flatMap(targets) : [selfAttr(e)].filter((x): x is string => x !== undefined));
  const walk = (ss: readonly Stmt[]): void => {
    for (const x of ss) {
      if (x.k === 'assign') x.targets.flatMap(targets).forEach((n) => sets.add(n));
      else if (x.k === 'augassign' || x.k === 'annassign') targets(x.target).forEach((n) => sets.add(n));
      else if (x.k === 'del') x.targets.flatMap(targets).forEach((n) => dels.add(n));
      else if (x.k === 'raise') raises = true;
      else if (x.k === 'if') {
        x.branches.forEach((b) => walk(b.body));
        if (x.orelse) walk(x.orelse);
      } else if (x.k === 'for' || x.k === 'while') walk(x.body);
      else if (x.k === 'with') walk(x.body);
      else if (x.k === 'try') {
        walk(x.body);
        x.handlers.forEach((h) => walk(h.body));
        if (x.final) walk(x.final);
      }
    }
  };
  walk(stmts);
  const parts = [
    ...(sets.size > 0 ? [`sets ${[...sets].map((n) => `self.${n}`).join(', ')}`] : []),
    ...(dels.size > 0 ? [`deletes ${[...dels].map((n) => `self.${n}`).join(', ')}`] : []),
    ...(raises ? ['raises'] : []),
  ];
  return { text: parts.length > 0 ? parts.join(', ') : 'changes nothing on self', raises: stmts.some((x) => x.k === 'raise') };
}
