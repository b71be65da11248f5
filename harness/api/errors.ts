// The programmatic API's errors: one class, stable codes, messages that say what to do.

export type HarnessErrorCode = 'NO_SUCH_PATH' | 'INVALID_SCENARIO' | 'AMBIGUOUS' | 'NOT_A_FLOW';

export class HarnessError extends Error {
  readonly code: HarnessErrorCode;
  constructor(code: HarnessErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HarnessError';
    this.code = code;
  }
}
