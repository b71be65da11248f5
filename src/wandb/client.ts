// The entry point: settings + injected fetch/clock/random → runs. One client may start many runs; each run
// has its own feature query and Viewer, as each wandb-core run stream does.
import { systemClock } from './clock.ts';
import type { Clock, RandomSource } from './clock.ts';
import { WandbHttp } from './http.ts';
import type { FetchLike } from './http.ts';
import { LocalRun, OnlineRun } from './run.ts';
import type { InitOptions, Run } from './run.ts';
import type { MultipartOptions } from './multipart.ts';
import { resolveSettings } from './settings.ts';
import type { WandbSettings, WandbSettingsInput } from './settings.ts';

export interface WandbClientOptions {
  /** Explicit settings; each one wins over its environment variable. */
  settings?: WandbSettingsInput;
  /** Environment to read `WANDB_*` from (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Default: `globalThis.fetch` looked up at call time, so msw's `setupServer` intercepts it. */
  fetch?: FetchLike;
  clock?: Clock;
  random?: RandomSource;
  /**
   * Randomness for retry jitter only (default: `random`). Separate, so that ids drawn from a seeded `random`
   * do not depend on how many retries happened — a retried session then logs exactly what a clean one does.
   */
  jitter?: RandomSource;
  /** When artifact files go in parts (default: wandb-core's, 2 GiB in 100 MiB parts); tests use small ones. */
  multipart?: MultipartOptions;
}

export class WandbClient {
  readonly settings: WandbSettings;
  private readonly clock: Clock;
  private readonly random: RandomSource;
  private readonly http: WandbHttp | undefined;
  private readonly multipart: MultipartOptions | undefined;

  constructor(options: WandbClientOptions = {}) {
    this.settings = resolveSettings(options.settings, options.env ?? process.env);
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.multipart = options.multipart;
    const fetchFn: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    if (this.settings.mode === 'online') {
      this.http = new WandbHttp({ settings: this.settings, fetch: fetchFn, clock: this.clock, random: options.jitter ?? this.random });
    }
  }

  /** `wandb.init`: online, sends ServerFeaturesQuery and UpsertBucket and rejects if the upsert fails. */
  async init(options: InitOptions = {}): Promise<Run> {
    if (this.http === undefined) {
      return new LocalRun(this.settings.mode === 'offline' ? 'offline' : 'disabled', { settings: this.settings, random: this.random }, options);
    }
    return OnlineRun.start({ http: this.http, settings: this.settings, clock: this.clock, random: this.random, ...(this.multipart ? { multipart: this.multipart } : {}) }, options);
  }
}

/** One-shot `wandb.init(...)`: a client for this run only. */
export function init(options: InitOptions & WandbClientOptions = {}): Promise<Run> {
  const { settings, env, fetch, clock, random, ...runOptions } = options;
  return new WandbClient({
    ...(settings ? { settings } : {}), ...(env ? { env } : {}), ...(fetch ? { fetch } : {}),
    ...(clock ? { clock } : {}), ...(random ? { random } : {}),
  }).init(runOptions);
}
