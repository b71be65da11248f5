// Plain-data records of what the integration did per task: the raw material of hazards and of `plan`.

import type { LoggedVersion, Origin } from './lineage.ts';
import type { Settings } from './settings.ts';

export interface TaskRecord {
  pathspec: string;
  step: string;
  /** Where the effective decoration came from, or null: no run. */
  source: 'step' | 'flow' | null;
  options: { datasets: boolean; models: boolean; others: boolean } | null;
  group: string | null;
  jobType: string | null;
  /** The W&B run id, when a run was made. */
  runId: string | null;
  settings: Settings | Record<string, unknown> | null;
  mergedArtifacts: boolean;
  isJoin: boolean;
  /** Names a join read through its `inputs` (`inputs[i].x`, `for i in inputs: i.x`), in first-read order. */
  inputReads: string[];
}

export interface UseRecord {
  pathspec: string;
  step: string;
  variable: string;
  requested: string;
  /** `name:vN` the server resolved (latest mode), else null. */
  resolved: string | null;
  resolvedId: string | null;
  origin: Origin;
  missing: boolean;
  /** Whether a UseArtifact was sent (not when pinned lineage found no logged version, nor on a missing one). */
  sent: boolean;
}

export interface TrackRecord {
  pathspec: string;
  step: string;
  variable: string;
  label: string | null;
  artifactType: string | null;
  artifact: LoggedVersion | null;
}

export interface Hazard {
  code: HazardCode;
  severity: 'error' | 'warning' | 'info';
  step: string | null;
  variable: string | null;
  message: string;
  /** Machine-readable details (e.g. for LATEST_MISMATCH: the task, what `:latest` resolved to, the producer). */
  data?: Record<string, string>;
}

export type HazardCode =
  | 'LATEST_MISMATCH'
  | 'UNTRACKED_PRODUCER'
  | 'SIBLING_WRITE'
  | 'JOIN_INPUTS_UNTRACKED'
  | 'MERGE_UNTRACKED'
  | 'DICT_SETTINGS'
  | 'SHARED_SETTINGS'
  | 'ENV_OVERRIDDEN'
  | 'HELPER_WRAPPED'
  | 'TYPE_CONFLICT';

export interface IntegrationReport {
  tasks: TaskRecord[];
  uses: UseRecord[];
  tracks: TrackRecord[];
  /** What the integration would only print (termwarn), e.g. a missing artifact on use. */
  warnings: { pathspec: string; message: string }[];
  hazards: Hazard[];
}
