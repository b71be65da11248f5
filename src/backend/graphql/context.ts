import { BackendError } from '../errors.ts';
import type { BackendState } from '../state.ts';

/** What a resolver gets: the state, the parsed request and the means to hand out upload URLs. */
export interface OpContext {
  state: BackendState;
  operation: string;
  query: string;
  variables: Record<string, unknown>;
  /** Entity used when the client sends none (what the Viewer query answers). */
  defaultEntity: string;
  /** An absolute URL on this server for a storage path, signed when the server checks an API key. */
  storageUrl(path: string): string;
  now(): string;
}

export type Resolver = (ctx: OpContext) => unknown;

/** Typed readers over untrusted variables: a wrong type is a 400 naming the operation and the variable. */
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

  /** A nested input object (wandb-core sends `input: {...}`; the legacy sender flat variables). */
  nested(name: string): Vars {
    const v = this.raw[name];
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw this.bad(name, 'an object');
    return new Vars(this.op, v as Record<string, unknown>);
  }
}
