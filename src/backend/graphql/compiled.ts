// Tiered execution. graphql-js interprets a document's AST on every request: for an SDK's ~20 repeated
// documents that is ~40–80 µs each (variable coercion, field collection, argument values), most of handle()'s
// cost. graphql-jit compiles a validated document, once, into a JavaScript function over the same schema and
// resolvers (~10x faster per run on UpsertBucket). Compiling a document costs about as much as a few dozen
// interpreted runs (measured in a cold `plan`: 1-2 ms each, 5 ms for the first, against 40-80 µs per
// interpreted run), which a short-lived process would only pay for; so, as V8 does with functions, a
// document is interpreted until it has run HOT_AFTER times, about when the runs have cost one compile (a
// 3-step `plan` sends no document that often; at 4, it compiled three, ~9 ms of its ~0.2 s).
//
// The two engines must give the same answers; where they could differ, graphql-js decides (executor.ts):
// - a document graphql-jit cannot compile, or whose root selects `__schema`/`__type` (introspection) or a
//   fragment, is never compiled;
// - an answer with errors is recomputed by graphql-js when nothing can have changed: a query, or a mutation
//   whose variables did not coerce (no resolver ran). A mutation whose resolver refused keeps the compiled
//   answer: its errors are our BackendErrors with the message, locations and path graphql-js would give
//   (test/unit/graphql-tiers.test.ts compares both engines over the corpus and the refusals).
// graphql-jit is imported statically: runGraphQL is synchronous, and an in-process suite is one microtask
// chain in which a dynamic import would never get its turn. Its JSON-schema serializer (fast-json-stringify,
// with ajv) is not used (customJSONSerializer stays off); the CLI bundle leaves it out (scripts/build.mjs).
import type { DocumentNode, ExecutionResult, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** Runs of one document through graphql-js before it is compiled. */
export const HOT_AFTER = 32;

/** 'tiered' (the default), or one engine for everything: for the differential tests and the benchmark. */
export type Engine = 'tiered' | 'graphql-js' | 'jit';
const ENGINES: readonly string[] = ['tiered', 'graphql-js', 'jit'];
// TRACKED_FLOWS_GRAPHQL_ENGINE=graphql-js rules the compiler out when one suspects it; =jit compiles every
// document on first use (the whole test suite is run that way too, as a differential check).
const fromEnv = process.env.TRACKED_FLOWS_GRAPHQL_ENGINE;
const known = fromEnv === undefined || ENGINES.includes(fromEnv);
// Read while modules load, before any command can report an error: a bad value is said and ignored.
if (!known) console.error(`tracked-flows: TRACKED_FLOWS_GRAPHQL_ENGINE=${JSON.stringify(fromEnv)} is not one of ${ENGINES.join(', ')}; using "tiered". Unset it or pick one.`);
let engine: Engine = known && fromEnv !== undefined ? (fromEnv as Engine) : 'tiered';

/** Chooses the engine for documents not yet compiled, process-wide. */
export function useEngine(next: Engine): void {
  engine = next;
}

/** Per document and operation: how often it ran, and its compiled form once it has one (null: never). */
export interface Tier { runs: number; compiled: CompiledQuery | null | undefined }

export function newTier(): Tier {
  return { runs: 0, compiled: undefined };
}

/** The compiled form to run this time, or undefined to interpret. */
export function compiledFor(tier: Tier, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, operationName: string | undefined): CompiledQuery | undefined {
  if (engine === 'graphql-js') return undefined;
  if (tier.compiled !== undefined) return tier.compiled ?? undefined;
  if (engine === 'tiered' && ++tier.runs < HOT_AFTER) return undefined;
  tier.compiled = staysInterpreted(operation) ? null : compile(schema, document, operationName);
  return tier.compiled ?? undefined;
}

function compile(schema: GraphQLSchema, document: DocumentNode, operationName: string | undefined): CompiledQuery | null {
  // Stack traces of resolver errors are not sent (errors are serialised by toJSON), so not captured either.
  const compiled = compileQuery(schema, document, operationName, { disablingCapturingStackErrors: true });
  if (isCompiledQuery(compiled)) return compiled;
  // A validated document the compiler refuses is a fault of ours or of the setup (two copies of graphql in
  // one process, say), not of the client: the answer stays right (graphql-js runs it), but it is said, once.
  const why = compiled.errors?.map((e) => e.message.split('\n')[0]).join('; ') ?? 'no reason given';
  console.error(`tracked-flows: graphql-jit cannot compile "${operationName ?? operationOf(document)}" (${why}); it runs on graphql-js.`);
  return null;
}

const operationOf = (document: DocumentNode) => document.definitions.map((d) => ('name' in d && d.name ? d.name.value : '')).join(' ') || '(anonymous)';

/** Introspection (`__schema`/`__type` at the root) and root fragments are left to graphql-js: rare, and
 *  introspection is what the SDKs choose code paths by. */
function staysInterpreted(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.some((s) => s.kind !== 'Field' || s.name.value === '__schema' || s.name.value === '__type');
}

/** Runs a compiled document; a promise (an asynchronous resolver) is the caller's error, as with graphql-js. */
export function runCompiled(compiled: CompiledQuery, context: unknown, variables: Record<string, unknown>): ExecutionResult | Promise<ExecutionResult> {
  return compiled.query(undefined, context, variables) as ExecutionResult | Promise<ExecutionResult>;
}
