#!/usr/bin/env node
// One source of truth, two ways to run it. The published package ships the build (dist/, made by prepack) and
// no TypeScript sources: it runs the compiled, bundled CLI (dist/cli/), with nothing transpiled at start-up. A checkout runs the
// sources through tsx, so an edit is live at once and a stale dist/ (gitignored, left by `npm run build` or
// `npm pack`) can never stand in for them. TRACKED_FLOWS_FROM=dist runs a checkout's build (the benchmark and
// the package test do); TRACKED_FLOWS_FROM=src forces the sources.
import { existsSync } from 'node:fs';

const sources = new URL('../harness/cli/main.ts', import.meta.url);
const built = new URL('../dist/cli/main.js', import.meta.url);
const from = process.env.TRACKED_FLOWS_FROM;
const fromBuild = from === 'dist' || (from !== 'src' && !existsSync(sources));
let main;
if (fromBuild) {
  ({ main } = await import(built.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(sources.href));
}
process.exitCode = await main(process.argv.slice(2));
