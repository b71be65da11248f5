// Valid flow graphs as generator data: linear chains, static splits with joins, foreach with joins (nested too),
// switches; bodies with reads and writes of random variables in random order, locals and helper calls.
//
// Shape first (a tree of blocks with integer choices), then a deterministic lowering that tracks, per step,
// which variables exist and which `set` wrote them — so every read is of something that exists, every join
// merges only what does not conflict, and the oracles know where each value came from.
import fc from 'fast-check';
import type { GenOp, GenStep } from './scenario.ts';
import type { GenValue } from './values.ts';

/**
 * Each variable has one kind of value (by its name), so no name is ever logged under two artifact types. Step
 * names never equal a variable's (`self.s0 = 1` would replace a step `s0`, as in Python).
 */
export const VARS = ['df0', 'df1', 'm0', 'arr0', 'n0', 'n1', 's0', 'lst0'] as const;
export type VarName = (typeof VARS)[number];

/** A value unique to the `set` that writes it (so versions tell their writer apart). */
export function valueFor(v: string, id: number): GenValue {
  if (v.startsWith('df')) return { t: 'DataFrame', columns: ['a'], rows: [[id]] };
  if (v.startsWith('m')) return { t: 'sklearn', cls: 'RandomForestClassifier', params: [['seed', id]] };
  if (v.startsWith('arr')) return { t: 'ndarray', items: [id, 0] };
  if (v.startsWith('s')) return { t: 'str', v: `v${id}` };
  if (v.startsWith('lst')) return { t: 'list', items: [{ t: 'int', v: id }] };
  return { t: 'int', v: id };
}

/** What a `set` picks from: typed variables twice as often (they are what lineage and use are about). */
const SET_CHOICES: readonly VarName[] = ['df0', 'df1', 'm0', 'arr0', 'df0', 'df1', 'm0', 'arr0', 'n0', 'n1', 's0', 'lst0'];

type OpPlan = { k: 'set'; v: number } | { k: 'rewrite'; pick: number } | { k: 'read'; pick: number } | { k: 'local'; pick: number } | { k: 'call'; pick: number } | { k: 'special'; pick: number };
type Branch = { head: OpPlan[]; rest: Block[] };
type Block =
  | { k: 'step'; ops: OpPlan[] }
  | { k: 'split'; branches: Branch[]; join: OpPlan[] }
  | { k: 'foreach'; n: number; body: Branch; join: OpPlan[] }
  | { k: 'switch'; cases: OpPlan[][]; chosen: number; merge: OpPlan[] };

export interface FlowShape { start: OpPlan[]; blocks: Block[]; end: OpPlan[] }

const opPlan: fc.Arbitrary<OpPlan> = fc.oneof(
  { weight: 4, arbitrary: fc.nat(SET_CHOICES.length - 1).map((v) => ({ k: 'set' as const, v })) },
  { weight: 4, arbitrary: fc.nat(20).map((pick) => ({ k: 'read' as const, pick })) },
  // Writes again a name the step wrote before (first-write position, last value: reference §2.2).
  { weight: 2, arbitrary: fc.nat(5).map((pick) => ({ k: 'rewrite' as const, pick })) },
  { weight: 1, arbitrary: fc.nat(3).map((pick) => ({ k: 'local' as const, pick })) },
  { weight: 1, arbitrary: fc.nat(3).map((pick) => ({ k: 'call' as const, pick })) },
  { weight: 1, arbitrary: fc.nat(3).map((pick) => ({ k: 'special' as const, pick })) },
);
const ops = fc.array(opPlan, { maxLength: 5 });

const blocks = fc.letrec<{ blocks: Block[]; block: Block; branch: Branch }>((tie) => ({
  branch: fc.record({ head: ops, rest: fc.oneof({ depthSize: 'small' }, fc.constant([] as Block[]), tie('blocks')) }),
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    ops.map((o) => ({ k: 'step' as const, ops: o })),
    fc.record({ branches: fc.array(tie('branch'), { minLength: 2, maxLength: 3 }), join: ops }).map((b) => ({ k: 'split' as const, ...b })),
    fc.record({ n: fc.integer({ min: 1, max: 3 }), body: tie('branch'), join: ops }).map((b) => ({ k: 'foreach' as const, ...b })),
    fc.record({ cases: fc.array(ops, { minLength: 2, maxLength: 2 }), chosen: fc.nat(1), merge: ops }).map((b) => ({ k: 'switch' as const, ...b })),
  ),
  blocks: fc.array(tie('block'), { maxLength: 3 }),
}));

export const flowShape: fc.Arbitrary<FlowShape> = fc.record({ start: fc.array(opPlan, { minLength: 2, maxLength: 5 }), blocks: blocks.blocks, end: ops });

export interface LowerOptions {
  parameters: string[];
  constants: string[];
  /** Helper names callable from steps (empty: calls become reads). */
  helpers: string[];
  /** Where each helper's `set` writes: helper -> [variable, set id]. */
  helperWrites: Record<string, [string, number]>;
  /** First id for `set` operations (helpers take the ids below it). */
  firstId: number;
  /** Names a `set` picks from (default: typed variables twice as often as scalars). */
  setChoices?: readonly VarName[];
}

type State = Map<string, number>;

/** Lowers a shape to steps whose every operation is valid on every path it runs on. */
export function lowerFlow(shape: FlowShape, o: LowerOptions): GenStep[] {
  const steps: GenStep[] = [];
  let nextId = o.firstId;
  let counter = 0;

  const makeStep = (prefix: string, state: State, runs: boolean, extra: { join?: boolean; foreachHead?: boolean; pre?: GenOp[] } = {}): { step: GenStep; state: State } => {
    const step: GenStep = { name: prefix === 'start' || prefix === 'end' ? prefix : `${prefix}${counter++}`, body: [...(extra.pre ?? [])], decorators: [], before: {}, runs, ...(extra.join ? { join: true } : {}) };
    const s: State = new Map(state);
    for (const op of extra.pre ?? []) if (op.op === 'set') s.set(op.name, op.id);
    step.before = Object.fromEntries(s);
    steps.push(step);
    return { step, state: s };
  };

  /** Appends the planned operations to a step, updating what exists. */
  const fill = (step: GenStep, plans: OpPlan[], state: State, foreachHead: boolean): void => {
    for (const p of plans) {
      // `read` reads variables (when any exist); `special` reads what is never an input.
      const special = [...o.parameters, ...o.constants, ...(foreachHead ? ['input', 'index'] : [])];
      const readable = p.k === 'read' && state.size > 0 ? [...state.keys()] : [...state.keys(), ...special];
      switch (p.k) {
        case 'set': {
          const choices = o.setChoices ?? SET_CHOICES;
          const v = choices[p.v % choices.length]!;
          const id = nextId++;
          step.body.push({ op: 'set', name: v, value: valueFor(v, id), id });
          state.set(v, id);
          break;
        }
        case 'rewrite': {
          const own = [...new Set(step.body.flatMap((x) => (x.op === 'set' ? [x.name] : [])))];
          if (own.length === 0) break;
          const v = own[p.pick % own.length]!;
          const id = nextId++;
          step.body.push({ op: 'set', name: v, value: valueFor(v, id), id });
          state.set(v, id);
          break;
        }
        case 'read': case 'special':
          if (readable.length > 0) step.body.push({ op: 'read', name: readable[p.pick % readable.length]! });
          break;
        case 'local':
          step.body.push({ op: 'local', name: `loc_${p.pick}`, value: valueFor(VARS[p.pick]!, 0) });
          break;
        case 'call':
          if (o.helpers.length > 0) {
            const h = o.helpers[p.pick % o.helpers.length]!;
            step.body.push({ op: 'call', name: h });
            const [v, id] = o.helperWrites[h]!;
            state.set(v, id);
          }
          break;
      }
    }
  };

  /** Sets a variable in `cur` for a foreach/switch to use. */
  const setControl = (cur: GenStep, state: State, v: string, value: GenValue): void => {
    const id = nextId++;
    cur.body.push({ op: 'set', name: v, value, id });
    state.set(v, id);
  };

  /** Metaflow's merge: a name whose inputs disagree conflicts, so it is excluded (and gone after the join). */
  const merged = (inputs: State[]): { state: State; exclude: string[] } => {
    const names = [...new Set(inputs.flatMap((s) => [...s.keys()]))].sort();
    const state: State = new Map();
    const exclude: string[] = [];
    for (const n of names) {
      const ids = new Set(inputs.filter((s) => s.has(n)).map((s) => s.get(n)!));
      if (ids.size === 1) state.set(n, [...ids][0]!);
      else exclude.push(n);
    }
    return { state, exclude };
  };

  let control = 0;
  /** Lowers blocks after `cur`; returns the last step and the state after it. */
  const lowerBlocks = (bs: Block[], cur: GenStep, state: State, runs: boolean): { cur: GenStep; state: State } => {
    for (const b of bs) {
      if (b.k !== 'step' && cur.join) {
        // A step cannot both join and split (Metaflow lint): a plain step goes between.
        const made = makeStep('step', state, runs);
        cur.next = made.step.name;
        cur = made.step;
        state = made.state;
      }
      if (b.k === 'step') {
        const made = makeStep('step', state, runs);
        cur.next = made.step.name;
        fill(made.step, b.ops, made.state, false);
        cur = made.step;
        state = made.state;
      } else if (b.k === 'split' || b.k === 'foreach') {
        const branches = b.k === 'split' ? b.branches : [b.body];
        const heads: GenStep[] = [];
        const tails: { cur: GenStep; state: State }[] = [];
        let fe = '';
        if (b.k === 'foreach') {
          fe = `fe${control++}`;
          setControl(cur, state, fe, { t: 'list', items: Array.from({ length: b.n }, (_, i) => ({ t: 'int' as const, v: i })) });
        }
        for (const br of branches) {
          const head = makeStep(b.k === 'split' ? 'branch' : 'each', state, runs);
          fill(head.step, br.head, head.state, b.k === 'foreach');
          heads.push(head.step);
          tails.push(lowerBlocks(br.rest, head.step, head.state, runs));
        }
        cur.next = b.k === 'split' ? heads.map((h) => h.name) : { foreach: fe, to: heads[0]!.name };
        const m = merged(tails.map((t) => t.state));
        const join = makeStep('join', new Map(), runs, { join: true, pre: [] });
        join.step.body.push({ op: 'merge', exclude: m.exclude });
        for (const [k, v] of m.state) join.state.set(k, v);
        join.step.before = Object.fromEntries(m.state); // what exists after its merge_artifacts (its first operation)
        for (const t of tails) t.cur.next = join.step.name;
        fill(join.step, b.join, join.state, false);
        cur = join.step;
        state = join.state;
      } else {
        const sw = `sw${control++}`;
        const keys = ['a', 'b'];
        setControl(cur, state, sw, { t: 'str', v: keys[b.chosen]! });
        const tails = b.cases.map((plans, i) => {
          const head = makeStep('case', state, runs && i === b.chosen);
          fill(head.step, plans, head.state, false);
          return head;
        });
        cur.next = { switch: sw, cases: Object.fromEntries(tails.map((t, i) => [keys[i]!, t.step.name])) };
        const chosen = tails[b.chosen]!;
        const after = makeStep('meet', chosen.state, runs);
        for (const t of tails) t.step.next = after.step.name;
        fill(after.step, b.merge, after.state, false);
        cur = after.step;
        state = after.state;
      }
    }
    return { cur, state };
  };

  const start = makeStep('start', new Map(), true);
  fill(start.step, shape.start, start.state, false);
  const last = lowerBlocks(shape.blocks, start.step, start.state, true);
  const end = makeStep('end', last.state, true);
  last.cur.next = 'end';
  fill(end.step, shape.end, end.state, false);
  // `end` was made last; keep it last in the file as people write flows.
  return steps;
}
