/**
 * Scenario files -> scenarios + every problem found, at once: YAML syntax, unknown tags, the JSON Schema
 * (unknown keys with the intended one, wrong types, ...), tag contents, duplicate ids, helpers that do not
 * exist, matrix targets, and finally the flow lint with Metaflow's wording at the step's line. A problem
 * never throws and never stops the other checks of the file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { flow } from '../../src/index.ts';
import { compileScenario } from './compile.ts';
import { ScenarioError, sortDiagnostics, type Diagnostic } from './errors.ts';
import { expandMatrix } from './matrix.ts';
import type { Scenario } from './model.ts';
import { readScenario } from './read.ts';
import { checkScenarioSchema, describePointer } from './schema.ts';
import { didYouMean } from './suggest.ts';
import { KNOWN_TAGS, ValueBuilder } from './tags.ts';
import { parseYamlFile, type SourceDocument } from './yaml-source.ts';

export interface LoadResult {
  readonly scenarios: Scenario[];
  readonly diagnostics: Diagnostic[];
}

export interface LoadOptions {
  /** The file's content (then nothing is read from disk; `file` names it in diagnostics and anchors !Path). */
  readonly text?: string;
}

const suggestTag = (tag: string): string => didYouMean(tag, KNOWN_TAGS);

export function loadScenarioFile(file: string, options: LoadOptions = {}): LoadResult {
  let text = options.text;
  if (text === undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      return { scenarios: [], diagnostics: [{ file, line: 1, col: 1, code: 'io', message: `cannot read the file: ${(err as Error).message}` }] };
    }
  }
  const diagnostics: Diagnostic[] = [];
  const parsed = parseYamlFile(file, text, KNOWN_TAGS, suggestTag);
  diagnostics.push(...parsed.diagnostics);
  const scenarios: Scenario[] = [];
  const ids = new Map<string, Scenario>();
  for (const src of parsed.documents) {
    const before = diagnostics.length;
    const s = loadDocument(src, diagnostics);
    if (s === null) continue;
    const first = ids.get(s.id);
    if (first !== undefined) {
      diagnostics.push({ ...at(s), code: 'duplicate-id', message: `scenario id "${s.id}" is used twice in this file (first at line ${first.location.line}): give each scenario its own id` });
      continue;
    }
    ids.set(s.id, s);
    // A document with problems yields no scenario: callers only ever run what passed every check.
    if (diagnostics.length > before || src.parseProblems > 0) continue;
    scenarios.push(...expandMatrix(s, diagnostics));
  }
  return { scenarios, diagnostics: sortDiagnostics(diagnostics) };
}

const at = (s: Scenario) => ({ file: s.file, line: s.location.line, col: s.location.col });

function loadDocument(src: SourceDocument, diagnostics: Diagnostic[]): Scenario | null {
  diagnostics.push(...checkScenarioSchema(src));
  const build = new ValueBuilder(src, diagnostics);
  const s = readScenario(src, build);
  // A known tag that no value or setting consumed stands where the format has no use for it.
  for (const { pointer, node } of src.tagged) {
    const tag = (node as { tag?: string }).tag!;
    if (!KNOWN_TAGS.has(tag) || build.consumed.has(node)) continue;
    const p = src.at(node);
    diagnostics.push({ file: src.file, line: p.line, col: p.col, code: 'misplaced-tag', message: `tag ${tag} is not allowed at ${describePointer(pointer)}: value tags belong in set, local and constants, !Settings in wandb_log's settings` });
  }
  if (s === null) return null;
  checkHelperCalls(s, diagnostics);
  if (graphIsReadable(src.data)) lint(s, diagnostics);
  return s;
}

function checkHelperCalls(s: Scenario, diagnostics: Diagnostic[]): void {
  const helpers = new Set(s.flow.helpers.map((h) => h.name));
  const bodies = [...s.flow.steps, ...s.flow.helpers];
  for (const b of bodies) {
    for (const op of b.body) {
      if (op.op !== 'call' || helpers.has(op.name)) continue;
      diagnostics.push({
        file: s.file, line: op.location.line, col: op.location.col, code: 'unknown-helper',
        message: `call: "${op.name}" is not a helper of ${s.flow.name}${didYouMean(op.name, helpers)}; declare it under flow.helpers`,
      });
    }
  }
}

/** Lint only makes sense when every step and `next` has a shape the schema accepts. */
function graphIsReadable(data: unknown): boolean {
  const obj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  const flowData = obj(data) ? data['flow'] : undefined;
  if (!obj(flowData) || !obj(flowData['steps'])) return false;
  const names = (x: unknown) => typeof x === 'string' || (Array.isArray(x) && x.length > 0 && x.every((n) => typeof n === 'string'));
  return Object.values(flowData['steps']).every((step) => {
    if (step === null) return true;
    if (!obj(step)) return false;
    if (step['join'] !== undefined && typeof step['join'] !== 'boolean') return false;
    const n = step['next'];
    if (n === undefined || names(n)) return true;
    if (!obj(n)) return false;
    if ('foreach' in n) return typeof n['foreach'] === 'string' && names(n['to']) && !('cases' in n);
    return obj(n['cases']) && Object.values(n['cases']).every((t) => typeof t === 'string') && !('to' in n);
  });
}

function lint(s: Scenario, diagnostics: Diagnostic[]): void {
  const { definition } = compileScenario(s);
  const { problems } = flow.lintFlow(definition);
  for (const p of problems) {
    const where = p.location ?? s.flow.stepsLocation;
    diagnostics.push({
      file: s.file, line: where.line, col: where.col ?? 1, code: 'lint', check: p.check,
      message: flow.stripMarkers(p.message),
    });
  }
}

/** Every `*.yaml` / `*.yml` under the given files and directories (recursively, in name order). */
export function scenarioFiles(paths: readonly string[]): { files: string[]; diagnostics: Diagnostic[] } {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      // `flow.values.yaml` beside a flow.py pins its unknown values (harness/python): not a scenario.
      else if (['.yaml', '.yml'].includes(extname(name)) && !/\.values\.ya?ml$/.test(name)) files.push(full);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (err) {
      diagnostics.push({ file: p, line: 1, col: 1, code: 'io', message: `no such file or directory: ${(err as Error).message}` });
      continue;
    }
    if (st.isDirectory()) walk(p);
    else files.push(p);
  }
  return { files: [...new Set(files)], diagnostics };
}

/** Loads files and directories; ids must be unique across the whole suite. */
export function loadScenarioPaths(paths: readonly string[]): LoadResult {
  const { files, diagnostics } = scenarioFiles(paths);
  const scenarios: Scenario[] = [];
  const ids = new Map<string, Scenario>();
  for (const file of files) {
    const r = loadScenarioFile(file);
    diagnostics.push(...r.diagnostics);
    for (const s of r.scenarios) {
      const first = ids.get(s.id);
      if (first !== undefined && first.file !== s.file) {
        diagnostics.push({ ...at(s), code: 'duplicate-id', message: `scenario id "${s.id}" is already used in ${first.file}:${first.location.line}: ids are unique in a suite` });
        continue;
      }
      ids.set(s.id, s);
      scenarios.push(s);
    }
  }
  return { scenarios, diagnostics: sortDiagnostics(diagnostics) };
}

/** The scenarios of a load, or a `ScenarioError` carrying every diagnostic (for callers that want to throw). */
export function requireValid(result: LoadResult): Scenario[] {
  if (result.diagnostics.length === 0) return result.scenarios;
  const first = result.diagnostics[0]!;
  throw new ScenarioError(
    'INVALID_SCENARIO',
    `Failed to load "${first.file}": ${result.diagnostics.length} problem(s), the first at ${first.line}:${first.col}: ${first.message}. Run \`tracked-flows validate\` for all of them.`,
    { diagnostics: result.diagnostics },
  );
}
