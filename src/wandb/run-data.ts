// A run's config and summary: plain key/value stores whose wire forms are built in run.ts.

/** Keyed values of a run with a revision counter, so a final send happens only when something changed. */
class RunValues {
  protected readonly values = new Map<string, unknown>();
  private version = 0;

  /** Initial values are not changes: the revision starts at 0. */
  constructor(initial: Record<string, unknown> = {}) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k, v);
  }

  /** Changes since construction. */
  get revision(): number { return this.version; }

  get(key: string): unknown { return this.values.get(key); }

  set(key: string, value: unknown): void {
    this.values.set(key, value);
    this.version++;
  }

  update(values: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(values)) this.set(k, v);
  }

  toJSON(): Record<string, unknown> { return Object.fromEntries(this.values); }
}

/** `run.config`: a final UpsertBucket is sent at finish when it changed after init. */
export class RunConfig extends RunValues {
  /** `{key: {value: v}, ..., _wandb: {value: wandb}}` as wandb-core stores a config (no `desc`). */
  wrapped(wandb: Record<string, unknown>): Record<string, { value: unknown }> {
    const out: Record<string, { value: unknown }> = {};
    for (const [k, v] of this.values) out[k] = { value: v };
    out._wandb = { value: wandb };
    return out;
  }
}

/** `run.summary`: last values of logged keys and what was set directly. */
export class RunSummary extends RunValues {}
