/**
 * The JSON Schema of the format (scenario.schema.json, draft 2020-12, shipped for editors too) and the
 * translation of ajv's errors into diagnostics at the offending key or value. Tag contents are checked
 * against `$defs/tag.<name>` of the same schema, so the file documents every tag's shape.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, Options, ValidateFunction } from 'ajv';
import { loadBuiltValidators, type BuiltValidators } from './built-validators.ts';
import type { Diagnostic } from './errors.ts';
import { didYouMean } from './suggest.ts';
import type { SourceDocument } from './yaml-source.ts';

export const SCENARIO_SCHEMA = JSON.parse(readFileSync(new URL('./scenario.schema.json', import.meta.url), 'utf8')) as {
  $id: string;
  $defs: Record<string, unknown>;
};

/**
 * strict, except `strictRequired`: the embedded fault-plan schema (src/backend) uses `not: {required: [...]}`
 * without redeclaring the properties there, which is valid JSON Schema that strictRequired flags. The build
 * (scripts/build.mjs) compiles the standalone validators with these same options.
 */
export const SCENARIO_AJV_OPTIONS: Options = { allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, verbose: true };

interface Validators { scenario: ValidateFunction; tag(def: string): ValidateFunction }

/** The build's standalone code when there is a build (built-validators.ts), else ajv compiling the schema now. */
let loaded: Validators | undefined;
const validators = (): Validators => (loaded ??= fromBuild(loadBuiltValidators()) ?? compiledValidators());

function fromBuild(built: BuiltValidators | undefined): Validators | undefined {
  return built && { scenario: built.scenario, tag: (def) => built.tags[def]! };
}

// Synchronous (require, not import()): validators() runs inside checks that are synchronous, and the CLI's
// CommonJS bundle admits no top-level await.
function compiledValidators(): Validators {
  const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const ajv = new Ajv2020(SCENARIO_AJV_OPTIONS);
  const scenario = ajv.compile(SCENARIO_SCHEMA);
  const tags = new Map<string, ValidateFunction>();
  const tag = (def: string): ValidateFunction => {
    let validate = tags.get(def);
    if (validate === undefined) {
      validate = ajv.getSchema(`${SCENARIO_SCHEMA.$id}#/$defs/${def}`)!;
      tags.set(def, validate);
    }
    return validate;
  };
  return { scenario, tag };
}

const IDENTIFIER = (SCENARIO_SCHEMA.$defs['identifier'] as { pattern: string }).pattern;

/** `/flow/steps/mid/body/0` -> `flow.steps.mid.body[0]`; the root is `scenario`. */
export function describePointer(pointer: string, base = ''): string {
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let out = base;
  for (const p of parts) out += /^\d+$/.test(p) ? `[${p}]` : out === '' ? p : `.${p}`;
  return out === '' ? 'the scenario' : out;
}

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;

const listOr = (xs: readonly unknown[]): string =>
  xs.length <= 1 ? xs.map(String).join('') : `${xs.slice(0, -1).map(String).join(', ')} or ${String(xs.at(-1))}`;

interface Located { pointer: string; onKey: boolean; message: string; code: Diagnostic['code'] }

function explain(e: ErrorObject, where: (p: string) => string): Located | null {
  const p = e.instancePath;
  const at = where(p);
  const parent = (e.parentSchema ?? {}) as { properties?: Record<string, unknown>; pattern?: string };
  switch (e.keyword) {
    case 'if':
      return null; // the `then`/`else` branch reports the actual problem
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(parent.properties ?? {});
      const hint = didYouMean(key, known);
      const allowed = known.length > 0 ? `; allowed: ${known.join(', ')}` : '';
      return { pointer: `${p}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, onKey: true, code: 'unknown-key', message: `unknown key "${key}" in ${at}${hint}${hint ? '' : allowed}` };
    }
    case 'required': {
      const key = (e.params as { missingProperty: string }).missingProperty;
      return { pointer: p, onKey: true, code: 'schema', message: `${at} is missing the key "${key}"` };
    }
    case 'type': {
      const t = (e.params as { type: string | string[] }).type;
      return { pointer: p, onKey: false, code: 'schema', message: `${at} must be ${listOr(Array.isArray(t) ? t : [t])}, got ${typeOf(e.data)}` };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues;
      const hint = typeof e.data === 'string' ? didYouMean(e.data, allowed.filter((a): a is string => typeof a === 'string')) : '';
      return { pointer: p, onKey: false, code: 'schema', message: `${at} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(e.data)}${hint}` };
    }
    case 'const':
      return { pointer: p, onKey: false, code: 'schema', message: `${at} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}, got ${JSON.stringify(e.data)}` };
    case 'pattern': {
      const what = parent.pattern === IDENTIFIER || (e.schema as string) === IDENTIFIER ? 'a Python identifier' : `a string matching ${String(e.schema)}`;
      return { pointer: p, onKey: false, code: 'schema', message: `${at} must be ${what}, got ${JSON.stringify(e.data)}` };
    }
    case 'propertyNames': {
      const name = (e.params as { propertyName: string }).propertyName;
      return { pointer: `${p}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, onKey: true, code: 'schema', message: `"${name}" is not a valid name in ${at}: use a Python identifier` };
    }
    case 'false schema':
      return { pointer: p, onKey: true, code: 'unknown-key', message: `${at} is not allowed here` };
    case 'maxProperties':
    case 'minProperties': {
      const keys = e.data !== null && typeof e.data === 'object' ? Object.keys(e.data) : [];
      const limit = (e.params as { limit: number }).limit;
      const allowed = Object.keys(parent.properties ?? {});
      if (limit === 1 && allowed.length > 0 && (e.keyword === 'maxProperties' || keys.length === 0)) {
        return { pointer: p, onKey: false, code: 'schema', message: `${at} must have exactly one key (one of ${allowed.join(', ')}), got ${keys.length === 0 ? 'none' : keys.join(', ')}` };
      }
      return { pointer: p, onKey: false, code: 'schema', message: `${at} ${e.message ?? 'is invalid'}` };
    }
    default:
      return { pointer: p, onKey: false, code: 'schema', message: `${at} ${e.message ?? 'is invalid'}` };
  }
}

function toDiagnostics(errors: readonly ErrorObject[], src: SourceDocument, base: string, label: string): Diagnostic[] {
  // Errors of a propertyNames check come twice (the name's own pattern error, then propertyNames): keep one.
  const filtered = errors.filter((e) => !(e.propertyName !== undefined && e.keyword !== 'propertyNames'));
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const e of filtered) {
    const located = explain(e, (p) => describePointer(p, label));
    if (located === null) continue;
    const pointer = base + located.pointer;
    const pos = located.onKey ? src.keyAt(pointer) : src.valueAt(pointer);
    const key = `${pos.line}:${pos.col}:${located.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ file: src.file, line: pos.line, col: pos.col, code: located.code, message: located.message });
  }
  return out;
}

/** Checks one document against the scenario schema. */
export function checkScenarioSchema(src: SourceDocument): Diagnostic[] {
  const { scenario } = validators();
  if (scenario(src.data)) return [];
  return toDiagnostics(scenario.errors ?? [], src, '', '');
}

/** Checks a tag's content (plain data at `pointer`) against `$defs/tag.<name>`; unknown tags have no check. */
export function checkTagContent(tag: string, data: unknown, src: SourceDocument, pointer: string): Diagnostic[] {
  const def = `tag.${tag}`;
  if (!(def in SCENARIO_SCHEMA.$defs)) return [];
  const validate = validators().tag(def);
  if (validate(data)) return [];
  return toDiagnostics(validate.errors ?? [], src, pointer, `!${tag} at ${describePointer(pointer)}`);
}
