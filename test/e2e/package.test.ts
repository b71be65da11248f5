// The published package, as a user gets it: `npm pack` (prepack builds dist/), the tarball installed into a
// fresh consumer project (test/fixtures/consumer), and there: plain Node ESM imports, `tsc --noEmit` against
// the shipped declarations, the consumer's own vitest with scenarioSuite, the matchers and mockWandb, and the
// CLI through `npx`. Slow (minutes: a build and an npm install), so it has this file to itself.

import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const FIXTURE = join(ROOT, 'test/fixtures/consumer');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; devDependencies: Record<string, string> };
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const MINUTES = 60_000;

/** The environment of a fresh shell: nothing of this vitest run (its workers, its npm script) leaks in. */
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(VITEST|npm_lifecycle_|npm_package_|NODE_OPTIONS$|TEST$)/.test(k)));
Object.assign(env, { NO_COLOR: '1', CI: '1', npm_config_update_notifier: 'false' });
// Where the CLI would keep a code cache of its own (bin/code-cache.cjs): inside the consumer, removed with it.
const userCache = (): string => join(dir, '.cache');

let dir = '';
const run = (cmd: string, args: readonly string[], timeoutMs = 5 * MINUTES): SpawnSyncReturns<string> =>
  spawnSync(cmd, args, { cwd: dir, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
const ok = (r: SpawnSyncReturns<string>, what: string): string => {
  if (r.status !== 0) throw new Error(`Failed to ${what}: exit ${r.status}${r.error ? ` (${r.error.message})` : ''}.\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tracked-flows-consumer-'));
  env['TRACKED_FLOWS_CACHE_DIR'] = userCache();
  const packs = join(dir, '.packs');
  mkdirSync(packs);
  // npm pack runs prepack (scripts/build.mjs) first; its last stdout line is the tarball's name.
  const packed = execFileSync(NPM, ['pack', '--pack-destination', packs], { cwd: ROOT, env, encoding: 'utf8', timeout: 5 * MINUTES, stdio: ['ignore', 'pipe', 'pipe'] });
  const tarball = join(packs, packed.trim().split('\n').at(-1)!);

  cpSync(FIXTURE, dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
  mkdirSync(join(dir, 'scenarios'));
  mkdirSync(join(dir, 'snapshots'));
  cpSync(join(ROOT, 'scenarios/lineage/read-use.yaml'), join(dir, 'scenarios/read-use.yaml'));
  cpSync(join(ROOT, 'snapshots/lineage/read-use.json'), join(dir, 'snapshots/read-use.json'));
  cpSync(join(ROOT, 'scenarios/parameters/config.yaml'), join(dir, 'scenarios/config.yaml'));
  const altered = readFileSync(join(ROOT, 'snapshots/parameters/config.json'), 'utf8').replace('"lr": 1.0', '"lr": 2.0');
  writeFileSync(join(dir, 'snapshots/config.json'), altered);

  const dev = pkg.devDependencies;
  const install = () => run(NPM, ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, `vitest@${dev.vitest}`, `typescript@${dev.typescript}`, `@types/node@${dev['@types/node']}`], 8 * MINUTES);
  // A fresh CI machine downloads vitest & co. from the registry: one retry for a transient network failure.
  let installed = install();
  if (installed.status !== 0) installed = install();
  ok(installed, 'install the packed tarball with vitest and typescript from the npm registry');
}, 20 * MINUTES);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the packed package in a consumer project', { timeout: 5 * MINUTES }, () => {
  it('ships the build, no sources, no tests, no fixtures', () => {
    const files = ok(run('find', ['node_modules/tracked-flows', '-type', 'f']), 'list the installed package').split('\n').filter(Boolean)
      .map((f) => f.slice('node_modules/tracked-flows/'.length));
    expect(files).toContain('dist/src/index.js');
    expect(files).toContain('dist/src/index.d.ts');
    expect(files).toContain('dist/harness/vitest/index.d.ts');
    expect(files).toContain('dist/harness/scenario/scenario.schema.json');
    expect(files).toContain('dist/harness/scenario/scenario.validate.cjs');
    // The CLI: one CommonJS bundle and the V8 code cache the build made for it (bin/code-cache.cjs).
    expect(files).toContain('dist/cli/main.cjs');
    expect(files).toContain(`dist/cli/main.cjs.${process.versions.v8}.cache`);
    expect(files.filter((f) => /^(test|scenarios|snapshots|src|harness)\//.test(f) || f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    // The GraphQL schema the build prepared (src/backend/graphql/executor.ts), beside the CLI bundle too.
    expect(files).toContain('dist/cli/schema/schema.ast.json');
    expect(files).toContain('dist/cli/schema/validated-documents.json');
    // The CLI bundle holds one copy of graphql, its ESM build (graphql-jit's CommonJS imports mapped to it).
    const bundled = files.filter((f) => f.startsWith('dist/cli/') && f.endsWith('.js.map'))
      .flatMap((f) => (JSON.parse(readFileSync(join(dir, 'node_modules/tracked-flows', f), 'utf8')) as { sources: string[] }).sources);
    expect(bundled.filter((src) => src.includes('node_modules/graphql/')).length).toBeGreaterThan(50);
    expect(bundled.filter((src) => /node_modules\/graphql\/.*\.js$/.test(src))).toEqual([]);
  });

  it('imports from plain Node ESM: tracked-flows and tracked-flows/harness', () => {
    const out = ok(run(process.execPath, ['check.mjs']), 'run check.mjs');
    // The facts of scenarios/lineage/read-use.yaml: start logs X_train, X_test, clf_init; train logs clf.
    expect(JSON.parse(out)).toEqual({
      artifacts: ['X_test:v0', 'X_train:v0', 'clf:v0', 'clf_init:v0'], backend: 'function', scenario: 'lineage-read-use', status: 'ok',
    });
  });

  it('type-checks the consumer against the shipped declarations (tsc --noEmit), wrong uses refused', () => {
    ok(run(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', '.']), 'type-check the consumer');
  });

  it("runs the consumer's vitest: scenarioSuite, the matchers and mockWandb; failures reported with what was logged", () => {
    const r = run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--reporter=json', '--outputFile=report.json']);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as {
      testResults: { assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
    };
    const tests = new Map(report.testResults.flatMap((f) => f.assertionResults).map((t) => [t.fullName, t]));
    expect(r.status, r.stderr).toBe(1);
    expect([...tests.entries()].map(([name, t]) => `${t.status}: ${name}`).sort()).toEqual([
      'failed: matchers fail with what was logged instead',
      'failed: scenarios/config.yaml parameters-config',
      'passed: matchers pass on what was logged',
      'passed: mockWandb answers a plain fetch to https://api.wandb.ai/graphql',
      'passed: scenarios/read-use.yaml lineage-read-use',
    ]);
    expect(tests.get('matchers fail with what was logged instead')!.failureMessages[0]).toMatch(
      /^Error: expected result to have logged artifact "clf" \(type "dataset"\); logged: X_test:v0 \(dataset, step start\), X_train:v0 \(dataset, step start\), clf:v0 \(model, step train\), clf_init:v0 \(model, step start\)\n/,
    );
    const diff = tests.get('scenarios/config.yaml parameters-config')!.failureMessages[0]!;
    expect(diff).toMatch(/snapshots\/config\.json differs from what scenario "parameters-config" logged\. If the change is intended, run vitest with -u\./);
    expect(diff).toMatch(/^- {10}"lr": 2\.0,$/m);
    expect(diff).toMatch(/^\+ {10}"lr": 1\.0,$/m);
    // CI mode: nothing was written.
    expect(readFileSync(join(dir, 'snapshots/config.json'), 'utf8')).toContain('"lr": 2.0');

    // `vitest -u` is `run -u`: the snapshot is rewritten, to exactly the bytes this repository commits.
    ok(run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', 'test/suite.spec.ts', '-u']), 'run the consumer\'s vitest -u');
    expect(readFileSync(join(dir, 'snapshots/config.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'snapshots/parameters/config.json'), 'utf8'));
  });

  it('runs `npx tracked-flows run` and `validate` from the consumer (compiled, no tsx)', () => {
    const out = ok(run('npx', ['--no-install', 'tracked-flows', 'run', 'scenarios']), 'npx tracked-flows run');
    expect(out).toContain('2 passed, 0 failed');
    // The bundle's graphql-jit compiles against the bundle's one copy of graphql (scripts/build.mjs): with every
    // document compiled on first use, nothing is refused and the snapshots still match.
    const compiled = spawnSync('npx', ['--no-install', 'tracked-flows', 'run', 'scenarios'], { cwd: dir, env: { ...env, TRACKED_FLOWS_GRAPHQL_ENGINE: 'jit' }, encoding: 'utf8' });
    expect(compiled.stdout).toContain('2 passed, 0 failed');
    expect(compiled.stderr).not.toMatch(/cannot compile/);
    writeFileSync(join(dir, 'snapshots/config.json'), readFileSync(join(dir, 'snapshots/config.json'), 'utf8').replace('"lr": 1.0', '"lr": 3.0'));
    const changed = run('npx', ['--no-install', 'tracked-flows', 'run', 'scenarios/config.yaml']);
    expect(changed.status).toBe(1);
    expect(changed.stdout).toMatch(/^-\s+"lr": 3\.0,$/m);
    // The build's standalone schema validators report what the sources' ajv reports, word for word.
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nscenario: bad\nflow:\n  name: F\n  stepz: {}\n  steps:\n    start: { next: end, body: [ { set: { x: !DataFrame { columns: [a], rows: [[1, 2]] } } } ] }\n    end: { decorators: [ { wandb_log: { datasets: maybe } } ] }\n');
    const built = run('npx', ['--no-install', 'tracked-flows', 'validate', 'bad.yaml']);
    const sources = spawnSync(process.execPath, [join(ROOT, 'bin/tracked-flows.cjs'), 'validate', 'bad.yaml'], { cwd: dir, env: { ...env, TRACKED_FLOWS_FROM: 'src' }, encoding: 'utf8' });
    expect(built.status).toBe(2);
    expect(built.stderr).toMatch(/^bad\.yaml:5:3: unknown key "stepz"/m);
    expect(built.stderr).toBe(sources.stderr);
  });

  it("starts the CLI from the build's V8 code cache; a cache V8 refuses costs only speed, and the next run has its own", () => {
    const shipped = join(dir, 'node_modules/tracked-flows/dist/cli', `main.cjs.${process.versions.v8}.cache`);
    const plan = (): string => ok(run('npx', ['--no-install', 'tracked-flows', 'plan', 'scenarios/read-use.yaml']), 'npx tracked-flows plan');
    const expected = plan();
    expect(expected).toContain('X_train:v0');
    // Every run so far (run, validate, plan) had the shipped cache accepted: none wrote a cache of its own.
    expect(existsSync(userCache())).toBe(false);

    // A cache V8 refuses (here: not a cache at all, as a different V8's would be) changes nothing the user sees.
    writeFileSync(shipped, 'not a code cache');
    expect(plan()).toBe(expected);
    const own = readdirSync(userCache());
    expect(own).toEqual([expect.stringMatching(new RegExp(`^main\\.cjs\\.\\d+-\\d+\\.${process.versions.v8.replace(/[.]/g, '\\.')}\\.cache$`))]);
    const written = statSync(join(userCache(), own[0]!));
    expect(written.size).toBeGreaterThan(100_000);
    // The next run takes that cache: it plans the same and, the cache accepted, leaves it as it was.
    expect(plan()).toBe(expected);
    expect(statSync(join(userCache(), own[0]!)).mtimeMs).toBe(written.mtimeMs);
    expect(readdirSync(userCache())).toEqual(own);
  });
});

void pkg.version;
