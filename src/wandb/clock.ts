// Time and randomness are injected so tests never sleep and runs are reproducible: a run's `_runtime`,
// `_timestamp`, retry waits, run ids and artifact client ids all come from here.

import { seededRandom as sharedSeededRandom } from '../common/seeded-random.ts';

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Wait `ms` milliseconds (a fake clock advances its time instead of waiting). */
  sleep(ms: number): Promise<void>;
}

/** A source of floats in [0, 1), like `Math.random`. */
export type RandomSource = () => number;

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A clock that only moves when slept on or advanced; records every sleep so tests can assert the backoff. */
export class ManualClock implements Clock {
  readonly sleeps: number[] = [];
  constructor(private time = 1_700_000_000_000) {}
  now(): number { return this.time; }
  advance(ms: number): void { this.time += ms; }
  async sleep(ms: number): Promise<void> { this.sleeps.push(ms); this.time += ms; }
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `length` chars from [a-z0-9], as the SDK's `runid.generate_id` and artifact client ids are drawn. */
export function randomId(random: RandomSource, length: number): string {
  let id = '';
  for (let i = 0; i < length; i++) id += ID_ALPHABET[Math.floor(random() * ID_ALPHABET.length) % ID_ALPHABET.length];
  return id;
}

/** A deterministic random source for reproducible ids from a seed (the same PRNG as the flow scheduler's). */
export const seededRandom: (seed: number) => RandomSource = sharedSeededRandom;
