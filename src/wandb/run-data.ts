// A run's config and summary: plain key/value stores whose wire forms are built in run.ts.

export class RunConfig {
  private readonly values = new Map<string, unknown>();
  private version = 0;

  constructor(initial: Record<string, unknown> = {}) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k, v);
  }

  /** Changes since construction; a final UpsertBucket is sent at finish when this moved after init. */
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

  /** `{key: {value: v}, ..., _wandb: {value: wandb}}` as wandb-core stores a config (no `desc`). */
  wrapped(wandb: Record<string, unknown>): Record<string, { value: unknown }> {
    const out: Record<string, { value: unknown }> = {};
    for (const [k, v] of this.values) out[k] = { value: v };
    out._wandb = { value: wandb };
    return out;
  }
}

export class RunSummary {
  private readonly values = new Map<string, unknown>();
  private version = 0;

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
