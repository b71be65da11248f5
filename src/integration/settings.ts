// W&B's `Settings` as the integration sees it. A real object with identity: the Python wrapper mutates the
// object it was decorated with, so one `Settings` shared by several steps carries the first step's group and
// job type into the later ones (reference §1.4, item 2). A plain map in its place is not a Settings and is
// silently replaced by a fresh one, as Python does with a dict.

export interface SettingsFields {
  run_group?: string | null;
  run_job_type?: string | null;
  project?: string | null;
  entity?: string | null;
  mode?: 'online' | 'offline' | 'disabled' | null;
}

export class Settings implements SettingsFields {
  run_group: string | null;
  run_job_type: string | null;
  project: string | null;
  entity: string | null;
  mode: 'online' | 'offline' | 'disabled' | null;

  constructor(fields: SettingsFields = {}) {
    this.run_group = fields.run_group ?? null;
    this.run_job_type = fields.run_job_type ?? null;
    this.project = fields.project ?? null;
    this.entity = fields.entity ?? null;
    this.mode = fields.mode ?? null;
  }

  /** `update_from_dict`: None values are skipped (wandb_settings.py). */
  updateFromDict(values: SettingsFields): void {
    for (const [k, v] of Object.entries(values) as [keyof SettingsFields, string | null | undefined][]) {
      if (v !== null && v !== undefined) (this as Record<string, unknown>)[k] = v;
    }
  }
}
