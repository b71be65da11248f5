/**
 * `tracked-flows import flow.py`: the equivalent scenario YAML. The flow is planned (never executed) with the
 * W&B integration left out, and the first task of each step (and the first call of each helper) is traced:
 * every `self.x` read and write, helper call, merge, join read, `del` and uncaught exception becomes the
 * scenario operation that does the same through the runtime. Each `set` value is the value the plan computed,
 * with a comment naming the line it came from; an unknown value says so and how to pin it.
 */
import { flow, values } from '../../src/index.ts';
import { compileScenario, recogniseJoins } from '../scenario/index.ts';
import type { DecoratorSpec, Scenario } from '../scenario/model.ts';
import { isSettingsSpec } from '../scenario/tags.ts';
import type { PythonDiagnostic } from './diagnostics.ts';
import type { Recorder } from './flow.ts';
import { loadFlowFile, type FlowFileOptions } from './index.ts';
import type { TraceEvent } from './interpreter.ts';
import { yamlValue } from './import-values.ts';

const key = (s: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? s : JSON.stringify(s));
const str = (s: string) => JSON.stringify(s);

function decorator(d: DecoratorSpec): string {
  if (d.kind === 'retry') return `{ retry: { times: ${d.times} } }`;
  if (d.kind === 'catch') return d.var === null ? '{ catch: {} }' : `{ catch: { var: ${d.var} } }`;
  const parts: string[] = [];
  if (d.datasets !== undefined) parts.push(`datasets: ${d.datasets}`);
  if (d.models !== undefined) parts.push(`models: ${d.models}`);
  if (d.others !== undefined) parts.push(`others: ${d.others}`);
  if (d.settings !== null) {
    const fields = isSettingsSpec(d.settings) ? d.settings.fields : d.settings;
    const body = Object.entries(fields).map(([k, v]) => `${key(k)}: ${v === null ? 'null' : str(String(v))}`).join(', ');
    parts.push(`settings: ${isSettingsSpec(d.settings) ? '!Settings ' : ''}{${body}}`);
  }
  return `{ wandb_log: {${parts.length > 0 ? ` ${parts.join(', ')} ` : ''}} }`;
}

const decorators = (ds: readonly DecoratorSpec[]) => `[${ds.map(decorator).join(', ')}]`;

/** The operations of one traced method; `step` is null for a helper (a value-file pin then needs line:col). */
function operations(file: string, events: readonly TraceEvent[], indent: string, step: string | null): string[] {
  const out: string[] = [];
  const seenInputs = new Set<string>();
  let last = '';
  for (const e of events) {
    let line: string;
    switch (e.op) {
      case 'set': {
        const v = values.isPyValue(e.value) ? yamlValue(e.value) : null;
        if (e.unknown !== null) line = `- set: { ${key(e.name)}: ${v ?? 'null'} }   # ${file}:${e.line}: UNKNOWN: ${e.unknown.replace(/\s+/g, ' ')}: logged as unknown. Pin it in flow.values.yaml (${step !== null ? `${step}.${e.name}` : `"${e.line}:${e.col}"`})`;
        else if (v === null) line = `- set: { ${key(e.name)}: null }   # ${file}:${e.line}: a ${flow.pyTypeName(e.value)} no value tag expresses: written as null`;
        else line = `- set: { ${key(e.name)}: ${v} }   # ${file}:${e.line}: inferred`;
        break;
      }
      case 'read': line = `- read: ${key(e.name)}`; break;
      case 'mutate': line = `- mutate: ${key(e.name)}   # ${file}:${e.line}: changed in place (mutate: changes it its own way, see docs/reference/scenario-format.md)`; break;
      case 'del': line = `- del: ${key(e.name)}`; break;
      case 'call': line = `- call: ${key(e.name)}`; break;
      case 'read_inputs':
        if (seenInputs.has(e.name)) continue;
        seenInputs.add(e.name);
        line = `- read_inputs: ${key(e.name)}`;
        break;
      case 'merge_artifacts': {
        const list = (xs: readonly string[]) => `[${xs.map(key).join(', ')}]`;
        line = `- merge_artifacts: {${e.include ? ` include: ${list(e.include)} ` : e.exclude ? ` exclude: ${list(e.exclude)} ` : ''}}`;
        break;
      }
      case 'raise': line = `- raise: { type: ${e.type}, message: ${str(e.message)} }   # ${file}: uncaught in the plan`; break;
    }
    if (line === last && e.op === 'read') continue;
    last = line;
    out.push(indent + line);
  }
  return out;
}

function next(n: flow.NextSpec): string {
  if (typeof n === 'string') return n;
  if (Array.isArray(n)) return `[${(n as string[]).join(', ')}]`;
  const o = n as Exclude<flow.NextSpec, string | readonly string[]>;
  if ('foreach' in o) return `{ foreach: ${key(o.foreach)}, to: ${typeof o.to === 'string' ? o.to : `[${o.to.join(', ')}]`} }`;
  if ('cases' in o) {
    const cases = Array.isArray(o.cases) ? (o.cases as flow.SwitchCase[]) : Object.entries(o.cases).map(([k, to]) => ({ key: k, to }));
    return `{ switch: ${o.switch ?? 'null'}, cases: {${cases.map((c) => `${typeof c.key === 'string' ? str(c.key) : c.key}: ${c.to}`).join(', ')}} }`;
  }
  return 'null';
}

function print(s: Scenario, traces: ReadonlyMap<string, TraceEvent[]>, planned: boolean): string {
  const file = s.file.split('/').pop()!;
  const out = [
    `# Imported from ${file} by tracked-flows import: planned, never executed. Each set value is what the plan`,
    '# computed for the first task of its step; comments name the line it came from and every unknown value.',
    'version: 1',
    `scenario: ${s.id}`,
    `description: Imported from ${str(file).slice(1, -1)}.`,
  ];
  if (s.integration !== 'current') out.push(`integration: ${s.integration}`);
  if (s.lineage !== 'latest') out.push(`lineage: ${s.lineage}`);
  out.push(`wandb: { entity: ${str(s.wandb.entity)}, project: ${str(s.wandb.project)}${s.wandb.mode !== 'online' ? `, mode: ${s.wandb.mode}` : ''} }`);
  const env = Object.entries(s.env).filter(([k]) => !k.startsWith('WANDB_ENTITY') && k !== 'WANDB_PROJECT' && k !== 'WANDB_MODE');
  if (env.length > 0) out.push(`env: {${env.map(([k, v]) => `${key(k)}: ${str(v)}`).join(', ')}}`);
  const f = s.flow;
  out.push('flow:', `  name: ${f.name}`);
  if (f.decorators.length > 0) out.push(`  decorators: ${decorators(f.decorators)}`);
  if (f.parameters.length > 0) {
    out.push('  parameters:');
    for (const p of f.parameters) {
      const parts: string[] = [];
      if (p.default !== undefined) parts.push(`default: ${typeof p.default === 'string' ? str(p.default) : p.type === 'float' && Number.isInteger(p.default) ? `${p.default}.0` : String(p.default)}`);
      if (p.type !== undefined) parts.push(`type: ${p.type}`);
      if (p.required !== undefined) parts.push(`required: ${p.required}`);
      if (p.help !== undefined) parts.push(`help: ${str(p.help)}`);
      out.push(`    ${key(p.name)}: { ${parts.join(', ')} }   # ${file}:${p.location.line}`);
    }
  }
  if (f.constants.length > 0) {
    out.push('  constants:');
    for (const [k, v] of f.constants) out.push(`    ${key(k)}: ${yamlValue(v) ?? 'null'}   # inferred`);
  }
  if (f.helpers.length > 0) {
    out.push('  helpers:');
    for (const h of f.helpers) {
      const ops = operations(file, traces.get(`helper:${h.name}`) ?? [], '        ', null);
      out.push(`    ${key(h.name)}:${traces.has(`helper:${h.name}`) ? '' : '   # never called in the plan: its operations are unknown'}`);
      if (h.decorators.length > 0) out.push(`      decorators: ${decorators(h.decorators)}`);
      out.push(ops.length > 0 ? '      body:' : '      body: []', ...ops);
    }
  }
  const recognised = recogniseJoins(f.steps.map((st) => ({ name: st.name, ...(st.next !== undefined ? { next: st.next } : {}) })));
  out.push('  steps:');
  for (const st of f.steps) {
    const ops = operations(file, traces.get(st.name) ?? [], '        ', st.name);
    const unreached = !traces.has(st.name) && planned;
    const head = out.push(`    ${key(st.name)}:`) - 1;
    if (st.decorators.length > 0) out.push(`      decorators: ${decorators(st.decorators)}`);
    if (st.start || st.end) out.push(`      # ${file}:${st.location.line}: @step(${st.start ? 'start' : 'end'}=True), which a scenario cannot say: name the step ${st.start ? 'start' : 'end'}`);
    if (st.numArgs !== undefined && st.numArgs !== 1 && st.numArgs !== 2) out.push(`      # ${file}:${st.location.line}: takes ${st.numArgs} arguments, which a scenario cannot say (lint reports it)`);
    if (st.join !== recognised.has(st.name)) out.push(`      join: ${st.join}`);
    if (ops.length > 0) out.push('      body:', ...ops);
    if (st.next !== undefined) {
      if (typeof st.next === 'object' && 'invalid' in st.next) out.push(`      # ${file}:${st.nextLocation?.line}: self.next(...) of a form Metaflow's static analysis rejects: ${st.next.invalid.replace(/\s+/g, " ")}`);
      else out.push(`      next: ${next(st.next)}`);
    }
    if (ops.length === 0 && st.next === undefined && st.decorators.length === 0 && st.join === recognised.has(st.name)) out[out.length - 1] += ' {}';
    // The comment goes after whatever ends the step's first line, never before its `{}` (YAML would read null).
    if (unreached) out[head] += '   # not reached in the plan: its operations are unknown';
  }
  const run = [
    ...(s.run.runId !== undefined ? [`run_id: ${str(s.run.runId)}`] : []),
    ...(Object.keys(s.run.parameters).length > 0 ? [`parameters: {${Object.entries(s.run.parameters).map(([k, v]) => `${key(k)}: ${str(String(v))}`).join(', ')}}`] : []),
  ];
  if (run.length > 0) out.push(`run: { ${run.join(', ')} }`);
  return `${out.join('\n')}\n`;
}

export async function importFlowFile(path: string, options: FlowFileOptions = {}): Promise<{ yaml: string | null; diagnostics: PythonDiagnostic[] }> {
  const traces = new Map<string, TraceEvent[]>();
  const recorder: Recorder = {
    begin(method) {
      if (traces.has(method)) return undefined;
      const events: TraceEvent[] = [];
      traces.set(method, events);
      return (e) => events.push(e);
    },
  };
  const loaded = await loadFlowFile(path, { ...options, recorder });
  if (loaded.scenario === null) return { yaml: null, diagnostics: loaded.diagnostics };
  const lintOk = !loaded.diagnostics.some((d) => d.code === 'lint' || d.code === 'SYNTAX_ERROR');
  if (lintOk) {
    const { definition, runOptions } = compileScenario(loaded.scenario);
    // The runner's clock, so a body reading current.run_id sees the id the plan uses.
    await flow.runFlow(definition, { ...runOptions, clock: () => 1_700_000_000_000 }).catch(() => undefined);
  }
  return { yaml: print(loaded.scenario, traces, lintOk), diagnostics: loaded.sink.all() };
}
