// One error class for the W&B client layer. Codes are stable strings so callers (the @wandb_log integration,
// the harness) can branch on them; `python` carries the exception the real SDK raises in the same situation,
// so the integration can reproduce a task failure with W&B's own wording.

export type WandbErrorCode =
  | 'WANDB_CONFIG'
  | 'WANDB_HTTP'
  | 'WANDB_GRAPHQL'
  | 'WANDB_RETRIES_EXHAUSTED'
  | 'WANDB_BAD_RESPONSE'
  | 'WANDB_AUTH'
  | 'WANDB_ARTIFACT_TYPE_MISMATCH'
  | 'WANDB_ARTIFACT_NOT_FOUND'
  | 'WANDB_ARTIFACT_NAME'
  | 'WANDB_OFFLINE'
  | 'WANDB_RUN_FINISHED'
  | 'WANDB_FILE'
  | 'WANDB_VALUE';

/** The exception the Python SDK raises for the same condition (type and message, verbatim where known). */
export interface PythonException { type: string; message: string }

export interface WandbErrorOptions {
  cause?: unknown;
  status?: number;
  operation?: string;
  python?: PythonException;
}

export class WandbError extends Error {
  override readonly name = 'WandbError';
  readonly code: WandbErrorCode;
  /** HTTP status of the last answer, when there was one. */
  readonly status: number | undefined;
  /** GraphQL operation name or `file_stream` / `upload`, when the error belongs to a request. */
  readonly operation: string | undefined;
  readonly python: PythonException | undefined;

  constructor(code: WandbErrorCode, message: string, options: WandbErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.operation = options.operation;
    this.python = options.python;
  }
}

export function isWandbError(error: unknown, code?: WandbErrorCode): error is WandbError {
  return error instanceof WandbError && (code === undefined || error.code === code);
}

/** Python's `repr()` of a str, as the SDK's f-strings with `!r` print it. */
export function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else out += ch;
  }
  return quote + out + quote;
}
