/**
 * A flow class's declarations, as Metaflow 2.19 reads them before any step runs: `Parameter` (also annotated,
 * `ver: str = Parameter(...)`), `Config` and `IncludeFile`. All three are Parameters to Metaflow: they reach
 * `self`, are listed in `current.parameter_names`, and so go to the W&B run's config (measured with the kit:
 * `current.parameter_names` of a flow with all three is ['cfg', 'data', 'depth', 'ver']).
 * - A Config's value is a `ConfigValue` (a dict whose keys read as attributes too), from `--config-value NAME
 *   JSON`, `--config NAME FILE`, `default_value=` or `default=` (a JSON file beside the flow), in that order.
 *   `config_expr("cfg.a.b")` as a Parameter default reads it.
 * - An IncludeFile's value is the file's text: unknown (the plan reads no data) unless the value file pins it at
 *   the call's `line:col`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { flow, values } from '../../src/index.ts';
import type { Location, ParameterSpec } from '../scenario/model.ts';
import type { Expr, Stmt } from './ast.ts';
import type { Args } from './host.ts';
import type { DiagnosticSink } from './diagnostics.ts';
import type { Interpreter } from './interpreter.ts';
import { CONFIG_VALUE, isPy, Opaque, py, Scope, type OpaqueType, type PyValue, type Value } from './interp-values.ts';
import { qualifiedName } from './module.ts';
import { standIn } from './opaque.ts';
import type { Pins } from './values-file.ts';

export type DeclarationKind = 'parameter' | 'config' | 'include';

const KINDS: Record<string, DeclarationKind> = {
  'metaflow.Parameter': 'parameter', Parameter: 'parameter',
  'metaflow.Config': 'config', Config: 'config', 'metaflow.user_configs.config_parameters.Config': 'config',
  'metaflow.IncludeFile': 'include', IncludeFile: 'include', 'metaflow.includefile.IncludeFile': 'include',
};

/** `--config NAME FILE` / `--config-value NAME JSON`, by the config's name. */
export interface ConfigSources {
  readonly files?: Readonly<Record<string, string>>;
  readonly values?: Readonly<Record<string, string>>;
}

export interface DeclarationContext {
  readonly file: string;
  readonly sink: DiagnosticSink;
  readonly pins: Pins;
  readonly scope: Scope;
  readonly staticInterpreter: Interpreter;
  readonly configSources: ConfigSources;
  /** Config values read so far, by attribute name (config_expr reads them). */
  readonly configs: Map<string, PyValue>;
  /** IncludeFile declarations by command-line name: a path given for one stands for the file's unknown text. */
  readonly includes: Map<string, PyValue>;
}

/** The class-level statement's declaration, if it is one (`x = Parameter(...)`, `x: T = Config(...)`). */
export function declarationOf(s: Stmt, scope: Scope): { name: string; call: Expr & { k: 'call' }; kind: DeclarationKind } | undefined {
  const target = s.k === 'assign' && s.targets.length === 1 ? s.targets[0]! : s.k === 'annassign' && s.value !== null ? s.target : undefined;
  const value = s.k === 'assign' ? s.value : s.k === 'annassign' ? s.value : null;
  if (target?.k !== 'name' || value?.k !== 'call') return undefined;
  const kind = KINDS[qualifiedName(value.fn, scope) ?? ''];
  return kind === undefined ? undefined : { name: target.id, call: value, kind };
}


/** A JSON-like value as Metaflow's ConfigValue holds it: dicts (nested too) are ConfigValues. */
function configValue(v: PyValue): PyValue {
  if (v.kind === 'dict') return py.dict(v.entries.map(([k, x]) => [k, configValue(x)]), CONFIG_VALUE);
  if (v.kind === 'list') return py.list(v.items.map(configValue));
  return v;
}

const loc = (file: string, p: { line: number; col: number }): Location => ({ file, line: p.line, col: p.col });

async function argsOf(ctx: DeclarationContext, call: Expr & { k: 'call' }): Promise<Args> {
  const args: Args = { positional: [], keywords: new Map() };
  for (const a of call.args) {
    let v: Value;
    if (a.name === 'default' && isConfigExpr(a.value, ctx.scope)) v = configExpr(ctx, a.value as Expr & { k: 'call' });
    else {
      try {
        v = await ctx.staticInterpreter.eval(a.value, ctx.scope);
      } catch {
        v = new Opaque(a.value.text, a.value.pos, null, 'fails when the class is defined');
      }
    }
    if (a.name !== null) args.keywords.set(a.name, v);
    else args.positional.push(v);
  }
  return args;
}

const isConfigExpr = (e: Expr, scope: Scope): boolean =>
  e.k === 'call' && ['metaflow.config_expr', 'config_expr'].includes(qualifiedName(e.fn, scope) ?? '');

/** `config_expr("cfg.model.depth")`: attribute and item reads over the configs read so far. */
function configExpr(ctx: DeclarationContext, call: Expr & { k: 'call' }): Value {
  const arg = call.args[0]?.value;
  const text = arg?.k === 'str' ? arg.value : undefined;
  const parts = text?.match(/[A-Za-z_]\w*|\[\s*(?:"[^"]*"|'[^']*'|\d+)\s*\]/g);
  let v: PyValue | undefined = parts ? ctx.configs.get(parts[0]!) : undefined;
  for (const p of parts?.slice(1) ?? []) {
    if (v === undefined) break;
    const key = p.startsWith('[') ? p.slice(1, -1).trim().replace(/^["']|["']$/g, '') : p;
    const found: [PyValue, PyValue] | undefined = v.kind === 'dict' ? v.entries.find(([k]) => k.kind === 'str' && k.value === key) : undefined;
    v = found?.[1] ?? (v.kind === 'list' && /^\d+$/.test(key) ? v.items[Number(key)] : undefined);
  }
  if (v !== undefined && !values.isUnknown(v)) return v;
  return new Opaque(call.text, call.pos, null, `reads ${text ?? 'a config expression'}, which no config the plan read holds`);
}

function unknownDefault(ctx: DeclarationContext, name: string, at: Expr, type: OpaqueType, why: string): PyValue {
  const pinned = ctx.pins.at(at.pos);
  if (pinned !== undefined) return pinned;
  const o = new Opaque(at.text, at.pos, type, why);
  ctx.sink.report('OPAQUE_VALUE', at.pos, `${name}: \`${at.text.split('\n')[0]}\` ${why}: its value is unknown, and logged as unknown in the run's config. Pin it in flow.values.yaml as "${at.pos.line}:${at.pos.col}".`, { variable: name });
  return standIn(o);
}

function parsedConfig(ctx: DeclarationContext, name: string, text: string, at: Expr, source: string): PyValue {
  try {
    return flow.pyFromJs(JSON.parse(text));
  } catch (err) {
    return unknownDefault(ctx, name, at, 'dict', `is a config (${source}) the plan parses only as JSON (${(err as Error).message})`);
  }
}

async function config(ctx: DeclarationContext, name: string, call: Expr & { k: 'call' }): Promise<ParameterSpec> {
  const args = await argsOf(ctx, call);
  const first = args.positional[0];
  const cli = first !== undefined && isPy(first) && first.kind === 'str' ? first.value : name;
  const dv = args.keywords.get('default_value');
  const df = args.keywords.get('default');
  const hasParser = args.keywords.has('parser');
  let value: PyValue | undefined;
  const fromCli = ctx.configSources.values?.[cli] ?? ctx.configSources.values?.[name];
  const fileCli = ctx.configSources.files?.[cli] ?? ctx.configSources.files?.[name];
  // A default file is found as Metaflow finds it when the flow runs from its own folder; --config's from here.
  const readFile = (path: string, from: string): PyValue => {
    const full = from === '--config' ? resolve(path) : resolve(dirname(ctx.file), path);
    if (!existsSync(full)) return unknownDefault(ctx, name, call, 'dict', `reads the config file ${path} (${from}), which is not beside the flow`);
    if (hasParser && !path.endsWith('.json')) return unknownDefault(ctx, name, call, 'dict', `reads ${path} with a parser the plan does not run`);
    return parsedConfig(ctx, name, readFileSync(full, 'utf8'), call, path);
  };
  if (fromCli !== undefined) value = parsedConfig(ctx, name, fromCli, call, '--config-value');
  else if (fileCli !== undefined) value = readFile(fileCli, '--config');
  else if (dv !== undefined && isPy(dv) && dv.kind === 'str' && !hasParser) value = parsedConfig(ctx, name, dv.value, call, 'default_value');
  else if (dv !== undefined && isPy(dv)) value = dv;
  else if (df !== undefined && isPy(df) && df.kind === 'str') value = readFile(df.value, 'default');
  else if (dv !== undefined || df !== undefined) value = unknownDefault(ctx, name, call, 'dict', 'has a default the plan cannot read');
  const v = value === undefined ? undefined : configValue(value);
  if (v !== undefined) ctx.configs.set(name, v);
  return { name, ...(v !== undefined ? { default: v } : {}), type: 'json', location: loc(ctx.file, call.pos), ...cliNameOf(args, name) };
}

async function includeFile(ctx: DeclarationContext, name: string, call: Expr & { k: 'call' }): Promise<ParameterSpec> {
  const args = await argsOf(ctx, call);
  const df = args.keywords.get('default');
  const req = args.keywords.get('required');
  const what = df !== undefined && isPy(df) && df.kind === 'str' ? df.value : 'the file given on the command line';
  const cli = cliNameOf(args, name).cliName ?? name;
  const given = ctx.pins.at(call.pos) ?? standIn(new Opaque(`${cli}: the text of the file given as --${cli}`, call.pos, 'str', 'is an IncludeFile'));
  ctx.includes.set(cli, given);
  return {
    name, type: 'str', location: loc(ctx.file, call.pos), ...cliNameOf(args, name),
    default: unknownDefault(ctx, name, call, 'str', `is the text of ${what} (IncludeFile), which the plan does not read`),
    ...(req !== undefined && isPy(req) && req.kind === 'bool' ? { required: req.value } : {}),
  };
}

async function parameter(ctx: DeclarationContext, name: string, call: Expr & { k: 'call' }): Promise<ParameterSpec> {
  const args = await argsOf(ctx, call);
  const def = args.keywords.get('default');
  const typeArg = call.args.find((a) => a.name === 'type')?.value;
  const typeName = typeArg ? qualifiedName(typeArg, ctx.scope) : undefined;
  const type: flow.ParameterType | undefined = typeName === undefined ? undefined
    : typeName.endsWith('JSONType') ? 'json' : (['str', 'int', 'float', 'bool'] as const).find((t) => t === typeName);
  if (typeArg && type === undefined) ctx.sink.report('BAD_PARAMETER', typeArg.pos, `Parameter ${name}: type=${typeArg.text} is not one of str, int, float, bool, JSONType: the type is inferred from the default.`);
  let dflt: unknown;
  let inferred: flow.ParameterType | undefined;
  if (def !== undefined) {
    if (isPy(def) && ['int', 'float', 'str', 'bool', 'none'].includes(def.kind) && !values.isUnknown(def)) {
      dflt = def.kind === 'int' ? Number(def.value) : def.kind === 'none' ? undefined : (def as { value: unknown }).value;
      if (def.kind === 'float') inferred = 'float';
    } else if (isPy(def) && def.kind === 'path') dflt = def.path; // click turns a Path default into its text
    else if (isPy(def)) dflt = flow.pyRepr(def);
    else {
      const at = call.args.find((a) => a.name === 'default')!.value;
      // Its type is what is known of it (a typed unknown), else nothing: never assumed to be a str.
      dflt = unknownDefault(ctx, name, at, def instanceof Opaque ? def.type : null, 'is a default the plan cannot compute');
      inferred = 'str';
    }
  }
  const req = args.keywords.get('required');
  const help = args.keywords.get('help');
  const sep = args.keywords.get('separator');
  return {
    name,
    ...cliNameOf(args, name),
    ...(sep !== undefined && isPy(sep) && sep.kind === 'str' ? { separator: sep.value } : {}),
    ...(dflt !== undefined ? { default: dflt } : {}),
    ...(type ?? inferred ? { type: type ?? inferred } : {}),
    ...(req !== undefined && isPy(req) && req.kind === 'bool' ? { required: req.value } : {}),
    ...(help !== undefined && isPy(help) && help.kind === 'str' ? { help: help.value } : {}),
    location: loc(ctx.file, call.pos),
  };
}

/** `Parameter("vals", ...)` on `my_values`: the first argument (or name=) is the command-line name. */
function cliNameOf(args: Args, attribute: string): { cliName?: string } {
  const n = args.positional[0] ?? args.keywords.get('name');
  return n !== undefined && isPy(n) && n.kind === 'str' && n.value !== attribute ? { cliName: n.value } : {};
}

export function declaration(ctx: DeclarationContext, d: NonNullable<ReturnType<typeof declarationOf>>): Promise<ParameterSpec> {
  switch (d.kind) {
    case 'config': return config(ctx, d.name, d.call);
    case 'include': return includeFile(ctx, d.name, d.call);
    case 'parameter': return parameter(ctx, d.name, d.call);
  }
}
