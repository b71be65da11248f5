import { OPERATION_NAME } from '../../protocol/index.ts';
import { BackendError } from '../errors.ts';

/** `name` labels the request (messages, fault rules, `unsupported`); `operationName` is what the client sent, if anything. */
export interface ParsedOperation { name: string; operationName: string | undefined; query: string; variables: Record<string, unknown> }

/**
 * The operation of a GraphQL body. wandb-core names it in `operationName`; proxied Python queries send ""
 * and the legacy sender omits it, so the name then comes from the document (reference §1.4). An anonymous
 * document gets a name nobody implements, so it is refused rather than guessed.
 */
export function parseOperation(body: unknown): ParsedOperation {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new BackendError('BAD_REQUEST', 'Failed to read GraphQL request: the body must be a JSON object {query, variables}.');
  }
  const { query, variables, operationName } = body as Record<string, unknown>;
  if (typeof query !== 'string' || query.trim() === '') {
    throw new BackendError('NO_QUERY', 'Failed to read GraphQL request: it has no "query" string. Send {"query": "...", "variables": {...}}.');
  }
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
    throw new BackendError('BAD_VARIABLES', 'Failed to read GraphQL request: "variables" must be an object.');
  }
  const fromDoc = OPERATION_NAME.exec(query)?.[2];
  const name = typeof operationName === 'string' && operationName !== '' ? operationName : (fromDoc ?? '(anonymous)');
  // GraphQL names are [_A-Za-z][_0-9A-Za-z]* and "__" is reserved for introspection; anything else is not an
  // operation anybody implements, and must not become a key of the state (e.g. "__proto__").
  if (name !== '(anonymous)' && (!/^[_A-Za-z][_0-9A-Za-z]*$/.test(name) || name.startsWith('__'))) {
    throw new BackendError('BAD_REQUEST', `Failed to read GraphQL request: ${JSON.stringify(name.slice(0, 80))} is not a GraphQL operation name. Name the operation with letters, digits and "_" (not starting with "__").`);
  }
  const sent = typeof operationName === 'string' && operationName !== '' ? operationName : undefined;
  return { name, operationName: sent, query, variables: (variables ?? {}) as Record<string, unknown> };
}
