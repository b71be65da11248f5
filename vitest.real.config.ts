import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

// `npm run test:real`: the real wandb SDK and Metaflow (the kit of ../shared/realsdk), against `serve` and
// `replay`. Minutes per test, so a tier of its own, never part of `npm test` (vitest.config.ts excludes it).
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/real/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 3_600_000,
    hookTimeout: 1_800_000,
  },
});
