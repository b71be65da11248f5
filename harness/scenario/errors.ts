/**
 * The scenario layer's errors and diagnostics. Loading never throws for a bad file: every problem becomes a
 * `Diagnostic` (all of them at once, as a compiler reports). `ScenarioError` is for misuse of the API and for
 * wrapping a list of diagnostics when a caller wants an exception (`assertValid`).
 */

export type DiagnosticCode =
  | 'io'               // the file cannot be read
  | 'yaml-syntax'      // the YAML parser's errors
  | 'schema'           // the JSON Schema: wrong type, missing key, bad enum, ...
  | 'unknown-key'      // a key the format does not have (a typo never passes)
  | 'unknown-tag'      // a `!tag` the format does not have
  | 'misplaced-tag'    // a known tag where it means nothing (e.g. `!DataFrame` as a step name)
  | 'bad-value'        // a tag's content the value model refuses (a DataFrame row of the wrong length, ...)
  | 'duplicate-id'     // two scenarios with one id
  | 'unknown-helper'   // `call:` names no helper
  | 'unknown-target'   // a `matrix:` target that is neither `flow` nor a step
  | 'lint';            // the flow lint, with Metaflow's wording

export interface Diagnostic {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly col: number;
  readonly message: string;
  readonly code: DiagnosticCode;
  /** For `lint`: the Metaflow check that found it (`check_for_acyclicity`, ...). */
  readonly check?: string;
}

/** `path:line:col: message`, the form editors and terminals link. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.message}`;
}

/** File, then line, then column; stable for equal positions (the order problems were found in). */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return ds
    .map((d, i) => [d, i] as const)
    .sort(([a, i], [b, j]) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col || i - j))
    .map(([d]) => d);
}

export type ScenarioErrorCode = 'INVALID_SCENARIO' | 'NOT_LOADED' | 'COMPILE_FAILED';

export class ScenarioError extends Error {
  readonly code: ScenarioErrorCode;
  readonly diagnostics: readonly Diagnostic[];
  constructor(code: ScenarioErrorCode, message: string, options: { cause?: unknown; diagnostics?: readonly Diagnostic[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ScenarioError';
    this.code = code;
    this.diagnostics = options.diagnostics ?? [];
  }
}
