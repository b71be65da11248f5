// What a step's tasks read and write, replayed from the generated data alone (the oracles' side of the
// proxy rules of reference §2.2): first-read inputs holding the latest value read before the step writes the
// name; outputs in first-write order holding the last value written. Helper writes go to the flow, not the proxy.
import type { GenScenario, GenStep, GenValue } from './arbitraries/index.ts';
import { valueFor } from './arbitraries/index.ts';

const NOT_INPUTS = new Set(['input', 'index']);

export interface StepIo {
  /** variable -> id of the `set` whose value the step read last (helper writes included) */
  inputs: Map<string, number>;
  /** variable -> the value last written by the step itself (first-write order) */
  outputs: Map<string, GenValue>;
}

export function stepIo(g: GenScenario, s: GenStep): StepIo {
  const state = new Map(Object.entries(s.before));
  const fixed = new Set([...g.parameters.map(([k]) => k), ...g.constants.map(([k]) => k), ...NOT_INPUTS]);
  const inputs = new Map<string, number>();
  const outputs = new Map<string, GenValue>();
  for (const o of s.body) {
    if (o.op === 'set') {
      outputs.set(o.name, o.value);
      state.set(o.name, o.id);
    } else if (o.op === 'call') {
      for (const h of g.helpers.filter((x) => x.name === o.name)) for (const w of h.body) if (w.op === 'set') state.set(w.name, w.id);
    } else if (o.op === 'read' && !fixed.has(o.name) && !outputs.has(o.name)) {
      inputs.set(o.name, state.get(o.name)!);
    }
  }
  return { inputs, outputs };
}

/** The value a `set` with this id wrote to this variable (flows write `valueFor`). */
export const valueOf = (name: string, id: number): GenValue => valueFor(name, id);
