/**
 * The flow graph, built the way Metaflow's graph.py builds it: permissively (unknown targets, loops,
 * missing or invalid transitions are all kept) so that lint can report them. Each node keeps the source
 * location of the step and of its tail `self.next(...)`.
 */
import type { FlowDefinition, NextSpec, SourceLocation, StepDefinition, SwitchCase } from './model.ts';

/** Metaflow's node types (`DAGNode.type`); null when the tail is missing or invalid. */
export type NodeType = 'start' | 'end' | 'linear' | 'join' | 'split' | 'foreach' | 'split-switch';

export interface GraphNode {
  readonly name: string;
  readonly definition: StepDefinition;
  type: NodeType | null;
  readonly numArgs: number;
  readonly hasTailNext: boolean;
  readonly invalidTailNext: boolean;
  /** Targets of the tail `self.next(...)`, in argument order (switch: case order). */
  readonly outFuncs: readonly string[];
  readonly foreachParam: string | null;
  readonly condition: string | null;
  readonly switchCases: readonly SwitchCase[];
  readonly isStartStep: boolean;
  readonly isEndStep: boolean;
  readonly location: SourceLocation | undefined;
  readonly nextLocation: SourceLocation | undefined;
  /** Filled by the traversal from the start step (only reachable nodes get in-edges), sorted. */
  inFuncs: string[];
  splitParents: string[];
  splitBranches: string[];
  matchingJoin: string | null;
  isInsideForeach: boolean;
}

export interface FlowGraph {
  readonly name: string;
  /** Nodes by name, in `dir()` order (alphabetical), as Metaflow iterates them. */
  readonly nodes: ReadonlyMap<string, GraphNode>;
  readonly startStep: string | null;
  readonly endStep: string | null;
  /** Reachable nodes in traversal order (Metaflow's `sorted_nodes`). */
  readonly sortedNodes: readonly string[];
}

interface ParsedTail {
  type: NodeType | null;
  hasTailNext: boolean;
  invalidTailNext: boolean;
  outFuncs: string[];
  foreachParam: string | null;
  condition: string | null;
  switchCases: SwitchCase[];
}

function switchCasesOf(cases: Readonly<Record<string, string>> | readonly SwitchCase[]): SwitchCase[] {
  if (Array.isArray(cases)) return [...(cases as readonly SwitchCase[])];
  return Object.entries(cases as Record<string, string>).map(([key, to]) => ({ key, to }));
}

/** DAGNode._parse: the node type follows from the tail `self.next(...)` and the argument count. */
function parseTail(next: NextSpec | undefined, numArgs: number): ParsedTail {
  const tail: ParsedTail = {
    type: null, hasTailNext: false, invalidTailNext: false, outFuncs: [],
    foreachParam: null, condition: null, switchCases: [],
  };
  if (next === undefined) return tail;
  tail.hasTailNext = true;
  tail.invalidTailNext = true;
  if (typeof next === 'string' || Array.isArray(next)) {
    tail.outFuncs = typeof next === 'string' ? [next] : [...(next as readonly string[])];
    if (tail.outFuncs.length > 1) {
      tail.type = 'split';
      tail.invalidTailNext = false;
    } else if (tail.outFuncs.length === 1) {
      tail.type = numArgs > 1 ? 'join' : 'linear';
      tail.invalidTailNext = false;
    }
    return tail;
  }
  const spec = next as Exclude<NextSpec, string | readonly string[]>;
  if ('foreach' in spec) {
    tail.type = 'foreach';
    tail.outFuncs = typeof spec.to === 'string' ? [spec.to] : [...spec.to];
    if (tail.outFuncs.length === 1) {
      tail.foreachParam = spec.foreach;
      tail.invalidTailNext = false;
    }
    return tail;
  }
  if ('cases' in spec) {
    // Unlike Python's parser (which calls a condition-less or case-less switch an invalid tail), we keep
    // what the author declared, so lint can say precisely what is missing (check_switch_splits).
    tail.type = 'split-switch';
    tail.switchCases = switchCasesOf(spec.cases);
    tail.outFuncs = tail.switchCases.map((c) => c.to);
    tail.condition = spec.switch ? spec.switch : null;
    tail.invalidTailNext = false;
    return tail;
  }
  return tail; // { invalid }: a self.next(...) static analysis cannot classify
}

function buildNode(def: StepDefinition): GraphNode {
  const numArgs = def.numArgs ?? (def.join ? 2 : 1);
  const tail = parseTail(def.next, numArgs);
  return {
    name: def.name,
    definition: def,
    ...tail,
    numArgs,
    isStartStep: def.start === true,
    isEndStep: def.end === true,
    location: def.location,
    nextLocation: def.nextLocation,
    inFuncs: [],
    splitParents: [],
    splitBranches: [],
    matchingJoin: null,
    isInsideForeach: false,
  };
}

/** FlowGraph._identify_start_end: annotations first, then the names `start` / `end`, single-step flows. */
function identifyStartEnd(nodes: Map<string, GraphNode>): { start: string | null; end: string | null } {
  const resolve = (annotated: string[], fallback: string): string | null => {
    if (annotated.length === 1) return annotated[0] ?? null;
    if (annotated.length === 0) return nodes.has(fallback) ? fallback : null;
    return null; // several annotated: lint reports it
  };
  const all = [...nodes.values()];
  let start = resolve(all.filter((n) => n.isStartStep).map((n) => n.name), 'start');
  let end = resolve(all.filter((n) => n.isEndStep).map((n) => n.name), 'end');
  if (nodes.size === 1) {
    start = end = [...nodes.keys()][0] ?? null;
  }
  if (start !== null && start === end) {
    nodes.get(start)!.type = 'end';
  } else {
    if (start !== null) {
      const node = nodes.get(start)!;
      if (node.type === null || node.type === 'linear') node.type = 'start';
    }
    if (end !== null) nodes.get(end)!.type = 'end';
  }
  return { start, end };
}

/** FlowGraph._traverse_graph: every path from the start step, loops and unknown targets ignored. */
function traverseGraph(nodes: Map<string, GraphNode>, start: string | null): string[] {
  const sorted: string[] = [];
  const inFuncs = new Map<string, Set<string>>();
  const traverse = (node: GraphNode, seen: string[], splitParents: string[], splitBranches: string[]): void => {
    const at = sorted.indexOf(node.name);
    if (at >= 0) sorted.splice(at, 1);
    sorted.push(node.name);
    let addSplitBranch = false;
    if (node.type === 'split' || node.type === 'foreach') {
      node.splitParents = splitParents;
      node.splitBranches = splitBranches;
      addSplitBranch = true;
      splitParents = [...splitParents, node.name];
    } else if (node.type === 'join') {
      if (splitParents.length > 0) {
        nodes.get(splitParents[splitParents.length - 1]!)!.matchingJoin = node.name;
        node.splitParents = splitParents;
        node.splitBranches = splitBranches.slice(0, -1);
        splitParents = splitParents.slice(0, -1);
        splitBranches = splitBranches.slice(0, -1);
      }
    } else {
      node.splitParents = splitParents;
      node.splitBranches = splitBranches;
    }
    for (const n of node.outFuncs) {
      if (seen.includes(n)) continue;
      const child = nodes.get(n);
      if (!child) continue;
      let set = inFuncs.get(n);
      if (!set) inFuncs.set(n, (set = new Set()));
      set.add(node.name);
      traverse(child, [...seen, n], splitParents, addSplitBranch ? [...splitBranches, n] : splitBranches);
    }
  };
  if (start !== null && nodes.has(start)) traverse(nodes.get(start)!, [], [], []);
  for (const node of nodes.values()) node.inFuncs = [...(inFuncs.get(node.name) ?? [])].sort();
  return sorted;
}

/** FlowGraph._postprocess: inside a foreach unless every enclosing foreach is joined by this node. */
function markInsideForeach(nodes: Map<string, GraphNode>): void {
  for (const node of nodes.values()) {
    node.isInsideForeach = node.splitParents.some((p) => {
      const parent = nodes.get(p);
      return parent?.type === 'foreach' && parent.matchingJoin !== node.name;
    });
  }
}

/** Builds the graph of a flow definition. Never throws on a broken graph: that is lint's job. */
export function buildGraph(flow: FlowDefinition): FlowGraph {
  const byName = new Map<string, StepDefinition>();
  for (const step of flow.steps) byName.set(step.name, step); // like a class body: the last def wins
  const nodes = new Map<string, GraphNode>();
  for (const name of [...byName.keys()].sort()) nodes.set(name, buildNode(byName.get(name)!));
  const { start, end } = identifyStartEnd(nodes);
  const sortedNodes = traverseGraph(nodes, start);
  markInsideForeach(nodes);
  return { name: flow.name, nodes, startStep: start, endStep: end, sortedNodes };
}
