// Whole generated scenarios: decorations (flow level, step level, stacked; settings as Settings or a dict)
// around a generated flow. Reusable from any test under test/.
import fc from 'fast-check';
import { flowShape, lowerFlow, valueFor, type VarName } from './flows.ts';
import type { GenDecorator, GenScenario, GenSettings } from './scenario.ts';
import type { GenValue } from './values.ts';

export * from './values.ts';
export * from './scenario.ts';
export * from './flows.ts';
export * from './classification.ts';

export interface DecoratorOptions {
  /** `others` only where `datasets` and `models` are on: no name is then ever logged under two types. */
  noTypeConflicts?: boolean;
  /** Flags mostly on (lineage needs typed values logged and used to have anything to check). */
  mostlyOn?: boolean;
}

const settings: fc.Arbitrary<GenSettings> = fc.record({
  kind: fc.constant<'settings' | 'dict'>('settings'),
  // A small pool of ids: decorators naming one id share ONE Settings object (a YAML anchor); id 2 is a dict.
  id: fc.nat(2),
  fields: fc.oneof(fc.constant({}), fc.constantFrom('custom-job', 'other-job').map((j) => ({ run_job_type: j })), fc.constant({ run_group: 'my-group' })),
});

export function decorator(o: DecoratorOptions = {}): fc.Arbitrary<GenDecorator> {
  const flag = o.mostlyOn
    ? fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constantFrom(false, undefined) })
    : fc.option(fc.boolean(), { nil: undefined });
  return fc.record({ datasets: flag, models: flag, others: flag, settings: fc.option(settings, { nil: undefined, freq: 3 }) }, { requiredKeys: [] })
    .map((d) => {
      const out: GenDecorator = {};
      for (const k of ['datasets', 'models', 'others'] as const) if (d[k] !== undefined) out[k] = d[k];
      if (o.noTypeConflicts && out.others && !(out.datasets && out.models)) delete out.others;
      if (d.settings) {
        // One id is one object: the same id always carries the same fields and kind.
        out.settings = { ...d.settings, kind: d.settings.id === 2 ? 'dict' : 'settings' };
      }
      return out;
    });
}

/** The same id always means the same object with the same fields (the first mention wins). */
function unifySettings(g: GenScenario): GenScenario {
  const seen = new Map<number, GenSettings>();
  const fix = (ds: GenDecorator[]) => ds.map((d) => {
    if (!d.settings) return d;
    if (d.settings.kind === 'dict') return d;
    const first = seen.get(d.settings.id) ?? (seen.set(d.settings.id, d.settings), d.settings);
    return { ...d, settings: first };
  });
  return { ...g, flowDecorators: fix(g.flowDecorators), steps: g.steps.map((s) => ({ ...s, decorators: fix(s.decorators) })) };
}

export interface ScenarioOptions extends DecoratorOptions {
  integration?: 'current' | 'legacy';
  lineage?: 'latest' | 'pinned';
  /** Decorations: `none` leaves the flow undecorated. */
  decorations?: 'random' | 'none';
  /** Variables the flow's `set`s pick from (see flows.ts). */
  setChoices?: readonly VarName[];
}

const PARAMETERS: [string, number][] = [['alpha', 3], ['beta', 7]];
const CONSTANTS: [string, GenValue][] = [['CONST', { t: 'int', v: 42 }], ['TABLE', { t: 'DataFrame', columns: ['c'], rows: [[1]] }]];

export function scenario(o: ScenarioOptions = {}): fc.Arbitrary<GenScenario> {
  const decos = fc.array(decorator(o), { maxLength: 2 });
  return fc.record({
    integration: o.integration ? fc.constant(o.integration) : fc.constantFrom<'current' | 'legacy'>('current', 'legacy'),
    lineage: o.lineage ? fc.constant(o.lineage) : fc.constantFrom<'latest' | 'pinned'>('latest', 'pinned'),
    flowDecorators: o.decorations === 'none' ? fc.constant([]) : decos,
    stepDecorators: o.decorations === 'none' ? fc.constant([]) : fc.array(decos, { maxLength: 24 }),
    parameters: fc.subarray(PARAMETERS),
    constants: fc.subarray(CONSTANTS),
    helper: fc.boolean(),
    shape: flowShape,
  }).map((r) => {
    // A flow-level @wandb_log wraps helpers too and breaks the calling step (reference §1.5): helpers only in
    // flows without one (that hazard has its own integration tests).
    const helpers = r.helper && r.flowDecorators.length === 0 ? [{ name: 'helper0', body: [{ op: 'set' as const, name: 'n1', value: valueFor('n1', 1), id: 1 }] }] : [];
    const steps = lowerFlow(r.shape, {
      parameters: r.parameters.map(([k]) => k), constants: r.constants.map(([k]) => k),
      helpers: helpers.map((h) => h.name), helperWrites: { helper0: ['n1', 1] }, firstId: 2,
      ...(o.setChoices ? { setChoices: o.setChoices } : {}),
    }).map((s, i) => ({ ...s, decorators: [...(r.stepDecorators[i] ?? [])] }));
    return unifySettings({
      id: 'property', integration: r.integration, lineage: r.lineage, flowDecorators: [...r.flowDecorators],
      parameters: r.parameters, constants: r.constants, helpers, steps,
    });
  });
}
