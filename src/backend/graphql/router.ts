import { BackendError } from '../errors.ts';
import { artifactLookupOps } from './artifact-lookup.ts';
import { artifactSaveOps } from './artifact-save.ts';
import type { OpContext, Resolver } from './context.ts';
import { isIntrospection, introspect } from './introspection.ts';
import { runOps } from './run-ops.ts';
import { serverOps } from './server-ops.ts';
import { own } from '../own.ts';

/** Every operation this backend understands, in both dialects (legacy Python sender and wandb-core). */
export const RESOLVERS: Readonly<Record<string, Resolver>> = { ...serverOps, ...runOps, ...artifactSaveOps, ...artifactLookupOps };

/**
 * Runs one operation. An operation nobody here understands is counted in `unsupported` (so the log shows it)
 * and refused with an error naming it — never silently answered with empty data.
 */
export function execute(ctx: OpContext): unknown {
  const resolver = own(RESOLVERS, ctx.operation);
  if (resolver) return resolver(ctx);
  if (isIntrospection(ctx.query)) return introspect(ctx.query);
  ctx.state.unsupported[ctx.operation] = (own(ctx.state.unsupported, ctx.operation) ?? 0) + 1;
  throw new BackendError(
    'UNSUPPORTED_OPERATION',
    `Failed to run "${ctx.operation}": the tracked-flows mock backend does not implement this operation. It is listed under "unsupported" in the log.`,
  );
}
