/** The cassette layer's error (captures, cassettes, record and replay), with a stable code. */
export class CassetteError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CassetteError';
    this.code = code;
  }
}
