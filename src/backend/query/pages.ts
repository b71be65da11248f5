// Relay-style cursor pagination as W&B's connections answer it (`first`/`after`, `edges { node cursor }`,
// `pageInfo { endCursor hasNextPage }`, a total beside). A cursor names the last item seen (not an offset),
// so a page asked for while new runs arrive neither repeats nor skips what was already listed.

import { BackendError } from '../errors.ts';

export interface Edge<T> { node: T; cursor: string }

export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: { startCursor: string | null; endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean };
  totalCount: number;
}

/** What a connection field answers when the client sends no `first`: W&B's default page size. */
export const DEFAULT_PAGE_SIZE = 50;
/** The largest page served at once, whatever `first` asks for (the SDK asks for 5000 artifact file URLs). */
export const MAX_PAGE_SIZE = 10_000;

export const encodeCursor = (kind: string, key: string): string => Buffer.from(`${kind}:${key}`).toString('base64');

/**
 * One page of `items` (already filtered and ordered). `keyOf` names an item stably; `kind` keeps a cursor
 * of one connection from being taken for another.
 */
export function page<T>(items: readonly T[], keyOf: (item: T) => string, kind: string, args: { first?: unknown; after?: unknown }): Page<T> {
  const first = args.first === undefined || args.first === null ? DEFAULT_PAGE_SIZE : args.first;
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 0) {
    throw new BackendError('BAD_VARIABLES', `Failed to page "${kind}": "first" must be a non-negative integer, got ${JSON.stringify(first)}.`);
  }
  let start = 0;
  if (args.after !== undefined && args.after !== null && args.after !== '') {
    const after = String(args.after);
    const decoded = Buffer.from(after, 'base64').toString('utf8');
    const prefix = `${kind}:`;
    const index = decoded.startsWith(prefix) ? items.findIndex((item) => keyOf(item) === decoded.slice(prefix.length)) : -1;
    if (index < 0) {
      throw new BackendError('BAD_VARIABLES', `Failed to page "${kind}": the cursor "${after.slice(0, 60)}" does not name an item of this list. Pass the endCursor of the previous page.`);
    }
    start = index + 1;
  }
  const slice = items.slice(start, start + Math.min(first, MAX_PAGE_SIZE));
  const edges = slice.map((node) => ({ node, cursor: encodeCursor(kind, keyOf(node)) }));
  return {
    edges,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
      hasNextPage: start + slice.length < items.length,
      hasPreviousPage: start > 0,
    },
    totalCount: items.length,
  };
}
