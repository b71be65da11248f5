// GraphQL is executed, not matched (DESIGN §3.5): the SDL in ./schema/*.graphql, built once, with the resolver
// maps of ./resolvers/*.ts attached, run by graphql-js. Any document an SDK sends works — other operation
// names, aliases, fragments, other selections — and introspection is graphql-js's over the same schema.
//
// How to add a field:
//   1. Add it to the SDL in ./schema/ (W&B's name, arguments and type, as the SDK documents use them; a new
//      file may `extend type Query { ... }`). If an SDK probes the type, write the decision beside the field.
//   2. If the parent's source object has no property of that name, add a resolver under the type in one of
//      ./resolvers/*.ts (`{ Run: { field(source, args, ctx) {...} } }`) and list the module in RESOLVER_MAPS.
//      A resolver naming a type or field the SDL lacks stops the server at start-up, so the two cannot drift.
//   3. Add the document that uses it to test/fixtures/graphql/<dialect>/<OperationName>.graphql (with its
//      `# source:` header); the conformance test validates it against the schema.
// Resolvers return "source" objects over BackendState records; graphql-js's default resolver reads the
// selected properties from them. They validate before they change state and throw BackendError to refuse.

import './graphql-js.ts'; // first: loads graphql-js in production mode (see there)
import { readdirSync, readFileSync } from 'node:fs';
import {
  buildASTSchema, buildSchema, execute, getOperationAST, GraphQLError, isInterfaceType, isObjectType, isScalarType, isUnionType, parse, validate,
  type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode,
} from 'graphql';
import { BackendError, type BackendErrorCode } from '../errors.ts';
import type { GraphQLContext, ResolverMap } from './context.ts';
import { RESOLVER_MAPS } from './resolvers/index.ts';
import { compiledFor, newTier, runCompiled, type Tier } from './compiled.ts';
import { unsupportedEntries } from './unsupported.ts';

const SCHEMA_DIR = new URL('./schema/', import.meta.url);

/** The SDL: every schema/*.graphql, concatenated in sorted file-name order. */
export function schemaSource(): string {
  const files = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.graphql')).sort();
  return files.map((f) => `# ---- ${f}\n${readFileSync(new URL(f, SCHEMA_DIR), 'utf8')}`).join('\n');
}

/** Attaches resolver maps to a built schema; a type or field the SDL does not have is an error. */
export function attachResolvers(schema: GraphQLSchema, maps: readonly ResolverMap[]): GraphQLSchema {
  for (const map of maps) {
    for (const [typeName, fields] of Object.entries(map)) {
      const type = schema.getType(typeName);
      if (!type) throw new Error(`Failed to attach resolvers: type "${typeName}" is not in the SDL (src/backend/graphql/schema/). Add it there or remove the resolver.`);
      for (const [fieldName, fn] of Object.entries(fields)) {
        if (fieldName === '__resolveType' && (isInterfaceType(type) || isUnionType(type))) {
          type.resolveType = fn as never;
          continue;
        }
        if (isScalarType(type) && (fieldName === 'parseValue' || fieldName === 'serialize' || fieldName === 'parseLiteral')) {
          type[fieldName] = fn as never;
          continue;
        }
        if (!isObjectType(type)) throw new Error(`Failed to attach resolvers: "${typeName}" is not an object type, so "${typeName}.${fieldName}" cannot have a resolver.`);
        const field = type.getFields()[fieldName];
        if (!field) throw new Error(`Failed to attach resolvers: field "${typeName}.${fieldName}" is not in the SDL (src/backend/graphql/schema/). Add it there or remove the resolver.`);
        if (field.resolve) throw new Error(`Failed to attach resolvers: "${typeName}.${fieldName}" has two resolvers.`);
        field.resolve = fn as never;
      }
    }
  }
  return schema;
}

// What the build (scripts/build.mjs) prepares beside the SDL, so that a cold CLI process does not redo it:
// the SDL already parsed and validated (validating it is ~20 ms of a ~0.3 s `plan`), and the texts of the
// documents our own client sends, already validated against it (~15 ms more). Both are pure functions of the
// SDL and the document text, computed by graphql-js from the same files; a checkout (no build) has neither
// file and does the same work at run time. test/unit/graphql-prebuilt.test.ts checks the two ways agree.
export const PREBUILT_SCHEMA_FILE = 'schema.ast.json';
export const PREVALIDATED_FILE = 'validated-documents.json';

/** The two files' contents, for the build: throws when the SDL or one of `documents` does not validate. */
export function prebuiltSchemaFiles(documents: Iterable<string>): Record<string, string> {
  const sdl = schemaSource();
  const checked = buildSchema(sdl);
  const texts = [...new Set(documents)].sort();
  for (const text of texts) {
    const errors = validate(checked, parse(text));
    if (errors.length) throw new Error(`Failed to prepare the GraphQL schema: a document does not validate (${errors.map((e) => e.message).join('; ')}). Fix the document or the SDL.\n${text}`);
  }
  return { [PREBUILT_SCHEMA_FILE]: JSON.stringify(parse(sdl, { noLocation: true })), [PREVALIDATED_FILE]: JSON.stringify(texts) };
}

function readPrebuilt<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`Failed to load the prebuilt GraphQL ${file} (${(err as Error).message}). Rebuild with \`npm run build\`.`, { cause: err });
  }
}

let built: GraphQLSchema | undefined;
let prevalidated: ReadonlySet<string> | undefined;

/** The schema with its resolvers, built on first use (once per process). */
export function getSchema(): GraphQLSchema {
  if (built) return built;
  const ast = readPrebuilt<DocumentNode>(PREBUILT_SCHEMA_FILE);
  // assumeValidSDL: the build validated this very AST (buildSchema over the same SDL) before writing it.
  const schema = ast ? buildASTSchema(ast, { assumeValidSDL: true }) : buildSchema(schemaSource());
  prevalidated = new Set(readPrebuilt<string[]>(PREVALIDATED_FILE) ?? []);
  built = attachResolvers(schema, RESOLVER_MAPS);
  return built;
}

interface Prepared {
  document?: DocumentNode;
  errors: readonly GraphQLError[];
  code?: BackendErrorCode;
  /** Per operation name ('' for none): runs so far and the compiled form (compiled.ts). */
  tiers?: Map<string, Tier>;
}

// An SDK repeats ~20 documents; parsing + validating once per text keeps a request near the old router's cost.
const MAX_CACHED = 256;
const cache = new Map<string, Prepared>();

function prepare(schema: GraphQLSchema, query: string): Prepared {
  const hit = cache.get(query);
  if (hit) return hit;
  let prepared: Prepared;
  try {
    const document = parse(query);
    const errors = prevalidated!.has(query) ? [] : validate(schema, document);
    prepared = errors.length ? { errors, code: 'GRAPHQL_VALIDATION_FAILED' } : { document, errors };
  } catch (err) {
    if (!(err instanceof GraphQLError)) throw err;
    prepared = { errors: [err], code: 'GRAPHQL_PARSE_FAILED' };
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(query, prepared);
  return prepared;
}

/** `label` names the operation in messages and in `unsupported` (operationName, else the document's first name). */
export interface GraphQLRequest { query: string; variables: Record<string, unknown>; operationName: string | undefined; label: string }

/** What the HTTP layer answers, and whether the request may have changed state (then it is journaled). */
export interface GraphQLOutcome { status: number; body: unknown; mutating: boolean; code?: BackendErrorCode }

const wire = (e: GraphQLError, code: string) => ({ ...e.toJSON(), extensions: { ...e.extensions, code } });

/**
 * Runs one request. Refusals are GraphQL-shaped `{errors: [...]}` with a 4xx the SDKs do not retry (400): a
 * document that does not validate names the field/argument/type with its location, and every `Type.field` it
 * asked for that the schema lacks is counted under `unsupported`; bad variables name the variable. A resolver's
 * BackendError keeps its status. Anything else thrown is a bug and propagates (the caller answers 500).
 */
export function runGraphQL(request: GraphQLRequest, ctx: GraphQLContext): GraphQLOutcome {
  const schema = getSchema();
  const prepared = prepare(schema, request.query);
  const name = request.label;
  if (!prepared.document) {
    const entries = unsupportedEntries(prepared.errors);
    for (const entry of entries) ctx.unsupported(entry);
    if (entries.length) ctx.unsupported(name);
    const code = entries.length ? 'UNSUPPORTED_OPERATION' : prepared.code!;
    const head = entries.length
      ? [{ message: `Failed to run "${name}": the tracked-flows mock backend does not implement ${entries.join(', ')}. It is listed under "unsupported" in the log.`, extensions: { code } }]
      : [];
    return { status: 400, body: { errors: [...head, ...prepared.errors.map((e) => wire(e, prepared.code!))] }, mutating: entries.length > 0, code };
  }
  const operation = getOperationAST(prepared.document, request.operationName);
  if (!operation) {
    const message = request.operationName
      ? `Failed to run "${request.operationName}": the document has no operation of that name. Send the operation's name, or none for a one-operation document.`
      : 'Failed to run the document: it has several operations and the request names none. Send "operationName".';
    return { status: 400, body: { errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] }, mutating: false, code: 'BAD_REQUEST' };
  }
  const mutating = operation.operation === 'mutation';
  const tiers = (prepared.tiers ??= new Map());
  const key = request.operationName ?? '';
  let tier = tiers.get(key);
  if (!tier) tiers.set(key, (tier = newTier()));
  const interpret = () => execute({ schema, document: prepared.document!, contextValue: ctx, variableValues: request.variables, operationName: request.operationName }) as ExecutionResult;
  const compiled = compiledFor(tier, schema, prepared.document, operation, request.operationName);
  let result = compiled ? (runCompiled(compiled, ctx, request.variables) as ExecutionResult) : interpret();
  if (typeof (result as unknown as Promise<unknown>).then === 'function') throw new Error(`a resolver of "${name}" returned a promise; resolvers must be synchronous`);
  // graphql-js words every refusal that can be recomputed without running a resolver twice (compiled.ts).
  if (compiled && result.errors?.length && (!mutating || !('data' in result))) result = interpret();
  if (!result.errors?.length) return { status: 200, body: { data: result.data }, mutating };
  return refusal(name, operation, result, ctx, mutating);
}

function refusal(name: string, operation: OperationDefinitionNode, result: ExecutionResult, ctx: GraphQLContext, mutating: boolean): GraphQLOutcome {
  const errors = result.errors!;
  // No `data` at all: the variables did not coerce (graphql-js names the variable and what is wrong with it).
  if (!('data' in result) || result.data === undefined) {
    const entries = unsupportedEntries(errors);
    for (const entry of entries) ctx.unsupported(entry);
    const code = entries.length ? 'UNSUPPORTED_OPERATION' : 'BAD_VARIABLES';
    const body = { errors: errors.map((e) => ({ ...wire(e, code), message: `Failed to run "${name}": ${e.message}` })) };
    return { status: 400, body, mutating: entries.length > 0, code };
  }
  const backendErrors = errors.map((e) => e.originalError).filter((e): e is BackendError => e instanceof BackendError);
  // A resolver failed with something other than a refusal: a bug, answered 500 by the HTTP layer.
  if (backendErrors.length !== errors.length) {
    const bug = errors.find((e) => !(e.originalError instanceof BackendError))!;
    throw bug.originalError ?? new Error(bug.message);
  }
  const body = { errors: errors.map((e) => wire(e, (e.originalError as BackendError).code)) };
  const data = result.data as Record<string, unknown> | null;
  const anyAnswered = data !== null && operation.selectionSet.selections.length > 1 && Object.values(data).some((v) => v !== null);
  // Several root fields and some succeeded: GraphQL's partial answer, 200 with data and errors. (Each field
  // validates before it changes state, so what changed is exactly what answered; it is journaled as usual.)
  if (anyAnswered) return { status: 200, body: { data, ...body }, mutating };
  const first = backendErrors[0]!;
  if (first.code === 'UNSUPPORTED_OPERATION') mutating = true; // the unsupported count changed
  return { status: first.status, body, mutating, code: first.code };
}
