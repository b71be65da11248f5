// Two-step scenarios for classification: `start` (writer flags) sets v0..vn of any class and some locals;
// `end` (reader flags) reads every v.
import fc from 'fast-check';
import type { GenScenario } from './scenario.ts';
import { anyValue, distinctClasses } from './values.ts';

export interface FlagSet { datasets: boolean; models: boolean; others: boolean }

export const FLAG_SETS: FlagSet[] = [0, 1, 2, 3, 4, 5, 6, 7].map((n) => ({ datasets: Boolean(n & 1), models: Boolean(n & 2), others: Boolean(n & 4) }));

/** start (writer flags) sets v0..vn and some locals; end (reader flags) reads every v. */
export function classificationScenario(profile: 'current' | 'legacy', writer: FlagSet): fc.Arbitrary<GenScenario> {
  return fc.record({
    vs: fc.array(anyValue, { minLength: 1, maxLength: 5 }).map(distinctClasses),
    locals: fc.array(anyValue, { maxLength: 2 }),
    reader: fc.constantFrom(...FLAG_SETS),
  }).map(({ vs, locals, reader }) => ({
    id: 'classification', integration: profile, lineage: 'latest', flowDecorators: [], parameters: [], constants: [], helpers: [],
    steps: [
      {
        name: 'start', decorators: [{ ...writer }], next: 'end', before: {}, runs: true,
        body: [
          ...vs.map((value, i) => ({ op: 'set' as const, name: `v${i}`, value, id: i })),
          ...locals.map((value, i) => ({ op: 'local' as const, name: `loc_${i}`, value })),
        ],
      },
      { name: 'end', decorators: [{ ...reader }], body: vs.map((_, i) => ({ op: 'read' as const, name: `v${i}` })), before: {}, runs: true },
    ],
  }));
}

