/**
 * Interleaving of tasks in flight. With `maxWorkers > 1` several tasks (of one or several runs) are in
 * flight at once; a seeded scheduler makes their interleaving reproducible: only one task runs at a time
 * (it holds the baton, across awaits, HTTP included) and at each yield point — a task's start, the
 * runtime's phase boundaries, and any `ctx.yieldPoint()` a hook adds — the next task to run is drawn
 * from the waiting ones with a seeded PRNG. Same seed, same interleaving; different seeds expose races.
 */
import { seededRandom } from '../common/seeded-random.ts';

export interface TaskScheduler {
  /** Resolves when the task identified by `key` may run. */
  enter(key: string): Promise<void>;
  /** The task stops running (it finished). */
  leave(key: string): void;
  /** Lets another task run; resolves when this one may continue. */
  yieldPoint(key: string): Promise<void>;
}

/** No gating: tasks interleave as their promises settle (fast, not reproducible under real I/O). */
export const freeScheduler: TaskScheduler = {
  enter: () => Promise.resolve(),
  leave: () => undefined,
  yieldPoint: () => Promise.resolve(),
};

/** The seeded PRNG that picks among waiting tasks (shared with the W&B client's ids). */
export { seededRandom };

export function createSeededScheduler(seed: number): TaskScheduler {
  const random = seededRandom(seed);
  const waiting: Array<{ key: string; resume: () => void }> = [];
  let holder: string | null = null;
  let grantPending = false;

  // Grants happen on a later macrotask so that every task that asks in the same turn (several runs
  // started together, all children of a split) is a candidate: the pick then depends on the seed only.
  const grant = (): void => {
    if (holder !== null || waiting.length === 0 || grantPending) return;
    grantPending = true;
    setImmediate(() => {
      grantPending = false;
      if (holder !== null || waiting.length === 0) return;
      const [next] = waiting.splice(Math.floor(random() * waiting.length), 1);
      holder = next!.key;
      next!.resume();
    });
  };
  const wait = (key: string) => new Promise<void>((resume) => waiting.push({ key, resume }));

  return {
    enter(key) {
      const turn = wait(key);
      grant();
      return turn;
    },
    leave(key) {
      if (holder === key) holder = null;
      grant();
    },
    yieldPoint(key) {
      const turn = wait(key);
      if (holder === key) holder = null;
      grant();
      return turn;
    },
  };
}
