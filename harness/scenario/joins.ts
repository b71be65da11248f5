/**
 * Which steps take `inputs` when the file does not say (`join:` absent): the step that closes a split.
 * - a static split `[a, b]` is closed by the nearest step every branch reaches (smallest longest distance);
 * - a foreach is closed by the first step after its body: after the target step (and after whatever split,
 *   foreach or switch the body opens and closes) — unless that step says `join: false`, or a later step on
 *   the way says `join: true`, which is how a body longer than one step is written;
 * - a switch closes nothing (its branches meet in an ordinary step, as in Metaflow);
 * - a step without `next` (the end) is never made a join: lint then tells the author a join is missing.
 * An explicit `join:` always wins and is checked by lint like Metaflow's `inputs` argument.
 */
import type { flow } from '../../src/index.ts';

interface StepShape { readonly name: string; readonly next?: flow.NextSpec; readonly join?: boolean }

export function recogniseJoins(steps: readonly StepShape[]): Set<string> {
  const byName = new Map(steps.map((s) => [s.name, s]));
  const joins = new Set<string>();
  const limit = steps.length + 2;

  const targets = (s: StepShape | undefined): string[] => {
    const n = s?.next;
    if (n === undefined) return [];
    if (typeof n === 'string') return [n];
    if (Array.isArray(n)) return [...(n as readonly string[])];
    const spec = n as Exclude<flow.NextSpec, string | readonly string[]>;
    if ('foreach' in spec) return typeof spec.to === 'string' ? [spec.to] : [...spec.to];
    if ('cases' in spec) return Array.isArray(spec.cases) ? (spec.cases as flow.SwitchCase[]).map((c) => c.to) : Object.values(spec.cases);
    return [];
  };

  const distances = (from: string): Map<string, number> => {
    const dist = new Map([[from, 0]]);
    const queue = [from];
    while (queue.length > 0) {
      const cur = queue.shift()!;
      for (const t of targets(byName.get(cur))) {
        if (!dist.has(t) && byName.has(t)) {
          dist.set(t, dist.get(cur)! + 1);
          queue.push(t);
        }
      }
    }
    return dist;
  };

  const meeting = (branches: readonly string[]): string | null => {
    const maps = branches.map(distances);
    let best: { name: string; max: number; sum: number } | null = null;
    for (const [name] of maps[0] ?? []) {
      if (!maps.every((m) => m.has(name))) continue;
      const ds = maps.map((m) => m.get(name)!);
      const cand = { name, max: Math.max(...ds), sum: ds.reduce((a, b) => a + b, 0) };
      if (best === null || cand.max < best.max || (cand.max === best.max && (cand.sum < best.sum || (cand.sum === best.sum && cand.name < best.name)))) best = cand;
    }
    return best?.name ?? null;
  };

  const markable = (name: string | null): name is string => name !== null && byName.get(name)?.next !== undefined;

  const staticJoin = (s: StepShape): string | null => {
    const j = meeting(targets(s));
    if (markable(j) && byName.get(j)!.join === undefined) joins.add(j);
    return j;
  };

  /** The first step after the structure that starts at `name`. */
  const after = (name: string, depth: number): string | null => {
    if (depth > limit) return null;
    const s = byName.get(name);
    const n = s?.next;
    if (s === undefined || n === undefined) return null;
    const ts = [...new Set(targets(s))];
    if (typeof n === 'string') return n;
    if (Array.isArray(n)) {
      if (ts.length <= 1) return ts[0] ?? null;
      const j = staticJoin(s);
      return j === null ? null : after(j, depth + 1);
    }
    if ('foreach' in (n as object)) {
      const k = foreachJoin(s, depth + 1);
      return k === null ? null : after(k, depth + 1);
    }
    if (ts.length === 1) return after(ts[0]!, depth + 1);
    return meeting(ts);
  };

  const explicitJoinAhead = (from: string): boolean => {
    let cur: string | null = from;
    for (let i = 0; i < limit && cur !== null; i++) {
      cur = after(cur, 0);
      if (cur !== null && byName.get(cur)?.join === true) return true;
    }
    return false;
  };

  const foreachJoin = (s: StepShape, depth: number): string | null => {
    const target = targets(s)[0];
    if (target === undefined || depth > limit) return null;
    let cand = after(target, depth);
    for (let i = 0; i < limit && cand !== null; i++) {
      const c = byName.get(cand);
      const skip = c?.join === false || (c?.join === undefined && explicitJoinAhead(cand));
      if (!skip) break;
      cand = after(cand, depth);
    }
    if (markable(cand) && byName.get(cand)!.join === undefined) joins.add(cand);
    return cand;
  };

  for (const s of steps) {
    const n = s.next;
    if (Array.isArray(n) && new Set(n).size > 1) staticJoin(s);
    else if (n !== undefined && typeof n === 'object' && 'foreach' in n) foreachJoin(s, 0);
  }
  return joins;
}
