/**
 * `torch.save(module, f)` stand-in. The integration writes torch's zip format under `{name}.pkl`; reproducing
 * it would need torch's storage layout, so a module is written in this documented, deterministic format:
 *
 *   UTF-8 JSON, keys sorted, no whitespace, followed by one newline:
 *   {"class":"<module>.<qualname>","format":"tracked-flows/torch-module@1","mro":[...full names...],
 *    "state":[["attr", <value encoding>], ...]}
 *
 * Same module (class and state) -> same bytes -> same W&B digest, which is what artifact dedup and the log
 * model compare.
 */
import type { PyValue } from './model.ts';
import { T, fullName, isSubclass } from './types.ts';
import { encodeValue } from './encoding.ts';
import { ValuesError } from './errors.ts';

export const TORCH_FORMAT = 'tracked-flows/torch-module@1';

function sortedJson(x: unknown): string {
  if (x === null || typeof x !== 'object') return JSON.stringify(x);
  if (Array.isArray(x)) return `[${x.map(sortedJson).join(',')}]`;
  const o = x as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${sortedJson(o[k])}`).join(',')}}`;
}

export function torchSave(v: PyValue): Uint8Array {
  if (v.kind !== 'object' || !isSubclass(v.type, T.Module)) {
    throw new ValuesError('invalid-value', `Failed to save "${fullName(v.type)}" as a torch module: it is not an nn.Module. Track it as another kind of value.`);
  }
  const doc = {
    class: fullName(v.type),
    format: TORCH_FORMAT,
    mro: v.type.mro.map(fullName),
    state: v.state.map(([k, val]) => [k, encodeValue(val)]),
  };
  return new TextEncoder().encode(`${sortedJson(doc)}\n`);
}
