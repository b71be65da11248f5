/**
 * Lint checks about the shape of the graph: lint.py checks 11-18 (the @parallel ones are not modelled).
 * Metaflow raises at the first problem and relies on earlier checks having passed; since we report
 * everything, these checks also guard against unknown targets and loops instead of crashing.
 */
import type { FlowGraph, GraphNode } from '../graph.ts';
import { problem, type LintProblem } from './problem.ts';

const tailLocation = (node: GraphNode) => node.nextLocation ?? node.location;

/** Out-edges that lint follows: known targets, minus a switch's own self-loop. */
function followed(graph: FlowGraph, node: GraphNode): GraphNode[] {
  return node.outFuncs
    .filter((n) => !(node.type === 'split-switch' && n === node.name))
    .map((n) => graph.nodes.get(n))
    .filter((n): n is GraphNode => n !== undefined);
}

export function checkForAcyclicity(graph: FlowGraph): LintProblem[] {
  const found: LintProblem[] = [];
  const reported = new Set<string>();
  // Same walk as lint.py (the path starts empty, so a->b->a is reported as `b->a->b` from `a`), but
  // each distinct cycle is reported once.
  const checkPath = (node: GraphNode, seen: string[]): void => {
    for (const next of followed(graph, node)) {
      if (seen.includes(next.name)) {
        const cycle = [...new Set(seen.slice(seen.indexOf(next.name)))].sort().join(',');
        if (!reported.has(cycle)) {
          reported.add(cycle);
          found.push(
            problem(
              'check_for_acyclicity',
              `There is a loop in your flow: *${[...seen, next.name].join('->')}*. ` +
                'Break the loop by fixing self.next() transitions.',
              node.name,
              tailLocation(node),
            ),
          );
        }
      } else {
        checkPath(next, [...seen, next.name]);
      }
    }
  };
  for (const node of graph.nodes.values()) checkPath(node, []);
  return found;
}

export function checkForOrphans(graph: FlowGraph): LintProblem[] {
  const start = graph.startStep;
  if (start === null) return [];
  const seen = new Set([start]);
  const stack = [graph.nodes.get(start)!];
  while (stack.length > 0) {
    for (const n of stack.pop()!.outFuncs) {
      const child = graph.nodes.get(n);
      if (child && !seen.has(n)) {
        seen.add(n);
        stack.push(child);
      }
    }
  }
  return [...graph.nodes.values()]
    .filter((node) => !seen.has(node.name))
    .map((node) =>
      problem(
        'check_for_orphans',
        `Step *${node.name}* is unreachable from the entry step *${start}*. ` +
          `Add self.next(${node.name}) in another step or remove *${node.name}*.`,
        node.name,
        node.location,
      ),
    );
}

interface OpenSplit {
  readonly owner: string;
  readonly roots: readonly string[];
}

export function checkSplitJoinBalance(graph: FlowGraph): LintProblem[] {
  if (graph.startStep === null || graph.endStep === null) return [];
  const endStep = graph.endStep;
  const found = new Map<string, LintProblem>(); // keyed by message: several paths reach the same problem
  const report = (p: LintProblem) => {
    if (!found.has(p.message)) found.set(p.message, p);
  };
  // The branch an in-edge arrives on. A split going straight into its join is a branch of its own
  // (the join itself); Metaflow crashes with IndexError there (reference §7.2 #15).
  const branchOf = (parent: string, join: GraphNode, split: OpenSplit): string | undefined =>
    parent === split.owner ? join.name : graph.nodes.get(parent)?.splitBranches.at(-1);
  const parentsKey = (n: string): string => {
    const node = graph.nodes.get(n);
    if (!node) return '';
    return (node.type === 'join' ? node.splitParents.slice(0, -1) : node.splitParents).join('\u0000');
  };

  const traverse = (node: GraphNode, stack: OpenSplit[], path: Set<string>): void => {
    let next = stack;
    if (node.type === 'split' || node.type === 'foreach') {
      next = [...stack, { owner: node.name, roots: node.outFuncs }];
    } else if (node.type === 'end') {
      const top = stack.at(-1);
      if (top) {
        report(
          problem(
            'check_split_join_balance',
            `The terminal step *${endStep}* was reached before a split started at step(s) ` +
              `*${top.roots.join(', ')}* were joined. Add a join step before *${endStep}*.`,
            node.name,
            node.location,
          ),
        );
      }
    } else if (node.type === 'join') {
      const top = stack.at(-1);
      if (top) {
        next = stack.slice(0, -1);
        const resolved = new Set(node.inFuncs.map((p) => branchOf(p, node, top) ?? p));
        const expected = new Set(top.roots);
        const same = resolved.size === expected.size && [...resolved].every((b) => expected.has(b));
        if (!same) {
          report(
            problem(
              'check_split_join_balance',
              `Step *${node.name}* seems like a join step (it takes an extra input argument) but an incorrect ` +
                `number of steps (*${[...resolved].join(', ')}*) lead to it. This join was expecting ` +
                `${top.roots.length} incoming paths, starting from split step(s) *${top.roots.join(', ')}*.`,
              node.name,
              node.location,
            ),
          );
        }
      } else {
        report(
          problem(
            'check_split_join_balance',
            `Step *${node.name}* seems like a join step (it takes an extra input argument) but it is not ` +
              'preceded by a split. Ensure that there is a matching split for every join.',
            node.name,
            node.location,
          ),
        );
      }
      const keys = new Set(node.inFuncs.map(parentsKey));
      if (keys.size > 1) {
        report(
          problem(
            'check_split_join_balance',
            `Step *${node.name}* joins steps from unrelated splits. Ensure that there is a matching join for every split.`,
            node.name,
            node.location,
          ),
        );
      }
    }
    for (const child of followed(graph, node)) {
      if (path.has(child.name)) continue; // a loop: already reported by check_for_acyclicity
      traverse(child, next, new Set([...path, child.name]));
    }
  };
  traverse(graph.nodes.get(graph.startStep)!, [], new Set([graph.startStep]));
  return [...found.values()];
}

export function checkSwitchSplits(graph: FlowGraph): LintProblem[] {
  const found: LintProblem[] = [];
  for (const node of graph.nodes.values()) {
    if (node.type !== 'split-switch') continue;
    if (node.outFuncs.length < 2) {
      found.push(
        problem(
          'check_switch_splits',
          `Step *${node.name}* is a switch split but defines ${node.outFuncs.length} transitions. ` +
            'Switch splits must define at least 2 transitions.',
          node.name,
          node.location,
        ),
      );
    }
    if (!node.condition) {
      found.push(
        problem('check_switch_splits', `Step *${node.name}* is a switch split but has no condition variable.`, node.name, node.location),
      );
    }
    if (node.switchCases.length === 0) {
      found.push(
        problem('check_switch_splits', `Step *${node.name}* is a switch split but has no switch cases defined.`, node.name, node.location),
      );
    }
  }
  return found;
}

export function checkEmptyForeaches(graph: FlowGraph): LintProblem[] {
  const found: LintProblem[] = [];
  for (const node of graph.nodes.values()) {
    if (node.type !== 'foreach') continue;
    const join = node.outFuncs.find((n) => graph.nodes.get(n)?.type === 'join');
    if (join !== undefined) {
      found.push(
        problem(
          'check_empty_foreaches',
          `Step *${node.name}* is a foreach split that has no children: it is followed immediately by a join ` +
            `step, *${join}*. Add at least one step between the split and the join.`,
          node.name,
          node.location,
        ),
      );
    }
  }
  return found;
}

/** Off by default, as in Metaflow; some schedulers turn it on. */
export function checkNestedForeach(graph: FlowGraph): LintProblem[] {
  return [...graph.nodes.values()]
    .filter((node) => node.type === 'foreach' && node.splitParents.some((p) => graph.nodes.get(p)?.type === 'foreach'))
    .map((node) =>
      problem(
        'check_nested_foreach',
        `Nested foreaches are not allowed: Step *${node.name}* is a foreach split that is nested under another foreach split.`,
        node.name,
        node.location,
      ),
    );
}

export function checkAmbiguousJoins(graph: FlowGraph): LintProblem[] {
  const found: LintProblem[] = [];
  for (const node of graph.nodes.values()) {
    if (node.type !== 'join') continue;
    const parents = node.inFuncs.filter((p) => graph.nodes.get(p)?.type === 'split-switch');
    if (parents.length === 0) continue;
    found.push(
      problem(
        'check_ambiguous_joins',
        'A conditional path cannot lead directly to a join step.\n' +
          `In your conditional step(s) ${parents.map((p) => `*${p}*`).join(', ')}, one or more of the possible ` +
          `paths transition directly to the join step *${node.name}*.\n` +
          'As a workaround, please introduce an intermediate, unconditional step on that specific path before joining.',
        node.name,
        node.location,
      ),
    );
  }
  return found;
}
