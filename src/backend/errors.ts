// One error class for the backend layer. Every rejected request is answered from one of these: the status
// is part of the code's contract, so a client (or a fuzzer) always gets the same 4xx for the same mistake.

export type BackendErrorCode =
  | 'BAD_JSON'
  | 'BAD_REQUEST'
  | 'NO_QUERY'
  | 'UNSUPPORTED_OPERATION'
  /** The document is not GraphQL (graphql-js's syntax error, with its location). */
  | 'GRAPHQL_PARSE_FAILED'
  /** The document does not validate against the schema (graphql-js's message naming the field, with locations). */
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'BAD_VARIABLES'
  | 'UNKNOWN_RUN'
  | 'UNKNOWN_ARTIFACT'
  | 'BAD_PATH'
  | 'DIGEST_MISMATCH'
  | 'CONFLICT'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'TOO_LARGE'
  | 'UNAUTHORIZED'
  /** The --data-dir cannot be read, written or trusted (not a request's fault). */
  | 'DATA_DIR';

const STATUS: Record<BackendErrorCode, number> = {
  BAD_JSON: 400,
  BAD_REQUEST: 400,
  NO_QUERY: 400,
  UNSUPPORTED_OPERATION: 400,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  BAD_VARIABLES: 400,
  UNKNOWN_RUN: 404,
  UNKNOWN_ARTIFACT: 404,
  BAD_PATH: 400,
  DIGEST_MISMATCH: 400,
  CONFLICT: 409,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  TOO_LARGE: 413,
  UNAUTHORIZED: 401,
  DATA_DIR: 500,
};

export class BackendError extends Error {
  readonly code: BackendErrorCode;
  readonly status: number;

  constructor(code: BackendErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BackendError';
    this.code = code;
    this.status = STATUS[code];
  }
}

/** `Failed to <verb> "<subject>": <reason>. <what to do>` — the house format for messages. */
export function failure(code: BackendErrorCode, verb: string, subject: string, reason: string, hint = ''): BackendError {
  return new BackendError(code, `Failed to ${verb} "${subject}": ${reason}.${hint ? ` ${hint}` : ''}`);
}
