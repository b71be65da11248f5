import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql ships CommonJS (main) and ESM (module) builds. Node, tsx and the CLI bundle each load one copy, but
// vite resolves our sources' `import 'graphql'` to the ESM build while graphql-jit, loaded by Node, gets the
// CommonJS one: two copies, and graphql-jit refuses the schema ("from another module or realm"). Pinned to
// the file Node itself resolves.
const graphqlAsNodeLoadsIt = createRequire(import.meta.url).resolve('graphql');

export default defineConfig({
  // The TypeScript flow API uses decorators (`@step`, `@wandbLog(...)`), TypeScript's `experimentalDecorators`
  // form, which Node cannot run natively: have the transformer lower them.
  oxc: { decorator: { legacy: true } },
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlAsNodeLoadsIt }] },
  test: {
    include: ['test/**/*.test.ts'],
    // The real-SDK tier runs real Python for minutes: `npm run test:real` (vitest.real.config.ts), never `npm test`.
    exclude: ['test/real/**', '**/node_modules/**'],
    // msw and nock patch the same globals: vitest's default per-file isolation keeps them apart (DESIGN §8).
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
