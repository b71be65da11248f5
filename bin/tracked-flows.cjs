#!/usr/bin/env node
'use strict';
// One source of truth, two ways to run it. The published package ships the build (dist/, made by prepack) and
// no TypeScript sources: it runs the compiled CLI bundle (dist/cli/main.cjs) from V8's code cache
// (./code-cache.cjs), with nothing transpiled or parsed anew at start-up. A checkout runs the sources through
// tsx, so an edit is live at once and a stale dist/ (gitignored, left by `npm run build` or `npm pack`) can never
// stand in for them. TRACKED_FLOWS_FROM=dist runs a checkout's build (the benchmark and the package test do);
// TRACKED_FLOWS_FROM=src forces the sources.
//
// CommonJS, as is the bundle: a process whose main module is an ES module starts Node's ESM loader first
// (~15 ms, measured with hyperfine against an empty .cjs), before any of the command's work.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const sources = join(__dirname, '../harness/cli/main.ts');
const from = process.env.TRACKED_FLOWS_FROM;
const argv = process.argv.slice(2);

async function fromBuild() {
  const cli = require('./code-cache.cjs').loadBundle(join(__dirname, '../dist/cli/main.cjs'));
  process.exitCode = await cli.exports.main(argv);
  // Under a Node whose V8 the build did not have, the first run leaves a cache for the next ones.
  if (!cli.accepted) cli.saveUserCache();
}

async function fromSources() {
  (await import('tsx/esm/api')).register();
  process.exitCode = await (await import(pathToFileURL(sources).href)).main(argv);
}

(from === 'dist' || (from !== 'src' && !existsSync(sources)) ? fromBuild() : fromSources()).catch((err) => {
  // What an unhandled rejection would print, and its exit code.
  console.error(err);
  process.exitCode = 1;
});
