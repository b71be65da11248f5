import { defineConfig } from 'vitest/config';
import main from './vitest.config.ts';

// The real-SDK tier (`npm run test:real`): real Metaflow and the real wandb SDK from ../shared/realsdk, run
// against `tracked-flows serve`. Minutes, not milliseconds; never part of `npm test` (whose config excludes
// test/real). The main config's transform and resolve settings are kept; its test settings are not (vitest's
// mergeConfig would concatenate the include and exclude lists).
export default defineConfig({
  oxc: main.oxc,
  resolve: main.resolve,
  test: {
    include: ['test/real/**/*.test.ts'],
    globalSetup: ['test/real/helpers/global-setup.ts'],
    reporters: ['default', './test/real/helpers/summary-reporter.ts'],
    pool: 'forks',
    // One file at a time: a flow already runs up to 16 Python processes.
    fileParallelism: false,
    // Every test starts at once and waits for a Python slot (helpers/kit.ts inSlot), so the limit is there.
    maxConcurrency: 1000,
    sequence: { concurrent: true },
    testTimeout: 60 * 60_000,
    hookTimeout: 15 * 60_000,
  },
});
