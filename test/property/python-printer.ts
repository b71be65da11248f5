// A generated scenario (`GenScenario`) printed as the Metaflow flow.py a person would write for it: the flow
// class with its @wandb_log decorations, Parameters and constants as class attributes, helper methods, and one
// method per step whose body is the scenario's operations as Python statements — `self.x = <literal>` for
// `set`, `print(self.x)` for `read`, a local assignment for `local`, `self.helper()` for `call`,
// `self.merge_artifacts(inputs, exclude=[...])` for a merge, and `self.next(...)` in all its forms. Shared
// Settings objects (one YAML anchor) are one module-level `wandb.Settings(...)` named by every decorator using it.
import type { GenDecorator, GenNext, GenOp, GenScenario, GenValue } from './arbitraries/index.ts';
import { FLOW_NAME } from './arbitraries/index.ts';

const str = (s: string): string => JSON.stringify(s);
const seq = (xs: string[]): string => xs.join(', ');

/** A Python expression that builds the value (literal data only: nothing is read from disk). */
export function pyExpr(v: GenValue): string {
  switch (v.t) {
    case 'int': return String(v.v);
    case 'float': return Number.isInteger(v.v) ? `${v.v}.0` : String(v.v);
    case 'str': return str(v.v);
    case 'bool': return v.v ? 'True' : 'False';
    case 'none': return 'None';
    case 'list': return `[${seq(v.items.map(pyExpr))}]`;
    case 'dict': return `{${seq(v.entries.map(([k, x]) => `${str(k)}: ${pyExpr(x)}`))}}`;
    case 'tuple': return v.items.length === 1 ? `(${pyExpr(v.items[0]!)},)` : `(${seq(v.items.map(pyExpr))})`;
    case 'set': return v.items.length === 0 ? 'set()' : `{${seq(v.items.map(String))}}`;
    case 'frozenset': return `frozenset({${seq(v.items.map(String))}})`;
    case 'np': return `np.${v.dtype}(${v.dtype === 'bool_' ? (v.v ? 'True' : 'False') : v.dtype.startsWith('float') ? pyExpr({ t: 'float', v: v.v as number }) : String(v.v)})`;
    case 'ndarray': return `np.array([${seq(v.items.map(String))}])`;
    case 'Series': return `pd.Series([${seq(v.items.map(String))}])`;
    case 'PurePath': return `PurePath(${str(v.path)})`;
    case 'object': return `${v.cls}()`;
    case 'DataFrame': return `pd.DataFrame({${seq(v.columns.map((c, i) => `${str(c)}: [${seq(v.rows.map((r) => String(r[i])))}]`))}})`;
    case 'sklearn': return `${v.cls}(${seq(v.params.map(([k, x]) => `${k}=${x}`))})`;
    case 'module': return `${v.cls}()`;
    default: throw new Error(`python-printer: no Python spelling for a generated ${v.t} (extend pyExpr)`);
  }
}

/** Python base-class spellings of the user-class bases the printer supports (see `printable`). */
const BASES: Record<string, string> = { 'nn.Module': 'nn.Module', BaseEstimator: 'BaseEstimator' };

/**
 * The same value where the printer can spell it in Python from literal data alone, else a stand-in of the same
 * classification row: a Path needs a file system (a `!Path` the flow does not create is unknowable, so it
 * is never generated here), bytes and a local function become a tuple, a user class keeps only the bases a
 * flow.py defines with a plain `class X(<base>): pass` (nn.Module, BaseEstimator) and is picklable.
 */
export function printable(v: GenValue): GenValue {
  switch (v.t) {
    case 'list': return { ...v, items: v.items.map(printable) };
    case 'tuple': return { ...v, items: v.items.map(printable) };
    case 'dict': return { ...v, entries: v.entries.map(([k, x]) => [k, printable(x)]) };
    case 'Path': case 'PathMissing': case 'bytes': case 'function': return { t: 'tuple', items: [{ t: 'int', v: 1 }] };
    case 'object': return { ...v, bases: v.bases.filter((b) => b in BASES).slice(0, 1), picklable: true };
    default: return v;
  }
}

/** A scenario whose every value is `printable`. */
export function printableScenario(g: GenScenario): GenScenario {
  const op = (o: GenOp): GenOp => (o.op === 'set' || o.op === 'local' ? { ...o, value: printable(o.value) } : o);
  return { ...g, steps: g.steps.map((s) => ({ ...s, body: s.body.map(op) })), helpers: g.helpers.map((h) => ({ ...h, body: h.body.map(op) })) };
}

/** Names of the shared Settings objects: `SETTINGS_<id>`. */
const settingsName = (id: number): string => `SETTINGS_${id}`;

function settingsArgs(fields: Record<string, string>): string {
  return seq(Object.entries(fields).map(([k, v]) => `${k}=${str(v)}`));
}

function decorator(d: GenDecorator): string {
  const args: string[] = [];
  for (const k of ['datasets', 'models', 'others'] as const) if (d[k] !== undefined) args.push(`${k}=${d[k] ? 'True' : 'False'}`);
  if (d.settings?.kind === 'dict') args.push(`settings={${seq(Object.entries(d.settings.fields).map(([k, v]) => `${str(k)}: ${str(v)}`))}}`);
  else if (d.settings) args.push(`settings=${settingsName(d.settings.id)}`);
  // No argument at all: the bare form, as the system-test flows write it.
  return args.length === 0 ? '@wandb_log' : `@wandb_log(${seq(args)})`;
}

function statement(o: GenOp): string {
  switch (o.op) {
    case 'set': return `self.${o.name} = ${pyExpr(o.value)}`;
    case 'read': return `print(self.${o.name})`;
    case 'local': return `${o.name} = ${pyExpr(o.value)}`;
    case 'call': return `self.${o.name}()`;
    case 'merge': return o.exclude.length > 0 ? `self.merge_artifacts(inputs, exclude=[${seq(o.exclude.map(str))}])` : 'self.merge_artifacts(inputs)';
  }
}

function next(n: GenNext): string {
  if (typeof n === 'string') return `self.next(self.${n})`;
  if (Array.isArray(n)) return `self.next(${seq(n.map((s) => `self.${s}`))})`;
  if ('foreach' in n) return `self.next(self.${n.to}, foreach=${str(n.foreach)})`;
  return `self.next({${seq(Object.entries(n.cases).map(([k, s]) => `${str(k)}: self.${s}`))}}, condition=${str(n.switch)})`;
}

/** What the module must import for the values a scenario holds. */
function imports(g: GenScenario): string[] {
  const values: GenValue[] = [];
  const walk = (v: GenValue): void => {
    values.push(v);
    if (v.t === 'list' || v.t === 'tuple') v.items.forEach(walk);
    if (v.t === 'dict') v.entries.forEach(([, x]) => walk(x));
  };
  for (const [, v] of g.constants) walk(v);
  for (const s of [...g.steps, ...g.helpers]) for (const o of s.body) if (o.op === 'set' || o.op === 'local') walk(o.value);
  const has = (t: GenValue['t']) => values.some((v) => v.t === t);
  const sklearn = [...new Set(values.flatMap((v) => (v.t === 'sklearn' ? [v.cls] : [])))].sort();
  const SKLEARN_MODULE: Record<string, string> = { RandomForestClassifier: 'sklearn.ensemble', LogisticRegression: 'sklearn.linear_model', Pipeline: 'sklearn.pipeline' };
  const objects = values.filter((v): v is GenValue & { t: 'object' } => v.t === 'object');
  const lines: string[] = [];
  if (has('PurePath')) lines.push('from pathlib import PurePath');
  if (has('ndarray') || has('np')) lines.push('import numpy as np');
  if (has('DataFrame') || has('Series')) lines.push('import pandas as pd');
  if (has('module') || objects.some((o) => o.bases.includes('nn.Module'))) lines.push('import torch.nn as nn');
  if (objects.some((o) => o.bases.includes('BaseEstimator'))) lines.push('from sklearn.base import BaseEstimator');
  lines.push('import wandb', `from metaflow import FlowSpec, Parameter, step`);
  for (const c of sklearn) lines.push(`from ${SKLEARN_MODULE[c] ?? 'sklearn.ensemble'} import ${c}`);
  lines.push('from wandb.integration.metaflow import wandb_log');
  return lines;
}

/** The whole flow.py. */
export function toPython(g: GenScenario): string {
  const L: string[] = [`# Generated from a property scenario (${g.id}): integration ${g.integration}, lineage ${g.lineage}.`, ...imports(g)];
  const modules = new Set<string>();
  const userClasses = new Map<string, string[]>();
  const collect = (v: GenValue): void => {
    if (v.t === 'module') modules.add(v.cls);
    if (v.t === 'object') userClasses.set(v.cls, v.bases);
    if (v.t === 'list' || v.t === 'tuple') v.items.forEach(collect);
    if (v.t === 'dict') v.entries.forEach(([, x]) => collect(x));
  };
  for (const s of g.steps) for (const o of s.body) if (o.op === 'set' || o.op === 'local') collect(o.value);
  for (const [, v] of g.constants) collect(v);
  for (const cls of [...modules].sort()) L.push('', '', `class ${cls}(nn.Module):`, '    def forward(self, x):', '        return x');
  for (const [cls, bases] of [...userClasses].sort(([a], [b]) => (a < b ? -1 : 1))) {
    L.push('', '', `class ${cls}${bases.length > 0 ? `(${seq(bases.map((b) => BASES[b]!))})` : ''}:`, '    pass');
  }
  const shared = new Map<number, Record<string, string>>();
  for (const d of [...g.flowDecorators, ...g.steps.flatMap((s) => s.decorators)]) {
    if (d.settings?.kind === 'settings' && !shared.has(d.settings.id)) shared.set(d.settings.id, d.settings.fields as Record<string, string>);
  }
  if (shared.size > 0) L.push('');
  for (const [id, fields] of shared) L.push(`${settingsName(id)} = wandb.Settings(${settingsArgs(fields)})`);
  L.push('', '');
  for (const d of g.flowDecorators) L.push(decorator(d));
  L.push(`class ${FLOW_NAME}(FlowSpec):`);
  for (const [name, v] of g.parameters) L.push(`    ${name} = Parameter(${str(name)}, default=${v})`);
  for (const [name, v] of g.constants) L.push(`    ${name} = ${pyExpr(v)}`);
  for (const h of g.helpers) {
    L.push('', `    def ${h.name}(self):`);
    for (const o of h.body) L.push(`        ${statement(o)}`);
    if (h.body.length === 0) L.push('        pass');
  }
  for (const s of g.steps) {
    L.push('');
    for (const d of s.decorators) L.push(`    ${decorator(d)}`);
    L.push('    @step', `    def ${s.name}(self${s.join ? ', inputs' : ''}):`);
    const body = [...s.body.map(statement), ...(s.next !== undefined ? [next(s.next)] : [])];
    for (const line of body.length > 0 ? body : ['pass']) L.push(`        ${line}`);
  }
  L.push('', '', 'if __name__ == "__main__":', `    ${FLOW_NAME}()`, '');
  return L.join('\n');
}

/** The run options of the scenario as `plan flow.py` flags (DESIGN §4.4; the W&B project from the environment). */
export function planFlags(g: GenScenario): string[] {
  return ['--integration', g.integration, '--lineage', g.lineage, '--run-id', '1', '--env', 'WANDB_ENTITY=e', '--env', 'WANDB_PROJECT=p'];
}
