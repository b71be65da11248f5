// The integration layer's error. Failures the Python integration has are NOT these: they are reproduced as
// flow.PythonError with W&B's own type and message, because predicting them is the point (DESIGN §3.3).

export type IntegrationErrorCode = 'BAD_DECORATOR' | 'BAD_OPTIONS';

export class IntegrationError extends Error {
  readonly code: IntegrationErrorCode;
  constructor(code: IntegrationErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IntegrationError';
    this.code = code;
  }
}
