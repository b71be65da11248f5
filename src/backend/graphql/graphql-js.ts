// graphql-js chooses, once, when its module is first evaluated, between plain `instanceof` checks and a
// development variant that also hunts for a second copy of graphql-js in the process; the development variant
// roughly doubles the cost of executing a document (measured: UpsertBucket ~50 us -> ~27 us), and an SDK sends
// ~40 documents per 3-step flow. NODE_ENV is set to "production" only while graphql-js's modules evaluate
// (graphql-production.ts runs first, then graphql, then this body puts the variable back), so nobody else sees it.
// executor.ts imports this module before anything else from graphql. If graphql-js was already loaded by someone
// else (a test importing it first), it stays as they loaded it: only slower, never different.
import { previousNodeEnv } from './graphql-production.ts';
// A named import, not a bare `import 'graphql'`: graphql's package.json says `sideEffects: false`, so a bundler
// (the CLI's esbuild build) drops a bare import and graphql would then load later, in development mode.
import { version } from 'graphql';

export const graphqlVersion = version;

if (previousNodeEnv === undefined) delete process.env.NODE_ENV;
else process.env.NODE_ENV = previousNodeEnv;
