/**
 * Errors of the flow layer.
 *
 * Two families share one base class (`FlowError`, with a stable `code`):
 * - `PythonError`: an exception *as the flow's Python code would see it* — Metaflow's own exceptions
 *   (`InvalidNextException`, `UnhandledInMergeArtifactsException`, ...) and builtins (`AttributeError`,
 *   `TypeError`, `RuntimeError`) raised by the emulated runtime, or whatever a step body raises. Its
 *   `pyType` is Python's `type(e).__name__` and its `message` is Metaflow's text verbatim, including the
 *   `*x*` highlight markers (use `stripMarkers` for the console form).
 * - plain `FlowError`: misuse of this library (a flow that fails lint, an invalid parameter value, ...),
 *   worded `Failed to <verb> "<subject>": <reason>. <what to do>` unless Metaflow dictates the text.
 */

export type FlowErrorCode =
  // harness-level misuse
  | 'LINT_FAILED'
  | 'PARAMETER_INVALID'
  | 'DEFINITION_INVALID'
  // Python / Metaflow exceptions seen by flow code
  | 'USER_EXCEPTION'
  | 'NO_ATTRIBUTE'
  | 'READ_ONLY_ATTRIBUTE'
  | 'INPUTS_HAS_NO_LEN'
  | 'INVALID_NEXT'
  | 'NEXT_CALLED_TWICE'
  | 'FOREACH_VARIABLE_MISSING'
  | 'FOREACH_NOT_ITERABLE'
  | 'FOREACH_ZERO_SPLITS'
  | 'SWITCH_CONDITION_MISSING'
  | 'SWITCH_VALUE_NOT_A_CASE'
  | 'TOO_MANY_SPLITS'
  | 'TRANSITION_MISMATCH'
  | 'JOIN_INPUTS_MISSING'
  | 'MERGE_NOT_IN_JOIN'
  | 'MERGE_INCLUDE_AND_EXCLUDE'
  | 'MERGE_CONFLICT'
  | 'MERGE_MISSING';

export class FlowError extends Error {
  readonly code: FlowErrorCode;
  constructor(code: FlowErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FlowError';
    this.code = code;
  }
}

/** Metaflow exception classes and their `headline` (exception.py); the rest are Python builtins. */
const HEADLINES: Readonly<Record<string, string>> = {
  MetaflowException: 'Flow failed',
  InvalidNextException: 'Invalid self.next() transition detected',
  MetaflowInternalError: 'Internal error',
  MetaflowDataMissing: 'Data missing',
  UnhandledInMergeArtifactsException: 'Unhandled artifacts in merge',
  MissingInMergeArtifactsException: 'Missing artifacts in merge',
  TaskFailed: 'Step failure',
};

export class PythonError extends FlowError {
  /** Python's `type(e).__name__`, e.g. `AttributeError` or `InvalidNextException`. */
  readonly pyType: string;
  /** Artifact names carried by the merge exceptions (`e.artifact_names`). */
  readonly artifactNames: readonly string[] | undefined;
  constructor(
    pyType: string,
    message: string,
    code: FlowErrorCode = 'USER_EXCEPTION',
    options?: { cause?: unknown; artifactNames?: readonly string[] },
  ) {
    super(code, message, options);
    this.name = pyType;
    this.pyType = pyType;
    this.artifactNames = options?.artifactNames;
  }
  /** Metaflow's headline for its own exception types, undefined for builtins and user exceptions. */
  get headline(): string | undefined {
    return HEADLINES[this.pyType];
  }
}

/** What a step body raised, as plain data: `type` is Python's class name, `message` is `str(e)`. */
export interface ErrorInfo {
  readonly type: string;
  readonly message: string;
}

/** Turns anything thrown by flow code into plain data; JS errors keep their JS name. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof PythonError) return { type: err.pyType, message: err.message };
  if (err instanceof Error) return { type: err.name, message: err.message };
  return { type: 'Exception', message: String(err) };
}

/** Metaflow's console strips the `*...*` highlight markers (reference §7.1). */
export function stripMarkers(message: string): string {
  return message.replace(/\*([^*\n]*)\*/g, '$1');
}

/** `raise ValueError("...")` from a step body. */
export function pyRaise(pyType: string, message = ''): never {
  throw new PythonError(pyType, message);
}
