/**
 * `matrix:` -> one scenario per combination of wandb_log flags. Axes are (target, flag) pairs in file order;
 * combinations enumerate with the last axis fastest. Each combination sets its flags on the target's innermost
 * `wandb_log` (the one that applies, reference §1.3), adding one when the target has none.
 */
import type { Diagnostic } from './errors.ts';
import type { DecoratorSpec, FlowSpec, MatrixFlag, Scenario, WandbLogSpec } from './model.ts';
import { didYouMean } from './suggest.ts';

type Combination = ReadonlyArray<readonly [string, MatrixFlag, boolean]>;

/** `id[flow.datasets=true,end.models=false]`. */
export const combinationId = (id: string, combo: Combination): string =>
  `${id}[${combo.map(([t, f, v]) => `${t}.${f}=${String(v)}`).join(',')}]`;

/** A file-name-safe snapshot stem: `id__flow.datasets=true,end.models=false`. */
export const combinationSnapshotKey = (id: string, combo: Combination): string =>
  `${id}__${combo.map(([t, f, v]) => `${t}.${f}=${String(v)}`).join(',')}`;

function withFlags(decorators: readonly DecoratorSpec[], flags: ReadonlyArray<readonly [MatrixFlag, boolean]>, at: WandbLogSpec['location']): DecoratorSpec[] {
  const out = [...decorators];
  let i = out.map((d) => d.kind).lastIndexOf('wandb_log');
  if (i < 0) {
    out.push({ kind: 'wandb_log', settings: null, location: at });
    i = out.length - 1;
  }
  const inner = out[i] as WandbLogSpec;
  out[i] = { ...inner, ...Object.fromEntries(flags) };
  return out;
}

/** The expanded scenarios (the scenario itself when it has no matrix); unknown targets are diagnostics. */
export function expandMatrix(s: Scenario, diagnostics: Diagnostic[]): Scenario[] {
  if (s.matrix === undefined) return [s];
  const steps = new Set(s.flow.steps.map((st) => st.name));
  const axes: Array<{ target: string; flag: MatrixFlag; values: readonly boolean[]; location: WandbLogSpec['location'] }> = [];
  let ok = true;
  for (const entry of s.matrix) {
    if (entry.target !== 'flow' && !steps.has(entry.target)) {
      ok = false;
      diagnostics.push({
        file: s.file, line: entry.location.line, col: entry.location.col, code: 'unknown-target',
        message: `matrix target "${entry.target}" is neither "flow" nor a step of ${s.flow.name}${didYouMean(entry.target, ['flow', ...steps])}`,
      });
    }
    for (const [flag, vals] of entry.flags) axes.push({ target: entry.target, flag, values: vals, location: entry.location });
  }
  if (!ok || axes.length === 0) return [];

  let combos: Array<Array<readonly [string, MatrixFlag, boolean]>> = [[]];
  for (const axis of axes) combos = combos.flatMap((c) => axis.values.map((v) => [...c, [axis.target, axis.flag, v] as const]));

  const { matrix: _matrix, ...base } = s;
  return combos.map((combo) => {
    const forTarget = (t: string) => combo.filter(([ct]) => ct === t).map(([, f, v]) => [f, v] as const);
    const loc = (t: string) => axes.find((a) => a.target === t)!.location;
    const flowSpec: FlowSpec = {
      ...s.flow,
      decorators: forTarget('flow').length > 0 ? withFlags(s.flow.decorators, forTarget('flow'), loc('flow')) : s.flow.decorators,
      steps: s.flow.steps.map((st) => (forTarget(st.name).length > 0 ? { ...st, decorators: withFlags(st.decorators, forTarget(st.name), loc(st.name)) } : st)),
    };
    return { ...base, id: combinationId(s.id, combo), snapshotKey: combinationSnapshotKey(s.id, combo), flow: flowSpec, combination: combo };
  });
}
