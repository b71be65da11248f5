// A generated scenario as plain data (`GenScenario`), and its two readings: the scenario YAML text (loaded by
// the real scenario loader) and the flow built directly in TypeScript. Everything a property checks goes
// through one of these and then the real pipeline: scenario -> flow runtime -> integration -> client -> backend.
import { Settings, flow, wandbLog, type WandbLogDecorator } from '../../../src/index.ts';
import { loadScenarioFile, formatDiagnostic } from '../../../harness/scenario/index.ts';
import { toRunnable, type RunnableScenario } from '../../../harness/runner/index.ts';
import { toPy, toYaml, type GenValue } from './values.ts';

export interface GenSettings {
  /** `!Settings` (a real object, shared by every decorator naming the same id) or a plain dict (ignored). */
  kind: 'settings' | 'dict';
  id: number;
  fields: { run_job_type?: string; run_group?: string };
}
export interface GenDecorator { datasets?: boolean; models?: boolean; others?: boolean; settings?: GenSettings }

export type GenOp =
  | { op: 'set'; name: string; value: GenValue; id: number }
  | { op: 'read'; name: string }
  | { op: 'local'; name: string; value: GenValue }
  | { op: 'call'; name: string }
  | { op: 'merge'; exclude: string[] };

export type GenNext =
  | string
  | string[]
  | { foreach: string; to: string }
  | { switch: string; cases: Record<string, string> };

export interface GenStep {
  name: string;
  body: GenOp[];
  next?: GenNext;
  join?: boolean;
  decorators: GenDecorator[];
  /** Not written to YAML: what every task of this step sees when it starts, or for a join after its merge (variable -> id of the set that wrote it). */
  before: Record<string, number>;
  /** Not written: whether the step runs at all (a switch's other cases do not). */
  runs: boolean;
}

export interface GenScenario {
  id: string;
  integration: 'current' | 'legacy';
  lineage: 'latest' | 'pinned';
  flowDecorators: GenDecorator[];
  parameters: [string, number][];
  constants: [string, GenValue][];
  helpers: { name: string; body: GenOp[] }[];
  steps: GenStep[];
}

export const FLOW_NAME = 'PropFlow';

// --- YAML ----------------------------------------------------------------------------------------------------

function decoratorYaml(d: GenDecorator, anchored: Set<number>): string {
  const parts: string[] = [];
  for (const k of ['datasets', 'models', 'others'] as const) if (d[k] !== undefined) parts.push(`${k}: ${d[k]}`);
  if (d.settings) {
    const fields = `{${Object.entries(d.settings.fields).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}}`;
    if (d.settings.kind === 'dict') parts.push(`settings: ${fields}`);
    else if (anchored.has(d.settings.id)) parts.push(`settings: *s${d.settings.id}`);
    else {
      anchored.add(d.settings.id);
      parts.push(`settings: &s${d.settings.id} !Settings ${fields}`);
    }
  }
  return `{ wandb_log: {${parts.join(', ')}} }`;
}

function opYaml(o: GenOp): string {
  switch (o.op) {
    case 'set': return `{ set: { ${o.name}: ${toYaml(o.value)} } }`;
    case 'read': return `{ read: ${o.name} }`;
    case 'local': return `{ local: { ${o.name}: ${toYaml(o.value)} } }`;
    case 'call': return `{ call: ${o.name} }`;
    case 'merge': return o.exclude.length > 0 ? `{ merge_artifacts: { exclude: [${o.exclude.join(', ')}] } }` : '{ merge_artifacts: {} }';
  }
}

function nextYaml(n: GenNext): string {
  if (typeof n === 'string') return n;
  if (Array.isArray(n)) return `[${n.join(', ')}]`;
  if ('foreach' in n) return `{ foreach: ${n.foreach}, to: ${n.to} }`;
  return `{ switch: ${n.switch}, cases: {${Object.entries(n.cases).map(([k, v]) => `${k}: ${v}`).join(', ')}} }`;
}

/** The scenario file a person would write for this data. */
export function toScenarioYaml(g: GenScenario, description?: string): string {
  const anchored = new Set<number>();
  const L: string[] = ['version: 1', `scenario: ${JSON.stringify(g.id)}`];
  if (description) L.push(`description: ${JSON.stringify(description)}`);
  L.push(`integration: ${g.integration}`, `lineage: ${g.lineage}`, 'wandb: { entity: e, project: p }', 'flow:', `  name: ${FLOW_NAME}`);
  if (g.flowDecorators.length > 0) L.push(`  decorators: [${g.flowDecorators.map((d) => decoratorYaml(d, anchored)).join(', ')}]`);
  if (g.parameters.length > 0) L.push(`  parameters: {${g.parameters.map(([k, v]) => `${k}: { default: ${v} }`).join(', ')}}`);
  if (g.constants.length > 0) L.push(`  constants: {${g.constants.map(([k, v]) => `${k}: ${toYaml(v)}`).join(', ')}}`);
  if (g.helpers.length > 0) {
    L.push('  helpers:');
    for (const h of g.helpers) L.push(`    ${h.name}: { body: [${h.body.map(opYaml).join(', ')}] }`);
  }
  L.push('  steps:');
  for (const s of g.steps) {
    L.push(`    ${s.name}:`);
    if (s.decorators.length > 0) L.push(`      decorators: [${s.decorators.map((d) => decoratorYaml(d, anchored)).join(', ')}]`);
    if (s.body.length > 0) {
      L.push('      body:');
      for (const o of s.body) L.push(`        - ${opYaml(o)}`);
    }
    if (s.next !== undefined) L.push(`      next: ${nextYaml(s.next)}`);
    if (s.join) L.push('      join: true');
    if (s.decorators.length === 0 && s.body.length === 0 && s.next === undefined && !s.join) L[L.length - 1] += ' {}';
  }
  L.push('run: { run_id: "1" }');
  return `${L.join('\n')}\n`;
}

/** YAML text -> the real loader -> a runnable scenario (a loader problem is an error with every diagnostic). */
export function loadYaml(text: string, file = '/virtual/property.yaml'): RunnableScenario {
  const r = loadScenarioFile(file, { text });
  if (r.diagnostics.length > 0 || r.scenarios.length !== 1) {
    throw new Error(`generated scenario does not load:\n${r.diagnostics.map(formatDiagnostic).join('\n')}\n---\n${text}`);
  }
  return toRunnable(r.scenarios[0]!);
}

export const viaYaml = (g: GenScenario): RunnableScenario => loadYaml(toScenarioYaml(g));

// --- the flow built directly ---------------------------------------------------------------------------------

async function runOp(o: GenOp, self: flow.FlowSelf, inputs: flow.Inputs | null): Promise<void> {
  switch (o.op) {
    case 'set': self.setattr(o.name, toPy(o.value)); return;
    case 'read':
      if (o.name === 'input') void self.input;
      else if (o.name === 'index') void self.index;
      else self.getattr(o.name);
      return;
    case 'local': void toPy(o.value); return;
    case 'call': await self.call(o.name); return;
    case 'merge': self.merge_artifacts(inputs!, o.exclude.length > 0 ? { exclude: o.exclude } : {}); return;
  }
}

const bodyOf = (ops: GenOp[]): flow.StepBody => async (self, inputs) => {
  for (const o of ops) await runOp(o, self, inputs);
};

export function direct(g: GenScenario): RunnableScenario {
  const settings = new Map<number, Settings>();
  const decos = (ds: GenDecorator[]): WandbLogDecorator[] => ds.map((d) => {
    let st: Settings | Record<string, unknown> | null = null;
    if (d.settings?.kind === 'dict') st = { ...d.settings.fields };
    else if (d.settings) {
      if (!settings.has(d.settings.id)) settings.set(d.settings.id, new Settings(d.settings.fields));
      st = settings.get(d.settings.id)!;
    }
    return wandbLog({ ...(d.datasets !== undefined ? { datasets: d.datasets } : {}), ...(d.models !== undefined ? { models: d.models } : {}), ...(d.others !== undefined ? { others: d.others } : {}), settings: st });
  });
  const definition: flow.FlowDefinition = {
    name: FLOW_NAME,
    decorators: decos(g.flowDecorators),
    parameters: g.parameters.map(([name, v]) => ({ name, default: v })),
    constants: Object.fromEntries(g.constants.map(([k, v]) => [k, toPy(v)])),
    helpers: Object.fromEntries(g.helpers.map((h) => [h.name, (self: flow.FlowSelf) => bodyOf(h.body)(self, null)])),
    steps: g.steps.map((s) => ({
      name: s.name, body: bodyOf(s.body), decorators: decos(s.decorators), join: Boolean(s.join),
      ...(s.next !== undefined ? { next: typeof s.next === 'string' || Array.isArray(s.next) ? s.next : 'foreach' in s.next ? s.next : { switch: s.next.switch, cases: s.next.cases } } : {}),
    })),
  };
  return {
    id: g.id, definition,
    runOptions: { runId: '1', parameters: {}, values: flow.pyValueProtocol },
    helperDecorators: Object.fromEntries(g.helpers.map((h) => [h.name, []])),
    integration: g.integration, lineage: g.lineage,
    wandb: { entity: 'e', project: 'p', mode: 'online' },
  };
}
