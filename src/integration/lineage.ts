// Where a value came from. `latest` lineage (what the integration does) names `x:latest` when the consumer
// ends; `pinned` lineage names the version logged by the task that actually produced the value the consumer
// read: the nearest task upstream on the executed path that wrote `x` (a join without its own write takes it
// from the first input that carries it — merge_artifacts only merges values that agree, so any carrier is the
// same content).

/** `digest` is null when the plan does not predict the version's bytes (an unknown value, an unmodelled pickle). */
export interface LoggedVersion { id: string; name: string; type: string; digest: string | null }

interface TaskLineage {
  step: string;
  parents: readonly string[];
  writes: ReadonlySet<string>;
  /** Artifacts this task logged, by name; null for a name it wrote but did not log as an artifact. */
  logged: Map<string, LoggedVersion>;
  /** Artifacts this task's datastore holds at the end (to follow merges through a join). */
  holds: ReadonlySet<string>;
  decorated: boolean;
}

export type Origin =
  | { kind: 'logged'; pathspec: string; step: string; version: LoggedVersion }
  | { kind: 'untracked'; pathspec: string; step: string; decorated: boolean }
  | { kind: 'unknown' };

export class LineageLedger {
  private readonly tasks = new Map<string, TaskLineage>();

  record(pathspec: string, entry: TaskLineage): void {
    this.tasks.set(pathspec, entry);
  }

  get(pathspec: string): TaskLineage | undefined {
    return this.tasks.get(pathspec);
  }

  /** The producer of `name` as seen by a task with these parents. */
  originFromParents(parents: readonly string[], name: string): Origin {
    for (const parent of parents) {
      const found = this.origin(parent, name);
      if (found.kind !== 'unknown') return found;
    }
    return { kind: 'unknown' };
  }

  private origin(pathspec: string, name: string): Origin {
    const task = this.tasks.get(pathspec);
    if (!task) return { kind: 'unknown' };
    if (task.writes.has(name)) {
      const version = task.logged.get(name);
      return version ? { kind: 'logged', pathspec, step: task.step, version } : { kind: 'untracked', pathspec, step: task.step, decorated: task.decorated };
    }
    if (task.parents.length > 1 && !task.holds.has(name)) return { kind: 'unknown' };
    return this.originFromParents(task.parents, name);
  }

  all(): ReadonlyMap<string, TaskLineage> {
    return this.tasks;
  }
}
