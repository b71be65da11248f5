/**
 * The value file (`--values flow.values.yaml`, or `flow.values.yaml` beside the flow): what the plan cannot
 * know, pinned by the user with the scenario format's value tags.
 *
 *   start.raw_df: !DataFrame { columns: [a, b], rows: [[1, 2], [3, 4]] }   # step.variable (self.x or a local)
 *   "31:17": !nn.Module { class: Net }                                     # line:col of the expression
 *   env: { WANDB_PROJECT: p }                                              # the environment (as --env)
 */
import { existsSync, readFileSync } from 'node:fs';
import { isMap, isPair, isScalar, parseYamlFile } from '../scenario/yaml-source.ts';
import { KNOWN_TAGS, ValueBuilder } from '../scenario/tags.ts';
import { flow } from '../../src/index.ts';
import type { Pos } from './ast.ts';
import type { DiagnosticSink } from './diagnostics.ts';
import type { PyValue } from './interp-values.ts';

export class Pins {
  constructor(
    private readonly byPos: ReadonlyMap<string, PyValue> = new Map(),
    private readonly byName: ReadonlyMap<string, PyValue> = new Map(),
    readonly env: Readonly<Record<string, string>> = {},
  ) {}
  /** A fresh copy each time: each task builds its own value, as Python would. */
  at(pos: Pick<Pos, 'line' | 'col'>): PyValue | undefined {
    const v = this.byPos.get(`${pos.line}:${pos.col}`);
    return v === undefined ? undefined : flow.pyClone(v);
  }
  named(step: string, variable: string): PyValue | undefined {
    const v = this.byName.get(`${step}.${variable}`);
    return v === undefined ? undefined : flow.pyClone(v);
  }
  get size(): number {
    return this.byPos.size + this.byName.size;
  }
}

/** `flow.values.yaml` beside `flow.py`. */
export const defaultValuesFile = (flowFile: string): string => flowFile.replace(/\.py$/, '.values.yaml');

export function loadValuesFile(file: string | undefined, flowFile: string, sink: DiagnosticSink): Pins {
  const path = file ?? defaultValuesFile(flowFile);
  if (file === undefined && !existsSync(path)) return new Pins();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    sink.report('VALUES_FILE', { line: 1, col: 1 }, `cannot read the value file ${path}: ${(err as Error).message}`, { severity: 'error' });
    return new Pins();
  }
  const parsed = parseYamlFile(path, text, KNOWN_TAGS, (t) => `unknown tag ${t}`);
  const problems: { line: number; col: number; message: string }[] = [];
  const say = (line: number, col: number, message: string) => problems.push({ line, col, message });
  for (const d of parsed.diagnostics) say(d.line, d.col, d.message);
  const byPos = new Map<string, PyValue>();
  const byName = new Map<string, PyValue>();
  const env: Record<string, string> = {};
  for (const src of parsed.documents.slice(0, 1)) {
    const root = src.doc.contents;
    if (root === null || root === undefined) continue;
    if (!isMap(root)) {
      const p = src.at(root as never);
      say(p.line, p.col, 'the value file is a map of `step.variable` or `line:col` to a value');
      continue;
    }
    const diags: import('../scenario/errors.ts').Diagnostic[] = [];
    const build = new ValueBuilder(src, diags);
    for (const item of root.items) {
      if (!isPair(item) || !isScalar(item.key)) continue;
      const key = String(item.key.value);
      const p = src.at(item.key as never);
      if (key === 'env') {
        const data = build.plain(item.value);
        if (data !== null && typeof data === 'object') for (const [k, v] of Object.entries(data)) env[k] = String(v);
        continue;
      }
      const value = build.value(item.value);
      if (/^\d+:\d+$/.test(key)) byPos.set(key, value);
      else if (/^[A-Za-z_]\w*\.[A-Za-z_]\w*$/.test(key)) byName.set(key, value);
      else say(p.line, p.col, `"${key}" is neither step.variable nor line:col`);
    }
    for (const d of diags) say(d.line, d.col, d.message);
  }
  for (const pr of problems) sink.report('VALUES_FILE', { line: 1, col: 1 }, `${path}:${pr.line}:${pr.col}: ${pr.message}`, { severity: 'error' });
  return new Pins(byPos, byName, env);
}
