/**
 * Scenario -> flow definition + run options. Each call builds fresh objects: the values the steps set are
 * copied per task execution anyway, and every `!Settings` becomes one new `Settings` per compiled run
 * (aliases of one anchor share it, as one Python object would be shared by the decorators naming it, and
 * mutated by the integration during that run only).
 */
import { Settings, flow, wandbLogDecoration, type WandbLogDecorator } from '../../src/index.ts';
import { compileBody, compileHelper } from './body.ts';
import { recogniseJoins } from './joins.ts';
import type { DecoratorSpec, Location, Scenario } from './model.ts';
import { isSettingsSpec, type SettingsSpec } from './tags.ts';

/** `@retry(times=N)` as decorator data (the runtime reads `StepDefinition.retry`). */
export interface RetryDecorator {
  readonly kind: 'retry';
  readonly times: number;
  readonly location: Location;
}

/** `@catch(var=...)` as decorator data (the runtime reads `StepDefinition.catch`). */
export interface CatchDecorator {
  readonly kind: 'catch';
  readonly var: string | null;
  readonly location: Location;
}

export type CompiledDecorator = WandbLogDecorator | RetryDecorator | CatchDecorator;

/** A non-step method with its decorators (outermost first): the integration wraps `body` when decorated. */
export interface HelperSpec {
  readonly name: string;
  readonly body: flow.HelperMethod;
  readonly decorators: readonly CompiledDecorator[];
  readonly location: Location;
}

export type ScenarioRunOptions = flow.RunOptions & {
  readonly runId?: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly values: flow.ValueProtocol;
  readonly seed?: number;
};

export interface CompiledScenario {
  readonly scenario: Scenario;
  readonly definition: flow.FlowDefinition;
  readonly runOptions: ScenarioRunOptions;
  /** Helpers by name, with their decorators (the definition's `helpers` holds the same bodies). */
  readonly helpers: Readonly<Record<string, HelperSpec>>;
  /** Steps recognised as joins from the graph (those without an explicit `join:`), sorted. */
  readonly recognisedJoins: readonly string[];
}

export function compileScenario(s: Scenario): CompiledScenario {
  const settings = new Map<SettingsSpec, Settings>();
  const decorators = (specs: readonly DecoratorSpec[]): CompiledDecorator[] =>
    specs.map((d) => {
      if (d.kind === 'retry') return { kind: 'retry', times: d.times, location: d.location };
      if (d.kind === 'catch') return { kind: 'catch', var: d.var, location: d.location };
      let st: Settings | Record<string, unknown> | null = null;
      if (isSettingsSpec(d.settings)) {
        const spec = d.settings;
        if (!settings.has(spec)) settings.set(spec, new Settings(spec.fields));
        st = settings.get(spec)!;
      } else if (d.settings !== null) {
        st = { ...d.settings };
      }
      return wandbLogDecoration(
        {
          ...(d.datasets !== undefined ? { datasets: d.datasets } : {}),
          ...(d.models !== undefined ? { models: d.models } : {}),
          ...(d.others !== undefined ? { others: d.others } : {}),
          settings: st,
        },
        d.location,
      );
    });

  const joins = recogniseJoins(s.flow.steps);
  const steps: flow.StepDefinition[] = s.flow.steps.map((step) => {
    const decos = decorators(step.decorators);
    const retry = decos.filter((d): d is RetryDecorator => d.kind === 'retry').at(-1);
    const caught = decos.filter((d): d is CatchDecorator => d.kind === 'catch').at(-1);
    const join = step.join ?? joins.has(step.name);
    return {
      name: step.name,
      body: step.run ?? compileBody(step.body),
      ...(step.next !== undefined ? { next: step.next } : {}),
      join,
      ...(step.numArgs !== undefined ? { numArgs: step.numArgs } : {}),
      ...(step.start !== undefined ? { start: step.start } : {}),
      ...(step.end !== undefined ? { end: step.end } : {}),
      ...(retry !== undefined ? { retry: retry.times } : {}),
      ...(caught !== undefined ? { catch: { var: caught.var } } : {}),
      decorators: decos,
      location: step.location,
      ...(step.nextLocation !== undefined ? { nextLocation: step.nextLocation } : {}),
    };
  });

  const helpers: Record<string, HelperSpec> = {};
  for (const h of s.flow.helpers) {
    helpers[h.name] = { name: h.name, body: h.run ?? compileHelper(h.body), decorators: decorators(h.decorators), location: h.location };
  }

  const definition: flow.FlowDefinition = {
    name: s.flow.name,
    steps,
    parameters: s.flow.parameters.map((p): flow.ParameterDefinition => ({
      name: p.name,
      ...(p.default !== undefined ? { default: p.default } : {}),
      ...(p.type !== undefined ? { type: p.type } : {}),
      ...(p.required !== undefined ? { required: p.required } : {}),
      ...(p.help !== undefined ? { help: p.help } : {}),
      ...(p.cliName !== undefined && p.cliName !== p.name ? { cliName: p.cliName } : {}),
      ...(p.separator !== undefined ? { separator: p.separator } : {}),
      location: p.location,
    })),
    constants: Object.fromEntries(s.flow.constants.map(([k, v]) => [k, flow.pyClone(v)])),
    helpers: Object.fromEntries(Object.values(helpers).map((h) => [h.name, h.body])),
    decorators: decorators(s.flow.decorators),
    location: s.flow.location,
  };

  const runOptions: ScenarioRunOptions = {
    ...(s.run.runId !== undefined ? { runId: s.run.runId } : {}),
    parameters: { ...s.run.parameters },
    values: flow.pyValueProtocol,
    ...(s.run.maxWorkers !== undefined ? { maxWorkers: s.run.maxWorkers } : {}),
    ...(s.run.seed !== undefined ? { seed: s.run.seed, scheduler: flow.createSeededScheduler(s.run.seed) } : {}),
  };

  return {
    scenario: s,
    definition,
    runOptions,
    helpers,
    recognisedJoins: s.flow.steps.filter((st) => st.join === undefined && joins.has(st.name)).map((st) => st.name).sort(),
  };
}
