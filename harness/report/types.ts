// What reporters read: results only (DESIGN §2: "report/ — they read results only").

import type { ScenarioResult } from '../runner/index.ts';

export type SnapshotStatus = 'new' | 'updated' | 'unchanged' | 'mismatch' | 'missing';

export interface ScenarioReport {
  result: ScenarioResult;
  /** The scenario file it came from. */
  file: string | null;
  snapshot: { path: string; status: SnapshotStatus; diff: string | null } | null;
  /** False when the snapshot differs or is missing in `none` mode. A flow that fails is not itself a failure. */
  passed: boolean;
}

export interface RunReport {
  scenarios: ScenarioReport[];
  /** Snapshot files with no scenario any more. */
  obsolete: string[];
  summary: { passed: number; failed: number; new: number; updated: number; unchanged: number; mismatched: number; obsolete: number };
  duration_ms: number;
}

/** Progress while running and the final rendering; the CLI decides where the text goes. */
export interface Reporter {
  onScenario?(report: ScenarioReport, index: number, total: number): void;
  /** The whole report as text (console summary, JSON, JUnit XML, HTML). */
  render(report: RunReport): string | Promise<string>;
}
