// Fault injection (DESIGN §5.4, issue 9): a deterministic plan of rules saying which request, by GraphQL
// operation or by path and method, and which occurrence of it, is answered with a failure instead of (or after)
// being handled. Faults are what the SDK's retry table (reference §6) is about: 5xx and 429 are retried, a reset
// connection is retried, and a request the server applied but never answered is retried too — which is exactly
// when idempotency matters.
//
// What each fault does to state:
//   status 5xx, rate-limit 429, reset (after: false)  -> refused BEFORE handling: state untouched.
//   delay                                             -> handled normally after the delay.
//   reset (after: true), truncate                     -> APPLIED (and journaled, when durable), then the answer
//                                                        is lost: the client sees a reset or a cut body.
//
// handle() stays pure: a reset is answered as `Response.error()` (fetch's own network-error value, which msw
// turns into a failed fetch and node:http into a destroyed socket); a truncation is the full answer carrying
// the TRUNCATE_HEADER marker, which the transports honour by sending only the first bytes.

import { failure } from './errors.ts';

export type InjectedStatus = 500 | 502 | 503 | 504;

export type Fault =
  | { type: 'status'; status: InjectedStatus }
  | { type: 'rate-limit'; retryAfter: number }
  | { type: 'reset'; after?: boolean }
  | { type: 'delay'; ms: number }
  | { type: 'truncate'; bytes?: number };

export interface FaultRule {
  /** GraphQL operation name; only POST /graphql requests have one. */
  operation?: string;
  /** Path glob: `*` matches inside one segment, `**` across segments (`/storage/**` is a prefix match). */
  path?: string;
  /** HTTP method, case-insensitive. */
  method?: string;
  /** Only the n-th matching request (1-based). */
  nth?: number;
  /** Matching requests from..to (1-based, inclusive); `to` omitted = no end. Neither nth nor from/to = all. */
  from?: number;
  to?: number;
  fault: Fault;
}

/** A plan is an ordered list: a request is counted by every rule it matches, and the first rule that fires wins. */
export type FaultPlan = FaultRule[];

export interface FaultReport {
  plan: FaultPlan;
  /** Per rule, in plan order: requests it matched and times it fired. */
  stats: { matched: number; fired: number }[];
  fired: number;
}

export const INJECTED_STATUSES: readonly InjectedStatus[] = [500, 502, 503, 504];
export const MAX_DELAY_MS = 600_000;
export const MAX_RULES = 1000;
/** Response header the transports act on: the answer must be cut after this many bytes. Never sent on the wire. */
export const TRUNCATE_HEADER = 'x-tracked-flows-truncate';

export type Sleep = (ms: number) => Promise<void>;
/** Real timers, looked up at call time so fake timers installed later still apply. */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export interface FaultTarget { method: string; path: string; operation: () => string | null }

export class FaultInjector {
  private plan: FaultPlan = [];
  private compiled: { rule: FaultRule; path: RegExp | null }[] = [];
  private stats: { matched: number; fired: number }[] = [];

  constructor(plan: unknown = []) {
    this.replace(plan);
  }

  /** Validates and installs a plan (counters restart at 0). Throws a 400 BackendError naming the problem. */
  replace(plan: unknown): FaultReport {
    const checked = parseFaultPlan(plan);
    this.plan = checked;
    this.compiled = checked.map((rule) => ({ rule, path: rule.path === undefined ? null : globToRegExp(rule.path) }));
    this.stats = checked.map(() => ({ matched: 0, fired: 0 }));
    return this.report();
  }

  report(): FaultReport {
    return { plan: structuredClone(this.plan), stats: this.stats.map((s) => ({ ...s })), fired: this.stats.reduce((n, s) => n + s.fired, 0) };
  }

  get empty(): boolean {
    return this.plan.length === 0;
  }

  /** Counts the request against every matching rule and returns the first rule that fires (index 1-based). */
  pick(target: FaultTarget): PickedFault | null {
    let chosen: PickedFault | null = null;
    let operation: string | null | undefined;
    this.compiled.forEach(({ rule, path }, i) => {
      if (rule.method !== undefined && rule.method.toUpperCase() !== target.method) return;
      if (path && !path.test(target.path)) return;
      if (rule.operation !== undefined && rule.operation !== (operation === undefined ? (operation = target.operation()) : operation)) return;
      const stat = this.stats[i]!;
      stat.matched += 1;
      if (chosen === null && inWindow(rule, stat.matched)) {
        stat.fired += 1;
        chosen = { fault: rule.fault, rule: i + 1 };
      }
    });
    return chosen;
  }
}

function inWindow(rule: FaultRule, n: number): boolean {
  if (rule.nth !== undefined) return n === rule.nth;
  return n >= (rule.from ?? 1) && (rule.to === undefined || n <= rule.to);
}

/** `*` = any run of non-"/" characters, `**` = anything, `?` = one non-"/" character; the whole path must match. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

// ---- validation: the same contract as FAULT_PLAN_SCHEMA, by hand (src/ carries no ajv), plus `to >= from`.

const RULE_KEYS = new Set(['operation', 'path', 'method', 'nth', 'from', 'to', 'fault']);
const FAULT_KEYS: Record<Fault['type'], Set<string>> = {
  status: new Set(['type', 'status']),
  'rate-limit': new Set(['type', 'retryAfter']),
  reset: new Set(['type', 'after']),
  delay: new Set(['type', 'ms']),
  truncate: new Set(['type', 'bytes']),
};

function bad(where: string, reason: string): never {
  throw failure('BAD_REQUEST', 'set', 'fault plan', `${where} ${reason}`, 'See FAULT_PLAN_SCHEMA for the format.');
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isPositiveInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;

function checkKeys(value: Record<string, unknown>, allowed: Set<string>, where: string): void {
  for (const key of Object.keys(value)) if (!allowed.has(key)) bad(where, `has an unknown key "${key}" (allowed: ${[...allowed].join(', ')})`);
}

export function parseFaultPlan(value: unknown): FaultPlan {
  if (!Array.isArray(value)) bad('the plan', 'must be a JSON array of rules');
  if (value.length > MAX_RULES) bad('the plan', `has ${value.length} rules, more than ${MAX_RULES}`);
  return value.map((raw, i) => parseRule(raw, `rules[${i}]`));
}

function parseRule(raw: unknown, at: string): FaultRule {
  if (!isObject(raw)) bad(at, 'must be an object');
  checkKeys(raw, RULE_KEYS, at);
  const { operation, path, method, nth, from, to } = raw;
  if (operation !== undefined && (typeof operation !== 'string' || operation === '')) bad(`${at}.operation`, 'must be a non-empty string');
  if (path !== undefined && (typeof path !== 'string' || !path.startsWith('/'))) bad(`${at}.path`, 'must be a string starting with "/"');
  if (method !== undefined && (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method))) bad(`${at}.method`, 'must be an HTTP method name (letters only)');
  for (const [key, v] of [['nth', nth], ['from', from], ['to', to]] as const) {
    if (v !== undefined && !isPositiveInt(v)) bad(`${at}.${key}`, 'must be an integer >= 1');
  }
  if (nth !== undefined && (from !== undefined || to !== undefined)) bad(at, 'takes either "nth" or "from"/"to", not both');
  if (to !== undefined && (to as number) < ((from as number | undefined) ?? 1)) bad(`${at}.to`, `must be >= from (${(from as number | undefined) ?? 1})`);
  return { ...(raw as Omit<FaultRule, 'fault'>), fault: parseFault(raw.fault, `${at}.fault`) };
}

function parseFault(raw: unknown, at: string): Fault {
  if (!isObject(raw)) bad(at, 'must be an object with a "type"');
  const type = raw.type;
  if (typeof type !== 'string' || !Object.hasOwn(FAULT_KEYS, type)) bad(`${at}.type`, `must be one of ${Object.keys(FAULT_KEYS).join(', ')}`);
  checkKeys(raw, FAULT_KEYS[type as Fault['type']], at);
  switch (type as Fault['type']) {
    case 'status':
      if (!INJECTED_STATUSES.includes(raw.status as InjectedStatus)) bad(`${at}.status`, `must be one of ${INJECTED_STATUSES.join(', ')}`);
      break;
    case 'rate-limit':
      if (typeof raw.retryAfter !== 'number' || !Number.isFinite(raw.retryAfter) || raw.retryAfter < 0 || raw.retryAfter > 86_400) {
        bad(`${at}.retryAfter`, 'must be a number of seconds, 0-86400');
      }
      break;
    case 'reset':
      if (raw.after !== undefined && typeof raw.after !== 'boolean') bad(`${at}.after`, 'must be a boolean');
      break;
    case 'delay':
      if (!Number.isSafeInteger(raw.ms) || (raw.ms as number) < 0 || (raw.ms as number) > MAX_DELAY_MS) bad(`${at}.ms`, `must be an integer 0-${MAX_DELAY_MS}`);
      break;
    case 'truncate':
      if (raw.bytes !== undefined && (!Number.isSafeInteger(raw.bytes) || (raw.bytes as number) < 0)) bad(`${at}.bytes`, 'must be an integer >= 0');
      break;
  }
  return raw as Fault;
}

// ---- the answers a fault gives (built here so handle() only decides when)

export interface PickedFault { fault: Fault; rule: number }

/** The answer of a fault that refuses the request before it is handled, or null when the request goes on. */
export function refusal({ fault, rule }: PickedFault, subject: string, graphql: boolean): Response | null {
  if (fault.type === 'reset' && !fault.after) return Response.error();
  if (fault.type !== 'status' && fault.type !== 'rate-limit') return null;
  const status = fault.type === 'status' ? fault.status : 429;
  const message = `Failed to handle "${subject}": injected fault, HTTP ${status} from rule ${rule} of the fault plan. Retry the request; the plan decides when it passes.`;
  const body = graphql ? { errors: [{ message, extensions: { code: 'INJECTED_FAULT' } }] } : { error: message, code: 'INJECTED_FAULT' };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (fault.type === 'rate-limit') headers['retry-after'] = String(fault.retryAfter);
  return new Response(JSON.stringify(body), { status, headers });
}

/**
 * The full answer marked to be cut after `bytes` bytes (default half; always at least one byte short). An empty
 * answer cannot be cut, so it is lost whole: the same as a reset after handling.
 */
export async function truncated(response: Response, bytes: number | undefined): Promise<Response> {
  // A streamed answer of known length (a blob download) is marked without being read: it may be gigabytes.
  const declared = response.body === null ? null : response.headers.get('content-length');
  const body = declared === null ? new Uint8Array(await response.arrayBuffer()) : response.body;
  const length = declared === null ? (body as Uint8Array).length : Number(declared);
  if (length === 0) return Response.error();
  const keep = Math.max(0, Math.min(bytes ?? Math.floor(length / 2), length - 1));
  const headers = new Headers(response.headers);
  headers.set(TRUNCATE_HEADER, String(keep));
  return new Response(body, { status: response.status, headers });
}

/** The transports' side of the marker: how many bytes to send, or null for a whole answer. */
export function truncation(response: Response): number | null {
  const value = response.headers.get(TRUNCATE_HEADER);
  return value === null ? null : Number(value);
}
