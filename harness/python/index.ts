/**
 * A Metaflow `flow.py`, read as a scenario: parsed with @lezer/python, never executed.
 *
 * API (used by harness/cli and the tests):
 * - `loadFlowFile(path, options) -> { scenario, diagnostics, sink }`: `scenario` is the loaded-scenario model
 *   of harness/scenario (model.ts) — steps carry `run` bodies (the abstract interpreter, running inside each
 *   task through the runtime's `self`) — so `toRunnable(scenario)` / `runScenario` plan and run it exactly as a
 *   YAML scenario. `diagnostics` are those found while loading (syntax, flow, decorators, lint), each at
 *   `file:line:col`; `sink` collects the ones found while running (OPAQUE_VALUE, UNKNOWN_CONDITION, ...).
 * - `planFlowFile(path, options) -> { result, diagnostics }`: load + run against a fresh embedded backend;
 *   `result` is the runner's ScenarioResult with the front end's warnings/errors appended to its diagnostics
 *   (as `{code, severity, step, variable, message: "file:line:col: ..."}`).
 * The scenario id is the file name without `.py` (the W&B run ids are seeded from it): name a `.py` twin of a
 * YAML scenario after that scenario's id to get the same ids. Options mirror the scenario keys: `flow`
 * (which FlowSpec subclass), `integration`, `lineage`, `runId`, `parameters`, `env` (WANDB_ENTITY,
 * WANDB_PROJECT, WANDB_MODE set `wandb:`; the rest is os.environ), `valuesFile` (default: flow.values.yaml
 * beside the flow).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { flow } from '../../src/index.ts';
import { runScenario, toRunnable, type Diagnostic as RunDiagnostic, type ScenarioResult } from '../runner/index.ts';
import { compileScenario } from '../scenario/compile.ts';
import { WANDB_DEFAULTS, type Scenario } from '../scenario/model.ts';
import type { ClassDef, Module } from './ast.ts';
import { DiagnosticSink, formatPythonDiagnostic, type PythonDiagnostic } from './diagnostics.ts';
import { readFlowClass, type FlowContext, type Recorder } from './flow.ts';
import type { ConfigSources } from './declarations.ts';
import { Interpreter } from './interpreter.ts';
import { Opaque, Scope } from './interp-values.ts';
import { buildModuleScope, mainFlowName, qualifiedName } from './module.ts';
import { parsePython } from './parse.ts';
import { loadValuesFile } from './values-file.ts';

export interface FlowFileOptions {
  readonly text?: string;
  readonly flow?: string;
  readonly id?: string;
  readonly integration?: 'current' | 'legacy';
  readonly lineage?: 'latest' | 'pinned';
  readonly runId?: string;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly valuesFile?: string;
  /** For the importer: receives the trace of each step's first task. */
  readonly recorder?: Recorder;
  /** Config values as `--config NAME FILE` and `--config-value NAME JSON` give them. */
  readonly configs?: ConfigSources;
}

export interface LoadedFlowFile {
  /** Null when the file has no flow to plan (see diagnostics). */
  readonly scenario: Scenario | null;
  readonly diagnostics: PythonDiagnostic[];
  readonly sink: DiagnosticSink;
}

export { isFlowFile } from './cli-options.ts';

function flowClasses(mod: Module, scope: Scope): ClassDef[] {
  const byName = new Map<string, ClassDef>();
  for (const s of mod.body) if (s.k === 'class') byName.set(s.def.name, s.def);
  const isFlow = (c: ClassDef, depth = 0): boolean =>
    depth < 20 && c.bases.some((b) => {
      const q = qualifiedName(b.value, scope);
      if (q === 'metaflow.FlowSpec' || q === 'FlowSpec') return true;
      const parent = b.value.k === 'name' ? byName.get(b.value.id) : undefined;
      return parent !== undefined && isFlow(parent, depth + 1);
    });
  return [...byName.values()].filter((c) => isFlow(c));
}

export async function loadFlowFile(path: string, options: FlowFileOptions = {}): Promise<LoadedFlowFile> {
  const sink = new DiagnosticSink(path);
  let text = options.text;
  if (text === undefined) {
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      sink.report('IO', { line: 1, col: 1 }, `cannot read the file: ${(err as Error).message}`, { severity: 'error' });
      return { scenario: null, diagnostics: sink.all(), sink };
    }
  }
  const mod = parsePython(path, text);
  for (const p of mod.syntaxErrors) sink.report('SYNTAX_ERROR', p, `invalid syntax: \`${text.slice(p.from, Math.max(p.to, p.from + 1)).split('\n')[0]}\``, { severity: 'error' });
  const pins = loadValuesFile(options.valuesFile, path, sink);
  const env = { ...pins.env, ...options.env };
  const staticInterpreter = new Interpreter({ file: path, step: null, sink, pins, env, self: null, module: new Scope(null) });
  // Imports first (FlowSpec subclasses are found through them), then the rest of the module.
  const candidates0 = mod.body.filter((s) => s.k === 'import');
  for (const s of candidates0) await staticInterpreter.stmt(s, staticInterpreter.ctx.module);
  const classes = flowClasses(mod, staticInterpreter.ctx.module);
  const names = new Set(classes.map((c) => c.name));
  await buildModuleScope(staticInterpreter, mod, names);
  const wanted = options.flow ?? mainFlowName(mod) ?? (classes.length === 1 ? classes[0]!.name : undefined);
  const cls = classes.find((c) => c.name === wanted);
  if (cls === undefined) {
    const message = classes.length === 0
      ? 'no FlowSpec subclass in this file: nothing to plan. Define `class MyFlow(FlowSpec)` (from metaflow import FlowSpec).'
      : wanted === undefined
        ? `${classes.length} FlowSpec subclasses (${classes.map((c) => c.name).join(', ')}) and no \`if __name__ == "__main__":\` block names one: pick one with --flow NAME.`
        : `no FlowSpec subclass named ${wanted} (found: ${classes.map((c) => c.name).join(', ') || 'none'}): pick one with --flow NAME.`;
    sink.report('NO_FLOW', { line: 1, col: 1 }, message, { severity: 'error' });
    return { scenario: null, diagnostics: sink.all(), sink };
  }
  const ctx: FlowContext = {
    file: path, module: mod, sink, pins, env, flowClasses: names, scope: staticInterpreter.ctx.module, staticInterpreter, configSources: options.configs ?? {}, includes: new Map(), unknownBases: [],
    ...(options.recorder ? { recorder: options.recorder } : {}),
  };
  // A base class from a module the plan cannot see (`class F(FlowSpec, ModelOperations)`) may give `self` anything.
  for (const b of cls.bases) {
    const v = b.name === null ? await staticInterpreter.eval(b.value, staticInterpreter.ctx.module).catch(() => undefined) : undefined;
    if (v instanceof Opaque) ctx.unknownBases.push(b.value.text);
  }
  const flowSpec = await readFlowClass(ctx, cls);
  const id = options.id ?? basename(path).replace(/\.py$/, '');
  const scenario: Scenario = {
    id, snapshotKey: id, baseId: id, file: path, location: flowSpec.location,
    integration: options.integration ?? 'current',
    lineage: options.lineage ?? 'latest',
    wandb: {
      entity: env['WANDB_ENTITY'] ?? WANDB_DEFAULTS.entity,
      project: env['WANDB_PROJECT'] ?? WANDB_DEFAULTS.project,
      mode: (['online', 'offline', 'disabled'] as const).find((m) => m === env['WANDB_MODE']) ?? WANDB_DEFAULTS.mode,
    },
    flow: flowSpec,
    // A path given for an IncludeFile (--param csv=data.csv) stands for that file's text, which the plan does not read.
    run: { ...(options.runId !== undefined ? { runId: options.runId } : {}), parameters: Object.fromEntries(Object.entries(options.parameters ?? {}).map(([k, v]) => [k, ctx.includes.get(k) ?? v])) },
    faults: [],
    env: { ...env },
  };
  const { problems } = flow.lintFlow(compileScenario(scenario).definition);
  for (const p of problems) {
    const where = p.location ?? flowSpec.location;
    sink.report('lint', { line: where.line, col: where.col ?? 1 }, flow.stripMarkers(p.message), { severity: 'error' });
  }
  sinks.set(scenario, sink);
  return { scenario, diagnostics: sink.all(), sink };
}

/** A front-end diagnostic in the plan's shape (DESIGN §4.4), its message led by `file:line:col`. */
export const asPlanDiagnostic = (d: PythonDiagnostic): RunDiagnostic => ({
  code: d.code === 'lint' ? 'LINT' : d.code, severity: d.severity, step: d.step, variable: d.variable, message: formatPythonDiagnostic(d),
});

const sinks = new WeakMap<Scenario, DiagnosticSink>();

/**
 * What the front end found while a flow.py scenario ran (OPAQUE_VALUE, ...), in the plan's shape: the runner
 * knows nothing of Python, so `plan` and `run` add these to its result (a snapshot then equals `plan --json`).
 */
export function frontEndDiagnostics(s: Scenario): RunDiagnostic[] {
  return (sinks.get(s)?.all() ?? []).filter((d) => d.severity !== 'info').map(asPlanDiagnostic);
}

export async function planFlowFile(path: string, options: FlowFileOptions = {}): Promise<{ result: ScenarioResult | null; diagnostics: PythonDiagnostic[] }> {
  const loaded = await loadFlowFile(path, options);
  if (loaded.scenario === null || loaded.diagnostics.some((d) => d.severity === 'error')) return { result: null, diagnostics: loaded.diagnostics };
  const result = await runScenario(toRunnable(loaded.scenario), { transport: 'direct' });
  // Info (an ignored decorator) is for `validate`; the plan carries what changes or doubts the log.
  result.diagnostics.push(...frontEndDiagnostics(loaded.scenario));
  return { result, diagnostics: loaded.sink.all() };
}

export { formatPythonDiagnostic, type PythonDiagnostic };
