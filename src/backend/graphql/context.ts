import type { GraphQLFieldResolver } from 'graphql';
import { BackendError } from '../errors.ts';
import type { BackendState } from '../state.ts';

/** What every resolver gets, once per request. */
export interface GraphQLContext {
  state: BackendState;
  /** The operation's name, for messages. */
  operation: string;
  /** Entity used when the client sends none (what the Viewer query answers). */
  defaultEntity: string;
  /** An absolute URL on this server for a storage path, signed when the server checks an API key. */
  storageUrl(path: string): string;
  /** The request's clock value, ISO 8601. */
  now(): string;
  /** Counts `Type.field` (or an operation name) under the log's `unsupported`. */
  unsupported(entry: string): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Resolver<S = any, A = any> = GraphQLFieldResolver<S, GraphQLContext, A>;

/**
 * One module's resolvers: type name -> field name -> resolver; `__resolveType` for an interface; `parseValue`,
 * `parseLiteral`, `serialize` for a custom scalar.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ResolverMap = Record<string, Record<string, Resolver | ((value: any) => unknown)>>;

/** Typed readers over untrusted input: a wrong value is a 400 naming the operation and the variable. */
export class Vars {
  constructor(
    private readonly op: string,
    readonly raw: Record<string, unknown>,
  ) {}

  private bad(name: string, want: string): BackendError {
    const got = this.raw[name] === undefined ? 'missing' : JSON.stringify(this.raw[name])?.slice(0, 60);
    return new BackendError('BAD_VARIABLES', `Failed to run "${this.op}": variable "${name}" must be ${want}, got ${got}.`);
  }

  str(name: string): string {
    const v = this.raw[name];
    if (typeof v !== 'string' || v === '') throw this.bad(name, 'a non-empty string');
    return v;
  }

  optStr(name: string): string | null {
    const v = this.raw[name];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') throw this.bad(name, 'a string or null');
    return v;
  }

  optBool(name: string): boolean | null {
    const v = this.raw[name];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'boolean') throw this.bad(name, 'a boolean or null');
    return v;
  }

  optStrList(name: string): string[] | null {
    const v = this.raw[name];
    if (v === undefined || v === null) return null;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw this.bad(name, 'a list of strings or null');
    return v as string[];
  }

  list(name: string): unknown[] {
    const v = this.raw[name];
    if (!Array.isArray(v)) throw this.bad(name, 'a list');
    return v;
  }
}
