import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The TypeScript flow API uses decorators (`@step`, `@wandbLog(...)`), TypeScript's `experimentalDecorators`
  // form, which Node cannot run natively: have the transformer lower them.
  oxc: { decorator: { legacy: true } },
  test: {
    include: ['test/**/*.test.ts'],
    // msw and nock patch the same globals: vitest's default per-file isolation keeps them apart (DESIGN §8).
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
