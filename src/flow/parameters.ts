/**
 * Parameters as Metaflow declares and parses them (parameters.py, vendored click 7): the type is the
 * declared one, else `type(default)`, else `str`; run values may be CLI strings (converted as click
 * converts them, with click's error texts) or JS values.
 */
import { isPyValue } from '../values/index.ts';
import { FlowError } from './errors.ts';
import type { LintProblem } from './lint/problem.ts';
import { problem } from './lint/problem.ts';
import type { FlowDefinition, ParameterDefinition, ParameterType } from './model.ts';

/** A parameter's value for one run: plain JS data with its Metaflow type (int and float are both numbers). */
export interface ResolvedParameter {
  readonly name: string;
  readonly cliName: string;
  readonly type: ParameterType;
  readonly value: unknown;
}

const RESERVED_PARAMETER_NAMES: ReadonlySet<string> = (() => {
  const names = [
    'params', 'with', 'tag', 'namespace', 'obj', 'tags', 'decospecs', 'run-id-file', 'max-num-splits',
    'max-workers', 'max-log-size', 'user-namespace', 'run-id', 'task-id', 'runner-attribute-file',
  ];
  return new Set([...names, ...names.map((n) => n.replace(/-/g, '_'))]);
})();

/**
 * `Parameter._get_type`. Python's `type(default)` of a JS number is int when it is an integer; an object or
 * array default (a dict or list in Python, which Metaflow does not support) is taken as JSONType.
 */
export function inferParameterType(p: ParameterDefinition): ParameterType {
  if (p.type) return p.type;
  const d = p.default;
  if (d === undefined || d === null || typeof d === 'function') return 'str';
  if (typeof d === 'boolean') return 'bool';
  if (typeof d === 'number') return Number.isInteger(d) ? 'int' : 'float';
  if (typeof d === 'string') return 'str';
  return 'json';
}

const cliNameOf = (p: ParameterDefinition) => p.cliName ?? p.name;

/** Definition-time errors Metaflow raises when the class is built or the CLI starts. */
export function checkParameters(flow: FlowDefinition): LintProblem[] {
  const found: LintProblem[] = [];
  const seen = new Set<string>();
  for (const p of flow.parameters ?? []) {
    const cli = cliNameOf(p);
    if (RESERVED_PARAMETER_NAMES.has(cli)) {
      found.push(
        problem('check_parameter_names', `Parameter name '${cli}' is a reserved word. Please use a different name for your parameter.`, undefined, p.location),
      );
    }
    if (p.separator && inferParameterType(p) !== 'str') {
      found.push(
        problem('check_parameter_separator', `Parameter *${cli}*: Separator is only allowed for string parameters.`, undefined, p.location),
      );
    }
    const norm = cli.toLowerCase();
    if (seen.has(norm)) {
      found.push(
        problem('check_parameter_duplicates', `Parameter *${cli}* is specified twice. Note that parameter names are case-insensitive.`, undefined, p.location),
      );
    }
    seen.add(norm);
  }
  return found;
}

const invalid = (cli: string, reason: string) =>
  new FlowError('PARAMETER_INVALID', `Error: Invalid value for '--${cli}': ${reason}`);

const TRUE_WORDS = new Set(['1', 'true', 't', 'yes', 'y', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'f', 'no', 'n', 'off']);

/** click's conversion of one value to the parameter type. */
export function convertParameterValue(type: ParameterType, cli: string, value: unknown): unknown {
  // A default that is a Python value already (a Config's value, a plan's unknown) is what the flow gets.
  if (isPyValue(value)) return value;
  switch (type) {
    case 'str':
      return typeof value === 'string' ? value : String(value);
    case 'int':
      if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
      if (typeof value === 'boolean') return value ? 1 : 0;
      if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
      throw invalid(cli, `${String(value)} is not a valid integer`);
    case 'float':
      if (typeof value === 'number') return value;
      if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
      throw invalid(cli, `${String(value)} is not a valid floating point value`);
    case 'bool':
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string') {
        const word = value.trim().toLowerCase();
        if (TRUE_WORDS.has(word)) return true;
        if (FALSE_WORDS.has(word)) return false;
      }
      throw invalid(cli, `${String(value)} is not a valid boolean`);
    case 'json':
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value) as unknown;
      } catch {
        throw invalid(cli, `${value} is not a valid JSON object`);
      }
  }
}

/**
 * The run's parameter values. `supplied` is keyed by attribute or CLI name (as `--name` on the command
 * line). Errors carry click's texts: `Error: Missing option '--req'.`, `Error: no such option: --bogus`.
 */
export function resolveParameters(
  flow: FlowDefinition,
  supplied: Readonly<Record<string, unknown>> = {},
): ResolvedParameter[] {
  const params = flow.parameters ?? [];
  const byKey = new Map<string, ParameterDefinition>();
  for (const p of params) {
    byKey.set(p.name, p);
    byKey.set(cliNameOf(p), p);
  }
  for (const key of Object.keys(supplied)) {
    if (!byKey.has(key)) throw new FlowError('PARAMETER_INVALID', `Error: no such option: --${key}`);
  }
  const resolved = params.map((p): ResolvedParameter => {
    const cli = cliNameOf(p);
    const type = inferParameterType(p);
    const given = Object.hasOwn(supplied, p.name) ? supplied[p.name] : supplied[cli];
    let value: unknown = null;
    if (given !== undefined) {
      value = convertParameterValue(type, cli, given);
    } else if (p.default !== undefined && p.default !== null) {
      value = convertParameterValue(type, cli, p.default);
    } else if (p.required) {
      throw new FlowError('PARAMETER_INVALID', `Error: Missing option '--${cli}'.`);
    }
    if (p.separator && typeof value === 'string' && value !== '') value = value.split(p.separator);
    return { name: p.name, cliName: cli, type, value };
  });
  return resolved.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
