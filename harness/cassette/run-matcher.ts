// Matching the requests that speak for a run (their key masks a run id as `<run>`): the recorded interactions of
// each key are kept per recorded run, and a live run is answered from the runs its pairing still allows
// (run-pairing.ts). A request narrows the live run's set to the recorded runs that sent the same key; among
// those, the ones that sent the same content (digests, md5s) are preferred when there are any — content that
// legitimately changes is reported, not fatal, but where it tells runs apart it is the best evidence there is.
// Equal requests of one live run are answered in the order its recorded run got them, then the last again.

import type { RequestKey } from './normalise.ts';
import { RunPairing, type RecordedRun } from './run-pairing.ts';

export interface RunMatch {
  index: number;
  run: RecordedRun;
}

export class RunMatcher {
  readonly pairing: RunPairing;
  /** Recorded run ids, in order of first appearance in the cassette (`<run-N>` in labels is N - 1 here). */
  private readonly ids: string[] = [];
  private readonly numbers = new Map<string, RecordedRun>();
  /** Per interaction: the recorded run it speaks for, or -1. */
  private readonly runOf: number[] = [];
  private readonly byKey = new Map<string, Map<RecordedRun, number[]>>();
  private readonly counts = new Map<string, Map<string, number>>();

  constructor(private readonly keys: readonly RequestKey[], onRepresentative: (live: string, recorded: string, bound: boolean) => void) {
    this.pairing = new RunPairing(() => this.ids.length, (live, r, bound) => onRepresentative(live, this.ids[r]!, bound));
    keys.forEach((k, i) => this.add(i, k.runs[0]));
  }

  /** Indexes recorded interaction `index` (its key is `keys[index]`) under recorded run id `run`, if it has one. */
  add(index: number, run: string | undefined): RecordedRun | undefined {
    const r = run === undefined ? undefined : this.run(run);
    this.runOf[index] = r ?? -1;
    if (r === undefined) return undefined;
    const key = this.keys[index]!.key;
    let byRun = this.byKey.get(key);
    if (!byRun) this.byKey.set(key, (byRun = new Map()));
    let queue = byRun.get(r);
    if (!queue) byRun.set(r, (queue = []));
    queue.push(index);
    return r;
  }

  /** The number of recorded run `id`, adding it when new. */
  run(id: string): RecordedRun {
    let r = this.numbers.get(id);
    if (r === undefined) {
      r = this.ids.length;
      this.ids.push(id);
      this.numbers.set(id, r);
    }
    return r;
  }

  id(run: RecordedRun): string {
    return this.ids[run]!;
  }

  get runs(): readonly string[] {
    return this.ids;
  }

  /** The recorded run id interaction `index` speaks for, if any. */
  runIdOf(index: number): string | undefined {
    const r = this.runOf[index] ?? -1;
    return r < 0 ? undefined : this.ids[r];
  }

  /** The recorded run interaction `index` speaks for, or -1. */
  recordedRunOf(index: number): number {
    return this.runOf[index] ?? -1;
  }

  /** `family` of interaction `index` with its run numbered as recorded (`<run-2>`), so a miss names the run. */
  label(index: number): string {
    const k = this.keys[index]!;
    const r = this.runOf[index] ?? -1;
    if (r < 0) return k.family;
    return k.family.includes('<run>') ? k.family.split('<run>').join(`<run-${r + 1}>`) : `${k.family} of <run-${r + 1}>`;
  }

  /** Why an interaction that says the same was not the answer: its recorded run is not one the live run may be. */
  unavailable(index: number): string[] {
    const r = this.runOf[index] ?? -1;
    if (r < 0) return [];
    const other = this.pairing.boundTo(r);
    return [other !== undefined ? `run: <run-${r + 1}> is paired with live run ${other}` : `run: <run-${r + 1}> was told apart by an earlier request`];
  }

  /** The recorded interaction answering live run `live`'s request `key` (narrowing its pairing), or null. */
  match(live: string, key: RequestKey): RunMatch | null {
    const byRun = this.byKey.get(key.key);
    if (!byRun) return null;
    const n = this.counts.get(live)?.get(key.key) ?? 0;
    const at = (r: RecordedRun) => {
      const q = byRun.get(r)!;
      return q[Math.min(n, q.length - 1)]!;
    };
    let agreeing = [...this.pairing.candidates(live)].filter((r) => byRun.has(r));
    if (agreeing.length === 0) return null;
    if (key.content.size > 0) {
      const same = agreeing.filter((r) => sameContent(key, this.keys[at(r)]!));
      if (same.length > 0) agreeing = same;
    }
    const run = this.pairing.narrow(live, agreeing);
    this.count(live, key);
    return { index: at(run), run };
  }

  /**
   * The recorded interactions the live runs were served, as their pairing stands now: a run answered from a
   * sibling before the two were told apart has, in the end, been served its own recorded run's interactions.
   */
  served(): number[] {
    const out: number[] = [];
    for (const [live, counts] of this.counts) {
      const rep = this.pairing.representative(live);
      if (rep === undefined) continue;
      for (const [key, n] of counts) out.push(...(this.byKey.get(key)?.get(rep)?.slice(0, n) ?? []));
    }
    return out;
  }

  /** Counts one more `key` sent by live run `live` (its next equal request gets the next recorded answer). */
  count(live: string, key: RequestKey): void {
    let counts = this.counts.get(live);
    if (!counts) this.counts.set(live, (counts = new Map()));
    counts.set(key.key, (counts.get(key.key) ?? 0) + 1);
  }
}

function sameContent(live: RequestKey, recorded: RequestKey): boolean {
  if (live.content.size !== recorded.content.size) return false;
  for (const [where, value] of live.content) if (recorded.content.get(where) !== value) return false;
  return true;
}
