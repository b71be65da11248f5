/**
 * The FlowSpec subclass -> the scenario model (harness/scenario/model.ts), so plan and run share the
 * scenario path: Parameters and constants (class attributes), `@step` methods with their decorators and the
 * tail `self.next(...)` as Metaflow's static analysis reads it (graph.py: only the last statement), helpers,
 * and flow decorators. Step and helper bodies are `run` functions: the interpreter inside the task.
 */
import { flow } from '../../src/index.ts';
import type { DecoratorSpec, FlowSpec, HelperSource, Location, ParameterSpec, StepSpec } from '../scenario/model.ts';
import type { SettingsSpec } from '../scenario/tags.ts';
import type { ClassDef, Decorator, Expr, FunctionDef, Module, Pos, Stmt } from './ast.ts';
import type { Args } from './host.ts';
import type { DiagnosticSink } from './diagnostics.ts';
import { Interpreter, type RunContext, type TraceEvent } from './interpreter.ts';
import { InputsRef, isPy, Opaque, py, Scope, SelfRef, SettingsValue, type PyValue, type Value } from './interp-values.ts';
import { buildModuleScope, qualifiedName } from './module.ts';
import { declaration, declarationOf, type ConfigSources, type DeclarationContext } from './declarations.ts';
import type { Pins } from './values-file.ts';

export interface FlowContext {
  readonly file: string;
  readonly module: Module;
  readonly sink: DiagnosticSink;
  readonly pins: Pins;
  readonly env: Readonly<Record<string, string>>;
  /** Names of the file's FlowSpec subclasses (never run as module code). */
  readonly flowClasses: ReadonlySet<string>;
  /** The module scope as loading saw it (imports resolved), for reading decorators and class attributes. */
  readonly scope: Scope;
  readonly staticInterpreter: Interpreter;
  /** For `import`: the trace of the first run of each step and helper. */
  readonly recorder?: Recorder;
  /** `--config` / `--config-value`. */
  readonly configSources: ConfigSources;
  /** Filled while the class is read: IncludeFile values by command-line name (see declarations.ts). */
  readonly includes: Map<string, PyValue>;
  /** The flow's base classes the plan cannot see (from the user's own modules): their attributes are unknown. */
  readonly unknownBases: string[];
}

export interface Recorder {
  /** A sink for this method's trace, or undefined once it has been recorded. */
  begin(method: string): ((e: TraceEvent) => void) | undefined;
}

const loc = (file: string, p: Pick<Pos, 'line' | 'col'>): Location => ({ file, line: p.line, col: p.col });

const isStepDecorator = (d: Decorator, scope: Scope) => {
  const q = qualifiedName(d.name, scope);
  return q === 'metaflow.step' || q === 'step';
};

async function kwargs(ctx: FlowContext, d: Decorator): Promise<Args> {
  const args: Args = { positional: [], keywords: new Map() };
  for (const a of d.args ?? []) {
    let v: Value;
    try {
      v = await ctx.staticInterpreter.eval(a.value, ctx.scope);
    } catch (err) {
      v = new Opaque(a.value.text, a.value.pos, null, err instanceof Error ? err.message : 'fails');
    }
    if (a.name !== null) args.keywords.set(a.name, v);
    else args.positional.push(v);
  }
  return args;
}

function flag(ctx: FlowContext, d: Decorator, args: Args, name: string): boolean | undefined {
  const v = args.keywords.get(name);
  if (v === undefined) return undefined;
  if (isPy(v) && v.kind === 'bool') return v.value;
  if (isPy(v) && (v.kind === 'int' || v.kind === 'none')) return v.kind === 'int' ? v.value !== 0n : false;
  ctx.sink.report('BAD_DECORATOR', d.pos, `@wandb_log's ${name}= is not a bool the plan can read (\`${d.text}\`): planned as not given.`);
  return undefined;
}

// One spec per Settings object, so decorators naming the same object share it as Python shares it (a YAML anchor
// does the same): the integration mutates a shared Settings, which is what the SHARED_SETTINGS hazard is about.
const settingsSpecs = new WeakMap<SettingsValue, SettingsSpec>();

function settingsSpec(s: SettingsValue): SettingsSpec {
  let spec = settingsSpecs.get(s);
  if (!spec) settingsSpecs.set(s, (spec = { kind: 'settings-spec', fields: s.fields as SettingsSpec['fields'] }));
  return spec;
}

/** Metaflow's decorators that do not change what a task logs (plus @environment and @card, read by the runner). */
const PLATFORM_DECORATORS = new Set([
  'resources', 'batch', 'kubernetes', 'conda', 'conda_base', 'pypi', 'pypi_base', 'project', 'schedule', 'trigger',
  'trigger_on_finish', 'timeout', 'environment', 'card', 'secrets', 'parallel', 'airflow_s3_key_sensor', 'slurm', 'nvidia',
  'checkpoint', 'model', 'huggingface_hub', 'fast_bakery_internal', 'exit_hook',
]);

/** The decorators the integration and runtime act on; the rest are recorded and ignored. */
async function decorators(ctx: FlowContext, ds: readonly Decorator[], where: string): Promise<DecoratorSpec[]> {
  const out: DecoratorSpec[] = [];
  for (const d of ds) {
    const q = qualifiedName(d.name, ctx.scope) ?? '';
    if (q === 'metaflow.step' || q === 'step') continue;
    if (q === 'wandb.integration.metaflow.wandb_log' || q === 'wandb_log' || q.endsWith('.wandb_log')) {
      const args = await kwargs(ctx, d);
      const s = args.keywords.get('settings');
      let settings: SettingsSpec | Record<string, unknown> | null = null;
      if (s instanceof SettingsValue) settings = settingsSpec(s);
      else if (s !== undefined && isPy(s) && s.kind === 'dict') settings = Object.fromEntries(s.entries.map(([k, v]) => [String((k as { value?: unknown }).value), v]));
      const datasets = flag(ctx, d, args, 'datasets');
      const models = flag(ctx, d, args, 'models');
      const others = flag(ctx, d, args, 'others');
      out.push({
        kind: 'wandb_log', settings, location: loc(ctx.file, d.pos),
        ...(datasets !== undefined ? { datasets } : {}), ...(models !== undefined ? { models } : {}), ...(others !== undefined ? { others } : {}),
      });
      continue;
    }
    if (q === 'metaflow.retry' || q === 'retry') {
      const args = await kwargs(ctx, d);
      const t = args.keywords.get('times') ?? args.positional[0];
      const times = t === undefined ? 3 : isPy(t) && t.kind === 'int' ? Number(t.value) : undefined;
      if (times === undefined) ctx.sink.report('BAD_DECORATOR', d.pos, `@retry's times= is not an int the plan can read (\`${d.text}\`): planned without retries.`);
      else out.push({ kind: 'retry', times, location: loc(ctx.file, d.pos) });
      continue;
    }
    if (q === 'metaflow.catch' || q === 'catch') {
      const args = await kwargs(ctx, d);
      const v = args.keywords.get('var') ?? args.positional[0];
      const variable = v !== undefined && isPy(v) && v.kind === 'str' ? v.value : null;
      if (v !== undefined && variable === null && !(isPy(v) && v.kind === 'none')) ctx.sink.report('BAD_DECORATOR', d.pos, `@catch's var= is not a str the plan can read (\`${d.text}\`): planned as not given.`);
      out.push({ kind: 'catch', var: variable, location: loc(ctx.file, d.pos) });
      continue;
    }
    // @environment's vars reach the step's os.environ (runner); the rest change where or how a task runs, not what
    // it logs: recorded (validate lists them) and otherwise ignored.
    const short = q.split('.').pop() ?? q;
    const kind = PLATFORM_DECORATORS.has(short) ? 'is recorded: it changes where or how the task runs, not what it logs' : 'is recorded and ignored: the plan does not model it';
    ctx.sink.report('IGNORED_DECORATOR', d.pos, `\`${d.text}\` on ${where} ${kind}.`, { severity: 'info' });
  }
  return out;
}

/** Metaflow's static reading of the last statement (graph.py `_parse`). */
function tailNext(stmt: Stmt | undefined): { next: flow.NextSpec; pos: Pos } | undefined {
  if (stmt?.k !== 'expr' || stmt.value.k !== 'call') return undefined;
  const call = stmt.value;
  if (call.fn.k !== 'attr' || call.fn.name !== 'next' || call.fn.obj.k !== 'name' || call.fn.obj.id !== 'self') return undefined;
  const selfStep = (e: Expr) => (e.k === 'attr' && e.obj.k === 'name' && e.obj.id === 'self' ? e.name : undefined);
  const pos = call.args.filter((a) => a.name === null);
  const kws = call.args.filter((a) => a.name !== null);
  const invalid = { next: { invalid: call.text }, pos: stmt.pos };
  if (pos.some((a) => a.star !== '')) return invalid;
  if (kws.length === 0) {
    const names = pos.map((a) => selfStep(a.value));
    if (names.length === 0 || names.some((n) => n === undefined)) return invalid;
    return { next: names.length === 1 ? names[0]! : (names as string[]), pos: stmt.pos };
  }
  if (kws.length !== 1) return invalid;
  const kw = kws[0]!;
  const str = kw.value.k === 'str' ? kw.value.value : undefined;
  if (kw.name === 'foreach' && pos.length === 1 && selfStep(pos[0]!.value) && str !== undefined) {
    return { next: { foreach: str, to: selfStep(pos[0]!.value)! }, pos: stmt.pos };
  }
  if (kw.name === 'condition' && pos.length === 1 && pos[0]!.value.k === 'dict' && str !== undefined) {
    const cases: flow.SwitchCase[] = [];
    for (const [k, v] of pos[0]!.value.entries) {
      const to = selfStep(v);
      const key = k.k === 'str' ? k.value : k.k === 'int' ? Number(k.value) : k.k === 'float' ? k.value : undefined;
      if (to === undefined || key === undefined) return invalid;
      cases.push({ key, to });
    }
    return { next: { switch: str, cases }, pos: stmt.pos };
  }
  return invalid;
}

/** What a step's decorators change inside its task: `@environment(vars=...)` in os.environ, `@card`'s current.card. */
async function taskSetting(ctx: FlowContext, def: FunctionDef): Promise<{ env: Readonly<Record<string, string>>; decorators: ReadonlySet<string> }> {
  const names = new Set<string>();
  let env = ctx.env;
  for (const d of def.decorators) {
    const short = (qualifiedName(d.name, ctx.scope) ?? '').split('.').pop() ?? '';
    names.add(short);
    if (short !== 'environment') continue;
    const vars = (await kwargs(ctx, d)).keywords.get('vars');
    if (vars !== undefined && isPy(vars) && vars.kind === 'dict') {
      env = { ...env, ...Object.fromEntries(vars.entries.filter(([k, v]) => k.kind === 'str' && v.kind === 'str').map(([k, v]) => [(k as { value: string }).value, (v as { value: string }).value])) };
    } else ctx.sink.report('BAD_DECORATOR', d.pos, `@environment's vars= is not a dict of str the plan can read (\`${d.text}\`): the step's os.environ is planned without it.`);
  }
  return { env, decorators: names };
}

/** Runs a method body in a task: a fresh module (one process per task), `self` through the runtime. */
function runner(ctx: FlowContext, def: FunctionDef, step: string | null, body: readonly Stmt[]) {
  const setting = taskSetting(ctx, def);
  return async (self: flow.FlowSelf, inputs: flow.Inputs | null, rest: readonly unknown[]): Promise<unknown> => {
    const trace = ctx.recorder?.begin(step ?? `helper:${def.name}`);
    const { env, decorators: stepDecorators } = await setting;
    const rc: RunContext = {
      file: ctx.file, step, sink: ctx.sink, pins: ctx.pins, env, self: new SelfRef(self), module: new Scope(null), decorators: stepDecorators, unknownBases: ctx.unknownBases, ...(trace ? { trace } : {}),
    };
    const it = new Interpreter(rc);
    await buildModuleScope(it, ctx.module, ctx.flowClasses);
    const scope = new Scope(rc.module);
    const [selfParam, second, ...others] = def.params;
    if (selfParam) scope.vars.set(selfParam.name, rc.self!);
    if (inputs !== null && second) scope.vars.set(second.name, new InputsRef(inputs));
    else if (second) scope.vars.set(second.name, (rest[0] as Value | undefined) ?? py.None);
    others.forEach((p, i) => scope.vars.set(p.name, (rest[i + 1] as Value | undefined) ?? py.None));
    let r;
    try {
      r = await it.block(body, scope);
    } catch (err) {
      if (trace && err instanceof flow.PythonError) trace({ op: 'raise', type: err.pyType, message: err.message, line: def.pos.line, col: def.pos.col });
      // A JavaScript error here is the interpreter's own bug, not the flow's: say so rather than pass it off as
      // a Python exception of the same name.
      if (!(err instanceof flow.PythonError) && (err instanceof TypeError || err instanceof RangeError || err instanceof ReferenceError)) {
        ctx.sink.report('UNSUPPORTED', def.pos, `tracked-flows could not interpret ${step === null ? `helper ${def.name}` : `step ${step}`} (an internal error: ${err.message}). Please report it with this flow.`, { severity: 'error', step });
      }
      throw err;
    }
    if (typeof r === 'object') return step === null ? r.ret : flow.EARLY_RETURN;
    return step === null ? py.None : undefined;
  };
}

export async function readFlowClass(ctx: FlowContext, cls: ClassDef): Promise<FlowSpec> {
  const parameters: ParameterSpec[] = [];
  const constants: [string, PyValue][] = [];
  const steps: StepSpec[] = [];
  const helpers: HelperSource[] = [];
  // Configs first: Metaflow resolves them before Parameters, whose defaults may read them (config_expr).
  const decl: DeclarationContext = { ...ctx, configs: new Map(), includes: ctx.includes };
  const declared = cls.body.map((s) => declarationOf(s, ctx.scope));
  for (const d of declared) if (d?.kind === 'config') parameters.push(await declaration(decl, d));
  for (const d of declared) if (d !== undefined && d.kind !== 'config') parameters.push(await declaration(decl, d));
  for (const [i, s] of cls.body.entries()) {
    if (declared[i] !== undefined) continue;
    if (s.k === 'assign' && s.targets.length === 1 && s.targets[0]!.k === 'name') {
      const name = (s.targets[0] as Expr & { k: 'name' }).id;
      if (name.startsWith('_')) continue;
      let v: Value;
      try {
        v = await ctx.staticInterpreter.eval(s.value, ctx.scope);
      } catch {
        continue;
      }
      if (isPy(v) && v.kind !== 'function') constants.push([name, v]);
      else if (v instanceof Opaque) ctx.sink.report('OPAQUE_VALUE', s.value.pos, `the class constant ${name} = \`${s.value.text}\` is unknown: it is left out of the flow's constants. Pin it in flow.values.yaml as "${s.value.pos.line}:${s.value.pos.col}".`, { variable: name });
      continue;
    }
    if (s.k !== 'def') continue;
    const def = s.def;
    const isStep = def.decorators.some((d) => isStepDecorator(d, ctx.scope));
    if (!isStep) {
      helpers.push({
        name: def.name, body: [], decorators: await decorators(ctx, def.decorators, `the helper ${def.name}`), location: loc(ctx.file, def.pos),
        run: ((r) => (self: flow.FlowSelf, ...args: unknown[]) => r(self, null, args))(runner(ctx, def, null, def.body)),
      });
      continue;
    }
    const stepDeco = def.decorators.find((d) => isStepDecorator(d, ctx.scope))!;
    const annotation = async (name: string) => {
      const v = stepDeco.args === null ? undefined : (await kwargs(ctx, stepDeco)).keywords.get(name);
      return v !== undefined && isPy(v) && v.kind === 'bool' ? v.value : undefined;
    };
    const [start, end] = [await annotation('start'), await annotation('end')];
    const tail = tailNext(def.body.at(-1));
    const body = tail === undefined ? def.body : def.body.slice(0, -1);
    const run = runner(ctx, def, def.name, body);
    steps.push({
      name: def.name,
      body: [],
      ...(tail !== undefined ? { next: tail.next, nextLocation: loc(ctx.file, tail.pos) } : {}),
      join: def.params.length === 2,
      numArgs: def.params.filter((p) => p.star === '').length,
      ...(start !== undefined ? { start } : {}),
      ...(end !== undefined ? { end } : {}),
      decorators: await decorators(ctx, def.decorators, `step ${def.name}`),
      location: loc(ctx.file, def.pos),
      run: (self, inputs) => run(self, inputs, []),
    });
  }
  return {
    name: cls.name,
    decorators: await decorators(ctx, cls.decorators, `the flow ${cls.name}`),
    parameters,
    constants,
    helpers,
    steps,
    location: loc(ctx.file, cls.pos),
    stepsLocation: loc(ctx.file, cls.pos),
  };
}
