/**
 * Errors of the values layer.
 *
 * Two families:
 * - `ValuesError`: our own failures (bad input to the model, unsupported value), message shaped
 *   `Failed to <verb> "<subject>": <reason>. <what to do>`.
 * - `PythonError`: an exception the *Python* program would raise (pickling errors, json TypeError). Its
 *   `pythonType` and `message` are exactly Python's, because the integration reproduces them as task failures and
 *   they are compared byte for byte (`pythonRepr` gives the `Type: message` line a traceback ends with).
 */

export type ValuesErrorCode =
  | 'invalid-value'
  | 'mro-conflict'
  | 'unknown-type'
  | 'unsupported-value'
  | 'file-access'
  | 'python-exception';

export class ValuesError extends Error {
  readonly code: ValuesErrorCode;
  constructor(code: ValuesErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ValuesError';
    this.code = code;
  }
}

/** An exception as CPython would raise it (same type name, same message). */
export class PythonError extends ValuesError {
  /** e.g. `TypeError`, `AttributeError`, `_pickle.PicklingError`. */
  readonly pythonType: string;
  constructor(pythonType: string, pythonMessage: string, options?: { cause?: unknown }) {
    super('python-exception', pythonMessage, options);
    this.name = 'PythonError';
    this.pythonType = pythonType;
  }
  /** The last line of the Python traceback: `TypeError: Object of type X is not JSON serializable`. */
  get pythonRepr(): string {
    return `${this.pythonType}: ${this.message}`;
  }
}

export function failed(code: ValuesErrorCode, verb: string, subject: string, reason: string, todo: string): ValuesError {
  return new ValuesError(code, `Failed to ${verb} "${subject}": ${reason}. ${todo}`);
}
