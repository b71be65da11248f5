// Which recorded run answers a live run (DESIGN §4.3): paired by meaning, not by arrival. Metaflow starts foreach
// siblings and the branches of a split in any order (in parallel by default), so the first live run to speak is
// not the first recorded one. A live run stays bound to the SET of recorded runs that agree with everything it
// has sent so far (its keys, its file_stream rows, its content where some candidate has it); it is answered from
// one of them, its representative (they agree so far, up to the identities the identity map rewrites), and the
// set narrows as its requests tell the runs apart. A recorded run is bound to at most one live run: when a live
// run's set narrows to one run, that run is taken, and dropped from every other live run's set — which may narrow
// those to one in turn.
//
// Representatives are chosen apart where the sets allow it: two live siblings that cannot be told apart yet are
// answered from two different recorded siblings, so answers that differ between them (the first commit of a name
// creates a version, the next deduplicates into it) go one to each, as the recorded server gave them.

export type RecordedRun = number;

export class RunPairing {
  private readonly sets = new Map<string, Set<RecordedRun>>();
  private readonly reps = new Map<string, RecordedRun>();
  private readonly takenBy = new Map<RecordedRun, string>();
  /** Live runs answered from each recorded run (reference counts, to choose representatives apart). */
  private readonly answering = new Map<RecordedRun, number>();

  /** `onRepresentative(live, recorded, bound)` is called whenever a live run's representative changes or is bound. */
  constructor(private readonly recorded: () => number, private readonly onRepresentative: (live: string, recorded: RecordedRun, bound: boolean) => void = () => {}) {}

  /** The recorded runs a live run may still be (created on its first request: every run not yet taken). */
  candidates(live: string): ReadonlySet<RecordedRun> {
    let set = this.sets.get(live);
    if (!set) {
      set = new Set();
      for (let r = 0; r < this.recorded(); r++) if (!this.takenBy.has(r)) set.add(r);
      this.sets.set(live, set);
    }
    return set;
  }

  representative(live: string): RecordedRun | undefined {
    return this.reps.get(live);
  }

  /** The live run a recorded run is bound to, if any. */
  boundTo(recorded: RecordedRun): string | undefined {
    return this.takenBy.get(recorded);
  }

  /** Live runs seen so far. */
  liveRuns(): string[] {
    return [...this.sets.keys()];
  }

  /**
   * The live run agrees with `agreeing` only (a non-empty subset of its candidates): its set narrows to them, and
   * the representative answering it is kept if it agrees, else the agreeing run answering the fewest other live
   * runs (the earliest recorded on a tie). Returns that representative.
   */
  narrow(live: string, agreeing: readonly RecordedRun[]): RecordedRun {
    const set = this.candidates(live) as Set<RecordedRun>;
    for (const r of [...set]) if (!agreeing.includes(r)) set.delete(r);
    if (set.size === 0) throw new Error(`run pairing: ${live} narrowed to no recorded run`);
    this.settle(live);
    return this.reps.get(live)!;
  }

  /** A new recorded run (record-missing appended one), bound to the live run that made it. */
  adopt(live: string, recorded: RecordedRun): void {
    this.sets.set(live, new Set([recorded]));
    this.settle(live);
  }

  /** Re-chooses the representative of `live` after its set changed; takes a set of one (cascading). */
  private settle(live: string): void {
    const set = this.sets.get(live)!;
    const current = this.reps.get(live);
    if (current === undefined || !set.has(current)) {
      let best: RecordedRun | undefined;
      for (const r of set) if (best === undefined || (this.answering.get(r) ?? 0) < (this.answering.get(best) ?? 0)) best = r;
      if (current !== undefined) this.answering.set(current, this.answering.get(current)! - 1);
      this.reps.set(live, best!);
      this.answering.set(best!, (this.answering.get(best!) ?? 0) + 1);
      if (set.size > 1) this.onRepresentative(live, best!, false);
    }
    if (set.size === 1 && this.takenBy.get(this.reps.get(live)!) !== live) this.take(live, this.reps.get(live)!);
  }

  private take(live: string, recorded: RecordedRun): void {
    this.takenBy.set(recorded, live);
    this.onRepresentative(live, recorded, true);
    for (const [other, set] of this.sets) {
      if (other === live || !set.has(recorded)) continue;
      set.delete(recorded);
      // A live run left with nothing misses at its next request, naming what it was nearest to.
      if (set.size > 0) this.settle(other);
    }
  }
}
