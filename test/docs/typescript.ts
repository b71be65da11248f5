// The TypeScript examples: type-checked as a user's files would be, against the package's three entry points
// (mapped to the sources, so no build is needed), and the ones that are whole test files run by vitest.

import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { where, type DocBlock } from './blocks.ts';

const ENTRY_POINTS: Record<string, string> = {
  'tracked-flows': 'src/index.ts',
  'tracked-flows/harness': 'harness/index.ts',
  'tracked-flows/vitest': 'harness/vitest/index.ts',
};

/** A block that defines tests at its top level (vitest's `it` / `describe`, or `scenarioSuite`). */
export const isWholeTest = (b: DocBlock): boolean => /^(it|test|describe|scenarioSuite)\(/m.test(b.text);

const fileName = (b: DocBlock): string => `${b.page.replace(/[^A-Za-z0-9]+/g, '_')}_L${b.line}.test.ts`;

/** Type-check every block; returns one message per error, at the page's line. */
export function typeCheck(root: string, dir: string, blocks: readonly DocBlock[]): string[] {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const byFile = new Map<string, DocBlock>();
  for (const b of blocks) {
    byFile.set(fileName(b), b);
    // `export {}` makes every block a module: two blocks never share a scope.
    writeFileSync(join(dir, fileName(b)), `${b.text}\nexport {};\n`);
  }
  const rel = relative(dir, root);
  const tsconfig = {
    extends: join(rel, 'tsconfig.json'),
    compilerOptions: { noEmit: true, paths: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([k, v]) => [k, [`./${join(rel, v)}`]])) },
    include: ['*.ts'],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8', timeout: 180_000 });
  if (r.status === 0) return [];
  const errors: string[] = [];
  for (const line of `${r.stdout}${r.stderr}`.split('\n')) {
    const m = /^(.*?)\((\d+),(\d+)\): (error .*)$/.exec(line.trim());
    if (!m) continue;
    const b = byFile.get(m[1]!.split('/').pop()!);
    errors.push(b ? `${b.page}:${b.line + Number(m[2])}:${m[3]}: ${m[4]}` : line.trim());
  }
  return errors.length ? errors : [`tsc failed: ${r.stdout}${r.stderr}`];
}

/** Run the whole-test blocks with vitest, in `cwd` (a scratch copy of the project). Failures at the page's line. */
export function runTests(root: string, cwd: string, blocks: readonly DocBlock[]): string[] {
  if (blocks.length === 0) return [];
  const dir = join(cwd, 'doc-examples');
  mkdirSync(dir, { recursive: true });
  for (const b of blocks) writeFileSync(join(dir, fileName(b)), b.text);
  const alias = Object.entries(ENTRY_POINTS)
    .sort(([a], [b]) => b.length - a.length)
    .map(([k, v]) => `{ find: /^${k.replace('/', '\\/')}$/, replacement: ${JSON.stringify(join(root, v))} }`);
  writeFileSync(join(cwd, 'doc-examples.config.ts'), [
    "import { createRequire } from 'node:module';",
    "import { defineConfig } from 'vitest/config';",
    // As the project's own config: legacy decorators, and graphql pinned to the copy Node loads.
    "const graphql = createRequire(import.meta.url).resolve('graphql');",
    'export default defineConfig({',
    '  oxc: { decorator: { legacy: true } },',
    `  resolve: { alias: [${alias.join(', ')}, { find: /^graphql$/, replacement: graphql }] },`,
    "  test: { include: ['doc-examples/*.test.ts'], pool: 'forks', testTimeout: 30_000 },",
    '});',
  ].join('\n'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'CI' && k !== 'NODE_ENV'));
  const r = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'doc-examples.config.ts', '--reporter', 'json'], { cwd, env, encoding: 'utf8', timeout: 300_000 });
  let report: { testResults?: { name: string; status: string; message?: string; assertionResults: { status: string; fullName: string; failureMessages: string[] }[] }[] };
  try {
    report = JSON.parse(r.stdout.slice(r.stdout.indexOf('{')));
  } catch {
    return [`vitest did not report (exit ${r.status}): ${r.stderr.slice(-2000)}`];
  }
  const failures: string[] = [];
  for (const file of report.testResults ?? []) {
    const b = blocks.find((x) => file.name.endsWith(fileName(x)));
    const at = b ? where(b) : file.name;
    if (file.assertionResults.length === 0 && file.status !== 'passed') failures.push(`${at}: ${file.message ?? 'failed to load'}`);
    for (const t of file.assertionResults) if (t.status !== 'passed') failures.push(`${at}: "${t.fullName}" ${t.status}: ${t.failureMessages.join('\n').slice(0, 800)}`);
  }
  if (failures.length === 0 && r.status !== 0) failures.push(`vitest exited ${r.status}: ${r.stderr.slice(-2000)}`);
  return failures;
}
